// Conversions between the language's values and JSON bodies: records become objects (keys in
// order), lists arrays, whole numbers integers. Used for `body: {...}` and for response bodies.
import BedrockInterpreter
import BedrockPlatform
import Foundation

extension JSONValue {
    /// A language value as JSON; functions and handles have no JSON form.
    init(value: BedrockInterpreter.Value, path: String = "body") throws {
        switch value {
        case .nil: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .number(Double(i))
        case .double(let d): self = .number(d)
        case .decimal(let d): self = .number(NSDecimalNumber(decimal: d).doubleValue)
        case .string(let s): self = .string(s)
        case .list(let items):
            self = .array(try items.enumerated().map { try JSONValue(value: $1, path: "\(path)[\($0)]") })
        case .record(let r):
            self = .object(try r.pairs.map { ($0.key, try JSONValue(value: $0.value, path: "\(path).\($0.key)")) })
        default:
            throw NativeError("\(path) is a \(value.typeName), which has no JSON form")
        }
    }

    /// This JSON as a language value (integral numbers become ints).
    var value: BedrockInterpreter.Value {
        switch self {
        case .null: return .nil
        case .bool(let b): return .bool(b)
        case .number(let n): return n.rounded() == n && abs(n) < 9e15 ? .int(Int(n)) : .double(n)
        case .string(let s): return .string(s)
        case .array(let items): return .list(items.map(\.value))
        case .object(let members): return .record(Record(members.map { ($0.0, $0.1.value) }))
        }
    }
}
