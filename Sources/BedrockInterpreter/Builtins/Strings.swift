// String builtins: split, join, replace, lower/upper, trim, contains, starts_with/ends_with,
// lines, and number formatting (`format(3.14159, digits: 2)`, `fixed`). Pure functions of their
// arguments; formatting rounds half away from zero.
import FoundationEssentials

extension String {
    /// Without leading and trailing white space (spaces, tabs, new lines).
    var trimmedSpace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}

extension Builtins {
    static func registerStrings(into r: inout NativeRegistry) {
        r.register("split", positional: [NativeParameter("text", .string), NativeParameter("separator", .string)],
                   doc: "The pieces of the text between separators; an empty separator splits on runs of white space.",
                   example: #"print split("a,b,,c", ","), split("  two  words ", "")"#, category: "strings") { args, _ in
            let text = try args.string("text"), separator = try args.string("separator")
            if separator.isEmpty {
                return .list(text.split(whereSeparator: { $0.isWhitespace }).map { .string(String($0)) })
            }
            return .list(text.split(separator: separator, omittingEmptySubsequences: false).map { .string(String($0)) })
        }
        r.register("lines", positional: [NativeParameter("text", .string)], doc: "The lines of a text (without line breaks).",
                   example: #"print lines("a\nb")"#, category: "strings") { args, _ in
            .list(try args.string("text").split(separator: "\n", omittingEmptySubsequences: false)
                .map { .string($0.hasSuffix("\r") ? String($0.dropLast()) : String($0)) })
        }
        r.register("join", positional: [NativeParameter("items", .list), NativeParameter("separator", .string)],
                   doc: "The items as text, with the separator between them.", example: #"print join(["a", 1, true], ", ")"#,
                   category: "strings") { args, _ in
            let joined = try args.list("items").map(ValueFormatter.display).joined(separator: try args.string("separator"))
            if joined.utf8.count > Limits.maxStringBytes { throw RuntimeErrorKind.stringTooLong(Limits.maxStringBytes) }
            return .string(joined)
        }
        r.register("replace", positional: [NativeParameter("text", .string), NativeParameter("old", .string), NativeParameter("new", .string)],
                   doc: "The text with every occurrence of old replaced by new.", example: #"print replace("a-b-c", "-", "+")"#,
                   category: "strings") { args, _ in
            let old = try args.string("old")
            guard !old.isEmpty else { throw NativeError("'old' must not be empty") }
            let result = try args.string("text").replacing(old, with: try args.string("new"))
            if result.utf8.count > Limits.maxStringBytes { throw RuntimeErrorKind.stringTooLong(Limits.maxStringBytes) }
            return .string(result)
        }
        r.register("lower", positional: [NativeParameter("text", .string)], doc: "The text in lower case.",
                   example: #"print lower("Hello")"#, category: "strings") { args, _ in .string(try args.string("text").lowercased()) }
        r.register("upper", positional: [NativeParameter("text", .string)], doc: "The text in upper case.",
                   example: #"print upper("Hello")"#, category: "strings") { args, _ in .string(try args.string("text").uppercased()) }
        r.register("trim", positional: [NativeParameter("text", .string)], doc: "The text without leading and trailing white space.",
                   example: #"print "[" + trim("  hi \n") + "]""#, category: "strings") { args, _ in .string(try args.string("text").trimmedSpace) }
        r.register("contains", positional: [NativeParameter("container", .oneOf(.string, .list)), NativeParameter("item", .any)],
                   doc: "Whether a string contains a piece of text, or a list an item.",
                   example: #"print contains("bedrock", "rock"), contains([1, 2], 3)"#, category: "strings") { args, _ in
            .bool(try Operators.contains(args["container"], args["item"]))
        }
        r.register("starts_with", positional: [NativeParameter("text", .string), NativeParameter("prefix", .string)],
                   doc: "Whether the text starts with the prefix.", example: #"print starts_with("bedrock", "bed")"#,
                   category: "strings") { args, _ in .bool(try args.string("text").hasPrefix(try args.string("prefix"))) }
        r.register("ends_with", positional: [NativeParameter("text", .string), NativeParameter("suffix", .string)],
                   doc: "Whether the text ends with the suffix.", example: #"print ends_with("bedrock", "rock")"#,
                   category: "strings") { args, _ in .bool(try args.string("text").hasSuffix(try args.string("suffix"))) }
        r.register("format", positional: [NativeParameter("value", .any)],
                   labelled: [NativeParameter("digits", .int, default: .nil, doc: "digits after the decimal point"),
                              NativeParameter("width", .int, default: .int(0), doc: "pad on the left to this many characters")],
                   doc: "A value as text; numbers with a fixed number of digits, padded to a width.",
                   example: #"print format(3.14159, digits: 2), format(7, width: 4), format(2, digits: 3)"#,
                   category: "strings") { args, _ in
            var text = ValueFormatter.display(args["value"])
            if case .int(let digits) = args["digits"] {
                guard (0...17).contains(digits) else { throw NativeError("'digits' must be between 0 and 17, got \(digits)") }
                guard let number = Numeric.double(args["value"]) else { throw NativeError("'digits' needs a number, got \(args["value"].typeName)") }
                text = fixed(number, digits: digits)
            }
            let width = try args.int("width")
            if text.count < width { text = String(repeating: " ", count: width - text.count) + text }
            return .string(text)
        }
        r.register("fixed", positional: [NativeParameter("value", .number), NativeParameter("digits", .int)],
                   doc: "A number as text with exactly that many digits after the point.",
                   example: "print fixed(2.5, 2), fixed(1234.5678, 1)", category: "strings") { args, _ in
            let digits = try args.int("digits")
            guard (0...17).contains(digits) else { throw NativeError("'digits' must be between 0 and 17, got \(digits)") }
            return .string(fixed(try args.double("value"), digits: digits))
        }
    }

    /// Fixed-point text, rounding half away from zero at `digits` places.
    static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return ValueFormatter.formatDouble(value) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value.magnitude * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e15 else { return ValueFormatter.formatDouble(value) }
        let units = UInt64(scaled)
        let divisor = UInt64(scale)
        let whole = String(units / divisor)
        let negative = value < 0 && units != 0
        guard digits > 0 else { return (negative ? "-" : "") + whole }
        let fraction = String(units % divisor)
        return (negative ? "-" : "") + whole + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}
