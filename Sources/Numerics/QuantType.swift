// Element types of weight tensors (GGUF's numbering) and straightforward dequantization.
// The block layouts are ggml's: Q4_0 (f16 d, 16 B nibbles), Q4_1 (f16 d, f16 m, 16 B nibbles),
// Q8_0 (f16 d, 32 × int8). Nibble j of a block holds value j (low) and value j+16 (high).
// These loops are the reference the fast kernels are tested against, and the tile packer for GEMM.
import NumericsAVX512

/// A tensor element type; raw values are GGUF's `ggml_type` ids.
public enum QuantType: UInt32, Sendable, CaseIterable {
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3, q8_0 = 8

    /// Values per block (1 for plain floats).
    public var blockSize: Int { self == .f32 || self == .f16 ? 1 : 32 }
    /// Bytes per block.
    public var blockBytes: Int {
        switch self {
        case .f32: 4
        case .f16: 2
        case .q4_0: 18
        case .q4_1: 20
        case .q8_0: 34
        }
    }
    /// Bytes taken by `count` values (count must be a multiple of blockSize).
    public func byteCount(_ count: Int) -> Int { count / blockSize * blockBytes }
    /// ggml's name, as GGUF tools print it.
    public var name: String {
        switch self {
        case .f32: "F32"
        case .f16: "F16"
        case .q4_0: "Q4_0"
        case .q4_1: "Q4_1"
        case .q8_0: "Q8_0"
        }
    }
}

/// Dequantizes `count` values starting at `src` (a block boundary) into `dst`.
/// src: byteCount(count) bytes, dst: (count)
public func dequantize(_ type: QuantType, _ src: UnsafeRawPointer, count: Int, into dst: UnsafeMutablePointer<Float>) {
    switch type {
    case .f32:
        for i in 0..<count { dst[i] = src.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) }
    case .f16:
        for i in 0..<count { dst[i] = loadHalf(src, 2 * i) }
    case .q4_0, .q4_1:
        let bytes = type.blockBytes, hasMin = type == .q4_1
        for b in 0..<count / 32 {
            let p = src + b * bytes
            let d = loadHalf(p, 0), m: Float = hasMin ? loadHalf(p, 2) : 0
            let qs = p + (hasMin ? 4 : 2), offset: Int = hasMin ? 0 : 8
            for j in 0..<16 {
                let byte = qs.load(fromByteOffset: j, as: UInt8.self)
                dst[b * 32 + j] = d * Float(Int(byte & 0x0F) - offset) + m
                dst[b * 32 + j + 16] = d * Float(Int(byte >> 4) - offset) + m
            }
        }
    case .q8_0:
        for b in 0..<count / 32 {
            let p = src + b * 34
            let d = loadHalf(p, 0)
            for j in 0..<32 { dst[b * 32 + j] = d * Float(p.load(fromByteOffset: 2 + j, as: Int8.self)) }
        }
    }
}

/// Rounds a float to the nearest half (for writing F16 and quantized test data).
@inlinable public func halfBits(_ x: Float) -> UInt16 { Float16(x).bitPattern }
