// ROUGE against rouge-score 0.1.2 over every pair of Reference/rouge.json (with and without
// stemming), plus the tokenizer's documented edge cases. Tolerance 1e-6 as in the issue.
import Testing
@testable import Metrics

struct RougeCase: Decodable {
    let candidate: String
    let references: [String]
    let stem: Bool
    let scores: [String: [Double]]
}

@Suite struct RougeTests {
    @Test func agreesWithRougeScore() throws {
        let table: Table<RougeCase> = try Reference.load("rouge.json")
        #expect(table.provenance.libraries["rouge-score"] == "0.1.2")
        #expect(table.cases.count >= 400)
        var diffs: [String: MaxDiff] = [:]
        for (k, c) in table.cases.enumerated() {
            let s = Rouge.score(candidate: c.candidate, references: c.references, options: RougeOptions(stemming: c.stem))
            for type in RougeType.standard {
                let expected = c.scores[type.description]!, actual = s[type]!
                for (a, e) in zip([actual.precision, actual.recall, actual.f], expected) {
                    diffs[type.description, default: MaxDiff()].check(a, e, "case \(k) \(type) stem=\(c.stem): \(c.candidate.debugDescription)")
                }
            }
        }
        for (type, d) in diffs.sorted(by: { $0.key < $1.key }) {
            #expect(d.value <= table.provenance.tolerance, "\(type): max diff \(d.value) at \(d.worst)")
        }
    }

    @Test func tokenizerKeepsOnlyLowercaseASCIIAlphanumerics() {
        #expect(Rouge.tokens("Hello, World! 3.5% café") == ["hello", "world", "3", "5", "caf"])
        #expect(Rouge.tokens("İstanbul \u{212A}elvin") == ["i", "stanbul", "kelvin"])
        #expect(Rouge.tokens("東京 ...") == [])
        #expect(Rouge.tokens("running quickly cats", stemming: true) == ["run", "quickli", "cat"])
        // Tokens of 3 characters or fewer are not stemmed.
        #expect(Rouge.tokens("ran runs", stemming: true) == ["ran", "run"])
    }

    @Test func lsumSplitsOnNewlineOnly() {
        let s = Rouge.score(candidate: "a b\nc d", reference: "c d\na b", options: RougeOptions(types: [.l, .lsum]))
        #expect(s[.l]!.f == 0.5)
        #expect(s[.lsum]!.f == 1)
    }

    @Test func multipleReferencesTakeTheBestF() {
        let s = Rouge.score(candidate: "the cat sat", references: ["a dog ran", "the cat sat down"], options: RougeOptions(types: [.n(1)]))
        #expect(s[.n(1)]! == PrecisionRecallF(precision: 1, recall: 0.75))
    }

    @Test func corpusIsTheMeanOfPairs() throws {
        let c = try Rouge.corpus(candidates: ["a b", "c"], references: [["a b"], ["d"]], options: RougeOptions(types: [.n(1)]))
        #expect(c[.n(1)]! == PrecisionRecallF(precision: 0.5, recall: 0.5, f: 0.5))
        #expect(c.description.contains("rouge1: P 0.5000 R 0.5000 F 0.5000"))
        #expect(throws: MetricError.countMismatch(what: "references", expected: 2, got: 1)) {
            try Rouge.corpus(candidates: ["a", "b"], references: [["a"]])
        }
    }
}
