// Token: the lexer's output unit. Each token knows its location, its source text (for "near 'x'"
// messages) and whether whitespace preceded it, because command calls are whitespace-sensitive
// (`f(x)` is a call, `f (x)` passes a parenthesised argument). No parsing decisions live here.

/// Reserved words. Everything else that looks like a word is an identifier.
public enum Keyword: String, Sendable, CaseIterable {
    case `let`, `var`, `fn`, `if`, `else`, `for`, `in`, `while`, `break`, `continue`, `return`
    case `import`, `assert`, `true`, `false`, `nil`, `and`, `or`, `not`
}

/// One piece of a string literal: literal text, or the source of an interpolated `\(expr)`.
public enum StringSegment: Sendable, Equatable {
    case text(String)
    /// The expression's source text and the location of its first character.
    case code(String, SourceLocation)
}

public enum TokenKind: Sendable, Equatable {
    case int(Int)
    case double(Double)
    case string([StringSegment])
    case identifier(String)
    case keyword(Keyword)
    case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
    case comma, dot, colon, semicolon, newline
    case plus, minus, star, slash, percent
    case equalEqual, bangEqual, less, lessEqual, greater, greaterEqual
    case assign, plusAssign, minusAssign, starAssign, slashAssign
    case arrow, bang, ampAmp, pipePipe
    /// A character the lexer could not use; the lexer has already reported it.
    case invalid
    case eof
}

public struct Token: Sendable, Equatable {
    public var kind: TokenKind
    public var location: SourceLocation
    /// The exact source text of the token (empty for end of input).
    public var text: String
    /// True when a space, tab or comment separates this token from the previous one on the same
    /// line, or when it is the first token of a line.
    public var spaceBefore: Bool

    public init(kind: TokenKind, location: SourceLocation, text: String, spaceBefore: Bool) {
        self.kind = kind
        self.location = location
        self.text = text
        self.spaceBefore = spaceBefore
    }

    /// How the token is named in "near '…'" messages.
    public var display: String {
        switch kind {
        case .eof: return "end of input"
        case .newline: return "end of line"
        default: return "'\(text)'"
        }
    }

    public var identifier: String? {
        if case .identifier(let name) = kind { return name }
        return nil
    }

    public func isKeyword(_ keyword: Keyword) -> Bool { kind == .keyword(keyword) }
}
