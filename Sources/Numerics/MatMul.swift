// Matrix products with quantized weights: out = x · wᵀ for activations x (n, k) and weights
// w (rows, k) viewed in place. One row (generation) quantizes x to int16 blocks once and runs the
// integer kernels of CKernels (exact integer block sums, so every build agrees); several rows (prompt
// processing) pack x by token groups, dequantize 32 weight rows at a time into a float panel and
// run the register-tiled GEMM. Work is split over the pool by output rows / panels with a fixed
// partition, and every output is one fixed-order reduction, so bits do not depend on thread count.
import CKernels
import NumericsAVX512

/// Per-worker scratch: the dequantized weight panel (32 × k floats) and the micro-kernel's output tile.
final class KernelScratch: @unchecked Sendable {
    private(set) var panel: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    /// Output tiles of the row-major micro-kernels before their transposed store: four (8, 32) tiles
    /// (AVX-512) or one (4, 32).
    let tile = UnsafeMutablePointer<Float>.allocate(capacity: 1024)

    init() { capacity = 0; panel = UnsafeMutablePointer<Float>.allocate(capacity: 1) }

    /// The sliced AVX-512 product's output tiles: four (12, 32) tiles per 32-token group.
    private var tiles = UnsafeMutablePointer<Float>.allocate(capacity: 1), tilesCapacity = 1

    deinit { panel.deallocate(); tile.deallocate(); tiles.deallocate() }

    func groupTiles(for n: Int) -> UnsafeMutablePointer<Float> {
        let need = (n + 31) / 32 * 1536
        if tilesCapacity < need {
            tiles.deallocate()
            tilesCapacity = need
            tiles = .allocate(capacity: need)
        }
        return tiles
    }

    /// Room for `count` floats: 32 dequantized weight rows, or one k slice of 48 blocked rows.
    func panel(floats count: Int) -> UnsafeMutablePointer<Float> {
        if capacity < count {
            panel.deallocate()
            capacity = count
            panel = UnsafeMutablePointer<Float>.allocate(capacity: capacity)
        }
        return panel
    }
}

/// Matrix-product engine: a pool plus per-worker scratch and the chosen kernel build.
public final class MatMul: @unchecked Sendable {
    public let pool: WorkerPool
    /// Which kernel build runs.
    public let isa: KernelISA
    private let scratch: [KernelScratch]
    private let xq = QuantizedVector()
    private var xpack = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var xpackCapacity = 1
    /// Which integer mat-vec kernel runs (same bits for each).
    let intKernel: IntKernel

    /// - Parameters: threads: participants (1 = caller only); isa: nil = the best this CPU runs.
    public init(threads: Int, isa: KernelISA? = nil) {
        pool = WorkerPool.shared(threads: threads)
        let chosen = isa ?? CPU.defaultISA
        precondition(chosen == .baseline || CPU.hasAVX512, "the AVX-512 kernels need an AVX-512 CPU")
        self.isa = chosen
        intKernel = IntKernel.best(for: chosen)
        scratch = (0..<pool.threads).map { _ in KernelScratch() }
    }

    deinit { xpack.deallocate() }

    /// out[0..<n] = x[0..<n] · wᵀ.   x: (n, w.cols), out: (n, w.rows)
    public func multiply(_ x: FloatMatrix, rows n: Int, by w: QuantMatrix, into out: FloatMatrix) {
        precondition(x.cols == w.cols && out.cols == w.rows && n <= x.rows && n <= out.rows,
                     "matmul shapes: x (\(n), \(x.cols)) · w (\(w.rows), \(w.cols)) → out (_, \(out.cols))")
        if n == 1 || w.rows % 32 != 0 {
            for r in 0..<n {
                if w.type.rowFormat != nil { intMatVec(x.pointer(row: r), [w], [out.pointer(row: r)]) }
                else { floatMatVec(x.pointer(row: r), w, out.pointer(row: r)) }
            }
        } else {
            gemm(x, n, [w], [out])
        }
    }

    /// The products of the same activations with several weight matrices (Q, K, V; gate, up) in
    /// one pool job for a single row: the vector is quantized once and the threads meet once.
    /// x: (n, k), ws[i]: (rows_i, k), outs[i]: (n, rows_i)
    public func multiply(_ x: FloatMatrix, rows n: Int, by ws: [QuantMatrix], into outs: [FloatMatrix]) {
        precondition(ws.count == outs.count && ws.allSatisfy { $0.cols == x.cols })
        if n == 1 && ws.allSatisfy({ $0.type.rowFormat != nil }) {
            for (w, o) in zip(ws, outs) { precondition(o.cols == w.rows, "matmul output width \(o.cols) ≠ \(w.rows)") }
            intMatVec(x.pointer(row: 0), ws, outs.map { $0.pointer(row: 0) })
        } else if n > 1 && ws.allSatisfy({ $0.rows % 32 == 0 }) {
            for (w, o) in zip(ws, outs) {
                precondition(o.cols == w.rows && n <= x.rows && n <= o.rows, "matmul output (\(o.rows), \(o.cols)) for (\(n), \(w.rows))")
            }
            gemm(x, n, ws, outs)
        } else {
            for (w, o) in zip(ws, outs) { multiply(x, rows: n, by: w, into: o) }
        }
    }

    /// outs[i] = ws[i] · x through the integer kernels. The rows of all matrices form one list of
    /// 16-row units (so no two threads write the same cache line of an output), claimed in chunks.
    /// x: (k), outs[i]: (ws[i].rows)
    private func intMatVec(_ x: UnsafePointer<Float>, _ ws: [QuantMatrix], _ outs: [UnsafeMutablePointer<Float>]) {
        let k = ws[0].cols
        xq.quantize(x, count: k)
        let kernel = intKernel
        let units = ws.map { ($0.rows + 15) / 16 }, total = units.reduce(0, +)
        // ~64 rows per claim at least; at most ~1/32 of the work, so a late thread still gets a share.
        pool.parallel(total, chunk: max(4, total / 32)) { range, _ in
            var first = 0
            for (i, w) in ws.enumerated() {
                let lo = max(range.lowerBound, first), hi = min(range.upperBound, first + units[i])
                if lo < hi {
                    let rows = (lo - first) * 16..<min(w.rows, (hi - first) * 16)
                    kernel.run(w.type.rowFormat!, w.base, w.rowBytes, rows, xq, k / 32, outs[i])
                }
                first += units[i]
            }
        }
    }

    /// out = w · x for plain-float (F32/F16) rows, one row dequantized at a time.  x: (w.cols), out: (w.rows)
    private func floatMatVec(_ x: UnsafePointer<Float>, _ w: QuantMatrix, _ out: UnsafeMutablePointer<Float>) {
        let cols = w.cols
        pool.parallel((w.rows + 15) / 16, chunk: 4) { units, thread in
            let row = scratch[thread].panel(floats: cols)
            for r in units.lowerBound * 16..<min(w.rows, units.upperBound * 16) {
                dequantize(w.type, w.base + r * w.rowBytes, count: cols, into: row)
                var s: Float = 0
                for j in 0..<cols { s = s.addingProduct(row[j], x[j]) }
                out[r] = s
            }
        }
    }

    /// Panel GEMM for several weight matrices sharing the activations x: x is packed once by groups
    /// of 32 tokens (k-major), then the threads claim weight panels (of all matrices, in order),
    /// and multiply each with every token group: the AVX-512 build with quantized rows dequantizes
    /// 48 (or 32) rows one k slice at a time in the blocked layout (BlockedPanel.swift), the rest
    /// 32 rows row-major at once.
    private func gemm(_ x: FloatMatrix, _ n: Int, _ ws: [QuantMatrix], _ outs: [FloatMatrix]) {
        let k = x.cols, wide = isa == .avx512
        let xpack = packActivations(x, n)
        let tiles = ws.map { blockedTile(for: $0) }
        let panels = zip(ws, tiles).map { $0.rows / ($1?.panelRows ?? 32) }
        let total = panels.reduce(0, +)
        /// item → (matrix, panel within it)
        func locate(_ item: Int) -> (Int, Int) {
            var i = 0, p = item
            while p >= panels[i] { p -= panels[i]; i += 1 }
            return (i, p)
        }
        /// Items are claimed in order, so this thread's next one is likely `threads` ahead: its weights
        /// are fetched into L2 while this panel is multiplied (without it, dequantizing waited on them:
        /// ~2% of prompt time on one thread).
        func prefetch(after item: Int) {
            guard item + pool.threads < total else { return }
            let (i, p) = locate(item + pool.threads), rows = tiles[i]?.panelRows ?? 32
            ck_prefetch_l2(ws[i].base + p * rows * ws[i].rowBytes, Int64(rows * ws[i].rowBytes))
        }
        pool.parallel(total) { items, thread in
            let panel = scratch[thread].panel(floats: max(32 * k, 48 * gemmSliceKC)), tile = scratch[thread].tile
            for item in items {
                let (i, p) = locate(item)
                let w = ws[i], out = outs[i]
                if let t = tiles[i], let format = w.type.rowFormat {
                    let rows = t.panelRows
                    prefetch(after: item)
                    gemmSlicedPanelAVX512(format, w.base, w.rowBytes, p * rows, k, t, xpack, n, out.base, out.cols,
                                          p * rows, panel, scratch[thread].groupTiles(for: n))
                    continue
                }
                if let format = w.type.rowFormat {
                    if wide { dequantRowsAVX512(format, w.base, w.rowBytes, p * 32, 32, k, panel) }
                    else { dequantRowsBody(format, w.base, w.rowBytes, p * 32, 32, k, panel) }
                } else {
                    for j in 0..<32 { dequantize(w.type, w.base + (p * 32 + j) * w.rowBytes, count: k, into: panel + j * k) }
                }
                prefetch(after: item)
                if wide { gemmWeightPanelAVX512(panel, k, xpack, n, out.base, out.cols, p * 32, tile) }
                else { gemmWeightPanel4x16Body(panel, k, xpack, n, out.base, out.cols, p * 32, tile) }
            }
        }
    }

    /// The AVX-512 blocked-panel tile for w: 12 rows (48-row panels) when the rows allow, else 8; nil
    /// (row-major panel) for the AVX2 build, plain-float rows, or k not a whole number of 32-value blocks.
    private func blockedTile(for w: QuantMatrix) -> PanelTile? {
        guard isa == .avx512, w.type.rowFormat != nil, w.cols % 32 == 0 else { return nil }
        return w.rows % 48 == 0 ? .rows12 : .rows8
    }

    /// x rows 0..<n packed by groups of 32 tokens: xpack[g·k·32 + e·32 + i] = x[32g + i][e], zero
    /// beyond n (so the padded lanes compute on zeros, not on stale values).  returns: (⌈n/32⌉·32, k)
    private func packActivations(_ x: FloatMatrix, _ n: Int) -> UnsafePointer<Float> {
        let k = x.cols, groups = (n + 31) / 32
        if xpackCapacity < groups * 32 * k {
            xpack.deallocate()
            xpackCapacity = groups * 32 * k
            xpack = .allocate(capacity: xpackCapacity)
        }
        let dst = xpack
        pool.parallel(groups) { items, _ in
            for g in items {
                let src = x.pointer(row: g * 32), tokens = Int64(min(32, n - g * 32))
                #if arch(x86_64)
                ck_pack_tokens_avx2(src, Int64(k), tokens, Int64(k), dst + g * k * 32)
                #else
                ck_pack_tokens_portable(src, Int64(k), tokens, Int64(k), dst + g * k * 32)
                #endif
            }
        }
        return UnsafePointer(dst)
    }
}

/// One activation vector quantized per 32-value block: int16 values, block scales and scaled sums.
final class QuantizedVector: @unchecked Sendable {
    private(set) var q = UnsafeMutablePointer<Int16>.allocate(capacity: 32)
    private(set) var d = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private(set) var s = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var capacity = 32

    func quantize(_ x: UnsafePointer<Float>, count: Int) {
        if capacity < count {
            q.deallocate(); d.deallocate(); s.deallocate()
            capacity = count
            q = .allocate(capacity: count); d = .allocate(capacity: count / 32); s = .allocate(capacity: count / 32)
        }
        ck_quantize_q16(x, Int64(count), q, d, s)
    }

    deinit { q.deallocate(); d.deallocate(); s.deallocate() }
}

/// The integer mat-vec kernel builds in CKernels; all give the same bits.
enum IntKernel: Sendable {
    case portable, avx2, vnni

    /// VNNI when the AVX-512 build is chosen and the CPU has it; AVX2 otherwise on x86-64.
    static func best(for isa: KernelISA) -> IntKernel {
        #if arch(x86_64)
        return isa == .avx512 && CPU.hasVNNI ? .vnni : .avx2
        #else
        return .portable
        #endif
    }

    /// out[r] for r in rows.  out: (rows.upperBound)
    @inline(__always)
    func run(_ format: RowFormat, _ w: UnsafeRawPointer, _ rowBytes: Int, _ rows: Range<Int>,
             _ x: QuantizedVector, _ blocks: Int, _ out: UnsafeMutablePointer<Float>) {
        let f = Int32(format.rawValue), lo = Int64(rows.lowerBound), hi = Int64(rows.upperBound)
        switch self {
        case .portable: ck_matvec_portable(f, w, Int64(rowBytes), lo, hi, x.q, x.d, x.s, Int64(blocks), out)
        #if arch(x86_64)
        case .avx2: ck_matvec_avx2(f, w, Int64(rowBytes), lo, hi, x.q, x.d, x.s, Int64(blocks), out)
        case .vnni: ck_matvec_vnni(f, w, Int64(rowBytes), lo, hi, x.q, x.d, x.s, Int64(blocks), out)
        #else
        case .avx2, .vnni: ck_matvec_portable(f, w, Int64(rowBytes), lo, hi, x.q, x.d, x.s, Int64(blocks), out)
        #endif
        }
    }
}

extension QuantType {
    /// The quantized row format of the fast kernels (nil for plain floats).
    var rowFormat: RowFormat? {
        switch self {
        case .q4_0: .q4_0
        case .q4_1: .q4_1
        case .q8_0: .q8_0
        case .f32, .f16: nil
        }
    }
}
