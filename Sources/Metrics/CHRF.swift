// chrF and chrF++ as sacrebleu 2.6.0 computes them: character n-grams (1…6) of the text with
// whitespace removed, plus word n-grams (1…2 for chrF++) after sacrebleu's punctuation split,
// statistics [hyp, ref, match] per order, F-beta (beta 2) of the averaged precision and recall
// over orders that occur. With several references the best-F reference's statistics are kept.
// Scores are 0–100. Not the eps-smoothing variant's details beyond sacrebleu's formula.

/// How chrF is computed.
public struct CHRFOptions: Sendable, Equatable {
    public var charOrder: Int
    /// 0 for chrF, 2 for chrF++.
    public var wordOrder: Int
    public var beta: Int
    public var lowercase: Bool
    /// Keep whitespace inside character n-grams.
    public var whitespace: Bool
    /// sacrebleu's `eps_smoothing` (chrF++.py-style averaging of per-order F).
    public var epsSmoothing: Bool

    public init(charOrder: Int = 6, wordOrder: Int = 0, beta: Int = 2, lowercase: Bool = false,
                whitespace: Bool = false, epsSmoothing: Bool = false) {
        self.charOrder = charOrder
        self.wordOrder = wordOrder
        self.beta = beta
        self.lowercase = lowercase
        self.whitespace = whitespace
        self.epsSmoothing = epsSmoothing
    }

    public static let chrFPlusPlus = CHRFOptions(wordOrder: 2)

    public func signature(nrefs: String) -> String {
        "nrefs:\(nrefs)|case:\(lowercase ? "lc" : "mixed")|eff:\(epsSmoothing ? "no" : "yes")|nc:\(charOrder)"
            + "|nw:\(wordOrder)|space:\(whitespace ? "yes" : "no")|version:2.6.0"
    }
}

/// A chrF score (0–100) with its statistics and settings.
public struct CHRFScore: Sendable, Equatable, CustomStringConvertible {
    public let score: Double
    /// [hyp, ref, match] per order: character orders first, then word orders.
    public let statistics: [Int]
    public let options: CHRFOptions
    public let signature: String

    public var name: String { "chrF\(options.beta)" + String(repeating: "+", count: options.wordOrder) }
    public var description: String { "\(name) = \(fixed(score, 2)) [\(signature)]" }
}

/// sacrebleu's chrF.
public enum CHRF {
    public static func sentence(hypothesis: String, references: [String], options: CHRFOptions = .init()) -> CHRFScore {
        let stats = statistics(hypothesis: hypothesis, references: references, options: options)
        return CHRFScore(score: fScore(stats, options), statistics: stats, options: options,
                         signature: options.signature(nrefs: String(references.count)))
    }

    public static func corpus(hypotheses: [String], references: [[String]], options: CHRFOptions = .init()) throws(MetricError) -> CHRFScore {
        guard hypotheses.count == references.count else {
            throw .countMismatch(what: "reference lists", expected: hypotheses.count, got: references.count)
        }
        var total = [Int](repeating: 0, count: 3 * (options.charOrder + options.wordOrder))
        for (h, refs) in zip(hypotheses, references) {
            for (i, v) in statistics(hypothesis: h, references: refs, options: options).enumerated() { total[i] += v }
        }
        let counts = Set(references.map(\.count))
        let nrefs = counts.count == 1 ? String(counts.first!) : counts.isEmpty ? "0" : "var"
        return CHRFScore(score: fScore(total, options), statistics: total, options: options, signature: options.signature(nrefs: nrefs))
    }

    /// [hyp, ref, match] per order for the best-scoring reference.
    static func statistics(hypothesis: String, references: [String], options: CHRFOptions) -> [Int] {
        var chars = TokenInterner(expected: 64), words = TokenInterner(expected: 32)
        var charIndex = NgramIndex(maxOrder: options.charOrder, expected: 256)
        var wordIndex = NgramIndex(maxOrder: options.wordOrder, expected: 64)
        func grams(_ text: String) -> [[Int32]] {
            var cps = PythonText.codePoints(text)
            if options.lowercase { cps = PythonText.lower(cps) }
            let kept = options.whitespace ? cps : cps.filter { !PythonText.isSpace($0) }
            var out = charIndex.ngrams(kept.indices.map { chars.id(kept[$0...$0]) })
            if options.wordOrder > 0 {
                let ws = punctuationSplit(cps).map { words.id($0) }
                out += wordIndex.ngrams(ws)
            }
            return out
        }
        let hyp = grams(hypothesis)
        let refs = references.map(grams)
        var best: [Int] = []
        var bestF = -1.0
        for ref in refs {
            var stats: [Int] = []
            for (k, (h, r)) in zip(hyp, ref).enumerated() {
                let idCount = k < options.charOrder ? charIndex.count : wordIndex.count
                stats += [r.isEmpty ? 0 : h.count, r.count, overlap(h, r, idCount)]
            }
            let f = fScore(stats, options)
            if f > bestF { bestF = f; best = stats }
        }
        return best.isEmpty ? [Int](repeating: 0, count: 3 * (options.charOrder + options.wordOrder)) : best
    }

    static func overlap(_ a: [Int32], _ b: [Int32], _ idCount: Int) -> Int {
        var counts = [Int32](repeating: 0, count: idCount)
        for id in a { counts[Int(id)] += 1 }
        var m = 0
        for id in b where counts[Int(id)] > 0 { counts[Int(id)] -= 1; m += 1 }
        return m
    }

    /// sacrebleu's `_remove_punctuation`: split off one ASCII punctuation mark at a word's end,
    /// or else at its start.
    static func punctuationSplit(_ cps: CodePoints) -> [ArraySlice<UInt32>] {
        var out: [ArraySlice<UInt32>] = []
        for r in PythonText.split(cps) {
            let w = cps[r]
            if w.count == 1 { out.append(w); continue }
            if isPunct(w.last!) { out += [w.dropLast(), w.suffix(1)] }
            else if isPunct(w.first!) { out += [w.prefix(1), w.dropFirst()] }
            else { out.append(w) }
        }
        return out
    }

    static func isPunct(_ c: UInt32) -> Bool {
        (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E)
    }

    /// sacrebleu's `_compute_f_score`.
    static func fScore(_ stats: [Int], _ options: CHRFOptions) -> Double {
        let eps = 1e-16
        let factor = Double(options.beta * options.beta)
        var score = 0.0, avgP = 0.0, avgR = 0.0
        var effective = 0
        let order = options.charOrder + options.wordOrder
        for i in 0..<order {
            let nHyp = stats[3 * i], nRef = stats[3 * i + 1], nMatch = stats[3 * i + 2]
            let p = nHyp > 0 ? Double(nMatch) / Double(nHyp) : eps
            let r = nRef > 0 ? Double(nMatch) / Double(nRef) : eps
            let denom = factor * p + r
            score += denom > 0 ? (1 + factor) * p * r / denom : eps
            if nHyp > 0 && nRef > 0 { avgP += p; avgR += r; effective += 1 }
        }
        if options.epsSmoothing { return 100 * score / Double(order) }
        if effective == 0 { avgP = 0; avgR = 0 } else { avgP /= Double(effective); avgR /= Double(effective) }
        if avgP + avgR != 0 { return 100 * (((1 + factor) * avgP * avgR) / (factor * avgP + avgR)) }
        return 0
    }
}
