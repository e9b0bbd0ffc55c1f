// Dense kernels of the BERT encoder: a register-tiled SIMD matmul for activations × weightsᵀ
// (weights pre-packed into 24-column panels), LayerNorm, GELU (erf), a masked softmax and the two
// attention inner loops. They live here, not in Numerics, only because Numerics was written in
// parallel: the encoder calls nothing but `PackedLinear.apply`, `layerNorm`, `geluErf`,
// `softmaxInPlace`, `attentionScores` and `weightedSum`, so the integrator can put Numerics' GEMM
// behind `PackedLinear.apply`. Forward only, no backward. AVX2 (haswell) SIMD8 throughout.
//
// Determinism: every output element is one fixed-order chain of fused multiply-adds, whatever the
// row count, tile or thread, so a row's result never depends on its batch neighbours.

import Foundation

/// A linear layer `y = x · Wᵀ + b` with W (out × in) repacked for the SIMD kernel.
/// Layout: `panels[p][k][j]` holds `W[p*24 + j][k]`, zero-padded past `outFeatures`.
struct PackedLinear: Sendable {
    static let panelWidth = 24           // 3 × SIMD8: 12 accumulators + 3 weights + 1 broadcast = 16 ymm
    let inFeatures: Int
    let outFeatures: Int
    let panels: [Float]
    let bias: [Float]

    /// Packs a row-major (out × in) weight matrix; `weight.count` must be out × in.
    init(weight: UnsafeBufferPointer<Float>, bias: UnsafeBufferPointer<Float>, outFeatures: Int, inFeatures: Int) {
        precondition(weight.count == outFeatures * inFeatures && bias.count == outFeatures)
        let w = Self.panelWidth
        let panelCount = (outFeatures + w - 1) / w
        var packed = [Float](repeating: 0, count: panelCount * inFeatures * w)
        for n in 0..<outFeatures {
            let (p, j) = n.quotientAndRemainder(dividingBy: w)
            for k in 0..<inFeatures { packed[(p * inFeatures + k) * w + j] = weight[n * inFeatures + k] }
        }
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.panels = packed
        self.bias = Array(bias)
    }

    /// out (rows × outFeatures) = x (rows × inFeatures) · Wᵀ + b.
    /// With `threads` > 1 the rows are split into contiguous parts (multiples of 4 rows); each row is
    /// computed by the same operations either way.
    func apply(_ x: UnsafePointer<Float>, rows: Int, _ out: UnsafeMutablePointer<Float>, threads: Int = 1) {
        let parts = max(1, min(threads, rows / 16))
        guard parts > 1 else { return applyRows(x, 0, rows, out) }
        let per = ((rows + parts - 1) / parts + 3) / 4 * 4
        let xs = SendablePointer(x), os = SendablePointer(out)
        Parallel.forEach(parts, threads: parts) { t in
            let r0 = t * per, r1 = min(rows, r0 + per)
            if r0 < r1 { self.applyRows(xs.pointer, r0, r1, os.pointer) }
        }
    }

    private func applyRows(_ x: UnsafePointer<Float>, _ first: Int, _ rows: Int, _ out: UnsafeMutablePointer<Float>) {
        panels.withUnsafeBufferPointer { wp in
            bias.withUnsafeBufferPointer { bp in
                // Rows in chunks of ~512 KB of activations, which stay in L2 while all of W's panels
                // stream past once per chunk (W itself, 2.4 MB for the FFN, does not fit).
                let chunk = max(4, 131_072 / inFeatures / 4 * 4)
                var r0 = first
                while r0 < rows {
                    let r1 = min(rows, r0 + chunk)
                    for p in 0..<(panels.count / (inFeatures * Self.panelWidth)) {
                        panel(p, x, r0, r1, wp.baseAddress!, bp.baseAddress!, out)
                    }
                    r0 = r1
                }
            }
        }
    }

    private func panel(_ p: Int, _ x: UnsafePointer<Float>, _ r0: Int, _ r1: Int,
                       _ wp: UnsafePointer<Float>, _ bp: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
        let w = wp + p * inFeatures * Self.panelWidth
        let col0 = p * Self.panelWidth
        let cols = min(Self.panelWidth, outFeatures - col0)
        var r = r0
        while r + 4 <= r1 {
            tile4(x + r * inFeatures, w, bp + col0, out + r * outFeatures + col0, cols)
            r += 4
        }
        while r < r1 {
            tile1(x + r * inFeatures, w, bp + col0, out + r * outFeatures + col0, cols)
            r += 1
        }
    }

    /// 4 rows × 24 columns: acc[r][c] = fma chain over k, then + bias.
    @inline(__always)
    private func tile4(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                       _ out: UnsafeMutablePointer<Float>, _ cols: Int) {
        let k = inFeatures
        var a00 = SIMD8<Float>(), a01 = SIMD8<Float>(), a02 = SIMD8<Float>()
        var a10 = SIMD8<Float>(), a11 = SIMD8<Float>(), a12 = SIMD8<Float>()
        var a20 = SIMD8<Float>(), a21 = SIMD8<Float>(), a22 = SIMD8<Float>()
        var a30 = SIMD8<Float>(), a31 = SIMD8<Float>(), a32 = SIMD8<Float>()
        for i in 0..<k {
            let wr = UnsafeRawPointer(w + i * 24)
            let w0 = wr.loadUnaligned(as: SIMD8<Float>.self)
            let w1 = wr.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            let w2 = wr.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
            let x0 = SIMD8<Float>(repeating: x[i])
            a00.addProduct(x0, w0); a01.addProduct(x0, w1); a02.addProduct(x0, w2)
            let x1 = SIMD8<Float>(repeating: x[k + i])
            a10.addProduct(x1, w0); a11.addProduct(x1, w1); a12.addProduct(x1, w2)
            let x2 = SIMD8<Float>(repeating: x[2 * k + i])
            a20.addProduct(x2, w0); a21.addProduct(x2, w1); a22.addProduct(x2, w2)
            let x3 = SIMD8<Float>(repeating: x[3 * k + i])
            a30.addProduct(x3, w0); a31.addProduct(x3, w1); a32.addProduct(x3, w2)
        }
        let n = outFeatures
        store(a00, a01, a02, b, out, cols)
        store(a10, a11, a12, b, out + n, cols)
        store(a20, a21, a22, b, out + 2 * n, cols)
        store(a30, a31, a32, b, out + 3 * n, cols)
    }

    /// 1 row × 24 columns, the same per-element operations as `tile4`.
    @inline(__always)
    private func tile1(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                       _ out: UnsafeMutablePointer<Float>, _ cols: Int) {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>()
        for i in 0..<inFeatures {
            let wr = UnsafeRawPointer(w + i * 24)
            let x0 = SIMD8<Float>(repeating: x[i])
            a0.addProduct(x0, wr.loadUnaligned(as: SIMD8<Float>.self))
            a1.addProduct(x0, wr.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
            a2.addProduct(x0, wr.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
        }
        store(a0, a1, a2, b, out, cols)
    }

    @inline(__always)
    private func store(_ a0: SIMD8<Float>, _ a1: SIMD8<Float>, _ a2: SIMD8<Float>, _ b: UnsafePointer<Float>,
                       _ out: UnsafeMutablePointer<Float>, _ cols: Int) {
        if cols == 24 {
            let o = UnsafeMutableRawPointer(out), br = UnsafeRawPointer(b)
            o.storeBytes(of: a0 + br.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
            o.storeBytes(of: a1 + br.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self),
                         toByteOffset: 32, as: SIMD8<Float>.self)
            o.storeBytes(of: a2 + br.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self),
                         toByteOffset: 64, as: SIMD8<Float>.self)
        } else {   // ragged last panel: scalar stores of the valid columns only
            for j in 0..<cols {
                let v = j < 8 ? a0[j] : (j < 16 ? a1[j - 8] : a2[j - 16])
                out[j] = v + b[j]
            }
        }
    }
}

enum EncoderKernels {
    /// LayerNorm over each row of x (rows × n), in place: (x − mean) / sqrt(var + eps) · γ + β.
    static func layerNorm(_ x: UnsafeMutablePointer<Float>, rows: Int, n: Int,
                          gamma: [Float], beta: [Float], eps: Float) {
        for r in 0..<rows {
            let row = x + r * n
            var sum: Float = 0
            for i in 0..<n { sum += row[i] }
            let mean = sum / Float(n)
            var sq: Float = 0
            for i in 0..<n { let d = row[i] - mean; sq += d * d }
            let inv = 1 / (sq / Float(n) + eps).squareRoot()
            for i in 0..<n { row[i] = (row[i] - mean) * inv * gamma[i] + beta[i] }
        }
    }

    /// GELU with the exact erf form BERT uses: x · ½ · (1 + erf(x / √2)), in place over `count` values.
    /// Eight lanes at a time; the tail goes through the same SIMD code (zero-padded) so every value
    /// gets identical operations wherever it sits.
    static func geluErf(_ x: UnsafeMutablePointer<Float>, count: Int) {
        let invSqrt2 = SIMD8<Float>(repeating: 0.70710678118654752), half = SIMD8<Float>(repeating: 0.5)
        func gelu8(_ v: SIMD8<Float>) -> SIMD8<Float> { half * v * (1 + erf8(v * invSqrt2)) }
        var i = 0
        while i + 8 <= count {
            let p = UnsafeMutableRawPointer(x + i)
            p.storeBytes(of: gelu8(p.loadUnaligned(as: SIMD8<Float>.self)), as: SIMD8<Float>.self)
            i += 8
        }
        if i < count {
            var v = SIMD8<Float>()
            for j in 0..<(count - i) { v[j] = x[i + j] }
            let g = gelu8(v)
            for j in 0..<(count - i) { x[i + j] = g[j] }
        }
    }

    /// erf for 8 lanes: the odd/even rational approximation on [-4, 4] used by TensorFlow and Eigen
    /// for float (|error| < 7e-8 in exact arithmetic; outside ±4 erf is ±1 in Float). libm's erff
    /// per element cost ~12% of a forward pass; this is vectorised and still deterministic.
    @inline(__always)
    static func erf8(_ v: SIMD8<Float>) -> SIMD8<Float> {
        let x = vmin(vmax(v, SIMD8(repeating: -4)), SIMD8(repeating: 4))
        let x2 = x * x
        var p = SIMD8<Float>(repeating: -2.72614225801306e-10)
        for a: Float in [2.77068142495902e-08, -2.10102402082508e-06, -5.69250639462346e-05,
                         -7.34990630326855e-04, -2.95459980854025e-03, -1.60960333262415e-02] {
            p = SIMD8(repeating: a).addingProduct(x2, p)
        }
        var q = SIMD8<Float>(repeating: -1.45660718464996e-05)
        for b: Float in [-2.13374055278905e-04, -1.68282697438203e-03, -7.37332916720468e-03, -1.42647390514189e-02] {
            q = SIMD8(repeating: b).addingProduct(x2, q)
        }
        return x * p / q
    }

    /// Softmax of the first `count` scores in place (max-subtracted; entries past `count` are masked
    /// out and left alone). Eight lanes at a time with `exp8`; the sum's order depends only on `count`.
    static func softmaxInPlace(_ s: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        let full = count / 8 * 8, tail = count - full
        var m8 = SIMD8<Float>(repeating: -.infinity)
        for j in stride(from: 0, to: full, by: 8) { m8 = vmax(m8, load8(s + j)) }
        var m = m8.max()
        for j in full..<count { m = max(m, s[j]) }
        let mv = SIMD8<Float>(repeating: m)
        var sum8 = SIMD8<Float>()
        for j in stride(from: 0, to: full, by: 8) {
            let e = exp8(load8(s + j) - mv)
            UnsafeMutableRawPointer(s + j).storeBytes(of: e, as: SIMD8<Float>.self)
            sum8 += e
        }
        var sum = sum8.sum()
        if tail > 0 {   // same SIMD code on a padded vector; padded lanes are dropped before summing
            var v = SIMD8<Float>(repeating: m)
            for l in 0..<tail { v[l] = s[full + l] }
            let e = exp8(v - mv)
            for l in 0..<tail { s[full + l] = e[l]; sum += e[l] }
        }
        let inv = SIMD8<Float>(repeating: 1 / sum)
        for j in stride(from: 0, to: full, by: 8) {
            UnsafeMutableRawPointer(s + j).storeBytes(of: load8(s + j) * inv, as: SIMD8<Float>.self)
        }
        for j in full..<count { s[j] *= inv[0] }
    }

    @inline(__always)
    static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }

    /// e^x for 8 lanes, Cephes' expf scheme: x = n·ln2 + r with ln2 split in two, a degree-5
    /// polynomial for e^r, 2^n built in the exponent bits. About 1 ulp on [-87, 88]; inputs are
    /// clamped to that range (softmax only feeds x ≤ 0, where e^-87 ≈ 1.6e-38 stands in for 0).
    /// n is rounded with the 1.5·2²³ trick and read from the bits: the stdlib's SIMD Float→Int32
    /// conversion and `rounded` are per-lane generic calls (a third of a long forward pass).
    @inline(__always)
    static func exp8(_ v: SIMD8<Float>) -> SIMD8<Float> {
        let x = vmin(vmax(v, SIMD8(repeating: -87)), SIMD8(repeating: 88))
        let magic = SIMD8<Float>(repeating: 12582912)   // 1.5 · 2^23: adding it rounds to an integer
        let shifted = x * 1.44269504088896341 + magic
        let n = shifted - magic
        var r = x - n * 0.693359375
        r = r - n * -2.12194440e-4
        var p = SIMD8<Float>(repeating: 1.9875691500e-4)
        for c: Float in [1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1] {
            p = SIMD8(repeating: c).addingProduct(p, r)
        }
        let y = (r + 1).addingProduct(p, r * r)
        let ni = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000   // low bits hold n
        return y * unsafeBitCast((ni &+ 127) &<< 23, to: SIMD8<Float>.self)
    }

    /// Lane-wise min and max through compare-and-select (the generic `pointwiseMin`/`Max` and
    /// `clamped` were not inlined). NaN inputs are not expected here.
    @inline(__always)
    static func vmin(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a.replacing(with: b, where: b .< a) }
    @inline(__always)
    static func vmax(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a.replacing(with: b, where: b .> a) }

    /// scores[j] = scale · Σ_c q[c] · kT[c][j] for j < n (kT is d × stride, stride ≥ n rounded up to 8).
    /// Each lane is one sequential fma chain over c; 64 keys run as eight independent chains to hide
    /// FMA latency, then 8 at a time, and the tail runs the same SIMD code into a spare vector, so a
    /// score never depends on where its key falls in a chunk.
    static func attentionScores(_ q: UnsafePointer<Float>, _ kT: UnsafePointer<Float>, stride: Int, d: Int,
                                n: Int, scale: Float, _ scores: UnsafeMutablePointer<Float>) {
        var j = 0
        while j + 64 <= n {   // eight chains: enough to cover FMA latency
            scoreChunk(q, kT + j, stride: stride, d: d, scale: scale, scores + j, vectors: 8)
            j += 64
        }
        while j + 8 <= n {
            scoreChunk(q, kT + j, stride: stride, d: d, scale: scale, scores + j, vectors: 1)
            j += 8
        }
        if j < n {
            var tail = SIMD8<Float>()
            withUnsafeMutablePointer(to: &tail) { t in
                t.withMemoryRebound(to: Float.self, capacity: 8) {
                    scoreChunk(q, kT + j, stride: stride, d: d, scale: scale, $0, vectors: 1)
                }
            }
            for l in 0..<(n - j) { scores[j + l] = tail[l] }
        }
    }

    /// `vectors` × 8 scores (1 or 8 vectors) starting at kT's first column; same per-lane operations
    /// for either width.
    @inline(__always)
    private static func scoreChunk(_ q: UnsafePointer<Float>, _ kT: UnsafePointer<Float>, stride: Int, d: Int,
                                   scale: Float, _ out: UnsafeMutablePointer<Float>, vectors: Int) {
        if vectors == 8 {
            var a = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(),
                     SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
            for c in 0..<d {
                let row = kT + c * stride, qc = SIMD8<Float>(repeating: q[c])
                a.0.addProduct(qc, load8(row)); a.1.addProduct(qc, load8(row + 8))
                a.2.addProduct(qc, load8(row + 16)); a.3.addProduct(qc, load8(row + 24))
                a.4.addProduct(qc, load8(row + 32)); a.5.addProduct(qc, load8(row + 40))
                a.6.addProduct(qc, load8(row + 48)); a.7.addProduct(qc, load8(row + 56))
            }
            let o = UnsafeMutableRawPointer(out)
            o.storeBytes(of: a.0 * scale, as: SIMD8<Float>.self)
            o.storeBytes(of: a.1 * scale, toByteOffset: 32, as: SIMD8<Float>.self)
            o.storeBytes(of: a.2 * scale, toByteOffset: 64, as: SIMD8<Float>.self)
            o.storeBytes(of: a.3 * scale, toByteOffset: 96, as: SIMD8<Float>.self)
            o.storeBytes(of: a.4 * scale, toByteOffset: 128, as: SIMD8<Float>.self)
            o.storeBytes(of: a.5 * scale, toByteOffset: 160, as: SIMD8<Float>.self)
            o.storeBytes(of: a.6 * scale, toByteOffset: 192, as: SIMD8<Float>.self)
            o.storeBytes(of: a.7 * scale, toByteOffset: 224, as: SIMD8<Float>.self)
        } else {
            var acc = SIMD8<Float>()
            for c in 0..<d { acc.addProduct(SIMD8(repeating: q[c]), load8(kT + c * stride)) }
            UnsafeMutableRawPointer(out).storeBytes(of: acc * scale, as: SIMD8<Float>.self)
        }
    }

    /// out[c] = Σ_j p[j] · v_j[c] over n value rows `vStride` apart; d a multiple of 8. For d = 32 the
    /// even and odd j are summed in two chains and added at the end (eight chains in flight); the
    /// order depends only on n, never on the batch.
    static func weightedSum(_ p: UnsafePointer<Float>, _ v: UnsafePointer<Float>, vStride: Int, d: Int, n: Int,
                            _ out: UnsafeMutablePointer<Float>) {
        if d == 32 {
            var e = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
            var o = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
            var j = 0
            while j + 2 <= n {
                let r0 = v + j * vStride, p0 = SIMD8<Float>(repeating: p[j])
                let r1 = r0 + vStride, p1 = SIMD8<Float>(repeating: p[j + 1])
                e.0.addProduct(p0, load8(r0)); e.1.addProduct(p0, load8(r0 + 8))
                e.2.addProduct(p0, load8(r0 + 16)); e.3.addProduct(p0, load8(r0 + 24))
                o.0.addProduct(p1, load8(r1)); o.1.addProduct(p1, load8(r1 + 8))
                o.2.addProduct(p1, load8(r1 + 16)); o.3.addProduct(p1, load8(r1 + 24))
                j += 2
            }
            if j < n {
                let r0 = v + j * vStride, p0 = SIMD8<Float>(repeating: p[j])
                e.0.addProduct(p0, load8(r0)); e.1.addProduct(p0, load8(r0 + 8))
                e.2.addProduct(p0, load8(r0 + 16)); e.3.addProduct(p0, load8(r0 + 24))
            }
            let dst = UnsafeMutableRawPointer(out)
            dst.storeBytes(of: e.0 + o.0, as: SIMD8<Float>.self)
            dst.storeBytes(of: e.1 + o.1, toByteOffset: 32, as: SIMD8<Float>.self)
            dst.storeBytes(of: e.2 + o.2, toByteOffset: 64, as: SIMD8<Float>.self)
            dst.storeBytes(of: e.3 + o.3, toByteOffset: 96, as: SIMD8<Float>.self)
            return
        }
        var c = 0
        while c < d {
            var acc = SIMD8<Float>()
            for j in 0..<n { acc.addProduct(SIMD8(repeating: p[j]), load8(v + j * vStride + c)) }
            UnsafeMutableRawPointer(out + c).storeBytes(of: acc, as: SIMD8<Float>.self)
            c += 8
        }
    }
}
