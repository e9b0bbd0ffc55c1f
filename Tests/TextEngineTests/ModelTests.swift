// The forward pass and generation on the real SmolLM2 model against the numpy oracle (DATA.md):
// first-step top-5 log-probs within 0.05, the greedy answer names Paris, logits bit-identical for
// 1 and 2 threads and for both kernel builds, stop sequences, max_tokens, streaming, cancellation,
// seeded sampling and sliding-window log-probs.
import Testing
import Numerics
@testable import TextEngine

@Suite struct ModelTests {
    var model: TextModel { Fixture.model }

    @Test func firstStepTopFiveMatchesOracle() throws {
        let top = try model.topNextTokens(prompt: Fixture.referencePrompt, k: 5)
        let oracle: [(String, Float)] = [("The", -1.883), ("L", -1.965), ("La", -2.266), ("Al", -2.806), ("Le", -2.893)]
        #expect(top.map(\.text) == oracle.map(\.0))
        for (t, o) in zip(top, oracle) { #expect(abs(t.logProb - o.1) < 0.05, "\(t.text): \(t.logProb) vs oracle \(o.1)") }
    }

    @Test func greedyAnswerNamesParis() throws {
        let r = try model.chat([.user("What is the capital of France?")], parameters: .greedy(maxTokens: 40))
        #expect(r.text == "The capital of France is Paris.")
        #expect(r.stopReason == .endTurn && r.inputTokens == 37 && r.tokens.last == 2)
    }

    @Test func logitsAreBitIdenticalForOneAndTwoThreadsAndBothBuilds() throws {
        let ids = Fixture.referenceIDs
        var runs: [[UInt32]] = []
        let isas: [KernelISA] = CPU.hasAVX512 ? [.baseline, .avx512] : [.baseline]
        for isa in isas {
            for threads in [1, 2] {
                let s = LlamaSession(weights: model.weights, threads: threads, capacity: 64, isa: isa)
                var bits = try s.append(ids).map(\.bitPattern)       // batched prompt (GEMM)
                bits += try s.append([504]).map(\.bitPattern)        // one generated step (mat-vec)
                runs.append(bits)
            }
        }
        for (i, r) in runs.enumerated() { #expect(r == runs[0], "run \(i) differs from run 0") }
    }

    @Test func stopSequenceEndsAndIsExcluded() throws {
        let r = try model.chat([.user("What is the capital of France?")],
                               parameters: .greedy(maxTokens: 40, stopSequences: ["France"]))
        #expect(r.text == "The capital of ")
        #expect(r.stopReason == .stopSequence && r.stopSequence == "France")
    }

    @Test func maxTokensAndStreamingDeltas() throws {
        var streamed = ""
        let r = try model.chat([.user("What is the capital of France?")], parameters: .greedy(maxTokens: 3),
                               onToken: { streamed += $0.text })
        #expect(r.stopReason == .maxTokens && r.outputTokens == 3)
        #expect(streamed == r.text && r.text == "The capital of")
    }

    @Test func cancellationStopsBetweenTokens() throws {
        var calls = 0
        let r = try model.chat([.user("Tell me a story.")], parameters: .greedy(maxTokens: 50),
                               isCancelled: { calls += 1; return calls > 2 })
        #expect(r.stopReason == .cancelled && r.outputTokens == 2)
    }

    @Test func seededSamplingIsReproducible() throws {
        let p = SamplingParameters(temperature: 0.9, topK: 40, topP: 0.95, maxTokens: 12, seed: 7)
        let a = try model.chat([.user("Name a color.")], parameters: p)
        let b = try model.chat([.user("Name a color.")], parameters: p)
        #expect(a.tokens == b.tokens && a.text == b.text)
    }

    @Test func promptLongerThanContextIsRejected() throws {
        let small = try TextModel(threads: 1, contextWindow: 16)
        #expect(throws: SessionError.self) {
            try small.generate(prompt: Fixture.referencePrompt, parameters: .greedy(maxTokens: 4))
        }
        let r = try small.generate(prompt: "Once upon a time", parameters: .greedy(maxTokens: 40))
        #expect(r.stopReason == .contextWindowExceeded && r.inputTokens + r.outputTokens == 16)
    }

    @Test func logProbsAgreeWithTopTokensAndSlidingWindow() throws {
        let text = "The capital of France is Paris. The capital of Italy is Rome."
        let lps = try model.logProbs(of: text)
        #expect(lps.count == model.encode(text).count && lps.allSatisfy { $0.logProb <= 0 })
        #expect(lps.map(\.text).joined() == text)
        // The scores of "Paris" given its prefix equal the next-token distribution after that prefix.
        let ids = [0] + model.encode(text)
        let windowed = try model.logProbs(tokens: ids, window: 8)
        #expect(windowed.count == ids.count - 1)
        // The first window scores the same tokens with the same context, so they agree closely.
        for i in 0..<7 { #expect(abs(windowed[i].logProb - lps[i].logProb) < 1e-3) }
        // Later tokens have less context, so perplexity over the whole text rises.
        let full = lps.map { Double($0.logProb) }.reduce(0, +), win = windowed.map { Double($0.logProb) }.reduce(0, +)
        #expect(win < full)
    }
}
