// The prompt-processing paths against the paths they replace, bit for bit: the blocked weight panels
// of the AVX-512 GEMM (48-row panels with the 12×32 tile, 32-row panels with 8×32, k in slices)
// against the row-major AVX-512 panel and the AVX2 build; the AVX2 token packer against a plain loop;
// attention two queries at a time against one query at a time; RMSNorm eight rows at a time against
// one row. Ragged token counts on purpose.
import Testing
@testable import Numerics
import NumericsAVX512
import CKernels

@Suite struct PromptPathTests {
    /// rows 48/96: 12-row tiles; 64: 8-row tiles. Token counts around the 32-token groups.
    @Test(arguments: [QuantType.q4_0, .q4_1, .q8_0], [48, 64, 96])
    func blockedGemmMatchesOtherBuilds(type: QuantType, rows: Int) {
        var rng = TestRNG(state: 7 + UInt64(type.rawValue) + UInt64(rows))
        let cols = 608   // three k slices of 256, the last one partial
        let w = OwnedQuantMatrix(type: type, rows: rows, cols: cols, bytes: randomQuantBytes(type, rows: rows, cols: cols, rng: &rng))
        for n in [2, 31, 33, 129] {
            let x = FloatMatrix(rows: n, cols: cols, values: rng.floats(n * cols, -2, 2))
            var results: [[UInt32]] = []
            for isa in CPU.hasAVX512 ? [KernelISA.baseline, .avx512] : [.baseline] {
                for threads in [1, 2] {
                    let out = FloatMatrix(rows: n, cols: rows)
                    MatMul(threads: threads, isa: isa).multiply(x, rows: n, by: w.matrix, into: out)
                    results.append(out.values().map(\.bitPattern))
                }
            }
            #expect(results.allSatisfy { $0 == results[0] }, "\(type.name) \(rows) rows, \(n) tokens: bits differ")
        }
    }

    /// The blocked kernels against the row-major AVX-512 kernels they replace, called directly.
    @Test(arguments: [PanelTile.rows8, .rows12], [1, 31, 33, 129])
    func blockedPanelMatchesRowMajorPanel(tile: PanelTile, n: Int) {
        guard CPU.hasAVX512 else { return }
        var rng = TestRNG(state: 11 + UInt64(n) + UInt64(tile.rawValue))
        let rows = 96, k = 544   // two 48-row or three 32-row panels; k slices of 256 and of 128, the last partial
        let w = OwnedQuantMatrix(type: .q4_1, rows: rows, cols: k, bytes: randomQuantBytes(.q4_1, rows: rows, cols: k, rng: &rng))
        let groups = (n + 31) / 32
        var xpack = [Float](repeating: 0, count: groups * 32 * k)
        for t in 0..<n { for e in 0..<k { xpack[(t / 32) * k * 32 + e * 32 + t % 32] = rng.float(-2, 2) } }
        var expected = [Float](repeating: 0, count: n * rows), actual = expected
        var panel = [Float](repeating: 0, count: rows * k), tmp = [Float](repeating: 0, count: 1536)
        // Row-major: 32 rows per call.
        for p in 0..<rows / 32 {
            dequantRowsAVX512(.q4_1, w.matrix.base, w.matrix.rowBytes, p * 32, 32, k, &panel)
            gemmWeightPanelAVX512(panel, k, xpack, n, &expected, rows, p * 32, &tmp)
        }
        let ph = tile.panelRows
        var slice = [Float](repeating: 0, count: 48 * gemmSliceKC), tiles = [Float](repeating: 0, count: groups * 1536)
        for p in 0..<rows / ph {
            gemmSlicedPanelAVX512(.q4_1, w.matrix.base, w.matrix.rowBytes, p * ph, k, tile, xpack, n, &actual, rows,
                                  p * ph, &slice, &tiles)
        }
        #expect(actual.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(expected.contains { $0 != 0 })
    }

    /// A prompt of n queries in one call (two queries at a time) against the same queries one per
    /// call (the one-query path), for first positions that make a pair straddle a 64-key block.
    @Test(arguments: [0, 1, 5])
    func attentionPairsMatchOneQueryAtATime(pos0: Int) {
        var rng = TestRNG(state: 21 + UInt64(pos0))
        let heads = 6, kvHeads = 2, d = 64, n = 70, total = pos0 + n, cols = heads * d
        let kv = FloatMatrix(rows: total, cols: kvHeads * d, values: rng.floats(total * kvHeads * d))
        let vc = FloatMatrix(rows: total, cols: kvHeads * d, values: rng.floats(total * kvHeads * d))
        let keyCache = KeyCache(capacity: total, kvHeads: kvHeads, headDim: d)
        keyCache.store(kv, rows: total, at: 0)
        let qs = rng.floats(n * cols, -3, 3)
        for threads in [1, 2] {
            let pool = WorkerPool.shared(threads: threads)
            let batch = FloatMatrix(rows: n, cols: cols)
            causalAttention(q: FloatMatrix(rows: n, cols: cols, values: qs), rows: n, keys: keyCache, vCache: vc,
                            firstPosition: pos0, heads: heads, kvHeads: kvHeads, headDim: d, into: batch, pool: pool)
            for i in 0..<n {
                let one = FloatMatrix(rows: 1, cols: cols)
                causalAttention(q: FloatMatrix(rows: 1, cols: cols, values: Array(qs[i * cols..<(i + 1) * cols])), rows: 1,
                                keys: keyCache, vCache: vc, firstPosition: pos0 + i, heads: heads, kvHeads: kvHeads,
                                headDim: d, into: one, pool: pool)
                #expect(batch.row(i).map(\.bitPattern) == one.row(0).map(\.bitPattern), "query \(i), \(threads) threads")
            }
        }
    }

    /// The AVX2 token packer against the portable loop, with edges that are not multiples of the
    /// 8×8 blocks.
    @Test(arguments: [(1, 8), (7, 33), (31, 160), (32, 576), (9, 29)])
    func packerMatchesPortableLoop(tokens: Int, cols: Int) {
        #if arch(x86_64)
        var rng = TestRNG(state: 41 + UInt64(tokens * cols))
        let ldx = cols + 3, src = rng.floats(tokens * ldx)
        var expected = [Float](repeating: -1, count: 32 * cols), actual = expected
        ck_pack_tokens_portable(src, Int64(ldx), Int64(tokens), Int64(cols), &expected)
        ck_pack_tokens_avx2(src, Int64(ldx), Int64(tokens), Int64(cols), &actual)
        #expect(actual == expected)
        #expect(expected[(cols - 1) * 32 + tokens - 1] == src[(tokens - 1) * ldx + cols - 1])
        #expect(tokens == 32 || expected[31] == 0)
        #endif
    }

    @Test(arguments: [1, 8, 19, 128])
    func rmsNormRowsTogetherMatchOneRow(n: Int) {
        var rng = TestRNG(state: 31 + UInt64(n))
        let c = 576, x = rng.floats(n * c, -4, 4), w = rng.floats(c)
        for threads in [1, 2] {
            let out = FloatMatrix(rows: n, cols: c)
            rmsNorm(FloatMatrix(rows: n, cols: c, values: x), rows: n, weight: w, eps: 1e-5, into: out,
                    pool: WorkerPool.shared(threads: threads))
            for r in 0..<n {
                let one = FloatMatrix(rows: 1, cols: c)
                rmsNorm(FloatMatrix(rows: 1, cols: c, values: Array(x[r * c..<(r + 1) * c])), rows: 1, weight: w,
                        eps: 1e-5, into: one)
                #expect(out.row(r).map(\.bitPattern) == one.row(0).map(\.bitPattern), "row \(r), \(threads) threads")
            }
        }
    }
}
