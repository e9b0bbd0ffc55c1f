// Session: the public face of the interpreter used by the REPL, the CLI and the notebook runner.
// One Session holds one program state (globals, seed, imported files); it is not thread-safe except
// for `interrupt()`, which a signal-handling thread may call at any time.
import BedrockSyntax

/// How a session runs: where relative paths resolve, the script's arguments, and where output goes.
public struct SessionOptions: Sendable {
    /// Relative paths in scripts and the REPL resolve here.
    public var baseDirectory: String
    /// `bedrock run FILE args…` → the `args` list in the language.
    public var scriptArguments: [String]
    /// Notebooks: wall-clock values print masked so checked outputs stay stable.
    public var maskVolatile: Bool
    /// Everything print/table/echo writes (each call is one chunk of text, usually ending in "\n").
    public var output: @Sendable (String) -> Void
    /// Native libraries registered on top of the builtins (platform bindings, added by later modules).
    public var libraries: [any NativeLibrary]

    public init(baseDirectory: String, scriptArguments: [String] = [], maskVolatile: Bool = false,
                libraries: [any NativeLibrary] = [], output: @escaping @Sendable (String) -> Void) {
        self.baseDirectory = baseDirectory
        self.scriptArguments = scriptArguments
        self.maskVolatile = maskVolatile
        self.libraries = libraries
        self.output = output
    }
}

/// The result of running a whole file or source text.
public enum RunOutcome: Sendable, Equatable {
    case ok
    case syntaxErrors(rendered: String, count: Int)
    case runtimeError(rendered: String)
}

/// The result of one REPL entry.
public enum InteractiveOutcome: Sendable, Equatable {
    /// The entry ran; the echo text of an expression statement's value (nil: nothing to echo).
    case value(String?)
    /// The entry is unfinished (open bracket, block or string): read another line and retry.
    case incomplete
    case syntaxErrors(rendered: String)
    case runtimeError(rendered: String)
}

/// A running program: globals, imports, seed and the native registry. Runs code on its own
/// thread with a large stack (so the recursion limit, not the thread, decides how deep calls go).
public final class Session: @unchecked Sendable {
    let options: SessionOptions
    var interpreter: Interpreter

    public init(options: SessionOptions) {
        self.options = options
        self.interpreter = Interpreter(options: options)
    }

    /// Runs a script file. A missing file, a directory or invalid UTF-8 is a clear error.
    public func runFile(path: String) -> RunOutcome {
        let full = SourceFiles.resolve(path, base: options.baseDirectory)
        switch SourceFiles.read(path: full) {
        case .failure(let error):
            return .runtimeError(rendered: "\(path): error: \(error.message)")
        case .success(let text):
            // Files the script reads and imports resolve against the script's own directory.
            interpreter.baseDirectory = SourceFiles.directory(of: full)
            interpreter.directories[path] = SourceFiles.directory(of: full)
            interpreter.imported.insert(SourceFiles.normalize(full))
            return runSource(text, name: path)
        }
    }

    /// Runs source text as a script named `name` (used in diagnostics).
    public func runSource(_ source: String, name: String) -> RunOutcome {
        LargeStack.run { self.interpreter.run(source: source, name: name) }
    }

    /// Runs one REPL entry; expression statements echo their value (nil echoes nothing).
    public func evaluateInteractive(_ source: String, name: String = "<repl>") -> InteractiveOutcome {
        LargeStack.run { self.interpreter.evaluateInteractive(source: source, name: name) }
    }

    /// Completion candidates for the word ending at `cursor` (a character offset into `line`).
    public func completions(line: String, cursor: Int) -> (replaceFrom: Int, candidates: [String]) {
        Completion(interpreter: interpreter).complete(line: line, cursor: cursor)
    }

    /// `:help` (nil: the overview) and `:help topic` text, from the registry and the prelude docs.
    public func help(topic: String?) -> String {
        Help(interpreter: interpreter).text(topic: topic)
    }

    /// Stops the running statement with an "interrupted" error. Safe from any thread.
    public func interrupt() {
        interpreter.interruptFlag.set()
    }

    /// Forgets every variable and import and restores the seed to 0.
    public func reset() {
        for library in options.libraries { library.sessionDidReset() }
        interpreter = Interpreter(options: options)
    }

    /// The session's seed (`seed N` sets it); the platform reads it for sampling.
    public var seed: UInt64 { interpreter.seed }

    /// Every registered native (builtins and libraries), for help and tooling.
    public var registry: NativeRegistry { interpreter.registry }

    /// Names of the user's global variables and functions (not builtins).
    public var globalNames: [String] { interpreter.userGlobalNames }
}
