// Matrix products with quantized weights: out = x · wᵀ for activations x (n, k) and weights
// w (rows, k) viewed in place. One row (generation) runs the quantized dot kernels directly; several
// rows (prompt processing) dequantize 32 weight rows at a time into a packed float panel and run the
// register-tiled GEMM over it. Work is split over the pool by output rows / panels with a fixed
// partition, and every output is one fixed-order reduction, so bits do not depend on thread count.
import NumericsAVX512

/// Per-worker scratch for the GEMM panel (k × 32 floats) and the block sums of x (k / 32).
final class KernelScratch: @unchecked Sendable {
    private(set) var panel: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    /// (32, 32) tile for transposing one block column.
    let tile = UnsafeMutablePointer<Float>.allocate(capacity: 1024)

    init() { capacity = 0; panel = UnsafeMutablePointer<Float>.allocate(capacity: 1) }

    func panel(for k: Int) -> UnsafeMutablePointer<Float> {
        if capacity < k * 32 {
            panel.deallocate()
            capacity = k * 32
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
    private var xsum: [Float] = []

    /// - Parameters: threads: participants (1 = caller only); isa: nil = the best this CPU runs.
    public init(threads: Int, isa: KernelISA? = nil) {
        pool = WorkerPool.shared(threads: threads)
        let chosen = isa ?? CPU.defaultISA
        precondition(chosen == .baseline || CPU.hasAVX512, "the AVX-512 kernels need an AVX-512 CPU")
        self.isa = chosen
        scratch = (0..<pool.threads).map { _ in KernelScratch() }
    }

    /// out[0..<n] = x[0..<n] · wᵀ.   x: (n, w.cols), out: (n, w.rows)
    public func multiply(_ x: FloatMatrix, rows n: Int, by w: QuantMatrix, into out: FloatMatrix) {
        precondition(x.cols == w.cols && out.cols == w.rows && n <= x.rows && n <= out.rows,
                     "matmul shapes: x (\(n), \(x.cols)) · w (\(w.rows), \(w.cols)) → out (_, \(out.cols))")
        if n == 1 || w.rows % 32 != 0 {
            for r in 0..<n { matVec(x.pointer(row: r), w, out.pointer(row: r)) }
        } else {
            gemm(x, n, w, out)
        }
    }

    /// out = w · x for one vector.  x: (w.cols), out: (w.rows)
    func matVec(_ x: UnsafePointer<Float>, _ w: QuantMatrix, _ out: UnsafeMutablePointer<Float>) {
        let cols = w.cols
        if w.type == .f32 || w.type == .f16 { return floatMatVec(x, w, out) }
        if w.type == .q4_1 {
            if xsum.count < cols / 32 { xsum = [Float](repeating: 0, count: cols / 32) }
            for b in 0..<cols / 32 {
                var s: Float = 0
                for j in 0..<32 { s += x[b * 32 + j] }
                xsum[b] = s
            }
        }
        let format = w.type.rowFormat!
        let wide = isa == .avx512
        xsum.withUnsafeBufferPointer { sums in
            let s = sums.baseAddress ?? UnsafePointer(bitPattern: 16)!
            pool.run { index in
                let rows = alignedRange(w.rows, index)
                if wide { matVecAVX512(format, w.base, w.rowBytes, rows, x, s, cols, out) }
                else { matVecBody(format, w.base, w.rowBytes, rows, x, s, cols, out) }
            }
        }
    }

    /// Rows split in multiples of 16 so no two workers write the same cache line of `out`.
    @inline(__always) private func alignedRange(_ rows: Int, _ index: Int) -> Range<Int> {
        let units = (rows + 15) / 16
        let r = pool.range(units, worker: index)
        return min(rows, r.lowerBound * 16)..<min(rows, r.upperBound * 16)
    }

    private func floatMatVec(_ x: UnsafePointer<Float>, _ w: QuantMatrix, _ out: UnsafeMutablePointer<Float>) {
        let cols = w.cols
        pool.run { index in
            let row = scratch[index].panel(for: (cols + 31) / 32)
            for r in alignedRange(w.rows, index) {
                dequantize(w.type, w.base + r * w.rowBytes, count: cols, into: row)
                var s: Float = 0
                for j in 0..<cols { s = s.addingProduct(row[j], x[j]) }
                out[r] = s
            }
        }
    }

    /// Panel GEMM: worker i takes a fixed contiguous run of 32-row weight panels.
    private func gemm(_ x: FloatMatrix, _ n: Int, _ w: QuantMatrix, _ out: FloatMatrix) {
        let k = w.cols, m = (n + 7) / 8 * 8, wide = isa == .avx512
        let a = UnsafePointer(x.base), c = out.base
        let format = w.type.rowFormat
        pool.run { index in
            let panel = scratch[index].panel(for: k), tile = scratch[index].tile
            for p in pool.range(w.rows / 32, worker: index) {
                if let format {
                    if wide { packPanelAVX512(format, w.base, w.rowBytes, p * 32, k, tile, panel) }
                    else { packPanelBody(format, w.base, w.rowBytes, p * 32, k, tile, panel) }
                } else {
                    packPanel(w, row0: p * 32, k: k, into: panel)
                }
                if wide { gemmPanelAVX512(a, x.cols, m, panel, k, c + p * 32, out.cols) }
                else { gemmPanel4x16Body(a, x.cols, m, panel, k, c + p * 32, out.cols) }
            }
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

/// Dequantizes weight rows row0..<row0+32 into a k-major panel: panel[e·32 + j] = w[row0 + j][e].
/// panel: (k, 32)
func packPanel(_ w: QuantMatrix, row0: Int, k: Int, into panel: UnsafeMutablePointer<Float>) {
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 32) { tmp in
        let t = tmp.baseAddress!
        for blockStart in stride(from: 0, to: k, by: 32) {
            let width = min(32, k - blockStart)
            let bytesOffset = w.type.byteCount(blockStart)
            for j in 0..<32 {
                dequantize(w.type, w.base + (row0 + j) * w.rowBytes + bytesOffset, count: width, into: t)
                for e in 0..<width { panel[(blockStart + e) * 32 + j] = t[e] }
            }
        }
    }
}
