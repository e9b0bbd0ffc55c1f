// ValueFormatting: how values become text. `display` is what `print` shows (strings raw);
// `repr` is the quoted form used inside lists and records and for REPL echoes. Not here: `table`
// and number formatting with a digit count (Builtins/Strings.swift).

public enum ValueFormatter {
    public static func display(_ value: Value) -> String {
        if case .string(let s) = value { return s }
        return repr(value)
    }

    public static func repr(_ value: Value) -> String {
        switch value {
        case .nil: return "nil"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return formatDouble(d)
        case .decimal(let d): return d.description
        case .string(let s): return quoted(s)
        case .list(let items): return "[" + items.map(repr).joined(separator: ", ") + "]"
        case .record(let r):
            if r.count == 0 { return "{}" }
            return "{" + r.pairs.map { key(($0.key)) + ": " + repr($0.value) }.joined(separator: ", ") + "}"
        case .function(let f): return "<fn \(f.name)>"
        case .native(let n): return n.command.signature.isCommand ? "<command \(n.command.signature.name)>" : "<builtin \(n.command.signature.name)>"
        case .handle(let h): return h.object.displayText
        }
    }

    /// Shortest round-trip text; whole numbers keep a ".0" so floats stay recognisable.
    static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        return d.description
    }

    /// `s` as a bedrock string literal that reads back as exactly `s`: quotes, backslashes (so
    /// `\(` is not interpolation) and control characters escaped. Front ends build statements with it.
    public static func stringLiteral(_ s: String) -> String { quoted(s) }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// Record keys print bare when they are identifiers, quoted otherwise.
    static func key(_ k: String) -> String {
        guard let first = k.unicodeScalars.first, first.properties.isAlphabetic || first == "_",
              k.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0) })
        else { return quoted(k) }
        return k
    }
}
