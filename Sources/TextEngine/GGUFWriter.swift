// Writing GGUF files, for the custom models the trainer makes: a streaming GGUF v3 writer (metadata
// of every value type, tensor table, 32-byte aligned data), F32/F16/Q8_0 encoders, the LoRA merge
// W + s·B·A, a copy of a model with some tensors replaced, and SHA-256 of a model file (a custom
// model records its base's hash). It decides no file names and does not write atomically: callers
// pass a sink (the platform writes through Workspace.AtomicFile). The reader is GGUF.swift.
import Numerics

/// Problems writing a GGUF file.
public enum GGUFWriteError: Error, Equatable, CustomStringConvertible {
    case wrongByteCount(tensor: String, expected: Int, found: Int)
    case unsupportedEncoding(tensor: String, type: String)
    case badShape(tensor: String, reason: String)

    public var description: String {
        switch self {
        case let .wrongByteCount(t, e, f): "tensor '\(t)' has \(f) bytes of data; its table entry needs \(e)"
        case let .unsupportedEncoding(t, type): "tensor '\(t)': writing \(type) is not supported (F32, F16 and Q8_0 are)"
        case let .badShape(t, reason): "tensor '\(t)': \(reason)"
        }
    }
}

/// One entry of the tensor table to write.
public struct GGUFTensorRecord: Sendable, Equatable {
    public let name: String
    /// Dimensions fastest-first, as in the file (a (rows, cols) matrix is [cols, rows]).
    public let dims: [Int]
    public let type: QuantType
    public init(name: String, dims: [Int], type: QuantType) { self.name = name; self.dims = dims; self.type = type }
    public var elementCount: Int { dims.reduce(1, *) }
    public var byteCount: Int { type.byteCount(elementCount) }
}

/// A GGUF v3 writer. Tensor data is asked for one tensor at a time, so a model never needs a second
/// copy in memory.
public enum GGUFWriter {
    /// Data alignment (GGUF's default; `general.alignment` is therefore never written).
    public static let alignment = 32

    /// Writes the header, `metadata` in the given order, the table of `tensors`, then each tensor's
    /// bytes as `data(index)` returns them. `sink` receives the file in pieces, in order.
    public static func write(metadata: [(String, GGUFValue)], tensors: [GGUFTensorRecord],
                             data: (Int) throws -> [UInt8], to sink: ([UInt8]) throws -> Void) throws {
        var head: [UInt8] = Array("GGUF".utf8)
        put(UInt32(3), &head)
        put(UInt64(tensors.count), &head)
        let meta = metadata.filter { $0.0 != "general.alignment" }
        put(UInt64(meta.count), &head)
        for (key, value) in meta {
            putString(key, &head)
            put(typeID(value), &head)
            putValue(value, &head)
        }
        var offset = 0
        for t in tensors {
            guard t.dims.first.map({ $0 % t.type.blockSize == 0 }) ?? false else {
                throw GGUFWriteError.badShape(tensor: t.name, reason: "first dimension is not a multiple of \(t.type.name)'s block")
            }
            putString(t.name, &head)
            put(UInt32(t.dims.count), &head)
            for d in t.dims { put(UInt64(d), &head) }
            put(t.type.rawValue, &head)
            put(UInt64(offset), &head)
            offset = padded(offset + t.byteCount)
        }
        head += [UInt8](repeating: 0, count: padded(head.count) - head.count)
        try sink(head)
        for (i, t) in tensors.enumerated() {
            let bytes = try data(i)
            guard bytes.count == t.byteCount else {
                throw GGUFWriteError.wrongByteCount(tensor: t.name, expected: t.byteCount, found: bytes.count)
            }
            try sink(bytes)
            let pad = padded(bytes.count) - bytes.count
            if pad > 0 && i < tensors.count - 1 { try sink([UInt8](repeating: 0, count: pad)) }
        }
    }

    static func padded(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }

    private static func put<I: FixedWidthInteger>(_ v: I, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out += $0 }
    }

    private static func putString(_ s: String, _ out: inout [UInt8]) {
        let bytes = Array(s.utf8)
        put(UInt64(bytes.count), &out)
        out += bytes
    }

    private static func typeID(_ v: GGUFValue) -> UInt32 {
        switch v {
        case .uint8: 0
        case .int8: 1
        case .uint16: 2
        case .int16: 3
        case .uint32: 4
        case .int32: 5
        case .float32: 6
        case .bool: 7
        case .string: 8
        case .array: 9
        case .uint64: 10
        case .int64: 11
        case .float64: 12
        }
    }

    private static func putValue(_ v: GGUFValue, _ out: inout [UInt8]) {
        switch v {
        case .uint8(let x): put(x, &out)
        case .int8(let x): put(x, &out)
        case .uint16(let x): put(x, &out)
        case .int16(let x): put(x, &out)
        case .uint32(let x): put(x, &out)
        case .int32(let x): put(x, &out)
        case .float32(let x): put(x.bitPattern, &out)
        case .bool(let x): put(UInt8(x ? 1 : 0), &out)
        case .string(let s): putString(s, &out)
        case .uint64(let x): put(x, &out)
        case .int64(let x): put(x, &out)
        case .float64(let x): put(x.bitPattern, &out)
        case .array(let items):
            // An empty array is written as an empty array of uint8 (its element type is unknowable).
            put(items.first.map(typeID) ?? 0, &out)
            put(UInt64(items.count), &out)
            for item in items { putValue(item, &out) }
        }
    }
}

/// Floats → the bytes of a GGUF tensor.
public enum TensorEncoding {
    /// `values` encoded as F32, F16 or Q8_0 (ggml's layouts: Q8_0 is an f16 scale and 32 int8 per block).
    public static func bytes(_ values: [Float], as type: QuantType, tensor: String = "") throws -> [UInt8] {
        switch type {
        case .f32:
            return values.withUnsafeBytes { Array($0) }
        case .f16:
            var out = [UInt8](repeating: 0, count: 2 * values.count)
            for (i, v) in values.enumerated() {
                let h = halfBits(v)
                out[2 * i] = UInt8(h & 0xFF); out[2 * i + 1] = UInt8(h >> 8)
            }
            return out
        case .q8_0:
            guard values.count % 32 == 0 else {
                throw GGUFWriteError.badShape(tensor: tensor, reason: "\(values.count) values do not fill Q8_0 blocks of 32")
            }
            var out = [UInt8](repeating: 0, count: values.count / 32 * 34)
            for b in 0..<values.count / 32 {
                var amax: Float = 0
                for j in 0..<32 { amax = max(amax, abs(values[b * 32 + j])) }
                let d = amax / 127, inv: Float = d > 0 ? 1 / d : 0
                let h = halfBits(d)
                out[b * 34] = UInt8(h & 0xFF); out[b * 34 + 1] = UInt8(h >> 8)
                for j in 0..<32 {
                    let q = Int8(max(-127, min(127, (values[b * 32 + j] * inv).rounded())))
                    out[b * 34 + 2 + j] = UInt8(bitPattern: q)
                }
            }
            return out
        case .q4_0, .q4_1:
            throw GGUFWriteError.unsupportedEncoding(tensor: tensor, type: type.name)
        }
    }
}

/// Low-rank adapters folded into a weight matrix (Hu et al. 2021).
public enum LoRAMerge {
    /// w (out, in) += scale · b (out, rank) · a (rank, in), row by row.
    public static func merge(into w: inout [Float], a: [Float], b: [Float], rank: Int, scale: Float) {
        let inDim = a.count / rank, outDim = b.count / rank
        precondition(w.count == outDim * inDim, "LoRA shapes: w \(w.count) values, a (\(rank), \(inDim)), b (\(outDim), \(rank))")
        w.withUnsafeMutableBufferPointer { wp in
            a.withUnsafeBufferPointer { ap in
                for o in 0..<outDim {
                    let row = wp.baseAddress! + o * inDim
                    for j in 0..<rank {
                        let s = scale * b[o * rank + j]
                        let arow = ap.baseAddress! + j * inDim
                        for i in 0..<inDim { row[i] += s * arow[i] }
                    }
                }
            }
        }
    }
}

extension GGUFFile {
    /// Writes a copy of this model: the same metadata (plus `extraMetadata`) and tensor table, with
    /// every tensor `replaces` selects written from `values(name)` — 2-D tensors encoded as `type`,
    /// 1-D ones as F32 — and every other tensor copied byte for byte.
    public func writeCopy(replacing replaces: (String) -> Bool, values: (String) throws -> [Float],
                          as type: QuantType, extraMetadata: [(String, GGUFValue)] = [],
                          to sink: ([UInt8]) throws -> Void) throws {
        let extraKeys = Set(extraMetadata.map(\.0))
        let meta = metadata.keys.sorted().filter { !extraKeys.contains($0) }.map { ($0, metadata[$0]!) } + extraMetadata
        var records: [GGUFTensorRecord] = []
        for t in tensors {
            guard let original = t.type else { throw GGUFError.unsupportedTensorType(path: path, tensor: t.name, typeID: t.typeID) }
            let newType = replaces(t.name) ? (t.dims.count >= 2 ? type : .f32) : original
            records.append(GGUFTensorRecord(name: t.name, dims: t.dims, type: newType))
        }
        try GGUFWriter.write(metadata: meta, tensors: records, data: { i in
            let t = tensors[i]
            if replaces(t.name) {
                let v = try values(t.name)
                guard v.count == t.elementCount else {
                    throw GGUFWriteError.wrongByteCount(tensor: t.name, expected: t.elementCount, found: v.count)
                }
                return try TensorEncoding.bytes(v, as: records[i].type, tensor: t.name)
            }
            return Array(UnsafeRawBufferPointer(start: file.bytes + dataOffset + t.offset, count: records[i].byteCount))
        }, to: sink)
    }
}

/// SHA-256 (FIPS 180-4) of a whole file, as lowercase hex: the identity a custom model keeps of its base.
public func sha256Hex(ofFile path: String) throws -> String {
    let file = try MappedFile(path: path)
    var h = SHA256State()
    h.update(UnsafeRawBufferPointer(start: file.bytes, count: file.count))
    return h.finish()
}

/// SHA-256 of bytes in memory.
public func sha256Hex(_ bytes: [UInt8]) -> String {
    var h = SHA256State()
    bytes.withUnsafeBytes { h.update($0) }
    return h.finish()
}

struct SHA256State {
    private var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        var i = 0
        if !buffer.isEmpty {
            while i < bytes.count && buffer.count < 64 { buffer.append(bytes[i]); i += 1 }
            if buffer.count == 64 { buffer.withUnsafeBytes { block($0.baseAddress!) }; buffer.removeAll(keepingCapacity: true) }
        }
        while i + 64 <= bytes.count { block(bytes.baseAddress! + i); i += 64 }
        while i < bytes.count { buffer.append(bytes[i]); i += 1 }
    }

    mutating func finish() -> String {
        let bits = length &* 8
        var tail: [UInt8] = [0x80]
        while (buffer.count + tail.count) % 64 != 56 { tail.append(0) }
        for s in stride(from: 56, through: 0, by: -8) { tail.append(UInt8((bits >> UInt64(s)) & 0xFF)) }
        let saved = length
        tail.withUnsafeBytes { update($0) }
        length = saved
        return h.map { word in
            let s = String(word, radix: 16)
            return String(repeating: "0", count: 8 - s.count) + s
        }.joined()
    }

    private mutating func block(_ p: UnsafeRawPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for t in 0..<16 { w[t] = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self)) }
            for t in 16..<64 {
                let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7]
            for t in 0..<64 {
                let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ Self.k[t] &+ w[t]
                let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
                hh = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
        }
    }

    @inline(__always) private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}
