// The SmolLM pre-tokenizer: splits text into the pieces BPE runs on, by hand over Unicode scalars,
// equivalent to the GPT-2 pattern with single digits that the GGUF names `smollm`:
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// Alternatives are tried in that order at each position, as the regex engine would. Not a regex engine.

enum PreTokenizer {
    /// The pieces of `text` in order; their concatenation is `text`.
    static func split(_ text: String) -> [Substring.UnicodeScalarView] {
        let scalars = text.unicodeScalars
        var pieces: [Substring.UnicodeScalarView] = []
        var i = scalars.startIndex
        while i < scalars.endIndex {
            let end = pieceEnd(scalars, from: i)
            pieces.append(scalars[i..<end])
            i = end
        }
        return pieces
    }

    private static func isLetter(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }

    private static func isNumber(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: true
        default: false
        }
    }

    private static func isSpace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace }

    private static func isOther(_ s: Unicode.Scalar) -> Bool { !isSpace(s) && !isLetter(s) && !isNumber(s) }

    /// End of the piece starting at `i` (always past `i`).
    private static func pieceEnd(_ s: String.UnicodeScalarView, from i: String.Index) -> String.Index {
        let end = s.endIndex
        let c = s[i]
        let next = s.index(after: i)
        // 's 't 're 've 'm 'll 'd
        if c == "'", next < end {
            let c1 = s[next]
            if c1 == "s" || c1 == "t" || c1 == "m" || c1 == "d" { return s.index(after: next) }
            let n2 = s.index(after: next)
            if n2 < end {
                let c2 = s[n2]
                if (c1 == "r" && c2 == "e") || (c1 == "v" && c2 == "e") || (c1 == "l" && c2 == "l") {
                    return s.index(after: n2)
                }
            }
        }
        // An optional single leading space before a letter run, one number, or an "other" run.
        let body = (c == " " && next < end && !isSpace(s[next])) ? next : i
        let b = s[body]
        if isLetter(b) { return run(s, from: s.index(after: body), while: isLetter) }
        if isNumber(b) { return s.index(after: body) }
        if isOther(b) { return run(s, from: s.index(after: body), while: isOther) }
        // Whitespace: \s+(?!\S) takes the run but leaves its last scalar to a following non-space;
        // a single space before a non-space falls to \s+.
        let runEnd = run(s, from: next, while: isSpace)
        if runEnd == end { return runEnd }
        let beforeLast = s.index(before: runEnd)
        return beforeLast > i ? beforeLast : runEnd
    }

    private static func run(_ s: String.UnicodeScalarView, from i: String.Index,
                            while belongs: (Unicode.Scalar) -> Bool) -> String.Index {
        var j = i
        while j < s.endIndex, belongs(s[j]) { j = s.index(after: j) }
        return j
    }
}
