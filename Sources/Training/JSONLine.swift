// A small JSON parser for one JSONL record that keeps key order, duplicate keys and the column of
// every value, so data validation can point at `file:line:col`. It accepts exactly RFC 8259 JSON
// (no comments, no trailing commas) and reports the first syntax error of a line with its column.
// Not a general JSON library: no encoder, numbers are kept as Double.

indirect enum JSONValue: Equatable, Sendable {
    case null, bool(Bool), number(Double), string(String)
    case array([JSONNode])
    case object([(key: String, value: JSONNode)])

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.number(x), .number(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.array(x), .array(y)): x == y
        case let (.object(x), .object(y)): x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
        default: false
        }
    }

    /// The JSON type name used in messages ("a string", "an array", …).
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A value with the 1-based column where it starts.
struct JSONNode: Equatable, Sendable {
    let value: JSONValue
    let column: Int
}

struct JSONSyntaxError: Error, Equatable {
    let message: String
    let column: Int
}

struct JSONLineParser {
    private let bytes: [UInt8]
    private var i = 0

    /// Parses one whole line; anything but whitespace after the value is an error.
    static func parse(_ line: Substring) throws(JSONSyntaxError) -> JSONNode {
        var p = JSONLineParser(bytes: Array(line.utf8))
        let v = try p.value(depth: 0)
        p.skipSpace()
        if p.i < p.bytes.count { throw p.fail("unexpected text after the JSON value") }
        return v
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// Column of the byte at `i` counted in characters (UTF-8 continuation bytes do not count).
    private func column(_ at: Int) -> Int {
        var col = 1
        for b in bytes[0..<min(at, bytes.count)] where b & 0xC0 != 0x80 { col += 1 }
        return col
    }

    private func fail(_ message: String, at: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(message: message, column: column(at ?? i))
    }

    private mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x09, 0x0D, 0x0A].contains(bytes[i]) { i += 1 }
    }

    private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONNode {
        // Deep nesting is never a valid record; the limit keeps recursion bounded on hostile input.
        if depth > 64 { throw fail("nesting deeper than 64 levels") }
        skipSpace()
        guard i < bytes.count else { throw fail("expected a value, found the end of the line") }
        let start = i, col = column(i)
        switch bytes[i] {
        case UInt8(ascii: "{"): return JSONNode(value: try object(depth: depth), column: col)
        case UInt8(ascii: "["): return JSONNode(value: try array(depth: depth), column: col)
        case UInt8(ascii: "\""): return JSONNode(value: .string(try string()), column: col)
        case UInt8(ascii: "t"): try literal("true"); return JSONNode(value: .bool(true), column: col)
        case UInt8(ascii: "f"): try literal("false"); return JSONNode(value: .bool(false), column: col)
        case UInt8(ascii: "n"): try literal("null"); return JSONNode(value: .null, column: col)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return JSONNode(value: try number(), column: col)
        default: throw fail("expected a value, found '\(Character(Unicode.Scalar(bytes[start])))'")
        }
    }

    private mutating func literal(_ word: String) throws(JSONSyntaxError) {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { throw fail("invalid literal, expected '\(word)'") }
        i += w.count
    }

    private mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = i
        let allowed = Set("+-0123456789.eE".utf8)
        while i < bytes.count, allowed.contains(bytes[i]) { i += 1 }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard let d = Double(text), text.first != "+" else { throw fail("invalid number '\(text)'", at: start) }
        return .number(d)
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        let open = i
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if b < 0x20 { throw fail("control character inside a string (escape it)") }
            if b == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { break }
                switch bytes[i] {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"): out += Array(String(try unicodeEscape()).utf8); continue
                default: throw fail("invalid escape '\\\(Character(Unicode.Scalar(bytes[i])))'")
                }
                i += 1
            } else {
                out.append(b); i += 1
            }
        }
        throw fail("unterminated string", at: open)
    }

    /// \uXXXX, with surrogate pairs; leaves `i` after the escape.
    private mutating func unicodeEscape() throws(JSONSyntaxError) -> Character {
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= bytes.count else { return nil }
            return UInt32(String(decoding: bytes[at..<(at + 4)], as: UTF8.self), radix: 16)
        }
        guard let hi = hex4(i + 1) else { throw fail("\\u needs four hex digits") }
        i += 5
        if (0xD800..<0xDC00).contains(hi), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"),
           bytes[i + 1] == UInt8(ascii: "u"), let lo = hex4(i + 2), (0xDC00..<0xE000).contains(lo) {
            i += 6
            return Character(Unicode.Scalar(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))!)
        }
        guard let scalar = Unicode.Scalar(hi) else { throw fail("lone surrogate in \\u escape") }
        return Character(scalar)
    }

    private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        i += 1
        var items: [JSONNode] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            items.append(try value(depth: depth + 1))
            skipSpace()
            guard i < bytes.count else { throw fail("unterminated array, expected ',' or ']'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw fail("expected ',' or ']' in an array")
        }
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        i += 1
        var members: [(key: String, value: JSONNode)] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
            let key = try string()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after key \"\(key)\"") }
            i += 1
            members.append((key, try value(depth: depth + 1)))
            skipSpace()
            guard i < bytes.count else { throw fail("unterminated object, expected ',' or '}'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            throw fail("expected ',' or '}' in an object")
        }
    }
}
