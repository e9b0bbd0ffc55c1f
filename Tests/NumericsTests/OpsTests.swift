// The llama block ops against direct formulas: RMSNorm, RoPE on adjacent pairs, SwiGLU and causal
// grouped-query attention (naive softmax(q·kᵀ/√d)·v in Double). Tolerances stated per test.
import Testing
import Foundation
@testable import Numerics

@Suite struct OpsTests {
    @Test func rmsNormMatchesFormula() {
        var rng = TestRNG(state: 3)
        let x = rng.floats(2 * 32), w = rng.floats(32)
        let out = FloatMatrix(rows: 2, cols: 32)
        rmsNorm(FloatMatrix(rows: 2, cols: 32, values: x), rows: 2, weight: w, eps: 1e-5, into: out)
        var expected: [Float] = []
        for r in 0..<2 {
            let row = x[r * 32..<(r + 1) * 32]
            let scale = 1 / (row.map { Double($0 * $0) }.reduce(0, +) / 32 + 1e-5).squareRoot()
            expected += zip(row, w).map { Float(Double($0) * scale * Double($1)) }
        }
        checkTensor(out.values(), expected, tolerance: 1e-6, "rmsnorm")
    }

    @Test func ropeRotatesAdjacentPairs() {
        let x = FloatMatrix(rows: 2, cols: 4, values: [1, 0, 0, 1, 1, 0, 0, 1])   // 1 head of 4
        applyRoPE(x, rows: 2, heads: 1, headDim: 4, firstPosition: 5, base: 100)
        // pair 0 angle 5·100^0 = 5 at row 0, 6 at row 1; pair 1 angle pos·100^(−1/2) = pos/10.
        let expected: [Float] = [Float(cos(5.0)), Float(sin(5.0)), Float(-sin(0.5)), Float(cos(0.5)),
                                 Float(cos(6.0)), Float(sin(6.0)), Float(-sin(0.6)), Float(cos(0.6))]
        checkTensor(x.values(), expected, tolerance: 1e-6, "rope")
    }

    @Test func ropeFrequencyFactorsDivideEachPairsFrequency() {
        // Pair 0 angle pos·1/4, pair 1 angle pos·(1/10)/0.5 = pos/5.
        let x = FloatMatrix(rows: 2, cols: 4, values: [1, 0, 0, 1, 1, 0, 0, 1])
        applyRoPE(x, rows: 2, heads: 1, headDim: 4,
                  table: RoPETable(firstPosition: 5, rows: 2, headDim: 4, base: 100, frequencyFactors: [4, 0.5]))
        let expected: [Float] = [Float(cos(1.25)), Float(sin(1.25)), Float(-sin(1.0)), Float(cos(1.0)),
                                 Float(cos(1.5)), Float(sin(1.5)), Float(-sin(1.2)), Float(cos(1.2))]
        checkTensor(x.values(), expected, tolerance: 1e-6, "rope with factors")
        // Factors of 1 are the plain table, bit for bit.
        let plain = RoPETable(firstPosition: 7, rows: 3, headDim: 64, base: 100_000)
        let ones = RoPETable(firstPosition: 7, rows: 3, headDim: 64, base: 100_000, frequencyFactors: Array(repeating: 1, count: 32))
        #expect(plain.cosines == ones.cosines && plain.sines == ones.sines)
    }

    @Test func swiGLUMatchesFormula() {
        var rng = TestRNG(state: 5)
        let g = rng.floats(40, -8, 8), u = rng.floats(40)
        let gm = FloatMatrix(rows: 1, cols: 40, values: g)
        swiGLU(gm, FloatMatrix(rows: 1, cols: 40, values: u), rows: 1)
        checkTensor(gm.values(), zip(g, u).map { Float(Double($0) / (1 + exp(-Double($0))) * Double($1)) }, tolerance: 1e-6, "swiglu")
    }

    @Test func attentionMatchesNaiveReference() {
        var rng = TestRNG(state: 9)
        let heads = 4, kvHeads = 2, d = 16, pos0 = 3, n = 5, total = pos0 + n
        let q = rng.floats(n * heads * d), keys = rng.floats(total * kvHeads * d), vals = rng.floats(total * kvHeads * d)
        let kc = FloatMatrix(rows: 16, cols: kvHeads * d), vc = FloatMatrix(rows: 16, cols: kvHeads * d)
        for p in 0..<total {
            kc.setRow(p, Array(keys[p * kvHeads * d..<(p + 1) * kvHeads * d]))
            vc.setRow(p, Array(vals[p * kvHeads * d..<(p + 1) * kvHeads * d]))
        }
        var expected = [Float](repeating: 0, count: n * heads * d)
        for i in 0..<n {
            for h in 0..<heads {
                let g = h / (heads / kvHeads)
                var scores: [Double] = []
                for j in 0...(pos0 + i) {
                    var s = 0.0
                    for c in 0..<d { s += Double(q[(i * heads + h) * d + c]) * Double(keys[(j * kvHeads + g) * d + c]) }
                    scores.append(s / Double(d).squareRoot())
                }
                let m = scores.max()!
                let e = scores.map { exp($0 - m) }
                let z = e.reduce(0, +)
                for c in 0..<d {
                    var s = 0.0
                    for j in e.indices { s += e[j] / z * Double(vals[(j * kvHeads + g) * d + c]) }
                    expected[(i * heads + h) * d + c] = Float(s)
                }
            }
        }
        for threads in [1, 2] {
            let out = FloatMatrix(rows: n, cols: heads * d)
            let keyCache = KeyCache(capacity: kc.rows, kvHeads: kvHeads, headDim: d)
            keyCache.store(kc, rows: kc.rows, at: 0)
            causalAttention(q: FloatMatrix(rows: n, cols: heads * d, values: q), rows: n, keys: keyCache, vCache: vc,
                            firstPosition: pos0, heads: heads, kvHeads: kvHeads, headDim: d, into: out,
                            pool: WorkerPool.shared(threads: threads))
            checkTensor(out.values(), expected, tolerance: 1e-5, "attention \(threads)t")
        }
    }
}
