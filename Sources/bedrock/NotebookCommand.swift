// `bedrock notebook FILE.md [--check | --update]`: runs every ```bedrock cell in one session and
// prints the outputs, checks them against the ```output cells (unified diff, status 1), or
// rewrites the output cells in place atomically. Masks are described in BedrockREPL/README.md.
import ArgumentParser
import BedrockREPL

struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Run a Markdown notebook's bedrock cells; check or update their output cells.",
        discussion: """
            An ```output cell after a ```bedrock cell holds what the cell prints. In expected output, … \
            matches any text on its line; a cell's info string may add mask="REGEX" to turn varying text into ….
            """
    )

    @OptionGroup var common: CommonOptions

    @Argument(help: "The notebook (Markdown).", completion: .file(extensions: ["md"]))
    var file: String

    @Flag(help: "Exit with status 1 and a unified diff when any output differs from its output cell.")
    var check = false

    @Flag(help: "Rewrite the output cells with this run's output (inserting missing ones).")
    var update = false

    func validate() throws {
        if check && update { throw ValidationError("--check and --update cannot be used together") }
    }

    func run() throws {
        let run: NotebookRun
        do {
            run = try NotebookRun.run(path: file) { options in
                // Notebooks are always ephemeral; the runner has set the base folder and masking.
                options = sessionOptions(common: CommonOptions.ephemeral, baseDirectory: options.baseDirectory,
                                         maskVolatile: options.maskVolatile, output: options.output)
            }
        } catch let problem as ScriptFileProblem {
            throw fail("bedrock: \(problem)", status: ExitStatus.noInput)
        } catch {
            throw fail("\(error)", status: ExitStatus.syntaxError)
        }
        if check { try checkOutputs(run) } else if update { try updateOutputs(run) } else { Console.out(run.transcript()) }
    }

    private func checkOutputs(_ run: NotebookRun) throws {
        let mismatches = run.mismatches()
        guard !mismatches.isEmpty else {
            Console.out("\(file): \(run.results.count) cells, every output matches\n")
            return
        }
        for mismatch in mismatches { Console.out(mismatch.summary + "\n" + mismatch.diff) }
        throw fail("\(file): \(mismatches.count) of \(run.results.count) cells differ (bedrock notebook --update \(file) accepts them)",
                   status: ExitStatus.checkFailed)
    }

    private func updateOutputs(_ run: NotebookRun) throws {
        let updated = run.updatedText()
        guard updated != run.notebook.text else {
            Console.out("\(file): up to date\n")
            return
        }
        // Qualified: the Workspace module has an AtomicFile too, should this file ever import it.
        do { try BedrockREPL.AtomicFile.write(updated, to: file) } catch {
            throw fail("bedrock: \(error)", status: ExitStatus.noInput)
        }
        Console.out("\(file): updated \(run.mismatches().count) output cells\n")
    }
}
