// Quantized kernels against straightforward references: dequantize-then-multiply in Double.
// Tolerance: float32 accumulation over ≤ 576 terms of size ≤ 1 stays within 2e-5 relative to 1+|e|
// here (measured max ~3e-6). Mat-vec products with quantized weights round the activations to int16
// per block first, so they also get that rounding's bound (activationBound). Also: every kernel
// build (portable, AVX2, VNNI; baseline and AVX-512) and any thread count give identical bits.
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
                if type.rowFormat == nil {
                    checkTensor(out.values(), expected, tolerance: 2e-5, "\(type.name) matvec \(isa) \(threads)t")
                } else {
                    let bound = activationBound(xs, w.matrix)
                    for r in 0..<rows {
                        #expect(abs(out[0, r] - expected[r]) <= bound[r] + 2e-5 * (1 + abs(expected[r])),
                                "\(type.name) row \(r): \(out[0, r]) vs \(expected[r]), bound \(bound[r])")
                    }
                }
                results.append(out.values().map(\.bitPattern))
            }
        }
        #expect(results.allSatisfy { $0 == results[0] }, "mat-vec bits differ between kernel builds or thread counts")
    }

    /// cols 608: more than two k slices of the AVX-512 panel GEMM, the last one partial.
    @Test(arguments: [QuantType.q4_0, .q4_1, .q8_0, .f32], [160, 608])
    func gemmMatchesReferenceAndIsDeterministic(type: QuantType, cols: Int) {
        var rng = TestRNG(state: 101 + UInt64(type.rawValue) + UInt64(cols))
        let rows = 96, n = 13
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

    /// The portable C kernel, AVX2 and VNNI agree bit for bit on every format, including Q4_0's
    /// implied offset, rows left over after the 4-row loop and an odd number of blocks.
    @Test(arguments: [QuantType.q4_0, .q4_1, .q8_0], [1536, 1504])
    func integerKernelBuildsAgree(type: QuantType, cols: Int) {
        var rng = TestRNG(state: 31 + UInt64(type.rawValue) + UInt64(cols))
        let rows = 23
        let w = OwnedQuantMatrix(type: type, rows: rows, cols: cols, bytes: randomQuantBytes(type, rows: rows, cols: cols, rng: &rng))
        let x = QuantizedVector()
        let xs = rng.floats(cols, -3, 3)
        xs.withUnsafeBufferPointer { x.quantize($0.baseAddress!, count: cols) }
        var kernels: [IntKernel] = [.portable]
        #if arch(x86_64)
        kernels.append(.avx2)
        if CPU.hasVNNI { kernels.append(.vnni) }
        #endif
        let results = kernels.map { kernel in
            [Float](unsafeUninitializedCapacity: rows) { buf, n in
                kernel.run(type.rowFormat!, w.matrix.base, w.matrix.rowBytes, 0..<rows, x, cols / 32, buf.baseAddress!)
                n = rows
            }
        }
        for (k, r) in zip(kernels, results) {
            #expect(r.map(\.bitPattern) == results[0].map(\.bitPattern), "\(k) differs from the portable kernel")
        }
        let expected = referenceProduct(xs, n: 1, w.matrix), bound = activationBound(xs, w.matrix)
        for r in 0..<rows { #expect(abs(results[0][r] - expected[r]) <= bound[r] + 2e-5 * (1 + abs(expected[r]))) }
    }

    @Test func activationQuantizationRoundsPerBlock() {
        let x = QuantizedVector()
        var xs = [Float](repeating: 0, count: 64)
        xs[0] = -2; xs[1] = 1; xs[2] = 0.5   // block 0: d = 2/32767; block 1 all zero: d = 0
        xs.withUnsafeBufferPointer { x.quantize($0.baseAddress!, count: 64) }
        #expect(x.q[0] == -32767 && x.q[1] == 16384 && x.q[2] == 8192 && x.q[3] == 0)
        #expect(x.d[0] == 2 / 32767 && x.d[1] == 0 && x.s[1] == 0)
        #expect(x.s[0] == x.d[0] * Float(-32767 + 16384 + 8192))
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

    /// Per row, the most int16 rounding of x can move the product: Σ_b (max|x_b| / 65534)·Σ|w_b|.
    func activationBound(_ x: [Float], _ w: QuantMatrix) -> [Float] {
        (0..<w.rows).map { r in
            let row = w.dequantizedRow(r)
            var bound = 0.0
            for b in 0..<w.cols / 32 {
                let amax = x[b * 32..<b * 32 + 32].map { abs(Double($0)) }.max()!
                bound += amax / 65534 * row[b * 32..<b * 32 + 32].map { abs(Double($0)) }.reduce(0, +)
            }
            return Float(bound)
        }
    }
}
