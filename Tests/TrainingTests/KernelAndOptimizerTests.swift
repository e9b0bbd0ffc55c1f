// The Float kernels against plain Double loops (every stride pattern the model uses, ragged edges,
// 1 vs 2 threads bit-identical), AdamW against values computed by hand, the schedule's values,
// and clipping by global norm.
import Foundation
import Testing
@testable import Training

@Suite("kernels")
struct KernelTests {
    /// Runs sgemm on Float and the Double loop on the same values; returns both results.
    func gemmPair(_ M: Int, _ N: Int, _ K: Int, transposedA: Bool, threads: Int, accumulate: Bool,
                  transposedB: Bool = false, wide: Bool? = nil) -> ([Float], [Double]) {
        let a = randomBuffer(M * K, seed: 1), b = randomBuffer(K * N, seed: 2), c0 = randomBuffer(M * N, seed: 3)
        let (sam, sak) = transposedA ? (1, M) : (K, 1)
        let af = a.array.map(Float.init), bf = b.array.map(Float.init)
        var cf = c0.array.map(Float.init)
        af.withUnsafeBufferPointer { ap in bf.withUnsafeBufferPointer { bp in cf.withUnsafeMutableBufferPointer { cp in
            sgemm(M, N, K, ap.baseAddress!, sam: sam, sak: sak, bp.baseAddress!, ldb: transposedB ? K : N,
                  transposedB: transposedB, cp.baseAddress!, ldc: N, accumulate: accumulate, threads: threads, wide: wide)
        } } }
        let cd = FlatBuffer<Double>(count: M * N); cd.copy(from: c0.array.map { Double(Float($0)) })
        let ad = FlatBuffer<Double>(count: M * K); ad.copy(from: af.map(Double.init))
        let bd = FlatBuffer<Double>(count: K * N); bd.copy(from: bf.map(Double.init))
        Double.gemm(M, N, K, ad.p, sam: sam, sak: sak, bd.p, ldb: transposedB ? K : N, transposedB: transposedB,
                    cd.p, ldc: N, accumulate: accumulate, threads: 1)
        return (cf, cd.array)
    }

    @Test(arguments: [(13, 37, 300, false), (64, 48, 17, true), (7, 16, 5, false), (100, 33, 513, true)])
    func gemmMatchesDoubleLoop(shape: (Int, Int, Int, Bool)) {
        for accumulate in [false, true] {
            let (f, d) = gemmPair(shape.0, shape.1, shape.2, transposedA: shape.3, threads: 1, accumulate: accumulate)
            // Float rounding of a K-term sum of O(1) products: well under 1e-4 relative for K ≤ 513.
            #expect(checkTensor(f.map(Double.init), d, floor: 1).maxAbs < 1e-4 * Double(shape.2).squareRoot())
        }
    }

    /// B stored transposed (N, K), as the forward pass reads activations: packed while transposing.
    @Test(arguments: [(13, 37, 300), (70, 130, 600), (9, 5, 17)])
    func gemmWithTransposedB(shape: (Int, Int, Int)) {
        let (f, d) = gemmPair(shape.0, shape.1, shape.2, transposedA: false, threads: 2, accumulate: true, transposedB: true)
        #expect(checkTensor(f.map(Double.init), d, floor: 1).maxAbs < 1e-4 * Double(shape.2).squareRoot())
        let (plain, _) = gemmPair(shape.0, shape.1, shape.2, transposedA: false, threads: 1, accumulate: true, transposedB: true)
        #expect(plain.map(\.bitPattern) == f.map(\.bitPattern))
    }

    /// The same B given row-major and transposed (packed by different loops) gives the same bits:
    /// both loop orders (packed B under 1 MB: row blocks outermost; over it: k slices outermost),
    /// ragged rows, several k slices, both builds, 1 and 2 threads.
    @Test(arguments: [(61, 64, 600), (130, 128, 2100), (9, 96, 33)])
    func transposedAndPlainBGiveTheSameBits(shape: (Int, Int, Int)) {
        let (M, N, K) = shape
        let a = randomBuffer(M * K, seed: 4).array.map(Float.init), b = randomBuffer(K * N, seed: 5).array.map(Float.init)
        var bT = [Float](repeating: 0, count: K * N)
        for k in 0..<K { for n in 0..<N { bT[n * K + k] = b[k * N + n] } }
        let c0 = randomBuffer(M * N, seed: 6).array.map(Float.init)
        func run(_ operand: [Float], transposedB: Bool, threads: Int, wide: Bool) -> [UInt32] {
            var c = c0
            a.withUnsafeBufferPointer { ap in operand.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                sgemm(M, N, K, ap.baseAddress!, sam: K, sak: 1, bp.baseAddress!, ldb: transposedB ? K : N,
                      transposedB: transposedB, cp.baseAddress!, ldc: N, accumulate: true, threads: threads, wide: wide)
            } } }
            return c.map(\.bitPattern)
        }
        let builds = TrainingCPU.hasAVX512 ? [false, true] : [false]
        let reference = run(bT, transposedB: true, threads: 1, wide: false)
        for wide in builds {
            for threads in [1, 2] {
                #expect(run(b, transposedB: false, threads: threads, wide: wide) == reference)
                #expect(run(bT, transposedB: true, threads: threads, wide: wide) == reference)
            }
        }
        let (f, d) = gemmPair(M, N, K, transposedA: false, threads: 2, accumulate: true)
        #expect(checkTensor(f.map(Double.init), d, floor: 1).maxAbs < 1e-4 * Double(K).squareRoot())
    }

    @Test func gemmIsThreadCountIndependent() {
        let (one, _) = gemmPair(61, 40, 270, transposedA: false, threads: 1, accumulate: true)
        let (two, _) = gemmPair(61, 40, 270, transposedA: false, threads: 2, accumulate: true)
        #expect(one.map(\.bitPattern) == two.map(\.bitPattern))
    }

    /// The AVX-512 build (8×32 tiles, TrainingAVX512) against the AVX2 body (6×16 tiles): same bits,
    /// on shapes with ragged rows and columns, several k blocks, strided A, row and column splits.
    @Test(.enabled(if: TrainingCPU.hasAVX512, "needs an AVX-512 CPU"),
          arguments: [(61, 40, 270, false), (130, 300, 600, true), (9, 97, 33, false), (200, 45, 513, true)])
    func avx512BuildGivesTheAVX2Bits(shape: (Int, Int, Int, Bool)) {
        for threads in [1, 2] {
            for tb in [false, true] {
                let (narrow, _) = gemmPair(shape.0, shape.1, shape.2, transposedA: shape.3, threads: threads, accumulate: true,
                                           transposedB: tb, wide: false)
                let (wide, _) = gemmPair(shape.0, shape.1, shape.2, transposedA: shape.3, threads: threads, accumulate: true,
                                         transposedB: tb, wide: true)
                #expect(narrow.map(\.bitPattern) == wide.map(\.bitPattern))
            }
        }
    }

    @Test func vectorExpIsAccurateAndPositionIndependent() {
        var xs = (0..<4000).map { Float(-87 + Double($0) * 175 / 4000) }
        let inputs = xs
        xs.withUnsafeMutableBufferPointer { Float.expInPlace($0.baseAddress!, count: $0.count) }
        var worst = 0.0
        for (x, y) in zip(inputs, xs) { worst = max(worst, abs(Double(y) - Foundation.exp(Double(x))) / Foundation.exp(Double(x))) }
        #expect(worst < 5e-7, "max relative error \(worst)")
        // Each value gets the same bits alone (the zero-padded tail) as inside a full vector.
        let alone = inputs.prefix(37).map { x in
            var v = x
            Float.expInPlace(&v, count: 1)
            return v.bitPattern
        }
        #expect(alone == xs.prefix(37).map(\.bitPattern))
        var zero: Float = 0
        Float.expInPlace(&zero, count: 1)
        #expect(zero == 1)
    }

    @Test func dotAndTranspose() {
        let a = (0..<150).map { Float($0 % 7) - 3 }, b = (0..<150).map { Float($0 % 5) * 0.5 }
        let expected = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let got = a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { sdot(ap.baseAddress!, $0.baseAddress!, 150) } }
        #expect(Double(got) == expected)      // small integers and halves: exact in Float
        let x = (0..<(5 * 19)).map(Double.init), out = FlatBuffer<Double>(count: 95)
        x.withUnsafeBufferPointer { transpose($0.baseAddress!, rows: 5, cols: 19, into: out.p) }
        #expect(out[3 * 5 + 2] == x[2 * 19 + 3] && out[18 * 5 + 4] == x[4 * 19 + 18])
    }
}

@Suite("optimizer")
struct OptimizerTests {
    @Test func adamWMatchesHandComputedSteps() {
        // θ = [1, −2, 0.5], g = [0.1, −0.3, 0] then [0.2, 0.1, −0.4]; lr 0.1, λ 0.01, β 0.9/0.999, ε 1e-8.
        // Step 1: m̂ = g, v̂ = g² ⇒ θ ← θ(1 − 0.001) − 0.1·g/(|g| + ε) = [0.899, −1.898, 0.4995].
        // Step 2 (by hand, to 1e-6):
        //   m = [0.029, −0.017, −0.04], v = [0.0000499, 0.0000999, 0.00016] (then bias-corrected)
        //   θ = [0.797943…, −1.816051…, 0.398944…]
        let p = FlatBuffer<Float>(count: 3), g = FlatBuffer<Float>(count: 3)
        p.copy(from: [1, -2, 0.5])
        var opt = AdamW(count: 3, settings: AdamWSettings(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01))
        g.copy(from: [0.1, -0.3, 0])
        opt.step(p, g, learningRate: 0.1, threads: 1)
        #expect(checkTensor(p.array.map(Double.init), [0.899, -1.898, 0.4995]).maxAbs < 1e-6)
        g.copy(from: [0.2, 0.1, -0.4])
        opt.step(p, g, learningRate: 0.1, threads: 1)
        // Float arithmetic on values near 2: a few ulps (2.4e-7 each) of difference from the Double formulas.
        #expect(checkTensor(p.array.map(Double.init), handStep2()).maxAbs < 3e-6)
        #expect(opt.t == 2)
    }

    /// The second step written out in Double, term by term, from the formulas in Optimizer.swift.
    func handStep2() -> [Double] {
        let theta1 = [0.899, -1.898, 0.4995], g1 = [0.1, -0.3, 0.0], g2 = [0.2, 0.1, -0.4]
        return (0..<3).map { i in
            let m = 0.9 * (0.1 * g1[i]) + 0.1 * g2[i]
            let v = 0.999 * (0.001 * g1[i] * g1[i]) + 0.001 * g2[i] * g2[i]
            let mhat = m / (1 - 0.81), vhat = v / (1 - 0.999 * 0.999)
            return theta1[i] * (1 - 0.1 * 0.01) - 0.1 * mhat / (vhat.squareRoot() + 1e-8)
        }
    }

    @Test func linearWarmupThenLinearDecay() {
        let s = LearningRateSchedule(peak: 1e-3, warmupSteps: 4, totalSteps: 12)
        let rates = (1...12).map { s.rate(atStep: $0) }
        let expected = [0.25, 0.5, 0.75, 1, 1, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125].map { $0 * 1e-3 }
        #expect(checkTensor(rates, expected).maxAbs < 1e-15)
        let none = LearningRateSchedule(peak: 2, warmupSteps: 0, totalSteps: 2)
        #expect(none.rate(atStep: 1) == 2 && none.rate(atStep: 2) == 1)
        let cosine = LearningRateSchedule(peak: 1, warmupSteps: 0, totalSteps: 3, decay: .cosine)
        #expect(abs(cosine.rate(atStep: 2) - 0.75) < 1e-12)
    }

    /// Clipping's factor (norm 5 → maxNorm / (5 + 1e-6); none within the norm), applied inside
    /// AdamW: the same bits as a step on gradients scaled beforehand, and the gradients kept.
    @Test func clippingScalesToMaxNormInsideTheOptimizerStep() throws {
        let g = FlatBuffer<Float>(count: 2); g.copy(from: [3, 4])
        #expect(globalNorm(g, threads: 2) == 5)
        let f = try #require(clipScale(norm: 5, maxNorm: 1))
        #expect(f == Float(1 / (5 + 1e-6)) && clipScale(norm: 0.5, maxNorm: 1) == nil)

        let n = 37, settings = AdamWSettings(weightDecay: 0.01)
        let grads = FlatBuffer<Float>(count: n), scaled = FlatBuffer<Float>(count: n)
        let inside = FlatBuffer<Float>(count: n), before = FlatBuffer<Float>(count: n)
        for i in 0..<n {
            grads[i] = Float(i % 7) - 2.5; scaled[i] = grads[i] * f
            inside[i] = Float(i) * 0.01; before[i] = inside[i]
        }
        var a = AdamW(count: n, settings: settings), b = AdamW(count: n, settings: settings)
        for _ in 0..<3 {
            a.step(inside, grads, learningRate: 1e-2, gradientScale: f, threads: 2)
            b.step(before, scaled, learningRate: 1e-2, threads: 1)
        }
        #expect((0..<n).map { inside[$0].bitPattern } == (0..<n).map { before[$0].bitPattern })
        #expect((0..<n).allSatisfy { grads[$0] == Float($0 % 7) - 2.5 })
        // And the factor makes a difference: an unclipped step moves the weights elsewhere.
        var c = AdamW(count: n, settings: settings)
        let unclipped = FlatBuffer<Float>(count: n)
        for i in 0..<n { unclipped[i] = Float(i) * 0.01 }
        for _ in 0..<3 { c.step(unclipped, grads, learningRate: 1e-2, threads: 1) }
        #expect((0..<n).contains { unclipped[$0] != inside[$0] })
    }
}
