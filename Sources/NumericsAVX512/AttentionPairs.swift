// Attention inner loops for two queries at once (prompt processing): the scores of two query rows
// against the same transposed keys, and the probability-weighted sums of the same values. One
// query alone runs four FMA chains, which wait on the FMA latency; two queries run eight and share
// every key and value load. Each score and output element is still the same single FMA chain as in
// `attentionScoresBody` / `weightedSumBody`, in the same order, so the bits do not change.

/// scores0[j], scores1[j] as `attentionScoresBody` computes them for q0 and q1, for j < keys (rounded
/// up to 64); returns the largest of the first keys0 and keys1 scores (keys = max(keys0, keys1)).
/// q0, q1: (headDim), keyT: (headDim, padded), padded % 64 == 0, scores0, scores1: (padded)
@inlinable @inline(__always)
public func attentionScores2Body(_ q0: UnsafePointer<Float>, _ q1: UnsafePointer<Float>, _ keyT: UnsafePointer<Float>,
                                 _ keys0: Int, _ keys1: Int, _ padded: Int, _ headDim: Int, _ scale: Float,
                                 _ scores0: UnsafeMutablePointer<Float>,
                                 _ scores1: UnsafeMutablePointer<Float>) -> (Float, Float) {
    var j = 0
    let keys = max(keys0, keys1)
    while j < keys {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        var b0 = SIMD16<Float>(), b1 = SIMD16<Float>(), b2 = SIMD16<Float>(), b3 = SIMD16<Float>()
        for d in 0..<headDim {
            let kd = UnsafeRawPointer(keyT + (d &* padded &+ j))
            let k0 = kd.loadUnaligned(as: SIMD16<Float>.self)
            let k1 = kd.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            let k2 = kd.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
            let k3 = kd.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self)
            let s0 = SIMD16<Float>(repeating: q0[d]), s1 = SIMD16<Float>(repeating: q1[d])
            a0.addProduct(s0, k0); a1.addProduct(s0, k1); a2.addProduct(s0, k2); a3.addProduct(s0, k3)
            b0.addProduct(s1, k0); b1.addProduct(s1, k1); b2.addProduct(s1, k2); b3.addProduct(s1, k3)
        }
        let o0 = UnsafeMutableRawPointer(scores0 + j), o1 = UnsafeMutableRawPointer(scores1 + j)
        o0.storeBytes(of: a0 * scale, as: SIMD16<Float>.self)
        o0.storeBytes(of: a1 * scale, toByteOffset: 64, as: SIMD16<Float>.self)
        o0.storeBytes(of: a2 * scale, toByteOffset: 128, as: SIMD16<Float>.self)
        o0.storeBytes(of: a3 * scale, toByteOffset: 192, as: SIMD16<Float>.self)
        o1.storeBytes(of: b0 * scale, as: SIMD16<Float>.self)
        o1.storeBytes(of: b1 * scale, toByteOffset: 64, as: SIMD16<Float>.self)
        o1.storeBytes(of: b2 * scale, toByteOffset: 128, as: SIMD16<Float>.self)
        o1.storeBytes(of: b3 * scale, toByteOffset: 192, as: SIMD16<Float>.self)
        j &+= 64
    }
    var best0 = -Float.infinity, best1 = -Float.infinity
    for t in 0..<keys0 { best0 = max(best0, scores0[t]) }
    for t in 0..<keys1 { best1 = max(best1, scores1[t]) }
    return (best0, best1)
}

/// o0 = Σ_{j<count0} p0[j]·v[j], o1 = Σ_{j<count1} p1[j]·v[j] as `weightedSumBody` computes each:
/// one FMA chain over j per element, in order. headDim % 64 == 0.
/// p0: (count0), p1: (count1), v: (≥max count, ldv), o0, o1: (headDim)
@inlinable @inline(__always)
public func weightedSum2Body(_ p0: UnsafePointer<Float>, _ count0: Int, _ p1: UnsafePointer<Float>, _ count1: Int,
                             _ v: UnsafePointer<Float>, _ ldv: Int, _ headDim: Int,
                             _ o0: UnsafeMutablePointer<Float>, _ o1: UnsafeMutablePointer<Float>) {
    let both = min(count0, count1)
    var d = 0
    while d &+ 64 <= headDim {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        var b0 = SIMD16<Float>(), b1 = SIMD16<Float>(), b2 = SIMD16<Float>(), b3 = SIMD16<Float>()
        for j in 0..<both {
            let vj = UnsafeRawPointer(v + (j &* ldv &+ d))
            let v0 = vj.loadUnaligned(as: SIMD16<Float>.self)
            let v1 = vj.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            let v2 = vj.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
            let v3 = vj.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self)
            let s0 = SIMD16<Float>(repeating: p0[j]), s1 = SIMD16<Float>(repeating: p1[j])
            a0.addProduct(s0, v0); a1.addProduct(s0, v1); a2.addProduct(s0, v2); a3.addProduct(s0, v3)
            b0.addProduct(s1, v0); b1.addProduct(s1, v1); b2.addProduct(s1, v2); b3.addProduct(s1, v3)
        }
        // The longer of the two continues its chains alone.
        for j in both..<count0 {
            let vj = UnsafeRawPointer(v + (j &* ldv &+ d)), s0 = SIMD16<Float>(repeating: p0[j])
            a0.addProduct(s0, vj.loadUnaligned(as: SIMD16<Float>.self))
            a1.addProduct(s0, vj.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self))
            a2.addProduct(s0, vj.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self))
            a3.addProduct(s0, vj.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self))
        }
        for j in both..<count1 {
            let vj = UnsafeRawPointer(v + (j &* ldv &+ d)), s1 = SIMD16<Float>(repeating: p1[j])
            b0.addProduct(s1, vj.loadUnaligned(as: SIMD16<Float>.self))
            b1.addProduct(s1, vj.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self))
            b2.addProduct(s1, vj.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self))
            b3.addProduct(s1, vj.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self))
        }
        let r0 = UnsafeMutableRawPointer(o0 + d), r1 = UnsafeMutableRawPointer(o1 + d)
        r0.storeBytes(of: a0, as: SIMD16<Float>.self)
        r0.storeBytes(of: a1, toByteOffset: 64, as: SIMD16<Float>.self)
        r0.storeBytes(of: a2, toByteOffset: 128, as: SIMD16<Float>.self)
        r0.storeBytes(of: a3, toByteOffset: 192, as: SIMD16<Float>.self)
        r1.storeBytes(of: b0, as: SIMD16<Float>.self)
        r1.storeBytes(of: b1, toByteOffset: 64, as: SIMD16<Float>.self)
        r1.storeBytes(of: b2, toByteOffset: 128, as: SIMD16<Float>.self)
        r1.storeBytes(of: b3, toByteOffset: 192, as: SIMD16<Float>.self)
        d &+= 64
    }
}

/// AVX-512 build of `attentionScores2Body`.
public func attentionScores2AVX512(_ q0: UnsafePointer<Float>, _ q1: UnsafePointer<Float>, _ keyT: UnsafePointer<Float>,
                                   _ keys0: Int, _ keys1: Int, _ padded: Int, _ headDim: Int, _ scale: Float,
                                   _ scores0: UnsafeMutablePointer<Float>,
                                   _ scores1: UnsafeMutablePointer<Float>) -> (Float, Float) {
    attentionScores2Body(q0, q1, keyT, keys0, keys1, padded, headDim, scale, scores0, scores1)
}

/// AVX-512 build of `weightedSum2Body`.
public func weightedSum2AVX512(_ p0: UnsafePointer<Float>, _ count0: Int, _ p1: UnsafePointer<Float>, _ count1: Int,
                               _ v: UnsafePointer<Float>, _ ldv: Int, _ headDim: Int,
                               _ o0: UnsafeMutablePointer<Float>, _ o1: UnsafeMutablePointer<Float>) {
    weightedSum2Body(p0, count0, p1, count1, v, ldv, headDim, o0, o1)
}
