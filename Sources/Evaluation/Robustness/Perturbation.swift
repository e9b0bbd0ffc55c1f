// The robustness perturbations Bedrock applies to prompts (reference §5.2): lower-casing, keyboard
// typos, numbers written as words, random capitals, whitespace added or removed. Each is a pure
// function of (text, seed): the same seed gives the same text on every machine. Scoring the
// model's answers to perturbed prompts is the metrics' job, not this file's.
import Basics

/// A named way to disturb a prompt without changing what it asks.
public enum Perturbation: String, CaseIterable, Sendable, Codable {
    /// Every letter lower-cased. Ignores the seed.
    case lowercase
    /// Each letter, with probability `typoRate`, replaced by a neighbouring QWERTY key (2/3 of the
    /// time, case kept) or dropped (1/3).
    case typos
    /// Whole numbers in digits become English words: "3" → "three", "1999" → "one thousand nine
    /// hundred ninety-nine", "2.5" → "two point five"; leading zeros spell digit by digit.
    case numbersAsWords = "numbers-as-words"
    /// Each letter upper-cased with probability `capitalRate`.
    case randomCapitals = "random-capitals"
    /// Each space removed with probability `whitespaceRemoveRate`; after each other character a
    /// space is inserted with probability `whitespaceAddRate`.
    case whitespace

    public static let typoRate = 0.05
    public static let capitalRate = 0.1
    public static let whitespaceRemoveRate = 0.1
    public static let whitespaceAddRate = 0.05

    /// The perturbed text. The generator is SplitMix64 seeded with `seed` mixed with the
    /// perturbation's name, so two kinds never share a random stream.
    public func apply(_ text: String, seed: UInt64) -> String {
        var rng = SplitMix64(seed: seed ^ stableHash(rawValue))
        switch self {
        case .lowercase: return text.lowercased()
        case .typos: return Self.typos(text, rng: &rng)
        case .numbersAsWords: return NumberWords.replacingNumbers(in: text)
        case .randomCapitals:
            return String(text.map { $0.isLowercase && rng.unit() < Self.capitalRate ? Character($0.uppercased()) : $0 })
        case .whitespace: return Self.whitespace(text, rng: &rng)
        }
    }

    /// Bedrock's "about five perturbed copies per prompt": one of each kind, in `allCases` order.
    public static func variants(of text: String, seed: UInt64) -> [(perturbation: Perturbation, text: String)] {
        allCases.map { ($0, $0.apply(text, seed: seed)) }
    }

    static func typos(_ text: String, rng: inout SplitMix64) -> String {
        var out = ""
        for c in text {
            guard c.isLetter, c.isASCII, rng.unit() < typoRate else { out.append(c); continue }
            if rng.below(3) == 2 { continue }  // dropped
            let lower = Character(c.lowercased())
            guard let near = keyboardNeighbours[lower], !near.isEmpty else { out.append(c); continue }
            let pick = near[near.index(near.startIndex, offsetBy: rng.below(near.count))]
            out.append(c.isUppercase ? Character(pick.uppercased()) : pick)
        }
        return out
    }

    static func whitespace(_ text: String, rng: inout SplitMix64) -> String {
        var out = ""
        for c in text {
            if c == " " {
                if rng.unit() >= whitespaceRemoveRate { out.append(c) }
            } else {
                out.append(c)
                if !c.isWhitespace, rng.unit() < whitespaceAddRate { out.append(" ") }
            }
        }
        return out
    }

    /// Letters next to each key on a US QWERTY keyboard (same row and the rows above and below).
    static let keyboardNeighbours: [Character: String] = [
        "q": "wa", "w": "qeas", "e": "wrsd", "r": "etdf", "t": "ryfg", "y": "tugh", "u": "yihj", "i": "uojk",
        "o": "ipkl", "p": "ol", "a": "qwsz", "s": "awedzx", "d": "serfxc", "f": "drtgcv", "g": "ftyhvb",
        "h": "gyujbn", "j": "huiknm", "k": "jiolm", "l": "kop", "z": "asx", "x": "zsdc", "c": "xdfv",
        "v": "cfgb", "b": "vghn", "n": "bhjm", "m": "njk",
    ]
}

/// English words for numbers, for `Perturbation.numbersAsWords`.
public enum NumberWords {
    static let ones = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                       "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
    static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    static let scales: [(value: UInt64, name: String)] = [
        (1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"),
    ]

    /// 0 → "zero", 21 → "twenty-one", 105 → "one hundred five", 3_000_001 → "three million one".
    public static func words(_ n: UInt64) -> String {
        if n < 20 { return ones[Int(n)] }
        if n < 100 { return tens[Int(n / 10)] + (n % 10 == 0 ? "" : "-" + ones[Int(n % 10)]) }
        if n < 1000 { return ones[Int(n / 100)] + " hundred" + (n % 100 == 0 ? "" : " " + words(n % 100)) }
        for scale in scales where n >= scale.value {
            let rest = n % scale.value
            return words(n / scale.value) + " " + scale.name + (rest == 0 ? "" : " " + words(rest))
        }
        return ones[0]  // unreachable: the scales cover every n ≥ 1000
    }

    /// Spells each run of digits (with an optional ".digits" fraction). Runs with a leading zero
    /// or too long for the scales are read digit by digit, as people read codes.
    public static func replacingNumbers(in text: String) -> String {
        var out = ""
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            guard chars[i].isASCII, chars[i].isNumber else { out.append(chars[i]); i += 1; continue }
            var j = i
            while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
            out += spell(String(chars[i..<j]))
            if j + 1 < chars.count, chars[j] == ".", chars[j + 1].isASCII, chars[j + 1].isNumber {
                var k = j + 1
                while k < chars.count, chars[k].isASCII, chars[k].isNumber { k += 1 }
                out += " point " + chars[(j + 1)..<k].map { ones[Int(String($0))!] }.joined(separator: " ")
                j = k
            }
            i = j
        }
        return out
    }

    static func spell(_ digits: String) -> String {
        if (digits.count > 1 && digits.hasPrefix("0")) || digits.count > 15 {
            return digits.map { ones[Int(String($0))!] }.joined(separator: " ")
        }
        return words(UInt64(digits)!)
    }
}
