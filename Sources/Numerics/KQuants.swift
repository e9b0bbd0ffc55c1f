// ggml's K-quants, the types most downloaded GGUF files use (Q4_K_M is Q4_K with some Q6_K, Q5_K_M
// is Q5_K with some Q6_K): super-blocks of 256 values split into sub-blocks that each carry a
// small integer scale (and, for Q4_K and Q5_K, a minimum) relative to the super-block's f16 scales.
// The engine has no kernels for them; a model file's K-quant tensors are dequantized here and
// re-encoded once, at load, into a type it runs (TextEngine's KQuantConversion). Each formula is
// evaluated in Float in the order ggml's reference dequantizer uses, so the values are its bits
// (Tests/NumericsTests/KQuantTests.swift holds gguf-py's values).
//
// Layouts, per super-block:
//   Q4_K (144 B): d f16, dmin f16, 12 B of 6-bit scales and mins for 8 sub-blocks of 32, 128 B of
//                 4-bit values (32 B per pair of sub-blocks: low nibbles, then high nibbles)
//   Q5_K (176 B): as Q4_K with 32 B of fifth bits (bit s of byte e for sub-block s, value e) before
//                 the 4-bit values
//   Q6_K (210 B): 128 B of low 4 bits, 64 B of high 2 bits, 16 int8 scales (one per 16 values),
//                 d f16; values are 6-bit minus 32

import NumericsAVX512

/// A K-quant element type, by its ggml type id.
public enum KQuantType: UInt32, Sendable, CaseIterable {
    case q4_K = 12, q5_K = 13, q6_K = 14

    /// Values per super-block.
    public static let blockSize = 256

    /// Bytes per super-block.
    public var blockBytes: Int {
        switch self {
        case .q4_K: 144
        case .q5_K: 176
        case .q6_K: 210
        }
    }

    /// ggml's name, as GGUF tools print it.
    public var name: String {
        switch self {
        case .q4_K: "Q4_K"
        case .q5_K: "Q5_K"
        case .q6_K: "Q6_K"
        }
    }

    /// Bytes taken by `count` values (count must be a multiple of 256).
    public func byteCount(_ count: Int) -> Int { count / Self.blockSize * blockBytes }
}

/// Dequantizes `count` values (a multiple of 256) starting at `src` (a super-block boundary).
/// src: byteCount(count) bytes, dst: (count)
public func dequantize(_ type: KQuantType, _ src: UnsafeRawPointer, count: Int, into dst: UnsafeMutablePointer<Float>) {
    precondition(count % KQuantType.blockSize == 0, "\(count) values do not fill \(type.name) super-blocks of 256")
    for b in 0..<count / KQuantType.blockSize {
        let block = src + b * type.blockBytes, out = dst + b * KQuantType.blockSize
        switch type {
        case .q4_K: dequantizeQ4K(block, into: out, fifthBits: nil)
        case .q5_K: dequantizeQ4K(block, into: out, fifthBits: block + 16)
        case .q6_K: dequantizeQ6K(block, into: out)
        }
    }
}

/// Sub-block s's 6-bit scale and minimum from the 12 packed bytes: bytes 0–3 hold the scales of
/// sub-blocks 0–3 in their low 6 bits, bytes 4–7 their minimums; sub-blocks 4–7 keep their low
/// 4 bits in bytes 8–11 (scale low nibble, minimum high nibble) and their top 2 bits in the top
/// bits of bytes 0–7.
@inline(__always)
private func scaleAndMin(_ scales: UnsafeRawPointer, _ s: Int) -> (scale: UInt8, min: UInt8) {
    func byte(_ i: Int) -> UInt8 { scales.load(fromByteOffset: i, as: UInt8.self) }
    if s < 4 { return (byte(s) & 63, byte(s + 4) & 63) }
    return ((byte(s + 4) & 0x0F) | ((byte(s - 4) >> 6) << 4), (byte(s + 4) >> 4) | ((byte(s) >> 6) << 4))
}

/// Q4_K, or Q5_K when `fifthBits` points at its 32 bytes of high bits.
private func dequantizeQ4K(_ block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>, fifthBits: UnsafeRawPointer?) {
    let d = loadHalf(block, 0), dmin = loadHalf(block, 2)
    let scales = block + 4
    let values = block + (fifthBits == nil ? 16 : 48)
    for s in 0..<8 {
        let (scale, minimum) = scaleAndMin(scales, s)
        let ds = d * Float(scale), dm = dmin * Float(minimum)
        let group = values + (s / 2) * 32, shift = UInt8(4 * (s % 2))
        for e in 0..<32 {
            var q = (group.load(fromByteOffset: e, as: UInt8.self) >> shift) & 0x0F
            if let fifthBits { q |= ((fifthBits.load(fromByteOffset: e, as: UInt8.self) >> UInt8(s)) & 1) << 4 }
            out[s * 32 + e] = ds * Float(q) - dm
        }
    }
}

private func dequantizeQ6K(_ block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
    let low = block, high = block + 128, scales = block + 192
    let d = loadHalf(block, 208)
    for f in 0..<KQuantType.blockSize {
        let half = f / 128, within = f % 128
        let l = (low.load(fromByteOffset: half * 64 + within % 64, as: UInt8.self) >> UInt8(4 * (within / 64))) & 0x0F
        let h = (high.load(fromByteOffset: half * 32 + within % 32, as: UInt8.self) >> UInt8(2 * (within / 32))) & 0x03
        let q = Int(l | (h << 4)) - 32
        let scale = Float(scales.load(fromByteOffset: f / 16, as: Int8.self))
        out[f] = (d * scale) * Float(q)
    }
}
