// The training GEMM's blocking, packing and register tiles, and a SIMD exp, as `@inlinable
// @inline(__always)` bodies: Training compiles them with its haswell floor (6×16 tiles in 12 ymm),
// and `trainingGemmAVX512` below is compiled here with `-target-cpu skylake-avx512` (8×32 tiles in
// 16 zmm). Every C element sees the same fused multiply-adds in the same k order in both (the k
// blocking is shared), so both builds give identical bits. Nothing here may run before Training's
// run-time CPU check (TrainingKernels.swift); no threads, no allocation policy beyond scratch.

@inlinable @inline(__always)
func tkLoad16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inlinable @inline(__always)
func tkStore16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// Depth of one packed slice of B. Shared by both builds: it fixes where partial sums are stored
/// and reloaded, which never changes a value (each element still sees one FMA per k, in order).
@inlinable public var trainingKC: Int { 256 }

/// Rows of A per cache block.
@inlinable var trainingMC: Int { 96 }

/// C[rows, cols] += A[rows, 0..<K] · B[0..<K, cols] with A[m, k] at a[m·sam + k·sak], B[k, n] at
/// b[k·ldb + n] (or b[n·ldb + k] when `transposedB`), C[m, n] at c[m·ldc + n]. `wide` picks the 8×32 tile (AVX-512) over 6×16 (AVX2);
/// it must be a literal at the call site so the other branch folds away.
@inlinable @inline(__always)
public func trainingGemmBody(wide: Bool, rows: Range<Int>, cols: Range<Int>, _ K: Int,
                             _ a: UnsafePointer<Float>, sam: Int, sak: Int,
                             _ b: UnsafePointer<Float>, ldb: Int, transposedB: Bool,
                             _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    if rows.isEmpty || cols.isEmpty || K == 0 { return }
    let mr = wide ? 8 : 6, nr = wide ? 32 : 16, kcMax = trainingKC, mcMax = trainingMC
    let N = cols.count, panels = (N + nr - 1) / nr, kBlocks = (K + kcMax - 1) / kcMax
    // When all of B packed fits in about half of L2, pack it once and walk row blocks outermost, so
    // each block of C stays in cache over every k slice (the forward shapes: C (out, tokens) is big,
    // B (in, tokens) small). Otherwise one k slice of B at a time, row blocks inside.
    let whole = K &* panels &* nr &* 4 <= 1 << 20
    let apack = UnsafeMutablePointer<Float>.allocate(capacity: (mcMax + mr) * kcMax)
    let bpack = UnsafeMutablePointer<Float>.allocate(capacity: (whole ? kBlocks : 1) * kcMax * panels * nr)
    let ctile = UnsafeMutablePointer<Float>.allocate(capacity: mr * nr)
    defer { apack.deallocate(); bpack.deallocate(); ctile.deallocate() }
    let bcol = b + (transposedB ? cols.lowerBound &* ldb : cols.lowerBound), ccol = c + cols.lowerBound
    let bk = transposedB ? 1 : ldb            // distance between rows k of B
    let sliceSize = kcMax &* panels &* nr
    if whole {
        for kb in 0..<kBlocks {
            let k0 = kb &* kcMax
            tkPackB(bcol + k0 &* bk, ldb, transposedB, min(kcMax, K - k0), N, nr: nr, into: bpack + kb &* sliceSize)
        }
        for m0 in stride(from: rows.lowerBound, to: rows.upperBound, by: mcMax) {
            let m1 = min(rows.upperBound, m0 + mcMax)
            for kb in 0..<kBlocks {
                let k0 = kb &* kcMax
                tkBlock(wide: wide, m0, m1, k0, min(kcMax, K - k0), N, a, sam, sak, UnsafePointer(bpack + kb &* sliceSize),
                        ccol, ldc, apack, ctile)
            }
        }
    } else {
        for k0 in stride(from: 0, to: K, by: kcMax) {
            let kc = min(kcMax, K - k0)
            tkPackB(bcol + k0 &* bk, ldb, transposedB, kc, N, nr: nr, into: bpack)
            for m0 in stride(from: rows.lowerBound, to: rows.upperBound, by: mcMax) {
                tkBlock(wide: wide, m0, min(rows.upperBound, m0 + mcMax), k0, kc, N, a, sam, sak, UnsafePointer(bpack),
                        ccol, ldc, apack, ctile)
            }
        }
    }
}

/// Rows m0..<m1 of C, all N columns, += A[m0..<m1, k0..<k0+kc] · (packed slice of B).
@inlinable @inline(__always)
func tkBlock(wide: Bool, _ m0: Int, _ m1: Int, _ k0: Int, _ kc: Int, _ N: Int,
             _ a: UnsafePointer<Float>, _ sam: Int, _ sak: Int, _ bpack: UnsafePointer<Float>,
             _ ccol: UnsafeMutablePointer<Float>, _ ldc: Int,
             _ apack: UnsafeMutablePointer<Float>, _ ctile: UnsafeMutablePointer<Float>) {
    let mr = wide ? 8 : 6, nr = wide ? 32 : 16
    let strips = (m1 - m0 + mr - 1) / mr, panels = (N + nr - 1) / nr
    // Rows of A contiguous in k are read in place (packing them would cost about as much as the
    // product when N is small); strided A is packed into mr-row strips.
    let direct = sak == 1 && (m1 - m0) % mr == 0
    if !direct { tkPackA(a + (m0 &* sam &+ k0 &* sak), sam, sak, rows: m1 - m0, kc, mr: mr, into: apack) }
    let (ars, aks) = direct ? (sam, 1) : (1, mr)
    for p in 0..<panels {
        let n0 = p &* nr, nw = min(nr, N - n0), bp = bpack + p &* kc &* nr
        for t in 0..<strips {
            let m = m0 &+ t &* mr, mh = min(mr, m1 - m)
            let ap = direct ? a + (m &* sam &+ k0) : UnsafePointer(apack + t &* kc &* mr)
            if mh == mr && nw == nr {
                if wide { tkTile8x32(kc, ap, ars, aks, bp, ccol + (m &* ldc &+ n0), ldc) }
                else { tkTile6x16(kc, ap, ars, aks, bp, ccol + (m &* ldc &+ n0), ldc) }
            } else {
                // Ragged edge: the full tile on a zero-padded copy; the valid elements see exactly
                // the operations they would see in place.
                ctile.update(repeating: 0, count: mr &* nr)
                for r in 0..<mh { for j in 0..<nw { ctile[r &* nr &+ j] = ccol[(m &+ r) &* ldc &+ n0 &+ j] } }
                if wide { tkTile8x32(kc, ap, ars, aks, bp, ctile, nr) }
                else { tkTile6x16(kc, ap, ars, aks, bp, ctile, nr) }
                for r in 0..<mh { for j in 0..<nw { ccol[(m &+ r) &* ldc &+ n0 &+ j] = ctile[r &* nr &+ j] } }
            }
        }
    }
}

/// B (kc, N) → panels of nr columns, each (kc, nr) contiguous, zero-padded on the right.
/// Transposed B (stored (N, kc), rows of stride ldb) is transposed while packing.
@inlinable @inline(__always)
func tkPackB(_ b: UnsafePointer<Float>, _ ldb: Int, _ transposed: Bool, _ kc: Int, _ N: Int, nr: Int,
             into out: UnsafeMutablePointer<Float>) {
    if transposed {
        for p in 0..<((N + nr - 1) / nr) {
            let dst = out + p &* kc &* nr, w = min(nr, N - p &* nr)
            for j in 0..<w {
                let src = b + (p &* nr &+ j) &* ldb
                for k in 0..<kc { dst[k &* nr &+ j] = src[k] }
            }
            if w < nr { for k in 0..<kc { for j in w..<nr { dst[k &* nr &+ j] = 0 } } }
        }
        return
    }
    let full = N / nr
    for p in 0..<full {
        let dst = out + p &* kc &* nr, src = b + p &* nr
        for k in 0..<kc {
            for v in stride(from: 0, to: nr, by: 16) { tkStore16(tkLoad16(src + (k &* ldb &+ v)), dst + (k &* nr &+ v)) }
        }
    }
    if full &* nr < N {
        let dst = out + full &* kc &* nr, w = N - full &* nr, src = b + full &* nr
        for k in 0..<kc {
            for j in 0..<nr { dst[k &* nr &+ j] = j < w ? src[k &* ldb &+ j] : 0 }
        }
    }
}

/// A (rows, kc) with strides → strips of mr rows, each (kc, mr) contiguous, zero-padded at the bottom.
@inlinable @inline(__always)
func tkPackA(_ a: UnsafePointer<Float>, _ sam: Int, _ sak: Int, rows: Int, _ kc: Int, mr: Int,
             into out: UnsafeMutablePointer<Float>) {
    let strips = (rows + mr - 1) / mr
    if sam == 1 {
        // A stored transposed (columns of A contiguous): each k gives mr neighbouring values.
        for t in 0..<strips {
            let dst = out + t &* kc &* mr, src = a + t &* mr, h = min(mr, rows - t &* mr)
            if h == 8 && mr == 8 {
                for k in 0..<kc {
                    UnsafeMutableRawPointer(dst + k &* 8).storeBytes(of: UnsafeRawPointer(src + k &* sak).loadUnaligned(as: SIMD8<Float>.self),
                                                                      as: SIMD8<Float>.self)
                }
            } else if h == mr {
                for k in 0..<kc { for r in 0..<mr { dst[k &* mr &+ r] = src[k &* sak &+ r] } }
            } else {
                for k in 0..<kc {
                    for r in 0..<mr { dst[k &* mr &+ r] = r < h ? src[k &* sak &+ r] : 0 }
                }
            }
        }
        return
    }
    for t in 0..<strips {
        let dst = out + t &* kc &* mr
        for r in 0..<mr {
            let row = t &* mr &+ r
            if row < rows {
                let src = a + row &* sam
                for k in 0..<kc { dst[k &* mr &+ r] = src[k &* sak] }
            } else {
                for k in 0..<kc { dst[k &* mr &+ r] = 0 }
            }
        }
    }
}

/// 6 rows × 16 columns of C in 12 ymm (AVX2). a: 6 rows of stride ars, k stride aks; b: packed
/// panel (kc, 16); c: (6, 16) with row stride ldc.
@inlinable @inline(__always)
func tkTile6x16(_ kc: Int, _ a: UnsafePointer<Float>, _ ars: Int, _ aks: Int, _ b: UnsafePointer<Float>,
                _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    var c0 = tkLoad16(c), c1 = tkLoad16(c + ldc), c2 = tkLoad16(c + 2 &* ldc)
    var c3 = tkLoad16(c + 3 &* ldc), c4 = tkLoad16(c + 4 &* ldc), c5 = tkLoad16(c + 5 &* ldc)
    var ap = a, bp = b
    let r2 = 2 &* ars, r3 = 3 &* ars, r4 = 4 &* ars, r5 = 5 &* ars
    for _ in 0..<kc {
        let bv = tkLoad16(bp)
        c0.addProduct(SIMD16(repeating: ap[0]), bv)
        c1.addProduct(SIMD16(repeating: ap[ars]), bv)
        c2.addProduct(SIMD16(repeating: ap[r2]), bv)
        c3.addProduct(SIMD16(repeating: ap[r3]), bv)
        c4.addProduct(SIMD16(repeating: ap[r4]), bv)
        c5.addProduct(SIMD16(repeating: ap[r5]), bv)
        ap += aks; bp += 16
    }
    tkStore16(c0, c); tkStore16(c1, c + ldc); tkStore16(c2, c + 2 &* ldc)
    tkStore16(c3, c + 3 &* ldc); tkStore16(c4, c + 4 &* ldc); tkStore16(c5, c + 5 &* ldc)
}

/// 8 rows × 32 columns of C in 16 zmm (AVX-512). Same operands as `tkTile6x16`, panel (kc, 32).
@inlinable @inline(__always)
func tkTile8x32(_ kc: Int, _ a: UnsafePointer<Float>, _ ars: Int, _ aks: Int, _ b: UnsafePointer<Float>,
                _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    let l2 = 2 &* ldc, l3 = 3 &* ldc, l4 = 4 &* ldc, l5 = 5 &* ldc, l6 = 6 &* ldc, l7 = 7 &* ldc
    var c0 = tkLoad16(c), c1 = tkLoad16(c + ldc), c2 = tkLoad16(c + l2), c3 = tkLoad16(c + l3)
    var c4 = tkLoad16(c + l4), c5 = tkLoad16(c + l5), c6 = tkLoad16(c + l6), c7 = tkLoad16(c + l7)
    var d0 = tkLoad16(c + 16), d1 = tkLoad16(c + (ldc &+ 16)), d2 = tkLoad16(c + (l2 &+ 16)), d3 = tkLoad16(c + (l3 &+ 16))
    var d4 = tkLoad16(c + (l4 &+ 16)), d5 = tkLoad16(c + (l5 &+ 16)), d6 = tkLoad16(c + (l6 &+ 16)), d7 = tkLoad16(c + (l7 &+ 16))
    var ap = a, bp = b
    let r2 = 2 &* ars, r3 = 3 &* ars, r4 = 4 &* ars, r5 = 5 &* ars, r6 = 6 &* ars, r7 = 7 &* ars
    for _ in 0..<kc {
        let bv = tkLoad16(bp), bw = tkLoad16(bp + 16)
        var s = SIMD16(repeating: ap[0]); c0.addProduct(s, bv); d0.addProduct(s, bw)
        s = SIMD16(repeating: ap[ars]); c1.addProduct(s, bv); d1.addProduct(s, bw)
        s = SIMD16(repeating: ap[r2]); c2.addProduct(s, bv); d2.addProduct(s, bw)
        s = SIMD16(repeating: ap[r3]); c3.addProduct(s, bv); d3.addProduct(s, bw)
        s = SIMD16(repeating: ap[r4]); c4.addProduct(s, bv); d4.addProduct(s, bw)
        s = SIMD16(repeating: ap[r5]); c5.addProduct(s, bv); d5.addProduct(s, bw)
        s = SIMD16(repeating: ap[r6]); c6.addProduct(s, bv); d6.addProduct(s, bw)
        s = SIMD16(repeating: ap[r7]); c7.addProduct(s, bv); d7.addProduct(s, bw)
        ap += aks; bp += 32
    }
    tkStore16(c0, c); tkStore16(c1, c + ldc); tkStore16(c2, c + l2); tkStore16(c3, c + l3)
    tkStore16(c4, c + l4); tkStore16(c5, c + l5); tkStore16(c6, c + l6); tkStore16(c7, c + l7)
    tkStore16(d0, c + 16); tkStore16(d1, c + (ldc &+ 16)); tkStore16(d2, c + (l2 &+ 16)); tkStore16(d3, c + (l3 &+ 16))
    tkStore16(d4, c + (l4 &+ 16)); tkStore16(d5, c + (l5 &+ 16)); tkStore16(d6, c + (l6 &+ 16)); tkStore16(d7, c + (l7 &+ 16))
}

/// The AVX-512 build of `trainingGemmBody`: call only when the CPU has avx512f/bw/dq/vl.
public func trainingGemmAVX512(rows: Range<Int>, cols: Range<Int>, _ K: Int,
                               _ a: UnsafePointer<Float>, sam: Int, sak: Int,
                               _ b: UnsafePointer<Float>, ldb: Int, transposedB: Bool,
                               _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    trainingGemmBody(wide: true, rows: rows, cols: cols, K, a, sam: sam, sak: sak, b, ldb: ldb, transposedB: transposedB,
                     c, ldc: ldc)
}
