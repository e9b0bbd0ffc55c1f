// Tests of the LCS line diff and its unified rendering (hunk numbering, context, wildcard equality).
import Testing
@testable import BedrockREPL

@Suite struct UnifiedDiffTests {
    @Test func equalSidesGiveNoDiff() {
        #expect(UnifiedDiff.render(expected: ["a", "b"], actual: ["a", "b"], expectedLabel: "x", actualLabel: "y") == "")
    }

    @Test func changedLineInTheMiddle() {
        let diff = UnifiedDiff.render(expected: ["a", "b", "c"], actual: ["a", "B", "c"],
                                      expectedLabel: "expected", actualLabel: "actual", firstLine: 10)
        #expect(diff == """
            --- expected
            +++ actual
            @@ -10,3 +10,3 @@
             a
            -b
            +B
             c

            """)
    }

    @Test func distantChangesMakeTwoHunks() {
        let expected = (1...20).map(String.init)
        var actual = expected
        actual[1] = "two"
        actual[17] = "eighteen"
        let diff = UnifiedDiff.render(expected: expected, actual: actual, expectedLabel: "e", actualLabel: "a")
        let headers = diff.split(separator: "\n").filter { $0.hasPrefix("@@") }
        #expect(headers == ["@@ -1,5 +1,5 @@", "@@ -15,6 +15,6 @@"])
    }

    @Test func insertionIntoEmptySide() {
        let diff = UnifiedDiff.render(expected: [], actual: ["new"], expectedLabel: "e", actualLabel: "a")
        #expect(diff.hasSuffix("@@ -0,0 +1,1 @@\n+new\n"))
    }

    @Test func pureInsertionWithoutContextIsNumberedAfterItsPredecessor() {
        let diff = UnifiedDiff.render(expected: ["a", "b"], actual: ["a", "b", "c"], expectedLabel: "e",
                                      actualLabel: "a", context: 0)
        #expect(diff.hasSuffix("@@ -2,0 +3,1 @@\n+c\n"))
    }

    @Test func operationsAreAMinimalEditScript() {
        let ops = UnifiedDiff.operations(["a", "b", "c", "d"], ["b", "c", "e"], equal: ==)
        #expect(ops == [.removed(0), .same(1, 0), .same(2, 1), .added(2), .removed(3)]
                || ops == [.removed(0), .same(1, 0), .same(2, 1), .removed(3), .added(2)])
    }

    @Test func wildcardEqualityCountsAsSame() {
        let diff = UnifiedDiff.render(expected: ["took … ms"], actual: ["took 12 ms"], expectedLabel: "e",
                                      actualLabel: "a", equal: OutputMatching.line)
        #expect(diff == "")
    }
}
