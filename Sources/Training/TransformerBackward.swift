// The backward pass of TransformerPasses.swift's forward, in pieces: the output head, one block at a
// time, and, under full fine-tuning, the weight gradients those pieces leave operands for. `backward`
// runs them in order on one model; GradientLanes.swift runs the same pieces on two models that share
// one gradient buffer. Every weight gradient ADDS into `grads` (micro-batches accumulate), each
// element as one chain over the micro-batch's tokens in order.

extension Transformer {
    /// Adds the gradient of the micro-batch the last `forward` ran into `grads`.
    func backward() {
        backwardHead()
        for l in stride(from: config.layers - 1, through: 0, by: -1) {
            backwardBlock(l)
            if isFull { addBlockWeightGradients(layer: l, from: [self], part: 0, of: 1, threads: threads) }
        }
        if isFull {
            addEmbeddingGradient(rows: 0..<config.vocabSize, from: [self], threads: threads)
            addOutputNormGradient(from: [self])
        }
    }

    /// From the logits' gradient (left by `forward`) to the residual stream's: dxf = dlogits·E through
    /// the tied output, then the output norm. Leaves dres and the norm's dy (dxf).
    func backwardHead() {
        guard let ws = workspace, ws.keepsActivations else { preconditionFailure("backward without a forward that kept activations") }
        let c = config, n = ws.tokens, d = c.dim
        let embd = weights.p + base.offset("token_embd.weight")
        // Only the rows the forward kept have a logit gradient; the others are zero.
        let kept = ws.keptTokens, m = kept?.count ?? n
        let dxf = kept == nil ? ws[ws.dxf] : ws[ws.dxfKept]
        if m > 0 {
            T.gemm(m, d, c.vocabSize, ws[ws.logits], sam: 1, sak: m, embd, ldb: d, dxf, ldc: d,
                   accumulate: false, threads: threads)
        }
        if let kept {
            ws[ws.dxf].update(repeating: 0, count: n * d)
            for (i, t) in kept.enumerated() { ws[ws.dxf + t * d].update(from: ws[ws.dxfKept + i * d], count: d) }
        }
        ws[ws.dres].update(repeating: 0, count: n * d)
        rmsnormBackward(ws[ws.dxf], ws[ws.resOut], weights.p + base.offset("output_norm.weight"), ws[ws.rstdf],
                        ws[ws.dres], n: n, d: d, threads: threads)
    }

    /// Block l's backward: from the gradient of its output (dres) to its input's (dres again), with
    /// LoRA's adapter gradients added on the way. Weight operands go to slot l % 2.
    func backwardBlock(_ l: Int) {
        guard let ws = workspace else { preconditionFailure("backward before forward") }
        let c = config, n = ws.tokens, d = c.dim, f = c.ffnDim
        let a = ws.layers[l], b = blocks[l], s = ws.slots[l % 2], scratch = ws[ws.scratch]
        let (spans, _) = packSequences(ws.batch.lengths, heads: c.heads)
        let positions = ws.positions, shape = AttentionShape(heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim)
        // res_{l+1} = mid + down(swiglu(gate(xn2), up(xn2))), xn2 = rmsnorm(mid)
        ws[s.dDown].update(from: ws[ws.dres], count: n * d)
        ws[s.dmid].update(from: ws[ws.dres], count: n * d)
        ws[ws.dh].update(repeating: 0, count: n * f)
        linearGrad(slot(l, .down), ws[s.dDown], ws[a.h], u: a.lora[.down].map { ws[$0] }, dx: ws[ws.dh], n: n, scratch: scratch)
        swigluBackward(ws[ws.dh], ws[a.g], ws[a.u], ws[s.dg], ws[s.du], count: n * f, threads: threads)
        ws[s.dxnFFN].update(repeating: 0, count: n * d)
        linearGrad(slot(l, .gate), ws[s.dg], ws[a.xn2], u: a.lora[.gate].map { ws[$0] }, dx: ws[s.dxnFFN], n: n, scratch: scratch)
        linearGrad(slot(l, .up), ws[s.du], ws[a.xn2], u: a.lora[.up].map { ws[$0] }, dx: ws[s.dxnFFN], n: n, scratch: scratch)
        rmsnormBackward(ws[s.dxnFFN], ws[a.mid], weights.p + b.ffnNorm, ws[a.rstd2], ws[s.dmid], n: n, d: d, threads: threads)
        // mid = res + o(attention(rope(q(xn1)), rope(k(xn1)), v(xn1))), xn1 = rmsnorm(res)
        ws[ws.dres].update(from: ws[s.dmid], count: n * d)
        ws[ws.dao].update(repeating: 0, count: n * d)
        linearGrad(slot(l, .o), ws[s.dmid], ws[a.ao], u: a.lora[.o].map { ws[$0] }, dx: ws[ws.dao], n: n, scratch: scratch)
        attentionBackward(ws[ws.dao], ws[a.q], ws[a.k], ws[a.v], ws[a.probs], ws[s.dq], ws[s.dk], ws[s.dv],
                          scratch: ws[ws.attn], tokens: n, spans: spans, shape: shape, threads: threads)
        ropeBackward(ws[s.dq], positions: positions, heads: c.heads, table: rope)
        ropeBackward(ws[s.dk], positions: positions, heads: c.kvHeads, table: rope)
        ws[s.dxnAttention].update(repeating: 0, count: n * d)
        linearGrad(slot(l, .q), ws[s.dq], ws[a.xn1], u: a.lora[.q].map { ws[$0] }, dx: ws[s.dxnAttention], n: n, scratch: scratch)
        linearGrad(slot(l, .k), ws[s.dk], ws[a.xn1], u: a.lora[.k].map { ws[$0] }, dx: ws[s.dxnAttention], n: n, scratch: scratch)
        linearGrad(slot(l, .v), ws[s.dv], ws[a.xn1], u: a.lora[.v].map { ws[$0] }, dx: ws[s.dxnAttention], n: n, scratch: scratch)
        rmsnormBackward(ws[s.dxnAttention], ws[a.res], weights.p + b.attnNorm, ws[a.rstd1], ws[ws.dres],
                        n: n, d: d, threads: threads)
    }

    /// Adds block l's weight gradients from each lane's last `backwardBlock(l)`, lanes in order (so
    /// two lanes give what one model running their micro-batches in turn gives). Part `part` of
    /// `parts` takes a fixed share of every projection's rows (and of the two norms), so parts may
    /// run at once with about equal work. The lanes share this model's weights and gradient buffer.
    func addBlockWeightGradients(layer l: Int, from lanes: [Transformer<T>], part: Int, of parts: Int, threads: Int) {
        let d = config.dim, b = blocks[l]
        for lane in lanes {
            guard let ws = lane.workspace else { preconditionFailure("weight gradient before backward") }
            let n = ws.tokens, a = ws.layers[l], s = ws.slots[l % 2]
            for p in Projection.allCases {
                let (dy, x): (Int, Int) = switch p {
                case .q: (s.dq, a.xn1)
                case .k: (s.dk, a.xn1)
                case .v: (s.dv, a.xn1)
                case .o: (s.dmid, a.ao)
                case .gate: (s.dg, a.xn2)
                case .up: (s.du, a.xn2)
                case .down: (s.dDown, a.h)
                }
                let sl = slot(l, p)
                linearWeightGradient(ws[dy], ws[x], grads.p + sl.weight, n: n, inDim: sl.inDim, outDim: sl.outDim,
                                     rows: fixedRange(sl.outDim, part: part, of: parts, align: 16), threads: threads)
            }
            if part == 0 {
                rmsnormWeightGradient(ws[s.dxnAttention], ws[a.res], ws[a.rstd1], grads.p + b.attnNorm, n: n, d: d)
            }
            if part == parts - 1 {
                rmsnormWeightGradient(ws[s.dxnFFN], ws[a.mid], ws[a.rstd2], grads.p + b.ffnNorm, n: n, d: d)
            }
        }
    }

    /// Rows `rows` of the tied embedding's gradient, lane by lane: the output head's dE += dlogitsᵀ·xf,
    /// then the input lookup's scatter of dres. Disjoint row ranges may run at once.
    func addEmbeddingGradient(rows: Range<Int>, from lanes: [Transformer<T>], threads: Int) {
        let d = config.dim, gE = grads.p + base.offset("token_embd.weight")
        if rows.isEmpty { return }
        for lane in lanes {
            guard let ws = lane.workspace else { preconditionFailure("embedding gradient before backward") }
            let m = ws.keptTokens?.count ?? ws.tokens, xf = ws.keptTokens == nil ? ws[ws.xf] : ws[ws.xfKept]
            if m > 0 {
                T.gemm(rows.count, d, m, ws[ws.logits] + rows.lowerBound * m, sam: m, sak: 1, xf, ldb: d,
                       gE + rows.lowerBound * d, ldc: d, accumulate: true, threads: threads)
            }
            embeddingBackward(ws.batch.inputs, ws[ws.dres], gE, d: d, rows: rows)
        }
    }

    /// The output norm's weight gradient, lane by lane.
    func addOutputNormGradient(from lanes: [Transformer<T>]) {
        let outNorm = grads.p + base.offset("output_norm.weight")
        for lane in lanes {
            guard let ws = lane.workspace else { preconditionFailure("norm gradient before backward") }
            rmsnormWeightGradient(ws[ws.dxf], ws[ws.resOut], ws[ws.rstdf], outNorm, n: ws.tokens, d: config.dim)
        }
    }
}
