// Loads the reference tables in Reference/*.json, recorded once from rouge-score 0.1.2,
// sacrebleu 2.6.0, nltk 3.10.4 and jiwer 4.0.0 by scripts/metrics-reference/run (provenance and
// tolerance at the top of each file). Tests compare against them; they never run Python.
import Foundation
import Testing

struct Provenance: Decodable {
    let what: String
    let tolerance: Double
    let generated: String
    let libraries: [String: String]
}

struct Table<Case: Decodable>: Decodable {
    let provenance: Provenance
    let cases: [Case]
}

enum Reference {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Reference")

    static func load<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONDecoder().decode(T.self, from: data)
    }
}

/// A Python keyword-argument value in the tables (`{"tokenize": "none", "lowercase": true}`).
enum PyValue: Decodable, Equatable {
    case bool(Bool), number(Double), string(String)

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) } else if let x = try? c.decode(Double.self) { self = .number(x) } else { self = .string(try c.decode(String.self)) }
    }

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    var number: Double? { if case .number(let x) = self { x } else { nil } }
}

/// Tracks the largest difference seen, so a test can report it (llm.c's check_tensor).
struct MaxDiff {
    var value = 0.0
    var worst = ""

    mutating func check(_ actual: Double, _ expected: Double, _ label: @autoclosure () -> String) {
        let d = abs(actual - expected)
        if d > value || d.isNaN { value = d; worst = label() }
    }
}
