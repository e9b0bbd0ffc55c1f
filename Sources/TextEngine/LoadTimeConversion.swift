// A model file's tensors in types the engine has no kernels for (the K-quants Q4_K, Q5_K, Q6_K and
// Q5_0/Q5_1: what most downloaded GGUF files hold) in a form its kernels run: each row dequantized
// (Numerics/ConvertedTypes.swift) and re-encoded as Q8_0, once, at load, into memory the weights
// own. Q8_0 keeps 8 bits for every 32 values, more than these types' 4–6, so the conversion adds
// at most half a Q8_0 step of rounding per value; it costs 1.06 bytes per parameter of memory
// instead of the file's mapping. scripts/bench-text ends with
// the conversion's speed: 87–225 M values per CPU-second by type and by the shared host's minute
// (Q6_K slowest), so a 1 B-parameter file takes 4–12 CPU-s, split over the cores.
import Foundation
import Numerics

/// Memory holding converted tensors, freed with the weights that view it.
final class ConvertedTensors: @unchecked Sendable {
    private var buffers: [UnsafeMutableRawPointer] = []

    func allocate(_ bytes: Int) -> UnsafeMutableRawPointer {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        buffers.append(buffer)
        return buffer
    }

    deinit { for buffer in buffers { buffer.deallocate() } }
}

extension GGUFFile {
    /// `name` as a matrix the kernels run: viewed in place, or, for a converted type, re-encoded as
    /// Q8_0 into `storage`.
    func servedMatrix(_ name: String, shape: [Int], storage: ConvertedTensors) throws(GGUFError) -> QuantMatrix {
        guard let info = tensor(name), let type = info.convertedType else { return try matrix(name, shape: shape) }
        if shape != info.dims { throw .badTensorShape(path: path, tensor: name, expected: shape, found: info.dims) }
        let cols = shape[0], rows = info.elementCount / cols
        guard cols % type.blockSize == 0 else {
            throw .badTensorShape(path: path, tensor: name, expected: [type.blockSize], found: info.dims)
        }
        let rowBytes = QuantType.q8_0.byteCount(cols)
        let out = storage.allocate(rows * rowBytes)
        let source = tensorData(info)
        // Rows are independent, so they are split over the cores; each row's bytes are the same
        // whichever thread writes them.
        let chunks = min(rows, 4 * ProcessInfo.processInfo.activeProcessorCount)
        // Addresses cross into the worker closures as integers (raw pointers are not Sendable).
        let sourceAddress = Int(bitPattern: source), outAddress = Int(bitPattern: out)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let source = UnsafeRawPointer(bitPattern: sourceAddress)!, out = UnsafeMutableRawPointer(bitPattern: outAddress)!
            let values = UnsafeMutablePointer<Float>.allocate(capacity: cols)
            defer { values.deallocate() }
            for r in stride(from: chunk, to: rows, by: chunks) {
                dequantize(type, source + r * type.byteCount(cols), count: cols, into: values)
                encodeQ8_0(values, count: cols, into: out + r * rowBytes)
            }
        }
        return QuantMatrix(type: .q8_0, rows: rows, cols: cols, base: UnsafeRawPointer(out))
    }
}

/// ggml's Q8_0 encoding of `count` values (a multiple of 32): per block, d = max|x| / 127 as f16,
/// then each value rounded to the nearest multiple of d.  dst: count / 32 × 34 bytes
func encodeQ8_0(_ values: UnsafePointer<Float>, count: Int, into dst: UnsafeMutableRawPointer) {
    for b in 0..<count / 32 {
        let x = values + b * 32, block = dst + b * 34
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(x[j])) }
        let d = amax / 127, inverse: Float = d > 0 ? 1 / d : 0
        block.storeBytes(of: halfBits(d).littleEndian, as: UInt16.self)
        for j in 0..<32 {
            block.storeBytes(of: Int8(max(-127, min(127, (x[j] * inverse).rounded()))), toByteOffset: 2 + j, as: Int8.self)
        }
    }
}
