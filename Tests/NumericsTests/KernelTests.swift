// Quantized kernels against straightforward references: dequantize-then-multiply in Double.
// Tolerance: float32 accumulation over ≤ 576 terms of size ≤ 1 stays within 2e-5 relative to 1+|e|
// here (measured max ~3e-6). Also: both kernel builds and any thread count give identical bits.
import Testing
import Foundation
@testable import Numerics

@Suite struct KernelTests {
    @Test func dequantizeKnownBlocks() {
        // Q4_1: d = 0.5, m = -1, nibble byte 0x3A → value 0 = 0.5·10 − 1 = 4, value 16 = 0.5·3 − 1 = 0.5.
        var q41: [UInt8] = [0x00, 0x38, 0x00, 0xBC] + [UInt8](repeating: 0x3A, count: 16)
        var out = [Float](repeating: 0, count: 32)
        q41.withUnsafeBytes { dequantize(.q4_1, $0.baseAddress!, count: 32, into: &out) }
        #expect(out[0] == 4 && out[15] == 4 && out[16] == 0.5 && out[31] == 0.5)
        // Q4_0: d = 2, byte 0x9F → value 0 = 2·(15−8) = 14, value 16 = 2·(9−8) = 2.
        q41 = [0x00, 0x40] + [UInt8](repeating: 0x9F, count: 16)
        q41.withUnsafeBytes { dequantize(.q4_0, $0.baseAddress!, count: 32, into: &out) }
        #expect(out[0] == 14 && out[16] == 2)
        // Q8_0: d = 0.25, q = −4 → −1.
        q41 = [0x00, 0x34] + [UInt8](repeating: 0xFC, count: 32)
        q41.withUnsafeBytes { dequantize(.q8_0, $0.baseAddress!, count: 32, into: &out) }
        #expect(out.allSatisfy { $0 == -1 })
    }

    @Test(arguments: [QuantType.q4_0, .q4_1, .q8_0, .f16, .f32])
    func matVecMatchesReference(type: QuantType) {
        var rng = TestRNG(state: 11 + UInt64(type.rawValue))
        let rows = 83, cols = 576   // 83: the 4-row kernel, its remainder and an uneven thread split
        let w = OwnedQuantMatrix(type: type, rows: rows, cols: cols, bytes: randomQuantBytes(type, rows: rows, cols: cols, rng: &rng))
        let xs = rng.floats(cols)
        let expected = referenceProduct(xs, n: 1, w.matrix)
        var results: [[UInt32]] = []
        for isa in availableISAs {
            for threads in [1, 2] {
                let out = FloatMatrix(rows: 1, cols: rows)
                MatMul(threads: threads, isa: isa).multiply(FloatMatrix(rows: 1, cols: cols, values: xs), rows: 1, by: w.matrix, into: out)
                checkTensor(out.values(), expected, tolerance: 2e-5, "\(type.name) matvec \(isa) \(threads)t")
                results.append(out.values().map(\.bitPattern))
            }
        }
        #expect(results.allSatisfy { $0 == results[0] }, "mat-vec bits differ between kernel builds or thread counts")
    }

    @Test(arguments: [QuantType.q4_0, .q4_1, .q8_0, .f32])
    func gemmMatchesReferenceAndIsDeterministic(type: QuantType) {
        var rng = TestRNG(state: 101 + UInt64(type.rawValue))
        let rows = 96, cols = 160, n = 13
        let w = OwnedQuantMatrix(type: type, rows: rows, cols: cols, bytes: randomQuantBytes(type, rows: rows, cols: cols, rng: &rng))
        let xs = rng.floats(n * cols)
        let expected = referenceProduct(xs, n: n, w.matrix)
        var results: [[Float]] = []
        for isa in availableISAs {
            for threads in [1, 2] {
                let out = FloatMatrix(rows: n, cols: rows)
                MatMul(threads: threads, isa: isa).multiply(FloatMatrix(rows: n, cols: cols, values: xs), rows: n, by: w.matrix, into: out)
                checkTensor(out.values(), expected, tolerance: 2e-5, "\(type.name) gemm \(isa) \(threads)t")
                results.append(out.values())
            }
        }
        #expect(results.allSatisfy { $0.map(\.bitPattern) == results[0].map(\.bitPattern) },
                "GEMM bits differ between kernel builds or thread counts")
    }

    @Test func fastExpIsAccurate() {
        var worst: Float = 0
        for i in 0...20_000 {
            let x = -87 + Float(i) * (175.0 / 20_000)
            worst = max(worst, abs(fastExp(x) - Float(exp(Double(x)))) / Float(exp(Double(x))))
        }
        #expect(worst < 5e-7, "max relative error \(worst)")
        #expect(fastExp(-100) == 0 && fastExp(0) == 1)
    }

    var availableISAs: [KernelISA] { CPU.hasAVX512 ? [.baseline, .avx512] : [.baseline] }
}
