// chrF and chrF++ against sacrebleu 2.6.0 over Reference/chrf.json (sentence and corpus, one or
// several references). Tolerance 1e-6; signatures exact.
import Testing
@testable import Metrics

struct CHRFCase: Decodable {
    let kind: String
    let hypotheses: [String]
    let references: [[String]]
    let options: [String: PyValue]
    let score: Double
    let signature: String
}

@Suite struct CHRFTests {
    @Test func agreesWithSacrebleu() throws {
        let table: Table<CHRFCase> = try Reference.load("chrf.json")
        var diff = MaxDiff()
        for (k, c) in table.cases.enumerated() {
            let options = CHRFOptions(wordOrder: Int(c.options["word_order"]?.number ?? 0))
            let s = c.kind == "corpus"
                ? try CHRF.corpus(hypotheses: c.hypotheses, references: c.references, options: options)
                : CHRF.sentence(hypothesis: c.hypotheses[0], references: c.references[0], options: options)
            diff.check(s.score, c.score, "case \(k): \(c.hypotheses[0].debugDescription)")
            #expect(s.signature == c.signature)
        }
        #expect(diff.value <= table.provenance.tolerance, "max diff \(diff.value) at \(diff.worst)")
    }

    @Test func names() {
        #expect(CHRF.sentence(hypothesis: "a", references: ["a"]).name == "chrF2")
        #expect(CHRF.sentence(hypothesis: "a", references: ["a"], options: .chrFPlusPlus).name == "chrF2++")
    }
}
