// Row-major float matrices for activations, KV caches and scratch, and read-only views of
// quantized weight matrices inside a memory-mapped model file. Model code holds these values and
// calls the ops in MatMul.swift / Ops.swift; raw pointers stay inside Numerics.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An owned row-major (rows, cols) Float matrix, zero-filled. Storage is padded to a multiple of
/// 8 rows because the GEMM tile computes 8 rows at a time (padding rows hold scratch values).
/// Large matrices come from malloc's mmap, so untouched rows (e.g. unused KV-cache positions) cost
/// no resident memory.
public final class FloatMatrix: @unchecked Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns (the row stride).
    public let cols: Int
    /// Rows allocated (rows rounded up to 8).
    let paddedRows: Int
    let base: UnsafeMutablePointer<Float>

    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "FloatMatrix shape must be non-negative")
        self.rows = rows
        self.cols = cols
        paddedRows = (rows + 7) / 8 * 8
        let count = max(1, paddedRows * cols)
        // calloc: zero pages are mapped lazily, so a big KV cache is resident only where written.
        guard let raw = calloc(count, MemoryLayout<Float>.stride) else { fatalError("out of memory: \(count) floats") }
        base = raw.bindMemory(to: Float.self, capacity: count)
    }

    /// A matrix holding `values` as (rows, cols).
    public convenience init(rows: Int, cols: Int, values: [Float]) {
        precondition(values.count == rows * cols, "\(values.count) values for a (\(rows), \(cols)) matrix")
        self.init(rows: rows, cols: cols)
        values.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { free(base) }

    public subscript(row: Int, col: Int) -> Float {
        get { base[row * cols + col] }
        set { base[row * cols + col] = newValue }
    }

    /// A copy of one row.
    public func row(_ r: Int) -> [Float] { Array(UnsafeBufferPointer(start: base + r * cols, count: cols)) }

    /// A copy of the first `count` rows, flattened.
    public func values(rows count: Int? = nil) -> [Float] {
        Array(UnsafeBufferPointer(start: base, count: (count ?? rows) * cols))
    }

    /// Overwrites row `r` with `values`.
    public func setRow(_ r: Int, _ values: [Float]) {
        precondition(values.count == cols)
        values.withUnsafeBufferPointer { (base + r * cols).update(from: $0.baseAddress!, count: cols) }
    }

    @inline(__always) func pointer(row r: Int) -> UnsafeMutablePointer<Float> { base + r * cols }
}

/// A read-only (rows, cols) weight matrix in a quantized row format, viewed in place (no copy).
/// Row r starts `rowBytes·r` bytes after `base`. The owner of the bytes (the mapped model file)
/// must outlive the view.
public struct QuantMatrix: @unchecked Sendable {
    /// Element type.
    public let type: QuantType
    /// Output features (ggml ne1).
    public let rows: Int
    /// Input features (ggml ne0); a multiple of the type's block size.
    public let cols: Int
    /// Bytes per row.
    public let rowBytes: Int
    let base: UnsafeRawPointer

    /// A view of `rows` rows of `cols` values of `type` at `base`.
    public init(type: QuantType, rows: Int, cols: Int, base: UnsafeRawPointer) {
        precondition(cols % type.blockSize == 0, "\(cols) columns is not a multiple of \(type.name)'s block")
        self.type = type
        self.rows = rows
        self.cols = cols
        self.rowBytes = type.byteCount(cols)
        self.base = base
    }

    /// Row r dequantized to floats (reference path; allocates).
    public func dequantizedRow(_ r: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: cols) { buf, n in
            dequantize(type, base + r * rowBytes, count: cols, into: buf.baseAddress!)
            n = cols
        }
    }

    /// Copies row `r` dequantized into row `dstRow` of `out` (embedding lookup).  out: (_, cols)
    public func dequantizeRow(_ r: Int, into out: FloatMatrix, row dstRow: Int) {
        precondition(out.cols == cols && r >= 0 && r < rows)
        dequantize(type, base + r * rowBytes, count: cols, into: out.pointer(row: dstRow))
    }
}

/// Owned quantized bytes with a QuantMatrix view over them (test data, small custom weights).
public final class OwnedQuantMatrix: @unchecked Sendable {
    public let bytes: [UInt8]
    public let matrix: QuantMatrix
    private let storage: UnsafeMutableRawPointer

    public init(type: QuantType, rows: Int, cols: Int, bytes: [UInt8]) {
        precondition(bytes.count == rows * type.byteCount(cols), "wrong byte count for (\(rows), \(cols)) \(type.name)")
        self.bytes = bytes
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes.count), alignment: 64)
        bytes.withUnsafeBytes { raw.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        storage = raw
        matrix = QuantMatrix(type: type, rows: rows, cols: cols, base: UnsafeRawPointer(raw))
    }

    deinit { storage.deallocate() }
}
