// BedrockCommand: the root command and the options every subcommand shares. Exit statuses are
// BSD sysexits (ExitStatus in BedrockREPL): 64 usage, 65 syntax error, 66 missing input,
// 70 runtime error, 1 for a notebook check that found differences.
import ArgumentParser
import BedrockBindings
import BedrockPlatform
import Catalog
import Foundation
import Workspace
import BedrockInterpreter
import BedrockREPL

struct BedrockCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "bedrock",
        abstract: "Amazon Bedrock's generative-AI workflow on one machine, driven by a small scripting language.",
        discussion: """
            With no subcommand, opens the REPL; with standard input redirected (bedrock < script.bedrock), \
            runs the piped statements one by one as the REPL would, without prompts.
            State (history, session transcripts) lives in $BEDROCK_HOME, default ~/.bedrock.
            Exit status: 0 ok, 1 notebook check failed, 64 usage, 65 syntax error, 66 missing input, 70 runtime error.
            """,
        version: "bedrock \(version)",
        subcommands: [ReplCommand.self, RunCommand.self, NotebookCommand.self],
        defaultSubcommand: ReplCommand.self
    )
}

/// Options accepted by every subcommand.
struct CommonOptions: ParsableArguments {
    @Flag(help: "Use an in-memory workspace that is discarded at exit (notebooks always are).")
    var ephemeral = false

    /// What notebooks run with whatever the command line says.
    static var ephemeral: CommonOptions {
        var options = CommonOptions()
        options.ephemeral = true
        return options
    }
}

/// Writes `message` to standard error and ends the command with `status`.
func fail(_ message: String, status: Int32) -> ExitCode {
    Console.err(message.hasSuffix("\n") ? message : message + "\n")
    return ExitCode(status)
}

/// The one place every command builds its session options, so native libraries (the platform's
/// commands, on an ephemeral or persistent workspace) are wired in once for all commands.
func sessionOptions(common: CommonOptions, baseDirectory: String, scriptArguments: [String] = [],
                    maskVolatile: Bool = false, output: @escaping @Sendable (String) -> Void) -> SessionOptions {
    let ephemeral = common.ephemeral
    // The platform (catalog, workspace, engines) opens on the first command that needs it, so a
    // script that never uses it starts as fast as the interpreter alone.
    let library = PlatformLibrary(opening: {
        // An ephemeral workspace lives for one run, so a fixed session ID keeps job and response IDs
        // the same run to run (notebooks check them); a persistent one needs IDs unique across runs.
        // (Notebooks use "notebook", as NotebookDocsTests does, so the CLI and the tests record the same IDs.)
        let sessionID = ephemeral ? (maskVolatile ? "notebook" : "session-1") : "s\(Int(Date().timeIntervalSince1970))-\(getpid())"
        let workspace = ephemeral ? try Workspace.ephemeral() : try Workspace.open(home: Workspace.defaultHome())
        let platform = Platform(workspace: workspace, catalog: try Catalog.standard(), sessionID: sessionID)
        // A job whose process died mid-training or mid-import is marked Failed now (its half-done model is never registered).
        _ = try? platform.recoverInterruptedCustomizationJobs()
        _ = try? platform.recoverInterruptedImportJobs()
        _ = try? platform.recoverInterruptedEvaluationJobs()
        return platform
    })
    return SessionOptions(baseDirectory: baseDirectory, scriptArguments: scriptArguments, maskVolatile: maskVolatile,
                          libraries: [library], output: output)
}

/// Lets background jobs (fine-tuning, evaluation) end before the process exits; see PlatformLibrary.finishJobs.
func finishJobs(_ options: SessionOptions, stopping: Bool) {
    for case let library as PlatformLibrary in options.libraries { library.finishJobs(stopping: stopping) }
}
