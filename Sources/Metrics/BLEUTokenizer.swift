// sacrebleu 2.6.0's tokenizers for BLEU: `13a` (mteval-v13a, the WMT default) and `none`.
// 13a is four regex substitutions over code points; each is a fixed two-character pattern, so
// Python's leftmost non-overlapping `re.sub` is reproduced by a single scan per pattern.
// Output is the token list after Python's `str.split()`. Not `intl`, `zh`, `ja-mecab` or spm.

/// A sacrebleu tokenizer.
public enum BLEUTokenizer: String, Sendable, CaseIterable {
    /// mteval-v13a: separates punctuation and symbols, keeps decimal numbers together.
    case thirteenA = "13a"
    /// Whitespace splitting only.
    case none = "none"

    /// The tokens sacrebleu produces for `text` (after `rstrip()` and optional lowercasing).
    public func tokens(_ text: String, lowercase: Bool = false) -> [String] {
        let (cps, ranges) = tokenize(text, lowercase: lowercase)
        return ranges.map { PythonText.string(cps[$0]) }
    }

    /// Tokenized code points and the token ranges in them.
    func tokenize(_ text: String, lowercase: Bool) -> (CodePoints, [Range<Int>]) {
        var cps = PythonText.codePoints(text)
        if lowercase { cps = PythonText.lower(cps) }
        cps.removeSubrange(PythonText.rstripCount(cps)...)
        if self == .thirteenA { cps = Tokenizer13a.apply(cps) }
        return (cps, PythonText.split(cps))
    }
}

enum Tokenizer13a {
    private static let skipped = PythonText.codePoints("<skipped>")
    private static let entities: [(CodePoints, CodePoints)] = [
        ("&quot;", "\""), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"),
    ].map { (PythonText.codePoints($0.0), PythonText.codePoints($0.1)) }

    static func apply(_ input: CodePoints) -> CodePoints {
        let line = preReplace(input)
        // ([\{-\~\[-\` -\&\(-\+\:-\@\/]) → ' \1 ', on ' ' + line + ' '
        let a = CodePoints(unsafeUninitializedCapacity: line.count * 3 + 2) { out, count in
            var k = 0
            out[k] = 0x20; k += 1
            for c in line {
                if isSymbol(c) {
                    out[k] = 0x20; out[k + 1] = c; out[k + 2] = 0x20; k += 3
                } else {
                    out[k] = c; k += 1
                }
            }
            out[k] = 0x20; k += 1
            count = k
        }
        return substitute(substitute(substitute(a, .nonDigitThenPeriod), .periodThenNonDigit), .digitThenDash)
    }

    /// 13a's plain-string replacements before the regexes: `<skipped>`, `-\n`, `\n`, entities.
    static func preReplace(_ input: CodePoints) -> CodePoints {
        // Most lines contain none of '<', '\n', '&': find out eight code points at a time.
        guard mayContainSpecial(input) else { return input }
        let lt = input.contains(0x3C), nl = input.contains(0x0A), amp = input.contains(0x26)
        var line = input
        if lt { line = replace(line, skipped, []) }                                    // '<'
        if nl {
            line = replace(line, [0x2D, 0x0A], [])                                    // "-\n"
            line = replace(line, [0x0A], [0x20])
        }
        if amp && line.contains(0x26) {                                               // '&'
            for (old, new) in entities { line = replace(line, old, new) }
        }
        return line
    }

    /// Whether `cps` contains '<', '\n' or '&' (SIMD scan, then the tail one by one).
    static func mayContainSpecial(_ cps: CodePoints) -> Bool {
        cps.withUnsafeBufferPointer { buf in
            let n = buf.count
            var i = 0
            var hit = SIMDMask<SIMD8<UInt32>.MaskStorage>(repeating: false)
            while i + 8 <= n {
                let v = UnsafeRawPointer(buf.baseAddress! + i).loadUnaligned(as: SIMD8<UInt32>.self)
                hit .|= (v .== SIMD8(repeating: 0x3C)) .| (v .== SIMD8(repeating: 0x0A)) .| (v .== SIMD8(repeating: 0x26))
                i += 8
            }
            if any(hit) { return true }
            while i < n {
                if buf[i] == 0x3C || buf[i] == 0x0A || buf[i] == 0x26 { return true }
                i += 1
            }
            return false
        }
    }

    @inline(__always) static func isDigit(_ c: UInt32) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isPeriodComma(_ c: UInt32) -> Bool { c == 0x2E || c == 0x2C }

    /// The first pattern's class: { | } ~ [ \ ] ^ _ ` space ! " # $ % & ( ) * + : ; < = > ? @ /
    @inline(__always) static func isSymbol(_ c: UInt32) -> Bool {
        (c >= 0x7B && c <= 0x7E) || (c >= 0x5B && c <= 0x60) || (c >= 0x20 && c <= 0x26)
            || (c >= 0x28 && c <= 0x2B) || (c >= 0x3A && c <= 0x40) || c == 0x2F
    }

    /// The three two-character patterns of 13a.
    enum Pattern {
        /// `([^0-9])([\.,])` → `\1 \2 `
        case nonDigitThenPeriod
        /// `([\.,])([^0-9])` → ` \1 \2`
        case periodThenNonDigit
        /// `([0-9])(-)` → `\1 \2 `
        case digitThenDash
    }

    /// `re.sub` of a two-character pattern: scan left to right, replace each match, resume after it.
    /// Each match of two characters becomes four, so the output is at most twice the input.
    static func substitute(_ s: CodePoints, _ pattern: Pattern) -> CodePoints {
        CodePoints(unsafeUninitializedCapacity: s.count * 2) { out, count in
            s.withUnsafeBufferPointer { s in
                let n = s.count
                var i = 0, k = 0
                while i < n {
                    let x = s[i]
                    if i + 1 < n {
                        let y = s[i + 1]
                        let hit: Bool
                        switch pattern {
                        case .nonDigitThenPeriod: hit = !isDigit(x) && isPeriodComma(y)
                        case .periodThenNonDigit: hit = isPeriodComma(x) && !isDigit(y)
                        case .digitThenDash: hit = isDigit(x) && y == 0x2D
                        }
                        if hit {
                            if pattern == .periodThenNonDigit {
                                out[k] = 0x20; out[k + 1] = x; out[k + 2] = 0x20; out[k + 3] = y
                            } else {
                                out[k] = x; out[k + 1] = 0x20; out[k + 2] = y; out[k + 3] = 0x20
                            }
                            k += 4
                            i += 2
                            continue
                        }
                    }
                    out[k] = x
                    k += 1
                    i += 1
                }
                count = k
            }
        }
    }

    /// `str.replace(old, new)`: non-overlapping, left to right.
    static func replace(_ s: CodePoints, _ o: CodePoints, _ n: CodePoints) -> CodePoints {
        guard let first = o.first else { return s }
        var out = CodePoints()
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            if s[i] == first && i + o.count <= s.count && s[i..<(i + o.count)].elementsEqual(o) {
                out.append(contentsOf: n)
                i += o.count
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }
}
