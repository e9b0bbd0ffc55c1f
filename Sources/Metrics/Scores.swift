// Small value types shared by the metrics: a precision/recall/F triple and number formatting.
// Formatting is hand-written (fixed decimals) so the module needs no Foundation and prints the
// same on every platform. Not a general formatter: only what `description`s need.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Precision, recall and their harmonic mean, each in [0, 1].
public struct PrecisionRecallF: Sendable, Equatable, CustomStringConvertible {
    public var precision: Double
    public var recall: Double
    public var f: Double

    public init(precision: Double, recall: Double, f: Double) {
        self.precision = precision
        self.recall = recall
        self.f = f
    }

    /// F1 from precision and recall, 0 when both are 0 (rouge-score's `scoring.fmeasure`).
    public init(precision: Double, recall: Double) {
        self.init(precision: precision, recall: recall, f: fMeasure(precision, recall))
    }

    public static let zero = PrecisionRecallF(precision: 0, recall: 0, f: 0)

    public var description: String {
        "P \(fixed(precision, 4)) R \(fixed(recall, 4)) F \(fixed(f, 4))"
    }
}

/// 2PR / (P + R), or 0 when P + R is 0.
func fMeasure(_ p: Double, _ r: Double) -> Double {
    p + r > 0 ? 2 * p * r / (p + r) : 0
}

/// `x` with exactly `digits` decimals, rounded half away from zero on the decimal value.
func fixed(_ x: Double, _ digits: Int) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
    if scaled >= 9.0e15 { return String(x) }
    let n = UInt64(scaled)
    let ip = n / UInt64(scale), fp = n % UInt64(scale)
    var frac = String(fp)
    while frac.count < digits { frac = "0" + frac }
    let sign = x < 0 && n != 0 ? "-" : ""
    return digits == 0 ? "\(sign)\(ip)" : "\(sign)\(ip).\(frac)"
}

/// Math functions from the C library Python also uses, so results match to the last bit.
@inline(__always) func cExp(_ x: Double) -> Double { exp(x) }
@inline(__always) func cLog(_ x: Double) -> Double { log(x) }
@inline(__always) func cSqrt(_ x: Double) -> Double { sqrt(x) }
