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

/// out = x / sqrt(mean(x²) + eps) · weight, row by row.  x, out: (n, C), weight: (C)
public func rmsNorm(_ x: FloatMatrix, rows n: Int, weight: [Float], eps: Float, into out: FloatMatrix) {
    let c = x.cols
    precondition(weight.count == c && out.cols == c)
    weight.withUnsafeBufferPointer { w in
        for r in 0..<n {
            let xr = x.pointer(row: r), o = out.pointer(row: r)
            var ss: Float = 0
            for i in 0..<c { ss = ss.addingProduct(xr[i], xr[i]) }
            let scale = 1 / (ss / Float(c) + eps).squareRoot()
            for i in 0..<c { o[i] = xr[i] * scale * w[i] }
        }
    }
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

/// gate = silu(gate) · up = gate / (1 + e^(−gate)) · up.  gate, up: (n, F)
public func swiGLU(_ gate: FloatMatrix, _ up: FloatMatrix, rows n: Int) {
    precondition(gate.cols == up.cols)
    let count = n * gate.cols, g = gate.base, u = up.base
    for i in 0..<count { g[i] = g[i] / (1 + fastExp(-g[i])) * u[i] }
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
/// already in the caches. Head h reads KV head h / (heads / kvHeads). Heads are split over the pool.
/// q, out: (n, heads·headDim); kCache, vCache: (capacity, kvHeads·headDim); headDim % 16 == 0
public func causalAttention(q: FloatMatrix, rows n: Int, kCache: FloatMatrix, vCache: FloatMatrix,
                            firstPosition pos0: Int, heads: Int, kvHeads: Int, headDim: Int,
                            into out: FloatMatrix, pool: WorkerPool) {
    precondition(headDim % 16 == 0 && heads % kvHeads == 0 && pos0 + n <= kCache.rows)
    let group = heads / kvHeads, scale = 1 / Float(headDim).squareRoot(), total = pos0 + n
    let wide = CPU.hasAVX512
    pool.run { index in
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: total + 16)
        defer { scores.deallocate() }
        for h in pool.range(heads, worker: index) {
            let kvOffset = (h / group) * headDim
            for i in 0..<n {
                let qi = q.pointer(row: i) + h * headDim, keys = pos0 + i + 1
                var maxScore = -Float.infinity
                for j in 0..<keys {
                    let kj = UnsafePointer(kCache.pointer(row: j) + kvOffset)
                    let s = (wide ? f32DotAVX512(qi, kj, headDim) : f32DotBody(qi, kj, headDim)) * scale
                    scores[j] = s
                    maxScore = max(maxScore, s)
                }
                softmaxInPlace(scores, keys, maxScore)
                let o = out.pointer(row: i) + h * headDim
                weightedSum(scores, keys, vCache, kvOffset, headDim, o)
            }
        }
    }
}

/// p[j] = e^(p[j] − max) / Σ e^(p − max), summed in index order.  p: (count)
func softmaxInPlace(_ p: UnsafeMutablePointer<Float>, _ count: Int, _ maxValue: Float) {
    var sum: Float = 0
    for t in 0..<count { p[t] = fastExp(p[t] - maxValue) }
    for t in 0..<count { sum += p[t] }
    let inv = 1 / sum
    for t in 0..<count { p[t] *= inv }
}

/// o = Σ_j p[j] · v[j][offset..<offset+headDim].  v: (≥count, C), o: (headDim ≤ 64·k)
func weightedSum(_ p: UnsafeMutablePointer<Float>, _ count: Int, _ v: FloatMatrix, _ offset: Int,
                 _ headDim: Int, _ o: UnsafeMutablePointer<Float>) {
    var d = 0
    while d < headDim {
        var acc = SIMD16<Float>()
        for j in 0..<count {
            let vj = UnsafeRawPointer(v.pointer(row: j) + offset + d).loadUnaligned(as: SIMD16<Float>.self)
            acc.addProduct(SIMD16(repeating: p[j]), vj)
        }
        UnsafeMutableRawPointer(o + d).storeBytes(of: acc, as: SIMD16<Float>.self)
        d += 16
    }
}
