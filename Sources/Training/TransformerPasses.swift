// The llama forward pass that keeps what its backward needs, and that backward pass, over one
// packed micro-batch. Saved activations and gradient scratch live in one reusable flat buffer
// (`Workspace`) laid out per call. The loss comes out already summed with the batch weights. The
// backward pass is in TransformerBackward.swift. No optimizer, no data handling.

/// Packed sequences of one micro-batch: inputs[i] predicts targets[i] with loss weight weights[i].
struct MicroBatch {
    var inputs: [Int32] = [], targets: [Int32] = [], weights: [Double] = [], lengths: [Int] = []
    var positions: [Int32] { lengths.flatMap { (0..<$0).map(Int32.init) } }
    var tokenCount: Int { inputs.count }
}

/// Offsets of one block's saved activations. N tokens, d width, F ffn width, P = H·ΣT².
struct LayerActivations {
    var res = 0, xn1 = 0, rstd1 = 0, q = 0, k = 0, v = 0, probs = 0, ao = 0
    var mid = 0, xn2 = 0, rstd2 = 0, g = 0, u = 0, h = 0
    var lora: [Projection: Int] = [:]
}

/// Offsets of the gradients one block's backward leaves for its weight gradients (full
/// fine-tuning): each projection's output gradient dY (the o projection's is `dmid`, the down
/// projection's a copy of the residual gradient) and each norm's output gradient. Blocks use two
/// such slots in turn, so a weight-gradient pass over block l + 1 can read one while block l's
/// backward writes the other (GradientLanes.swift).
struct BlockGradients {
    var dDown = 0, dmid = 0, dg = 0, du = 0, dq = 0, dk = 0, dv = 0, dxnFFN = 0, dxnAttention = 0
}

/// Activation and gradient storage for one micro-batch shape; grows, never shrinks.
final class Workspace<T: TrainScalar> {
    private(set) var buffer: FlatBuffer<T>
    var layers: [LayerActivations] = []
    var resOut = 0, xf = 0, rstdf = 0, logits = 0, losses = 0
    /// The output-norm rows of the tokens that carry loss, packed, and their gradient (see `headRows`).
    var xfKept = 0, dxfKept = 0
    /// Which tokens the output projection ran on in the last forward (nil: all of them).
    var keptTokens: [Int]?
    /// Working gradients of the backward pass: the residual stream's, the output norm's input
    /// (its weight gradient's operand), the attention output's and the FFN hidden state's.
    var dres = 0, dxf = 0, dao = 0, dh = 0, attn = 0, scratch = 0
    /// Two sets of the block gradients that weight gradients read, used by alternate blocks
    /// (see BlockGradients).
    var slots: [BlockGradients] = []
    /// The micro-batch the last forward ran, its token count and positions (the backward's too).
    var batch = MicroBatch(), positions: [Int32] = []
    private(set) var tokens = 0
    /// Whether the last forward kept what the backward pass needs (see `layout`).
    private(set) var keepsActivations = false

    init() { buffer = FlatBuffer(count: 0) }

    /// Lays out buffers for `n` tokens. Without `forBackward` (a loss only, as in validation) every
    /// block reuses one block's activations and no gradient buffer is laid out: a 512-token
    /// validation batch then needs about 1/30 of the activation memory, so it does not grow the
    /// buffer past what training uses.
    func layout(_ c: ModelConfig, rank: Int, tokens n: Int, probCount: Int, forBackward: Bool) {
        tokens = n
        keepsActivations = forBackward
        var top = 0
        func take(_ count: Int) -> Int { defer { top += count }; return top }
        let d = c.dim, kv = c.kvDim, f = c.ffnDim
        func block() -> LayerActivations {
            var a = LayerActivations()
            a.res = take(n * d); a.xn1 = take(n * d); a.rstd1 = take(n); a.q = take(n * d)
            a.k = take(n * kv); a.v = take(n * kv); a.probs = take(probCount); a.ao = take(n * d)
            a.mid = take(n * d); a.xn2 = take(n * d); a.rstd2 = take(n)
            a.g = take(n * f); a.u = take(n * f); a.h = take(n * f)
            if rank > 0 { for p in Projection.allCases { a.lora[p] = take(n * rank) } }
            return a
        }
        // Shared by every block, a block's output overwrites its input `res` only in the last
        // product of the block, when nothing reads it any more.
        let shared = forBackward ? nil : block()
        layers = (0..<c.layers).map { _ in shared ?? block() }
        resOut = take(n * d); xf = take(n * d); rstdf = take(n); logits = take(c.vocabSize * n); losses = take(n)
        xfKept = take(n * d)
        if forBackward {
            dxfKept = take(n * d)
            dres = take(n * d); dxf = take(n * d); dao = take(n * d); dh = take(n * f)
            slots = (0..<2).map { _ in
                BlockGradients(dDown: take(n * d), dmid: take(n * d), dg: take(n * f), du: take(n * f), dq: take(n * d),
                               dk: take(n * kv), dv: take(n * kv), dxnFFN: take(n * d), dxnAttention: take(n * d))
            }
            attn = take(2 * n * d)
        }
        scratch = take(n * max(d + 2 * kv, 2 * f) + max(d, f) * max(rank, 1) + n * max(rank, 1))
        if top > buffer.count { buffer = FlatBuffer(count: top) }
    }

    @inline(__always) subscript(_ offset: Int) -> UnsafeMutablePointer<T> { buffer.p + offset }
}

extension Transformer {
    /// Runs the forward pass and the loss (with its gradient w.r.t. the logits, kept for `backward`).
    /// Returns Σ weight·token loss over the micro-batch.
    func forward(_ mb: MicroBatch) -> T { forward(mb, forBackward: true) }

    /// The loss of a micro-batch without touching `grads` and without keeping activations (validation).
    func loss(_ mb: MicroBatch) -> T { forward(mb, forBackward: false) }

    private func forward(_ mb: MicroBatch, forBackward: Bool) -> T {
        let c = config, n = mb.tokenCount, d = c.dim
        let (spans, probCount) = packSequences(mb.lengths, heads: c.heads)
        let ws = workspace ?? Workspace<T>()
        workspace = ws
        ws.layout(c, rank: loraConfig?.rank ?? 0, tokens: n, probCount: probCount, forBackward: forBackward)
        ws.batch = mb
        ws.positions = mb.positions
        let positions = ws.positions, shape = AttentionShape(heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim)
        let embd = weights.p + base.offset("token_embd.weight"), eps = T(c.normEps), scratch = ws[ws.scratch]
        embeddingForward(mb.inputs, embd, ws[ws.layers[0].res], d: d)
        for l in 0..<c.layers {
            let a = ws.layers[l], b = blocks[l]
            let next = l + 1 < c.layers ? ws.layers[l + 1].res : ws.resOut
            rmsnormForward(ws[a.res], weights.p + b.attnNorm, ws[a.xn1], ws[a.rstd1], n: n, d: d, eps: eps, threads: threads)
            linears([slot(l, .q), slot(l, .k), slot(l, .v)], ws[a.xn1], [ws[a.q], ws[a.k], ws[a.v]],
                    us: [Projection.q, .k, .v].map { p in a.lora[p].map { ws[$0] } }, n: n, scratch: scratch)
            ropeForward(ws[a.q], positions: positions, heads: c.heads, table: rope)
            ropeForward(ws[a.k], positions: positions, heads: c.kvHeads, table: rope)
            attentionForward(ws[a.q], ws[a.k], ws[a.v], ws[a.probs], ws[a.ao], spans: spans, shape: shape, threads: threads)
            linear(slot(l, .o), ws[a.ao], ws[a.mid], u: a.lora[.o].map { ws[$0] }, n: n, scratch: scratch)
            add(ws[a.res], into: ws[a.mid], count: n * d)
            rmsnormForward(ws[a.mid], weights.p + b.ffnNorm, ws[a.xn2], ws[a.rstd2], n: n, d: d, eps: eps, threads: threads)
            linears([slot(l, .gate), slot(l, .up)], ws[a.xn2], [ws[a.g], ws[a.u]],
                    us: [Projection.gate, .up].map { p in a.lora[p].map { ws[$0] } }, n: n, scratch: scratch)
            swigluForward(ws[a.g], ws[a.u], ws[a.h], count: n * c.ffnDim, threads: threads)
            linear(slot(l, .down), ws[a.h], ws[next], u: a.lora[.down].map { ws[$0] }, n: n, scratch: scratch)
            add(ws[a.mid], into: ws[next], count: n * d)
        }
        rmsnormForward(ws[ws.resOut], weights.p + base.offset("output_norm.weight"), ws[ws.xf], ws[ws.rstdf],
                       n: n, d: d, eps: eps, threads: threads)
        // Tied output: logitsᵀ (V, M) = E (V, d) · xfᵀ (d, M) over the M tokens that carry loss.
        let (rows, kept) = headRows(mb, ws)
        let m = kept?.count ?? n
        ws.keptTokens = kept
        if m == 0 { return 0 }
        T.gemm(c.vocabSize, m, d, embd, sam: d, sak: 1, rows, ldb: d, transposedB: true, ws[ws.logits], ldc: m,
               accumulate: false, threads: threads)
        let targets = kept.map { $0.map { mb.targets[$0] } } ?? mb.targets
        let weights = kept.map { $0.map { T(mb.weights[$0]) } } ?? mb.weights.map { T($0) }
        return crossEntropyForwardBackward(ws[ws.logits], vocab: c.vocabSize, tokens: m, targets: targets,
                                           weights: weights, losses: ws[ws.losses], threads: threads)
    }

    /// The output-norm rows the output projection needs: only tokens with a loss weight (a
    /// fine-tuning prompt's tokens carry none), packed into `xfKept`, or every row when all count.
    /// Skipping a zero-weight token changes no bit: its logit gradient is exactly zero, so it adds
    /// only zeros to every reduction it would have joined. On a prompt/completion record it saves
    /// the prompt's share of the largest matrix product of the step (49152 × 576 for SmolLM2).
    private func headRows(_ mb: MicroBatch, _ ws: Workspace<T>) -> (UnsafePointer<T>, [Int]?) {
        let n = mb.tokenCount, d = config.dim
        let kept = mb.weights.indices.filter { mb.weights[$0] != 0 }
        if !compactOutput || kept.count == n { return (UnsafePointer(ws[ws.xf]), nil) }
        for (i, t) in kept.enumerated() { ws[ws.xfKept + i * d].update(from: ws[ws.xf + t * d], count: d) }
        return (UnsafePointer(ws[ws.xfKept]), kept)
    }

}

/// y += x.   x, y: (count)
@inline(__always)
func add<T: TrainScalar>(_ x: UnsafePointer<T>, into y: UnsafeMutablePointer<T>, count: Int) {
    for i in 0..<count { y[i] += x[i] }
}
