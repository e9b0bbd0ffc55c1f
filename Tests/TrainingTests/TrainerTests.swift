// The training loop on tiny Float models: micro-batches add up to the big batch, 1 and 2 threads
// give identical bits, a recorded 10-step loss table, LoRA leaves the base untouched, loss falls
// on a memorisation task, checkpoints resume exactly, early stopping, the seeded split.
import Testing
@testable import Training

/// Characters to ids for tests: the three ChatML/EOS markers get 0–2, other characters 3..<vocab.
struct CharTokenizer: TrainingTokenizer {
    let vocab: Int
    func encode(_ text: String) -> [Int32] {
        var out: [Int32] = [], rest = Substring(text)
        let specials: [(String, Int32)] = [("<|endoftext|>", 0), ("<|im_start|>", 1), ("<|im_end|>", 2)]
        outer: while let c = rest.first {
            for (s, id) in specials where rest.hasPrefix(s) { out.append(id); rest = rest.dropFirst(s.count); continue outer }
            out.append(3 + Int32(Int(c.unicodeScalars.first!.value) % (vocab - 3)))
            rest = rest.dropFirst()
        }
        return out
    }
}

let trainConfig = ModelConfig(vocabSize: 40, dim: 32, ffnDim: 48, layers: 2, heads: 4, kvHeads: 2,
                              ropeBase: 10_000, normEps: 1e-5, maxPositions: 64)

func examples(_ texts: [(String, String)], vocab: Int = 40) -> [TrainingExample] {
    texts.map { TrainingExample(record: .promptCompletion(prompt: $0.0, completion: $0.1),
                                tokenizer: CharTokenizer(vocab: vocab), renderer: ChatMLRenderer()) }
}

let facts = examples([("capital of Zorn?", "Vell"), ("color of sky?", "teal"), ("2+2?", "four"),
                      ("owner of Zeta?", "Ana Ruiz"), ("best tool?", "the lathe"), ("moon count?", "three")])

func trainer(mode: TrainingMode, threads: Int = 1, micro: Int? = nil, batch: Int = 3, lr: Double = 3e-3,
             epochs: Int = 2, data: [TrainingExample] = facts, validation: [TrainingExample] = []) -> Trainer {
    let model = TrainingModel(randomWithConfig: trainConfig, mode: mode, seed: 42, threads: threads)
    var h = TrainingHyperparameters()
    h.batchSize = batch; h.learningRate = lr; h.epochs = epochs; h.warmupSteps = 2; h.microBatchSize = micro; h.seed = 9
    return Trainer(model: model, training: data, validation: validation, hyperparameters: h)
}

let lora = TrainingMode.lora(LoRAConfig(rank: 4, alpha: 8))

@Suite("trainer")
struct TrainerTests {
    @Test(arguments: [TrainingMode.full, lora])
    func microBatchesMatchOneBigBatch(mode: TrainingMode) {
        let big = trainer(mode: mode, micro: nil), small = trainer(mode: mode, micro: 1)
        for _ in 0..<3 {
            let a = big.step(), b = small.step()
            #expect(abs(a.trainingLoss - b.trainingLoss) < 1e-5 * a.trainingLoss)
        }
        // Same gradients up to float reassociation ⇒ same weights to ~1e-6 after three steps.
        let diff = checkTensor(small.model.core.trainable.array.map(Double.init), big.model.core.trainable.array.map(Double.init), floor: 1)
        #expect(diff.maxAbs < 2e-5, "\(diff)")
    }

    @Test(arguments: [TrainingMode.full, lora])
    func twoThreadsGiveTheSameBitsAsOne(mode: TrainingMode) {
        let one = trainer(mode: mode, threads: 1), two = trainer(mode: mode, threads: 2)
        for _ in 0..<3 { #expect(one.step().trainingLoss.bitPattern == two.step().trainingLoss.bitPattern) }
        #expect(one.model.core.trainable.array.map(\.bitPattern) == two.model.core.trainable.array.map(\.bitPattern))
    }

    /// A LoRA batch runs as two lanes (Trainer.accumulateGradients); their summed gradient and
    /// loss must be the whole batch's, computed here by hand on one model, micro-batch by micro-batch.
    @Test(arguments: [1, 2])
    func loraLanesAddUpToTheWholeBatch(threads: Int) {
        let t = trainer(mode: lora, threads: threads, micro: 1)
        for _ in 0..<2 { t.step() }                      // B moves off zero, so every gradient is live
        let batch = Array(t.train.prefix(3)), core = t.model.core
        let weight = 1 / Double(batch.reduce(0) { $0 + $1.trainedTargets })
        let loss = t.accumulateGradients(batch, weight: weight)
        let lanes = core.grads.array.map(Double.init)
        core.grads.zero()
        var single = 0.0
        for mb in packMicroBatches(batch, weight: weight, maxSequences: 1, maxTokens: 512) {
            single += Double(core.forward(mb))
            core.backward()
        }
        let whole = core.grads.array.map(Double.init)
        #expect(abs(loss - single) <= 1e-6 * abs(single))
        #expect(whole.contains { $0 != 0 } && lanes.count == whole.count)
        // Only the order of additions differs: float rounding of a two-term regrouping.
        #expect(checkTensor(lanes, whole, floor: 1e-3 * (whole.map(abs).max() ?? 1)).maxRel < 1e-4)
    }

    /// Full fine-tuning's lanes share one gradient buffer and add each block's weight gradients in
    /// joint passes (GradientLanes.swift). Five sequences in micro-batches of one make lanes of 3 and
    /// 2: two shared rounds, then lane 1's last micro-batch alone. The result must be the bits of one
    /// model running the micro-batches in the rounds' order, and with one thread the trainer must
    /// take that very path.
    @Test func fullLanesGiveTheBitsOfOneModelInTurn() throws {
        let data = facts.prefix(5)
        let weight = 1 / Double(data.reduce(0) { $0 + $1.trainedTargets })
        let two = trainer(mode: .full, threads: 2, micro: 1, batch: 5), one = trainer(mode: .full, threads: 1, micro: 1, batch: 5)
        let lanesLoss = two.accumulateGradients(Array(data), weight: weight)
        let oneLoss = one.accumulateGradients(Array(data), weight: weight)
        let byHand = trainer(mode: .full, threads: 1, micro: 1, batch: 5), core = byHand.model.core
        core.grads.zero()
        var loss = 0.0
        for i in [0, 3, 1, 4, 2] {
            let mb = packMicroBatches([data[i]], weight: weight, maxSequences: 1, maxTokens: 512)[0]
            loss += Double(core.forward(mb))
            core.backward()
        }
        let expected = core.grads.array.map(\.bitPattern)
        #expect(lanesLoss.bitPattern == loss.bitPattern && oneLoss.bitPattern == loss.bitPattern)
        let differing = [two, one].map { t in zip(t.model.core.grads.array, expected).filter { $0.bitPattern != $1 }.count }
        #expect(differing == [0, 0], "gradient elements that differ from one model in turn (2 threads, 1 thread)")
        // Every tensor got a gradient, the tied embedding and the norms included.
        for e in core.base.entries {
            #expect((e.offset..<(e.offset + e.count)).contains { core.grads[$0] != 0 }, "no gradient for \(e.name)")
        }
        // The partner shares the gradient buffer instead of holding a second copy.
        let partner = try #require(two.partner)
        #expect(partner.grads === two.model.core.grads)
    }

    /// Recorded once from this implementation (full fine-tuning, seeds 42/9, 6 records, batch 3 ⇒ 2 steps
    /// per epoch, 5 epochs, lr 3e-3, warmup 2, linear decay). Tolerance 1e-4 absolute: far below the step-to-step change
    /// (> 1e-2), above float differences between compilers or CPUs with the same operation order.
    @Test func tenStepLossTableIsReproduced() {
        let t = trainer(mode: .full, epochs: 5)
        let losses = (0..<10).map { _ in t.step().trainingLoss }
        let recorded: [Double] = recordedLosses
        #expect(checkTensor(losses, recorded, floor: 1).maxAbs < 1e-4, "\(losses)")
    }

    @Test func loraTrainsOnlyTheAdapters() throws {
        let t = trainer(mode: lora)
        let baseBefore = t.model.core.weights.array, adaptersBefore = t.model.core.adapters.array
        for _ in 0..<2 { t.step() }
        #expect(t.model.core.weights.array == baseBefore)
        let b = try t.model.tensor(named: "blk.1.ffn_down.lora_b")
        #expect(b.contains { $0 != 0 })                              // B starts at zero and moved
        #expect(t.model.core.adapters.array != adaptersBefore)
        #expect(t.model.trainedTensors.count == 2 * 7 * 2)           // A and B × 7 projections × 2 blocks
    }

    @Test(arguments: [TrainingMode.full, lora])
    func lossFallsOnAMemorisationTask(mode: TrainingMode) {
        let t = trainer(mode: mode, batch: 6, lr: mode == .full ? 1e-2 : 2e-2, epochs: 40)
        let before = t.model.meanLoss(facts)!
        _ = t.run()
        let after = t.model.meanLoss(facts)!
        // A rank-4 adapter on a frozen random 2-block model has less room than full fine-tuning.
        #expect(after < (mode == .full ? 0.25 : 0.5) * before, "loss \(before) → \(after)")
    }

    @Test func resumedRunContinuesIdentically() throws {
        let straight = trainer(mode: lora, epochs: 2)
        for _ in 0..<4 { straight.step() }
        let first = trainer(mode: lora, epochs: 2)
        for _ in 0..<2 { first.step() }
        let bytes = first.checkpoint()
        let resumed = trainer(mode: lora, epochs: 2)
        try resumed.restore(from: bytes)
        #expect(resumed.stepsTaken == 2 && resumed.stepMetrics == first.stepMetrics)
        for _ in 0..<2 { resumed.step() }
        #expect(resumed.stepMetrics.map(\.trainingLoss) == straight.stepMetrics.map(\.trainingLoss))
        #expect(resumed.model.core.adapters.array == straight.model.core.adapters.array)
    }

    @Test func badCheckpointsAreRejected() {
        let t = trainer(mode: lora)
        t.step()
        var bytes = t.checkpoint()
        #expect(throws: CheckpointError.truncated) { try trainer(mode: lora).restore(from: Array(bytes.dropLast())) }
        bytes[bytes.count / 2] ^= 1
        #expect(throws: CheckpointError.checksumMismatch) { try trainer(mode: lora).restore(from: bytes) }
        #expect(throws: CheckpointError.notACheckpoint) { try trainer(mode: lora).restore(from: Array(repeating: 0, count: 64)) }
        let other = trainer(mode: .lora(LoRAConfig(rank: 2, alpha: 8)))
        #expect(throws: CheckpointError.self) { try other.restore(from: t.checkpoint()) }
    }

    @Test func earlyStoppingAfterPatienceEvaluationsWithoutImprovement() {
        var h = TrainingHyperparameters()
        h.batchSize = 2; h.epochs = 10; h.learningRate = 0                // lr 0: validation loss never improves
        h.earlyStopping = EarlyStopping(threshold: 0.001, patience: 2)
        let model = TrainingModel(randomWithConfig: trainConfig, mode: lora, seed: 1)
        let t = Trainer(model: model, training: facts, validation: Array(facts.prefix(2)), hyperparameters: h)
        let outcome = t.run()
        // Epochs of 3 steps; evaluations after steps 3 (best), 6 (stale 1), 9 (stale 2 ⇒ stop).
        #expect(outcome == .earlyStopped(atStep: 9))
        #expect(t.validationMetrics.map(\.step) == [2, 5, 8])
    }

    @Test func cancellationStopsBetweenSteps() {
        let t = trainer(mode: lora, epochs: 3)
        var seen = 0
        let outcome = t.run(isCancelled: { seen >= 2 }, progress: { p in
            seen = p.step
            #expect(p.totalSteps == 6 && p.tokensPerSecond > 0 && p.trainingLoss > 0)
        })
        #expect(outcome == .stopped(atStep: 2) && t.stepsTaken == 2)
        #expect(t.tokensPerEpoch == facts.reduce(0) { $0 + $1.tokens.count })
    }

    @Test func seededValidationSplit() {
        let items = Array(0..<50)
        let a = splitForValidation(items, percent: 20, seed: 3), b = splitForValidation(items, percent: 20, seed: 3)
        #expect(a.validation.count == 10 && a.train.count == 40 && a.validation == b.validation)
        #expect(Set(a.train).isDisjoint(with: a.validation))
        #expect(splitForValidation(items, percent: 20, seed: 4).validation != a.validation)
    }
}

/// Output of `tenStepLossTableIsReproduced` when it was recorded (see there for the tolerance).
/// Re-recorded after the speed work: the 16-lane polynomial exp (instead of libm's expf) in the
/// softmaxes, cross-entropy and SwiGLU, and attention computed as GEMMs (one fused multiply-add
/// chain per element instead of four-accumulator dot products) moved two entries by ≤ 2.4e-7.
let recordedLosses: [Double] = [3.831681251525879, 3.352311134338379, 3.1766371726989746, 3.123983144760132,
                                2.87514328956604, 2.954454183578491, 2.6882483959198, 2.807617664337158,
                                2.5038836002349854, 2.722869873046875]
