// A 16-lane exp for the trainer's softmaxes, cross-entropy and SwiGLU: Cephes' expf range
// reduction and degree-6 polynomial in plain SIMD16 operations, so it vectorises in both builds and
// gives the same bits in each (no fused operations, no table lookups, no libm). A lane's result
// depends only on that lane's input, never on its neighbours or position. Not a general math library.

/// e^x for each lane, relative error about 2 ulp over [−87, 88]; inputs are clamped to that range
/// (e^−87 ≈ 1.6e−38 stands in for smaller results, e^88 ≈ 1.7e38 for larger ones).
@inlinable @inline(__always)
public func trainingExp(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let xc = pointwiseMax(pointwiseMin(x, SIMD16(repeating: 88)), SIMD16(repeating: -87))
    // n = round(x·log2 e) with the 1.5·2²³ trick: adding it leaves n in the low mantissa bits.
    let magic = SIMD16<Float>(repeating: 12_582_912)
    let t = xc * 1.442_695_04 + magic
    let n = t - magic
    // r = x − n·ln 2 in two parts (Cody–Waite), exact enough for |r| ≤ ln2/2.
    let r = (xc - n * 0.693_359_375) - n * -2.121_944_4e-4
    var p = SIMD16<Float>(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_91e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    let y = p * (r * r) + r + 1
    // 2ⁿ from the integer in t's low bits: (n + 127) << 23 as a float's bit pattern.
    let ni = unsafeBitCast(t, to: SIMD16<Int32>.self) &- unsafeBitCast(magic, to: SIMD16<Int32>.self)
    let scale = unsafeBitCast((ni &+ 127) &<< 23, to: SIMD16<Float>.self)
    return y * scale
}

/// x[i] = e^x[i] for i in 0..<count, 16 lanes at a time; the tail goes through a zero-padded vector,
/// so every element gets the same function wherever it sits.
@inlinable @inline(__always)
public func trainingExpInPlace(_ x: UnsafeMutablePointer<Float>, _ count: Int) {
    var i = 0
    while i &+ 16 <= count {
        tkStore16(trainingExp(tkLoad16(x + i)), x + i)
        i &+= 16
    }
    if i < count {
        var v = SIMD16<Float>()
        for j in 0..<(count &- i) { v[j] = x[i &+ j] }
        v = trainingExp(v)
        for j in 0..<(count &- i) { x[i &+ j] = v[j] }
    }
}
