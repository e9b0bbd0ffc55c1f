// Element-wise loops of the llama block that are worth twice the vector width: e^x (`fastExpBody`,
// which Numerics' `fastExp` is), SwiGLU and softmax's exponentials. Numerics inlines the bodies for
// the AVX2 build and calls the `…AVX512` entry points after its CPU check. Every element is the
// same scalar expression in any build (no fused or reordered steps), so the bits do not change.

/// e^x: x = k·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial (Cephes expf), 2^k built in
/// the exponent bits. Relative error ~2e-7; x below −87 gives 0. Branch-free scalar code, so the
/// loops that call it vectorize and give the same bits as the scalar tail.
@inlinable @inline(__always)
public func fastExpBody(_ x: Float) -> Float {
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

/// g[i] = g[i] / (1 + e^(−g[i])) · u[i] for i < count.  g, u: (count)
@inlinable @inline(__always)
public func swiGLUBody(_ g: UnsafeMutablePointer<Float>, _ u: UnsafePointer<Float>, _ count: Int) {
    for i in 0..<count { g[i] = g[i] / (1 + fastExpBody(-g[i])) * u[i] }
}

/// p[t] = e^(p[t] − shift) for t < count.  p: (count)
@inlinable @inline(__always)
public func expShiftedBody(_ p: UnsafeMutablePointer<Float>, _ count: Int, _ shift: Float) {
    for t in 0..<count { p[t] = fastExpBody(p[t] - shift) }
}

/// AVX-512 build of `swiGLUBody`.
public func swiGLUAVX512(_ g: UnsafeMutablePointer<Float>, _ u: UnsafePointer<Float>, _ count: Int) {
    swiGLUBody(g, u, count)
}

/// AVX-512 build of `expShiftedBody`.
public func expShiftedAVX512(_ p: UnsafeMutablePointer<Float>, _ count: Int, _ shift: Float) {
    expShiftedBody(p, count, shift)
}
