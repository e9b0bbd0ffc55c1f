// The Porter stemmer exactly as NLTK's `PorterStemmer()` runs it (mode NLTK_EXTENSIONS, the
// default that rouge-score 0.1.2 constructs), checked word for word against nltk 3.10.4.
// It works on lowercase ASCII bytes: rouge-score only stems tokens of [a-z0-9] longer than 3.
// Not the ORIGINAL_ALGORITHM or MARTIN_EXTENSIONS modes, and no other language.

/// NLTK's Porter stemmer (NLTK_EXTENSIONS mode) over lowercase ASCII words.
public enum PorterStemmer {
    /// Stems one word; uppercase ASCII is lowercased first, as NLTK does.
    public static func stem(_ word: String) -> String {
        let bytes = Array(word.utf8).map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        return String(decoding: stem(bytes), as: UTF8.self)
    }

    /// NLTK's irregular forms, looked up before any rule.
    private static let pool: [[UInt8]: [UInt8]] = {
        let forms: [(String, [String])] = [
            ("sky", ["sky", "skies"]), ("die", ["dying"]), ("lie", ["lying"]), ("tie", ["tying"]),
            ("news", ["news"]), ("inning", ["innings", "inning"]), ("outing", ["outings", "outing"]),
            ("canning", ["cannings", "canning"]), ("howe", ["howe"]), ("proceed", ["proceed"]),
            ("exceed", ["exceed"]), ("succeed", ["succeed"]),
        ]
        var pool: [[UInt8]: [UInt8]] = [:]
        for (key, values) in forms { for v in values { pool[Array(v.utf8)] = Array(key.utf8) } }
        return pool
    }()

    static func stem(_ word: [UInt8]) -> [UInt8] {
        if let irregular = pool[word] { return irregular }
        if word.count <= 2 { return word }
        var w = step1a(word)
        w = step1b(w)
        w = step1c(w)
        w = step2(w)
        w = step3(w)
        w = step4(w)
        w = step5a(w)
        return step5b(w)
    }

    // MARK: conditions

    private static func isVowelLetter(_ c: UInt8) -> Bool {
        c == 97 || c == 101 || c == 105 || c == 111 || c == 117   // a e i o u
    }

    /// Consonant flags: 'y' is a consonant at the start or after a vowel (NLTK `_consonant_flags`).
    private static func consonants(_ w: ArraySlice<UInt8>) -> [Bool] {
        var flags: [Bool] = []
        flags.reserveCapacity(w.count)
        for (k, c) in w.enumerated() {
            if isVowelLetter(c) { flags.append(false) } else if c == 121 { flags.append(k == 0 ? true : !flags[k - 1]) } else { flags.append(true) }
        }
        return flags
    }

    private static func isConsonant(_ w: ArraySlice<UInt8>, _ i: Int) -> Bool {
        consonants(w[w.startIndex..<(w.startIndex + i + 1)])[i]
    }

    /// m in [C](VC)^m[V]: the number of vowel→consonant transitions.
    private static func measure(_ w: ArraySlice<UInt8>) -> Int {
        let f = consonants(w)
        var m = 0
        if f.count >= 2 { for k in 1..<f.count where !f[k - 1] && f[k] { m += 1 } }
        return m
    }

    private static func containsVowel(_ w: ArraySlice<UInt8>) -> Bool { consonants(w).contains(false) }

    private static func endsDoubleConsonant(_ w: ArraySlice<UInt8>) -> Bool {
        w.count >= 2 && w[w.endIndex - 1] == w[w.endIndex - 2] && consonants(w).last!
    }

    /// *o: ends consonant-vowel-consonant, the last not w/x/y; NLTK adds two-letter vowel-consonant.
    private static func endsCVC(_ w: ArraySlice<UInt8>) -> Bool {
        let f = consonants(w), n = f.count
        if n >= 3 && f[n - 3] && !f[n - 2] && f[n - 1] {
            let last = w[w.endIndex - 1]
            if last != 119 && last != 120 && last != 121 { return true }
        }
        return n == 2 && !f[0] && f[1]
    }

    // MARK: rule machinery

    private enum Condition { case none, positiveMeasure, measureAbove1, ionRule, logiRule }

    private struct Rule {
        let suffix: [UInt8], replacement: [UInt8], condition: Condition
        init(_ s: String, _ r: String, _ c: Condition) { suffix = Array(s.utf8); replacement = Array(r.utf8); condition = c }
    }

    private static func ends(_ w: [UInt8], _ suffix: [UInt8]) -> Bool {
        w.count >= suffix.count && w[(w.count - suffix.count)...].elementsEqual(suffix)
    }

    private static func holds(_ c: Condition, stem: ArraySlice<UInt8>, word: [UInt8]) -> Bool {
        switch c {
        case .none: return true
        case .positiveMeasure: return measure(stem) > 0
        case .measureAbove1: return measure(stem) > 1
        case .ionRule: return measure(stem) > 1 && (stem.last == 115 || stem.last == 116)
        case .logiRule: return measure(word[0..<(word.count - 3)]) > 0
        }
    }

    /// The first rule whose suffix matches decides: its replacement if the condition holds, else
    /// the word unchanged (NLTK `_apply_rule_list`).
    private static func apply(_ w: [UInt8], _ rules: [Rule]) -> [UInt8] {
        for rule in rules where ends(w, rule.suffix) {
            let stem = w[0..<(w.count - rule.suffix.count)]
            return holds(rule.condition, stem: stem, word: w) ? Array(stem) + rule.replacement : w
        }
        return w
    }

    // MARK: steps

    private static func step1a(_ w: [UInt8]) -> [UInt8] {
        if w.count == 4 && ends(w, Array("ies".utf8)) { return Array(w[0..<1]) + Array("ie".utf8) }
        return apply(w, [Rule("sses", "ss", .none), Rule("ies", "i", .none), Rule("ss", "ss", .none), Rule("s", "", .none)])
    }

    private static func step1b(_ w: [UInt8]) -> [UInt8] {
        if ends(w, Array("ied".utf8)) {
            return Array(w[0..<(w.count - 3)]) + Array((w.count == 4 ? "ie" : "i").utf8)
        }
        if ends(w, Array("eed".utf8)) {
            let stem = w[0..<(w.count - 3)]
            return measure(stem) > 0 ? Array(stem) + Array("ee".utf8) : w
        }
        var stem: [UInt8]? = nil
        for suffix in ["ed", "ing"] where ends(w, Array(suffix.utf8)) {
            let s = w[0..<(w.count - suffix.utf8.count)]
            if containsVowel(s) { stem = Array(s); break }
        }
        guard let s = stem else { return w }
        for (suffix, replacement) in [("at", "ate"), ("bl", "ble"), ("iz", "ize")] where ends(s, Array(suffix.utf8)) {
            return Array(s[0..<(s.count - 2)]) + Array(replacement.utf8)
        }
        if endsDoubleConsonant(s[...]) {
            let last = s[s.count - 1]
            return last == 108 || last == 115 || last == 122 ? s : Array(s[0..<(s.count - 1)])
        }
        return measure(s[...]) == 1 && endsCVC(s[...]) ? s + [101] : s
    }

    private static func step1c(_ w: [UInt8]) -> [UInt8] {
        guard w.last == 121 else { return w }
        let stem = w[0..<(w.count - 1)]
        return stem.count > 1 && isConsonant(stem, stem.count - 1) ? Array(stem) + [105] : w
    }

    private static let step2Rules: [Rule] = [
        Rule("ational", "ate", .positiveMeasure), Rule("tional", "tion", .positiveMeasure),
        Rule("enci", "ence", .positiveMeasure), Rule("anci", "ance", .positiveMeasure),
        Rule("izer", "ize", .positiveMeasure), Rule("bli", "ble", .positiveMeasure),
        Rule("alli", "al", .positiveMeasure), Rule("entli", "ent", .positiveMeasure),
        Rule("eli", "e", .positiveMeasure), Rule("ousli", "ous", .positiveMeasure),
        Rule("ization", "ize", .positiveMeasure), Rule("ation", "ate", .positiveMeasure),
        Rule("ator", "ate", .positiveMeasure), Rule("alism", "al", .positiveMeasure),
        Rule("iveness", "ive", .positiveMeasure), Rule("fulness", "ful", .positiveMeasure),
        Rule("ousness", "ous", .positiveMeasure), Rule("aliti", "al", .positiveMeasure),
        Rule("iviti", "ive", .positiveMeasure), Rule("biliti", "ble", .positiveMeasure),
        Rule("fulli", "ful", .positiveMeasure), Rule("logi", "log", .logiRule),
    ]

    private static func step2(_ w: [UInt8]) -> [UInt8] {
        // NLTK extension: "alli" → "al" then step 2 again.
        if ends(w, Array("alli".utf8)) && measure(w[0..<(w.count - 4)]) > 0 {
            return step2(Array(w[0..<(w.count - 2)]))
        }
        return apply(w, step2Rules)
    }

    private static let step3Rules: [Rule] = [
        Rule("icate", "ic", .positiveMeasure), Rule("ative", "", .positiveMeasure),
        Rule("alize", "al", .positiveMeasure), Rule("iciti", "ic", .positiveMeasure),
        Rule("ical", "ic", .positiveMeasure), Rule("ful", "", .positiveMeasure),
        Rule("ness", "", .positiveMeasure),
    ]

    private static func step3(_ w: [UInt8]) -> [UInt8] { apply(w, step3Rules) }

    private static let step4Rules: [Rule] = [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
    ].map { Rule($0, "", .measureAbove1) } + [Rule("ion", "", .ionRule)] + [
        "ou", "ism", "ate", "iti", "ous", "ive", "ize",
    ].map { Rule($0, "", .measureAbove1) }

    private static func step4(_ w: [UInt8]) -> [UInt8] { apply(w, step4Rules) }

    private static func step5a(_ w: [UInt8]) -> [UInt8] {
        guard w.last == 101 else { return w }
        let stem = w[0..<(w.count - 1)]
        let m = measure(stem)
        if m > 1 || (m == 1 && !endsCVC(stem)) { return Array(stem) }
        return w
    }

    private static func step5b(_ w: [UInt8]) -> [UInt8] {
        guard ends(w, Array("ll".utf8)) else { return w }
        return measure(w[0..<(w.count - 1)]) > 1 ? Array(w[0..<(w.count - 1)]) : w
    }
}
