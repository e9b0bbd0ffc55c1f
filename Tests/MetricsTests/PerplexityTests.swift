// Perplexity from supplied log-probs and the Hugging Face guide's sliding-window plan: every
// token after the first is scored exactly once, each window re-reads window − stride tokens.
import Testing
@testable import Metrics

@Suite struct PerplexityTests {
    @Test func perplexityIsExpOfMeanNLL() throws {
        let r = try Perplexity.compute(logProbs: [-1, -2, -3], tokens: ["a", "b", "c"])
        #expect(abs(r.meanNLL - 2) < 1e-15)
        #expect(abs(r.perplexity - 7.38905609893065) < 1e-12)
        #expect(r.tokens.map(\.text) == ["a", "b", "c"])
        // A uniform distribution over 4 tokens has perplexity 4.
        #expect(abs(try Perplexity.compute(logProbs: Array(repeating: -1.3862943611198906, count: 5)).perplexity - 4) < 1e-12)
    }

    @Test func badLogProbsAreRejected() {
        #expect(throws: MetricError.empty(what: "token log-probabilities")) { try Perplexity.compute(logProbs: []) }
        #expect(throws: MetricError.self) { try Perplexity.compute(logProbs: [-1, 0.5]) }
        #expect(throws: MetricError.countMismatch(what: "token texts", expected: 2, got: 1)) {
            try Perplexity.compute(logProbs: [-1, -1], tokens: ["a"])
        }
    }

    @Test func slidingWindowPlan() throws {
        let plan = try Perplexity.plan(tokenCount: 10, window: 4, stride: 2)
        #expect(plan.map(\.context) == [0..<4, 2..<6, 4..<8, 6..<10])
        #expect(plan.map(\.scored) == [1..<4, 4..<6, 6..<8, 8..<10])
        // With overlapping windows every token but the first is scored exactly once.
        for n in [1, 2, 5, 17, 64] {
            for w in [2, 3, 8] {
                for s in 1..<w {
                    let scored = try Perplexity.plan(tokenCount: n, window: w, stride: s).flatMap { Array($0.scored) }
                    #expect(scored == Array(1..<max(1, n)), "n \(n) window \(w) stride \(s)")
                }
            }
        }
        // Disjoint windows (stride = window), as in the guide: a window's first token has no context.
        let disjoint = try Perplexity.plan(tokenCount: 10, window: 4, stride: 4)
        #expect(disjoint.map(\.scored) == [1..<4, 5..<8, 9..<10])
    }

    @Test func planRejectsBadSettings() {
        #expect(throws: MetricError.invalidOptionValue(metric: "perplexity", name: "stride", value: "5", allowed: "1…4 (the window)")) {
            try Perplexity.plan(tokenCount: 10, window: 4, stride: 5)
        }
        #expect(throws: MetricError.self) { try Perplexity.plan(tokenCount: 10, window: 1, stride: 1) }
    }
}
