// SessionLog: the transcript of one REPL session in $BEDROCK_HOME/sessions/, appended as each
// statement succeeds (one write(2) per statement, so a crash loses nothing already accepted).
// The file is a runnable script; `bedrock repl --resume` replays the newest one. Not `:save`.
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public final class SessionLog {
    /// The transcript file; nil until the first statement (an empty session leaves no file).
    public private(set) var path: String?
    private let directory: String
    private var fd: Int32 = -1

    /// A new session in `directory`; its file is created with the first statement.
    public init(directory: String) {
        self.directory = directory
    }

    /// Continues an existing transcript (`--resume`).
    public init(resuming path: String) {
        self.directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        self.path = path
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Appends one statement (its lines as typed) and a newline.
    public func append(_ statement: String) {
        if fd < 0 { open() }
        guard fd >= 0 else { return }
        var text = statement.hasSuffix("\n") ? statement : statement + "\n"
        text.withUTF8 { bytes in _ = write(fd, bytes.baseAddress!, bytes.count) }
    }

    /// Ends this transcript; the next statement starts a new file (after `:reset`).
    public func startOver() {
        if fd >= 0 { close(fd) }
        fd = -1
        path = nil
    }

    private func open() {
        if path == nil { path = directory + "/" + Self.newFileName() }
        fd = openForAppend(path!)
    }

    /// `YYYYMMDD-HHMMSS-PID.bedrock` in UTC: names sort in start order.
    static func newFileName() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let date = pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2)
        let clock = pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2)
        return "\(date)-\(clock)-\(getpid()).bedrock"
    }

    /// The most recently modified non-empty transcript in `directory`, if any (ties: the later name).
    public static func latest(in directory: String) -> String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var best: (path: String, seconds: Int, nanoseconds: Int, name: String)?
        for name in names where name.hasSuffix(".bedrock") {
            let path = directory + "/" + name
            var info = stat()
            guard stat(path, &info) == 0, info.st_size > 0 else { continue }
            #if canImport(Glibc)
            let modified = info.st_mtim
            #else
            let modified = info.st_mtimespec
            #endif
            let seconds = Int(modified.tv_sec), nanoseconds = Int(modified.tv_nsec)
            if let current = best, (current.seconds, current.nanoseconds, current.name) >= (seconds, nanoseconds, name) { continue }
            best = (path, seconds, nanoseconds, name)
        }
        return best?.path
    }
}

/// open(2) for appending, outside the class whose own `open()` would shadow it.
private func openForAppend(_ path: String) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
}
