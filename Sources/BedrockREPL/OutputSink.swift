// OutputSink: where a session's and the REPL's text goes. One object so the REPL can mute the
// session while `--resume` replays a transcript, and so tests can capture stdout and stderr
// interleaved in one transcript. Thread-safe: the session may print from its own threads.
import Synchronization

public final class OutputSink: Sendable {
    private let writer: @Sendable (String) -> Void
    private let muted = Atomic<Bool>(false)

    public init(_ writer: @escaping @Sendable (String) -> Void) {
        self.writer = writer
    }

    /// Standard output (buffered, see Console).
    public static let standardOutput = OutputSink { Console.out($0) }
    /// Standard error (flushes standard output first).
    public static let standardError = OutputSink { Console.err($0) }

    public func write(_ text: String) {
        if !muted.load(ordering: .relaxed) { writer(text) }
    }

    /// Runs `body` with this sink silenced.
    public func silenced<T>(_ body: () -> T) -> T {
        let was = muted.exchange(true, ordering: .relaxed)
        defer { muted.store(was, ordering: .relaxed) }
        return body()
    }
}

/// Collects text in memory (tests, notebook cells).
public final class TextCollector: Sendable {
    private let text = Mutex("")

    public init() {}

    public var sink: OutputSink {
        OutputSink { [self] piece in text.withLock { $0 += piece } }
    }

    /// Returns what was collected and starts empty again.
    public func take() -> String {
        text.withLock { value in
            defer { value = "" }
            return value
        }
    }
}
