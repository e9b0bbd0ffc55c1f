// Parser unit tests: precedence, command calls and their whitespace rules, recovery with several
// errors, end-of-input detection for the REPL, and the renderer's format.
import Testing
@testable import BedrockSyntax

private func parse(_ source: String) -> ParseResult { Parser.parse(source: source, file: "t.bedrock") }

/// A compact rendering of an expression tree for assertions.
private func show(_ e: Expr) -> String {
    switch e.kind {
    case .int(let i): return "\(i)"
    case .double(let d): return "\(d)"
    case .string(let s): return "\"\(s)\""
    case .name(let n): return n
    case .bool(let b): return "\(b)"
    case .nil: return "nil"
    case .binary(let op, let a, let b): return "(\(show(a)) \(op.rawValue) \(show(b)))"
    case .logical(let op, let a, let b): return "(\(show(a)) \(op.rawValue) \(show(b)))"
    case .unary(let op, let a): return "(\(op.rawValue) \(show(a)))"
    case .call(let c, let args): return show(c) + "(" + args.map(showArgument).joined(separator: ", ") + ")"
    case .command(let n, let args): return "cmd " + n + "[" + args.map(showArgument).joined(separator: ", ") + "]"
    case .index(let b, let i): return show(b) + "[" + show(i) + "]"
    case .member(let b, let m): return show(b) + "." + m
    case .list(let items): return "[" + items.map(show).joined(separator: ", ") + "]"
    default: return "?"
    }
}

private func showArgument(_ a: Argument) -> String { (a.label.map { $0 + ": " } ?? "") + show(a.value) }

private func firstExpression(_ source: String) -> String {
    let result = parse(source)
    guard result.diagnostics.isEmpty, let first = result.statements.first else { return "errors: \(result.diagnostics)" }
    switch first.kind {
    case .expression(let e): return show(e)
    case .declaration(_, _, let e): return show(e)
    default: return "statement"
    }
}

@Suite struct ParserTests {
    @Test func precedence() {
        #expect(firstExpression("x = 1 + 2 * 3 - 4") == "statement")
        #expect(firstExpression("let v = 1 + 2 * 3 - 4") == "((1 + (2 * 3)) - 4)")
        #expect(firstExpression("let v = a or b and not c == d") == "(a or (b and (not (c == d))))")
        #expect(firstExpression("let v = -x * 2") == "((- x) * 2)")
        #expect(firstExpression("let v = a.b[0](1)") == "a.b[0](1)")
    }

    @Test func commandCalls() {
        #expect(firstExpression(#"invoke m "hi" max_tokens: 64 temperature: 0"#)
            == #"cmd invoke[m, "hi", max_tokens: 64, temperature: 0]"#)
        #expect(firstExpression("print a, b, c") == "cmd print[a, b, c]")
        #expect(firstExpression("cmd [1, 2] (a + b) xs[0] f(x)") == "cmd cmd[[1, 2], (a + b), xs[0], f(x)]")
        #expect(firstExpression("cmd n -1") == "cmd cmd[n, -1]")
        #expect(firstExpression("let v = n - 1") == "(n - 1)")
        #expect(firstExpression("let r = invoke m \"x\"") == #"cmd invoke[m, "x"]"#)
        #expect(firstExpression("models") == "cmd models[]")
        #expect(firstExpression("r.role") == "r.role")
    }

    @Test func newlinesInsideBracketsAreIgnored() {
        #expect(firstExpression("let v = f(\n  1,\n  2\n)") == "f(1, 2)")
        #expect(firstExpression("let v = [\n1,\n2,\n]") == "[1, 2]")
    }

    @Test func recoveryReportsEveryError() {
        let result = parse("let = 1\nprint \"ok\"\nlet y = (1 +\nvar z = 3 3\nfn f( { }")
        #expect(result.diagnostics.count == 4)
        #expect(result.diagnostics.map(\.location.line) == [1, 3, 4, 5])
        #expect(result.statements.count >= 1)
    }

    @Test func endOfInputMeansIncomplete() {
        #expect(parse("if x {").isIncomplete)
        #expect(parse("let xs = [1,").isIncomplete)
        #expect(parse("f(1, 2").isIncomplete)
        #expect(parse("let s = \"\"\"\nabc").isIncomplete)
        #expect(!parse("let = 3").isIncomplete)
        #expect(!parse("let x = 3").isIncomplete)
    }

    @Test func nestingLimit() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let result = parse("let v = " + deep)
        #expect(result.diagnostics.map(\.error) == [.nestingTooDeep(limit: Parser.maxNestingDepth)])
    }

    @Test func rendererShowsLineAndCaret() {
        let source = "let a = 1\nlet b = (a +\n"
        let result = parse(source)
        let text = DiagnosticRenderer.render(result.diagnostics[0], source: source)
        #expect(text == "t.bedrock:3:1: error: unexpected end of input; expected an expression\n\n^")
        let located = DiagnosticRenderer.render(location: SourceLocation(file: "f", line: 1, column: 5), message: "m", source: "\tab cd")
        #expect(located == "f:1:5: error: m\n\tab cd\n\t   ^")
    }
}
