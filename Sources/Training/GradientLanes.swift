// How a batch's gradient is computed: its sequences split into two lanes, each lane's micro-batches
// run on its own model (the trainer's, and a partner sharing its weights), at once when there are two
// or more threads. With one thread the same arithmetic runs in turn, so results never depend on the
// thread count. Measured, lanes beat splitting every product between threads (scripts/bench-train):
// no thread waits at the edge of each small product, and the work that does not split well
// (attention, norms, the loss) runs in both lanes at once.

extension Trainer {
    /// Leaves the batch's loss gradient in the model's gradient buffer and returns its loss.
    ///
    /// Lane 1 takes the first ⌈n/2⌉ sequences, lane 2 the rest, each packed into micro-batches.
    /// - LoRA: each lane accumulates its own gradient over its micro-batches; lane 2's is then added
    ///   to lane 1's. The adapters' gradients are small, so a second copy costs little.
    /// - Full fine-tuning: a second gradient buffer would cost another model's worth of memory
    ///   (≈ 540 MB for SmolLM2), so the lanes share one, in rounds of one micro-batch each. Within a
    ///   round the lanes run the forward pass and then the backward one block at a time; while they
    ///   run block l, each adds half the rows of block l + 1's weight gradients from both lanes'
    ///   saved operands, lane 1's tokens first. Every gradient element therefore sums the micro-batches
    ///   in the order a1, b1, a2, b2, …: the order one model running them in turn uses.
    func accumulateGradients(_ batch: [TrainingExample], weight: Double) -> Double {
        let h = hyperparameters, core = model.core
        let half = (batch.count + 1) / 2
        let pack = { (part: ArraySlice<TrainingExample>) in
            packMicroBatches(Array(part), weight: weight, maxSequences: h.microBatchSize, maxTokens: h.microBatchTokens)
        }
        let first = pack(batch[..<half]), second = pack(batch[half...])
        if second.isEmpty { return runInTurn(first) }
        return core.isFull ? sharedGradientLanes(first, second) : separateGradientLanes(first, second)
    }

    /// One model, micro-batch after micro-batch: the reference arithmetic of both lane schemes.
    private func runInTurn(_ work: [MicroBatch]) -> Double {
        let core = model.core
        core.grads.zero()
        var loss = 0.0
        for mb in work {
            loss += Double(core.forward(mb))
            core.backward()
        }
        return loss
    }

    /// LoRA: each lane its own gradient buffer, lane 2's added to lane 1's at the end.
    private func separateGradientLanes(_ first: [MicroBatch], _ second: [MicroBatch]) -> Double {
        let work = [first, second], core = model.core, partner = lanePartner()
        let threads = core.threads, together = threads >= 2
        core.threads = together ? threads / 2 : threads
        partner.threads = together ? threads - threads / 2 : threads
        defer { core.threads = threads }
        let models = [core, partner]
        // One loss per micro-batch, lane 1's first: each lane writes only its own slots.
        let losses = FlatBuffer<Double>(count: first.count + second.count)
        let shared = UncheckedBox((models, work, SendablePointer(losses.p)))
        parallelFor(parts: 2, threads: together ? 2 : 1) { lane in
            let (models, work, slots) = shared.value
            let start = lane == 0 ? 0 : work[0].count
            models[lane].grads.zero()
            for (i, mb) in work[lane].enumerated() {
                slots.p[start + i] = Double(models[lane].forward(mb))
                models[lane].backward()
            }
        }
        addInPlace(core.grads, partner.grads, threads: threads)
        // Summed in micro-batch order, as a sequential loop would.
        return (0..<losses.count).reduce(0.0) { $0 + losses.p[$1] }
    }

    /// Full fine-tuning: rounds of one micro-batch per lane over one shared gradient buffer. With one
    /// thread, the same micro-batches in the same order on one model.
    private func sharedGradientLanes(_ first: [MicroBatch], _ second: [MicroBatch]) -> Double {
        var order: [MicroBatch] = []
        for i in 0..<max(first.count, second.count) {
            if i < first.count { order.append(first[i]) }
            if i < second.count { order.append(second[i]) }
        }
        let core = model.core, threads = core.threads
        guard threads >= 2 else { return runInTurn(order) }
        core.grads.zero()
        let partner = lanePartner()
        core.threads = threads / 2
        partner.threads = threads - threads / 2
        defer { core.threads = threads }
        var loss = 0.0
        for i in 0..<max(first.count, second.count) {
            if i < second.count {
                let (a, b) = sharedRound(first[i], on: core, second[i], on: partner)
                loss += a; loss += b
            } else {
                core.threads = threads
                loss += Double(core.forward(first[i]))
                core.backward()
                core.threads = threads / 2
            }
        }
        return loss
    }

    /// One round of the shared scheme; returns each lane's loss.
    private func sharedRound(_ a: MicroBatch, on core: Transformer<Float>, _ b: MicroBatch, on partner: Transformer<Float>)
        -> (Double, Double) {
        let models = [core, partner], batches = [a, b]
        let layers = core.config.layers, vocab = core.config.vocabSize
        let losses = FlatBuffer<Double>(count: 2)
        let shared = UncheckedBox((models, batches, SendablePointer(losses.p)))
        parallelFor(parts: 2, threads: 2) { lane in
            let (models, batches, slots) = shared.value
            slots.p[lane] = Double(models[lane].forward(batches[lane]))
            models[lane].backwardHead()
        }
        for l in stride(from: layers - 1, through: 0, by: -1) {
            parallelFor(parts: 2, threads: 2) { lane in
                let models = shared.value.0
                // Block l + 1's operands sit in the other slot from the one block l writes.
                if l + 1 < layers {
                    models[0].addBlockWeightGradients(layer: l + 1, from: models, part: lane, of: 2, threads: models[lane].threads)
                }
                models[lane].backwardBlock(l)
            }
        }
        parallelFor(parts: 2, threads: 2) { lane in
            let models = shared.value.0
            models[0].addBlockWeightGradients(layer: 0, from: models, part: lane, of: 2, threads: models[lane].threads)
            models[0].addEmbeddingGradient(rows: fixedRange(vocab, part: lane, of: 2), from: models, threads: models[lane].threads)
            if lane == 1 { models[0].addOutputNormGradient(from: models) }
        }
        return (losses[0], losses[1])
    }

    /// The second lane's model, made on first use and kept; it follows the model's output setting.
    private func lanePartner() -> Transformer<Float> {
        let p = partner ?? Transformer(sharing: model.core)
        partner = p
        p.compactOutput = model.core.compactOutput
        return p
    }
}

/// Hands non-Sendable values to the two lanes, which touch disjoint state (see accumulateGradients).
private struct UncheckedBox<V>: @unchecked Sendable {
    let value: V
    init(_ value: V) { self.value = value }
}

/// a[i] += b[i] for every i, on fixed ranges.
private func addInPlace(_ a: FlatBuffer<Float>, _ b: FlatBuffer<Float>, threads: Int) {
    let pa = SendablePointer(a.p), pb = SendablePointer(b.p)
    parallelRanges(a.count, threads: threads, minimum: 4096) { r in
        for i in r { pa.p[i] += pb.p[i] }
    }
}
