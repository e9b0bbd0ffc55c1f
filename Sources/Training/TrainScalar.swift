// The element types the differentiable model runs on: Float for training, Double for the
// finite-difference gradient checks. The model code is generic over `TrainScalar`; only the dense
// products and elementary functions differ, Float going through the SIMD kernels
// (TrainingKernels.swift), Double through plain loops. Not a tensor library.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The C library's Double functions under names that do not collide with the protocol's.
private func cExp(_ x: Double) -> Double { exp(x) }
private func cCos(_ x: Double) -> Double { cos(x) }
private func cSin(_ x: Double) -> Double { sin(x) }
private func cLog(_ x: Double) -> Double { log(x) }

protocol TrainScalar: BinaryFloatingPoint, Sendable where Self.RawSignificand: FixedWidthInteger {
    static func exp(_ x: Self) -> Self
    static func cos(_ x: Self) -> Self
    static func sin(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    /// C[m, n] (+)= Σ_k A[m·sam + k·sak] · B[k·ldb + n]. A: (M, K) strided, B: (K, N), C: (M, N).
    static func gemm(_ M: Int, _ N: Int, _ K: Int,
                     _ a: UnsafePointer<Self>, sam: Int, sak: Int,
                     _ b: UnsafePointer<Self>, ldb: Int,
                     _ c: UnsafeMutablePointer<Self>, ldc: Int, accumulate: Bool, threads: Int)
    /// Σ a[i]·b[i] in a fixed order.
    static func dot(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ n: Int) -> Self
}

extension Float: TrainScalar {
    static func exp(_ x: Float) -> Float { expf(x) }
    static func cos(_ x: Float) -> Float { cosf(x) }
    static func sin(_ x: Float) -> Float { sinf(x) }
    static func log(_ x: Float) -> Float { logf(x) }
    static func gemm(_ M: Int, _ N: Int, _ K: Int,
                     _ a: UnsafePointer<Float>, sam: Int, sak: Int,
                     _ b: UnsafePointer<Float>, ldb: Int,
                     _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int) {
        sgemm(M, N, K, a, sam: sam, sak: sak, b, ldb: ldb, c, ldc: ldc, accumulate: accumulate, threads: threads)
    }
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float { sdot(a, b, n) }
}

extension Double: TrainScalar {
    static func exp(_ x: Double) -> Double { cExp(x) }
    static func cos(_ x: Double) -> Double { cCos(x) }
    static func sin(_ x: Double) -> Double { cSin(x) }
    static func log(_ x: Double) -> Double { cLog(x) }
    static func gemm(_ M: Int, _ N: Int, _ K: Int,
                     _ a: UnsafePointer<Double>, sam: Int, sak: Int,
                     _ b: UnsafePointer<Double>, ldb: Int,
                     _ c: UnsafeMutablePointer<Double>, ldc: Int, accumulate: Bool, threads: Int) {
        for m in 0..<M {
            for n in 0..<N {
                var acc = accumulate ? c[m * ldc + n] : 0
                for k in 0..<K { acc += a[m * sam + k * sak] * b[k * ldb + n] }
                c[m * ldc + n] = acc
            }
        }
    }
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        var s = 0.0
        for i in 0..<n { s += a[i] * b[i] }
        return s
    }
}

/// An owned, fixed-size, zero-initialised buffer of scalars: the flat storage behind parameters,
/// gradients, optimizer moments and saved activations. Views into it are (offset, count) pairs.
final class FlatBuffer<T: TrainScalar>: @unchecked Sendable {
    let p: UnsafeMutablePointer<T>
    let count: Int
    init(count: Int) {
        self.count = count
        p = .allocate(capacity: max(1, count))
        p.initialize(repeating: 0, count: max(1, count))
    }
    deinit { p.deallocate() }
    subscript(i: Int) -> T {
        get { p[i] }
        set { p[i] = newValue }
    }
    func zero() { p.update(repeating: 0, count: count) }
    var array: [T] { Array(UnsafeBufferPointer(start: p, count: count)) }
    func copy(from values: [T], at offset: Int = 0) {
        precondition(offset + values.count <= count, "copy past the end of a FlatBuffer")
        values.withUnsafeBufferPointer { (p + offset).update(from: $0.baseAddress!, count: values.count) }
    }
}
