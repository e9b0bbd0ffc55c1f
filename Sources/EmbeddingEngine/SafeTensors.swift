// safetensors reader: memory-maps a file, validates its header (length, JSON, dtype, shape against
// byte range, ranges inside the data section, no overlaps) and hands out zero-copy tensor views.
// It is not a writer and does not convert dtypes other than F32/I64 (other dtypes are listed and
// validated but only viewable as raw bytes). Format: u64 LE header length, JSON header, data.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Element types of the safetensors format with their sizes in bytes.
public enum SafeTensorsDType: String, Sendable, CaseIterable {
    case bool = "BOOL", u8 = "U8", i8 = "I8", f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3"
    case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
    case i32 = "I32", u32 = "U32", f32 = "F32"
    case i64 = "I64", u64 = "U64", f64 = "F64"

    public var byteSize: Int {
        switch self {
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3: return 1
        case .i16, .u16, .f16, .bf16: return 2
        case .i32, .u32, .f32: return 4
        case .i64, .u64, .f64: return 8
        }
    }
}

/// Everything that can be wrong with a safetensors file; each case says where and what was expected.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible, Sendable {
    case cannotOpen(path: String, reason: String)
    case fileTooSmall(path: String, size: Int)
    case headerLengthOutOfRange(path: String, headerLength: UInt64, fileSize: Int)
    case headerNotJSON(path: String, reason: String)
    case headerNotObject(path: String)
    case entryNotObject(path: String, tensor: String)
    case missingField(path: String, tensor: String, field: String)
    case badField(path: String, tensor: String, field: String, expected: String)
    case unknownDType(path: String, tensor: String, dtype: String)
    case sizeMismatch(path: String, tensor: String, shape: [Int], dtype: String, expectedBytes: Int, actualBytes: Int)
    case rangeOutsideData(path: String, tensor: String, range: [Int], dataSize: Int)
    case overlap(path: String, tensor: String, other: String)
    case noSuchTensor(path: String, name: String)
    case wrongDType(path: String, tensor: String, expected: String, actual: String)
    case wrongShape(path: String, tensor: String, expected: [Int], actual: [Int])
    case misaligned(path: String, tensor: String, offset: Int, alignment: Int)

    public var description: String {
        switch self {
        case let .cannotOpen(p, r): return "\(p): cannot open safetensors file: \(r)"
        case let .fileTooSmall(p, s): return "\(p): file is \(s) bytes, too small for the 8-byte header length"
        case let .headerLengthOutOfRange(p, n, s):
            let limit = min(max(0, s - 8), SafeTensorsFile.maxHeaderLength)
            return "\(p): header length \(n) is out of range (file is \(s) bytes; must be at most \(limit))"
        case let .headerNotJSON(p, r): return "\(p): header is not valid JSON: \(r)"
        case let .headerNotObject(p): return "\(p): header must be a JSON object of tensor name -> entry"
        case let .entryNotObject(p, t): return "\(p): tensor '\(t)': entry must be a JSON object"
        case let .missingField(p, t, f): return "\(p): tensor '\(t)': missing field '\(f)'"
        case let .badField(p, t, f, e): return "\(p): tensor '\(t)': field '\(f)' must be \(e)"
        case let .unknownDType(p, t, d):
            let known = SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(p): tensor '\(t)': unknown dtype '\(d)' (expected one of \(known))"
        case let .sizeMismatch(p, t, shape, d, e, a):
            return "\(p): tensor '\(t)': shape \(shape) of \(d) needs \(e) bytes but data_offsets span \(a)"
        case let .rangeOutsideData(p, t, r, s):
            return "\(p): tensor '\(t)': data_offsets \(r) outside the data section of \(s) bytes"
        case let .overlap(p, t, o): return "\(p): tensor '\(t)': data overlaps tensor '\(o)'"
        case let .noSuchTensor(p, n): return "\(p): no tensor named '\(n)'"
        case let .wrongDType(p, t, e, a): return "\(p): tensor '\(t)': expected dtype \(e), found \(a)"
        case let .wrongShape(p, t, e, a): return "\(p): tensor '\(t)': expected shape \(e), found \(a)"
        case let .misaligned(p, t, o, a):
            return "\(p): tensor '\(t)': data at file offset \(o) is not \(a)-byte aligned for a zero-copy view"
        }
    }
}

/// A read-only memory mapping that lives as long as any view into it.
final class MappedFile: @unchecked Sendable {   // immutable after init; the mapping is read-only
    let base: UnsafeRawPointer
    let count: Int

    init(path: String) throws(SafeTensorsError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        count = Int(st.st_size)
        guard count > 0 else { throw .fileTooSmall(path: path, size: 0) }
        guard let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw .cannotOpen(path: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(p)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), count) }
}

/// One tensor's header entry: dtype, shape and its byte range relative to the data section.
public struct SafeTensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: SafeTensorsDType
    public let shape: [Int]
    public let byteRange: Range<Int>
    public var elementCount: Int { shape.reduce(1, *) }
}

/// A zero-copy view of one tensor; it keeps the file mapped while alive.
public struct TensorView: @unchecked Sendable {   // points into a read-only mapping kept alive by `file`
    public let info: SafeTensorInfo
    let file: MappedFile
    let pointer: UnsafeRawPointer

    /// The raw bytes of the tensor.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: pointer, count: info.byteRange.count) }
}

/// A validated, memory-mapped safetensors file.
public struct SafeTensorsFile: Sendable {
    /// The format's own cap on the JSON header (the reference Rust reader refuses larger ones).
    public static let maxHeaderLength = 100_000_000
    public let path: String
    public let tensors: [String: SafeTensorInfo]
    public let metadata: [String: String]
    let file: MappedFile
    let dataStart: Int

    /// Maps `path` and validates its whole header; throws `SafeTensorsError` naming the bad tensor/field.
    public init(path: String) throws(SafeTensorsError) {
        self.path = path
        file = try MappedFile(path: path)
        guard file.count >= 8 else { throw .fileTooSmall(path: path, size: file.count) }
        let n = UInt64(littleEndian: file.base.loadUnaligned(as: UInt64.self))
        guard n <= UInt64(min(file.count - 8, Self.maxHeaderLength)) else {
            throw .headerLengthOutOfRange(path: path, headerLength: n, fileSize: file.count)
        }
        dataStart = 8 + Int(n)
        let header = Data(bytes: file.base + 8, count: Int(n))
        let parsed = try SafeTensorsHeader.parse(header, path: path, dataSize: file.count - dataStart)
        tensors = parsed.tensors
        metadata = parsed.metadata
    }

    /// Tensor names in file order (by data offset).
    public var names: [String] { tensors.values.sorted { $0.byteRange.lowerBound < $1.byteRange.lowerBound }.map(\.name) }

    /// A raw zero-copy view of tensor `name`.
    public func view(_ name: String) throws(SafeTensorsError) -> TensorView {
        guard let info = tensors[name] else { throw .noSuchTensor(path: path, name: name) }
        return TensorView(info: info, file: file, pointer: file.base + dataStart + info.byteRange.lowerBound)
    }

    /// A zero-copy F32 view; checks dtype, optional shape and alignment. The pointer is valid only
    /// while this file value (or a copy of it) is alive: keep the file next to the view.
    public func floats(_ name: String, shape: [Int]? = nil) throws(SafeTensorsError) -> UnsafeBufferPointer<Float> {
        let v = try typedView(name, dtype: .f32, shape: shape, alignment: MemoryLayout<Float>.alignment)
        return UnsafeBufferPointer(start: v.pointer.assumingMemoryBound(to: Float.self), count: v.info.elementCount)
    }

    /// A zero-copy I64 view; checks dtype, optional shape and alignment (lifetime as for `floats`).
    public func int64s(_ name: String, shape: [Int]? = nil) throws(SafeTensorsError) -> UnsafeBufferPointer<Int64> {
        let v = try typedView(name, dtype: .i64, shape: shape, alignment: MemoryLayout<Int64>.alignment)
        return UnsafeBufferPointer(start: v.pointer.assumingMemoryBound(to: Int64.self), count: v.info.elementCount)
    }

    private func typedView(_ name: String, dtype: SafeTensorsDType, shape: [Int]?, alignment: Int)
        throws(SafeTensorsError) -> TensorView {
        let v = try view(name)
        guard v.info.dtype == dtype else {
            throw .wrongDType(path: path, tensor: name, expected: dtype.rawValue, actual: v.info.dtype.rawValue)
        }
        if let shape, shape != v.info.shape { throw .wrongShape(path: path, tensor: name, expected: shape, actual: v.info.shape) }
        let offset = dataStart + v.info.byteRange.lowerBound
        guard Int(bitPattern: v.pointer) % alignment == 0 else {
            throw .misaligned(path: path, tensor: name, offset: offset, alignment: alignment)
        }
        return v
    }
}

/// Header JSON validation, kept apart from the mapping so each rule reads on its own.
enum SafeTensorsHeader {
    static func parse(_ json: Data, path: String, dataSize: Int) throws(SafeTensorsError)
        -> (tensors: [String: SafeTensorInfo], metadata: [String: String]) {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: json) } catch {
            throw .headerNotJSON(path: path, reason: "\(error.localizedDescription)")
        }
        guard let dict = object as? [String: Any] else { throw .headerNotObject(path: path) }
        var tensors: [String: SafeTensorInfo] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in dict {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else {
                    throw .badField(path: path, tensor: name, field: "__metadata__", expected: "an object of strings")
                }
                for (k, v) in m {
                    guard let s = v as? String else {
                        throw .badField(path: path, tensor: name, field: k, expected: "a string")
                    }
                    metadata[k] = s
                }
                continue
            }
            tensors[name] = try entry(name, value, path: path, dataSize: dataSize)
        }
        try checkOverlaps(tensors, path: path)
        return (tensors, metadata)
    }

    private static func entry(_ name: String, _ value: Any, path: String, dataSize: Int) throws(SafeTensorsError)
        -> SafeTensorInfo {
        guard let e = value as? [String: Any] else { throw .entryNotObject(path: path, tensor: name) }
        guard let rawType = e["dtype"] else { throw .missingField(path: path, tensor: name, field: "dtype") }
        guard let typeName = rawType as? String else {
            throw .badField(path: path, tensor: name, field: "dtype", expected: "a string")
        }
        guard let dtype = SafeTensorsDType(rawValue: typeName) else {
            throw .unknownDType(path: path, tensor: name, dtype: typeName)
        }
        let shape = try intArray(e, "shape", name, path: path, count: nil)
        let offsets = try intArray(e, "data_offsets", name, path: path, count: 2)
        guard offsets[0] <= offsets[1] else {
            throw .badField(path: path, tensor: name, field: "data_offsets", expected: "[begin, end] with begin <= end")
        }
        guard offsets[1] <= dataSize else {
            throw .rangeOutsideData(path: path, tensor: name, range: offsets, dataSize: dataSize)
        }
        let (elements, overflow) = shape.reduce((1, false)) { acc, d in
            let (m, o) = acc.0.multipliedReportingOverflow(by: d)
            return (m, acc.1 || o)
        }
        let (bytes, o2) = elements.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, !o2, bytes == offsets[1] - offsets[0] else {
            throw .sizeMismatch(path: path, tensor: name, shape: shape, dtype: typeName,
                                expectedBytes: overflow || o2 ? Int.max : bytes, actualBytes: offsets[1] - offsets[0])
        }
        return SafeTensorInfo(name: name, dtype: dtype, shape: shape, byteRange: offsets[0]..<offsets[1])
    }

    /// Reads an array of non-negative integers; JSON numbers with a fraction or sign are rejected.
    private static func intArray(_ e: [String: Any], _ field: String, _ name: String, path: String, count: Int?)
        throws(SafeTensorsError) -> [Int] {
        let expected = count.map { "an array of \($0) non-negative integers" } ?? "an array of non-negative integers"
        guard let raw = e[field] else { throw .missingField(path: path, tensor: name, field: field) }
        guard let items = raw as? [Any], count == nil || items.count == count else {
            throw .badField(path: path, tensor: name, field: field, expected: expected)
        }
        var out: [Int] = []
        for item in items {
            guard !(item is String), let d = item as? Double, d >= 0, d == d.rounded(),
                  d < 9.0e15, let i = item as? Int else {
                throw .badField(path: path, tensor: name, field: field, expected: expected)
            }
            out.append(i)
        }
        return out
    }

    private static func checkOverlaps(_ tensors: [String: SafeTensorInfo], path: String) throws(SafeTensorsError) {
        let sorted = tensors.values.filter { !$0.byteRange.isEmpty }
            .sorted { ($0.byteRange.lowerBound, $0.name) < ($1.byteRange.lowerBound, $1.name) }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.byteRange.lowerBound < a.byteRange.upperBound {
            throw .overlap(path: path, tensor: b.name, other: a.name)
        }
    }
}
