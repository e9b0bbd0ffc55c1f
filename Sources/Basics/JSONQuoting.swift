// JSON string literals, written the same way everywhere bedrock prints JSON (response bodies,
// JSONL files from scripts, data-set checksums): `"` and `\` escaped, \n \r \t by name, other
// control characters as \u00XX, everything else (including non-ASCII) as raw UTF-8. One spelling
// per string, so checksums over canonical JSONL are stable.

/// `s` as a JSON string literal.
public func jsonQuoted(_ s: String) -> String {
    var out = ""
    appendJSONQuoted(s, to: &out)
    return out
}

/// Appends `s` as a JSON string literal to `out`.
public func appendJSONQuoted(_ s: String, to out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    out += "\""
}
