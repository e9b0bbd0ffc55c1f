// The pre-tokenizers: they split text into the pieces BPE runs on, by hand over Unicode scalars,
// each equivalent to the regex its GGUF name (tokenizer.ggml.pre) stands for:
//   smollm     GPT-2's pattern with single digits (SmolLM2)
//              's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//   llama-bpe  Llama 3's pattern: contractions in any case, a letter run with one leading
//              non-letter, numbers in threes, punctuation runs with their line breaks
//              (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*
//              |\s*[\r\n]+|\s+(?!\S)|\s+
// Alternatives are tried in that order at each position, as the regex engine would. Not a regex
// engine. scripts/pretokenizer-reference.py runs the llama-bpe regex to give the tests' cases.

/// A pre-tokenizer, by its GGUF name.
public enum PreTokenizer: String, Sendable, CaseIterable {
    case smolLM = "smollm"
    case llamaBPE = "llama-bpe"

    /// Whether BPE first looks the whole piece up in the vocabulary (Llama 3's `ignore_merges`,
    /// as llama.cpp applies it for llama-bpe): a piece that is a token is never split.
    var looksUpWholePieces: Bool { self == .llamaBPE }

    /// The pieces of `text` in order; their concatenation is `text`.
    func split(_ text: String) -> [Substring.UnicodeScalarView] {
        let scalars = text.unicodeScalars
        var pieces: [Substring.UnicodeScalarView] = []
        var i = scalars.startIndex
        while i < scalars.endIndex {
            let end = switch self {
            case .smolLM: Self.smolLMPieceEnd(scalars, from: i)
            case .llamaBPE: Self.llamaBPEPieceEnd(scalars, from: i)
            }
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

    private static func isLineBreak(_ s: Unicode.Scalar) -> Bool { s == "\r" || s == "\n" }

    /// End of the smollm piece starting at `i` (always past `i`).
    private static func smolLMPieceEnd(_ s: String.UnicodeScalarView, from i: String.Index) -> String.Index {
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

    /// End of the llama-bpe piece starting at `i` (always past `i`).
    private static func llamaBPEPieceEnd(_ s: String.UnicodeScalarView, from i: String.Index) -> String.Index {
        let end = s.endIndex
        let c = s[i]
        let next = s.index(after: i)
        // (?i:'s|'t|'re|'ve|'m|'ll|'d), ASCII case-insensitive as llama.cpp matches it.
        if c == "'", next < end {
            let c1 = lowerASCII(s[next])
            if c1 == "s" || c1 == "t" || c1 == "m" || c1 == "d" { return s.index(after: next) }
            let n2 = s.index(after: next)
            if n2 < end {
                let c2 = lowerASCII(s[n2])
                if (c1 == "r" && c2 == "e") || (c1 == "v" && c2 == "e") || (c1 == "l" && c2 == "l") {
                    return s.index(after: n2)
                }
            }
        }
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if isLetter(c) { return run(s, from: next, while: isLetter) }
        if !isLineBreak(c), !isNumber(c), next < end, isLetter(s[next]) {
            return run(s, from: s.index(after: next), while: isLetter)
        }
        // \p{N}{1,3}
        if isNumber(c) {
            var j = next
            for _ in 0..<2 where j < end && isNumber(s[j]) { j = s.index(after: j) }
            return j
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        let body = (c == " " && next < end && isOther(s[next])) ? next : i
        if isOther(s[body]) {
            return run(s, from: run(s, from: s.index(after: body), while: isOther), while: isLineBreak)
        }
        // Whitespace from here on. \s*[\r\n]+ ends after the run's last line break, if it has one.
        let runEnd = run(s, from: next, while: isSpace)
        var j = runEnd
        while j > i {
            let before = s.index(before: j)
            if isLineBreak(s[before]) { return j }
            j = before
        }
        // \s+(?!\S) leaves the run's last scalar to a following non-space; \s+ takes a single one.
        if runEnd == end { return runEnd }
        let beforeLast = s.index(before: runEnd)
        return beforeLast > i ? beforeLast : runEnd
    }

    private static func lowerASCII(_ s: Unicode.Scalar) -> Unicode.Scalar {
        (s.value >= 65 && s.value <= 90) ? Unicode.Scalar(s.value + 32)! : s
    }

    private static func run(_ s: String.UnicodeScalarView, from i: String.Index,
                            while belongs: (Unicode.Scalar) -> Bool) -> String.Index {
        var j = i
        while j < s.endIndex, belongs(s[j]) { j = s.index(after: j) }
        return j
    }
}
