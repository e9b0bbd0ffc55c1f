// OutputMatching: how a notebook's expected output is compared with what a cell printed. Two
// masks keep legitimately varying values (latency, wall time) from failing a check: `…` in an
// expected line matches any run of text on that line, and a cell's `mask="regex"` attributes turn
// every match in the actual output into `…` before it is compared or written.

public enum OutputMatching {
    /// The wildcard character of expected output lines (U+2026, HORIZONTAL ELLIPSIS).
    public static let wildcard: Character = "…"

    /// Applies a cell's mask regexes to its output.
    public static func mask(_ text: String, patterns: [String]) -> String {
        var text = text
        for pattern in patterns {
            guard let regex = try? Regex(pattern) else { continue }   // validated when parsed
            text = text.replacing(regex, with: String(wildcard))
        }
        return text
    }

    /// True when `actual` fits `expected`, whose `…` match any run of characters. Trailing
    /// whitespace is ignored on both (editors strip it from Markdown).
    public static func line(_ expected: String, matches actual: String) -> Bool {
        let expected = trimTrailing(expected), actual = trimTrailing(actual)
        guard expected.contains(wildcard) else { return expected == actual }
        let parts = expected.split(separator: wildcard, omittingEmptySubsequences: false)
        guard let first = parts.first, let last = parts.last,
              actual.hasPrefix(first), actual.count >= first.count + last.count else { return false }
        var rest = Substring(actual).dropFirst(first.count)
        // Leftmost placement of each middle part is optimal for `*`-only patterns.
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.firstRange(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.count >= last.count && rest.hasSuffix(last)
    }

    /// Splits output into lines; empty output has no lines, and a final newline ends the last one.
    public static func lines(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if text.hasSuffix("\n") { lines.removeLast() }
        return lines
    }

    static func trimTrailing(_ line: String) -> Substring {
        var line = Substring(line)
        while let last = line.last, last == " " || last == "\t" || last == "\r" { line.removeLast() }
        return line
    }
}
