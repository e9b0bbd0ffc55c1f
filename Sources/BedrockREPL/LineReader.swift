// LineReader: how the REPL gets one line of input, whatever the source (terminal or pipe).
// The REPL loop only sees this protocol; libedit lives behind EditLineReader and pipes and tests
// use PlainLineReader. Not a terminal abstraction: output goes straight to the REPL's writer.

/// What one read produced.
public enum LineInput: Equatable, Sendable {
    /// A line without its newline.
    case line(String)
    /// Ctrl-C at the prompt: the REPL drops any pending continuation lines.
    case interrupted
    /// Ctrl-D or end of the stream: the REPL exits.
    case endOfInput
}

/// A source of input lines with a history.
public protocol LineReader: AnyObject {
    /// Shows `prompt` (when the reader is interactive) and reads one line.
    func readLine(prompt: String) -> LineInput
    /// Records a non-empty line so the user can recall it; persistent readers also save it.
    func addHistory(_ line: String)
    /// The history, oldest first, as `:history` shows it.
    var history: [String] { get }
    /// True when a person types at a terminal (prompts and banners are shown).
    var isInteractive: Bool { get }
}

/// Reads lines from a byte stream (a pipe, a file, stdin that is not a terminal) or from a
/// fixed list of lines in tests. Prints no prompt and keeps its history in memory only.
public final class PlainLineReader: LineReader {
    private var next: () -> String?
    public private(set) var history: [String] = []
    public let isInteractive = false

    /// Reads from standard input with Swift's `readLine()`.
    public init() {
        next = { Swift.readLine(strippingNewline: true) }
    }

    /// Reads the given text line by line (tests, `:load`-like replays).
    public init(text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var index = 0
        next = {
            guard index < lines.count else { return nil }
            defer { index += 1 }
            return lines[index]
        }
    }

    public func readLine(prompt: String) -> LineInput {
        guard var line = next() else { return .endOfInput }
        if line.hasSuffix("\r") { line.removeLast() }   // CRLF scripts from other systems
        return .line(line)
    }

    public func addHistory(_ line: String) {
        history.append(line)
    }
}
