// StringEscapes: turns the raw content of a string literal into text and interpolation segments,
// resolving escapes (\n \t \r \0 \" \\ \u{…}) and reporting bad ones with their exact column.
// It does not parse the interpolated code; the parser lexes and parses it at its real location.

enum StringEscapes {
    static func segments(_ content: [Unicode.Scalar], start: SourceLocation,
                         diagnostics: inout [Diagnostic]) -> [StringSegment] {
        var result: [StringSegment] = []
        var text = String.UnicodeScalarView()
        var i = 0
        func at(_ offset: Int) -> SourceLocation {
            SourceLocation(file: start.file, line: start.line, column: start.column + offset)
        }
        while i < content.count {
            let c = content[i]
            guard c == "\\", i + 1 < content.count else {
                if c == "\\" { diagnostics.append(Diagnostic(.invalidEscape("\\"), at: at(i))) } else { text.append(c) }
                i += 1
                continue
            }
            let e = content[i + 1]
            switch e {
            case "n": text.append("\n")
            case "t": text.append("\t")
            case "r": text.append("\r")
            case "0": text.append("\0")
            case "\"", "\\", "'": text.append(e)
            case "u":
                if let (scalar, length) = unicodeEscape(content, from: i + 2) {
                    text.append(scalar)
                    i += 2 + length
                    continue
                }
                diagnostics.append(Diagnostic(.invalidEscape("\\u"), at: at(i)))
            case "(":
                var depth = 1
                var j = i + 2
                var inString = false
                while j < content.count {
                    let d = content[j]
                    if inString {
                        if d == "\\" { j += 1 } else if d == "\"" { inString = false }
                    } else if d == "\"" { inString = true } else if d == "(" { depth += 1 } else if d == ")" {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    j += 1
                }
                if !text.isEmpty { result.append(.text(String(text))); text = String.UnicodeScalarView() }
                let code = String(String.UnicodeScalarView(content[(i + 2)..<min(j, content.count)]))
                result.append(.code(code, at(i + 2)))
                if j >= content.count {
                    diagnostics.append(Diagnostic(.unexpectedToken(found: "end of string", expected: "')' closing the interpolation"), at: at(i)))
                }
                i = j + 1
                continue
            default:
                diagnostics.append(Diagnostic(.invalidEscape("\\" + String(e)), at: at(i)))
            }
            i += 2
        }
        if !text.isEmpty || result.isEmpty { result.append(.text(String(text))) }
        return result
    }

    /// `{1F600}` → the scalar and the number of scalars consumed.
    private static func unicodeEscape(_ content: [Unicode.Scalar], from start: Int) -> (Unicode.Scalar, Int)? {
        guard start < content.count, content[start] == "{" else { return nil }
        var hex = ""
        var j = start + 1
        while j < content.count, content[j] != "}", hex.count <= 8 { hex.unicodeScalars.append(content[j]); j += 1 }
        guard j < content.count, !hex.isEmpty, let value = UInt32(hex, radix: 16),
              let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, j - start + 1)
    }

    /// Joins adjacent text segments.
    static func merged(_ segments: [StringSegment]) -> [StringSegment] {
        var result: [StringSegment] = []
        for segment in segments {
            if case .text(let b) = segment, case .text(let a)? = result.last {
                result[result.count - 1] = .text(a + b)
            } else {
                result.append(segment)
            }
        }
        return result.isEmpty ? [.text("")] : result
    }
}
