// The element types the differentiable model runs on: Float for training, Double for the
// finite-difference gradient checks. The model code is generic over `TrainScalar`; only the dense
// products and elementary functions differ, Float going through the SIMD kernels
// (TrainingKernels.swift), Double through plain loops. Not a tensor library.
import TrainingAVX512
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
    /// C[m, n] (+)= Σ_k A[m·sam + k·sak] · B[k, n]. A: (M, K) strided, B: (K, N) at b[k·ldb + n], or
    /// when `transposedB` at b[n·ldb + k], C: (M, N).
    static func gemm(_ M: Int, _ N: Int, _ K: Int,
                     _ a: UnsafePointer<Self>, sam: Int, sak: Int,
                     _ b: UnsafePointer<Self>, ldb: Int, transposedB: Bool,
                     _ c: UnsafeMutablePointer<Self>, ldc: Int, accumulate: Bool, threads: Int)
    /// Σ a[i]·b[i] in a fixed order.
    static func dot(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ n: Int) -> Self
    /// x[i] = e^x[i]; each element's result depends on its value only (not its position).
    static func expInPlace(_ x: UnsafeMutablePointer<Self>, count: Int)
    /// h = g·σ(g)·u over `range`.
    static func swigluForward(_ g: UnsafePointer<Self>, _ u: UnsafePointer<Self>, _ h: UnsafeMutablePointer<Self>, _ range: Range<Int>)
    /// dg = dh·u·σ(g)·(1 + g·(1 − σ(g))), du = dh·g·σ(g) over `range`.
    static func swigluBackward(_ dh: UnsafePointer<Self>, _ g: UnsafePointer<Self>, _ u: UnsafePointer<Self>,
                               _ dg: UnsafeMutablePointer<Self>, _ du: UnsafeMutablePointer<Self>, _ range: Range<Int>)
}

extension Float: TrainScalar {
    static func exp(_ x: Float) -> Float { expf(x) }
    static func cos(_ x: Float) -> Float { cosf(x) }
    static func sin(_ x: Float) -> Float { sinf(x) }
    static func log(_ x: Float) -> Float { logf(x) }
    static func gemm(_ M: Int, _ N: Int, _ K: Int,
                     _ a: UnsafePointer<Float>, sam: Int, sak: Int,
                     _ b: UnsafePointer<Float>, ldb: Int, transposedB: Bool,
                     _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int) {
        sgemm(M, N, K, a, sam: sam, sak: sak, b, ldb: ldb, transposedB: transposedB, c, ldc: ldc,
              accumulate: accumulate, threads: threads)
    }
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float { sdot(a, b, n) }
    static func expInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) { trainingExpInPlace(x, count) }

    // SwiGLU 16 lanes at a time with the vector exp; the tail runs the same lane operations on a
    // zero-padded vector, so an element's bits never depend on where a range boundary falls.
    static func swigluForward(_ g: UnsafePointer<Float>, _ u: UnsafePointer<Float>, _ h: UnsafeMutablePointer<Float>,
                              _ range: Range<Int>) {
        var i = range.lowerBound
        while i < range.upperBound {
            let w = min(16, range.upperBound - i)
            let gv = loadPartial(g + i, w), sig = 1 / (1 + trainingExp(-gv))
            storePartial(gv * sig * loadPartial(u + i, w), h + i, w)
            i += w
        }
    }
    static func swigluBackward(_ dh: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ u: UnsafePointer<Float>,
                               _ dg: UnsafeMutablePointer<Float>, _ du: UnsafeMutablePointer<Float>, _ range: Range<Int>) {
        var i = range.lowerBound
        while i < range.upperBound {
            let w = min(16, range.upperBound - i)
            let gv = loadPartial(g + i, w), dhv = loadPartial(dh + i, w), uv = loadPartial(u + i, w)
            let sig = 1 / (1 + trainingExp(-gv))
            storePartial(dhv * uv * sig * (1 + gv * (1 - sig)), dg + i, w)
            storePartial(dhv * gv * sig, du + i, w)
            i += w
        }
    }
}

/// 16 lanes from p, or the first w of them with the rest zero.
@inline(__always)
private func loadPartial(_ p: UnsafePointer<Float>, _ w: Int) -> SIMD16<Float> {
    if w == 16 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
    var v = SIMD16<Float>()
    for j in 0..<w { v[j] = p[j] }
    return v
}

@inline(__always)
private func storePartial(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ w: Int) {
    if w == 16 { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self); return }
    for j in 0..<w { p[j] = v[j] }
}

extension Double: TrainScalar {
    static func exp(_ x: Double) -> Double { cExp(x) }
    static func cos(_ x: Double) -> Double { cCos(x) }
    static func sin(_ x: Double) -> Double { cSin(x) }
    static func log(_ x: Double) -> Double { cLog(x) }
    static func gemm(_ M: Int, _ N: Int, _ K: Int,
                     _ a: UnsafePointer<Double>, sam: Int, sak: Int,
                     _ b: UnsafePointer<Double>, ldb: Int, transposedB: Bool,
                     _ c: UnsafeMutablePointer<Double>, ldc: Int, accumulate: Bool, threads: Int) {
        let (sbk, sbn) = transposedB ? (1, ldb) : (ldb, 1)
        for m in 0..<M {
            for n in 0..<N {
                var acc = accumulate ? c[m * ldc + n] : 0
                for k in 0..<K { acc += a[m * sam + k * sak] * b[k * sbk + n * sbn] }
                c[m * ldc + n] = acc
            }
        }
    }
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        var s = 0.0
        for i in 0..<n { s += a[i] * b[i] }
        return s
    }
    static func expInPlace(_ x: UnsafeMutablePointer<Double>, count: Int) { for i in 0..<count { x[i] = cExp(x[i]) } }
    static func swigluForward(_ g: UnsafePointer<Double>, _ u: UnsafePointer<Double>, _ h: UnsafeMutablePointer<Double>,
                              _ range: Range<Int>) {
        for i in range { h[i] = g[i] * (1 / (1 + cExp(-g[i]))) * u[i] }
    }
    static func swigluBackward(_ dh: UnsafePointer<Double>, _ g: UnsafePointer<Double>, _ u: UnsafePointer<Double>,
                               _ dg: UnsafeMutablePointer<Double>, _ du: UnsafeMutablePointer<Double>, _ range: Range<Int>) {
        for i in range {
            let sig = 1 / (1 + cExp(-g[i]))
            dg[i] = dh[i] * u[i] * sig * (1 + g[i] * (1 - sig))
            du[i] = dh[i] * g[i] * sig
        }
    }
}

extension TrainScalar {
    /// The GEMM with B stored row-major (K, N).
    @inline(__always)
    static func gemm(_ M: Int, _ N: Int, _ K: Int, _ a: UnsafePointer<Self>, sam: Int, sak: Int,
                     _ b: UnsafePointer<Self>, ldb: Int, _ c: UnsafeMutablePointer<Self>, ldc: Int,
                     accumulate: Bool, threads: Int) {
        gemm(M, N, K, a, sam: sam, sak: sak, b, ldb: ldb, transposedB: false, c, ldc: ldc, accumulate: accumulate, threads: threads)
    }
}

/// An owned, fixed-size, zero-initialised buffer of scalars: the flat storage behind parameters,
/// gradients, optimizer moments and saved activations. Views into it are (offset, count) pairs.
/// Buffers of 4 MB and more are fresh anonymous mappings, 2 MB-aligned and advised to use huge pages:
/// they arrive zeroed from the kernel (no memset pass before the weights are copied in, so a job
/// starts sooner), fault in 2 MB at a time, and the GEMMs streaming weights miss the TLB far less.
final class FlatBuffer<T: TrainScalar>: @unchecked Sendable {
    let p: UnsafeMutablePointer<T>
    let count: Int
    private let mapping: (base: UnsafeMutableRawPointer, length: Int)?

    init(count: Int) {
        self.count = count
        let bytes = max(1, count) * MemoryLayout<T>.stride
        if bytes >= 1 << 22, let m = mapZeroedHugePages(bytes) {
            mapping = m.mapping
            p = m.aligned.bindMemory(to: T.self, capacity: max(1, count))
        } else {
            mapping = nil
            p = .allocate(capacity: max(1, count))
            p.initialize(repeating: 0, count: max(1, count))
        }
    }
    deinit {
        if let m = mapping {
            #if canImport(Glibc)
            munmap(m.base, m.length)
            #endif
        } else {
            p.deallocate()
        }
    }
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

/// An anonymous zero-filled mapping of at least `bytes`, its start rounded up to 2 MB, with
/// MADV_HUGEPAGE (this machine's THP mode is `madvise`). nil where mmap is unavailable or fails.
private func mapZeroedHugePages(_ bytes: Int) -> (aligned: UnsafeMutableRawPointer, mapping: (base: UnsafeMutableRawPointer, length: Int))? {
    #if canImport(Glibc)
    let huge = 1 << 21, length = bytes + huge
    guard let base = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
          Int(bitPattern: base) != -1 else { return nil }
    let aligned = UnsafeMutableRawPointer(bitPattern: (Int(bitPattern: base) + huge - 1) & ~(huge - 1))!
    _ = madvise(aligned, bytes, Int32(MADV_HUGEPAGE))
    return (aligned, (base, length))
    #else
    return nil
    #endif
}
