// JSON: `json.parse` (objects become records with their key order, integers stay ints) and
// `json.format` (compact, or indented). Errors give line and column inside the JSON text.
// Hand-written so key order and int/float are kept exactly; no Foundation serializer involved.
import Basics

struct JSONError: Error, CustomStringConvertible {
    var message: String
    var line: Int
    var column: Int
    var description: String { "invalid JSON at line \(line), column \(column): \(message)" }
}

struct JSONParser {
    /// Deeper nesting would overflow the native stack of this recursive parser.
    static let maxDepth = 512

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    static func parse(_ text: String) throws -> Value {
        var parser = JSONParser(text)
        parser.skipSpace()
        let value = try parser.parseValue()
        parser.skipSpace()
        if parser.index < parser.bytes.count { throw parser.error("unexpected text after the value") }
        return value
    }

    private func error(_ message: String) -> JSONError {
        var line = 1, column = 1
        for b in bytes[..<min(index, bytes.count)] { if b == 10 { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 } }
        return JSONError(message: message, line: line, column: column)
    }

    private mutating func skipSpace() {
        while index < bytes.count, [32, 9, 10, 13].contains(bytes[index]) { index += 1 }
    }

    private mutating func parseValue() throws -> Value {
        guard index < bytes.count else { throw error("unexpected end of JSON") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try nested { try $0.parseObject() }
        case UInt8(ascii: "["): return try nested { try $0.parseArray() }
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .nil
        default: return try parseNumber()
        }
    }

    private mutating func nested(_ body: (inout JSONParser) throws -> Value) throws -> Value {
        depth += 1
        defer { depth -= 1 }
        if depth > JSONParser.maxDepth { throw error("nested more than \(JSONParser.maxDepth) levels") }
        return try body(&self)
    }

    private mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else { throw error("expected a value") }
        index += w.count
    }

    private mutating func parseObject() throws -> Value {
        index += 1
        var record = Record()
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .record(record) }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key in quotes") }
            let key = try parseString()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after the key") }
            index += 1
            skipSpace()
            record[key] = try parseValue()
            skipSpace()
            guard index < bytes.count else { throw error("expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .record(record) }
            throw error("expected ',' or '}'")
        }
    }

    private mutating func parseArray() throws -> Value {
        index += 1
        var items: [Value] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .list(items) }
        while true {
            skipSpace()
            items.append(try parseValue())
            skipSpace()
            guard index < bytes.count else { throw error("expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .list(items) }
            throw error("expected ',' or ']'")
        }
    }

    private mutating func parseString() throws -> String {
        index += 1
        var out: [UInt8] = []
        while index < bytes.count {
            let b = bytes[index]
            index += 1
            if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            if b < 0x20 { index -= 1; throw error("control character in string") }
            guard b == UInt8(ascii: "\\") else { out.append(b); continue }
            guard index < bytes.count else { break }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                    index += 2
                    let low = try hex4()
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                out += Array(String(Unicode.Scalar(code) ?? "\u{FFFD}").utf8)
            default: index -= 1; throw error("invalid escape")
            }
        }
        throw error("unterminated string")
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
            throw error("invalid \\u escape")
        }
        index += 4
        return v
    }

    private mutating func parseNumber() throws -> Value {
        let start = index
        var isFloat = false
        while index < bytes.count {
            let b = bytes[index]
            if (b >= 48 && b <= 57) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") { index += 1 } else if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                isFloat = true
                index += 1
            } else { break }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if text.isEmpty { throw error("expected a value") }
        if !isFloat, let i = Int(text) { return .int(i) }
        guard let d = Double(text) else { index = start; throw error("invalid number '\(text)'") }
        return .double(d)
    }
}

enum JSONFormatter {
    static func format(_ value: Value, indent: Int, level: Int = 0) throws -> String {
        let pad = indent > 0 ? "\n" + String(repeating: " ", count: indent * (level + 1)) : ""
        let close = indent > 0 ? "\n" + String(repeating: " ", count: indent * level) : ""
        let colon = indent > 0 ? ": " : ":"
        switch value {
        case .nil: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d):
            guard d.isFinite else { throw NativeError("\(d) cannot be written as JSON") }
            return d.description
        case .decimal(let d): return d.description
        case .string(let s): return jsonQuoted(s)
        case .list(let items):
            if items.isEmpty { return "[]" }
            return "[" + (try items.map { pad + (try format($0, indent: indent, level: level + 1)) }).joined(separator: ",") + close + "]"
        case .record(let r):
            if r.count == 0 { return "{}" }
            return "{" + (try r.pairs.map { pad + jsonQuoted($0.key) + colon + (try format($0.value, indent: indent, level: level + 1)) })
                .joined(separator: ",") + close + "}"
        case .function, .native, .handle:
            throw NativeError("a \(value.typeName) cannot be written as JSON")
        }
    }
}

extension Builtins {
    static func registerJSON(into r: inout NativeRegistry) {
        r.register("json.parse", positional: [NativeParameter("text", .string)],
                   doc: "A value from JSON text: objects become records (key order kept), whole numbers ints.",
                   example: #"print json.parse("{\"a\": [1, 2.5, null]}")"#, category: "json") { args, _ in
            try JSONParser.parse(try args.string("text"))
        }
        r.register("json.format", positional: [NativeParameter("value", .any)],
                   labelled: [NativeParameter("indent", .int, default: .int(0), doc: "spaces per level; 0 is one compact line")],
                   doc: "The value as JSON text.", example: #"print json.format({a: [1, "x"]}, indent: 2)"#,
                   category: "json") { args, _ in
            let indent = try args.int("indent")
            guard (0...16).contains(indent) else { throw NativeError("'indent' must be between 0 and 16, got \(indent)") }
            return .string(try JSONFormatter.format(args["value"], indent: indent))
        }
    }
}
