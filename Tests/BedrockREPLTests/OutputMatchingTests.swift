// Tests of notebook output masks: `…` wildcards in expected lines and mask="regex" on cells.
import Testing
@testable import BedrockREPL

@Suite struct OutputMatchingTests {
    @Test(arguments: [
        ("latency … ms", "latency 12.5 ms", true),
        ("latency … ms", "latency  ms", true),
        ("latency … ms", "latency 12 s", false),
        ("…", "anything at all", true),
        ("…", "", true),
        ("a…b…c", "a-x-b-y-c", true),
        ("a…b…c", "a-x-c-y-b", false),
        ("ab…ba", "aba", false),           // the two ends may not overlap
        ("plain", "plain   ", true),       // trailing whitespace is ignored
        ("plain", "plainer", false),
    ])
    func wildcardLines(expected: String, actual: String, matches: Bool) {
        #expect(OutputMatching.line(expected, matches: actual) == matches)
    }

    @Test func masksReplaceEveryMatch() {
        let masked = OutputMatching.mask("took 12 ms, then 7 ms\n", patterns: [#"\d+ ms"#])
        #expect(masked == "took … ms, then … ms\n".replacing("… ms", with: "…"))
    }

    @Test func linesOfOutput() {
        #expect(OutputMatching.lines("") == [])
        #expect(OutputMatching.lines("a\n") == ["a"])
        #expect(OutputMatching.lines("a\n\nb") == ["a", "", "b"])
    }
}
