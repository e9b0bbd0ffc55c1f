// The string-keyed options entry point: typed options from names, unknown names rejected with
// the closest valid one, wrong kinds and values rejected with what is allowed.
import Testing
@testable import Metrics

@Suite struct OptionsTests {
    @Test func parsesEveryMetricsOptions() throws {
        let r = try RougeOptions(options: ["types": .list(["rouge1", "rougeLsum"]), "stem": .bool(true)])
        #expect(r == RougeOptions(types: [.n(1), .lsum], stemming: true))
        let b = try BLEUOptions(options: ["tokenize": .string("none"), "smooth": .string("floor"), "smoothValue": .number(0.2)], sentence: true)
        #expect(b == BLEUOptions(tokenizer: .none, smoothing: .floor(0.2), effectiveOrder: true))
        #expect(try BLEUOptions(options: [:], sentence: false) == .corpus)
        #expect(try CHRFOptions(options: ["wordOrder": .number(2)]) == .chrFPlusPlus)
        #expect(try PerplexityOptions(options: [:], context: 8192) == PerplexityOptions(window: 8192, stride: 4096))
        let bs = try BERTScoreSettings(options: ["idf": .bool(true), "baseline": .list(["0.8", "0.8", "0.81"])])
        #expect(bs.signature.hasSuffix("_idf_version=0.3.13(local)-custom-rescaled"))
    }

    @Test func unknownOptionNamesTheClosest() {
        #expect(throws: MetricError.unknownOption(metric: "bleu", name: "tokenise", closest: "tokenize", valid: BLEUOptions.optionNames)) {
            try BLEUOptions(options: ["tokenise": .string("13a")], sentence: true)
        }
        do {
            _ = try RougeOptions(options: ["stemming": .bool(true)])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "rouge: unknown option 'stemming'; did you mean 'stem'? (valid: types, stem)")
        }
    }

    @Test func wrongKindsAndValues() {
        #expect(throws: MetricError.wrongOptionType(metric: "rouge", name: "stem", expected: "a boolean", got: "a string")) {
            try RougeOptions(options: ["stem": .string("yes")])
        }
        do {
            _ = try BLEUOptions(options: ["smooth": .string("expo")], sentence: true)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "bleu: option 'smooth' cannot be \"expo\" (allowed: exp, floor, add-k, none (did you mean \"exp\"?))")
        }
        #expect(throws: MetricError.self) { try RougeOptions(options: ["types": .list(["rouge3", "rougeX"])]) }
        #expect(throws: MetricError.self) { try BLEUOptions(options: ["maxOrder": .number(2.5)], sentence: true) }
        #expect(throws: MetricError.self) { try BLEUOptions(options: ["smoothValue": .number(1)], sentence: true) }
    }

    @Test func metricNames() throws {
        #expect(try MetricName(parsing: "bleu") == .bleu)
        #expect(throws: MetricError.unknownMetric(name: "rogue", closest: "rouge")) { try MetricName(parsing: "rogue") }
    }
}

@Suite struct TextMetricTests {
    @Test func scoresByName() throws {
        let r = try TextMetric.score("rouge", candidate: "the cat sat", references: ["the cat sat"], options: ["types": .string("rougeL")])
        #expect(r == .rouge(Rouge.score(candidate: "the cat sat", reference: "the cat sat", options: RougeOptions(types: [.l]))))
        let b = try TextMetric.score("bleu", candidate: "a b c d", references: ["a b c d"], options: ["tokenize": .string("none")])
        #expect(b.description.hasPrefix("BLEU = 100.00"))
        #expect(b.description.hasSuffix("[nrefs:1|case:mixed|eff:yes|tok:none|smooth:exp|version:2.6.0]"))
        #expect(try TextMetric.score("qa", candidate: "The Paris", references: ["paris"]) == .qa(QAScore(exactMatch: 1, f1: 1, questions: 1)))
        #expect(try TextMetric.score("wer", candidate: "a b", references: ["a c"]).description.hasPrefix("WER 0.5000"))
    }

    @Test func rejectsBadNamesAndOptions() {
        #expect(throws: MetricError.unknownMetric(name: "blue", closest: "bleu")) {
            try TextMetric.score("blue", candidate: "a", references: ["a"])
        }
        #expect(throws: MetricError.notATextMetric(name: "bertscore")) {
            try TextMetric.score("bertscore", candidate: "a", references: ["a"])
        }
        #expect(throws: MetricError.unknownOption(metric: "wer", name: "lowercase", closest: nil, valid: [])) {
            try TextMetric.score("wer", candidate: "a", references: ["a"], options: ["lowercase": .bool(true)])
        }
        #expect(throws: MetricError.empty(what: "references")) { try TextMetric.score("bleu", candidate: "a", references: []) }
    }
}
