// Parser: tokens → statements, by recursive descent. Errors are collected as Diagnostics; on an
// error the parser skips to the next statement boundary (panic mode) and goes on, so one run
// reports every syntax error. Every loop checks that it consumed a token (no hangs), and nesting
// is limited. Expressions are in ParserExpressions.swift; command calls in ParserCommands.swift.

/// The result of parsing one file or REPL entry.
public struct ParseResult: Sendable {
    public var statements: [Stmt]
    public var diagnostics: [Diagnostic]
    /// True when every error is "unexpected end of input": the REPL should read more lines.
    public var isIncomplete: Bool { !diagnostics.isEmpty && diagnostics.allSatisfy(\.isUnexpectedEndOfInput) }
}

public struct Parser {
    /// Deeper nesting would overflow the native stack of the recursive descent (and of the
    /// evaluator); 200 levels is far beyond hand-written code and generated JSON-like literals.
    public static let maxNestingDepth = 200

    var tokens: [Token]
    var position = 0
    var diagnostics: [Diagnostic]
    /// Top of stack true: newlines are insignificant (inside (), [] and record {}).
    var ignoreNewlines: [Bool] = [false]
    var nesting = 0
    var loopDepth = 0
    var functionDepth = 0
    /// Inside a command call's argument: `(` / `[` after a space and ` -x` start a new argument.
    var commandArgument = false
    let file: String

    /// Parses a whole source text.
    public static func parse(source: String, file: String) -> ParseResult {
        var lexer = Lexer(source: source, file: file)
        let tokens = lexer.tokenize()
        var parser = Parser(tokens: tokens, diagnostics: lexer.diagnostics, file: file)
        let statements = parser.parseProgram()
        return ParseResult(statements: statements, diagnostics: parser.diagnostics.sorted(by: Parser.order))
    }

    init(tokens: [Token], diagnostics: [Diagnostic], file: String) {
        self.tokens = tokens
        self.diagnostics = diagnostics
        self.file = file
    }

    public static func order(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        (a.location.line, a.location.column) < (b.location.line, b.location.column)
    }

    /// Thrown after a diagnostic is recorded, to unwind to the statement loop.
    struct Abort: Error {}

    // MARK: token access

    mutating func peek() -> Token {
        if ignoreNewlines.last == true {
            // Inside brackets newlines do not count, except before a word that can only start a
            // statement: then the bracket was left open by mistake, and stopping at the line end
            // gives a precise error and lets recovery resume on the next line.
            while tokens[position].kind == .newline, !Parser.startsStatement(tokens[position + 1]) { position += 1 }
        }
        return tokens[position]
    }

    static func startsStatement(_ token: Token) -> Bool {
        switch token.kind {
        case .keyword(.let), .keyword(.var), .keyword(.if), .keyword(.for), .keyword(.while), .keyword(.import),
             .keyword(.assert), .keyword(.break), .keyword(.continue), .keyword(.return):
            return true
        default:
            return false
        }
    }

    /// The token after the current one, ignoring newline mode (used for one-token lookahead).
    mutating func peekNext() -> Token {
        _ = peek()
        return tokens[min(position + 1, tokens.count - 1)]
    }

    mutating func check(_ kind: TokenKind) -> Bool { peek().kind == kind }

    @discardableResult
    mutating func advance() -> Token {
        let token = peek()
        if token.kind != .eof { position += 1 }
        return token
    }

    mutating func match(_ kind: TokenKind) -> Bool {
        guard check(kind) else { return false }
        advance()
        return true
    }

    @discardableResult
    mutating func expect(_ kind: TokenKind, _ what: String) throws -> Token {
        if check(kind) { return advance() }
        throw fail(expected: what)
    }

    /// Records "expected X near Y" (or unexpected end of input) at the current token.
    mutating func fail(expected: String) -> Abort {
        let token = peek()
        if token.kind == .eof {
            report(.unexpectedEndOfInput(expected: expected), at: token.location)
        } else if token.kind != .invalid {   // the lexer already reported invalid characters
            report(.unexpectedToken(found: token.display, expected: expected), at: token.location)
        }
        return Abort()
    }

    mutating func report(_ error: SyntaxError, at location: SourceLocation) {
        diagnostics.append(Diagnostic(error, at: location))
    }

    mutating func withNewlines<T>(ignored: Bool, _ body: (inout Parser) throws -> T) rethrows -> T {
        ignoreNewlines.append(ignored)
        defer { ignoreNewlines.removeLast() }
        return try body(&self)
    }

    mutating func nested<T>(_ body: (inout Parser) throws -> T) throws -> T {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Parser.maxNestingDepth {
            report(.nestingTooDeep(limit: Parser.maxNestingDepth), at: peek().location)
            throw Abort()
        }
        return try body(&self)
    }

    // MARK: statements

    mutating func parseProgram() -> [Stmt] {
        let statements = parseStatements(untilBrace: false)
        return statements
    }

    /// Statements up to `}` (not consumed) or end of input.
    mutating func parseStatements(untilBrace: Bool) -> [Stmt] {
        var statements: [Stmt] = []
        while true {
            let start = position
            while match(.newline) || match(.semicolon) {}
            let token = peek()
            if token.kind == .eof || (untilBrace && token.kind == .rightBrace) { break }
            let savedModes = ignoreNewlines
            let savedCommand = commandArgument
            do {
                statements.append(try parseStatement())
                try expectStatementEnd()
            } catch {
                ignoreNewlines = savedModes
                commandArgument = savedCommand
                synchronize()
            }
            if position == start { advance() }   // progress guard: never loop on the same token
        }
        return statements
    }

    mutating func expectStatementEnd() throws {
        switch peek().kind {
        case .newline, .semicolon, .eof, .rightBrace: return
        default: throw fail(expected: "end of statement (a new line or ';')")
        }
    }

    /// Panic mode: skip to the end of the current statement (a newline or `;` outside brackets, or a
    /// `}` that closes the enclosing block).
    mutating func synchronize() {
        var depth = 0
        while true {
            let token = tokens[position]
            switch token.kind {
            case .eof: return
            case .newline, .semicolon: if depth <= 0 { return }
            case .leftParen, .leftBracket, .leftBrace: depth += 1
            case .rightParen, .rightBracket: depth = max(0, depth - 1)
            case .rightBrace:
                if depth <= 0 { return }
                depth -= 1
            default: break
            }
            position += 1
        }
    }

    mutating func parseStatement() throws -> Stmt {
        let token = peek()
        switch token.kind {
        case .keyword(.let), .keyword(.var): return try parseDeclaration()
        case .keyword(.fn) where peekNext().identifier != nil:
            advance()
            let decl = try parseFunction(at: token.location, named: true)
            return Stmt(.function(decl), token.location)
        case .keyword(.if): return try parseIf()
        case .keyword(.for): return try parseFor()
        case .keyword(.while): return try parseWhile()
        case .keyword(.break), .keyword(.continue):
            advance()
            if loopDepth == 0 { report(.outsideLoop(token.text), at: token.location) }
            return Stmt(token.kind == .keyword(.break) ? .break : .continue, token.location)
        case .keyword(.return):
            advance()
            if functionDepth == 0 { report(.returnOutsideFunction, at: token.location) }
            let value = atStatementEnd() ? nil : try parseCommandOrExpression()
            return Stmt(.return(value), token.location)
        case .keyword(.import):
            advance()
            let pathToken = peek()
            guard case .string(let segments) = pathToken.kind, segments.count == 1, case .text(let path) = segments[0] else {
                throw fail(expected: "a file name in quotes after 'import'")
            }
            advance()
            return Stmt(.import(path: path), token.location)
        case .keyword(.assert): return try parseAssert()
        default: return try parseExpressionStatement()
        }
    }

    mutating func atStatementEnd() -> Bool {
        switch peek().kind {
        case .newline, .semicolon, .eof, .rightBrace: return true
        default: return false
        }
    }

    mutating func parseDeclaration() throws -> Stmt {
        let keyword = advance()
        let nameToken = peek()
        guard let name = nameToken.identifier else { throw fail(expected: "a variable name after '\(keyword.text)'") }
        advance()
        try expect(.assign, "'=' after the variable name")
        let value = try parseCommandOrExpression()
        return Stmt(.declaration(name: name, mutable: keyword.kind == .keyword(.var), value: value), nameToken.location)
    }

    mutating func parseExpressionStatement() throws -> Stmt {
        let start = peek().location
        let expr = try parseCommandOrExpression()
        let opToken = peek()
        let op: AssignOp?
        switch opToken.kind {
        case .assign: op = .assign
        case .plusAssign: op = .add
        case .minusAssign: op = .subtract
        case .starAssign: op = .multiply
        case .slashAssign: op = .divide
        default: op = nil
        }
        guard let op else { return Stmt(.expression(expr), start) }
        advance()
        var target = expr
        switch expr.kind {
        case .command(let name, let arguments) where arguments.isEmpty: target = Expr(.name(name), expr.location)
        case .name, .member, .index: break
        default: report(.invalidAssignmentTarget, at: opToken.location)
        }
        let value = try parseCommandOrExpression()
        return Stmt(.assignment(target: target, op: op, value: value), opToken.location)
    }

    mutating func parseBlock() throws -> [Stmt] {
        try withNewlines(ignored: false) { parser in
            try parser.nested { parser in
                guard parser.check(.leftBrace) else { throw parser.fail(expected: "'{' to start a block") }
                parser.advance()
                let savedCommand = parser.commandArgument
                parser.commandArgument = false
                defer { parser.commandArgument = savedCommand }
                let body = parser.parseStatements(untilBrace: true)
                try parser.expect(.rightBrace, "'}' to close the block")
                return body
            }
        }
    }

    mutating func parseIf() throws -> Stmt {
        let start = advance().location
        var branches = [ConditionalBranch(condition: try parseExpression(), body: try parseBlock())]
        var elseBody: [Stmt]?
        while match(.keyword(.else)) {
            if match(.keyword(.if)) {
                branches.append(ConditionalBranch(condition: try parseExpression(), body: try parseBlock()))
            } else {
                elseBody = try parseBlock()
                break
            }
        }
        return Stmt(.if(branches: branches, elseBody: elseBody), start)
    }

    mutating func parseFor() throws -> Stmt {
        let start = advance().location
        guard let name = peek().identifier else { throw fail(expected: "a loop variable name after 'for'") }
        advance()
        try expect(.keyword(.in), "'in' after the loop variable")
        let iterable = try parseExpression()
        loopDepth += 1
        defer { loopDepth -= 1 }
        return Stmt(.for(variable: name, iterable: iterable, body: try parseBlock()), start)
    }

    mutating func parseWhile() throws -> Stmt {
        let start = advance().location
        let condition = try parseExpression()
        loopDepth += 1
        defer { loopDepth -= 1 }
        return Stmt(.while(condition: condition, body: try parseBlock()), start)
    }

    mutating func parseAssert() throws -> Stmt {
        let start = advance().location
        let first = position
        let condition = try parseExpression()
        let text = tokens[first..<position].enumerated()
            .map { $0.offset > 0 && $0.element.spaceBefore ? " " + $0.element.text : $0.element.text }.joined()
        var message: Expr?
        if match(.comma) { message = try parseExpression() }
        return Stmt(.assert(condition: condition, message: message, conditionText: text), start)
    }

    /// `fn name(a, b, label: default) { … }` or `fn(x) => expr` (the `fn` is already consumed).
    mutating func parseFunction(at location: SourceLocation, named: Bool) throws -> FunctionDecl {
        var name: String?
        if named { name = advance().identifier }
        guard check(.leftParen) else { throw fail(expected: "'(' to start the parameter list") }
        advance()
        let parameters = try withNewlines(ignored: true) { parser in try parser.parseParameters() }
        let savedLoop = loopDepth
        loopDepth = 0
        functionDepth += 1
        defer { loopDepth = savedLoop; functionDepth -= 1 }
        let body: FunctionBody
        if match(.arrow) {
            body = .expression(try nested { parser in try parser.parseExpression() })
        } else {
            body = .block(try parseBlock())
        }
        return FunctionDecl(name: name, parameters: parameters, body: body, location: location)
    }

    mutating func parseParameters() throws -> [Parameter] {
        var parameters: [Parameter] = []
        var seenLabelled = false
        while !check(.rightParen) {
            let start = position
            let token = peek()
            guard let name = token.identifier else { throw fail(expected: "a parameter name") }
            advance()
            var defaultValue: Expr?
            if match(.colon) { defaultValue = try parseExpression() }
            if parameters.contains(where: { $0.name == name }) { report(.duplicateParameter(name), at: token.location) }
            if defaultValue == nil && seenLabelled { report(.parameterWithoutDefaultAfterLabelled(name), at: token.location) }
            seenLabelled = seenLabelled || defaultValue != nil
            parameters.append(Parameter(name: name, defaultValue: defaultValue, location: token.location))
            if !match(.comma) { break }
            if position == start { throw fail(expected: "a parameter") }
        }
        try expect(.rightParen, "')' to close the parameter list")
        return parameters
    }
}
