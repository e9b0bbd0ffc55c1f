// Dense Float kernels the trainer needs: one register-tiled SIMD GEMM with a strided A operand (it
// serves Yᵀ = W·Xᵀ, dX = dY·W and dW += dYᵀ·X without copying W), a fixed-order SIMD dot product, a
// transpose and a fixed-partition parallel loop. Raw pointers live here and nowhere else.
// The integrator may later move these into Numerics (and build an AVX-512 copy there with
// -D TRAINING_WIDE_TILES for 6×32 tiles). Every output element is computed by one thread with the
// same operation sequence whatever the tiling or thread count: results are bit-identical.
import Dispatch

/// A pointer that may cross into a `concurrentPerform` closure; each worker writes a disjoint range.
struct SendablePointer<T>: @unchecked Sendable {
    let p: UnsafeMutablePointer<T>
    init(_ p: UnsafeMutablePointer<T>) { self.p = p }
}

/// Runs `body(part)` for part in 0..<parts, on up to `threads` threads. The caller decides what each
/// part covers (always a fixed split of the work), so the result never depends on scheduling.
func parallelFor(parts: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    if threads <= 1 || parts <= 1 {
        for i in 0..<parts { body(i) }
    } else {
        DispatchQueue.concurrentPerform(iterations: parts, execute: body)
    }
}

/// Runs `body` on fixed contiguous ranges covering 0..<count, one per thread (serially when the
/// work is small). For element-wise work where every element is computed the same way anywhere.
func parallelRanges(_ count: Int, threads: Int, minimum: Int = 32, _ body: @Sendable (Range<Int>) -> Void) {
    let parts = max(1, min(threads, count / minimum))
    parallelFor(parts: parts, threads: threads) { body(fixedRange(count, part: $0, of: parts)) }
}

/// The fixed share of 0..<count for part `i` of `parts`, rounded to multiples of `align`.
@inline(__always)
func fixedRange(_ count: Int, part i: Int, of parts: Int, align: Int = 1) -> Range<Int> {
    let units = (count + align - 1) / align
    let lo = min(count, units * i / parts * align), hi = min(count, units * (i + 1) / parts * align)
    return lo..<hi
}

@inline(__always)
private func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
private func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// C[m, n] (+)= Σ_k A[m·sam + k·sak] · B[k·ldb + n], k in increasing order, one fused multiply-add each.
/// A: (M, K) with any strides, B: (K, N) rows of stride ldb, C: (M, N) rows of stride ldc.
/// Rows of C are split between threads in fixed contiguous ranges.
func sgemm(_ M: Int, _ N: Int, _ K: Int,
           _ a: UnsafePointer<Float>, sam: Int, sak: Int,
           _ b: UnsafePointer<Float>, ldb: Int,
           _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int) {
    if M == 0 || N == 0 { return }
    if !accumulate { for m in 0..<M { (c + m &* ldc).update(repeating: 0, count: N) } }
    if K == 0 { return }
    let parts = max(1, min(threads, M / 6))
    let pa = SendablePointer(UnsafeMutablePointer(mutating: a))
    let pb = SendablePointer(UnsafeMutablePointer(mutating: b)), pc = SendablePointer(c)
    parallelFor(parts: parts, threads: threads) { part in
        let rows = fixedRange(M, part: part, of: parts, align: 6)
        gemmBlock(rows, N, K, pa.p, sam, sak, pb.p, ldb, pc.p, ldc)
    }
}

/// Cache blocking: a kc-deep slice of B is packed once per thread, an mc-row block of A is packed
/// into 6-row strips, and every 6 × `panel` tile then reads both operands sequentially.
private let kcBlock = 256, mcBlock = 96

/// Columns of C per register tile. 16 (12 ymm accumulators) fits AVX2's 16 registers; a build for
/// AVX-512 (32 zmm registers) defines TRAINING_WIDE_TILES and keeps 6 × 32 in 12 zmm instead.
/// Both give identical bits: each element sees the same multiply-adds in the same order.
#if TRAINING_WIDE_TILES
private let panel = 32
#else
private let panel = 16
#endif

private func gemmBlock(_ rows: Range<Int>, _ N: Int, _ K: Int,
                       _ a: UnsafePointer<Float>, _ sam: Int, _ sak: Int,
                       _ b: UnsafePointer<Float>, _ ldb: Int,
                       _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    if rows.isEmpty { return }
    let panels = (N + panel - 1) / panel
    let apack = UnsafeMutablePointer<Float>.allocate(capacity: (mcBlock + 6) * kcBlock)
    let bpack = UnsafeMutablePointer<Float>.allocate(capacity: kcBlock * panels * panel)
    let ctile = UnsafeMutablePointer<Float>.allocate(capacity: 6 * panel)
    defer { apack.deallocate(); bpack.deallocate(); ctile.deallocate() }
    for k0 in stride(from: 0, to: K, by: kcBlock) {
        let kc = min(kcBlock, K - k0)
        packB(b + k0 &* ldb, ldb, kc, N, into: bpack)
        for m0 in stride(from: rows.lowerBound, to: rows.upperBound, by: mcBlock) {
            let m1 = min(rows.upperBound, m0 + mcBlock), strips = (m1 - m0 + 5) / 6
            // Rows of A that are contiguous in k are read in place (packing them would cost about as
            // much as the product when N is small); strided A is packed into 6-row strips.
            let direct = sak == 1 && (m1 - m0) % 6 == 0
            if !direct { packA(a + (m0 &* sam &+ k0 &* sak), sam, sak, rows: m1 - m0, kc, into: apack) }
            let (ars, aks) = direct ? (sam, 1) : (1, 6)
            for p in 0..<panels {
                let n0 = p &* panel, nw = min(panel, N - n0), bp = bpack + p &* kc &* panel
                for t in 0..<strips {
                    let m = m0 &+ t &* 6, mh = min(6, m1 - m)
                    let ap = direct ? a + (m &* sam &+ k0) : UnsafePointer(apack + t &* kc &* 6)
                    if mh == 6 && nw == panel {
                        tile(kc, ap, ars, aks, bp, c + (m &* ldc &+ n0), ldc)
                    } else {
                        // Ragged edge: run the full tile on a zero-padded copy; the valid elements see
                        // exactly the same operations as they would in place.
                        ctile.update(repeating: 0, count: 6 * panel)
                        for r in 0..<mh { for j in 0..<nw { ctile[r &* panel &+ j] = c[(m &+ r) &* ldc &+ n0 &+ j] } }
                        tile(kc, ap, ars, aks, bp, ctile, panel)
                        for r in 0..<mh { for j in 0..<nw { c[(m &+ r) &* ldc &+ n0 &+ j] = ctile[r &* panel &+ j] } }
                    }
                }
            }
        }
    }
}

/// B (kc, N) → panels of `panel` columns, each (kc, panel) contiguous, zero-padded on the right.
@inline(__always)
private func packB(_ b: UnsafePointer<Float>, _ ldb: Int, _ kc: Int, _ N: Int, into out: UnsafeMutablePointer<Float>) {
    let full = N / panel
    for p in 0..<full {
        let dst = out + p &* kc &* panel, src = b + p &* panel
        for k in 0..<kc {
            for v in stride(from: 0, to: panel, by: 16) { store16(load16(src + (k &* ldb &+ v)), dst + (k &* panel &+ v)) }
        }
    }
    if full * panel < N {
        let dst = out + full &* kc &* panel, w = N - full * panel
        for k in 0..<kc {
            for j in 0..<panel { dst[k &* panel &+ j] = j < w ? b[k &* ldb &+ full &* panel &+ j] : 0 }
        }
    }
}

/// A (rows, kc) with strides → strips of 6 rows, each (kc, 6) contiguous, zero-padded at the bottom.
@inline(__always)
private func packA(_ a: UnsafePointer<Float>, _ sam: Int, _ sak: Int, rows: Int, _ kc: Int, into out: UnsafeMutablePointer<Float>) {
    let strips = (rows + 5) / 6
    for t in 0..<strips {
        let dst = out + t &* kc &* 6
        for r in 0..<6 {
            let row = t &* 6 &+ r
            if row < rows {
                let src = a + row &* sam
                for k in 0..<kc { dst[k &* 6 &+ r] = src[k &* sak] }
            } else {
                for k in 0..<kc { dst[k &* 6 &+ r] = 0 }
            }
        }
    }
}

#if TRAINING_WIDE_TILES
/// 6 rows × 32 columns of C in 12 zmm registers.
/// a: 6 rows of stride ars, k stride aks (a packed strip has 1, 6), b: packed panel (kc, 32),
/// c: (6, 32) with row stride ldc.
@inline(__always)
private func tile(_ kc: Int, _ a: UnsafePointer<Float>, _ ars: Int, _ aks: Int, _ b: UnsafePointer<Float>,
                  _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    var c0 = load16(c), c1 = load16(c + ldc), c2 = load16(c + 2 &* ldc)
    var c3 = load16(c + 3 &* ldc), c4 = load16(c + 4 &* ldc), c5 = load16(c + 5 &* ldc)
    var d0 = load16(c + 16), d1 = load16(c + (ldc &+ 16)), d2 = load16(c + (2 &* ldc &+ 16))
    var d3 = load16(c + (3 &* ldc &+ 16)), d4 = load16(c + (4 &* ldc &+ 16)), d5 = load16(c + (5 &* ldc &+ 16))
    var ap = a, bp = b
    let r2 = 2 &* ars, r3 = 3 &* ars, r4 = 4 &* ars, r5 = 5 &* ars
    for _ in 0..<kc {
        let bv = load16(bp), bw = load16(bp + 16)
        var s = SIMD16(repeating: ap[0]); c0.addProduct(s, bv); d0.addProduct(s, bw)
        s = SIMD16(repeating: ap[ars]); c1.addProduct(s, bv); d1.addProduct(s, bw)
        s = SIMD16(repeating: ap[r2]); c2.addProduct(s, bv); d2.addProduct(s, bw)
        s = SIMD16(repeating: ap[r3]); c3.addProduct(s, bv); d3.addProduct(s, bw)
        s = SIMD16(repeating: ap[r4]); c4.addProduct(s, bv); d4.addProduct(s, bw)
        s = SIMD16(repeating: ap[r5]); c5.addProduct(s, bv); d5.addProduct(s, bw)
        ap += aks; bp += 32
    }
    store16(c0, c); store16(c1, c + ldc); store16(c2, c + 2 &* ldc)
    store16(c3, c + 3 &* ldc); store16(c4, c + 4 &* ldc); store16(c5, c + 5 &* ldc)
    store16(d0, c + 16); store16(d1, c + (ldc &+ 16)); store16(d2, c + (2 &* ldc &+ 16))
    store16(d3, c + (3 &* ldc &+ 16)); store16(d4, c + (4 &* ldc &+ 16)); store16(d5, c + (5 &* ldc &+ 16))
}
#else
/// 6 rows × 16 columns of C in registers (12 ymm with AVX2).
/// a: 6 rows of stride ars, k stride aks (a packed strip has 1, 6), b: packed panel (kc, 16),
/// c: (6, 16) with row stride ldc.
@inline(__always)
private func tile(_ kc: Int, _ a: UnsafePointer<Float>, _ ars: Int, _ aks: Int, _ b: UnsafePointer<Float>,
                  _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    var c0 = load16(c), c1 = load16(c + ldc), c2 = load16(c + 2 &* ldc)
    var c3 = load16(c + 3 &* ldc), c4 = load16(c + 4 &* ldc), c5 = load16(c + 5 &* ldc)
    var ap = a, bp = b
    let r2 = 2 &* ars, r3 = 3 &* ars, r4 = 4 &* ars, r5 = 5 &* ars
    for _ in 0..<kc {
        let bv = load16(bp)
        c0.addProduct(SIMD16(repeating: ap[0]), bv)
        c1.addProduct(SIMD16(repeating: ap[ars]), bv)
        c2.addProduct(SIMD16(repeating: ap[r2]), bv)
        c3.addProduct(SIMD16(repeating: ap[r3]), bv)
        c4.addProduct(SIMD16(repeating: ap[r4]), bv)
        c5.addProduct(SIMD16(repeating: ap[r5]), bv)
        ap += aks; bp += 16
    }
    store16(c0, c); store16(c1, c + ldc); store16(c2, c + 2 &* ldc)
    store16(c3, c + 3 &* ldc); store16(c4, c + 4 &* ldc); store16(c5, c + 5 &* ldc)
}
#endif

/// Σ a[i]·b[i] in a fixed order: four 16-lane accumulators over 64-wide chunks, then a scalar tail.
func sdot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var s0 = SIMD16<Float>(), s1 = SIMD16<Float>(), s2 = SIMD16<Float>(), s3 = SIMD16<Float>()
    var i = 0
    while i + 64 <= n {
        s0.addProduct(load16(a + i), load16(b + i))
        s1.addProduct(load16(a + (i &+ 16)), load16(b + (i &+ 16)))
        s2.addProduct(load16(a + (i &+ 32)), load16(b + (i &+ 32)))
        s3.addProduct(load16(a + (i &+ 48)), load16(b + (i &+ 48)))
        i += 64
    }
    while i + 16 <= n { s0.addProduct(load16(a + i), load16(b + i)); i += 16 }
    var s = ((s0 + s1) + (s2 + s3)).sum()
    while i < n { s.addProduct(a[i], b[i]); i += 1 }
    return s
}

/// out[j·rows + i] = x[i·cols + j]. x: (rows, cols) → out: (cols, rows), in 16×16 blocks for the cache.
func transpose<T>(_ x: UnsafePointer<T>, rows: Int, cols: Int, into out: UnsafeMutablePointer<T>, threads: Int = 1) {
    let sx = SendablePointer(UnsafeMutablePointer(mutating: x)), so = SendablePointer(out)
    parallelRanges((rows + 15) / 16, threads: threads, minimum: 4) { blocks in
        transposeRows(sx.p, rows: rows, cols: cols, into: so.p, from: blocks.lowerBound * 16, to: min(rows, blocks.upperBound * 16))
    }
}

private func transposeRows<T>(_ x: UnsafePointer<T>, rows: Int, cols: Int, into out: UnsafeMutablePointer<T>, from: Int, to: Int) {
    for i0 in stride(from: from, to: to, by: 16) {
        for j0 in stride(from: 0, to: cols, by: 16) {
            for i in i0..<min(to, i0 + 16) {
                for j in j0..<min(cols, j0 + 16) { out[j &* rows &+ i] = x[i &* cols &+ j] }
            }
        }
    }
}

/// Timing hook for scripts/bench-train: GFLOP/s of `sgemm` on random data of the given shape.
public enum TrainingKernelBenchmark {
    public static func gemmGFLOPS(M: Int, N: Int, K: Int, transposedA: Bool, threads: Int, repeats: Int) -> Double {
        var a = [Float](repeating: 0, count: M * K), b = [Float](repeating: 0, count: K * N)
        var c = [Float](repeating: 0, count: M * N)
        for i in a.indices { a[i] = Float(i % 13) * 0.01 }
        for i in b.indices { b[i] = Float(i % 7) * 0.01 }
        let (sam, sak) = transposedA ? (1, M) : (K, 1)
        let clock = ContinuousClock(), start = clock.now
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
            for _ in 0..<repeats {
                sgemm(M, N, K, ap.baseAddress!, sam: sam, sak: sak, bp.baseAddress!, ldb: N, cp.baseAddress!, ldc: N,
                      accumulate: true, threads: threads)
            }
        } } }
        let d = (clock.now - start).components
        return 2 * Double(M * N * K * repeats) / (Double(d.seconds) + Double(d.attoseconds) * 1e-18) / 1e9
    }
}
