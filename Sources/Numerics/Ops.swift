// The element-wise and attention ops of a llama block, forward only, over FloatMatrix rows:
// RMSNorm, rotary embedding on adjacent pairs, SwiGLU, residual add, causal grouped-query
// attention against a KV cache, and a vectorized exp. Backward passes live with training code
// (not here yet). Every reduction has a fixed order, so results do not depend on thread count.
import NumericsAVX512
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// x = x + y for the first n rows.  x, y: (n, C)
public func addInPlace(_ x: FloatMatrix, _ y: FloatMatrix, rows n: Int) {
    precondition(x.cols == y.cols)
    let count = n * x.cols
    for i in 0..<count { x.base[i] += y.base[i] }
}

/// out = x / sqrt(mean(x²) + eps) · weight, row by row (rows split over `pool` when there are
/// several; each row's arithmetic is the same either way).  x, out: (n, C), weight: (C)
public func rmsNorm(_ x: FloatMatrix, rows n: Int, weight: [Float], eps: Float, into out: FloatMatrix,
                    pool: WorkerPool? = nil) {
    let c = x.cols
    precondition(weight.count == c && out.cols == c)
    weight.withUnsafeBufferPointer { w in
        forRows(n, pool) { rows in
            var r = rows.lowerBound
            while r < rows.upperBound {
                let count = min(8, rows.upperBound - r)
                let ss = sumsOfSquares(x, rows: r..<r + count)
                for j in 0..<count {
                    let xr = x.pointer(row: r + j), o = out.pointer(row: r + j)
                    let scale = 1 / (ss[j] / Float(c) + eps).squareRoot()
                    for i in 0..<c { o[i] = xr[i] * scale * w[i] }
                }
                r += count
            }
        }
    }
}

/// Σ_i x[r][i]² for up to 8 rows, each one FMA chain over i in order. Eight rows advance together
/// so eight independent chains hide the FMA latency (one chain alone waits ~4 cycles per element).
/// x: (rows.upperBound, C)
@inline(__always)
func sumsOfSquares(_ x: FloatMatrix, rows: Range<Int>) -> SIMD8<Float> {
    let c = x.cols
    var out = SIMD8<Float>()
    if rows.count < 8 {
        for (j, r) in rows.enumerated() {
            let xr = x.pointer(row: r)
            var ss: Float = 0
            for i in 0..<c { ss = ss.addingProduct(xr[i], xr[i]) }
            out[j] = ss
        }
        return out
    }
    let x0 = x.pointer(row: rows.lowerBound)
    let x1 = x0 + c, x2 = x1 + c, x3 = x2 + c, x4 = x3 + c, x5 = x4 + c, x6 = x5 + c, x7 = x6 + c
    var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
    var s4: Float = 0, s5: Float = 0, s6: Float = 0, s7: Float = 0
    for i in 0..<c {
        s0 = s0.addingProduct(x0[i], x0[i]); s1 = s1.addingProduct(x1[i], x1[i])
        s2 = s2.addingProduct(x2[i], x2[i]); s3 = s3.addingProduct(x3[i], x3[i])
        s4 = s4.addingProduct(x4[i], x4[i]); s5 = s5.addingProduct(x5[i], x5[i])
        s6 = s6.addingProduct(x6[i], x6[i]); s7 = s7.addingProduct(x7[i], x7[i])
    }
    return SIMD8(s0, s1, s2, s3, s4, s5, s6, s7)
}

/// Runs body over 0..<n, in chunks over the pool when there is one and n > 1.
@inline(__always)
func forRows(_ n: Int, _ pool: WorkerPool?, _ body: (Range<Int>) -> Void) {
    if let pool, n > 1, pool.threads > 1 { pool.parallel(n, chunk: max(1, n / 16)) { rows, _ in body(rows) } }
    else { body(0..<n) }
}

/// cos and sin of the rotary angles pos·base^(−2i/headDim) / factor_i for positions
/// first..<first+rows, computed in Double (like the numpy oracle) and rounded to Float. The factors
/// (one per pair, GGUF's rope_freqs tensor: Llama 3.1's long-context scaling) slow the low
/// frequencies; without them every factor is 1. Built once per forward chunk and shared by every
/// layer.  cosines, sines: (rows, headDim/2)
public struct RoPETable: Sendable {
    public let firstPosition: Int, rows: Int, half: Int
    let cosines: [Float], sines: [Float]

    public init(firstPosition: Int, rows: Int, headDim: Int, base: Double, frequencyFactors: [Float]? = nil) {
        precondition(frequencyFactors == nil || frequencyFactors!.count == headDim / 2)
        self.firstPosition = firstPosition
        self.rows = rows
        half = headDim / 2
        var c = [Float](repeating: 0, count: rows * half), s = c
        let inv = (0..<half).map { i in
            let frequency = pow(base, -Double(2 * i) / Double(headDim))
            return frequencyFactors.map { frequency / Double($0[i]) } ?? frequency
        }
        for r in 0..<rows {
            for i in 0..<half {
                let angle = Double(firstPosition + r) * inv[i]
                c[r * half + i] = Float(cos(angle)); s[r * half + i] = Float(sin(angle))
            }
        }
        cosines = c
        sines = s
    }
}

/// Rotary position embedding, "NORM" mode: each adjacent pair (2i, 2i+1) of every head of row r is
/// rotated by the table's angle for row r.  x: (n, heads·headDim), table: n rows
public func applyRoPE(_ x: FloatMatrix, rows n: Int, heads: Int, headDim: Int, table: RoPETable) {
    precondition(x.cols == heads * headDim && headDim == 2 * table.half && n <= table.rows)
    let half = table.half
    table.cosines.withUnsafeBufferPointer { cosT in
        table.sines.withUnsafeBufferPointer { sinT in
            for r in 0..<n {
                let row = x.pointer(row: r), c = cosT.baseAddress! + r * half, s = sinT.baseAddress! + r * half
                for h in 0..<heads {
                    let v = row + h * headDim
                    for i in 0..<half {
                        let a = v[2 * i], b = v[2 * i + 1]
                        v[2 * i] = a * c[i] - b * s[i]
                        v[2 * i + 1] = a * s[i] + b * c[i]
                    }
                }
            }
        }
    }
}

/// applyRoPE with a table built for this call.  x: (n, heads·headDim)
public func applyRoPE(_ x: FloatMatrix, rows n: Int, heads: Int, headDim: Int, firstPosition: Int, base: Double) {
    applyRoPE(x, rows: n, heads: heads, headDim: headDim,
              table: RoPETable(firstPosition: firstPosition, rows: n, headDim: headDim, base: base))
}

/// gate = silu(gate) · up = gate / (1 + e^(−gate)) · up (rows split over `pool` when several).
/// gate, up: (n, F)
public func swiGLU(_ gate: FloatMatrix, _ up: FloatMatrix, rows n: Int, pool: WorkerPool? = nil) {
    precondition(gate.cols == up.cols)
    let f = gate.cols
    forRows(n, pool) { rows in
        let g = gate.pointer(row: rows.lowerBound), u = UnsafePointer(up.pointer(row: rows.lowerBound))
        if CPU.hasAVX512 { swiGLUAVX512(g, u, rows.count * f) } else { swiGLUBody(g, u, rows.count * f) }
    }
}

/// Copies rows from..<from+n of `src` into rows at..<at+n of `dst` (appending to a KV cache).  src, dst: (_, C)
public func copyRows(_ src: FloatMatrix, from: Int = 0, rows n: Int, into dst: FloatMatrix, at: Int) {
    precondition(src.cols == dst.cols && at + n <= dst.rows && from + n <= src.rows,
                 "copyRows out of range: \(from)+\(n) of \(src.rows) → \(at)+\(n) of \(dst.rows)")
    dst.pointer(row: at).update(from: src.pointer(row: from), count: n * src.cols)
}

/// e^x with relative error ~2e-7, 0 below −87 (`fastExpBody` in NumericsAVX512/Elementwise.swift:
/// branch-free scalar code, so loops that call it vectorize with the same bits as the scalar tail).
@inlinable @inline(__always)
public func fastExp(_ x: Float) -> Float { fastExpBody(x) }

/// x[i] = e^x[i] for i in 0..<count.  x: (count)
@inlinable
public func expInPlace(_ x: UnsafeMutablePointer<Float>, _ count: Int) {
    for i in 0..<count { x[i] = fastExp(x[i]) }
}

/// Causal grouped-query attention for n new positions pos0..<pos0+n whose keys and values are
/// already in the caches. Head h reads KV head h / (heads / kvHeads). (head, query block) items are
/// split over the pool. The key cache is stored transposed in 64-position blocks, so 16 scores at a
/// time are one FMA chain over d; o = Σ_j p[j]·v[j] is one FMA chain over j per element.
/// q, out: (n, heads·headDim); vCache: (capacity, kvHeads·headDim); headDim % 16 == 0
public func causalAttention(q: FloatMatrix, rows n: Int, keys: KeyCache, vCache: FloatMatrix,
                            firstPosition pos0: Int, heads: Int, kvHeads: Int, headDim: Int,
                            into out: FloatMatrix, pool: WorkerPool) {
    precondition(headDim % 16 == 0 && heads % kvHeads == 0 && pos0 + n <= keys.capacity)
    precondition(keys.kvHeads == kvHeads && keys.headDim == headDim)
    let group = heads / kvHeads, scale = 1 / Float(headDim).squareRoot(), total = pos0 + n
    let block = KeyCache.blockSize, padded = (total + block - 1) / block * block
    let scores = UnsafeMutablePointer<Float>.allocate(capacity: pool.threads * 2 * padded)
    defer { scores.deallocate() }
    // Items are (head, block of up to 32 queries), so the work splits evenly for a long prompt too.
    let queryBlocks = (n + 31) / 32
    pool.parallel(heads * queryBlocks) { items, thread in
        let s = scores + thread * 2 * padded
        for item in items {
            let h = item / queryBlocks, qb = item % queryBlocks
            let kvHead = h / group, kvOffset = kvHead * headDim
            var i = qb * 32
            let end = min(n, qb * 32 + 32)
            // Two queries at a time (same head, so the same keys and values); the last one alone.
            while headDim % 64 == 0 && i + 1 < end {
                attendPair(q, i, h, kvHead, pos0, keys, vCache, kvOffset, headDim, scale, s, s + padded, out)
                i += 2
            }
            for i in i..<end {
                let count = pos0 + i + 1, qi = UnsafePointer(q.pointer(row: i) + h * headDim)
                var maxScore = -Float.infinity
                for b in 0..<(count + block - 1) / block {
                    let m = attentionScores(qi, keys.block(head: kvHead, b), min(block, count - b * block), block,
                                            headDim, scale, s + b * block)
                    maxScore = max(maxScore, m)
                }
                softmaxInPlace(s, count, maxScore)
                weightedSum(s, count, vCache, kvOffset, headDim, out.pointer(row: i) + h * headDim)
            }
        }
    }
}

/// Attention of query rows i and i+1 of head h: the scores, softmax and weighted sum of each are
/// those of the one-query loop in `causalAttention`, computed side by side (AttentionPairs.swift).
/// s0, s1: (padded) scratch
@inline(__always)
func attendPair(_ q: FloatMatrix, _ i: Int, _ h: Int, _ kvHead: Int, _ pos0: Int, _ keys: KeyCache,
                _ vCache: FloatMatrix, _ kvOffset: Int, _ headDim: Int, _ scale: Float,
                _ s0: UnsafeMutablePointer<Float>, _ s1: UnsafeMutablePointer<Float>, _ out: FloatMatrix) {
    let block = KeyCache.blockSize, count0 = pos0 + i + 1, count1 = count0 + 1
    let q0 = UnsafePointer(q.pointer(row: i) + h * headDim), q1 = UnsafePointer(q.pointer(row: i + 1) + h * headDim)
    var max0 = -Float.infinity, max1 = -Float.infinity
    for b in 0..<(count1 + block - 1) / block {
        let k0 = max(0, min(block, count0 - b * block)), k1 = min(block, count1 - b * block)
        let keyT = keys.block(head: kvHead, b), o = b * block
        let (m0, m1) = CPU.hasAVX512
            ? attentionScores2AVX512(q0, q1, keyT, k0, k1, block, headDim, scale, s0 + o, s1 + o)
            : attentionScores2Body(q0, q1, keyT, k0, k1, block, headDim, scale, s0 + o, s1 + o)
        max0 = max(max0, m0); max1 = max(max1, m1)
    }
    softmaxPairInPlace(s0, count0, max0, s1, count1, max1)
    let v0 = UnsafePointer(vCache.pointer(row: 0) + kvOffset)
    let o0 = out.pointer(row: i) + h * headDim, o1 = out.pointer(row: i + 1) + h * headDim
    if CPU.hasAVX512 { weightedSum2AVX512(s0, count0, s1, count1, v0, vCache.cols, headDim, o0, o1) }
    else { weightedSum2Body(s0, count0, s1, count1, v0, vCache.cols, headDim, o0, o1) }
}

/// softmaxInPlace of p0 and p1, with the two sums (each in index order) interleaved so that one
/// add's latency overlaps the other's.  p0: (count0), p1: (count1)
@inline(__always)
func softmaxPairInPlace(_ p0: UnsafeMutablePointer<Float>, _ count0: Int, _ max0: Float,
                        _ p1: UnsafeMutablePointer<Float>, _ count1: Int, _ max1: Float) {
    expShifted(p0, count0, max0)
    expShifted(p1, count1, max1)
    var sum0: Float = 0, sum1: Float = 0
    let both = min(count0, count1)
    for t in 0..<both { sum0 += p0[t]; sum1 += p1[t] }
    for t in both..<count0 { sum0 += p0[t] }
    for t in both..<count1 { sum1 += p1[t] }
    let inv0 = 1 / sum0, inv1 = 1 / sum1
    for t in 0..<count0 { p0[t] *= inv0 }
    for t in 0..<count1 { p1[t] *= inv1 }
}

/// p[t] = e^(p[t] − shift) (expShiftedBody, its AVX-512 build when the CPU has it).  p: (count)
@inline(__always)
func expShifted(_ p: UnsafeMutablePointer<Float>, _ count: Int, _ shift: Float) {
    if CPU.hasAVX512 { expShiftedAVX512(p, count, shift) } else { expShiftedBody(p, count, shift) }
}

/// attentionScoresBody (NumericsAVX512/Kernels.swift) in the AVX-512 build when the CPU has it.
@inline(__always)
func attentionScores(_ q: UnsafePointer<Float>, _ keyT: UnsafePointer<Float>, _ keys: Int, _ padded: Int,
                     _ headDim: Int, _ scale: Float, _ scores: UnsafeMutablePointer<Float>) -> Float {
    CPU.hasAVX512 ? attentionScoresAVX512(q, keyT, keys, padded, headDim, scale, scores)
        : attentionScoresBody(q, keyT, keys, padded, headDim, scale, scores)
}

/// p[j] = e^(p[j] − max) / Σ e^(p − max), summed in index order.  p: (count)
func softmaxInPlace(_ p: UnsafeMutablePointer<Float>, _ count: Int, _ maxValue: Float) {
    var sum: Float = 0
    expShifted(p, count, maxValue)
    for t in 0..<count { sum += p[t] }
    let inv = 1 / sum
    for t in 0..<count { p[t] *= inv }
}

/// o = Σ_j p[j] · v[j][offset..<offset+headDim] (weightedSumBody in NumericsAVX512/Kernels.swift,
/// its AVX-512 build when the CPU has it).  v: (≥count, C), o: (headDim)
@inline(__always)
func weightedSum(_ p: UnsafeMutablePointer<Float>, _ count: Int, _ v: FloatMatrix, _ offset: Int,
                 _ headDim: Int, _ o: UnsafeMutablePointer<Float>) {
    let v0 = UnsafePointer(v.pointer(row: 0) + offset)
    if CPU.hasAVX512 { weightedSumAVX512(p, count, v0, v.cols, headDim, o) }
    else { weightedSumBody(p, count, v0, v.cols, headDim, o) }
}
