// The training GEMM's blocking and packing as inlinable bodies: Training compiles them with its
// haswell floor (6×16 tiles), `trainingGemmAVX512` below is compiled here with `-target-cpu
// skylake-avx512` (12×32 tiles, 8×32 for a last strip of ≤ 8 rows and for A read in place). Tiles
// are in GemmTiles.swift. Every C element sees one fused multiply-add per k in increasing k order in
// both (partial sums stored to C between k slices are exact), so both builds give identical bits.
// The body and the helpers it calls are `@_transparent`: with plain `@inline(__always)` Training's
// AVX2 path called this module's AVX-512-compiled copies (seen in the binary: SIGILL on AVX2 CPUs). Nothing here may run before Training's
// run-time CPU check (TrainingKernels.swift); no threads.

/// Deepest k slice. The slices of one product are balanced (K = 576 → 3 × 192, not 384 + 192) and
/// rounded up to whole 32-value blocks of the packed A layout.
@inlinable public var trainingKC: Int { 192 }

/// Rows of A per cache block (a multiple of both builds' tile heights).
@inlinable var trainingMC: Int { 144 }

/// Deepest k slice and rows per block when A is read in place (`direct`).
@inlinable var trainingDirectKC: Int { 256 }
@inlinable var trainingDirectMC: Int { 96 }

/// Bytes of packed B kept at once: all of B when it fits (packed once, row blocks outermost, so each
/// block of C stays in cache over the k slices), else a block of columns one k slice at a time.
@inlinable var trainingPackedB: Int { 1 << 20 }

/// C[rows, cols] += A[rows, 0..<K] · B[0..<K, cols] with A[m, k] at a[m·sam + k·sak], B[k, n] at
/// b[k·ldb + n] (or b[n·ldb + k] when `transposedB`), C[m, n] at c[m·ldc + n]. `wide` picks the
/// 12×32 and 8×32 tiles (AVX-512) over 6×16 (AVX2); it must be a literal at the call site so the
/// other branch folds away. B is packed into panels of tile width. A is packed into strips of tile
/// height, except that k-contiguous A feeding at most 4 panels (the forward products, N ≤ 128) is
/// read in place by 8×32 (6×16) tiles: there each A strip is used too few times to pay for a copy.
@_transparent
public func trainingGemmBody(wide: Bool, rows: Range<Int>, cols: Range<Int>, _ K: Int,
                             _ a: UnsafePointer<Float>, sam: Int, sak: Int,
                             _ b: UnsafePointer<Float>, ldb: Int, transposedB: Bool,
                             _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    if rows.isEmpty || cols.isEmpty || K == 0 { return }
    let mr = wide ? 12 : 6, nr = wide ? 32 : 16, N = cols.count, panels = (N + nr - 1) / nr
    let direct = sak == 1 && panels <= 4
    let mc = direct ? trainingDirectMC : trainingMC, kcMax = direct ? trainingDirectKC : trainingKC
    let parts = (K + kcMax - 1) / kcMax
    let kc = min(kcMax, ((K + parts - 1) / parts + 31) & ~31), slices = (K + kc - 1) / kc
    let whole = K &* panels &* nr &* 4 <= trainingPackedB
    let nc = whole ? panels &* nr : max(nr, trainingPackedB / (kc &* 4) / nr &* nr)
    let apack = UnsafeMutablePointer<Float>.allocate(capacity: (mc / mr + 1) &* mr &* kc)
    let bpack = UnsafeMutablePointer<Float>.allocate(capacity: whole ? slices &* kc &* panels &* nr : kc &* nc)
    let ctile = UnsafeMutablePointer<Float>.allocate(capacity: mr &* nr)
    defer { apack.deallocate(); bpack.deallocate(); ctile.deallocate() }
    let bcol = b + (transposedB ? cols.lowerBound &* ldb : cols.lowerBound), ccol = c + cols.lowerBound
    let bk = transposedB ? 1 : ldb, bn = transposedB ? ldb : 1     // B's strides along k and n
    if whole {
        let sliceSize = kc &* panels &* nr
        for s in 0..<slices {
            let k0 = s &* kc
            tkPackB(bcol + k0 &* bk, ldb, transposedB, min(kc, K - k0), N, wide: wide, into: bpack + s &* sliceSize)
        }
        for m0 in stride(from: rows.lowerBound, to: rows.upperBound, by: mc) {
            for s in 0..<slices {
                let k0 = s &* kc
                tkRowBlock(wide: wide, direct: direct, a + (m0 &* sam &+ k0 &* sak), sam, sak, min(mc, rows.upperBound - m0),
                           min(kc, K - k0), N, bpack + s &* sliceSize, ccol + m0 &* ldc, ldc, apack, ctile)
            }
        }
        return
    }
    for n0 in stride(from: 0, to: N, by: nc) {
        let nw = min(nc, N - n0)
        for k0 in stride(from: 0, to: K, by: kc) {
            let kl = min(kc, K - k0)
            tkPackB(bcol + (k0 &* bk &+ n0 &* bn), ldb, transposedB, kl, nw, wide: wide, into: bpack)
            for m0 in stride(from: rows.lowerBound, to: rows.upperBound, by: mc) {
                tkRowBlock(wide: wide, direct: direct, a + (m0 &* sam &+ k0 &* sak), sam, sak, min(mc, rows.upperBound - m0),
                           kl, nw, bpack, ccol + (m0 &* ldc &+ n0), ldc, apack, ctile)
            }
        }
    }
}

/// Rows 0..<h of C (h ≤ the block height), ncols columns, += A (h, kl) · packed B slice: A read in
/// place when `direct` allows it for this block (whole 8- or 6-row strips), else packed first.
@usableFromInline @_transparent
func tkRowBlock(wide: Bool, direct: Bool, _ a: UnsafePointer<Float>, _ sam: Int, _ sak: Int, _ h: Int, _ kl: Int,
                _ ncols: Int, _ bslice: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
                _ apack: UnsafeMutablePointer<Float>, _ ctile: UnsafeMutablePointer<Float>) {
    if direct && h % (wide ? 8 : 6) == 0 {
        tkBlock(wide: wide, h, kl, ncols, direct: true, kMajor: false, a, sam, bslice, c, ldc, ctile)
    } else {
        tkPackA(a, sam, sak, rows: h, kl, wide: wide, into: apack)
        tkBlock(wide: wide, h, kl, ncols, direct: false, kMajor: sak != 1, apack, 0, bslice, c, ldc, ctile)
    }
}

/// Height of strip t of a packed block of h rows: the tile height, except that the AVX-512 build
/// runs its 8-row tile on a last strip of 8 rows or fewer.
@inlinable @inline(__always)
func tkStripHeight(wide: Bool, _ h: Int, _ t: Int) -> Int {
    let mr = wide ? 12 : 6
    return wide && h - t &* mr <= 8 ? 8 : mr
}

/// C (h, ncols) += A strips · packed B panels over kl values of k. A is the packed block (`direct`
/// false) or A itself (rows of stride sam, k contiguous, h a multiple of the 8- or 6-row tile).
/// When there are more panels than strips, strip by strip: the A strip stays in L1 while panels
/// stream from L2 and C is walked row-wise (C cold: dW, dE). Otherwise panel by panel: the B
/// panel stays in L1 and the A strips stream (C (h, ≤ 128) stays in cache: the forward products).
@usableFromInline @_transparent
func tkBlock(wide: Bool, _ h: Int, _ kl: Int, _ ncols: Int, direct: Bool, kMajor: Bool,
             _ a: UnsafePointer<Float>, _ sam: Int, _ bpack: UnsafePointer<Float>,
             _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ ctile: UnsafeMutablePointer<Float>) {
    let mr = direct ? (wide ? 8 : 6) : (wide ? 12 : 6), nr = wide ? 32 : 16
    let stripSize = ((kl + 31) & ~31) &* mr
    let strips = (h + mr - 1) / mr, panels = (ncols + nr - 1) / nr
    let stripsOuter = panels > strips
    for i in 0..<strips &* panels {
        let (t, p) = stripsOuter ? (i / panels, i % panels) : (i % strips, i / strips)
        let m = t &* mr, mh = min(mr, h - m), tall = direct ? mr : tkStripHeight(wide: wide, h, t)
        let ap = a + (direct ? m &* sam : t &* stripSize)
        let n0 = p &* nr, nw = min(nr, ncols - n0), bp = bpack + p &* kl &* nr
        let inPlace = mh == tall && nw == nr, cp = c + (m &* ldc &+ n0)
        // Ragged edge: the full tile on a zero-padded copy; the valid elements see exactly the
        // operations they would see in place.
        if !inPlace {
            ctile.update(repeating: 0, count: mr &* nr)
            for r in 0..<mh { for j in 0..<nw { ctile[r &* nr &+ j] = cp[r &* ldc &+ j] } }
        }
        let (dst, ld) = inPlace ? (cp, ldc) : (ctile, nr)
        // A element (row r, k = 32·blk + e) at ap[blk·bs + r·rs + e·es]: packed blocks hold each
        // row's 32 values in turn (rs 32, es 1) or each k's rows in turn (kMajor: rs 1, es = height).
        if direct {
            if wide { tkTile8x32(kl, ap, sam, 1, 32, bp, dst, ld) } else { tkTile6x16(kl, ap, sam, 1, 32, bp, dst, ld) }
        } else if !wide {
            if kMajor { tkTile6x16(kl, ap, 1, 6, 192, bp, dst, ld) } else { tkTile6x16(kl, ap, 32, 1, 192, bp, dst, ld) }
        } else if tall == 12 {
            if kMajor { tkTile12x32(kl, ap, 1, 12, 384, bp, dst, ld) } else { tkTile12x32(kl, ap, 32, 1, 384, bp, dst, ld) }
        } else {
            if kMajor { tkTile8x32(kl, ap, 1, 8, 256, bp, dst, ld) } else { tkTile8x32(kl, ap, 32, 1, 256, bp, dst, ld) }
        }
        if !inPlace { for r in 0..<mh { for j in 0..<nw { cp[r &* ldc &+ j] = ctile[r &* nr &+ j] } } }
    }
}

/// B (kl, ncols) → panels of nr columns, each (kl, nr) contiguous, zero-padded on the right. Plain B
/// is read row by row (one stream); transposed B (stored (ncols, kl), rows of stride ldb) is
/// transposed 16×16 at a time in registers (AVX-512 build; the AVX2 one copies element-wise).
@usableFromInline @_transparent
func tkPackB(_ b: UnsafePointer<Float>, _ ldb: Int, _ transposed: Bool, _ kl: Int, _ ncols: Int, wide: Bool,
             into out: UnsafeMutablePointer<Float>) {
    let nr = wide ? 32 : 16, full = ncols / nr, rest = ncols - full &* nr
    if !transposed {
        for k in 0..<kl {
            let src = b + k &* ldb
            for p in 0..<full {
                let dst = out + (p &* kl &* nr &+ k &* nr), s = src + p &* nr
                tkStore16(tkLoad16(s), dst)
                if wide { tkStore16(tkLoad16(s + 16), dst + 16) }
            }
            if rest > 0 {
                let dst = out + (full &* kl &* nr &+ k &* nr), s = src + full &* nr
                for j in 0..<nr { dst[j] = j < rest ? s[j] : 0 }
            }
        }
        return
    }
    for p in 0..<(rest > 0 ? full + 1 : full) {
        let dst = out + p &* kl &* nr
        for h in stride(from: 0, to: nr, by: 16) {
            let n = p &* nr &+ h, valid = max(0, min(16, ncols - n))
            var k = 0
            if wide && valid == 16 {
                while k + 16 <= kl { tkTranspose16(b + (n &* ldb &+ k), ldb, dst + (k &* nr &+ h), nr); k &+= 16 }
            }
            while k < kl {
                for j in 0..<16 { dst[k &* nr &+ h &+ j] = j < valid ? b[(n &+ j) &* ldb &+ k] : 0 }
                k &+= 1
            }
        }
    }
}

/// A (h, kl) with strides → strips of tile height (`tkStripHeight`), each ⌈kl/32⌉ blocks of 32 k,
/// zero rows below h. A with k contiguous (sak == 1): a block holds each row's 32 values in turn;
/// otherwise k-major (a block holds each k's row values in turn, so a strip is simply (kl, height)).
@usableFromInline @_transparent
func tkPackA(_ a: UnsafePointer<Float>, _ sam: Int, _ sak: Int, rows h: Int, _ kl: Int, wide: Bool,
             into out: UnsafeMutablePointer<Float>) {
    let mr = wide ? 12 : 6, stripSize = ((kl + 31) & ~31) &* mr
    for t in 0..<(h + mr - 1) / mr {
        let mh = min(mr, h - t &* mr), tall = tkStripHeight(wide: wide, h, t)
        let src = a + t &* mr &* sam, dst = out + t &* stripSize
        if sak == 1 {
            for r in 0..<tall {
                for k0 in stride(from: 0, to: kl, by: 32) {
                    let d = dst + (k0 &* tall &+ r &* 32), s = src + (r &* sam &+ k0), len = min(32, kl - k0)
                    if r >= mh {
                        d.update(repeating: 0, count: len)
                    } else if len == 32 {
                        tkStore16(tkLoad16(s), d); tkStore16(tkLoad16(s + 16), d + 16)
                    } else {
                        d.update(from: s, count: len)
                    }
                }
            }
        } else {
            for k in 0..<kl {
                let d = dst + k &* tall, s = src + k &* sak
                if sam == 1 && mh == tall {
                    tkCopyRow(s, d, tall)
                } else {
                    for r in 0..<tall { d[r] = r < mh ? s[r &* sam] : 0 }
                }
            }
        }
    }
}

/// d[0..<n] = s[0..<n] for the strip heights 12, 8 and 6, without reading past s[n − 1].
@inlinable @inline(__always)
func tkCopyRow(_ s: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, _ n: Int) {
    let sr = UnsafeRawPointer(s), dr = UnsafeMutableRawPointer(d)
    if n == 6 {
        dr.storeBytes(of: sr.loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
        dr.storeBytes(of: sr.loadUnaligned(fromByteOffset: 16, as: SIMD2<Float>.self), toByteOffset: 16, as: SIMD2<Float>.self)
        return
    }
    dr.storeBytes(of: sr.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
    if n == 12 {
        dr.storeBytes(of: sr.loadUnaligned(fromByteOffset: 32, as: SIMD4<Float>.self), toByteOffset: 32, as: SIMD4<Float>.self)
    }
}

/// The AVX-512 build of `trainingGemmBody`: call only when the CPU has avx512f/bw/dq/vl.
public func trainingGemmAVX512(rows: Range<Int>, cols: Range<Int>, _ K: Int,
                               _ a: UnsafePointer<Float>, sam: Int, sak: Int,
                               _ b: UnsafePointer<Float>, ldb: Int, transposedB: Bool,
                               _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    trainingGemmBody(wide: true, rows: rows, cols: cols, K, a, sam: sam, sak: sak, b, ldb: ldb, transposedB: transposedB,
                     c, ldc: ldc)
}
