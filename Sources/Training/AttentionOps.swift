// Causal grouped-query attention, forward next to backward. Query head h reads key/value head
// h / (H / KVH). Sequences of a micro-batch are packed one after another (no padding); each attends
// only within itself. Work is split over (sequence, query head) in fixed parts; key/value gradients
// of one group are summed from per-head partials in head order, so results never depend on threads.

/// Where each packed sequence lives: token offset, length, and the offset of its (H, T, T) probabilities.
struct SequenceSpan: Sendable {
    let start: Int, length: Int, probOffset: Int
}

/// Packs sequence lengths into spans; returns the spans and the total probability storage H·ΣT².
func packSequences(_ lengths: [Int], heads: Int) -> (spans: [SequenceSpan], probCount: Int) {
    var spans: [SequenceSpan] = [], start = 0, prob = 0
    for t in lengths {
        spans.append(SequenceSpan(start: start, length: t, probOffset: prob))
        start += t; prob += heads * t * t
    }
    return (spans, prob)
}

struct AttentionShape {
    let heads: Int, kvHeads: Int, headDim: Int
    var qWidth: Int { heads * headDim }
    var kvWidth: Int { kvHeads * headDim }
    var group: Int { heads / kvHeads }
}

/// out_t = Σ_{s≤t} softmax_s(q_t·k_s / √hd) · v_s per head.
/// q: (N, H·hd), k, v: (N, KVH·hd) → probs: (H·ΣT²), out: (N, H·hd)
func attentionForward<T: TrainScalar>(_ q: UnsafePointer<T>, _ k: UnsafePointer<T>, _ v: UnsafePointer<T>,
                                      _ probs: UnsafeMutablePointer<T>, _ out: UnsafeMutablePointer<T>,
                                      spans: [SequenceSpan], shape: AttentionShape, threads: Int) {
    let sq = SendablePointer(UnsafeMutablePointer(mutating: q)), sk = SendablePointer(UnsafeMutablePointer(mutating: k))
    let sv = SendablePointer(UnsafeMutablePointer(mutating: v)), sp = SendablePointer(probs), so = SendablePointer(out)
    let parts = spans.count * shape.heads
    parallelFor(parts: parts, threads: threads) { part in
        let span = spans[part / shape.heads], h = part % shape.heads
        attentionHeadForward(sq.p, sk.p, sv.p, sp.p, so.p, span: span, head: h, shape: shape)
    }
}

/// One (sequence, head): S = Q·Kᵀ and O = P·V as GEMMs on strided head slices (the masked half of
/// S is computed and then zeroed: cheaper than short dot products), softmax in between.
private func attentionHeadForward<T: TrainScalar>(_ q: UnsafePointer<T>, _ k: UnsafePointer<T>, _ v: UnsafePointer<T>,
                                                  _ probs: UnsafeMutablePointer<T>, _ out: UnsafeMutablePointer<T>,
                                                  span: SequenceSpan, head h: Int, shape: AttentionShape) {
    let hd = shape.headDim, len = span.length, kvh = h / shape.group
    let scale = 1 / T(hd).squareRoot()
    let p0 = probs + span.probOffset + h * len * len
    let qh = q + span.start * shape.qWidth + h * hd, kh = k + span.start * shape.kvWidth + kvh * hd
    let vh = v + span.start * shape.kvWidth + kvh * hd
    T.gemm(len, len, hd, qh, sam: shape.qWidth, sak: 1, kh, ldb: shape.kvWidth, transposedB: true, p0, ldc: len,
           accumulate: false, threads: 1)
    for t in 0..<len {
        let row = p0 + t * len
        var mx = -T.infinity
        for s in 0...t { row[s] *= scale; mx = max(mx, row[s]) }
        for s in 0...t { row[s] -= mx }
        T.expInPlace(row, count: t + 1)
        var sum: T = 0
        for s in 0...t { sum += row[s] }
        let inv = 1 / sum
        for s in 0..<len { row[s] = s <= t ? row[s] * inv : 0 }
    }
    T.gemm(len, hd, len, p0, sam: len, sak: 1, vh, ldb: shape.kvWidth, out + span.start * shape.qWidth + h * hd,
           ldc: shape.qWidth, accumulate: false, threads: 1)
}

/// dP = dO·Vᵀ, dS = P⊙(dP − Σ P⊙dP), dQ = dS·K/√hd, dK = dSᵀ·Q/√hd, dV = Pᵀ·dO.
/// dout: (N, H·hd), q, k, v, probs as saved → dq: (N, H·hd) overwritten, dk, dv: (N, KVH·hd) overwritten.
/// scratch: ≥ 2·N·H·hd (per-query-head partials of dk and dv).
func attentionBackward<T: TrainScalar>(_ dout: UnsafePointer<T>, _ q: UnsafePointer<T>, _ k: UnsafePointer<T>,
                                       _ v: UnsafePointer<T>, _ probs: UnsafePointer<T>,
                                       _ dq: UnsafeMutablePointer<T>, _ dk: UnsafeMutablePointer<T>,
                                       _ dv: UnsafeMutablePointer<T>, scratch: UnsafeMutablePointer<T>,
                                       tokens n: Int, spans: [SequenceSpan], shape: AttentionShape, threads: Int) {
    let hd = shape.headDim
    let dkPart = scratch, dvPart = scratch + n * shape.qWidth           // (N, H·hd) each: head h's share
    let s = (SendablePointer(UnsafeMutablePointer(mutating: dout)), SendablePointer(UnsafeMutablePointer(mutating: q)),
             SendablePointer(UnsafeMutablePointer(mutating: k)), SendablePointer(UnsafeMutablePointer(mutating: v)),
             SendablePointer(UnsafeMutablePointer(mutating: probs)))
    let o = (SendablePointer(dq), SendablePointer(dkPart), SendablePointer(dvPart))
    parallelFor(parts: spans.count * shape.heads, threads: threads) { part in
        let span = spans[part / shape.heads], h = part % shape.heads
        attentionHeadBackward(s.0.p, s.1.p, s.2.p, s.3.p, s.4.p, o.0.p, o.1.p, o.2.p,
                              span: span, head: h, shape: shape)
    }
    // Sum the partials of each key/value head over its query heads, in head order.
    for row in 0..<n {
        for kvh in 0..<shape.kvHeads {
            let dkr = dk + row * shape.kvWidth + kvh * hd, dvr = dv + row * shape.kvWidth + kvh * hd
            for j in 0..<hd { dkr[j] = 0; dvr[j] = 0 }
            for h in (kvh * shape.group)..<((kvh + 1) * shape.group) {
                let pk = dkPart + row * shape.qWidth + h * hd, pv = dvPart + row * shape.qWidth + h * hd
                for j in 0..<hd { dkr[j] += pk[j]; dvr[j] += pv[j] }
            }
        }
    }
}

/// One (sequence, head) of the backward pass as GEMMs: dP = dO·Vᵀ, then dS in place, then
/// dQ = dS·K·(scale folded into dS), dK_h = dSᵀ·Q, dV_h = Pᵀ·dO into this head's partials.
private func attentionHeadBackward<T: TrainScalar>(_ dout: UnsafePointer<T>, _ q: UnsafePointer<T>, _ k: UnsafePointer<T>,
                                                   _ v: UnsafePointer<T>, _ probs: UnsafePointer<T>,
                                                   _ dq: UnsafeMutablePointer<T>, _ dkPart: UnsafeMutablePointer<T>,
                                                   _ dvPart: UnsafeMutablePointer<T>,
                                                   span: SequenceSpan, head h: Int, shape: AttentionShape) {
    let hd = shape.headDim, len = span.length, kvh = h / shape.group, w = shape.qWidth, kw = shape.kvWidth
    let scale = 1 / T(hd).squareRoot()
    let p0 = probs + span.probOffset + h * len * len
    let off = span.start * w + h * hd, kvOff = span.start * kw + kvh * hd
    let ds = UnsafeMutablePointer<T>.allocate(capacity: max(1, len * len))
    defer { ds.deallocate() }
    T.gemm(len, len, hd, dout + off, sam: w, sak: 1, v + kvOff, ldb: kw, transposedB: true, ds, ldc: len,
           accumulate: false, threads: 1)                                              // dP
    for t in 0..<len {
        let pr = p0 + t * len, row = ds + t * len
        var sumPdP: T = 0
        for s in 0...t { sumPdP += pr[s] * row[s] }
        for s in 0..<len { row[s] = s <= t ? pr[s] * (row[s] - sumPdP) * scale : 0 }
    }
    T.gemm(len, hd, len, ds, sam: len, sak: 1, k + kvOff, ldb: kw, dq + off, ldc: w, accumulate: false, threads: 1)
    T.gemm(len, hd, len, ds, sam: 1, sak: len, q + off, ldb: w, dkPart + off, ldc: w, accumulate: false, threads: 1)
    T.gemm(len, hd, len, p0, sam: 1, sak: len, dout + off, ldb: w, dvPart + off, ldc: w, accumulate: false, threads: 1)
}
