// The differentiable llama model's state: base weights in one flat buffer (GGUF names and
// layouts), optional LoRA adapters in a second, gradients for whatever is trainable, and the
// linear layers with their adapters. Generic over Float (training) and Double (gradient checks).
// The forward pass is in TransformerPasses.swift, the backward in TransformerBackward.swift; no
// optimizer or data here.
import Basics

/// Offsets of one block's tensors in the base buffer.
struct BlockOffsets {
    let attnNorm: Int, ffnNorm: Int
    let proj: [Projection: Int]
}

/// A linear layer with its optional adapter: offsets into the base and adapter buffers.
struct LinearSlot {
    let weight: Int, outDim: Int, inDim: Int
    let loraA: Int?, loraB: Int?
}

final class Transformer<T: TrainScalar> {
    let config: ModelConfig
    let mode: TrainingMode
    let base: ParameterLayout
    let adapterLayout: ParameterLayout
    /// Every base tensor, GGUF layout. Frozen under LoRA, trained under full fine-tuning.
    let weights: FlatBuffer<T>
    /// LoRA A and B matrices (empty under full fine-tuning).
    let adapters: FlatBuffer<T>
    /// Gradient of the loss w.r.t. the trainable buffer (`weights` or `adapters`), same layout.
    let grads: FlatBuffer<T>
    let blocks: [BlockOffsets]
    let rope: RopeTable<T>
    /// Threads for the kernels; results do not depend on it.
    var threads: Int
    var workspace: Workspace<T>?
    /// Run the output projection only on tokens with a loss weight (same bits; off only in the test
    /// that checks this).
    var compactOutput = true

    init(config: ModelConfig, mode: TrainingMode, threads: Int = 1) {
        self.config = config; self.mode = mode; self.threads = max(1, threads)
        base = ParameterLayout.base(config)
        if case .lora(let lc) = mode { adapterLayout = ParameterLayout.lora(config, lc) } else { adapterLayout = ParameterLayout() }
        weights = FlatBuffer(count: base.count)
        adapters = FlatBuffer(count: adapterLayout.count)
        grads = FlatBuffer(count: mode == .full ? base.count : adapterLayout.count)
        let b = base
        blocks = (0..<config.layers).map { l in
            var proj: [Projection: Int] = [:]
            for p in Projection.allCases { proj[p] = b.offset("blk.\(l).\(p.rawValue).weight") }
            return BlockOffsets(attnNorm: b.offset("blk.\(l).attn_norm.weight"),
                                ffnNorm: b.offset("blk.\(l).ffn_norm.weight"), proj: proj)
        }
        rope = RopeTable(headDim: config.headDim, base: config.ropeBase, maxPositions: config.maxPositions)
    }

    /// A second model over the same weight and adapter buffers, with its own activations: a lane of
    /// the trainer's data-parallel step (GradientLanes.swift). Under LoRA it has its own gradients;
    /// under full fine-tuning it shares `other`'s too (a copy would cost another model's worth of
    /// memory) and never writes them itself: its block gradients are added by joint passes. Only the
    /// optimizer writes the weights, after both lanes finish.
    init(sharing other: Transformer<T>) {
        config = other.config; mode = other.mode; threads = other.threads
        base = other.base; adapterLayout = other.adapterLayout
        weights = other.weights; adapters = other.adapters
        grads = other.isFull ? other.grads : FlatBuffer(count: other.grads.count)
        blocks = other.blocks; rope = other.rope
    }

    var trainable: FlatBuffer<T> { mode == .full ? weights : adapters }
    var isFull: Bool { mode == .full }
    var loraConfig: LoRAConfig? { if case .lora(let lc) = mode { lc } else { nil } }

    /// Random base weights: linear layers and embeddings uniform in ±1/√in, norms near 1. Then adapters.
    func randomize(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for e in base.entries {
            let isNorm = e.shape.count == 1
            let bound = isNorm ? 0.1 : 1 / Double(e.shape[1]).squareRoot()
            for i in 0..<e.count { weights[e.offset + i] = T((isNorm ? 1 : 0) + rng.symmetric(bound)) }
        }
        initializeAdapters(seed: seed &+ 1)
    }

    /// A uniform in ±1/√in (Kaiming-uniform-like, as peft does), B zero: training starts from the base model.
    func initializeAdapters(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for e in adapterLayout.entries {
            let isA = e.name.hasSuffix("lora_a")
            for i in 0..<e.count { adapters[e.offset + i] = isA ? T(rng.symmetric(1 / Double(e.shape[1]).squareRoot())) : 0 }
        }
    }

    func slot(_ layer: Int, _ p: Projection) -> LinearSlot {
        let s = config.shape(of: p)
        var a: Int?, b: Int?
        if let lc = loraConfig, lc.targets.contains(p) {
            a = adapterLayout.offset("blk.\(layer).\(p.rawValue).lora_a")
            b = adapterLayout.offset("blk.\(layer).\(p.rawValue).lora_b")
        }
        return LinearSlot(weight: blocks[layer].proj[p]!, outDim: s.out, inDim: s.in, loraA: a, loraB: b)
    }

    // MARK: - Linear layer with adapter

    /// y = x·Wᵀ + s·(x·Aᵀ)·Bᵀ; u = s·x·Aᵀ is saved for the backward pass.
    /// x: (N, in) → y: (N, out), u: (N, r)
    func linear(_ slot: LinearSlot, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, u: UnsafeMutablePointer<T>?,
                n: Int, scratch: UnsafeMutablePointer<T>) {
        linearForward(x, weights.p + slot.weight, y, n: n, inDim: slot.inDim, outDim: slot.outDim, scratch: scratch, threads: threads)
        adapterForward(slot, x, y, u: u, n: n, scratch: scratch)
    }

    /// `linear` for projections of one input whose weights lie back to back in `weights` (q, k, v;
    /// gate, up): one GEMM, so x is packed once for all of them. Same bits as separate calls.
    /// scratch: ≥ N·Σout
    func linears(_ slots: [LinearSlot], _ x: UnsafePointer<T>, _ ys: [UnsafeMutablePointer<T>],
                 us: [UnsafeMutablePointer<T>?], n: Int, scratch: UnsafeMutablePointer<T>) {
        let inDim = slots[0].inDim
        var total = 0
        for s in slots {
            precondition(s.inDim == inDim && s.weight == slots[0].weight + total * inDim, "projections are not adjacent")
            total += s.outDim
        }
        T.gemm(total, n, inDim, weights.p + slots[0].weight, sam: inDim, sak: 1, x, ldb: inDim, transposedB: true,
               scratch, ldc: n, accumulate: false, threads: threads)                 // (Σout, N)
        var row = 0
        for (s, y) in zip(slots, ys) {
            transpose(scratch + row * n, rows: s.outDim, cols: n, into: y, threads: threads)
            row += s.outDim
        }
        for i in slots.indices { adapterForward(slots[i], x, ys[i], u: us[i], n: n, scratch: scratch) }
    }

    /// y += s·(x·Aᵀ)·Bᵀ with u = s·x·Aᵀ saved, when the slot has an adapter.
    private func adapterForward(_ slot: LinearSlot, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>,
                                u: UnsafeMutablePointer<T>?, n: Int, scratch: UnsafeMutablePointer<T>) {
        guard let ao = slot.loraA, let bo = slot.loraB, let u, let lc = loraConfig else { return }
        let r = lc.rank, s = T(lc.scale)
        linearForward(x, adapters.p + ao, u, n: n, inDim: slot.inDim, outDim: r, scratch: scratch, threads: threads)
        for i in 0..<(n * r) { u[i] *= s }
        T.gemm(n, slot.outDim, r, u, sam: r, sak: 1, adapters.p + bo, ldb: r, transposedB: true, y, ldc: slot.outDim,
               accumulate: true, threads: threads)                                  // B (out, r) read as Bᵀ
    }

    /// dx += dy·W (+ s·dU·A); adapters get dB += dyᵀ·u and dA += s·dUᵀ·x. A trained W's own gradient
    /// is added later from the saved dy (`addWeightGradient`, TransformerBackward.swift).
    /// dy: (N, out), x: (N, in), u: (N, r) → dx: (N, in) or nil when not needed
    func linearGrad(_ slot: LinearSlot, _ dy: UnsafePointer<T>, _ x: UnsafePointer<T>, u: UnsafePointer<T>?,
                    dx: UnsafeMutablePointer<T>?, n: Int, scratch: UnsafeMutablePointer<T>) {
        if let dx { linearBackward(dy, weights.p + slot.weight, dx, n: n, inDim: slot.inDim, outDim: slot.outDim, threads: threads) }
        guard let ao = slot.loraA, let bo = slot.loraB, let u, let lc = loraConfig else { return }
        let r = lc.rank, s = T(lc.scale), du = scratch                                // du: (N, r)
        T.gemm(slot.outDim, r, n, dy, sam: 1, sak: slot.outDim, u, ldb: r, grads.p + bo, ldc: r,
               accumulate: true, threads: threads)
        T.gemm(n, r, slot.outDim, dy, sam: slot.outDim, sak: 1, adapters.p + bo, ldb: r, du, ldc: r,
               accumulate: false, threads: threads)
        for i in 0..<(n * r) { du[i] *= s }
        T.gemm(r, slot.inDim, n, du, sam: 1, sak: r, x, ldb: slot.inDim, grads.p + ao, ldc: slot.inDim,
               accumulate: true, threads: threads)
        if let dx {
            T.gemm(n, slot.inDim, r, du, sam: r, sak: 1, adapters.p + ao, ldb: slot.inDim, dx, ldc: slot.inDim,
                   accumulate: true, threads: threads)
        }
    }
}
