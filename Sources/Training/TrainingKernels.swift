// Dense Float kernels the trainer needs: the GEMM with a strided A operand (it serves Yᵀ = W·Xᵀ,
// dX = dY·W and dW += dYᵀ·X without copying W) and its run-time choice between the AVX2 body and the
// AVX-512 build in TrainingAVX512, a fixed-order SIMD dot product, a transpose and a fixed-partition
// parallel loop. Every output element is computed by one thread with the same operation sequence
// whatever the build, tiling or thread count: results are bit-identical.
import Basics
import Dispatch
import TrainingAVX512
#if canImport(Glibc)
import Glibc
#endif

/// A pointer that may cross into a `concurrentPerform` closure; each worker writes a disjoint range.
struct SendablePointer<T>: @unchecked Sendable {
    let p: UnsafeMutablePointer<T>
    init(_ p: UnsafeMutablePointer<T>) { self.p = p }
}

/// Runs `body(part)` for part in 0..<parts, on up to `threads` threads. The caller decides what each
/// part covers (always a fixed split of the work), so the result never depends on scheduling.
func parallelFor(parts: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    if threads <= 1 || parts <= 1 {
        for i in 0..<parts { body(i) }
    } else {
        DispatchQueue.concurrentPerform(iterations: parts, execute: body)
    }
}

/// Runs `body` on fixed contiguous ranges covering 0..<count, one per thread (serially when the
/// work is small). For element-wise work where every element is computed the same way anywhere.
func parallelRanges(_ count: Int, threads: Int, minimum: Int = 32, _ body: @Sendable (Range<Int>) -> Void) {
    let parts = max(1, min(threads, count / minimum))
    parallelFor(parts: parts, threads: threads) { body(fixedRange(count, part: $0, of: parts)) }
}

/// The fixed share of 0..<count for part `i` of `parts`, rounded to multiples of `align`.
@inline(__always)
func fixedRange(_ count: Int, part i: Int, of parts: Int, align: Int = 1) -> Range<Int> {
    let units = (count + align - 1) / align
    let lo = min(count, units * i / parts * align), hi = min(count, units * (i + 1) / parts * align)
    return lo..<hi
}

@inline(__always)
private func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
private func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// Which build of the GEMM runs: the AVX-512 one (TrainingAVX512, 12×32 tiles) only when
/// /proc/cpuinfo lists the subsets `-target-cpu skylake-avx512` may emit and BEDROCK_KERNELS is not
/// `baseline`; otherwise the AVX2 floor (6×16 tiles). Both give identical bits.
enum TrainingCPU {
    static let hasAVX512: Bool = {
        #if arch(x86_64) && os(Linux)
        if let forced = getenv("BEDROCK_KERNELS"), String(cString: forced) == "baseline" { return false }
        guard let f = fopen("/proc/cpuinfo", "r") else { return false }
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 8192)
        while fgets(&line, Int32(line.count), f) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard text.hasPrefix("flags") else { continue }
            let flags = Set(text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init))
            return ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"].allSatisfy(flags.contains)
        }
        return false
        #else
        return false
        #endif
    }()
}

/// C[m, n] (+)= Σ_k A[m·sam + k·sak] · B[k·ldb + n], k in increasing order, one fused multiply-add each.
/// A: (M, K) with any strides, B: (K, N) rows of stride ldb (or, `transposedB`, stored (N, K) with
/// rows of stride ldb: B[k, n] at b[n·ldb + k]), C: (M, N) rows of stride ldc.
/// Threads get fixed contiguous ranges of rows, or of columns when C is wider than tall (then each
/// packs only its own columns of B). `wide` overrides the run-time choice of build (tests).
func sgemm(_ M: Int, _ N: Int, _ K: Int,
           _ a: UnsafePointer<Float>, sam: Int, sak: Int,
           _ b: UnsafePointer<Float>, ldb: Int, transposedB: Bool = false,
           _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int, wide: Bool? = nil) {
    if M == 0 || N == 0 { return }
    if !accumulate { for m in 0..<M { (c + m &* ldc).update(repeating: 0, count: N) } }
    if K == 0 { return }
    let useWide = wide ?? TrainingCPU.hasAVX512
    precondition(!useWide || TrainingCPU.hasAVX512, "the AVX-512 kernels need an AVX-512 CPU")
    let byColumns = N > M
    let parts = max(1, min(threads, (byColumns ? N : M) / (byColumns ? 64 : 16)))
    let pa = SendablePointer(UnsafeMutablePointer(mutating: a))
    let pb = SendablePointer(UnsafeMutablePointer(mutating: b)), pc = SendablePointer(c)
    parallelFor(parts: parts, threads: threads) { part in
        // Row shares in multiples of 24: whole 12-, 8- and 6-row tiles (results never depend on it).
        let rows = byColumns ? 0..<M : fixedRange(M, part: part, of: parts, align: 24)
        let cols = byColumns ? fixedRange(N, part: part, of: parts, align: 32) : 0..<N
        if useWide {
            trainingGemmAVX512(rows: rows, cols: cols, K, pa.p, sam: sam, sak: sak, pb.p, ldb: ldb, transposedB: transposedB,
                               pc.p, ldc: ldc)
        } else {
            trainingGemmBody(wide: false, rows: rows, cols: cols, K, pa.p, sam: sam, sak: sak, pb.p, ldb: ldb,
                             transposedB: transposedB, pc.p, ldc: ldc)
        }
    }
}

/// Σ a[i]·b[i] in a fixed order: four 16-lane accumulators over 64-wide chunks, then a scalar tail.
func sdot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var s0 = SIMD16<Float>(), s1 = SIMD16<Float>(), s2 = SIMD16<Float>(), s3 = SIMD16<Float>()
    var i = 0
    while i + 64 <= n {
        s0.addProduct(load16(a + i), load16(b + i))
        s1.addProduct(load16(a + (i &+ 16)), load16(b + (i &+ 16)))
        s2.addProduct(load16(a + (i &+ 32)), load16(b + (i &+ 32)))
        s3.addProduct(load16(a + (i &+ 48)), load16(b + (i &+ 48)))
        i += 64
    }
    while i + 16 <= n { s0.addProduct(load16(a + i), load16(b + i)); i += 16 }
    var s = ((s0 + s1) + (s2 + s3)).sum()
    while i < n { s.addProduct(a[i], b[i]); i += 1 }
    return s
}

/// out[j·rows + i] = x[i·cols + j]. x: (rows, cols) → out: (cols, rows), in 16×16 blocks for the cache.
func transpose<T>(_ x: UnsafePointer<T>, rows: Int, cols: Int, into out: UnsafeMutablePointer<T>, threads: Int = 1) {
    let sx = SendablePointer(UnsafeMutablePointer(mutating: x)), so = SendablePointer(out)
    parallelRanges((rows + 15) / 16, threads: threads, minimum: 4) { blocks in
        transposeRows(sx.p, rows: rows, cols: cols, into: so.p, from: blocks.lowerBound * 16, to: min(rows, blocks.upperBound * 16))
    }
}

private func transposeRows<T>(_ x: UnsafePointer<T>, rows: Int, cols: Int, into out: UnsafeMutablePointer<T>, from: Int, to: Int) {
    for i0 in stride(from: from, to: to, by: 16) {
        for j0 in stride(from: 0, to: cols, by: 16) {
            for i in i0..<min(to, i0 + 16) {
                for j in j0..<min(cols, j0 + 16) { out[j &* rows &+ i] = x[i &* cols &+ j] }
            }
        }
    }
}

/// Timing hook for scripts/bench-train: GFLOP/s of `sgemm` on data of the given shape, per wall-clock
/// second and per CPU second of the process (the second is what a busy shared machine cannot hide).
public enum TrainingKernelBenchmark {
    /// "avx512" or "avx2": the GEMM build this process runs.
    public static var kernelBuild: String { TrainingCPU.hasAVX512 ? "avx512" : "avx2" }

    public static func gemmGFLOPS(M: Int, N: Int, K: Int, transposedA: Bool, transposedB: Bool = false, threads: Int,
                                  repeats: Int) -> (wall: Double, cpu: Double) {
        var a = [Float](repeating: 0, count: M * K), b = [Float](repeating: 0, count: K * N)
        var c = [Float](repeating: 0, count: M * N)
        for i in a.indices { a[i] = Float(i % 13) * 0.01 }
        for i in b.indices { b[i] = Float(i % 7) * 0.01 }
        let (sam, sak) = transposedA ? (1, M) : (K, 1)
        let clock = ContinuousClock(), start = clock.now, cpu0 = processCPUSeconds()
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
            for _ in 0..<repeats {
                sgemm(M, N, K, ap.baseAddress!, sam: sam, sak: sak, bp.baseAddress!, ldb: transposedB ? K : N,
                      transposedB: transposedB, cp.baseAddress!, ldc: N, accumulate: true, threads: threads)
            }
        } } }
        let wall = (clock.now - start).inSeconds, cpu = processCPUSeconds() - cpu0
        let flop = 2 * Double(M * N * K * repeats)
        return (flop / wall / 1e9, flop / cpu / 1e9)
    }

    /// Wall-clock microseconds per `parallelFor` of two near-empty parts: the cost of one parallel region.
    public static func parallelRegionMicroseconds(threads: Int, regions: Int = 20_000) -> Double {
        let sink = FlatBuffer<Float>(count: 64), p = SendablePointer(sink.p)
        let clock = ContinuousClock(), start = clock.now
        for _ in 0..<regions { parallelFor(parts: 2, threads: threads) { part in p.p[part * 16] += 1 } }
        return (clock.now - start).inSeconds / Double(regions) * 1e6
    }

    /// CPU seconds (user + system) this process has used, all threads.
    public static func processCPUSeconds() -> Double {
        #if canImport(Glibc)
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
        #else
        return 0
        #endif
    }
}
