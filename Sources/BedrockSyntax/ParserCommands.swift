// Command calls: `name arg arg label: value` at the start of a statement or after `=`. A name
// followed on the same line (after a space) by something that can start an expression begins a
// command call; each argument is a full expression parsed greedily. Everything else falls back to
// an ordinary expression.

extension Parser {
    mutating func parseCommandOrExpression() throws -> Expr {
        let token = peek()
        guard let name = token.identifier else { return try parseExpression() }
        let next = tokens[position + 1]
        if isTerminator(next) {
            advance()
            return Expr(.command(name: name, arguments: []), token.location)
        }
        guard canStartArgument(next, after: position + 1) else { return try parseExpression() }
        advance()
        return Expr(.command(name: name, arguments: try parseCommandArguments()), token.location)
    }

    func isTerminator(_ token: Token) -> Bool {
        switch token.kind {
        case .newline, .semicolon, .eof, .rightBrace: return true
        default: return false
        }
    }

    /// Whether `token` (at `index`) starts a command argument: it follows a space and can begin an
    /// expression; a minus only when it touches what follows (`cmd -1`, not `x - 1`).
    func canStartArgument(_ token: Token, after index: Int) -> Bool {
        guard token.spaceBefore else { return false }
        switch token.kind {
        case .int, .double, .string, .identifier, .leftBracket, .leftParen, .leftBrace, .bang: return true
        case .keyword(.true), .keyword(.false), .keyword(.nil), .keyword(.not), .keyword(.fn): return true
        case .minus:
            let after = tokens[min(index + 1, tokens.count - 1)]
            return !after.spaceBefore && after.kind != .newline && after.kind != .eof
        default: return false
        }
    }

    mutating func parseCommandArguments() throws -> [Argument] {
        var arguments: [Argument] = []
        let saved = commandArgument
        commandArgument = true
        defer { commandArgument = saved }
        while !atStatementEnd() {
            let start = position
            arguments.append(try parseArgument(after: arguments))
            _ = match(.comma)
            if position == start { throw fail(expected: "a command argument") }
        }
        return arguments
    }
}
