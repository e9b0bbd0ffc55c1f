// safetensors reader tests: small files written here byte by byte (a valid one read back zero-copy,
// then one malformed file per validation rule, each checked for the exact error case), and the real
// model file's header.

import Foundation
import Testing
@testable import EmbeddingEngine

/// Writes `header` (JSON text, padded with spaces to 8 bytes) and `data` as a safetensors file.
func writeSafeTensors(_ header: String, data: [UInt8], in dir: URL, name: String = "t.safetensors",
                      headerLength: UInt64? = nil) throws -> String {
    var json = Array(header.utf8)
    while json.count % 8 != 0 { json.append(0x20) }
    var bytes: [UInt8] = []
    withUnsafeBytes(of: (headerLength ?? UInt64(json.count)).littleEndian) { bytes += $0 }
    bytes += json + data
    let path = dir.appendingPathComponent(name).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

func floatBytes(_ v: [Float]) -> [UInt8] { v.withUnsafeBytes { Array($0) } }

@Suite struct SafeTensorsTests {
    let dir: URL
    init() throws { dir = try temporaryDirectory() }

    @Test func readsF32AndI64ZeroCopyWithMetadata() throws {
        let header = #"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"#
            + #""ids":{"dtype":"I64","shape":[2],"data_offsets":[24,40]},"e":{"dtype":"F32","shape":[0],"data_offsets":[40,40]}}"#
        var data = floatBytes([1, 2, 3, -4.5, 5, 6])
        withUnsafeBytes(of: Int64(7).littleEndian) { data += $0 }
        withUnsafeBytes(of: Int64(-9).littleEndian) { data += $0 }
        let f = try SafeTensorsFile(path: try writeSafeTensors(header, data: data, in: dir))
        #expect(f.metadata == ["format": "pt"])
        #expect(f.names == ["w", "ids", "e"])
        #expect(Array(try f.floats("w", shape: [2, 3])) == [1, 2, 3, -4.5, 5, 6])
        #expect(Array(try f.int64s("ids")) == [7, -9])
        #expect(try f.floats("e").isEmpty)
        let view = try f.view("w")
        #expect(view.info.dtype == .f32 && view.bytes.count == 24)
    }

    @Test func lookupErrorsNameTheTensor() throws {
        let p = try writeSafeTensors(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
                                     data: floatBytes([1, 2]), in: dir)
        let f = try SafeTensorsFile(path: p)
        #expect(throws: SafeTensorsError.noSuchTensor(path: p, name: "v")) { try f.floats("v") }
        #expect(throws: SafeTensorsError.wrongDType(path: p, tensor: "w", expected: "I64", actual: "F32")) { try f.int64s("w") }
        #expect(throws: SafeTensorsError.wrongShape(path: p, tensor: "w", expected: [1, 2], actual: [2])) {
            try f.floats("w", shape: [1, 2])
        }
    }

    @Test func misalignedDataIsReportedNotMisread() throws {
        let header = #"{"b":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"w":{"dtype":"F32","shape":[1],"data_offsets":[1,5]}}"#
        let p = try writeSafeTensors(header, data: [9] + floatBytes([3]), in: dir)
        let f = try SafeTensorsFile(path: p)
        #expect(throws: SafeTensorsError.self) { try f.floats("w") }
        do { _ = try f.floats("w") } catch { #expect(error.description.contains("'w'") && error.description.contains("aligned")) }
    }

    /// (name, header JSON, data bytes, expected error built from the file's path)
    static let malformed: [(String, String, Int, @Sendable (String) -> SafeTensorsError)] = [
        ("not JSON", #"{"w": {"dtype": "F32""#, 0, { .headerNotJSON(path: $0, reason: "") }),
        ("not an object", #"[1, 2]"#, 0, { .headerNotObject(path: $0) }),
        ("entry not object", #"{"w": 3}"#, 0, { .entryNotObject(path: $0, tensor: "w") }),
        ("missing dtype", #"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, 4,
         { .missingField(path: $0, tensor: "w", field: "dtype") }),
        ("unknown dtype", #"{"w":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}"#, 4,
         { .unknownDType(path: $0, tensor: "w", dtype: "F33") }),
        ("missing shape", #"{"w":{"dtype":"F32","data_offsets":[0,4]}}"#, 4,
         { .missingField(path: $0, tensor: "w", field: "shape") }),
        ("negative dim", #"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, 4,
         { .badField(path: $0, tensor: "w", field: "shape", expected: "an array of non-negative integers") }),
        ("fractional offset", #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4.5]}}"#, 8,
         { .badField(path: $0, tensor: "w", field: "data_offsets", expected: "an array of 2 non-negative integers") }),
        ("three offsets", #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}"#, 8,
         { .badField(path: $0, tensor: "w", field: "data_offsets", expected: "an array of 2 non-negative integers") }),
        ("reversed offsets", #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}"#, 4,
         { .badField(path: $0, tensor: "w", field: "data_offsets", expected: "[begin, end] with begin <= end") }),
        ("shape vs bytes", #"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}"#, 12,
         { .sizeMismatch(path: $0, tensor: "w", shape: [2, 2], dtype: "F32", expectedBytes: 16, actualBytes: 12) }),
        ("past the end", #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, 4,
         { .rangeOutsideData(path: $0, tensor: "w", range: [0, 8], dataSize: 4) }),
        ("overlap", #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, 12,
         { .overlap(path: $0, tensor: "b", other: "a") }),
        ("bad metadata", #"{"__metadata__":{"k":1}}"#, 0,
         { .badField(path: $0, tensor: "__metadata__", field: "k", expected: "a string") }),
    ]

    @Test(arguments: malformed.indices)
    func malformedHeaderGivesItsOwnError(_ i: Int) throws {
        let (name, header, size, expected) = Self.malformed[i]
        let p = try writeSafeTensors(header, data: [UInt8](repeating: 0, count: size), in: dir, name: "m\(i).safetensors")
        do {
            _ = try SafeTensorsFile(path: p)
            Issue.record("\(name): accepted a malformed file")
        } catch {
            if case .headerNotJSON = error, case .headerNotJSON = expected(p) { return }   // parser wording varies
            #expect(error == expected(p), "\(name): \(error)")
        }
    }

    @Test func truncatedFilesAreRejected() throws {
        let tiny = dir.appendingPathComponent("tiny.safetensors").path
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: tiny))
        #expect(throws: SafeTensorsError.fileTooSmall(path: tiny, size: 3)) { try SafeTensorsFile(path: tiny) }
        let p = try writeSafeTensors("{}", data: [], in: dir, headerLength: 1_000_000)
        #expect(throws: SafeTensorsError.headerLengthOutOfRange(path: p, headerLength: 1_000_000, fileSize: 16)) {
            try SafeTensorsFile(path: p)
        }
        let missing = dir.appendingPathComponent("none.safetensors").path
        #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(path: missing) }
    }

    @Test func realModelHeader() throws {
        let f = try SafeTensorsFile(path: ModelFiles.defaultLocation().weights)
        #expect(try f.floats("embeddings.word_embeddings.weight").count == 30522 * 384)
        let positions = try f.int64s("embeddings.position_ids")
        #expect(positions.count == 512 && positions[0] == 0 && positions[511] == 511)
    }
}
