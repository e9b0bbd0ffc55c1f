// The training GEMM's register tiles (12×32 and 8×32 in zmm for the AVX-512 build, 6×16 in ymm for
// the AVX2 floor) and the 16×16 transpose that packs a transposed B. A tile reads its A strip from
// the packed layout of GemmKernels.swift: blocks of 32 k values, each block `rows × 32` floats,
// laid out either row-major in the block (A stored with k contiguous) or k-major (A stored with rows
// contiguous); either way every broadcast is one pointer plus a constant offset. The 8×32 and 6×16
// tiles also read A in place (rows of a run-time stride). Each C element gets one fused multiply-add
// per k, in increasing k, starting from C's current value.

@inlinable @inline(__always)
func tkLoad16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inlinable @inline(__always)
func tkStore16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// 12 rows × 32 columns of C in 24 zmm (AVX-512): each pair of B loads feeds 24 FMAs.
/// a: A element (row r, k = 32·blk + e) at a[blk·bs + r·rs + e·es] (packed by rows: rs 32, es 1,
/// bs 384; packed k-major: rs 1, es 12; in place: rs = row stride, es 1, bs 32), the constants
/// literal at the call site; b: packed panel (kc, 32); c: (12, 32) with row stride ldc.
@inlinable @inline(__always)
func tkTile12x32(_ kc: Int, _ a: UnsafePointer<Float>, _ rs: Int, _ es: Int, _ bs: Int, _ b: UnsafePointer<Float>,
                 _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    var c0 = tkLoad16(c), d0 = tkLoad16(c + 16)
    var c1 = tkLoad16(c + ldc), d1 = tkLoad16(c + (ldc &+ 16))
    var c2 = tkLoad16(c + 2 &* ldc), d2 = tkLoad16(c + (2 &* ldc &+ 16))
    var c3 = tkLoad16(c + 3 &* ldc), d3 = tkLoad16(c + (3 &* ldc &+ 16))
    var c4 = tkLoad16(c + 4 &* ldc), d4 = tkLoad16(c + (4 &* ldc &+ 16))
    var c5 = tkLoad16(c + 5 &* ldc), d5 = tkLoad16(c + (5 &* ldc &+ 16))
    var c6 = tkLoad16(c + 6 &* ldc), d6 = tkLoad16(c + (6 &* ldc &+ 16))
    var c7 = tkLoad16(c + 7 &* ldc), d7 = tkLoad16(c + (7 &* ldc &+ 16))
    var c8 = tkLoad16(c + 8 &* ldc), d8 = tkLoad16(c + (8 &* ldc &+ 16))
    var c9 = tkLoad16(c + 9 &* ldc), d9 = tkLoad16(c + (9 &* ldc &+ 16))
    var c10 = tkLoad16(c + 10 &* ldc), d10 = tkLoad16(c + (10 &* ldc &+ 16))
    var c11 = tkLoad16(c + 11 &* ldc), d11 = tkLoad16(c + (11 &* ldc &+ 16))
    var ab = a, bp = b, k = 0
    while k < kc {
        var q = ab
        for _ in 0..<min(32, kc &- k) {
            let bv = tkLoad16(bp), bw = tkLoad16(bp + 16)
            var s = SIMD16(repeating: q[0]); c0.addProduct(s, bv); d0.addProduct(s, bw)
            s = SIMD16(repeating: q[rs]); c1.addProduct(s, bv); d1.addProduct(s, bw)
            s = SIMD16(repeating: q[2 &* rs]); c2.addProduct(s, bv); d2.addProduct(s, bw)
            s = SIMD16(repeating: q[3 &* rs]); c3.addProduct(s, bv); d3.addProduct(s, bw)
            s = SIMD16(repeating: q[4 &* rs]); c4.addProduct(s, bv); d4.addProduct(s, bw)
            s = SIMD16(repeating: q[5 &* rs]); c5.addProduct(s, bv); d5.addProduct(s, bw)
            s = SIMD16(repeating: q[6 &* rs]); c6.addProduct(s, bv); d6.addProduct(s, bw)
            s = SIMD16(repeating: q[7 &* rs]); c7.addProduct(s, bv); d7.addProduct(s, bw)
            s = SIMD16(repeating: q[8 &* rs]); c8.addProduct(s, bv); d8.addProduct(s, bw)
            s = SIMD16(repeating: q[9 &* rs]); c9.addProduct(s, bv); d9.addProduct(s, bw)
            s = SIMD16(repeating: q[10 &* rs]); c10.addProduct(s, bv); d10.addProduct(s, bw)
            s = SIMD16(repeating: q[11 &* rs]); c11.addProduct(s, bv); d11.addProduct(s, bw)
            q += es; bp += 32
        }
        ab += bs; k &+= 32
    }
    tkStore16(c0, c); tkStore16(d0, c + 16)
    tkStore16(c1, c + ldc); tkStore16(d1, c + (ldc &+ 16))
    tkStore16(c2, c + 2 &* ldc); tkStore16(d2, c + (2 &* ldc &+ 16))
    tkStore16(c3, c + 3 &* ldc); tkStore16(d3, c + (3 &* ldc &+ 16))
    tkStore16(c4, c + 4 &* ldc); tkStore16(d4, c + (4 &* ldc &+ 16))
    tkStore16(c5, c + 5 &* ldc); tkStore16(d5, c + (5 &* ldc &+ 16))
    tkStore16(c6, c + 6 &* ldc); tkStore16(d6, c + (6 &* ldc &+ 16))
    tkStore16(c7, c + 7 &* ldc); tkStore16(d7, c + (7 &* ldc &+ 16))
    tkStore16(c8, c + 8 &* ldc); tkStore16(d8, c + (8 &* ldc &+ 16))
    tkStore16(c9, c + 9 &* ldc); tkStore16(d9, c + (9 &* ldc &+ 16))
    tkStore16(c10, c + 10 &* ldc); tkStore16(d10, c + (10 &* ldc &+ 16))
    tkStore16(c11, c + 11 &* ldc); tkStore16(d11, c + (11 &* ldc &+ 16))
}

/// 8 rows × 32 columns of C in 16 zmm: the AVX-512 build's last strip when 8 rows or fewer are
/// left, and its tile for A read in place. Operands as in `tkTile12x32` (packed: bs 256).
@inlinable @inline(__always)
func tkTile8x32(_ kc: Int, _ a: UnsafePointer<Float>, _ rs: Int, _ es: Int, _ bs: Int, _ b: UnsafePointer<Float>,
                _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    var c0 = tkLoad16(c), d0 = tkLoad16(c + 16)
    var c1 = tkLoad16(c + ldc), d1 = tkLoad16(c + (ldc &+ 16))
    var c2 = tkLoad16(c + 2 &* ldc), d2 = tkLoad16(c + (2 &* ldc &+ 16))
    var c3 = tkLoad16(c + 3 &* ldc), d3 = tkLoad16(c + (3 &* ldc &+ 16))
    var c4 = tkLoad16(c + 4 &* ldc), d4 = tkLoad16(c + (4 &* ldc &+ 16))
    var c5 = tkLoad16(c + 5 &* ldc), d5 = tkLoad16(c + (5 &* ldc &+ 16))
    var c6 = tkLoad16(c + 6 &* ldc), d6 = tkLoad16(c + (6 &* ldc &+ 16))
    var c7 = tkLoad16(c + 7 &* ldc), d7 = tkLoad16(c + (7 &* ldc &+ 16))
    var ab = a, bp = b, k = 0
    while k < kc {
        var q = ab
        for _ in 0..<min(32, kc &- k) {
            let bv = tkLoad16(bp), bw = tkLoad16(bp + 16)
            var s = SIMD16(repeating: q[0]); c0.addProduct(s, bv); d0.addProduct(s, bw)
            s = SIMD16(repeating: q[rs]); c1.addProduct(s, bv); d1.addProduct(s, bw)
            s = SIMD16(repeating: q[2 &* rs]); c2.addProduct(s, bv); d2.addProduct(s, bw)
            s = SIMD16(repeating: q[3 &* rs]); c3.addProduct(s, bv); d3.addProduct(s, bw)
            s = SIMD16(repeating: q[4 &* rs]); c4.addProduct(s, bv); d4.addProduct(s, bw)
            s = SIMD16(repeating: q[5 &* rs]); c5.addProduct(s, bv); d5.addProduct(s, bw)
            s = SIMD16(repeating: q[6 &* rs]); c6.addProduct(s, bv); d6.addProduct(s, bw)
            s = SIMD16(repeating: q[7 &* rs]); c7.addProduct(s, bv); d7.addProduct(s, bw)
            q += es; bp += 32
        }
        ab += bs; k &+= 32
    }
    tkStore16(c0, c); tkStore16(d0, c + 16)
    tkStore16(c1, c + ldc); tkStore16(d1, c + (ldc &+ 16))
    tkStore16(c2, c + 2 &* ldc); tkStore16(d2, c + (2 &* ldc &+ 16))
    tkStore16(c3, c + 3 &* ldc); tkStore16(d3, c + (3 &* ldc &+ 16))
    tkStore16(c4, c + 4 &* ldc); tkStore16(d4, c + (4 &* ldc &+ 16))
    tkStore16(c5, c + 5 &* ldc); tkStore16(d5, c + (5 &* ldc &+ 16))
    tkStore16(c6, c + 6 &* ldc); tkStore16(d6, c + (6 &* ldc &+ 16))
    tkStore16(c7, c + 7 &* ldc); tkStore16(d7, c + (7 &* ldc &+ 16))
}

/// 6 rows × 16 columns of C in 12 ymm (AVX2). Operands as in `tkTile12x32` (packed: bs 192),
/// panel (kc, 16).
@inlinable @inline(__always)
func tkTile6x16(_ kc: Int, _ a: UnsafePointer<Float>, _ rs: Int, _ es: Int, _ bs: Int, _ b: UnsafePointer<Float>,
                _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    var c0 = tkLoad16(c), c1 = tkLoad16(c + ldc), c2 = tkLoad16(c + 2 &* ldc)
    var c3 = tkLoad16(c + 3 &* ldc), c4 = tkLoad16(c + 4 &* ldc), c5 = tkLoad16(c + 5 &* ldc)
    var ab = a, bp = b, k = 0
    while k < kc {
        var q = ab
        for _ in 0..<min(32, kc &- k) {
            let bv = tkLoad16(bp)
            c0.addProduct(SIMD16(repeating: q[0]), bv)
            c1.addProduct(SIMD16(repeating: q[rs]), bv)
            c2.addProduct(SIMD16(repeating: q[2 &* rs]), bv)
            c3.addProduct(SIMD16(repeating: q[3 &* rs]), bv)
            c4.addProduct(SIMD16(repeating: q[4 &* rs]), bv)
            c5.addProduct(SIMD16(repeating: q[5 &* rs]), bv)
            q += es; bp += 16
        }
        ab += bs; k &+= 32
    }
    tkStore16(c0, c); tkStore16(c1, c + ldc); tkStore16(c2, c + 2 &* ldc)
    tkStore16(c3, c + 3 &* ldc); tkStore16(c4, c + 4 &* ldc); tkStore16(c5, c + 5 &* ldc)
}

/// The even and the odd lanes of x followed by y: one round of the transpose below.
@inlinable @inline(__always)
func tkDeal(_ x: SIMD16<Float>, _ y: SIMD16<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
    let xy = SIMD32(lowHalf: x, highHalf: y)
    return (xy.evenHalf, xy.oddHalf)
}

/// dst[i·ldd + j] = src[j·lds + i] for i, j < 16. Each round deals row pairs into even and odd
/// lanes, which rotates the 8 bits of (row, lane) by one; four rounds swap row and lane.
@inlinable @inline(__always)
func tkTranspose16(_ src: UnsafePointer<Float>, _ lds: Int, _ dst: UnsafeMutablePointer<Float>, _ ldd: Int) {
    var v = (tkLoad16(src), tkLoad16(src + lds), tkLoad16(src + 2 &* lds), tkLoad16(src + 3 &* lds),
             tkLoad16(src + 4 &* lds), tkLoad16(src + 5 &* lds), tkLoad16(src + 6 &* lds), tkLoad16(src + 7 &* lds),
             tkLoad16(src + 8 &* lds), tkLoad16(src + 9 &* lds), tkLoad16(src + 10 &* lds), tkLoad16(src + 11 &* lds),
             tkLoad16(src + 12 &* lds), tkLoad16(src + 13 &* lds), tkLoad16(src + 14 &* lds), tkLoad16(src + 15 &* lds))
    for _ in 0..<4 {
        let (w0, w8) = tkDeal(v.0, v.1), (w1, w9) = tkDeal(v.2, v.3)
        let (w2, w10) = tkDeal(v.4, v.5), (w3, w11) = tkDeal(v.6, v.7)
        let (w4, w12) = tkDeal(v.8, v.9), (w5, w13) = tkDeal(v.10, v.11)
        let (w6, w14) = tkDeal(v.12, v.13), (w7, w15) = tkDeal(v.14, v.15)
        v = (w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12, w13, w14, w15)
    }
    tkStore16(v.0, dst); tkStore16(v.1, dst + ldd); tkStore16(v.2, dst + 2 &* ldd); tkStore16(v.3, dst + 3 &* ldd)
    tkStore16(v.4, dst + 4 &* ldd); tkStore16(v.5, dst + 5 &* ldd); tkStore16(v.6, dst + 6 &* ldd); tkStore16(v.7, dst + 7 &* ldd)
    tkStore16(v.8, dst + 8 &* ldd); tkStore16(v.9, dst + 9 &* ldd); tkStore16(v.10, dst + 10 &* ldd)
    tkStore16(v.11, dst + 11 &* ldd); tkStore16(v.12, dst + 12 &* ldd); tkStore16(v.13, dst + 13 &* ldd)
    tkStore16(v.14, dst + 14 &* ldd); tkStore16(v.15, dst + 15 &* ldd)
}
