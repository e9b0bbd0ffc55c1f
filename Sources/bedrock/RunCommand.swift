// `bedrock run FILE.bedrock [args…]`: runs a script in a fresh session whose relative paths
// resolve in the script's folder; the remaining words become the script's `args`. Errors go to
// standard error with status 65 (syntax) or 70 (runtime); a missing file or a folder is 66.
import ArgumentParser
import BedrockInterpreter
import BedrockREPL

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a .bedrock script.",
        discussion: "Arguments after the script name are passed to it unchanged (as the list `args`)."
    )

    @OptionGroup var common: CommonOptions

    @Argument(help: "The script to run.", completion: .file(extensions: ["bedrock"]))
    var file: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the script.")
    var arguments: [String] = []

    func run() throws {
        let text: String
        switch ScriptFile.check(file) {
        case .success(let contents): text = contents
        case .failure(let problem): throw fail("bedrock: \(problem)", status: ExitStatus.noInput)
        }
        let options = sessionOptions(common: common, baseDirectory: folder(of: file), scriptArguments: arguments,
                                     output: OutputSink.standardOutput.write)
        let session = Session(options: options)
        switch session.runSource(text, name: file) {
        case .ok:
            finishJobs(options, stopping: false)
            Console.flush()
        case .syntaxErrors(let rendered, _):
            throw fail(rendered, status: ExitStatus.syntaxError)
        case .runtimeError(let rendered):
            finishJobs(options, stopping: true)
            throw fail(rendered, status: ExitStatus.runtimeError)
        }
    }
}

/// The folder holding `path` ("." for a bare file name).
func folder(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}
