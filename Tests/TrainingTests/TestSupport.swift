// Shared helpers for the Training tests: llm.c's check_tensor (report the largest difference),
// central finite differences in Double, seeded random buffers and a tiny model configuration.
// Test-only; nothing here is used by the library.
import Basics
@testable import Training

/// Largest absolute difference, and the largest relative to max(|expected|, floor).
struct TensorDiff: CustomStringConvertible {
    var maxAbs = 0.0, maxRel = 0.0, worstIndex = -1
    var description: String { "max |Δ| \(maxAbs), max rel \(maxRel) at \(worstIndex)" }
}

func checkTensor(_ actual: [Double], _ expected: [Double], floor: Double = 1e-3) -> TensorDiff {
    precondition(actual.count == expected.count, "length mismatch \(actual.count) vs \(expected.count)")
    var d = TensorDiff()
    for i in actual.indices {
        let a = abs(actual[i] - expected[i]), r = a / max(abs(expected[i]), floor)
        d.maxAbs = max(d.maxAbs, a)
        if r > d.maxRel { d.maxRel = r; d.worstIndex = i }
    }
    return d
}

/// ∂f/∂x_i ≈ (f(x + h·e_i) − f(x − h·e_i)) / 2h for every i of `x` (a buffer f reads).
func numericGradient(_ x: FlatBuffer<Double>, range: Range<Int>? = nil, h: Double = 1e-5, _ f: () -> Double) -> [Double] {
    (range ?? 0..<x.count).map { i in
        let saved = x[i]
        x[i] = saved + h; let up = f()
        x[i] = saved - h; let down = f()
        x[i] = saved
        return (up - down) / (2 * h)
    }
}

func randomBuffer(_ count: Int, seed: UInt64, scale: Double = 1) -> FlatBuffer<Double> {
    var rng = SplitMix64(seed: seed)
    let b = FlatBuffer<Double>(count: count)
    for i in 0..<count { b[i] = rng.symmetric(scale) }
    return b
}

/// Σ r ⊙ y: the scalar whose gradient w.r.t. y is r.
func weightedSum(_ y: FlatBuffer<Double>, _ r: FlatBuffer<Double>) -> Double {
    (0..<y.count).reduce(0) { $0 + y[$1] * r[$1] }
}

/// 2 blocks, d 16, 4 heads of 4 over 2 KV heads, ffn 24, vocab 13: every code path, tiny.
let tinyConfig = ModelConfig(vocabSize: 13, dim: 16, ffnDim: 24, layers: 2, heads: 4, kvHeads: 2,
                             ropeBase: 10_000, normEps: 1e-5, maxPositions: 32)

/// A small micro-batch of two packed sequences (lengths 5 and 3) with some masked targets.
func tinyMicroBatch(vocab: Int = 13, seed: UInt64 = 5, lengths: [Int] = [5, 3]) -> MicroBatch {
    var rng = SplitMix64(seed: seed)
    var mb = MicroBatch()
    for len in lengths {
        for t in 0..<len {
            mb.inputs.append(Int32(rng.next() % UInt64(vocab)))
            mb.targets.append(Int32(rng.next() % UInt64(vocab)))
            mb.weights.append(t == 0 ? 0 : 1)
        }
        mb.lengths.append(len)
    }
    let total = mb.weights.reduce(0, +)
    mb.weights = mb.weights.map { $0 / total }
    return mb
}
