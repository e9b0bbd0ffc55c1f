// Kernel tests on tiny seeded inputs: the packed SIMD matmul against a Double reference on ragged
// shapes (rows not a multiple of 4, columns not a multiple of 24), row independence to the bit,
// LayerNorm, GELU(erf) and softmax against values worked out in Double.

import Foundation
import Testing
@testable import EmbeddingEngine

/// Deterministic values in [-1, 1) from a 64-bit LCG (seeded, no global state).
func seededFloats(_ n: Int, seed: UInt64) -> [Float] {
    var s = seed
    return (0..<n).map { _ in
        s = s &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: s >> 11) % 2_000_000) / 1_000_000 - 1
    }
}

@Suite struct EncoderKernelTests {
    @Test(arguments: [(1, 5, 7), (4, 24, 24), (7, 50, 33), (13, 384, 72), (2, 3, 49)])
    func packedLinearMatchesDoubleReference(_ shape: (Int, Int, Int)) {
        let (rows, k, n) = shape
        let x = seededFloats(rows * k, seed: 1), w = seededFloats(n * k, seed: 2), b = seededFloats(n, seed: 3)
        let lin = w.withUnsafeBufferPointer { wp in
            b.withUnsafeBufferPointer { PackedLinear(weight: wp, bias: $0, outFeatures: n, inFeatures: k) }
        }
        var out = [Float](repeating: .nan, count: rows * n)
        x.withUnsafeBufferPointer { xp in out.withUnsafeMutableBufferPointer { lin.apply(xp.baseAddress!, rows: rows, $0.baseAddress!) } }
        var expected = [Float](repeating: 0, count: rows * n)
        for r in 0..<rows {
            for j in 0..<n {
                var s = Double(b[j])
                for i in 0..<k { s += Double(x[r * k + i]) * Double(w[j * k + i]) }
                expected[r * n + j] = Float(s)
            }
        }
        checkVector(out, expected, tolerance: 1e-4, "linear \(shape)")
    }

    @Test func aRowsResultDoesNotDependOnItsNeighbours() {
        let k = 40, n = 30
        let w = seededFloats(n * k, seed: 4), b = seededFloats(n, seed: 5), x = seededFloats(9 * k, seed: 6)
        let lin = w.withUnsafeBufferPointer { wp in
            b.withUnsafeBufferPointer { PackedLinear(weight: wp, bias: $0, outFeatures: n, inFeatures: k) }
        }
        func run(_ rows: ArraySlice<Float>) -> [Float] {
            let input = Array(rows)
            var out = [Float](repeating: 0, count: input.count / k * n)
            input.withUnsafeBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { lin.apply(xp.baseAddress!, rows: input.count / k, $0.baseAddress!) }
            }
            return out
        }
        let all = run(x[...])   // 9 rows: two 4-row tiles and one single row
        for r in 0..<9 {
            #expect(run(x[(r * k)..<((r + 1) * k)]) == Array(all[(r * n)..<((r + 1) * n)]), "row \(r)")
        }
    }

    @Test func layerNormNormalisesEachRow() {
        var x: [Float] = [1, 2, 3, 4, 10, 10, 10, 10]
        x.withUnsafeMutableBufferPointer {
            EncoderKernels.layerNorm($0.baseAddress!, rows: 2, n: 4, gamma: [1, 1, 2, 1], beta: [0, 0, 0, 0.5], eps: 1e-12)
        }
        let sd = (1.25 as Double).squareRoot()
        checkVector(x, [Float(-1.5 / sd), Float(-0.5 / sd), Float(2 * 0.5 / sd), Float(1.5 / sd + 0.5), 0, 0, 0, 0.5],
                    tolerance: 1e-6, "layerNorm")
    }

    @Test func geluUsesTheErfForm() {
        var x: [Float] = [-3, -1, 0, 0.5, 1, 3]
        x.withUnsafeMutableBufferPointer { EncoderKernels.geluErf($0.baseAddress!, count: $0.count) }
        let expected = [-3.0, -1, 0, 0.5, 1, 3].map { v in Float(0.5 * v * (1 + erf(v / 2.0.squareRoot()))) }
        checkVector(x, expected, tolerance: 1e-6, "gelu")
        #expect(abs(x[4] - 0.8413447) < 1e-6)   // erf form, not the tanh approximation (0.8411920)
    }

    @Test func vectorErfMatchesLibm() {
        var worst: Double = 0
        for i in -6000...6000 {
            let x = Float(i) / 1000
            let approx = EncoderKernels.erf8(SIMD8(repeating: x))[0]
            worst = max(worst, abs(Double(approx) - erf(Double(x))))
        }
        #expect(worst < 3e-7, "max |erf8 - erf| = \(worst)")
    }

    @Test(arguments: [16, 32])
    func attentionKernelsMatchDoubleReference(_ d: Int) {
        let n = 77, stride = 80   // one 64-key chunk, one 8-key chunk, a 5-key tail
        let q = seededFloats(d, seed: 7), kT = seededFloats(d * stride, seed: 8)
        var scores = [Float](repeating: 0, count: stride)
        q.withUnsafeBufferPointer { qp in
            kT.withUnsafeBufferPointer { kp in
                scores.withUnsafeMutableBufferPointer {
                    EncoderKernels.attentionScores(qp.baseAddress!, kp.baseAddress!, stride: stride, d: d, n: n,
                                                   scale: 0.5, $0.baseAddress!)
                }
            }
        }
        let expected = (0..<n).map { j in Float(0.5 * (0..<d).reduce(0.0) { $0 + Double(q[$1]) * Double(kT[$1 * stride + j]) }) }
        checkVector(Array(scores.prefix(n)), expected, tolerance: 1e-5, "scores")
        let p = seededFloats(n, seed: 9), v = seededFloats(n * 40, seed: 10)
        var out = [Float](repeating: 0, count: d)
        p.withUnsafeBufferPointer { pp in
            v.withUnsafeBufferPointer { vp in
                out.withUnsafeMutableBufferPointer {
                    EncoderKernels.weightedSum(pp.baseAddress!, vp.baseAddress!, vStride: 40, d: d, n: n, $0.baseAddress!)
                }
            }
        }
        let expectedOut = (0..<d).map { c in Float((0..<n).reduce(0.0) { $0 + Double(p[$1]) * Double(v[$1 * 40 + c]) }) }
        checkVector(out, expectedOut, tolerance: 1e-5, "weighted sum")
    }

    @Test func vectorExpMatchesLibm() {
        var worst: Double = 0
        for i in -87000...88000 where i % 7 == 0 {
            let x = Float(i) / 1000
            let e = Double(EncoderKernels.exp8(SIMD8(repeating: x))[0])
            worst = max(worst, abs(e - exp(Double(x))) / exp(Double(x)))
        }
        #expect(worst < 3e-7, "max relative error \(worst)")
        #expect(EncoderKernels.exp8(SIMD8(repeating: 0))[0] == 1)
    }

    @Test(arguments: [1, 7, 8, 13, 32, 45])
    func softmaxMatchesDoubleReference(_ n: Int) {
        var s = seededFloats(n, seed: UInt64(n)).map { $0 * 12 }
        let ref = s.map(Double.init)
        s.withUnsafeMutableBufferPointer { EncoderKernels.softmaxInPlace($0.baseAddress!, count: n) }
        let m = ref.max()!, z = ref.reduce(0) { $0 + exp($1 - m) }
        checkVector(s, ref.map { Float(exp($0 - m) / z) }, tolerance: 1e-6, "softmax \(n)")
    }

    @Test func softmaxIgnoresMaskedTail() {
        var s: [Float] = [1, 2, 3, 1000]
        s.withUnsafeMutableBufferPointer { EncoderKernels.softmaxInPlace($0.baseAddress!, count: 3) }
        let z = exp(-2.0) + exp(-1.0) + 1
        checkVector(Array(s.prefix(3)), [Float(exp(-2.0) / z), Float(exp(-1.0) / z), Float(1 / z)], tolerance: 1e-6, "softmax")
        #expect(s[3] == 1000)
    }

    @Test func batchPlannerGroupsByLengthWithinLimits() {
        let lengths = [10, 3, 600, 3, 40, 10] + Array(repeating: 5, count: 70)
        let groups = BatchPlanner.groups(lengths: lengths)
        #expect(Set(groups.flatMap { $0 }) == Set(lengths.indices))
        for g in groups {
            let longest = g.map { lengths[$0] }.max()!
            #expect(g.count <= BatchPlanner.maxGroupSequences)
            #expect(g.count == 1 || g.count * longest <= BatchPlanner.maxGroupTokens)
        }
        #expect(groups.first?.prefix(2) == [1, 3])
        #expect(groups.last == [2])
        #expect(BatchPlanner.groups(lengths: Array(repeating: 8, count: 100), workers: 2).map(\.count) == [50, 50])
        #expect(BatchPlanner.groups(lengths: Array(repeating: 8, count: 150), workers: 2).map(\.count) == [38, 38, 38, 36])
        #expect(BatchPlanner.groups(lengths: [], workers: 2).isEmpty)
    }

    @Test func cosineAndNearestHelpers() throws {
        #expect(try VectorMath.cosineSimilarity([1, 0], [0, 2]) == 0)
        #expect(try VectorMath.cosineSimilarity([1, 1], [2, 2]) == 1)
        #expect(try VectorMath.cosineSimilarity([0, 0], [1, 2]) == 0)
        #expect(throws: VectorMathError.dimensionMismatch(expected: 2, actual: 3, candidate: nil)) {
            try VectorMath.cosineSimilarity([1, 0], [1, 0, 0])
        }
        let hits = try VectorMath.nearest([1, 0], in: [[0, 1], [1, 0.1], [1, 0.1], [-1, 0]], k: 3)
        #expect(hits.map(\.index) == [1, 2, 0])
        #expect(throws: VectorMathError.dimensionMismatch(expected: 2, actual: 1, candidate: 1)) {
            try VectorMath.nearest([1, 0], in: [[1, 0], [1]], k: 1)
        }
    }
}
