// REPL: Lua's read-eval-print loop over a LineReader. Each input is tried as it stands; when the
// session says it is incomplete, a `...` prompt asks for more lines; values echo; errors print and
// the session goes on. Meta commands (`:help` …) are in MetaCommands.swift. Not the line editor.
import BedrockInterpreter

/// Settings of one REPL run.
public struct REPLOptions {
    public var primaryPrompt = "bedrock> "
    public var continuationPrompt = "    ...> "
    /// Writes each prompt and the line read after it to the output, as a terminal would show
    /// them; used with PlainLineReader so tests read like a terminal session.
    public var echoInput = false
    /// Shown once at start (interactive sessions).
    public var banner: String?
    /// The command `:edit` runs with a file name appended; nil means $VISUAL, $EDITOR, then vi.
    public var editorCommand: String?
    /// Where successful statements are appended as they run; nil keeps no transcript.
    public var log: SessionLog?
    /// Whether a bare `chat MODEL …` line enters chat mode; nil means only at a terminal.
    public var chatStatementEntersMode: Bool?

    public init() {}
}

public final class REPL {
    public let session: Session
    let reader: LineReader
    let output: OutputSink
    let errors: OutputSink
    var options: REPLOptions
    /// The session's successful statements, in order: what `:save` writes.
    public internal(set) var statements: [String] = []
    /// The last input that was evaluated, offered again by `:edit`.
    var lastInput: String?
    /// The first error's exit status (piped input exits with it).
    var firstErrorStatus: Int32?
    /// How many inputs have failed so far.
    var failures = 0
    /// The conversation of chat mode (ChatMode.swift), nil outside it.
    var chat: ChatMode?
    static let inputName = "<repl>"

    public init(session: Session, reader: LineReader, output: OutputSink, errors: OutputSink, options: REPLOptions = REPLOptions()) {
        self.session = session
        self.reader = reader
        self.output = output
        self.errors = errors
        self.options = options
    }

    /// Runs until `:quit` or end of input; returns the exit status (0, or for non-interactive
    /// input the status of the first failed statement: 65 syntax, 70 runtime).
    public func run() -> Int32 {
        if let banner = options.banner { output.write(banner + "\n") }
        var pending: [String] = []
        while true {
            let prompt = self.prompt ?? (pending.isEmpty ? options.primaryPrompt : options.continuationPrompt)
            Console.flush()
            switch reader.readLine(prompt: prompt) {
            case .endOfInput:
                if chat != nil {
                    // Ctrl-D leaves chat mode, not the REPL.
                    if options.echoInput || reader.isInteractive { output.write("\n") }
                    leaveChat()
                    continue
                }
                if !pending.isEmpty { finishAtEndOfInput(pending) }
                return reader.isInteractive ? ExitStatus.ok : firstErrorStatus ?? ExitStatus.ok
            case .interrupted:
                pending = []
            case .line(let line):
                if options.echoInput { output.write(prompt + line + "\n") }
                if let mode = chat {
                    if !line.allSatisfy(\.isWhitespace) { reader.addHistory(line) }
                    runChatLine(line, in: mode)
                    continue
                }
                if pending.isEmpty && isMetaCommand(line) {
                    reader.addHistory(line)
                    if runMeta(line) == .quit { return ExitStatus.ok }
                    continue
                }
                if !line.allSatisfy(\.isWhitespace) { reader.addHistory(line) }
                if pending.isEmpty, let arguments = bareChatArguments(line) {
                    enterChat(arguments)
                    continue
                }
                pending.append(line)
                if submit(pending.joined(separator: "\n")) != .incomplete { pending = [] }
            }
        }
    }

    enum SubmitResult { case done, incomplete }

    /// Evaluates one input; records it when it succeeds; prints its value or error.
    @discardableResult
    func submit(_ source: String) -> SubmitResult {
        if source.allSatisfy(\.isWhitespace) { return .done }
        let outcome = evaluate(source)
        if case .incomplete = outcome { return .incomplete }
        lastInput = source
        switch outcome {
        case .value(let echo):
            record(source)
            if let echo { output.write(echo.hasSuffix("\n") ? echo : echo + "\n") }
        case .syntaxErrors(let rendered):
            report(rendered, status: ExitStatus.syntaxError)
        case .runtimeError(let rendered):
            report(rendered, status: ExitStatus.runtimeError)
        case .incomplete:
            break
        }
        return .done
    }

    /// Evaluates with Ctrl-C routed to the session.
    func evaluate(_ source: String) -> InteractiveOutcome {
        let session = self.session
        let outcome = Interrupts.whileRunning(interrupt: { session.interrupt() }) {
            session.evaluateInteractive(source, name: Self.inputName)
        }
        // The terminal echoed ^C without a newline; start the error message on a line of its own.
        if reader.isInteractive && Interrupts.pending.exchange(false, ordering: .relaxed) { output.write("\n") }
        return outcome
    }

    func record(_ statement: String) {
        statements.append(statement)
        options.log?.append(statement)
    }

    func report(_ rendered: String, status: Int32) {
        failures += 1
        errors.write(rendered.hasSuffix("\n") ? rendered : rendered + "\n")
        if firstErrorStatus == nil { firstErrorStatus = status }
    }

    /// Input ended inside an unfinished statement: say so instead of dropping it silently.
    private func finishAtEndOfInput(_ pending: [String]) {
        let source = pending.joined(separator: "\n")
        switch session.runSource(source, name: Self.inputName) {
        case .syntaxErrors(let rendered, _): report(rendered, status: ExitStatus.syntaxError)
        case .runtimeError(let rendered): report(rendered, status: ExitStatus.runtimeError)
        case .ok: report("\(Self.inputName): error: input ended inside an unfinished statement", status: ExitStatus.syntaxError)
        }
    }

    /// Re-runs a transcript silently to restore its state (`--resume`), chunking its lines exactly
    /// as the REPL did when they were typed. Returns how many statements ran and how many failed.
    public func replay(_ transcript: String) -> (succeeded: Int, failed: Int) {
        var succeeded = 0, failed = 0
        var pending: [String] = []
        let lines = PlainLineReader(text: transcript)
        output.silenced {
            while case .line(let line) = lines.readLine(prompt: "") {
                pending.append(line)
                let source = pending.joined(separator: "\n")
                if source.allSatisfy(\.isWhitespace) { pending = []; continue }
                switch evaluate(source) {
                case .incomplete: continue
                case .value: statements.append(source); succeeded += 1
                case .syntaxErrors, .runtimeError: failed += 1
                }
                pending = []
            }
        }
        return (succeeded, failed)
    }
}

extension REPL {
    /// Appends further statements to `log` (after `--resume` replayed it).
    public func continueLog(_ log: SessionLog) {
        options.log = log
    }
}
