// `bedrock repl [--resume]` (also plain `bedrock`): the interactive loop with libedit on a
// terminal, or the same loop over piped standard input without prompts. Interactive sessions
// append their statements to $BEDROCK_HOME/sessions/; --resume replays the newest one first.
import ArgumentParser
import BedrockInterpreter
import BedrockREPL
import FoundationEssentials

struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Open the interactive REPL (the default command).",
        discussion: "Type :help at the prompt for the REPL's commands."
    )

    @OptionGroup var common: CommonOptions

    @Flag(help: "Replay the last session's statements silently, then continue it.")
    var resume = false

    func run() throws {
        let home = BedrockHome.fromEnvironment()
        let interactive = Console.stdinIsTerminal
        if interactive || resume {
            do { try home.prepare() } catch {
                throw fail("bedrock: cannot create \(home.sessionsDirectory): \(error)", status: ExitStatus.noInput)
            }
        }
        let output = OutputSink.standardOutput
        let sessionOptions = sessionOptions(
            common: common, baseDirectory: FileManager.default.currentDirectoryPath, output: output.write)
        let session = Session(options: sessionOptions)
        var options = REPLOptions()
        let reader: LineReader
        if interactive {
            reader = EditLineReader(historyFile: home.historyFile) { session.completions(line: $0, cursor: $1) }
            options.banner = "bedrock \(BedrockCommand.version): :help for help, Ctrl-D to quit"
            options.log = SessionLog(directory: home.sessionsDirectory)
        } else {
            reader = PlainLineReader()
        }
        let repl = REPL(session: session, reader: reader, output: output, errors: .standardError, options: options)
        if resume { try resumeLast(repl, home: home, interactive: interactive) }
        let status = repl.run()
        // Jobs cannot outlive the process: leaving the REPL stops them at their next step (Stopped,
        // with the checkpoint kept) rather than killing them mid-write.
        finishJobs(sessionOptions, stopping: true)
        Console.flush()
        if status != ExitStatus.ok { throw ExitCode(status) }
    }

    /// Replays the newest transcript into `repl` and keeps appending to it.
    private func resumeLast(_ repl: REPL, home: BedrockHome, interactive: Bool) throws {
        guard let path = SessionLog.latest(in: home.sessionsDirectory) else {
            Console.err("bedrock: no earlier session in \(home.sessionsDirectory); starting a new one\n")
            return
        }
        guard case .success(let text) = ScriptFile.check(path) else {
            throw fail("bedrock: cannot read \(path)", status: ExitStatus.noInput)
        }
        let (succeeded, failed) = repl.replay(text)
        if interactive { repl.continueLog(SessionLog(resuming: path)) }
        var message = "resumed \(succeeded) statement\(succeeded == 1 ? "" : "s") from \(path)"
        if failed > 0 { message += " (\(failed) failed this time)" }
        Console.err(message + "\n")
    }
}
