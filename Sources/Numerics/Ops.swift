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
            for r in rows {
                let xr = x.pointer(row: r), o = out.pointer(row: r)
                var ss: Float = 0
                for i in 0..<c { ss = ss.addingProduct(xr[i], xr[i]) }
                let scale = 1 / (ss / Float(c) + eps).squareRoot()
                for i in 0..<c { o[i] = xr[i] * scale * w[i] }
            }
        }
    }
}

/// Runs body over 0..<n, in chunks over the pool when there is one and n > 1.
@inline(__always)
func forRows(_ n: Int, _ pool: WorkerPool?, _ body: (Range<Int>) -> Void) {
    if let pool, n > 1, pool.threads > 1 { pool.parallel(n, chunk: max(1, n / 16)) { rows, _ in body(rows) } }
    else { body(0..<n) }
}

/// cos and sin of the rotary angles pos·base^(−2i/headDim) for positions first..<first+rows, computed
/// in Double (like the numpy oracle) and rounded to Float. Built once per forward chunk and shared
/// by every layer.  cosines, sines: (rows, headDim/2)
public struct RoPETable: Sendable {
    public let firstPosition: Int, rows: Int, half: Int
    let cosines: [Float], sines: [Float]

    public init(firstPosition: Int, rows: Int, headDim: Int, base: Double) {
        self.firstPosition = firstPosition
        self.rows = rows
        half = headDim / 2
        var c = [Float](repeating: 0, count: rows * half), s = c
        let inv = (0..<half).map { pow(base, -Double(2 * $0) / Double(headDim)) }
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
        let g = gate.pointer(row: rows.lowerBound), u = up.pointer(row: rows.lowerBound)
        for i in 0..<rows.count * f { g[i] = g[i] / (1 + fastExp(-g[i])) * u[i] }
    }
}

/// Copies rows from..<from+n of `src` into rows at..<at+n of `dst` (appending to a KV cache).  src, dst: (_, C)
public func copyRows(_ src: FloatMatrix, from: Int = 0, rows n: Int, into dst: FloatMatrix, at: Int) {
    precondition(src.cols == dst.cols && at + n <= dst.rows && from + n <= src.rows,
                 "copyRows out of range: \(from)+\(n) of \(src.rows) → \(at)+\(n) of \(dst.rows)")
    dst.pointer(row: at).update(from: src.pointer(row: from), count: n * src.cols)
}

/// e^x: x = k·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial (Cephes expf), 2^k built in
/// the exponent bits. Relative error ~2e-7; x below −87 gives 0. Branch-free scalar code, so the
/// loops that call it vectorize and give the same bits as the scalar tail.
@inlinable @inline(__always)
public func fastExp(_ x: Float) -> Float {
    let c = min(max(x, -87.3), 88.3)
    let k = (c * 1.442695041).rounded(.toNearestOrEven)
    var r = c - k * 0.693359375
    r = r + k * 2.12194440e-4
    var p: Float = 1.9875691500e-4
    p = p * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    let er = p * (r * r) + r + 1
    let scale = Float(bitPattern: UInt32(bitPattern: (Int32(k) &+ 127) &<< 23))
    return x < -87.3 ? 0 : er * scale
}

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
    let scores = UnsafeMutablePointer<Float>.allocate(capacity: pool.threads * padded)
    defer { scores.deallocate() }
    // Items are (head, block of up to 32 queries), so the work splits evenly for a long prompt too.
    let queryBlocks = (n + 31) / 32
    pool.parallel(heads * queryBlocks) { items, thread in
        let s = scores + thread * padded
        for item in items {
            let h = item / queryBlocks, qb = item % queryBlocks
            let kvHead = h / group, kvOffset = kvHead * headDim
            for i in qb * 32..<min(n, qb * 32 + 32) {
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
    for t in 0..<count { p[t] = fastExp(p[t] - maxValue) }
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
