// The GGUF reader on small files written by the test itself: every metadata value type, the tensor
// table and alignment, in-place tensor views, and each error case (bad magic, version, truncation,
// unknown value type, unsupported tensor type, out-of-bounds tensor, unsupported architecture).
import Foundation
import Testing
import Numerics
@testable import TextEngine

/// Builds GGUF bytes by hand (little-endian), the way llama.cpp's writer lays them out.
struct GGUFBuilder {
    var bytes: [UInt8] = []
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func str(_ s: String) { u64(UInt64(s.utf8.count)); bytes += Array(s.utf8) }
    mutating func header(version: UInt32 = 3, tensors: Int, kvs: Int) {
        bytes += Array("GGUF".utf8); u32(version); u64(UInt64(tensors)); u64(UInt64(kvs))
    }
    mutating func kv(_ key: String, type: UInt32, _ payload: (inout GGUFBuilder) -> Void) {
        str(key); u32(type); payload(&self)
    }
    mutating func tensor(_ name: String, dims: [Int], type: UInt32, offset: Int) {
        str(name); u32(UInt32(dims.count)); for d in dims { u64(UInt64(d)) }; u32(type); u64(UInt64(offset))
    }
    mutating func align(_ a: Int) { while bytes.count % a != 0 { bytes.append(0) } }

    func write() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-\(UUID().uuidString).gguf").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// A file with one value of every type, a Q8_0 (64, 2) matrix and an F32 vector, alignment 64.
func sampleFile(architecture: String = "llama", tensorType: UInt32 = 8) -> [UInt8] {
    var b = GGUFBuilder()
    b.header(tensors: 2, kvs: 15)
    b.kv("general.architecture", type: 8) { $0.str(architecture) }
    b.kv("general.alignment", type: 4) { $0.u32(64) }
    b.kv("t.u8", type: 0) { $0.bytes.append(200) }
    b.kv("t.i8", type: 1) { $0.bytes.append(0xFE) }
    b.kv("t.u16", type: 2) { $0.bytes += [0x34, 0x12] }
    b.kv("t.i16", type: 3) { $0.bytes += [0xFF, 0xFF] }
    b.kv("t.i32", type: 5) { $0.u32(UInt32(bitPattern: -7)) }
    b.kv("t.f32", type: 6) { $0.u32(Float(1.5).bitPattern) }
    b.kv("t.bool", type: 7) { $0.bytes.append(1) }
    b.kv("t.u64", type: 10) { $0.u64(1 << 40) }
    b.kv("t.i64", type: 11) { $0.u64(UInt64(bitPattern: -3)) }
    b.kv("t.f64", type: 12) { $0.u64(Double(-0.25).bitPattern) }
    b.kv("t.strings", type: 9) { $0.u32(8); $0.u64(3); $0.str("a"); $0.str("Ġb"); $0.str("<|im_end|>") }
    b.kv("t.ints", type: 9) { $0.u32(5); $0.u64(2); $0.u32(3); $0.u32(UInt32(bitPattern: -1)) }
    b.kv("t.nested", type: 9) { $0.u32(9); $0.u64(1); $0.u32(0); $0.u64(2); $0.bytes += [1, 2] }
    b.tensor("m", dims: [64, 2], type: tensorType, offset: 0)
    b.tensor("v", dims: [4], type: 0, offset: 4 * 34 + 4)   // 136 B of Q8_0, then 4 B pad → 140... offset 140
    b.align(64)
    // Q8_0 rows: row r block k has d = 1/(r+1), q = k·8 + j − 16 … simple known values.
    for r in 0..<2 {
        for blk in 0..<2 {
            let h = halfBits(1 / Float(r + 1)); b.bytes += [UInt8(h & 0xFF), UInt8(h >> 8)]
            for j in 0..<32 { b.bytes.append(UInt8(bitPattern: Int8(blk * 8 + j - 16))) }
        }
    }
    b.bytes += [0, 0, 0, 0]
    for f: Float in [1, -2, 3.5, 0.25] { b.u32(f.bitPattern) }
    return b.bytes
}

@Suite struct GGUFTests {
    @Test func readsEveryValueTypeAndTensors() throws {
        let file = try GGUFFile(path: try GGUFBuilder(bytes: sampleFile()).write())
        #expect(file.version == 3 && file.alignment == 64 && file.dataOffset % 64 == 0)
        let m = file.metadata
        #expect(m["t.u8"] == .uint8(200) && m["t.i8"] == .int8(-2) && m["t.u16"] == .uint16(0x1234))
        #expect(m["t.i16"] == .int16(-1) && m["t.i32"] == .int32(-7) && m["t.f32"] == .float32(1.5))
        #expect(m["t.bool"] == .bool(true) && m["t.u64"] == .uint64(1 << 40) && m["t.i64"] == .int64(-3))
        #expect(m["t.f64"] == .float64(-0.25))
        #expect(try file.strings("t.strings") == ["a", "Ġb", "<|im_end|>"])
        #expect(try file.ints("t.ints") == [3, -1])
        #expect(m["t.nested"] == .array([.array([.uint8(1), .uint8(2)])]))
        #expect(file.tensors.map(\.name) == ["m", "v"] && file.tensor("m")?.dims == [64, 2])
        let mat = try file.matrix("m", shape: [64, 2])
        #expect(mat.rows == 2 && mat.cols == 64 && mat.type == .q8_0)
        let row1 = mat.dequantizedRow(1)
        #expect(row1[0] == -8 && row1[32] == -4 && row1[63] == 11.5)   // d = 1/2: (−16)/2, (8−16)/2, (8+31−16)/2
        #expect(try file.floats("v") == [1, -2, 3.5, 0.25])
    }

    @Test func rejectsBadMagicAndVersion() throws {
        var bytes = sampleFile()
        bytes[0] = UInt8(ascii: "X")
        #expect(throws: GGUFError.self) { try GGUFFile(path: try GGUFBuilder(bytes: bytes).write()) }
        do { _ = try GGUFFile(path: try GGUFBuilder(bytes: bytes).write()) } catch let e as GGUFError {
            guard case .badMagic = e else { Issue.record("expected badMagic, got \(e)"); return }
            #expect(e.description.contains("not a GGUF file") && e.description.contains("scripts/fetch-models"))
        }
        bytes = sampleFile()
        bytes[4] = 9
        do { _ = try GGUFFile(path: try GGUFBuilder(bytes: bytes).write()); Issue.record("no error") } catch let e as GGUFError {
            #expect(e == .unsupportedVersion(path: e.path, version: 9))
        }
    }

    @Test func reportsTruncationAtEveryCut() throws {
        let full = sampleFile()
        let headerEnd = try GGUFFile(path: try GGUFBuilder(bytes: full).write()).dataOffset
        for cut in stride(from: 1, to: full.count, by: 7) {
            let path = try GGUFBuilder(bytes: Array(full[0..<cut])).write()
            do {
                _ = try GGUFFile(path: path)
                Issue.record("cut at \(cut) of \(full.count) parsed without error")
            } catch {
                let e = error
                switch e {
                case .truncated: #expect(cut < headerEnd, "cut \(cut): \(e)")
                case .tensorOutOfBounds: #expect(cut >= headerEnd - 64, "cut \(cut): \(e)")
                default: Issue.record("cut \(cut): unexpected \(e)")
                }
            }
        }
    }

    @Test func namesUnsupportedTensorTypeAndArchitecture() throws {
        let file = try GGUFFile(path: try GGUFBuilder(bytes: sampleFile(tensorType: 12)).write())   // Q4_K
        #expect(throws: GGUFError.unsupportedTensorType(path: file.path, tensor: "m", typeID: 12)) { try file.matrix("m") }
        let mamba = try GGUFFile(path: try GGUFBuilder(bytes: sampleFile(architecture: "mamba")).write())
        #expect(throws: GGUFError.unsupportedArchitecture(path: mamba.path, architecture: "mamba")) { try LlamaConfig(gguf: mamba) }
        #expect(GGUFError.unsupportedArchitecture(path: "x", architecture: "mamba").description.contains("'mamba' is not supported"))
    }

    @Test func missingModelSaysHowToFetch() {
        #expect(throws: GGUFError.modelNotFound(path: "/nonexistent/m.gguf")) { try ModelLocator.existing("/nonexistent/m.gguf") }
        #expect(GGUFError.modelNotFound(path: "/x").description.contains("scripts/fetch-models"))
    }
}

extension GGUFError {
    var path: String {
        switch self {
        case .modelNotFound(let p), .cannotOpen(let p, _), .badMagic(let p, _), .unsupportedVersion(let p, _),
             .truncated(let p, _, _, _), .badValueType(let p, _, _), .badAlignment(let p, _),
             .unsupportedTensorType(let p, _, _), .tensorOutOfBounds(let p, _, _, _), .missingKey(let p, _),
             .wrongKeyType(let p, _, _), .unsupportedArchitecture(let p, _), .missingTensor(let p, _),
             .badTensorShape(let p, _, _, _): p
        }
    }
}
