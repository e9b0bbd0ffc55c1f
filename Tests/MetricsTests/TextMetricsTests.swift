// Word error rate against jiwer 4.0.0 and QA exact match / F1 against the official SQuAD v1.1
// functions, both exact (Reference/wer.json, Reference/qa.json); classification by hand.
import Testing
@testable import Metrics

struct WERCase: Decodable {
    let kind: String
    let hypotheses: [String]
    let references: [String]
    let wer: Double
    let errors: Int
}

struct QACase: Decodable {
    let prediction: String
    let answers: [String]
    let normalized: String
    let em: Double
    let f1: Double
}

@Suite struct TextMetricsTests {
    @Test func werAgreesWithJiwer() throws {
        let table: Table<WERCase> = try Reference.load("wer.json")
        for c in table.cases {
            let s = try WordErrorRate.corpus(hypotheses: c.hypotheses, references: c.references)
            #expect(s.wer == c.wer, "\(c.hypotheses.first!.debugDescription) vs \(c.references.first!.debugDescription)")
            #expect(s.errors == c.errors)
        }
    }

    @Test func werCounts() {
        let s = WordErrorRate.score(hypothesis: "the cat sat", reference: "the cat sat down")
        #expect(s.wer == 0.25 && s.deletions == 1 && s.referenceWords == 4)
        #expect(WordErrorRate.score(hypothesis: "a b", reference: "").wer == 2)   // jiwer: insertions
    }

    @Test func qaAgreesWithSQuAD() throws {
        let table: Table<QACase> = try Reference.load("qa.json")
        for c in table.cases {
            #expect(QuestionAnswering.normalize(c.prediction) == c.normalized, "\(c.prediction.debugDescription)")
            let s = QuestionAnswering.score(prediction: c.prediction, answers: c.answers)
            #expect(s.exactMatch == c.em, "\(c.prediction.debugDescription)")
            #expect(s.f1 == c.f1, "\(c.prediction.debugDescription)")
        }
    }

    @Test func qaCorpusIsTheMean() throws {
        let s = try QuestionAnswering.corpus(predictions: ["Paris", "London"], answers: [["paris"], ["Berlin"]])
        #expect(s.exactMatch == 0.5 && s.f1 == 0.5 && s.questions == 2)
    }

    @Test func classificationMacroScores() throws {
        let s = try Classification.score(predictions: ["pos", "pos", "neg", "neu"], labels: ["pos", "neg", "neg", "pos"])
        #expect(s.accuracy == 0.5 && s.correct == 2)
        #expect(s.classes.map(\.label) == ["neg", "neu", "pos"])
        #expect(s.classes[0].scores == PrecisionRecallF(precision: 1, recall: 0.5))
        #expect(s.classes[1].scores == .zero && s.classes[1].support == 0)
        #expect(s.classes[2].scores == PrecisionRecallF(precision: 0.5, recall: 0.5))
        #expect(abs(s.macro.precision - 0.5) < 1e-15 && abs(s.macro.recall - 1.0 / 3) < 1e-15)
        #expect(throws: MetricError.empty(what: "labels")) { try Classification.score(predictions: [], labels: []) }
    }
}
