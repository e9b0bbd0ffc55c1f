// The llama forward pass that keeps what its backward needs, and that backward pass, over one
// packed micro-batch. Saved activations and gradient scratch live in one reusable flat buffer
// (`Workspace`) laid out per call. The loss comes out already summed with the batch weights, and
// the backward ADDS into `grads`, so micro-batches accumulate. No optimizer, no data handling.

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

/// Activation and gradient storage for one micro-batch shape; grows, never shrinks.
final class Workspace<T: TrainScalar> {
    private(set) var buffer: FlatBuffer<T>
    var layers: [LayerActivations] = []
    var resOut = 0, xf = 0, rstdf = 0, logits = 0, losses = 0
    /// The output-norm rows of the tokens that carry loss, packed, and their gradient (see `headRows`).
    var xfKept = 0, dxfKept = 0
    /// Which tokens the output projection ran on in the last forward (nil: all of them).
    var keptTokens: [Int]?
    var dres = 0, dmid = 0, dxn = 0, dq = 0, dk = 0, dv = 0, dao = 0, dh = 0, dg = 0, du = 0, attn = 0, scratch = 0

    init() { buffer = FlatBuffer(count: 0) }

    func layout(_ c: ModelConfig, rank: Int, tokens n: Int, probCount: Int) {
        var top = 0
        func take(_ count: Int) -> Int { defer { top += count }; return top }
        let d = c.dim, kv = c.kvDim, f = c.ffnDim
        layers = (0..<c.layers).map { _ in
            var a = LayerActivations()
            a.res = take(n * d); a.xn1 = take(n * d); a.rstd1 = take(n); a.q = take(n * d)
            a.k = take(n * kv); a.v = take(n * kv); a.probs = take(probCount); a.ao = take(n * d)
            a.mid = take(n * d); a.xn2 = take(n * d); a.rstd2 = take(n)
            a.g = take(n * f); a.u = take(n * f); a.h = take(n * f)
            if rank > 0 { for p in Projection.allCases { a.lora[p] = take(n * rank) } }
            return a
        }
        resOut = take(n * d); xf = take(n * d); rstdf = take(n); logits = take(c.vocabSize * n); losses = take(n)
        xfKept = take(n * d); dxfKept = take(n * d)
        dres = take(n * d); dmid = take(n * d); dxn = take(n * d); dq = take(n * d); dk = take(n * kv)
        dv = take(n * kv); dao = take(n * d); dh = take(n * f); dg = take(n * f); du = take(n * f)
        attn = take(2 * n * d)
        scratch = take(n * max(d + 2 * kv, 2 * f) + max(d, f) * max(rank, 1) + n * max(rank, 1))
        if top > buffer.count { buffer = FlatBuffer(count: top) }
    }

    @inline(__always) subscript(_ offset: Int) -> UnsafeMutablePointer<T> { buffer.p + offset }
}

extension Transformer {
    /// Runs the forward pass and the loss (with its gradient w.r.t. the logits, kept for `backward`).
    /// Returns Σ weight·token loss over the micro-batch.
    func forward(_ mb: MicroBatch) -> T {
        let c = config, n = mb.tokenCount, d = c.dim
        let (spans, probCount) = packSequences(mb.lengths, heads: c.heads)
        let ws = workspace ?? Workspace<T>()
        workspace = ws
        ws.layout(c, rank: loraConfig?.rank ?? 0, tokens: n, probCount: probCount)
        let positions = mb.positions, shape = AttentionShape(heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim)
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

    /// Adds this micro-batch's gradient into `grads`; call right after `forward` on the same batch.
    func backward(_ mb: MicroBatch) {
        guard let ws = workspace else { preconditionFailure("backward before forward") }
        let c = config, n = mb.tokenCount, d = c.dim, f = c.ffnDim
        let (spans, _) = packSequences(mb.lengths, heads: c.heads)
        let positions = mb.positions, shape = AttentionShape(heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim)
        let embOff = base.offset("token_embd.weight"), scratch = ws[ws.scratch]
        let g: (Int) -> UnsafeMutablePointer<T>? = { [isFull, grads] off in isFull ? grads.p + off : nil }
        // dxf = dlogits·E; under full fine-tuning also dE += dlogitsᵀ·xf (the tied output). Only the
        // rows the forward kept have a logit gradient; the others are zero.
        let kept = ws.keptTokens, m = kept?.count ?? n
        let dxf = kept == nil ? ws[ws.dxn] : ws[ws.dxfKept], xf = kept == nil ? ws[ws.xf] : ws[ws.xfKept]
        if m > 0 {
            T.gemm(m, d, c.vocabSize, ws[ws.logits], sam: 1, sak: m, weights.p + embOff, ldb: d, dxf, ldc: d,
                   accumulate: false, threads: threads)
            if let gE = g(embOff) {
                T.gemm(c.vocabSize, d, m, ws[ws.logits], sam: m, sak: 1, xf, ldb: d, gE, ldc: d,
                       accumulate: true, threads: threads)
            }
        }
        if let kept {
            ws[ws.dxn].update(repeating: 0, count: n * d)
            for (i, t) in kept.enumerated() { ws[ws.dxn + t * d].update(from: ws[ws.dxfKept + i * d], count: d) }
        }
        let outNorm = base.offset("output_norm.weight")
        ws[ws.dres].update(repeating: 0, count: n * d)
        rmsnormBackward(ws[ws.dxn], ws[ws.resOut], weights.p + outNorm, ws[ws.rstdf], ws[ws.dres], g(outNorm), n: n, d: d, threads: threads)
        for l in stride(from: c.layers - 1, through: 0, by: -1) {
            let a = ws.layers[l], b = blocks[l]
            // res_{l+1} = mid + down(swiglu(gate(xn2), up(xn2))), xn2 = rmsnorm(mid)
            ws[ws.dmid].update(from: ws[ws.dres], count: n * d)
            ws[ws.dh].update(repeating: 0, count: n * f)
            linearGrad(slot(l, .down), ws[ws.dres], ws[a.h], u: a.lora[.down].map { ws[$0] }, dx: ws[ws.dh], n: n, scratch: scratch)
            swigluBackward(ws[ws.dh], ws[a.g], ws[a.u], ws[ws.dg], ws[ws.du], count: n * f, threads: threads)
            ws[ws.dxn].update(repeating: 0, count: n * d)
            linearGrad(slot(l, .gate), ws[ws.dg], ws[a.xn2], u: a.lora[.gate].map { ws[$0] }, dx: ws[ws.dxn], n: n, scratch: scratch)
            linearGrad(slot(l, .up), ws[ws.du], ws[a.xn2], u: a.lora[.up].map { ws[$0] }, dx: ws[ws.dxn], n: n, scratch: scratch)
            rmsnormBackward(ws[ws.dxn], ws[a.mid], weights.p + b.ffnNorm, ws[a.rstd2], ws[ws.dmid], g(b.ffnNorm), n: n, d: d, threads: threads)
            // mid = res + o(attention(rope(q(xn1)), rope(k(xn1)), v(xn1))), xn1 = rmsnorm(res)
            ws[ws.dres].update(from: ws[ws.dmid], count: n * d)
            ws[ws.dao].update(repeating: 0, count: n * d)
            linearGrad(slot(l, .o), ws[ws.dmid], ws[a.ao], u: a.lora[.o].map { ws[$0] }, dx: ws[ws.dao], n: n, scratch: scratch)
            attentionBackward(ws[ws.dao], ws[a.q], ws[a.k], ws[a.v], ws[a.probs], ws[ws.dq], ws[ws.dk], ws[ws.dv],
                              scratch: ws[ws.attn], tokens: n, spans: spans, shape: shape, threads: threads)
            ropeBackward(ws[ws.dq], positions: positions, heads: c.heads, table: rope)
            ropeBackward(ws[ws.dk], positions: positions, heads: c.kvHeads, table: rope)
            ws[ws.dxn].update(repeating: 0, count: n * d)
            linearGrad(slot(l, .q), ws[ws.dq], ws[a.xn1], u: a.lora[.q].map { ws[$0] }, dx: ws[ws.dxn], n: n, scratch: scratch)
            linearGrad(slot(l, .k), ws[ws.dk], ws[a.xn1], u: a.lora[.k].map { ws[$0] }, dx: ws[ws.dxn], n: n, scratch: scratch)
            linearGrad(slot(l, .v), ws[ws.dv], ws[a.xn1], u: a.lora[.v].map { ws[$0] }, dx: ws[ws.dxn], n: n, scratch: scratch)
            rmsnormBackward(ws[ws.dxn], ws[a.res], weights.p + b.attnNorm, ws[a.rstd1], ws[ws.dres], g(b.attnNorm), n: n, d: d, threads: threads)
        }
        if let gE = g(embOff) { embeddingBackward(mb.inputs, ws[ws.dres], gE, d: d) }
    }

    /// The loss of a micro-batch without touching `grads` (validation).
    func loss(_ mb: MicroBatch) -> T { forward(mb) }
}

/// y += x.   x, y: (count)
@inline(__always)
func add<T: TrainScalar>(_ x: UnsafePointer<T>, into y: UnsafeMutablePointer<T>, count: Int) {
    for i in 0..<count { y[i] += x[i] }
}
