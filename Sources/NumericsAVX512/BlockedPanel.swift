// The AVX-512 prompt GEMM for quantized weights over a *blocked* panel: the dequantizer writes each
// group of R = 12 (or 8) weight rows block by block (32 values of k per row, the rows after each
// other), so every broadcast of the micro-kernel is one base pointer plus a constant offset. With the
// row-major panel the rows sat k floats apart and LLVM spent ~10 integer address ops per 16 FMAs.
// The panel is dequantized one k slice at a time into an L1-resident buffer that every token group
// uses before the next slice. Only whole 32-value blocks (k % 32 == 0); the row-major path in
// Kernels.swift covers plain floats. Same FMA chain per output, so the same bits.

/// Rows per micro-kernel tile in the blocked panel layouts: 8 (32-row panels) or 12 (48-row panels).
public enum PanelTile: Int, Sendable {
    case rows8 = 8, rows12 = 12

    /// Weight rows per panel: four tiles.
    @inlinable public var panelRows: Int { rawValue &* 4 }
}

/// The 32 values of one quantized block as floats (d·q + m for Q4_1, d·q otherwise: not fused,
/// the arithmetic of `dequantRowsBody` and of the reference `dequantize`).
@inlinable @inline(__always)
public func dequantBlock(_ format: RowFormat, _ p: UnsafeRawPointer) -> (SIMD16<Float>, SIMD16<Float>) {
    let d = SIMD16<Float>(repeating: loadHalf(p, 0))
    switch format {
    case .q4_1:
        let (l, h) = nibbles(p + 4, offset: 0), m = SIMD16<Float>(repeating: loadHalf(p, 2))
        return (l * d + m, h * d + m)
    case .q4_0:
        let (l, h) = nibbles(p + 2, offset: 8)
        return (l * d, h * d)
    case .q8_0:
        return (int8s(p + 2) * d, int8s(p + 18) * d)
    }
}

/// Dequantizes rows row0..<row0+count (count % tile rows == 0, k % 32 == 0) into the blocked layout:
/// dst[g·R·k + b·R·32 + r·32 + e] = w[row0 + g·R + r][b·32 + e] for R = tile.rawValue.
/// dst: (count, k) blocked
@inlinable @inline(__always)
public func dequantRowsBlockedBody(_ format: RowFormat, _ w: UnsafeRawPointer, _ rowBytes: Int, _ row0: Int,
                                   _ count: Int, _ k: Int, _ tile: PanelTile, _ dst: UnsafeMutablePointer<Float>) {
    let blockBytes = format == .q4_1 ? 20 : format == .q4_0 ? 18 : 34
    let tr = tile.rawValue, blockStride = tr &* 32
    for j in 0..<count {
        let g = j / tr, r = j &- g &* tr
        let row = w + (row0 &+ j) &* rowBytes, out = dst + (g &* tr &* k &+ r &* 32)
        for b in 0..<k / 32 {
            let (lo, hi) = dequantBlock(format, row + b &* blockBytes)
            store16(lo, out + b &* blockStride); store16(hi, out + (b &* blockStride &+ 16))
        }
    }
}

/// C[0..<8][0..<32] = A · B over `blocks` blocks of 32 k values (or C += with `accumulate`), A
/// blocked: a[blk·256 + r·32 + e] is row r at k = 32·blk + e. One FMA chain over k per C element,
/// in order, as in `gemm8x32Body`.  a: (blocks, 8, 32), b: (blocks·32, 32) packed tokens, c: (8, ldc)
@inlinable @inline(__always)
public func gemm8x32BlockedBody(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ blocks: Int,
                                _ c: UnsafeMutablePointer<Float>, _ ldc: Int, accumulate: Bool) {
    var c00 = SIMD16<Float>(), c01 = SIMD16<Float>(), c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
    var c20 = SIMD16<Float>(), c21 = SIMD16<Float>(), c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
    var c40 = SIMD16<Float>(), c41 = SIMD16<Float>(), c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
    var c60 = SIMD16<Float>(), c61 = SIMD16<Float>(), c70 = SIMD16<Float>(), c71 = SIMD16<Float>()
    if accumulate {   // continue the FMA chains of an earlier k range (stored values are exact)
        c00 = load16(c); c01 = load16(c + 16); c10 = load16(c + ldc); c11 = load16(c + (ldc &+ 16))
        c20 = load16(c + 2 &* ldc); c21 = load16(c + (2 &* ldc &+ 16))
        c30 = load16(c + 3 &* ldc); c31 = load16(c + (3 &* ldc &+ 16))
        c40 = load16(c + 4 &* ldc); c41 = load16(c + (4 &* ldc &+ 16))
        c50 = load16(c + 5 &* ldc); c51 = load16(c + (5 &* ldc &+ 16))
        c60 = load16(c + 6 &* ldc); c61 = load16(c + (6 &* ldc &+ 16))
        c70 = load16(c + 7 &* ldc); c71 = load16(c + (7 &* ldc &+ 16))
    }
    for blk in 0..<blocks {
        let ab = a + blk &* 256, bb = b + blk &* 1024
        for e in 0..<32 {
            let b0 = load16(bb + e &* 32), b1 = load16(bb + (e &* 32 &+ 16))
            var s = SIMD16<Float>(repeating: ab[e]); c00.addProduct(s, b0); c01.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[32 &+ e]); c10.addProduct(s, b0); c11.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[64 &+ e]); c20.addProduct(s, b0); c21.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[96 &+ e]); c30.addProduct(s, b0); c31.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[128 &+ e]); c40.addProduct(s, b0); c41.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[160 &+ e]); c50.addProduct(s, b0); c51.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[192 &+ e]); c60.addProduct(s, b0); c61.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[224 &+ e]); c70.addProduct(s, b0); c71.addProduct(s, b1)
        }
    }
    store16(c00, c); store16(c01, c + 16); store16(c10, c + ldc); store16(c11, c + (ldc &+ 16))
    store16(c20, c + 2 &* ldc); store16(c21, c + (2 &* ldc &+ 16))
    store16(c30, c + 3 &* ldc); store16(c31, c + (3 &* ldc &+ 16))
    store16(c40, c + 4 &* ldc); store16(c41, c + (4 &* ldc &+ 16))
    store16(c50, c + 5 &* ldc); store16(c51, c + (5 &* ldc &+ 16))
    store16(c60, c + 6 &* ldc); store16(c61, c + (6 &* ldc &+ 16))
    store16(c70, c + 7 &* ldc); store16(c71, c + (7 &* ldc &+ 16))
}

/// C[0..<12][0..<32] = A · B like `gemm8x32BlockedBody`, for 48-row panels: 24 accumulators + 2
/// token vectors + 1 broadcast of the 32 zmm, so each pair of token loads feeds 24 FMAs instead of 16.
/// a: (blocks, 12, 32), b: (blocks·32, 32) packed tokens, c: (12, ldc)
@inlinable @inline(__always)
public func gemm12x32BlockedBody(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ blocks: Int,
                                 _ c: UnsafeMutablePointer<Float>, _ ldc: Int, accumulate: Bool) {
    var c00 = SIMD16<Float>(), c01 = SIMD16<Float>(), c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
    var c20 = SIMD16<Float>(), c21 = SIMD16<Float>(), c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
    var c40 = SIMD16<Float>(), c41 = SIMD16<Float>(), c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
    var c60 = SIMD16<Float>(), c61 = SIMD16<Float>(), c70 = SIMD16<Float>(), c71 = SIMD16<Float>()
    var c80 = SIMD16<Float>(), c81 = SIMD16<Float>(), c90 = SIMD16<Float>(), c91 = SIMD16<Float>()
    var c100 = SIMD16<Float>(), c101 = SIMD16<Float>(), c110 = SIMD16<Float>(), c111 = SIMD16<Float>()
    if accumulate {   // continue the FMA chains of an earlier k range (stored values are exact)
        c00 = load16(c); c01 = load16(c + 16)
        c10 = load16(c + ldc); c11 = load16(c + (ldc &+ 16))
        c20 = load16(c + 2 &* ldc); c21 = load16(c + (2 &* ldc &+ 16))
        c30 = load16(c + 3 &* ldc); c31 = load16(c + (3 &* ldc &+ 16))
        c40 = load16(c + 4 &* ldc); c41 = load16(c + (4 &* ldc &+ 16))
        c50 = load16(c + 5 &* ldc); c51 = load16(c + (5 &* ldc &+ 16))
        c60 = load16(c + 6 &* ldc); c61 = load16(c + (6 &* ldc &+ 16))
        c70 = load16(c + 7 &* ldc); c71 = load16(c + (7 &* ldc &+ 16))
        c80 = load16(c + 8 &* ldc); c81 = load16(c + (8 &* ldc &+ 16))
        c90 = load16(c + 9 &* ldc); c91 = load16(c + (9 &* ldc &+ 16))
        c100 = load16(c + 10 &* ldc); c101 = load16(c + (10 &* ldc &+ 16))
        c110 = load16(c + 11 &* ldc); c111 = load16(c + (11 &* ldc &+ 16))
    }
    for blk in 0..<blocks {
        let ab = a + blk &* 384, bb = b + blk &* 1024
        for e in 0..<32 {
            let b0 = load16(bb + e &* 32), b1 = load16(bb + (e &* 32 &+ 16))
            var s = SIMD16<Float>(repeating: ab[e]); c00.addProduct(s, b0); c01.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[32 &+ e]); c10.addProduct(s, b0); c11.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[64 &+ e]); c20.addProduct(s, b0); c21.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[96 &+ e]); c30.addProduct(s, b0); c31.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[128 &+ e]); c40.addProduct(s, b0); c41.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[160 &+ e]); c50.addProduct(s, b0); c51.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[192 &+ e]); c60.addProduct(s, b0); c61.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[224 &+ e]); c70.addProduct(s, b0); c71.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[256 &+ e]); c80.addProduct(s, b0); c81.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[288 &+ e]); c90.addProduct(s, b0); c91.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[320 &+ e]); c100.addProduct(s, b0); c101.addProduct(s, b1)
            s = SIMD16<Float>(repeating: ab[352 &+ e]); c110.addProduct(s, b0); c111.addProduct(s, b1)
        }
    }
    store16(c00, c); store16(c01, c + 16)
    store16(c10, c + ldc); store16(c11, c + (ldc &+ 16))
    store16(c20, c + 2 &* ldc); store16(c21, c + (2 &* ldc &+ 16))
    store16(c30, c + 3 &* ldc); store16(c31, c + (3 &* ldc &+ 16))
    store16(c40, c + 4 &* ldc); store16(c41, c + (4 &* ldc &+ 16))
    store16(c50, c + 5 &* ldc); store16(c51, c + (5 &* ldc &+ 16))
    store16(c60, c + 6 &* ldc); store16(c61, c + (6 &* ldc &+ 16))
    store16(c70, c + 7 &* ldc); store16(c71, c + (7 &* ldc &+ 16))
    store16(c80, c + 8 &* ldc); store16(c81, c + (8 &* ldc &+ 16))
    store16(c90, c + 9 &* ldc); store16(c91, c + (9 &* ldc &+ 16))
    store16(c100, c + 10 &* ldc); store16(c101, c + (10 &* ldc &+ 16))
    store16(c110, c + 11 &* ldc); store16(c111, c + (11 &* ldc &+ 16))
}

/// Depth of one k slice of the sliced panel product: 48 rows × 128 × 4 bytes = 24 KB, which stays
/// in L1 beside a 16 KB slice of packed tokens.
@inlinable public var gemmSliceKC: Int { 128 }

/// out[t][col0 + j] = Σ_e w[row0 + j][e] · x[t][e] for the 4·R rows j of quantized w and t < n
/// (xpack as for `gemmWeightPanel8x32Body`). Dequantizes one k slice at a time into `slice`
/// (L1-resident) and runs every token group over it before the next slice, instead of writing the
/// whole panel out to L2 and reading it back per token group (~2% faster on one thread, near the
/// noise). The C tiles of all token groups wait in tmp between slices (stored values are exact, so
/// each output is still one FMA chain over k in order).
/// slice: (4·R, gemmSliceKC) blocked, tmp: (⌈n/32⌉, 4·R, 32), out: (n, ldo)
@inlinable @inline(__always)
public func gemmSlicedPanelBody(_ format: RowFormat, _ w: UnsafeRawPointer, _ rowBytes: Int, _ row0: Int,
                                _ k: Int, _ tile: PanelTile, _ xpack: UnsafePointer<Float>, _ n: Int,
                                _ out: UnsafeMutablePointer<Float>, _ ldo: Int, _ col0: Int,
                                _ slice: UnsafeMutablePointer<Float>, _ tmp: UnsafeMutablePointer<Float>) {
    let tr = tile.rawValue, groups = (n &+ 31) / 32, blockBytes = format == .q4_1 ? 20 : format == .q4_0 ? 18 : 34
    var k0 = 0
    while k0 < k {
        let kc = min(gemmSliceKC, k &- k0)
        dequantRowsBlockedBody(format, w + (k0 / 32) &* blockBytes, rowBytes, row0, 4 &* tr, kc, tile, slice)
        for g in 0..<groups {
            let xg = xpack + (g &* k &* 32 &+ k0 &* 32)
            for rg in 0..<4 {
                let a = UnsafePointer(slice + rg &* tr &* kc), c = tmp + (g &* 4 &+ rg) &* tr &* 32
                if tile == .rows8 { gemm8x32BlockedBody(a, xg, kc / 32, c, 32, accumulate: k0 > 0) }
                else { gemm12x32BlockedBody(a, xg, kc / 32, c, 32, accumulate: k0 > 0) }
            }
        }
        k0 &+= kc
    }
    for g in 0..<groups {
        let tokens = min(32, n &- g &* 32), o = out + (g &* 32 &* ldo &+ col0)
        for rg in 0..<4 {
            let t0 = tmp + (g &* 4 &+ rg) &* tr &* 32
            for t in 0..<tokens {
                for j in 0..<tr { o[t &* ldo &+ rg &* tr &+ j] = t0[j &* 32 &+ t] }
            }
        }
    }
}

/// AVX-512 build of `gemmSlicedPanelBody`.
public func gemmSlicedPanelAVX512(_ format: RowFormat, _ w: UnsafeRawPointer, _ rowBytes: Int, _ row0: Int,
                                  _ k: Int, _ tile: PanelTile, _ xpack: UnsafePointer<Float>, _ n: Int,
                                  _ out: UnsafeMutablePointer<Float>, _ ldo: Int, _ col0: Int,
                                  _ slice: UnsafeMutablePointer<Float>, _ tmp: UnsafeMutablePointer<Float>) {
    gemmSlicedPanelBody(format, w, rowBytes, row0, k, tile, xpack, n, out, ldo, col0, slice, tmp)
}
