// BodyReader: typed, range-checked reading of a provider body's fields, with the field's path in
// every error and a refusal of keys the provider does not know (Bedrock answers those with
// "extraneous key [...] is not permitted"; we add the closest valid name).
import Catalog

/// Reads one JSON object of a request body.
struct BodyReader {
    let members: [(String, JSONValue)]
    /// Where this object sits in the body ("textGenerationConfig"), "" at the top.
    let path: String

    /// Wraps `value`, which must be an object whose keys are all in `allowed`.
    init(_ value: JSONValue, path: String = "", allowed: [String]) throws(BedrockError) {
        guard case .object(let members) = value else {
            throw .validation("\(path.isEmpty ? "the request body" : path) must be a JSON object, got \(value.typeName)")
        }
        for (key, _) in members where !allowed.contains(key) {
            var message = "Malformed input request: extraneous key [\(Self.join(path, key))] is not permitted"
            if let near = ClosestNames.suggest(key, among: allowed, limit: 1).first { message += " (did you mean \(near)?)" }
            message += "; allowed keys: \(allowed.joined(separator: ", "))"
            throw .validation(message)
        }
        self.members = members
        self.path = path
    }

    /// An absent optional object: every field reads as missing.
    static func empty(path: String) -> BodyReader { BodyReader(members: [], path: path) }

    private init(members: [(String, JSONValue)], path: String) {
        self.members = members
        self.path = path
    }

    subscript(key: String) -> JSONValue? {
        guard let value = members.first(where: { $0.0 == key })?.1, value != .null else { return nil }
        return value
    }

    func name(_ key: String) -> String { Self.join(path, key) }
    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func require<T>(_ key: String, _ read: (String) throws(BedrockError) -> T?) throws(BedrockError) -> T {
        guard let value = try read(key) else { throw .validation("\(name(key)) is required") }
        return value
    }

    func string(_ key: String, allowEmpty: Bool = false) throws(BedrockError) -> String? {
        guard let value = self[key] else { return nil }
        guard case .string(let s) = value else { throw .validation("\(name(key)) must be a string, got \(value.typeName)") }
        if !allowEmpty && s.isEmpty { throw .validation("\(name(key)) must not be empty") }
        return s
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws(BedrockError) -> Int? {
        guard let value = self[key] else { return nil }
        guard let n = value.intValue else {
            throw .validation("\(name(key)) must be an integer, got \(value == .null ? "null" : value.compactText)")
        }
        guard range.contains(n) else {
            throw .validation("\(name(key)) must be between \(range.lowerBound) and \(range.upperBound), got \(n)")
        }
        return n
    }

    func double(_ key: String, in range: ClosedRange<Double>) throws(BedrockError) -> Double? {
        guard let value = self[key] else { return nil }
        guard let x = value.doubleValue else { throw .validation("\(name(key)) must be a number, got \(value.typeName)") }
        guard range.contains(x) else {
            throw .validation("\(name(key)) must be between \(Self.show(range.lowerBound)) and \(Self.show(range.upperBound)), got \(Self.show(x))")
        }
        return x
    }

    func bool(_ key: String) throws(BedrockError) -> Bool? {
        guard let value = self[key] else { return nil }
        guard let b = value.boolValue else { throw .validation("\(name(key)) must be true or false, got \(value.typeName)") }
        return b
    }

    /// A list of non-empty strings, at most `maxCount` of them.
    func strings(_ key: String, maxCount: Int) throws(BedrockError) -> [String]? {
        guard let value = self[key] else { return nil }
        guard case .array(let items) = value else { throw .validation("\(name(key)) must be a list of strings, got \(value.typeName)") }
        guard items.count <= maxCount else {
            throw .validation("\(name(key)) allows at most \(maxCount) entries, got \(items.count)")
        }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item, !s.isEmpty else {
                throw .validation("\(name(key))[\(i)] must be a non-empty string")
            }
            out.append(s)
        }
        return out
    }

    /// One of a fixed set of string values.
    func choice(_ key: String, _ allowed: [String]) throws(BedrockError) -> String? {
        guard let s = try string(key) else { return nil }
        guard allowed.contains(s) else {
            throw .validation("\(name(key)) must be one of \(allowed.joined(separator: ", ")), got \(s)")
        }
        return s
    }

    func array(_ key: String) throws(BedrockError) -> [JSONValue]? {
        guard let value = self[key] else { return nil }
        guard case .array(let items) = value else { throw .validation("\(name(key)) must be a list, got \(value.typeName)") }
        return items
    }

    func object(_ key: String, allowed: [String]) throws(BedrockError) -> BodyReader? {
        guard let value = self[key] else { return nil }
        return try BodyReader(value, path: name(key), allowed: allowed)
    }

    static func show(_ x: Double) -> String { JSONValue.format(number: x) }
}
