// Notebook: a Markdown file read as a list of ```bedrock cells, each optionally followed by an
// ```output cell. Only fences are parsed (CommonMark's rules for them); all other Markdown is kept
// verbatim as lines so `--update` can rewrite output cells without touching anything else.

/// One ```output cell: the fence lines and the text between them.
public struct OutputCell: Equatable, Sendable {
    /// 0-based line index of the opening fence.
    public var openLine: Int
    /// 0-based index of the closing fence (the content is the lines in between).
    public var closeLine: Int
    public var fence: String
    public var lines: [String]
}

/// One ```bedrock cell.
public struct CodeCell: Equatable, Sendable {
    /// 1-based number among the notebook's bedrock cells.
    public var number: Int
    public var openLine: Int
    public var closeLine: Int
    public var source: String
    /// Regular expressions from `mask="…"` in the info string: what they match in the actual
    /// output is replaced by `…` before comparing and writing.
    public var masks: [String]
    public var output: OutputCell?

    /// 1-based line of the first source line, for messages.
    public var firstSourceLine: Int { openLine + 2 }
}

public enum NotebookError: Error, Equatable, CustomStringConvertible {
    case unclosedFence(file: String, line: Int)
    case badInfoString(file: String, line: Int, message: String)
    case badMask(file: String, line: Int, pattern: String, message: String)

    public var description: String {
        switch self {
        case .unclosedFence(let file, let line):
            "\(file):\(line): error: this code fence is never closed (add a line of ``` after the cell)"
        case .badInfoString(let file, let line, let message):
            "\(file):\(line): error: \(message)"
        case .badMask(let file, let line, let pattern, let message):
            "\(file):\(line): error: mask \"\(pattern)\" is not a valid regular expression: \(message)"
        }
    }
}

public struct Notebook: Sendable {
    /// The file's lines without their newlines.
    public var lines: [String]
    public var endsWithNewline: Bool
    public var cells: [CodeCell]

    /// Parses `text`; `file` names the notebook in error messages.
    public init(text: String, file: String) throws(NotebookError) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        endsWithNewline = text.hasSuffix("\n")
        if endsWithNewline { lines.removeLast() }
        self.lines = lines
        cells = try Self.parseCells(lines, file: file)
    }

    /// The text again, with any edits made to `lines`.
    public var text: String {
        lines.joined(separator: "\n") + (endsWithNewline && !lines.isEmpty ? "\n" : "")
    }

    private struct Fence { var open: Int; var close: Int; var marker: String; var info: String }

    private static func parseCells(_ lines: [String], file: String) throws(NotebookError) -> [CodeCell] {
        var fences: [Fence] = []
        var index = 0
        while index < lines.count {
            guard let (marker, info) = openingFence(lines[index]) else { index += 1; continue }
            var close = index + 1
            while close < lines.count && !isClosingFence(lines[close], for: marker) { close += 1 }
            if close == lines.count { throw .unclosedFence(file: file, line: index + 1) }
            fences.append(Fence(open: index, close: close, marker: marker, info: info))
            index = close + 1
        }
        var cells: [CodeCell] = []
        for (position, fence) in fences.enumerated() where language(of: fence.info) == "bedrock" {
            let attributes = try InfoString.attributes(fence.info, file: file, line: fence.open + 1)
            var cell = CodeCell(
                number: cells.count + 1, openLine: fence.open, closeLine: fence.close,
                source: lines[(fence.open + 1)..<fence.close].joined(separator: "\n"),
                masks: attributes.filter { $0.key == "mask" }.map(\.value), output: nil)
            for mask in cell.masks {
                do { _ = try Regex(mask) } catch {
                    throw .badMask(file: file, line: fence.open + 1, pattern: mask, message: "\(error)")
                }
            }
            if position + 1 < fences.count {
                let next = fences[position + 1]
                let between = lines[(fence.close + 1)..<next.open]
                if language(of: next.info) == "output" && between.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
                    cell.output = OutputCell(openLine: next.open, closeLine: next.close, fence: next.marker,
                                             lines: Array(lines[(next.open + 1)..<next.close]))
                }
            }
            cells.append(cell)
        }
        return cells
    }

    /// A fence opens with 3+ backticks or tildes after at most 3 spaces; the rest is the info string.
    static func openingFence(_ line: String) -> (marker: String, info: String)? {
        let indent = line.prefix(while: { $0 == " " }).count
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        guard let first = rest.first, first == "`" || first == "~" else { return nil }
        let marker = rest.prefix(while: { $0 == first })
        guard marker.count >= 3 else { return nil }
        let info = rest.dropFirst(marker.count).trimmed
        if first == "`" && info.contains("`") { return nil }   // CommonMark: not a fence
        return (String(marker), info)
    }

    static func isClosingFence(_ line: String, for marker: String) -> Bool {
        let indent = line.prefix(while: { $0 == " " }).count
        guard indent <= 3, let char = marker.first else { return false }
        let rest = line.dropFirst(indent)
        let run = rest.prefix(while: { $0 == char })
        return run.count >= marker.count && rest.dropFirst(run.count).allSatisfy(\.isWhitespace)
    }

    static func language(of info: String) -> String {
        String(info.prefix(while: { !$0.isWhitespace && $0 != "{" }))
    }
}

/// `key="value"` pairs after the language word of an info string (`bedrock mask="\d+ ms"`).
enum InfoString {
    static func attributes(_ info: String, file: String, line: Int) throws(NotebookError) -> [(key: String, value: String)] {
        var rest = Substring(info).drop(while: { !$0.isWhitespace })
        var result: [(String, String)] = []
        while true {
            rest = rest.drop(while: \.isWhitespace)
            guard !rest.isEmpty else { return result }
            let key = rest.prefix(while: { $0.isLetter || $0 == "_" || $0 == "-" })
            rest = rest.dropFirst(key.count)
            guard !key.isEmpty, rest.first == "=", let quote = rest.dropFirst().first, quote == "\"" || quote == "'" else {
                throw .badInfoString(file: file, line: line,
                                     message: "expected key=\"value\" in the cell's info string, found '\(rest.prefix(20))'")
            }
            rest = rest.dropFirst(2)
            var value = ""
            while let char = rest.first, char != quote {
                if char == "\\", let escaped = rest.dropFirst().first, escaped == quote {
                    value.append(escaped); rest = rest.dropFirst(2)
                } else {
                    value.append(char); rest = rest.dropFirst()
                }
            }
            guard rest.first == quote else {
                throw .badInfoString(file: file, line: line, message: "the value of \(key) has no closing \(quote)")
            }
            rest = rest.dropFirst()
            result.append((String(key), value))
        }
    }
}
