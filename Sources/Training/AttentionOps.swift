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

private func attentionHeadForward<T: TrainScalar>(_ q: UnsafePointer<T>, _ k: UnsafePointer<T>, _ v: UnsafePointer<T>,
                                                  _ probs: UnsafeMutablePointer<T>, _ out: UnsafeMutablePointer<T>,
                                                  span: SequenceSpan, head h: Int, shape: AttentionShape) {
    let hd = shape.headDim, len = span.length, kvh = h / shape.group
    let scale = 1 / T(hd).squareRoot()
    let p0 = probs + span.probOffset + h * len * len
    for t in 0..<len {
        let qt = q + (span.start + t) * shape.qWidth + h * hd, row = p0 + t * len
        var mx = -T.infinity
        for s in 0...t {
            let ks = k + (span.start + s) * shape.kvWidth + kvh * hd
            row[s] = T.dot(qt, ks, hd) * scale
            mx = max(mx, row[s])
        }
        var sum: T = 0
        for s in 0...t { row[s] = T.exp(row[s] - mx); sum += row[s] }
        let inv = 1 / sum
        for s in 0..<len { row[s] = s <= t ? row[s] * inv : 0 }
        let ot = out + (span.start + t) * shape.qWidth + h * hd
        for j in 0..<hd { ot[j] = 0 }
        for s in 0...t {
            let vs = v + (span.start + s) * shape.kvWidth + kvh * hd, p = row[s]
            for j in 0..<hd { ot[j] += p * vs[j] }
        }
    }
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

private func attentionHeadBackward<T: TrainScalar>(_ dout: UnsafePointer<T>, _ q: UnsafePointer<T>, _ k: UnsafePointer<T>,
                                                   _ v: UnsafePointer<T>, _ probs: UnsafePointer<T>,
                                                   _ dq: UnsafeMutablePointer<T>, _ dkPart: UnsafeMutablePointer<T>,
                                                   _ dvPart: UnsafeMutablePointer<T>,
                                                   span: SequenceSpan, head h: Int, shape: AttentionShape) {
    let hd = shape.headDim, len = span.length, kvh = h / shape.group, w = shape.qWidth
    let scale = 1 / T(hd).squareRoot()
    let p0 = probs + span.probOffset + h * len * len
    for t in 0..<len {
        let row = span.start + t
        for j in 0..<hd { dq[row * w + h * hd + j] = 0; dkPart[row * w + h * hd + j] = 0; dvPart[row * w + h * hd + j] = 0 }
    }
    var dp = [T](repeating: 0, count: len)
    for t in 0..<len {
        let pr = p0 + t * len, dot = dout + (span.start + t) * w + h * hd
        let qt = q + (span.start + t) * w + h * hd, dqt = dq + (span.start + t) * w + h * hd
        var sumPdP: T = 0
        for s in 0...t {
            let vs = v + (span.start + s) * shape.kvWidth + kvh * hd
            dp[s] = T.dot(dot, vs, hd)
            sumPdP += pr[s] * dp[s]
            let dvs = dvPart + (span.start + s) * w + h * hd, p = pr[s]
            for j in 0..<hd { dvs[j] += p * dot[j] }
        }
        for s in 0...t {
            let ds = pr[s] * (dp[s] - sumPdP) * scale
            let ks = k + (span.start + s) * shape.kvWidth + kvh * hd
            let dks = dkPart + (span.start + s) * w + h * hd
            for j in 0..<hd { dqt[j] += ds * ks[j]; dks[j] += ds * qt[j] }
        }
    }
}
