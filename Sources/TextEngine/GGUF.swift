// GGUF (v2/v3) reader over a memory map: header, metadata of every value type, the tensor table,
// alignment and the data offset. Tensor bytes are not copied; `matrix(_:)` returns in-place views.
// Layout: "GGUF", u32 version, u64 tensor count, u64 metadata count, metadata (key, u32 type,
// value), tensor infos (name, u32 n_dims, u64 dims fastest-first, u32 type, u64 offset), padding
// to `general.alignment` (default 32), tensor data. Not a writer (tests build small files by hand).
import Numerics

/// A metadata value. Arrays hold their elements as values of the element type.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
    case float32(Float), bool(Bool), string(String), array([GGUFValue])
    case uint64(UInt64), int64(Int64), float64(Double)

    /// The value as an Int when it is any integer type.
    public var intValue: Int? {
        switch self {
        case .uint8(let v): Int(v)
        case .int8(let v): Int(v)
        case .uint16(let v): Int(v)
        case .int16(let v): Int(v)
        case .uint32(let v): Int(v)
        case .int32(let v): Int(v)
        case .uint64(let v): Int(exactly: v)
        case .int64(let v): Int(v)
        default: nil
        }
    }

    /// The value as a Double when it is a float (or an integer).
    public var doubleValue: Double? {
        switch self {
        case .float32(let v): Double(v)
        case .float64(let v): v
        default: intValue.map(Double.init)
        }
    }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var arrayValue: [GGUFValue]? { if case .array(let a) = self { a } else { nil } }
}

/// One entry of the tensor table.
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    /// Dimensions fastest-first (ggml ne0, ne1, …): a (576, 49152) tensor is 49,152 rows of 576.
    public let dims: [Int]
    /// ggml type id as stored.
    public let typeID: UInt32
    /// Byte offset from the start of the data section.
    public let offset: Int
    /// The element type, when this engine supports it.
    public var type: QuantType? { QuantType(rawValue: typeID) }
    /// The type, for a tensor the engine converts at load (LoadTimeConversion.swift).
    public var convertedType: ConvertedType? { ConvertedType(rawValue: typeID) }
    /// Bytes the tensor takes in the file, when its type is one the engine reads.
    public var byteCount: Int? { type?.byteCount(elementCount) ?? convertedType?.byteCount(elementCount) }
    public var elementCount: Int { dims.reduce(1, *) }
}

/// A parsed, memory-mapped GGUF file.
public final class GGUFFile: @unchecked Sendable {
    public let path: String
    public let version: UInt32
    /// Metadata in file order's key → value.
    public let metadata: [String: GGUFValue]
    public let tensors: [GGUFTensorInfo]
    /// Absolute byte offset where tensor data begins.
    public let dataOffset: Int
    public let alignment: Int
    let file: MappedFile
    private let index: [String: Int]

    /// Maps and parses `path`. Throws GGUFError for any malformed or truncated content.
    public convenience init(path: String) throws(GGUFError) {
        try self.init(file: MappedFile(path: path))
    }

    init(file: MappedFile) throws(GGUFError) {
        self.file = file
        path = file.path
        var r = GGUFCursor(base: file.bytes, count: file.count, path: path)
        let magic = try r.bytes(4, "magic")
        guard magic == Array("GGUF".utf8) else { throw .badMagic(path: path, found: magic) }
        version = try r.u32("version")
        guard version == 2 || version == 3 else { throw .unsupportedVersion(path: path, version: version) }
        let tensorCount = try r.u64("tensor count"), kvCount = try r.u64("metadata count")
        var meta: [String: GGUFValue] = [:]
        for _ in 0..<kvCount {
            let key = try r.string("metadata key")
            let type = try r.u32("type of '\(key)'")
            meta[key] = try r.value(type: type, key: key)
        }
        metadata = meta
        var infos: [GGUFTensorInfo] = []
        for _ in 0..<tensorCount {
            let name = try r.string("tensor name")
            let nDims = try r.u32("dimension count of '\(name)'")
            var dims: [Int] = []
            for _ in 0..<nDims { dims.append(try r.u64("dimensions of '\(name)'")) }
            let type = try r.u32("type of '\(name)'")
            let offset = try r.u64("offset of '\(name)'")
            infos.append(GGUFTensorInfo(name: name, dims: dims, typeID: type, offset: offset))
        }
        tensors = infos
        alignment = meta["general.alignment"]?.intValue ?? 32
        guard alignment > 0, alignment & (alignment - 1) == 0 else { throw .badAlignment(path: path, alignment: alignment) }
        dataOffset = (r.offset + alignment - 1) / alignment * alignment
        index = Dictionary(infos.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        for t in infos {
            guard let bytes = t.byteCount else { continue }  // reported when the tensor is used
            let end = dataOffset + t.offset + bytes
            if end > file.count { throw .tensorOutOfBounds(path: path, tensor: t.name, end: end, fileSize: file.count) }
        }
    }

    public func tensor(_ name: String) -> GGUFTensorInfo? { index[name].map { tensors[$0] } }

    // MARK: typed metadata access

    public func string(_ key: String) throws(GGUFError) -> String {
        guard let v = metadata[key] else { throw .missingKey(path: path, key: key) }
        guard let s = v.stringValue else { throw .wrongKeyType(path: path, key: key, expected: "a string") }
        return s
    }

    public func int(_ key: String) throws(GGUFError) -> Int {
        guard let v = metadata[key] else { throw .missingKey(path: path, key: key) }
        guard let i = v.intValue else { throw .wrongKeyType(path: path, key: key, expected: "an integer") }
        return i
    }

    public func double(_ key: String) throws(GGUFError) -> Double {
        guard let v = metadata[key] else { throw .missingKey(path: path, key: key) }
        guard let d = v.doubleValue else { throw .wrongKeyType(path: path, key: key, expected: "a number") }
        return d
    }

    public func strings(_ key: String) throws(GGUFError) -> [String] {
        guard let v = metadata[key] else { throw .missingKey(path: path, key: key) }
        guard let a = v.arrayValue else { throw .wrongKeyType(path: path, key: key, expected: "an array of strings") }
        var out: [String] = []
        out.reserveCapacity(a.count)
        for e in a {
            guard let s = e.stringValue else { throw .wrongKeyType(path: path, key: key, expected: "an array of strings") }
            out.append(s)
        }
        return out
    }

    public func ints(_ key: String) throws(GGUFError) -> [Int] {
        guard let v = metadata[key] else { throw .missingKey(path: path, key: key) }
        guard let a = v.arrayValue else { throw .wrongKeyType(path: path, key: key, expected: "an array of integers") }
        var out: [Int] = []
        out.reserveCapacity(a.count)
        for e in a {
            guard let i = e.intValue else { throw .wrongKeyType(path: path, key: key, expected: "an array of integers") }
            out.append(i)
        }
        return out
    }

    // MARK: tensor access

    /// A 2-D tensor as an in-place (rows = dims[1], cols = dims[0]) matrix view; `shape`, when given,
    /// is checked as [cols, rows] (GGUF order).
    public func matrix(_ name: String, shape: [Int]? = nil) throws(GGUFError) -> QuantMatrix {
        let (info, type) = try lookup(name, shape: shape)
        let cols = info.dims.first ?? 1, rows = info.elementCount / max(cols, 1)
        return QuantMatrix(type: type, rows: rows, cols: cols, base: tensorData(info))
    }

    /// A tensor's values as floats (for small tensors such as norm weights).
    public func floats(_ name: String, shape: [Int]? = nil) throws(GGUFError) -> [Float] {
        let (info, type) = try lookup(name, shape: shape)
        let n = info.elementCount
        return [Float](unsafeUninitializedCapacity: n) { buf, count in
            dequantize(type, tensorData(info), count: n, into: buf.baseAddress!)
            count = n
        }
    }

    /// Where a tensor's bytes start in the mapped file.
    func tensorData(_ info: GGUFTensorInfo) -> UnsafeRawPointer { file.bytes + dataOffset + info.offset }

    private func lookup(_ name: String, shape: [Int]?) throws(GGUFError) -> (GGUFTensorInfo, QuantType) {
        guard let info = tensor(name) else { throw .missingTensor(path: path, tensor: name) }
        guard let type = info.type else { throw .unsupportedTensorType(path: path, tensor: name, typeID: info.typeID) }
        if let shape, shape != info.dims { throw .badTensorShape(path: path, tensor: name, expected: shape, found: info.dims) }
        guard (info.dims.first ?? 1) % type.blockSize == 0 else {
            throw .badTensorShape(path: path, tensor: name, expected: [type.blockSize], found: info.dims)
        }
        return (info, type)
    }
}

/// Bounds-checked little-endian reads from the mapped header.
struct GGUFCursor {
    let base: UnsafeRawPointer
    let count: Int
    let path: String
    var offset = 0

    private mutating func take(_ n: Int, _ what: @autoclosure () -> String) throws(GGUFError) -> UnsafeRawPointer {
        guard n >= 0, n <= count - offset else {
            throw .truncated(path: path, offset: offset, needed: n - (count - offset), what: what())
        }
        defer { offset += n }
        return base + offset
    }

    mutating func bytes(_ n: Int, _ what: String) throws(GGUFError) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: try take(n, what), count: n))
    }

    mutating func load<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(GGUFError) -> T {
        T(littleEndian: try take(MemoryLayout<T>.size, what()).loadUnaligned(as: T.self))
    }

    mutating func u32(_ what: @autoclosure () -> String) throws(GGUFError) -> UInt32 { try load(UInt32.self, what()) }

    /// A u64 count or size that must fit comfortably in memory.
    mutating func u64(_ what: @autoclosure () -> String) throws(GGUFError) -> Int {
        let at = offset
        let v = try load(UInt64.self, what())
        guard v <= UInt64(count) * 64 else { throw .truncated(path: path, offset: at, needed: Int(clamping: v), what: what()) }
        return Int(v)
    }

    mutating func string(_ what: @autoclosure () -> String) throws(GGUFError) -> String {
        let n = try u64(what())
        return String(decoding: UnsafeRawBufferPointer(start: try take(n, what()), count: n), as: UTF8.self)
    }

    mutating func value(type: UInt32, key: String) throws(GGUFError) -> GGUFValue {
        let what = "value of '\(key)'"
        switch type {
        case 0: return .uint8(try load(UInt8.self, what))
        case 1: return .int8(try load(Int8.self, what))
        case 2: return .uint16(try load(UInt16.self, what))
        case 3: return .int16(try load(Int16.self, what))
        case 4: return .uint32(try load(UInt32.self, what))
        case 5: return .int32(try load(Int32.self, what))
        case 6: return .float32(Float(bitPattern: try load(UInt32.self, what)))
        case 7: return .bool(try load(UInt8.self, what) != 0)
        case 8: return .string(try string(what))
        case 9:
            let elementType = try u32(what)
            let n = try u64(what)
            var values: [GGUFValue] = []
            values.reserveCapacity(n)
            for _ in 0..<n { values.append(try value(type: elementType, key: key)) }
            return .array(values)
        case 10: return .uint64(try load(UInt64.self, what))
        case 11: return .int64(try load(Int64.self, what))
        case 12: return .float64(Double(bitPattern: try load(UInt64.self, what)))
        default: throw .badValueType(path: path, key: key, typeID: type)
        }
    }
}
