// Console: the front ends' two output streams. Standard output stays buffered by C stdio when it
// is a pipe or file (fast for scripts that print a lot), is flushed at once at a terminal (streamed
// answers), and is flushed before anything goes to standard error, so the two interleave in the
// order they were produced when both land in one pipe or terminal.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum Console {
    /// Writes to standard output: buffered into a pipe or file, at once to a terminal.
    public static func out(_ text: String) {
        print(text, terminator: "")
        // A streamed answer arrives in pieces without a newline; line-buffered stdio would hold
        // them until the line ends, so at a terminal each piece is pushed out as it comes.
        if stdoutIsTerminal { fflush(nil) }
    }

    private static let stdoutIsTerminal = isatty(1) != 0

    /// Flushes standard output, then writes to standard error (unbuffered).
    public static func err(_ text: String) {
        fflush(nil)
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }

    /// Pushes buffered standard output to the terminal (before reading input, before exiting).
    public static func flush() {
        fflush(nil)
    }

    /// True when standard input is a terminal.
    public static var stdinIsTerminal: Bool { isatty(0) != 0 }
}
