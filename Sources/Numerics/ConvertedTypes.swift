// Element types the engine has no kernels for but reads by converting them, once at load, into one
// it runs (TextEngine's LoadTimeConversion: Q8_0). They are what most downloaded GGUF files hold:
// ggml's K-quants (Q4_K_M is Q4_K with some Q6_K, Q5_K_M is Q5_K with some Q6_K) and Q5_0/Q5_1,
// which llama.cpp puts where a row is too short for a K-quant's 256-value super-block. Each formula
// is evaluated in Float in the order ggml's reference dequantizer uses, so the values are its bits
// (Tests/NumericsTests/ConvertedTypeTests.swift holds gguf-py's values).
//
// Layouts, per block:
//   Q5_0 (22 B, 32 values):  d f16, 32 fifth bits (u32), 16 B of low nibbles (values j and j+16
//                            share byte j); value = d × (q − 16)
//   Q5_1 (24 B, 32 values):  d f16, m f16, then as Q5_0; value = d × q + m
//   Q4_K (144 B, 256 values): d f16, dmin f16, 12 B of 6-bit scales and mins for 8 sub-blocks of
//                            32, 128 B of 4-bit values (32 B per pair of sub-blocks: low nibbles,
//                            then high nibbles)
//   Q5_K (176 B, 256 values): as Q4_K with 32 B of fifth bits (bit s of byte e for sub-block s,
//                            value e) before the 4-bit values
//   Q6_K (210 B, 256 values): 128 B of low 4 bits, 64 B of high 2 bits, 16 int8 scales (one per
//                            16 values), d f16; values are 6-bit minus 32

import NumericsAVX512

/// An element type read by conversion at load, by its ggml type id.
public enum ConvertedType: UInt32, Sendable, CaseIterable {
    case q5_0 = 6, q5_1 = 7, q4_K = 12, q5_K = 13, q6_K = 14

    /// Values per block (super-block for the K-quants).
    public var blockSize: Int { self == .q5_0 || self == .q5_1 ? 32 : 256 }

    /// Bytes per block.
    public var blockBytes: Int {
        switch self {
        case .q5_0: 22
        case .q5_1: 24
        case .q4_K: 144
        case .q5_K: 176
        case .q6_K: 210
        }
    }

    /// ggml's name, as GGUF tools print it.
    public var name: String {
        switch self {
        case .q5_0: "Q5_0"
        case .q5_1: "Q5_1"
        case .q4_K: "Q4_K"
        case .q5_K: "Q5_K"
        case .q6_K: "Q6_K"
        }
    }

    /// Bytes taken by `count` values (count must be a multiple of blockSize).
    public func byteCount(_ count: Int) -> Int { count / blockSize * blockBytes }
}

/// Dequantizes `count` values (a multiple of the block size) starting at `src` (a block boundary).
/// src: byteCount(count) bytes, dst: (count)
public func dequantize(_ type: ConvertedType, _ src: UnsafeRawPointer, count: Int, into dst: UnsafeMutablePointer<Float>) {
    precondition(count % type.blockSize == 0, "\(count) values do not fill \(type.name) blocks of \(type.blockSize)")
    for b in 0..<count / type.blockSize {
        let block = src + b * type.blockBytes, out = dst + b * type.blockSize
        switch type {
        case .q5_0: dequantizeQ5(block, into: out, hasMin: false)
        case .q5_1: dequantizeQ5(block, into: out, hasMin: true)
        case .q4_K: dequantizeQ4K(block, into: out, fifthBits: nil)
        case .q5_K: dequantizeQ4K(block, into: out, fifthBits: block + 16)
        case .q6_K: dequantizeQ6K(block, into: out)
        }
    }
}

/// Q5_0, or Q5_1 with its minimum.
private func dequantizeQ5(_ block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>, hasMin: Bool) {
    let d = loadHalf(block, 0), m: Float = hasMin ? loadHalf(block, 2) : 0
    let fifth = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: hasMin ? 4 : 2, as: UInt32.self))
    let low = block + (hasMin ? 8 : 6)
    for j in 0..<32 {
        let nibble = (low.load(fromByteOffset: j % 16, as: UInt8.self) >> UInt8(4 * (j / 16))) & 0x0F
        let q = Int(nibble) | Int((fifth >> UInt32(j)) & 1) << 4
        out[j] = hasMin ? d * Float(q) + m : d * Float(q - 16)
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
    for f in 0..<256 {
        let half = f / 128, within = f % 128
        let l = (low.load(fromByteOffset: half * 64 + within % 64, as: UInt8.self) >> UInt8(4 * (within / 64))) & 0x0F
        let h = (high.load(fromByteOffset: half * 32 + within % 32, as: UInt8.self) >> UInt8(2 * (within / 32))) & 0x03
        let q = Int(l | (h << 4)) - 32
        let scale = Float(scales.load(fromByteOffset: f / 16, as: Int8.self))
        out[f] = (d * scale) * Float(q)
    }
}
