// A small strict JSON reader for one JSONL record, so errors can name the column and duplicate
// keys are caught (Foundation's JSONSerialization reports neither). Only what records need:
// objects keep their key order; numbers stay as their source text. Not a general JSON library.

/// A parsed JSON value.
indirect enum JSONValue: Equatable, Sendable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(key: String, value: JSONValue, column: Int)])

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.null, .null): true
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// The JSON type's name, for "expected a string, found a number".
    var typeName: String {
        switch self {
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Where and why a line is not valid JSON; the column is 1-based, in characters.
struct JSONSyntaxError: Error, Equatable, Sendable {
    var column: Int
    var message: String
}

/// Parses exactly one JSON value filling the whole line (surrounding spaces allowed).
func parseJSONLine(_ line: String) throws(JSONSyntaxError) -> JSONValue {
    var reader = JSONReader(chars: Array(line.unicodeScalars))
    reader.skipSpace()
    let value = try reader.value(depth: 0)
    reader.skipSpace()
    if reader.index < reader.chars.count { throw reader.error("unexpected text after the JSON value") }
    return value
}

struct JSONReader {
    let chars: [Unicode.Scalar]
    var index = 0
    /// Deep nesting is never a valid record; the limit keeps recursion bounded.
    static let maxDepth = 64

    func error(_ message: String) -> JSONSyntaxError { JSONSyntaxError(column: index + 1, message: message) }

    mutating func skipSpace() {
        while index < chars.count, [" ", "\t", "\r", "\n"].contains(chars[index]) { index += 1 }
    }

    mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
        guard index < chars.count else { throw error("expected a value, found the end of the line") }
        switch chars[index] {
        case "{": return try object(depth: depth)
        case "[": return try array(depth: depth)
        case "\"": return .string(try string())
        case "t": try word("true"); return .bool(true)
        case "f": try word("false"); return .bool(false)
        case "n": try word("null"); return .null
        case "-", "0"..."9": return .number(try number())
        default: throw error("expected a value, found '\(chars[index])'")
        }
    }

    mutating func word(_ text: String) throws(JSONSyntaxError) {
        let start = index
        for scalar in text.unicodeScalars {
            guard index < chars.count, chars[index] == scalar else {
                index = start
                throw error("expected '\(text)'")
            }
            index += 1
        }
    }

    mutating func number() throws(JSONSyntaxError) -> String {
        let start = index
        if chars[index] == "-" { index += 1 }
        func digits() -> Int {
            let from = index
            while index < chars.count, ("0"..."9").contains(chars[index]) { index += 1 }
            return index - from
        }
        if index < chars.count, chars[index] == "0", index + 1 < chars.count, ("0"..."9").contains(chars[index + 1]) {
            index += 1
            throw error("leading zeros are not allowed")
        }
        guard digits() > 0 else { throw error("expected a digit") }
        if index < chars.count, chars[index] == "." {
            index += 1
            guard digits() > 0 else { throw error("expected a digit after '.'") }
        }
        if index < chars.count, chars[index] == "e" || chars[index] == "E" {
            index += 1
            if index < chars.count, chars[index] == "+" || chars[index] == "-" { index += 1 }
            guard digits() > 0 else { throw error("expected a digit in the exponent") }
        }
        return String(String.UnicodeScalarView(chars[start..<index]))
    }

    mutating func string() throws(JSONSyntaxError) -> String {
        index += 1  // opening quote
        var out = String.UnicodeScalarView()
        while index < chars.count {
            let c = chars[index]
            index += 1
            switch c {
            case "\"": return String(out)
            case "\\": out.append(try escape())
            case _ where c.value < 0x20: index -= 1; throw error("control character in a string (escape it)")
            default: out.append(c)
            }
        }
        throw error("unterminated string")
    }

    mutating func escape() throws(JSONSyntaxError) -> Unicode.Scalar {
        guard index < chars.count else { throw error("unterminated escape") }
        let c = chars[index]
        index += 1
        switch c {
        case "\"", "\\", "/": return c
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "u":
            let high = try hex4()
            guard (0xD800..<0xDC00).contains(high) else {
                guard let scalar = Unicode.Scalar(high) else { throw error("lone surrogate \\u\(String(high, radix: 16))") }
                return scalar
            }
            guard index + 1 < chars.count, chars[index] == "\\", chars[index + 1] == "u" else { throw error("lone surrogate") }
            index += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low),
                  let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) else { throw error("bad surrogate pair") }
            return scalar
        default:
            index -= 1
            throw error("unknown escape '\\\(c)'")
        }
    }

    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= chars.count else { throw error("expected four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = UInt32(String(chars[index]), radix: 16) else { throw error("expected a hex digit") }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var items: [JSONValue] = []
        skipSpace()
        if index < chars.count, chars[index] == "]" { index += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value(depth: depth + 1))
            skipSpace()
            guard index < chars.count else { throw error("expected ',' or ']'") }
            if chars[index] == "]" { index += 1; return .array(items) }
            guard chars[index] == "," else { throw error("expected ',' or ']', found '\(chars[index])'") }
            index += 1
        }
    }

    mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var members: [(key: String, value: JSONValue, column: Int)] = []
        skipSpace()
        if index < chars.count, chars[index] == "}" { index += 1; return .object(members) }
        while true {
            skipSpace()
            guard index < chars.count, chars[index] == "\"" else { throw error("expected a key in double quotes") }
            let column = index + 1
            let key = try string()
            if members.contains(where: { $0.key == key }) {
                index = column - 1
                throw error("duplicate key \"\(key)\"")
            }
            skipSpace()
            guard index < chars.count, chars[index] == ":" else { throw error("expected ':' after the key") }
            index += 1
            skipSpace()
            members.append((key, try value(depth: depth + 1), column))
            skipSpace()
            guard index < chars.count else { throw error("expected ',' or '}'") }
            if chars[index] == "}" { index += 1; return .object(members) }
            guard chars[index] == "," else { throw error("expected ',' or '}', found '\(chars[index])'") }
            index += 1
        }
    }
}
