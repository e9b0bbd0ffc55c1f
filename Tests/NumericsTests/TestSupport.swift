// Helpers for the kernel tests: a seeded generator, random quantized blocks with sane scales, and
// llm.c-style checkTensor that reports the largest difference.
import Numerics
import Testing

/// SplitMix64, so test data is the same on every run.
struct TestRNG {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func float(_ lo: Float, _ hi: Float) -> Float { lo + (hi - lo) * Float(next() >> 40) / Float(1 << 24) }
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
    mutating func floats(_ n: Int, _ lo: Float = -1, _ hi: Float = 1) -> [Float] { (0..<n).map { _ in float(lo, hi) } }
}

/// Random bytes of `rows` rows × `cols` values of `type`, with f16 scales in a realistic range.
func randomQuantBytes(_ type: QuantType, rows: Int, cols: Int, rng: inout TestRNG) -> [UInt8] {
    var out: [UInt8] = []
    func half(_ x: Float) { let h = halfBits(x); out.append(UInt8(h & 0xFF)); out.append(UInt8(h >> 8)) }
    for _ in 0..<rows {
        switch type {
        case .f32:
            for _ in 0..<cols { withUnsafeBytes(of: rng.float(-1, 1).bitPattern.littleEndian) { out += $0 } }
        case .f16:
            for _ in 0..<cols { half(rng.float(-1, 1)) }
        case .q4_0, .q4_1, .q8_0:
            for _ in 0..<cols / 32 {
                half(rng.float(0.001, 0.05))
                if type == .q4_1 { half(rng.float(-0.3, 0.1)) }
                for _ in 0..<(type == .q8_0 ? 32 : 16) { out.append(rng.byte()) }
            }
        }
    }
    return out
}

/// Fails with the position and size of the largest difference when any |a − e| > tol·(1 + |e|).
func checkTensor(_ actual: [Float], _ expected: [Float], tolerance: Float, _ label: String = "",
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(label): \(actual.count) values, expected \(expected.count)",
            sourceLocation: sourceLocation)
    var worst: Float = 0, at = -1
    for i in 0..<min(actual.count, expected.count) {
        let d = abs(actual[i] - expected[i]) / (1 + abs(expected[i]))
        if !(d <= worst) { worst = d; at = i }   // also catches NaN
    }
    #expect(worst <= tolerance, "\(label): max relative difference \(worst) at \(at) (actual \(at >= 0 ? actual[at] : 0), expected \(at >= 0 ? expected[at] : 0)) > \(tolerance)",
            sourceLocation: sourceLocation)
}

/// Row-major reference product in Double: out[i][r] = Σ_k x[i][k]·w[r][k].
func referenceProduct(_ x: [Float], n: Int, _ w: QuantMatrix) -> [Float] {
    var out = [Float](repeating: 0, count: n * w.rows)
    let rows = (0..<w.rows).map { w.dequantizedRow($0) }
    for i in 0..<n {
        for r in 0..<w.rows {
            var s = 0.0
            for k in 0..<w.cols { s += Double(x[i * w.cols + k]) * Double(rows[r][k]) }
            out[i * w.rows + r] = Float(s)
        }
    }
    return out
}
