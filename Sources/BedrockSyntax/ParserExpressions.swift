// Expression parsing by precedence climbing: or < and < not < comparison < + - < * / % < unary <
// postfix (call, index, member) < primary. Postfix `(` and `[` must touch the expression before
// them (`f(x)`, `xs[0]`); after a space they start a new command argument.

extension Parser {
    mutating func parseExpression() throws -> Expr {
        try nested { parser in try parser.parseOr() }
    }

    mutating func parseOr() throws -> Expr {
        var left = try parseAnd()
        while true {
            let token = peek()
            guard token.kind == .keyword(.or) || token.kind == .pipePipe else { return left }
            advance()
            left = Expr(.logical(.or, left, try parseAnd()), token.location)
        }
    }

    mutating func parseAnd() throws -> Expr {
        var left = try parseNot()
        while true {
            let token = peek()
            guard token.kind == .keyword(.and) || token.kind == .ampAmp else { return left }
            advance()
            left = Expr(.logical(.and, left, try parseNot()), token.location)
        }
    }

    mutating func parseNot() throws -> Expr {
        let token = peek()
        if token.kind == .keyword(.not) || token.kind == .bang {
            advance()
            return Expr(.unary(.not, try nested { parser in try parser.parseNot() }), token.location)
        }
        return try parseComparison()
    }

    mutating func parseComparison() throws -> Expr {
        var left = try parseAdditive()
        while true {
            let token = peek()
            let op: BinaryOp
            switch token.kind {
            case .equalEqual: op = .equal
            case .bangEqual: op = .notEqual
            case .less: op = .less
            case .lessEqual: op = .lessEqual
            case .greater: op = .greater
            case .greaterEqual: op = .greaterEqual
            case .keyword(.in): op = .in
            case .keyword(.not) where peekNext().kind == .keyword(.in):
                advance(); advance()
                left = Expr(.unary(.not, Expr(.binary(.in, left, try parseAdditive()), token.location)), token.location)
                continue
            default: return left
            }
            advance()
            left = Expr(.binary(op, left, try parseAdditive()), token.location)
        }
    }

    /// In a command argument, ` -x` (space before the minus, none after) starts a new argument.
    mutating func startsNewArgument(_ token: Token) -> Bool {
        guard commandArgument, token.spaceBefore else { return false }
        let next = tokens[min(position + 1, tokens.count - 1)]
        return !next.spaceBefore && next.kind != .newline
    }

    mutating func parseAdditive() throws -> Expr {
        var left = try parseMultiplicative()
        while true {
            let token = peek()
            let op: BinaryOp
            switch token.kind {
            case .plus: op = .add
            case .minus:
                if startsNewArgument(token) { return left }
                op = .subtract
            default: return left
            }
            advance()
            left = Expr(.binary(op, left, try parseMultiplicative()), token.location)
        }
    }

    mutating func parseMultiplicative() throws -> Expr {
        var left = try parseUnary()
        while true {
            let token = peek()
            let op: BinaryOp
            switch token.kind {
            case .star: op = .multiply
            case .slash: op = .divide
            case .percent: op = .modulo
            default: return left
            }
            advance()
            left = Expr(.binary(op, left, try parseUnary()), token.location)
        }
    }

    mutating func parseUnary() throws -> Expr {
        let token = peek()
        if token.kind == .minus {
            advance()
            let operand = try nested { parser in try parser.parseUnary() }
            switch operand.kind {   // fold literals so `-5` is a constant
            case .int(let i): return Expr(.int(-i), token.location)
            case .double(let d): return Expr(.double(-d), token.location)
            default: return Expr(.unary(.negate, operand), token.location)
            }
        }
        return try parsePostfix(try parsePrimary())
    }

    mutating func parsePostfix(_ base: Expr) throws -> Expr {
        var expr = base
        while true {
            let token = peek()
            switch token.kind {
            case .leftParen where !token.spaceBefore:
                advance()
                let arguments = try inBrackets { parser in try parser.parseArguments(closing: .rightParen) }
                expr = Expr(.call(callee: expr, arguments: arguments), token.location)
            case .leftBracket where !token.spaceBefore:
                advance()
                expr = try inBrackets { parser in try parser.parseIndex(expr, at: token.location) }
            case .dot:
                advance()
                let nameToken = peek()
                guard let name = nameToken.identifier ?? keywordName(nameToken) else { throw fail(expected: "a member name after '.'") }
                advance()
                expr = Expr(.member(expr, name), nameToken.location)
            default:
                return expr
            }
        }
    }

    func keywordName(_ token: Token) -> String? {
        if case .keyword(let k) = token.kind { return k.rawValue }
        return nil
    }

    /// Runs `body` inside brackets: newlines ignored, normal (not command-argument) expressions.
    mutating func inBrackets<T>(_ body: (inout Parser) throws -> T) throws -> T {
        let saved = commandArgument
        commandArgument = false
        defer { commandArgument = saved }
        return try withNewlines(ignored: true) { parser in try body(&parser) }
    }

    mutating func parseIndex(_ base: Expr, at location: SourceLocation) throws -> Expr {
        var from: Expr?
        if !check(.colon) { from = try parseExpression() }
        if match(.colon) {
            let to = check(.rightBracket) ? nil : try parseExpression()
            try expect(.rightBracket, "']' to close the slice")
            return Expr(.slice(base, from: from, to: to), location)
        }
        try expect(.rightBracket, "']' to close the index")
        return Expr(.index(base, from!), location)
    }

    /// Call arguments: positional, then `label: value`, separated by commas.
    mutating func parseArguments(closing: TokenKind) throws -> [Argument] {
        var arguments: [Argument] = []
        while !check(closing) {
            let start = position
            arguments.append(try parseArgument(after: arguments))
            if !match(.comma) { break }
            if position == start { throw fail(expected: "an argument") }
        }
        try expect(closing, "')' to close the argument list")
        return arguments
    }

    mutating func parseArgument(after previous: [Argument]) throws -> Argument {
        let token = peek()
        if let label = token.identifier ?? keywordName(token), peekNext().kind == .colon {
            advance(); advance()
            if previous.contains(where: { $0.label == label }) { report(.duplicateLabel(label), at: token.location) }
            return Argument(label: label, value: try parseExpression(), location: token.location)
        }
        if previous.last?.label != nil { report(.positionalAfterLabel, at: token.location) }
        return Argument(label: nil, value: try parseExpression(), location: token.location)
    }

    mutating func parsePrimary() throws -> Expr {
        let token = peek()
        let location = token.location
        switch token.kind {
        case .int(let i): advance(); return Expr(.int(i), location)
        case .double(let d): advance(); return Expr(.double(d), location)
        case .keyword(.true): advance(); return Expr(.bool(true), location)
        case .keyword(.false): advance(); return Expr(.bool(false), location)
        case .keyword(.nil): advance(); return Expr(.nil, location)
        case .identifier(let name): advance(); return Expr(.name(name), location)
        case .string(let segments): advance(); return parseString(segments, at: location)
        case .leftParen:
            advance()
            return try inBrackets { parser in
                let inner = try parser.parseExpression()
                try parser.expect(.rightParen, "')' to close the parenthesis")
                return inner
            }
        case .leftBracket:
            advance()
            return try inBrackets { parser in try parser.parseList(at: location) }
        case .leftBrace:
            advance()
            return try inBrackets { parser in try parser.parseRecord(at: location) }
        case .keyword(.fn):
            advance()
            let saved = commandArgument
            commandArgument = false
            defer { commandArgument = saved }
            return Expr(.function(try parseFunction(at: location, named: false)), location)
        default:
            throw fail(expected: "an expression")
        }
    }

    mutating func parseList(at location: SourceLocation) throws -> Expr {
        var items: [Expr] = []
        while !check(.rightBracket) {
            let start = position
            items.append(try parseExpression())
            if !match(.comma) { break }
            if position == start { throw fail(expected: "a list element") }
        }
        try expect(.rightBracket, "']' to close the list")
        return Expr(.list(items), location)
    }

    mutating func parseRecord(at location: SourceLocation) throws -> Expr {
        var fields: [RecordField] = []
        while !check(.rightBrace) {
            let start = position
            let token = peek()
            let key: String
            switch token.kind {
            case .identifier(let name): key = name
            case .keyword(let k): key = k.rawValue
            case .string(let segments) where segments.count == 1:
                guard case .text(let text) = segments[0] else { throw fail(expected: "a record key") }
                key = text
            default: throw fail(expected: "a record key (a name or a quoted string)")
            }
            advance()
            try expect(.colon, "':' after the record key")
            if fields.contains(where: { $0.key == key }) { report(.duplicateLabel(key), at: token.location) }
            fields.append(RecordField(key: key, value: try parseExpression(), location: token.location))
            if !match(.comma) { break }
            if position == start { throw fail(expected: "a record field") }
        }
        try expect(.rightBrace, "'}' to close the record")
        return Expr(.record(fields), location)
    }

    /// Builds a string or interpolation node, parsing each `\(…)` at its own location.
    mutating func parseString(_ segments: [StringSegment], at location: SourceLocation) -> Expr {
        if segments.count == 1, case .text(let text) = segments[0] { return Expr(.string(text), location) }
        var parts: [InterpolationPart] = []
        for segment in segments {
            switch segment {
            case .text(let text): parts.append(.text(text))
            case .code(let code, let start):
                var lexer = Lexer(source: code, file: start.file, startLine: start.line, startColumn: start.column)
                let subTokens = lexer.tokenize()
                var sub = Parser(tokens: subTokens, diagnostics: lexer.diagnostics, file: file)
                sub.ignoreNewlines = [true]
                sub.nesting = nesting
                var expr = Expr(.error, start)
                if subTokens.count == 1 {
                    sub.report(.unexpectedToken(found: "')'", expected: "an expression inside \\( )"), at: start)
                } else if let parsed = try? sub.parseExpression() {
                    expr = parsed
                    if !sub.check(.eof) { _ = sub.fail(expected: "')' to close the interpolation") }
                }
                diagnostics += sub.diagnostics
                parts.append(.expr(expr))
            }
        }
        return Expr(.interpolated(parts), location)
    }
}
