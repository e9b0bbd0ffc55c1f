// Inner loops of the prompt GEMM (weight-panel dequantization and register-tiled micro-kernels)
// and of attention (scores against transposed keys, probability-weighted sums of values), over raw
// pointers. The bodies are `@inlinable @inline(__always)`, so each caller module compiles
// them with its own target CPU: Numerics (haswell, AVX2) wraps them for the baseline path, and the
// `…AVX512` entry points at the bottom are compiled here with `-target-cpu skylake-avx512`. Nothing in
// this module may run before Numerics' run-time CPU check (Numerics/CPU.swift) says AVX-512 is there.
// Both builds do the same float operations in the same order, so their results are bit-identical.
// The one-token (mat-vec) kernels are integer C code in CKernels.

/// Reads a little-endian IEEE half at `p + offset` as a Float (vcvtph2ps with F16C).
@inlinable @inline(__always)
public func loadHalf(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
    Float(Float16(bitPattern: UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))))
}

@inlinable @inline(__always)
func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inlinable @inline(__always)
func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

// MARK: - Unpacking quantized blocks to floats

// The conversions below are written as scalar lane loops on purpose: LLVM turns them into
// vpmovzxbd/vpmovsxbd + vcvtdq2ps, while the stdlib's generic SIMD conversions
// (SIMD16<Int32>(truncatingIfNeeded:)) stay out-of-line calls, 10x slower in these loops.

/// The 32 values of 16 nibble bytes at p: low nibbles → lanes of the first vector, high → second,
/// each minus `offset` (8 for Q4_0, 0 for Q4_1).
@inlinable @inline(__always)
public func nibbles(_ p: UnsafeRawPointer, offset: Float) -> (SIMD16<Float>, SIMD16<Float>) {
    var lo = SIMD16<Float>(), hi = SIMD16<Float>()
    for j in 0..<16 {
        let b = p.load(fromByteOffset: j, as: UInt8.self)
        lo[j] = Float(b & 15)
        hi[j] = Float(b >> 4)
    }
    if offset == 0 { return (lo, hi) }
    return (lo - offset, hi - offset)   // exact: small integers
}

/// 16 signed bytes at p as floats.
@inlinable @inline(__always)
public func int8s(_ p: UnsafeRawPointer) -> SIMD16<Float> {
    var v = SIMD16<Float>()
    for j in 0..<16 { v[j] = Float(p.load(fromByteOffset: j, as: Int8.self)) }
    return v
}

/// Kind of quantized row the kernels read; raw values match CKernels' CK_Q4_0/CK_Q4_1/CK_Q8_0.
public enum RowFormat: Int, Sendable {
    case q4_0, q4_1, q8_0
}

// MARK: - GEMM micro-kernels

/// C[0..<8][0..<32] = A[0..<8][0..<k] · B[0..<k][0..<32] (or C += with `accumulate`): 16 SIMD16
/// accumulators (AVX-512 has 32 zmm). Each C element is one FMA chain over k in order, so any
/// tiling or k blocking gives the same bits.
/// a: (8, lda), b: (k, 32) packed panel, c: (8, ldc)
@inlinable @inline(__always)
public func gemm8x32Body(_ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ k: Int,
                         _ c: UnsafeMutablePointer<Float>, _ ldc: Int, accumulate: Bool = false) {
    var c00 = SIMD16<Float>(), c01 = SIMD16<Float>(), c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
    var c20 = SIMD16<Float>(), c21 = SIMD16<Float>(), c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
    var c40 = SIMD16<Float>(), c41 = SIMD16<Float>(), c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
    var c60 = SIMD16<Float>(), c61 = SIMD16<Float>(), c70 = SIMD16<Float>(), c71 = SIMD16<Float>()
    if accumulate {   // continue the FMA chains of an earlier k range (stored values are exact)
        c00 = load16(c); c01 = load16(c + 16)
        c10 = load16(c + ldc); c11 = load16(c + (ldc &+ 16))
        c20 = load16(c + 2 &* ldc); c21 = load16(c + (2 &* ldc &+ 16))
        c30 = load16(c + 3 &* ldc); c31 = load16(c + (3 &* ldc &+ 16))
        c40 = load16(c + 4 &* ldc); c41 = load16(c + (4 &* ldc &+ 16))
        c50 = load16(c + 5 &* ldc); c51 = load16(c + (5 &* ldc &+ 16))
        c60 = load16(c + 6 &* ldc); c61 = load16(c + (6 &* ldc &+ 16))
        c70 = load16(c + 7 &* ldc); c71 = load16(c + (7 &* ldc &+ 16))
    }
    let a0 = a, a1 = a + lda, a2 = a + 2 &* lda, a3 = a + 3 &* lda
    let a4 = a + 4 &* lda, a5 = a + 5 &* lda, a6 = a + 6 &* lda, a7 = a + 7 &* lda
    for p in 0..<k {
        let b0 = load16(b + p &* 32), b1 = load16(b + (p &* 32 &+ 16))
        var s = SIMD16<Float>(repeating: a0[p]); c00.addProduct(s, b0); c01.addProduct(s, b1)
        s = SIMD16<Float>(repeating: a1[p]); c10.addProduct(s, b0); c11.addProduct(s, b1)
        s = SIMD16<Float>(repeating: a2[p]); c20.addProduct(s, b0); c21.addProduct(s, b1)
        s = SIMD16<Float>(repeating: a3[p]); c30.addProduct(s, b0); c31.addProduct(s, b1)
        s = SIMD16<Float>(repeating: a4[p]); c40.addProduct(s, b0); c41.addProduct(s, b1)
        s = SIMD16<Float>(repeating: a5[p]); c50.addProduct(s, b0); c51.addProduct(s, b1)
        s = SIMD16<Float>(repeating: a6[p]); c60.addProduct(s, b0); c61.addProduct(s, b1)
        s = SIMD16<Float>(repeating: a7[p]); c70.addProduct(s, b0); c71.addProduct(s, b1)
    }
    store16(c00, c); store16(c01, c + 16)
    store16(c10, c + ldc); store16(c11, c + (ldc &+ 16))
    store16(c20, c + 2 &* ldc); store16(c21, c + (2 &* ldc &+ 16))
    store16(c30, c + 3 &* ldc); store16(c31, c + (3 &* ldc &+ 16))
    store16(c40, c + 4 &* ldc); store16(c41, c + (4 &* ldc &+ 16))
    store16(c50, c + 5 &* ldc); store16(c51, c + (5 &* ldc &+ 16))
    store16(c60, c + 6 &* ldc); store16(c61, c + (6 &* ldc &+ 16))
    store16(c70, c + 7 &* ldc); store16(c71, c + (7 &* ldc &+ 16))
}

/// C[0..<4][0..<16] = A[0..<4][0..<k] · B[0..<k][col0..<col0+16] with B rows 32 apart: the AVX2
/// tile (8 ymm pairs fit in 16 ymm registers). Same FMA order per element as gemm8x32Body.
/// a: (4, lda), b: (k, 32) packed panel, c: (4, ldc)
@inlinable @inline(__always)
public func gemm4x16Body(_ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ k: Int,
                         _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>(), c3 = SIMD16<Float>()
    let a0 = a, a1 = a + lda, a2 = a + 2 &* lda, a3 = a + 3 &* lda
    for p in 0..<k {
        let bv = load16(b + p &* 32)
        c0.addProduct(SIMD16(repeating: a0[p]), bv)
        c1.addProduct(SIMD16(repeating: a1[p]), bv)
        c2.addProduct(SIMD16(repeating: a2[p]), bv)
        c3.addProduct(SIMD16(repeating: a3[p]), bv)
    }
    store16(c0, c); store16(c1, c + ldc); store16(c2, c + 2 &* ldc); store16(c3, c + 3 &* ldc)
}

// MARK: - Prompt GEMM over weight panels (no transposition of weights)

/// Dequantizes rows row0..<row0+count (of `k` values) row-major into dst: dst[j·k + e] = w[row0 + j][e],
/// with the same arithmetic as `dequantize` (d·q + m, not fused).  dst: (count, k)
@inlinable @inline(__always)
public func dequantRowsBody(_ format: RowFormat, _ w: UnsafeRawPointer, _ rowBytes: Int, _ row0: Int, _ count: Int,
                            _ k: Int, _ dst: UnsafeMutablePointer<Float>) {
    let blockBytes = format == .q4_1 ? 20 : format == .q4_0 ? 18 : 34
    for j in 0..<count {
        let row = w + (row0 &+ j) &* rowBytes, out = dst + j &* k
        for b in 0..<k / 32 {
            let p = row + b &* blockBytes
            let d = SIMD16<Float>(repeating: loadHalf(p, 0))
            let lo: SIMD16<Float>, hi: SIMD16<Float>
            switch format {
            case .q4_1:
                let (l, h) = nibbles(p + 4, offset: 0), m = SIMD16<Float>(repeating: loadHalf(p, 2))
                lo = l * d + m; hi = h * d + m
            case .q4_0:
                let (l, h) = nibbles(p + 2, offset: 8)
                lo = l * d; hi = h * d
            case .q8_0:
                lo = int8s(p + 2) * d; hi = int8s(p + 18) * d
            }
            store16(lo, out + b &* 32); store16(hi, out + (b &* 32 &+ 16))
        }
    }
}

/// out[t][col0 + j] = Σ_e wpanel[j][e] · x[t][e] for j < 32, t < n, where the activations are packed
/// by groups of 32 tokens: xpack[g·k·32 + e·32 + i] = x[32g + i][e]. The 8x32 tile computes 8 weight
/// rows × 32 tokens (one FMA chain over e per output, as in every GEMM here) into tmp, which is
/// then stored transposed. k runs in slices of `gemmPanelKC`, all four row groups per slice, so
/// the slice of packed tokens (32 KB) stays in L1 while it is reused; without the slicing both
/// operands streamed from L2 for k ≥ 576. wpanel: (32, k), xpack: (⌈n/32⌉·32, k) packed,
/// out: (n, ldo), tmp: (4, 8, 32)
@inlinable @inline(__always)
public func gemmWeightPanel8x32Body(_ wpanel: UnsafePointer<Float>, _ k: Int, _ xpack: UnsafePointer<Float>, _ n: Int,
                                    _ out: UnsafeMutablePointer<Float>, _ ldo: Int, _ col0: Int,
                                    _ tmp: UnsafeMutablePointer<Float>) {
    var g = 0
    while g &* 32 < n {
        let tokens = min(32, n &- g &* 32), xg = xpack + g &* k &* 32, o = out + (g &* 32 &* ldo &+ col0)
        var k0 = 0
        while k0 < k {
            let kc = min(gemmPanelKC, k &- k0)
            for rg in 0..<4 {
                gemm8x32Body(wpanel + (rg &* 8 &* k &+ k0), k, xg + k0 &* 32, kc, tmp + rg &* 256, 32, accumulate: k0 > 0)
            }
            k0 &+= kc
        }
        for rg in 0..<4 {
            let t0 = tmp + rg &* 256
            for t in 0..<tokens {
                for j in 0..<8 { o[t &* ldo &+ rg &* 8 &+ j] = t0[j &* 32 &+ t] }
            }
        }
        g &+= 1
    }
}

/// Depth of one k slice in the prompt GEMM: 256 × 32 tokens × 4 bytes = 32 KB of L1.
@inlinable public var gemmPanelKC: Int { 256 }

/// The same product with the 4x16 tile, for AVX2.
@inlinable @inline(__always)
public func gemmWeightPanel4x16Body(_ wpanel: UnsafePointer<Float>, _ k: Int, _ xpack: UnsafePointer<Float>, _ n: Int,
                                    _ out: UnsafeMutablePointer<Float>, _ ldo: Int, _ col0: Int,
                                    _ tmp: UnsafeMutablePointer<Float>) {
    var g = 0
    while g &* 32 < n {
        let tokens = min(32, n &- g &* 32), xg = xpack + g &* k &* 32, o = out + (g &* 32 &* ldo &+ col0)
        for rg in 0..<8 {
            gemm4x16Body(wpanel + rg &* 4 &* k, k, xg, k, tmp, 32)
            gemm4x16Body(wpanel + rg &* 4 &* k, k, xg + 16, k, tmp + 16, 32)
            for t in 0..<tokens {
                for j in 0..<4 { o[t &* ldo &+ rg &* 4 &+ j] = tmp[j &* 32 &+ t] }
            }
        }
        g &+= 1
    }
}

// MARK: - Attention inner loops

/// scores[j] = scale · Σ_d q[d]·keyT[d][j] for j < keys (16 keys per FMA chain over d, in order;
/// four chains at once so the FMA latency overlaps); returns the largest score. Scores past `keys`
/// in the last 64 are computed on later or zero keys and ignored.
/// q: (headDim), keyT: (headDim, padded), padded % 64 == 0, scores: (padded)
@inlinable @inline(__always)
public func attentionScoresBody(_ q: UnsafePointer<Float>, _ keyT: UnsafePointer<Float>, _ keys: Int, _ padded: Int,
                     _ headDim: Int, _ scale: Float, _ scores: UnsafeMutablePointer<Float>) -> Float {
    var j = 0
    while j < keys {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        for d in 0..<headDim {
            let kd = UnsafeRawPointer(keyT + d * padded + j), qd = SIMD16<Float>(repeating: q[d])
            a0.addProduct(qd, kd.loadUnaligned(as: SIMD16<Float>.self))
            a1.addProduct(qd, kd.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self))
            a2.addProduct(qd, kd.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self))
            a3.addProduct(qd, kd.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self))
        }
        let sj = UnsafeMutableRawPointer(scores + j)
        sj.storeBytes(of: a0 * scale, as: SIMD16<Float>.self)
        sj.storeBytes(of: a1 * scale, toByteOffset: 64, as: SIMD16<Float>.self)
        sj.storeBytes(of: a2 * scale, toByteOffset: 128, as: SIMD16<Float>.self)
        sj.storeBytes(of: a3 * scale, toByteOffset: 192, as: SIMD16<Float>.self)
        j += 64
    }
    var best = -Float.infinity
    for t in 0..<keys { best = max(best, scores[t]) }
    return best
}

/// o = Σ_j p[j] · v[j·ldv + d] for d < headDim, one FMA chain over j per element; 64 columns per
/// pass so each value row is read once for a 64-wide head.  p: (count), v: (≥count, ldv), o: (headDim)
@inlinable @inline(__always)
public func weightedSumBody(_ p: UnsafePointer<Float>, _ count: Int, _ v: UnsafePointer<Float>, _ ldv: Int,
                            _ headDim: Int, _ o: UnsafeMutablePointer<Float>) {
    var d = 0
    while d &+ 64 <= headDim {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        for j in 0..<count {
            let vj = UnsafeRawPointer(v + (j &* ldv &+ d)), pj = SIMD16<Float>(repeating: p[j])
            a0.addProduct(pj, vj.loadUnaligned(as: SIMD16<Float>.self))
            a1.addProduct(pj, vj.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self))
            a2.addProduct(pj, vj.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self))
            a3.addProduct(pj, vj.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self))
        }
        let od = UnsafeMutableRawPointer(o + d)
        od.storeBytes(of: a0, as: SIMD16<Float>.self)
        od.storeBytes(of: a1, toByteOffset: 64, as: SIMD16<Float>.self)
        od.storeBytes(of: a2, toByteOffset: 128, as: SIMD16<Float>.self)
        od.storeBytes(of: a3, toByteOffset: 192, as: SIMD16<Float>.self)
        d &+= 64
    }
    while d < headDim {
        var acc = SIMD16<Float>()
        for j in 0..<count { acc.addProduct(SIMD16(repeating: p[j]), load16(v + (j &* ldv &+ d))) }
        store16(acc, o + d)
        d &+= 16
    }
}

// MARK: - AVX-512 entry points (compiled with -target-cpu skylake-avx512; call only after the CPU check)

/// AVX-512 build of `dequantRowsBody`.
public func dequantRowsAVX512(_ format: RowFormat, _ w: UnsafeRawPointer, _ rowBytes: Int, _ row0: Int, _ count: Int,
                              _ k: Int, _ dst: UnsafeMutablePointer<Float>) {
    dequantRowsBody(format, w, rowBytes, row0, count, k, dst)
}

/// AVX-512 build of `gemmWeightPanel8x32Body`.
public func gemmWeightPanelAVX512(_ wpanel: UnsafePointer<Float>, _ k: Int, _ xpack: UnsafePointer<Float>, _ n: Int,
                                  _ out: UnsafeMutablePointer<Float>, _ ldo: Int, _ col0: Int,
                                  _ tmp: UnsafeMutablePointer<Float>) {
    gemmWeightPanel8x32Body(wpanel, k, xpack, n, out, ldo, col0, tmp)
}

/// AVX-512 build of `attentionScoresBody`.
public func attentionScoresAVX512(_ q: UnsafePointer<Float>, _ keyT: UnsafePointer<Float>, _ keys: Int, _ padded: Int,
                                  _ headDim: Int, _ scale: Float, _ scores: UnsafeMutablePointer<Float>) -> Float {
    attentionScoresBody(q, keyT, keys, padded, headDim, scale, scores)
}

/// AVX-512 build of `weightedSumBody`.
public func weightedSumAVX512(_ p: UnsafePointer<Float>, _ count: Int, _ v: UnsafePointer<Float>, _ ldv: Int,
                              _ headDim: Int, _ o: UnsafeMutablePointer<Float>) {
    weightedSumBody(p, count, v, ldv, headDim, o)
}
