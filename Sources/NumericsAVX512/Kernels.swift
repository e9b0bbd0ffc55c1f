// Inner loops of the quantized dot products and the register-tiled GEMM, over raw pointers.
// The bodies are `@inlinable @inline(__always)`, so each caller module compiles them with its own
// target CPU: Numerics (haswell, AVX2) wraps them for the baseline path, and the `…AVX512` entry
// points at the bottom of this file are compiled here with `-target-cpu skylake-avx512`. Nothing in
// this module may run before Numerics' run-time CPU check (Numerics/CPU.swift) says AVX-512 is there.
// Both builds do the same float operations in the same order, so their results are bit-identical.

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

// MARK: - Dot products of one quantized row with a float vector

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

/// Q4_1 row (`blocks` blocks of 20 B: f16 d, f16 m, 16 B nibbles) · x, where `xsum[b]` is the sum
/// of x over block b. Value j of a block is d·q_j + m, so the block's dot is d·Σq·x + m·Σx.
/// x: (blocks·32), xsum: (blocks)
@inlinable @inline(__always)
public func q41DotBody(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>,
                       _ xsum: UnsafePointer<Float>, _ blocks: Int) -> Float {
    var acc = SIMD16<Float>()
    var macc: Float = 0
    for b in 0..<blocks {
        let p = row + b &* 20
        let (lo, hi) = nibbles(p + 4, offset: 0)
        var t = lo * load16(x + b &* 32)
        t.addProduct(hi, load16(x + (b &* 32 &+ 16)))
        acc.addProduct(SIMD16(repeating: loadHalf(p, 0)), t)
        macc.addProduct(loadHalf(p, 2), xsum[b])
    }
    return acc.sum() + macc
}

/// Q4_0 row (blocks of 18 B: f16 d, 16 B nibbles; value d·(q−8)) · x.  x: (blocks·32)
@inlinable @inline(__always)
public func q40DotBody(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ blocks: Int) -> Float {
    var acc = SIMD16<Float>()
    for b in 0..<blocks {
        let p = row + b &* 18
        let (lo, hi) = nibbles(p + 2, offset: 8)
        var t = lo * load16(x + b &* 32)
        t.addProduct(hi, load16(x + (b &* 32 &+ 16)))
        acc.addProduct(SIMD16(repeating: loadHalf(p, 0)), t)
    }
    return acc.sum()
}

/// Q8_0 row (blocks of 34 B: f16 d, 32 × int8; value d·q) · x.  x: (blocks·32)
@inlinable @inline(__always)
public func q80DotBody(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ blocks: Int) -> Float {
    var acc = SIMD16<Float>()
    for b in 0..<blocks {
        let p = row + b &* 34
        let q0 = int8s(p + 2), q1 = int8s(p + 18)
        var t = q0 * load16(x + b &* 32)
        t.addProduct(q1, load16(x + (b &* 32 &+ 16)))
        acc.addProduct(SIMD16(repeating: loadHalf(p, 0)), t)
    }
    return acc.sum()
}

/// Plain float row · x with one SIMD16 accumulator, summed in a fixed order.  n must be a multiple of 16.
@inlinable @inline(__always)
public func f32DotBody(_ row: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD16<Float>()
    var i = 0
    while i < n {
        acc.addProduct(load16(row + i), load16(x + i))
        i &+= 16
    }
    return acc.sum()
}

/// Four Q4_1 rows `rowBytes` apart at once: the same operations per row as q41DotBody (so the same
/// bits), interleaved so the four FMA chains overlap and x is loaded once per block.
@inlinable @inline(__always)
public func q41Dot4Body(_ row: UnsafeRawPointer, _ rowBytes: Int, _ x: UnsafePointer<Float>,
                        _ xsum: UnsafePointer<Float>, _ blocks: Int) -> SIMD4<Float> {
    var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
    var m = SIMD4<Float>()
    for b in 0..<blocks {
        let x0 = load16(x + b &* 32), x1 = load16(x + (b &* 32 &+ 16)), s = xsum[b]
        let p0 = row + b &* 20, p1 = p0 + rowBytes, p2 = p0 + 2 &* rowBytes, p3 = p0 + 3 &* rowBytes
        var (lo, hi) = nibbles(p0 + 4, offset: 0)
        var t = lo * x0; t.addProduct(hi, x1); a0.addProduct(SIMD16(repeating: loadHalf(p0, 0)), t)
        (lo, hi) = nibbles(p1 + 4, offset: 0)
        t = lo * x0; t.addProduct(hi, x1); a1.addProduct(SIMD16(repeating: loadHalf(p1, 0)), t)
        (lo, hi) = nibbles(p2 + 4, offset: 0)
        t = lo * x0; t.addProduct(hi, x1); a2.addProduct(SIMD16(repeating: loadHalf(p2, 0)), t)
        (lo, hi) = nibbles(p3 + 4, offset: 0)
        t = lo * x0; t.addProduct(hi, x1); a3.addProduct(SIMD16(repeating: loadHalf(p3, 0)), t)
        m.addProduct(SIMD4(loadHalf(p0, 2), loadHalf(p1, 2), loadHalf(p2, 2), loadHalf(p3, 2)), SIMD4(repeating: s))
    }
    return SIMD4(a0.sum(), a1.sum(), a2.sum(), a3.sum()) + m
}

/// Four Q8_0 rows at once; per row the same operations as q80DotBody.
@inlinable @inline(__always)
public func q80Dot4Body(_ row: UnsafeRawPointer, _ rowBytes: Int, _ x: UnsafePointer<Float>, _ blocks: Int) -> SIMD4<Float> {
    var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
    for b in 0..<blocks {
        let x0 = load16(x + b &* 32), x1 = load16(x + (b &* 32 &+ 16))
        let p0 = row + b &* 34, p1 = p0 + rowBytes, p2 = p0 + 2 &* rowBytes, p3 = p0 + 3 &* rowBytes
        var t = int8s(p0 + 2) * x0; t.addProduct(int8s(p0 + 18), x1); a0.addProduct(SIMD16(repeating: loadHalf(p0, 0)), t)
        t = int8s(p1 + 2) * x0; t.addProduct(int8s(p1 + 18), x1); a1.addProduct(SIMD16(repeating: loadHalf(p1, 0)), t)
        t = int8s(p2 + 2) * x0; t.addProduct(int8s(p2 + 18), x1); a2.addProduct(SIMD16(repeating: loadHalf(p2, 0)), t)
        t = int8s(p3 + 2) * x0; t.addProduct(int8s(p3 + 18), x1); a3.addProduct(SIMD16(repeating: loadHalf(p3, 0)), t)
    }
    return SIMD4(a0.sum(), a1.sum(), a2.sum(), a3.sum())
}

/// Kind of quantized row the matrix-vector kernel reads (raw values of GGUF's type ids not needed here).
public enum RowFormat: Int, Sendable {
    case q4_0, q4_1, q8_0
}

/// out[r] = row(r) · x for r in rows; rows are `rowBytes` apart starting at `w`.
/// x: (cols), xsum: (cols/32) block sums for q4_1, out: (rows.upperBound)
@inlinable @inline(__always)
public func matVecBody(_ format: RowFormat, _ w: UnsafeRawPointer, _ rowBytes: Int, _ rows: Range<Int>,
                       _ x: UnsafePointer<Float>, _ xsum: UnsafePointer<Float>, _ cols: Int,
                       _ out: UnsafeMutablePointer<Float>) {
    let blocks = cols / 32
    var r = rows.lowerBound
    switch format {
    case .q4_1:
        while r &+ 4 <= rows.upperBound {
            let v = q41Dot4Body(w + r &* rowBytes, rowBytes, x, xsum, blocks)
            out[r] = v[0]; out[r &+ 1] = v[1]; out[r &+ 2] = v[2]; out[r &+ 3] = v[3]
            r &+= 4
        }
        while r < rows.upperBound { out[r] = q41DotBody(w + r &* rowBytes, x, xsum, blocks); r &+= 1 }
    case .q4_0:
        while r < rows.upperBound { out[r] = q40DotBody(w + r &* rowBytes, x, blocks); r &+= 1 }
    case .q8_0:
        while r &+ 4 <= rows.upperBound {
            let v = q80Dot4Body(w + r &* rowBytes, rowBytes, x, blocks)
            out[r] = v[0]; out[r &+ 1] = v[1]; out[r &+ 2] = v[2]; out[r &+ 3] = v[3]
            r &+= 4
        }
        while r < rows.upperBound { out[r] = q80DotBody(w + r &* rowBytes, x, blocks); r &+= 1 }
    }
}

// MARK: - Packing quantized rows into GEMM panels

/// Dequantizes rows row0..<row0+32 (of `k` values) into a k-major panel:
/// panel[e·32 + j] = w[row0 + j][e]. Each 32×32 block is dequantized row-wise (vectorized, same
/// arithmetic as `dequantize`: d·q + m) into `tile`, then transposed.
/// tile: (32, 32) scratch, panel: (k, 32)
@inlinable @inline(__always)
public func packPanelBody(_ format: RowFormat, _ w: UnsafeRawPointer, _ rowBytes: Int, _ row0: Int, _ k: Int,
                          _ tile: UnsafeMutablePointer<Float>, _ panel: UnsafeMutablePointer<Float>) {
    let blockBytes = format == .q4_1 ? 20 : format == .q4_0 ? 18 : 34
    for b in 0..<k / 32 {
        for j in 0..<32 {
            let p = w + ((row0 &+ j) &* rowBytes &+ b &* blockBytes)
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
            store16(lo, tile + j &* 32); store16(hi, tile + (j &* 32 &+ 16))
        }
        let dst = panel + b &* 1024
        for e in 0..<32 {
            for j in 0..<32 { dst[e &* 32 &+ j] = tile[j &* 32 &+ e] }
        }
    }
}

// MARK: - GEMM micro-kernels

/// C[0..<8][0..<32] = A[0..<8][0..<k] · B[0..<k][0..<32]: 16 SIMD16 accumulators (AVX-512 has 32 zmm).
/// Each C element is one FMA chain over k in order, so any tiling gives the same bits.
/// a: (8, lda), b: (k, 32) packed panel, c: (8, ldc)
@inlinable @inline(__always)
public func gemm8x32Body(_ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ k: Int,
                         _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    var c00 = SIMD16<Float>(), c01 = SIMD16<Float>(), c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
    var c20 = SIMD16<Float>(), c21 = SIMD16<Float>(), c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
    var c40 = SIMD16<Float>(), c41 = SIMD16<Float>(), c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
    var c60 = SIMD16<Float>(), c61 = SIMD16<Float>(), c70 = SIMD16<Float>(), c71 = SIMD16<Float>()
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

/// C rows 0..<m (m a multiple of 8) and columns 0..<32 of one packed panel, with the 8x32 tile.
/// a: (m, lda), panel: (k, 32), c: (m, ldc)
@inlinable @inline(__always)
public func gemmPanel8x32Body(_ a: UnsafePointer<Float>, _ lda: Int, _ m: Int, _ panel: UnsafePointer<Float>,
                              _ k: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    var i = 0
    while i < m {
        gemm8x32Body(a + i &* lda, lda, panel, k, c + i &* ldc, ldc)
        i &+= 8
    }
}

/// The same panel product with the 4x16 tile, for AVX2.
@inlinable @inline(__always)
public func gemmPanel4x16Body(_ a: UnsafePointer<Float>, _ lda: Int, _ m: Int, _ panel: UnsafePointer<Float>,
                              _ k: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    var i = 0
    while i < m {
        gemm4x16Body(a + i &* lda, lda, panel, k, c + i &* ldc, ldc)
        gemm4x16Body(a + i &* lda, lda, panel + 16, k, c + (i &* ldc &+ 16), ldc)
        i &+= 4
    }
}

// MARK: - AVX-512 entry points (compiled with -target-cpu skylake-avx512; call only after the CPU check)

/// AVX-512 build of `matVecBody`.
public func matVecAVX512(_ format: RowFormat, _ w: UnsafeRawPointer, _ rowBytes: Int, _ rows: Range<Int>,
                         _ x: UnsafePointer<Float>, _ xsum: UnsafePointer<Float>, _ cols: Int,
                         _ out: UnsafeMutablePointer<Float>) {
    matVecBody(format, w, rowBytes, rows, x, xsum, cols, out)
}

/// AVX-512 build of `gemmPanel8x32Body`.
public func gemmPanelAVX512(_ a: UnsafePointer<Float>, _ lda: Int, _ m: Int, _ panel: UnsafePointer<Float>,
                            _ k: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    gemmPanel8x32Body(a, lda, m, panel, k, c, ldc)
}

/// AVX-512 build of `packPanelBody`.
public func packPanelAVX512(_ format: RowFormat, _ w: UnsafeRawPointer, _ rowBytes: Int, _ row0: Int, _ k: Int,
                            _ tile: UnsafeMutablePointer<Float>, _ panel: UnsafeMutablePointer<Float>) {
    packPanelBody(format, w, rowBytes, row0, k, tile, panel)
}

/// AVX-512 build of `f32DotBody`.
public func f32DotAVX512(_ row: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int) -> Float {
    f32DotBody(row, x, n)
}
