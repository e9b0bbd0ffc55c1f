// Python's string semantics, reproduced where the reference metrics depend on them.
// rouge-score, sacrebleu, jiwer and the SQuAD script all work on Python `str`: code points,
// `str.split()` on Python's whitespace set, `str.lower()` with full case mapping and final sigma.
// Swift's `String` compares by canonical equivalence, so token equality here is on code points.
// Not a general text library: only what the metrics need.

/// Code points of a text, the unit every Python string operation works on.
typealias CodePoints = [UInt32]

enum PythonText {
    /// The characters Python's `str.isspace()` accepts (Python 3.11, checked over all code points).
    @inline(__always)
    static func isSpace(_ c: UInt32) -> Bool {
        if c < 0x80 { return c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) }
        switch c {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    static func codePoints(_ text: String) -> CodePoints {
        let n = text.utf8.count
        // Decode UTF-8 by hand (valid by construction of String); ASCII bytes are code points.
        if let cps = text.utf8.withContiguousStorageIfAvailable({ bytes in
            CodePoints(unsafeUninitializedCapacity: n) { out, count in
                var i = 0, k = 0
                while i < n {
                    let b = UInt32(bytes[i])
                    if b < 0x80 {
                        out[k] = b; i += 1
                    } else if b < 0xE0 {
                        out[k] = (b & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F); i += 2
                    } else if b < 0xF0 {
                        out[k] = (b & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F); i += 3
                    } else {
                        out[k] = (b & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
                            | UInt32(bytes[i + 3] & 0x3F)
                        i += 4
                    }
                    k += 1
                }
                count = k
            }
        }) {
            return cps
        }
        var out = CodePoints()
        out.reserveCapacity(n)
        for s in text.unicodeScalars { out.append(s.value) }
        return out
    }

    static func string(_ cps: some Sequence<UInt32>) -> String {
        var s = String.UnicodeScalarView()
        for c in cps { if let u = Unicode.Scalar(c) { s.append(u) } }
        return String(s)
    }

    /// `str.split()` with no argument: runs of whitespace separate, no empty pieces.
    static func split(_ cps: CodePoints) -> [Range<Int>] {
        var out: [Range<Int>] = []
        out.reserveCapacity(cps.count / 4 + 1)
        var start = -1
        cps.withUnsafeBufferPointer { cps in
            for i in 0..<cps.count {
                if isSpace(cps[i]) {
                    if start >= 0 { out.append(start..<i); start = -1 }
                } else if start < 0 {
                    start = i
                }
            }
        }
        if start >= 0 { out.append(start..<cps.count) }
        return out
    }

    /// `str.rstrip()` with no argument.
    static func rstripCount(_ cps: CodePoints) -> Int {
        var end = cps.count
        while end > 0 && isSpace(cps[end - 1]) { end -= 1 }
        return end
    }

    /// `str.lower()`: full lowercase mapping per code point, with Python's Final_Sigma rule
    /// (capital sigma becomes ς after a cased letter and not before one).
    static func lower(_ cps: CodePoints) -> CodePoints {
        var out = CodePoints()
        out.reserveCapacity(cps.count)
        for i in cps.indices {
            let c = cps[i]
            if c < 0x80 {
                out.append(c >= 0x41 && c <= 0x5A ? c + 32 : c)
            } else if c == 0x3A3 {
                out.append(isFinalSigma(cps, i) ? 0x3C2 : 0x3C3)
            } else if let u = Unicode.Scalar(c) {
                for m in u.properties.lowercaseMapping.unicodeScalars { out.append(m.value) }
            }
        }
        return out
    }

    private static func isFinalSigma(_ cps: CodePoints, _ i: Int) -> Bool {
        var j = i - 1
        while j >= 0, caseIgnorable(cps[j]) { j -= 1 }
        guard j >= 0, cased(cps[j]) else { return false }
        j = i + 1
        while j < cps.count, caseIgnorable(cps[j]) { j += 1 }
        return j == cps.count || !cased(cps[j])
    }

    private static func cased(_ c: UInt32) -> Bool {
        Unicode.Scalar(c)?.properties.isCased ?? false
    }

    private static func caseIgnorable(_ c: UInt32) -> Bool {
        Unicode.Scalar(c)?.properties.isCaseIgnorable ?? false
    }

    /// Python's `\w` for `str` patterns: alphabetic, numeric, or underscore.
    static func isWordCharacter(_ c: UInt32) -> Bool {
        if c < 0x80 {
            return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
        }
        guard let u = Unicode.Scalar(c) else { return false }
        switch u.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return u.properties.numericType != nil
        }
    }

    /// Python's `str.isspace()` applied to a whole string is not needed; this is `str.strip()`.
    static func strip(_ cps: CodePoints) -> ArraySlice<UInt32> {
        var lo = 0, hi = cps.count
        while lo < hi && isSpace(cps[lo]) { lo += 1 }
        while hi > lo && isSpace(cps[hi - 1]) { hi -= 1 }
        return cps[lo..<hi]
    }
}
