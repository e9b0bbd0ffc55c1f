// The GEMM's tiling paths against its contract written out: every C element is one Float fused
// multiply-add chain over k in increasing order, starting from C's value (or 0 without accumulate),
// bit for bit, whatever the path (A read in place, packed by rows, packed k-major), tile (12×32,
// 8×32, 6×16), ragged edge, k slicing, B packing (whole or in column blocks, plain or transposed),
// build and thread count. Shapes are chosen to reach each path; they are small so this runs fast.
import Testing
@testable import Training

@Suite("gemm tiles")
struct GemmTileTests {
    struct Shape: Sendable, CustomTestStringConvertible {
        let M: Int, N: Int, K: Int, transposedA: Bool, path: String
        var testDescription: String { "\(M)×\(N)×\(K)\(transposedA ? " Aᵀ" : ""): \(path)" }
    }

    static let shapes = [
        Shape(M: 96, N: 128, K: 576, transposedA: false, path: "A in place, 8-row tiles, three k slices"),
        Shape(M: 300, N: 64, K: 450, transposedA: false, path: "A in place over 3 row blocks, last block packed"),
        Shape(M: 100, N: 100, K: 300, transposedA: false, path: "rows not whole 8-row tiles: packed, k slices 160+140"),
        Shape(M: 128, N: 200, K: 250, transposedA: false, path: "packed rows, ten 12-row strips and one 8-row strip"),
        Shape(M: 131, N: 70, K: 129, transposedA: true, path: "packed k-major, 11-row padded strip, ragged panel"),
        Shape(M: 9, N: 1400, K: 200, transposedA: false, path: "B over 1 MB: two column blocks, 9-row strip"),
        Shape(M: 50, N: 16, K: 1000, transposedA: true, path: "k-major, one narrow panel, six k slices"),
        Shape(M: 5, N: 40, K: 3, transposedA: true, path: "K below one 32-value block, 5-row strip"),
    ]

    /// The contract: c ← fma(a, b, c) for k = 0, 1, …, in Float.
    func reference(_ s: Shape, _ a: [Float], _ b: [Float], _ c0: [Float], accumulate: Bool) -> [UInt32] {
        let (sam, sak) = s.transposedA ? (1, s.M) : (s.K, 1)
        var out = [UInt32](repeating: 0, count: s.M * s.N)
        for m in 0..<s.M {
            for n in 0..<s.N {
                var acc: Float = accumulate ? c0[m * s.N + n] : 0
                for k in 0..<s.K { acc = acc.addingProduct(a[m * sam + k * sak], b[k * s.N + n]) }
                out[m * s.N + n] = acc.bitPattern
            }
        }
        return out
    }

    func run(_ s: Shape, _ a: [Float], _ b: [Float], _ c0: [Float], transposedB: Bool, accumulate: Bool,
             threads: Int, wide: Bool) -> [UInt32] {
        let (sam, sak) = s.transposedA ? (1, s.M) : (s.K, 1)
        var operand = b
        if transposedB { for k in 0..<s.K { for n in 0..<s.N { operand[n * s.K + k] = b[k * s.N + n] } } }
        var c = c0
        a.withUnsafeBufferPointer { ap in operand.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
            sgemm(s.M, s.N, s.K, ap.baseAddress!, sam: sam, sak: sak, bp.baseAddress!, ldb: transposedB ? s.K : s.N,
                  transposedB: transposedB, cp.baseAddress!, ldc: s.N, accumulate: accumulate, threads: threads, wide: wide)
        } } }
        return c.map(\.bitPattern)
    }

    @Test(arguments: shapes)
    func everyPathIsOneInOrderFMAChain(shape s: Shape) {
        let a = randomBuffer(s.M * s.K, seed: 11).array.map(Float.init)
        let b = randomBuffer(s.K * s.N, seed: 12).array.map(Float.init)
        let c0 = randomBuffer(s.M * s.N, seed: 13).array.map(Float.init)
        let builds = TrainingCPU.hasAVX512 ? [false, true] : [false]
        for accumulate in [false, true] {
            let expected = reference(s, a, b, c0, accumulate: accumulate)
            for wide in builds {
                for threads in [1, 2] {
                    for transposedB in [false, true] {
                        let got = run(s, a, b, c0, transposedB: transposedB, accumulate: accumulate, threads: threads, wide: wide)
                        let wrong = zip(got, expected).filter { $0 != $1 }.count
                        #expect(wrong == 0, "\(wrong) elements differ (wide \(wide), \(threads) threads, Bᵀ \(transposedB), accumulate \(accumulate))")
                    }
                }
            }
        }
    }
}
