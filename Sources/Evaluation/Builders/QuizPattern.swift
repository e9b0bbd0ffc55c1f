// The answer patterns of bsdgames quiz(6): `a|b` alternatives, `{opt}` optional parts, `[x|y]`
// grouping, `\c` a quoted character. Parsed into a tree and expanded into every string it accepts,
// which become a question's reference answers. Not a matcher: scoring lives in the metrics.

/// A parsed quiz pattern. `expansions` lists every accepted string; the first is the fullest
/// form (each optional part included, the first alternative taken) and is used for display.
public struct QuizPattern: Sendable, Equatable {
    indirect enum Node: Sendable, Equatable {
        case literal(String)
        case optional(Node)
        case alternatives([[Node]])  // each alternative is a sequence
    }

    let root: Node

    /// Expanding more strings than this is treated as a broken pattern, not a question.
    public static let maxExpansions = 512

    public init(_ text: String) throws(QuizPatternError) {
        var parser = Parser(chars: Array(text))
        root = try parser.parseAlternatives(closing: nil)
    }

    /// Every accepted string, spaces collapsed and trimmed, duplicates and empties removed,
    /// in expansion order (optional parts included before omitted, alternatives left to right).
    public var expansions: [String] {
        var seen = Set<String>()
        var out: [String] = []
        for raw in Self.expand(root) {
            let clean = raw.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            if !clean.isEmpty, seen.insert(clean).inserted { out.append(clean) }
        }
        return out
    }

    /// The fullest form: the first expansion ("{G{eorge} }Washington" → "George Washington").
    public var display: String { expansions.first ?? "" }

    static func expand(_ node: Node) -> [String] {
        switch node {
        case .literal(let text):
            return [text]
        case .optional(let inner):
            return expand(inner) + [""]
        case .alternatives(let options):
            var out: [String] = []
            for sequence in options {
                var partial = [""]
                for element in sequence {
                    let tails = expand(element)
                    partial = partial.flatMap { head in tails.map { head + $0 } }
                    if partial.count > maxExpansions { partial.removeLast(partial.count - maxExpansions) }
                }
                out += partial
            }
            return out
        }
    }

    /// Recursive descent over the characters; columns in errors are 1-based.
    struct Parser {
        let chars: [Character]
        var index = 0

        mutating func parseAlternatives(closing: Character?) throws(QuizPatternError) -> Node {
            var options: [[Node]] = [[]]
            var literal = ""
            func flush() {
                if !literal.isEmpty { options[options.count - 1].append(.literal(literal)) }
                literal = ""
            }
            while index < chars.count {
                let c = chars[index]
                index += 1
                switch c {
                case "\\":
                    guard index < chars.count else { throw .danglingBackslash(column: index) }
                    literal.append(chars[index])
                    index += 1
                case "|":
                    flush()
                    options.append([])
                case "{", "[":
                    flush()
                    let inner = try parseAlternatives(closing: c == "{" ? "}" : "]")
                    options[options.count - 1].append(c == "{" ? .optional(inner) : inner)
                case "}", "]":
                    guard c == closing else { throw .unexpected(c, column: index) }
                    flush()
                    return .alternatives(options)
                default:
                    literal.append(c)
                }
            }
            if let closing { throw .unclosed(closing, column: chars.count + 1) }
            flush()
            return .alternatives(options)
        }
    }
}

/// Why a quiz pattern did not parse.
public enum QuizPatternError: Error, Equatable, Sendable, CustomStringConvertible {
    case unclosed(Character, column: Int)
    case unexpected(Character, column: Int)
    case danglingBackslash(column: Int)

    public var description: String {
        switch self {
        case .unclosed(let c, let column): "column \(column): expected '\(c)' before the end of the pattern"
        case .unexpected(let c, let column): "column \(column): '\(c)' closes nothing"
        case .danglingBackslash(let column): "column \(column): a backslash must quote a character"
        }
    }
}
