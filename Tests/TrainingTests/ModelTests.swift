// The weight-loading seam (GGUF names, size checks) and the Float path (SIMD kernels) against the
// Double path (plain loops) on the same weights: losses and gradients agree to Float precision.
import Testing
@testable import Training

@Suite("model")
struct ModelTests {
    @Test func loadsEveryTensorByGGUFNameAndChecksSizes() throws {
        let source = TrainingModel(randomWithConfig: tinyConfig, mode: .full, seed: 3)
        var asked: [String] = []
        let copy = try TrainingModel(config: tinyConfig, mode: .lora(LoRAConfig(rank: 2, alpha: 4)), seed: 1) { name in
            asked.append(name); return try source.tensor(named: name)
        }
        #expect(asked.first == "token_embd.weight" && asked.last == "output_norm.weight")
        #expect(asked.contains("blk.1.attn_k.weight") && asked.count == 1 + 9 * tinyConfig.layers + 1)
        #expect(try copy.tensor(named: "blk.0.ffn_down.weight") == source.tensor(named: "blk.0.ffn_down.weight"))
        let ex = [TrainingExample(tokens: [1, 5, 7, 2, 9], trained: [false, true, true, true, true])]
        #expect(copy.meanLoss(ex) == source.meanLoss(ex))           // B = 0: the adapter adds nothing yet
        #expect(throws: TrainingModelError.wrongTensorSize(name: "token_embd.weight", expected: 13 * 16, found: 3)) {
            _ = try TrainingModel(config: tinyConfig, mode: .full) { _ in [1, 2, 3] }
        }
        #expect(throws: TrainingModelError.unknownTensor(name: "blk.9.attn_q.weight")) { try copy.tensor(named: "blk.9.attn_q.weight") }
    }

    @Test(arguments: [TrainingMode.full, .lora(LoRAConfig(rank: 3, alpha: 6))])
    func floatPathMatchesDoublePath(mode: TrainingMode) {
        // Wider than tinyConfig so the GEMM's full 6×16 tiles and its ragged edges are both used.
        let config = ModelConfig(vocabSize: 70, dim: 48, ffnDim: 80, layers: 2, heads: 6, kvHeads: 2, maxPositions: 32)
        let f = Transformer<Float>(config: config, mode: mode, threads: 2), d = Transformer<Double>(config: config, mode: mode)
        d.randomize(seed: 8)
        for i in 0..<d.adapters.count { d.adapters[i] = 0.03 * Double(i % 11 - 5) }
        for i in 0..<d.weights.count { f.weights[i] = Float(d.weights[i]); d.weights[i] = Double(f.weights[i]) }
        for i in 0..<d.adapters.count { f.adapters[i] = Float(d.adapters[i]); d.adapters[i] = Double(f.adapters[i]) }
        let mb = tinyMicroBatch(vocab: 70, seed: 2, lengths: [17, 9, 20])
        let lf = f.forward(mb), ld = d.forward(mb)
        #expect(abs(Double(lf) - ld) < 1e-5 * ld)
        f.grads.zero(); f.backward(); d.grads.zero(); d.backward()
        let diff = checkTensor(f.grads.array.map(Double.init), d.grads.array, floor: 1e-2)
        #expect(diff.maxRel < 1e-3, "\(diff)")
    }
}

extension ModelTests {
    /// The output projection runs only on tokens with a loss weight; that changes no bit of the loss
    /// or of any gradient (the skipped tokens' logit gradients are exactly zero).
    @Test(arguments: [TrainingMode.full, .lora(LoRAConfig(rank: 3, alpha: 6))])
    func skippingUnweightedTokensInTheOutputChangesNoBit(mode: TrainingMode) {
        let config = ModelConfig(vocabSize: 70, dim: 48, ffnDim: 80, layers: 2, heads: 6, kvHeads: 2, maxPositions: 32)
        var mb = tinyMicroBatch(vocab: 70, seed: 3, lengths: [17, 9, 20])
        for i in mb.weights.indices where i % 3 != 0 { mb.weights[i] = 0 }   // a prompt-like mask
        var results: [(loss: Float, grads: [Float])] = []
        for compact in [false, true] {
            let t = Transformer<Float>(config: config, mode: mode, threads: 2)
            t.randomize(seed: 8)
            for i in 0..<t.adapters.count { t.adapters[i] = 0.03 * Float(i % 11 - 5) }
            t.compactOutput = compact
            let loss = t.forward(mb)
            t.grads.zero()
            t.backward()
            results.append((loss, t.grads.array))
        }
        #expect(results[0].loss.bitPattern == results[1].loss.bitPattern)
        #expect(results[0].grads.map(\.bitPattern) == results[1].grads.map(\.bitPattern))
        #expect(results[1].grads.contains { $0 != 0 })
    }
}

@Suite("custom model output")
struct MergedWeightsTests {
    @Test func mergedAdapterWeightsReproduceTheLoRAModel() throws {
        let t = trainer(mode: lora, lr: 1e-2)
        for _ in 0..<3 { t.step() }
        let names = TrainingModel.baseTensorNames(config: trainConfig)
        let merged = try TrainingModel(config: trainConfig, mode: .full) { try t.model.mergedTensor(named: $0) }
        // The served (merged) model computes what the trained adapter model computes, to Float rounding.
        let a = t.model.meanLoss(facts)!, b = merged.meanLoss(facts)!
        #expect(abs(a - b) < 1e-5 * a, "\(a) vs \(b)")
        #expect(try merged.tensor(named: "blk.0.attn_q.weight") != t.model.tensor(named: "blk.0.attn_q.weight"))
        #expect(try t.model.mergedTensor(named: "output_norm.weight") == t.model.tensor(named: "output_norm.weight"))
        #expect(names.count == 2 + 9 * trainConfig.layers)
    }
}
