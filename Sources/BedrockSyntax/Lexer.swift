// Lexer: source text → tokens with locations. Reports malformed input (bad characters, escapes,
// unterminated strings) as Diagnostics and keeps going, so one run reports every problem.
// It does not decide which newlines matter: the parser ignores them inside brackets.

public struct Lexer {
    private let scalars: [Unicode.Scalar]
    private let file: String
    private var index = 0
    private var line: Int
    private var column: Int
    public private(set) var diagnostics: [Diagnostic] = []

    /// `startLine`/`startColumn` let the parser lex an interpolated `\(…)` at its real position.
    public init(source: String, file: String, startLine: Int = 1, startColumn: Int = 1) {
        self.scalars = Array(source.unicodeScalars)
        self.file = file
        self.line = startLine
        self.column = startColumn
    }

    /// Lexes everything; the last token is always `.eof`.
    public mutating func tokenize() -> [Token] {
        var tokens: [Token] = []
        var spaceBefore = true
        while true {
            spaceBefore = skipSpaceAndComments() || spaceBefore
            let start = location
            guard let c = peek() else {
                tokens.append(Token(kind: .eof, location: start, text: "", spaceBefore: spaceBefore))
                return tokens
            }
            let startIndex = index
            let kind = lexToken(c, start: start)
            let text = String(String.UnicodeScalarView(scalars[startIndex..<index]))
            tokens.append(Token(kind: kind, location: start, text: text, spaceBefore: spaceBefore))
            spaceBefore = kind == .newline
        }
    }

    private var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    @discardableResult
    private mutating func advance() -> Unicode.Scalar {
        let c = scalars[index]
        index += 1
        if c == "\n" { line += 1; column = 1 } else { column += 1 }
        return c
    }

    private mutating func report(_ error: SyntaxError, at location: SourceLocation) {
        diagnostics.append(Diagnostic(error, at: location))
    }

    /// Skips blanks and `#` comments (not newlines); returns whether anything was skipped.
    private mutating func skipSpaceAndComments() -> Bool {
        var skipped = false
        while let c = peek() {
            if c == " " || c == "\t" || c == "\r" {
                advance()
            } else if c == "#" {
                while let d = peek(), d != "\n" { advance() }
            } else {
                break
            }
            skipped = true
        }
        return skipped
    }

    private mutating func lexToken(_ c: Unicode.Scalar, start: SourceLocation) -> TokenKind {
        if c == "\n" { advance(); return .newline }
        if c.properties.isAlphabetic || c == "_" { return lexWord() }
        if ("0"..."9").contains(c) { return lexNumber(start: start) }
        if c == "\"" { return lexString(start: start) }
        advance()
        switch c {
        case "(": return .leftParen
        case ")": return .rightParen
        case "[": return .leftBracket
        case "]": return .rightBracket
        case "{": return .leftBrace
        case "}": return .rightBrace
        case ",": return .comma
        case ".": return .dot
        case ":": return .colon
        case ";": return .semicolon
        case "%": return .percent
        case "+": return match("=") ? .plusAssign : .plus
        case "-": return match("=") ? .minusAssign : .minus
        case "*": return match("=") ? .starAssign : .star
        case "/": return match("=") ? .slashAssign : .slash
        case "=": return match("=") ? .equalEqual : (match(">") ? .arrow : .assign)
        case "!": return match("=") ? .bangEqual : .bang
        case "<": return match("=") ? .lessEqual : .less
        case ">": return match("=") ? .greaterEqual : .greater
        case "&" where match("&"): return .ampAmp
        case "|" where match("|"): return .pipePipe
        default:
            report(.invalidCharacter(String(c)), at: start)
            return .invalid
        }
    }

    private mutating func match(_ expected: Unicode.Scalar) -> Bool {
        guard peek() == expected else { return false }
        advance()
        return true
    }

    private mutating func lexWord() -> TokenKind {
        var word = String.UnicodeScalarView()
        while let c = peek(), c.properties.isAlphabetic || c == "_" || ("0"..."9").contains(c) {
            word.append(advance())
        }
        let text = String(word)
        if let keyword = Keyword(rawValue: text) { return .keyword(keyword) }
        return .identifier(text)
    }

    private mutating func lexNumber(start: SourceLocation) -> TokenKind {
        var digits = ""
        var isDouble = false
        func isDigit(_ c: Unicode.Scalar?) -> Bool { c.map { ("0"..."9").contains($0) } ?? false }
        while let c = peek(), isDigit(c) || c == "_" { let d = advance(); if d != "_" { digits.unicodeScalars.append(d) } }
        if peek() == ".", isDigit(peek(1)) {
            isDouble = true
            digits.unicodeScalars.append(advance())
            while let c = peek(), isDigit(c) || c == "_" { let d = advance(); if d != "_" { digits.unicodeScalars.append(d) } }
        }
        if peek() == "e" || peek() == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if isDigit(peek(signed ? 2 : 1)) {
                isDouble = true
                digits.unicodeScalars.append(advance())
                if signed { digits.unicodeScalars.append(advance()) }
                while isDigit(peek()) { digits.unicodeScalars.append(advance()) }
            }
        }
        if isDouble {
            guard let value = Double(digits), value.isFinite else {
                report(.numberOutOfRange(digits), at: start)
                return .double(0)
            }
            return .double(value)
        }
        guard let value = Int(digits) else {
            report(.numberOutOfRange(digits), at: start)
            return .int(0)
        }
        return .int(value)
    }
}

// MARK: - Strings

extension Lexer {
    private mutating func lexString(start: SourceLocation) -> TokenKind {
        if peek(1) == "\"", peek(2) == "\"" { return lexMultilineString(start: start) }
        advance()  // opening quote
        let contentStart = location
        var content: [Unicode.Scalar] = []
        while true {
            guard let c = peek(), c != "\n" else {
                report(.unterminatedString, at: start)
                return .string(StringEscapes.segments(content, start: contentStart, diagnostics: &diagnostics))
            }
            if c == "\"" { advance(); break }
            if c == "\\" {
                content.append(advance())
                guard let next = peek(), next != "\n" else { continue }
                content.append(advance())
                if next == "(" { readInterpolation(into: &content) }
                continue
            }
            content.append(advance())
        }
        return .string(StringEscapes.segments(content, start: contentStart, diagnostics: &diagnostics))
    }

    /// Copies the body of `\(…)` (after its opening paren) up to and including the balancing `)`,
    /// skipping over nested string literals so a `)` inside them does not end it.
    private mutating func readInterpolation(into content: inout [Unicode.Scalar]) {
        var depth = 1
        var inString = false
        while let c = peek(), c != "\n" {
            content.append(advance())
            if inString {
                if c == "\\", let next = peek(), next != "\n" { content.append(advance()) } else if c == "\"" { inString = false }
                continue
            }
            if c == "\"" { inString = true } else if c == "(" { depth += 1 } else if c == ")" {
                depth -= 1
                if depth == 0 { return }
            }
        }
    }

    /// `"""` newline, lines, then a line holding only indentation and `"""`. That indentation is
    /// removed from every line (like Swift), and the last line break is not part of the string.
    private mutating func lexMultilineString(start: SourceLocation) -> TokenKind {
        advance(); advance(); advance()
        _ = skipSpaceAndComments()
        guard peek() == "\n" else {
            if peek() == nil { report(.unexpectedEndOfInput(expected: "the lines of a multi-line string"), at: location) }
            else { report(.expectedLineBreakAfterOpeningQuotes, at: location) }
            while let c = peek(), c != "\n" { advance() }
            return .string([])
        }
        advance()
        var lines: [(text: [Unicode.Scalar], line: Int)] = []
        while true {
            guard peek() != nil else {
                report(.unexpectedEndOfInput(expected: "closing \"\"\""), at: location)
                return .string([])
            }
            let lineNumber = line
            var end = index
            while end < scalars.count, scalars[end] != "\n" { end += 1 }
            let text = Array(scalars[index..<end])
            let trimmed = text.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.starts(with: ["\"", "\"", "\""]) {
                let indent = text.count - trimmed.count
                for _ in 0..<(indent + 3) { advance() }
                return .string(joinMultiline(lines, indent: Array(text.prefix(indent))))
            }
            while index < end { advance() }
            lines.append((text, lineNumber))
            if peek() == "\n" { advance() }
        }
    }

    private mutating func joinMultiline(_ lines: [(text: [Unicode.Scalar], line: Int)], indent: [Unicode.Scalar]) -> [StringSegment] {
        var segments: [StringSegment] = []
        for (number, entry) in lines.enumerated() {
            var text = entry.text
            if text.starts(with: indent) {
                text.removeFirst(indent.count)
            } else if !text.allSatisfy({ $0 == " " || $0 == "\t" }) {
                report(.multilineStringIndentation, at: SourceLocation(file: file, line: entry.line, column: 1))
            } else {
                text = []
            }
            if text.last == "\r" { text.removeLast() }
            let start = SourceLocation(file: file, line: entry.line, column: indent.count + 1)
            segments += StringEscapes.segments(text, start: start, diagnostics: &diagnostics)
            if number < lines.count - 1 { segments.append(.text("\n")) }
        }
        return StringEscapes.merged(segments)
    }
}
