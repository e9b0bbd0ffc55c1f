// Finite-difference checks of every op's backward, then of the whole model (full and LoRA), all in
// Double on tiny random inputs. Each test compares the analytic gradient of L = Σ r ⊙ op(x) with
// central differences (h = 1e-5); the tolerance 1e-6 relative is far above the O(h²) ≈ 1e-10
// truncation error yet catches any wrong term (those give errors of order 1).
import Testing
@testable import Training

@Suite("gradient checks (Double, central differences)")
struct GradientCheckTests {
    let tol = 1e-6

    @Test func rmsnorm() {
        let n = 3, d = 8
        let x = randomBuffer(n * d, seed: 1), w = randomBuffer(d, seed: 2), r = randomBuffer(n * d, seed: 3)
        let y = FlatBuffer<Double>(count: n * d), rstd = FlatBuffer<Double>(count: n)
        func f() -> Double { rmsnormForward(x.p, w.p, y.p, rstd.p, n: n, d: d, eps: 1e-5); return weightedSum(y, r) }
        _ = f()
        let dx = FlatBuffer<Double>(count: n * d), dw = FlatBuffer<Double>(count: d)
        rmsnormBackward(r.p, x.p, w.p, rstd.p, dx.p, n: n, d: d)
        rmsnormWeightGradient(r.p, x.p, rstd.p, dw.p, n: n, d: d)
        #expect(checkTensor(dx.array, numericGradient(x, f)).maxRel < tol)
        #expect(checkTensor(dw.array, numericGradient(w, f)).maxRel < tol)
    }

    @Test func rope() {
        let heads = 2, hd = 8, positions: [Int32] = [0, 1, 5]
        let table = RopeTable<Double>(headDim: hd, base: 100_000, maxPositions: 8)
        let x = randomBuffer(3 * heads * hd, seed: 4), r = randomBuffer(x.count, seed: 5), y = FlatBuffer<Double>(count: x.count)
        func f() -> Double {
            y.copy(from: x.array); ropeForward(y.p, positions: positions, heads: heads, table: table); return weightedSum(y, r)
        }
        let dx = FlatBuffer<Double>(count: x.count); dx.copy(from: r.array)
        ropeBackward(dx.p, positions: positions, heads: heads, table: table)
        #expect(checkTensor(dx.array, numericGradient(x, f)).maxRel < tol)
    }

    @Test func ropeMatchesReferenceConvention() {
        // Position 1, head size 4, base 100000: pair 0 turns by 1 rad, pair 1 by 100000^(-1/2) rad.
        let table = RopeTable<Double>(headDim: 4, base: 100_000, maxPositions: 2)
        let x = FlatBuffer<Double>(count: 8); x.copy(from: [0, 0, 0, 0, 1, 0, 1, 0])
        ropeForward(x.p, positions: [0, 1], heads: 1, table: table)
        let a1 = 1 / 100_000.0.squareRoot()
        #expect(checkTensor(x.array, [0, 0, 0, 0, cos(1.0), sin(1.0), cos(a1), sin(a1)]).maxAbs < 1e-12)
    }

    @Test func swiglu() {
        let n = 20
        let g = randomBuffer(n, seed: 6, scale: 3), u = randomBuffer(n, seed: 7), r = randomBuffer(n, seed: 8)
        let h = FlatBuffer<Double>(count: n)
        func f() -> Double { swigluForward(g.p, u.p, h.p, count: n); return weightedSum(h, r) }
        let dg = FlatBuffer<Double>(count: n), du = FlatBuffer<Double>(count: n)
        swigluBackward(r.p, g.p, u.p, dg.p, du.p, count: n)
        #expect(checkTensor(dg.array, numericGradient(g, f)).maxRel < tol)
        #expect(checkTensor(du.array, numericGradient(u, f)).maxRel < tol)
    }

    @Test func linear() {
        let n = 4, i = 5, o = 3
        let x = randomBuffer(n * i, seed: 9), w = randomBuffer(o * i, seed: 10), r = randomBuffer(n * o, seed: 11)
        let y = FlatBuffer<Double>(count: n * o), scratch = FlatBuffer<Double>(count: n * (i + o))
        func f() -> Double { linearForward(x.p, w.p, y.p, n: n, inDim: i, outDim: o, scratch: scratch.p, threads: 1); return weightedSum(y, r) }
        let dx = FlatBuffer<Double>(count: n * i), dw = FlatBuffer<Double>(count: o * i)
        linearBackward(r.p, w.p, dx.p, n: n, inDim: i, outDim: o, threads: 1)
        linearWeightGradient(r.p, x.p, dw.p, n: n, inDim: i, outDim: o, rows: 0..<o, threads: 1)
        #expect(checkTensor(dx.array, numericGradient(x, f)).maxRel < tol)
        #expect(checkTensor(dw.array, numericGradient(w, f)).maxRel < tol)
    }

    @Test func embedding() {
        let v = 5, d = 3, tokens: [Int32] = [2, 0, 2, 4]
        let table = randomBuffer(v * d, seed: 12), r = randomBuffer(tokens.count * d, seed: 13)
        let x = FlatBuffer<Double>(count: tokens.count * d)
        func f() -> Double { embeddingForward(tokens, table.p, x.p, d: d); return weightedSum(x, r) }
        let dt = FlatBuffer<Double>(count: v * d)
        embeddingBackward(tokens, r.p, dt.p, d: d)
        #expect(checkTensor(dt.array, numericGradient(table, f)).maxRel < tol)
    }

    @Test func groupedQueryAttention() {
        let shape = AttentionShape(heads: 4, kvHeads: 2, headDim: 4), lengths = [4, 3]
        let (spans, probCount) = packSequences(lengths, heads: shape.heads)
        let n = 7
        let q = randomBuffer(n * shape.qWidth, seed: 14), k = randomBuffer(n * shape.kvWidth, seed: 15)
        let v = randomBuffer(n * shape.kvWidth, seed: 16), r = randomBuffer(n * shape.qWidth, seed: 17)
        let probs = FlatBuffer<Double>(count: probCount), out = FlatBuffer<Double>(count: n * shape.qWidth)
        func f() -> Double {
            attentionForward(q.p, k.p, v.p, probs.p, out.p, spans: spans, shape: shape, threads: 1); return weightedSum(out, r)
        }
        _ = f()
        let dq = FlatBuffer<Double>(count: q.count), dk = FlatBuffer<Double>(count: k.count), dv = FlatBuffer<Double>(count: v.count)
        let scratch = FlatBuffer<Double>(count: 2 * n * shape.qWidth)
        attentionBackward(r.p, q.p, k.p, v.p, probs.p, dq.p, dk.p, dv.p, scratch: scratch.p, tokens: n, spans: spans,
                          shape: shape, threads: 1)
        #expect(checkTensor(dq.array, numericGradient(q, f)).maxRel < tol)
        #expect(checkTensor(dk.array, numericGradient(k, f)).maxRel < tol)
        #expect(checkTensor(dv.array, numericGradient(v, f)).maxRel < tol)
    }

    @Test func maskedCrossEntropy() {
        let vocab = 6, n = 4, targets: [Int32] = [1, 5, 0, 3], weights = [0.5, 0, 0.25, 0.25]
        let logits = randomBuffer(vocab * n, seed: 18, scale: 3), work = FlatBuffer<Double>(count: vocab * n)
        let losses = FlatBuffer<Double>(count: n)
        func f() -> Double {
            work.copy(from: logits.array)
            return crossEntropyForwardBackward(work.p, vocab: vocab, tokens: n, targets: targets, weights: weights, losses: losses.p, threads: 1)
        }
        _ = f()
        let analytic = work.array
        #expect(checkTensor(analytic, numericGradient(logits, f)).maxRel < tol)
        // The masked token (weight 0) contributes neither loss nor gradient.
        #expect(losses[1] == 0 && (0..<vocab).allSatisfy { analytic[$0 * n + 1] == 0 })
    }

    @Test(arguments: [TrainingMode.full, .lora(LoRAConfig(rank: 2, alpha: 3))])
    func wholeModel(mode: TrainingMode) {
        let model = Transformer<Double>(config: tinyConfig, mode: mode)
        model.randomize(seed: 21)
        // Non-zero B so the adapter path carries gradient both ways.
        for i in 0..<model.adapters.count where model.adapterLayout.entries.contains(where: {
            $0.name.hasSuffix("lora_b") && ($0.offset..<$0.offset + $0.count).contains(i) }) { model.adapters[i] = 0.05 * Double(i % 7 - 3) }
        let mb = tinyMicroBatch()
        _ = model.forward(mb); model.grads.zero(); model.backward()
        let analytic = model.grads.array
        // Every trainable tensor, a few entries each, keeps the check fast.
        let layout = mode == .full ? model.base : model.adapterLayout
        var idx: [Int] = []
        for e in layout.entries { idx += stride(from: e.offset, to: e.offset + e.count, by: max(1, e.count / 5)).map { $0 } }
        let x = model.trainable
        let numeric = idx.map { numericGradient(x, range: $0..<($0 + 1)) { model.forward(mb) }[0] }
        let diff = checkTensor(idx.map { analytic[$0] }, numeric)
        #expect(diff.maxRel < 1e-5, "\(diff)")
    }
}

#if canImport(Glibc)
import Glibc
#endif
