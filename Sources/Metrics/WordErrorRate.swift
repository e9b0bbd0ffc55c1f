// Word error rate as jiwer 4.0 computes it with its default transform: collapse runs of two or
// more whitespace characters to one space, strip, split on " " only; then a word-level edit
// distance. WER = (S + D + I) / reference words, summed over a corpus before dividing; an empty
// reference scores the number of inserted words, as jiwer does. Not jiwer's alignment display.

/// Word error rate with the counts behind it.
public struct WERScore: Sendable, Equatable, CustomStringConvertible {
    public let wer: Double
    /// Minimum word edits (substitutions + deletions + insertions).
    public let errors: Int
    public let substitutions: Int
    public let deletions: Int
    public let insertions: Int
    public let referenceWords: Int
    public let hypothesisWords: Int

    public var description: String {
        "WER \(fixed(wer, 4)) (\(errors) errors: \(substitutions) sub, \(deletions) del, \(insertions) ins; "
            + "\(referenceWords) reference words; jiwer default transform)"
    }
}

public enum WordErrorRate {
    public static func score(hypothesis: String, reference: String) -> WERScore {
        aggregate([edits(words(hypothesis), words(reference))])
    }

    public static func corpus(hypotheses: [String], references: [String]) throws(MetricError) -> WERScore {
        guard hypotheses.count == references.count else {
            throw .countMismatch(what: "references", expected: hypotheses.count, got: references.count)
        }
        return aggregate(zip(hypotheses, references).map { edits(words($0), words($1)) })
    }

    /// jiwer's `wer_default`: RemoveMultipleSpaces (`\s\s+` → " "), Strip, split on " ".
    static func words(_ text: String) -> [[UInt32]] {
        let cps = PythonText.codePoints(text)
        var collapsed = CodePoints()
        var i = 0
        while i < cps.count {
            if PythonText.isSpace(cps[i]) && i + 1 < cps.count && PythonText.isSpace(cps[i + 1]) {
                while i < cps.count && PythonText.isSpace(cps[i]) { i += 1 }
                collapsed.append(0x20)
            } else {
                collapsed.append(cps[i])
                i += 1
            }
        }
        return PythonText.strip(collapsed).split(separator: 0x20, omittingEmptySubsequences: true).map { Array($0) }
    }

    struct Edits { var sub = 0, del = 0, ins = 0, refCount = 0, hypCount = 0 }

    /// Minimum edits by dynamic programming, with one optimal alignment's breakdown
    /// (preferring substitution on ties, then deletion).
    static func edits(_ hyp: [[UInt32]], _ ref: [[UInt32]]) -> Edits {
        let n = ref.count, m = hyp.count
        let w = m + 1
        var d = [Int](repeating: 0, count: (n + 1) * w)
        for i in 0...n { d[i * w] = i }
        for j in 0...m { d[j] = j }
        if n > 0 && m > 0 {
            for i in 1...n {
                for j in 1...m {
                    let same = ref[i - 1] == hyp[j - 1]
                    d[i * w + j] = min(d[(i - 1) * w + j - 1] + (same ? 0 : 1), d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1)
                }
            }
        }
        var e = Edits(refCount: n, hypCount: m)
        var i = n, j = m
        while i > 0 || j > 0 {
            if i > 0 && j > 0 && d[i * w + j] == d[(i - 1) * w + j - 1] + (ref[i - 1] == hyp[j - 1] ? 0 : 1) {
                if ref[i - 1] != hyp[j - 1] { e.sub += 1 }
                i -= 1; j -= 1
            } else if i > 0 && d[i * w + j] == d[(i - 1) * w + j] + 1 {
                e.del += 1; i -= 1
            } else {
                e.ins += 1; j -= 1
            }
        }
        return e
    }

    static func aggregate(_ all: [Edits]) -> WERScore {
        var s = 0, dl = 0, ins = 0, r = 0, h = 0
        for e in all { s += e.sub; dl += e.del; ins += e.ins; r += e.refCount; h += e.hypCount }
        let errors = s + dl + ins
        let wer = r == 0 ? Double(ins) : Double(errors) / Double(r)
        return WERScore(wer: wer, errors: errors, substitutions: s, deletions: dl, insertions: ins,
                        referenceWords: r, hypothesisWords: h)
    }
}
