// Writing GGUF files, for the custom models the trainer makes: a streaming GGUF v3 writer (metadata
// of every value type, tensor table, 32-byte aligned data), F32/F16/Q8_0 encoders, the LoRA merge
// W + s·B·A, a copy of a model with some tensors replaced, and SHA-256 of a model file (a custom
// model records its base's hash). It decides no file names and does not write atomically: callers
// pass a sink (the platform writes through Workspace.AtomicFile). The reader is GGUF.swift.
import Basics
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
    /// The ggml type id written to the table.
    public let typeID: UInt32
    let blockSize: Int, blockBytes: Int, typeName: String

    public init(name: String, dims: [Int], type: QuantType) {
        self.name = name; self.dims = dims; typeID = type.rawValue
        blockSize = type.blockSize; blockBytes = type.blockBytes; typeName = type.name
    }

    /// A tensor in a type the engine converts at load (Q5_0, Q5_1, K-quants), whose bytes the caller encodes.
    public init(name: String, dims: [Int], converted: ConvertedType) {
        self.name = name; self.dims = dims; typeID = converted.rawValue
        blockSize = converted.blockSize; blockBytes = converted.blockBytes; typeName = converted.name
    }

    /// The type the kernels run, when it is one.
    public var type: QuantType? { QuantType(rawValue: typeID) }
    public var elementCount: Int { dims.reduce(1, *) }
    public var byteCount: Int { elementCount / blockSize * blockBytes }
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
            guard t.dims.first.map({ $0 % t.blockSize == 0 }) ?? false else {
                throw GGUFWriteError.badShape(tensor: t.name, reason: "first dimension is not a multiple of \(t.typeName)'s block")
            }
            putString(t.name, &head)
            put(UInt32(t.dims.count), &head)
            for d in t.dims { put(UInt64(d), &head) }
            put(t.typeID, &head)
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
            values.withUnsafeBufferPointer { v in
                out.withUnsafeMutableBytes { encodeQ8_0(v.baseAddress!, count: values.count, into: $0.baseAddress!) }
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
        var records: [GGUFTensorRecord] = [], newTypes: [QuantType] = []
        for t in tensors {
            guard let original = t.type else { throw GGUFError.unsupportedTensorType(path: path, tensor: t.name, typeID: t.typeID) }
            let newType = replaces(t.name) ? (t.dims.count >= 2 ? type : .f32) : original
            records.append(GGUFTensorRecord(name: t.name, dims: t.dims, type: newType))
            newTypes.append(newType)
        }
        try GGUFWriter.write(metadata: meta, tensors: records, data: { i in
            let t = tensors[i]
            if replaces(t.name) {
                let v = try values(t.name)
                guard v.count == t.elementCount else {
                    throw GGUFWriteError.wrongByteCount(tensor: t.name, expected: t.elementCount, found: v.count)
                }
                return try TensorEncoding.bytes(v, as: newTypes[i], tensor: t.name)
            }
            return Array(UnsafeRawBufferPointer(start: file.bytes + dataOffset + t.offset, count: records[i].byteCount))
        }, to: sink)
    }
}

/// SHA-256 (FIPS 180-4) of a whole file, as lowercase hex: the identity a custom model keeps of its base.
public func sha256Hex(ofFile path: String) throws -> String {
    let file = try MappedFile(path: path)
    var h = SHA256()
    h.update(UnsafeRawBufferPointer(start: file.bytes, count: file.count))
    return hexString(h.finalize())
}
