// Lexer unit tests: token kinds, locations, whitespace flags, strings (escapes, interpolation,
// multi-line) and the diagnostics for malformed input.
import Testing
@testable import BedrockSyntax

private func lex(_ source: String) -> (tokens: [Token], diagnostics: [Diagnostic]) {
    var lexer = Lexer(source: source, file: "t.bedrock")
    let tokens = lexer.tokenize()
    return (tokens, lexer.diagnostics)
}

@Suite struct LexerTests {
    @Test func numbersAndOperators() {
        let kinds = lex("1 2.5 1e-4 3_000 += => == != <= >= && || !").tokens.map(\.kind)
        #expect(kinds == [.int(1), .double(2.5), .double(1e-4), .int(3000), .plusAssign, .arrow, .equalEqual, .bangEqual,
                          .lessEqual, .greaterEqual, .ampAmp, .pipePipe, .bang, .eof])
    }

    @Test func locationsAndSpacing() {
        let tokens = lex("f(x)\n  cmd [1]").tokens
        #expect(tokens[0].location == SourceLocation(file: "t.bedrock", line: 1, column: 1))
        #expect(tokens[1].kind == .leftParen && !tokens[1].spaceBefore)
        #expect(tokens[4].kind == .newline)
        #expect(tokens[5].identifier == "cmd" && tokens[5].location.line == 2 && tokens[5].location.column == 3)
        #expect(tokens[6].kind == .leftBracket && tokens[6].spaceBefore)
    }

    @Test func keywordsAndComments() {
        let kinds = lex("let x # a comment\nnot_a_keyword").tokens.map(\.kind)
        #expect(kinds == [.keyword(.let), .identifier("x"), .newline, .identifier("not_a_keyword"), .eof])
    }

    @Test func stringEscapesAndInterpolation() {
        let tokens = lex(#""a\tb\u{41} \(x + 1)!""#).tokens
        guard case .string(let segments) = tokens[0].kind else { Issue.record("not a string"); return }
        #expect(segments.count == 3)
        #expect(segments[0] == .text("a\tbA "))
        if case .code(let code, let location) = segments[1] {
            #expect(code == "x + 1")
            #expect(location.column == 15)
        } else { Issue.record("no interpolation") }
        #expect(segments[2] == .text("!"))
    }

    @Test func multilineStringStripsClosingIndentation() {
        let source = "let s = \"\"\"\n    one\n      two\n    \"\"\"\nprint s"
        let (tokens, diagnostics) = lex(source)
        #expect(diagnostics.isEmpty)
        #expect(tokens[3].kind == .string([.text("one\n  two")]))
        #expect(tokens[4].kind == .newline)
        #expect(tokens[5].identifier == "print")
    }

    @Test func malformedInputIsReported() {
        let (_, diagnostics) = lex("\"open\n@ \"bad \\q\" 99999999999999999999")
        #expect(diagnostics.map(\.error) == [.unterminatedString, .invalidCharacter("@"), .invalidEscape("\\q"),
                                              .numberOutOfRange("99999999999999999999")])
        #expect(diagnostics[1].location.line == 2)
    }

    @Test func unterminatedMultilineStringIsEndOfInput() {
        let (_, diagnostics) = lex("let s = \"\"\"\n  text")
        #expect(diagnostics.count == 1 && diagnostics[0].isUnexpectedEndOfInput)
    }
}
