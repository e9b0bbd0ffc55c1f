// Question-answering exact match and token F1 as the official SQuAD v1.1 script computes them:
// normalise (lowercase, drop ASCII punctuation, drop the words a/an/the, collapse whitespace),
// then compare; with several accepted answers take the max. Corpus scores are means over
// questions (0–1; the SQuAD script multiplies by 100). Not SQuAD 2.0's no-answer handling.

/// Exact match and token F1 of one answer, or their means over a corpus.
public struct QAScore: Sendable, Equatable, CustomStringConvertible {
    public let exactMatch: Double
    public let f1: Double
    public let questions: Int

    public var description: String {
        "QA (\(questions) question\(questions == 1 ? "" : "s"), SQuAD v1.1 normalisation): exact match \(fixed(exactMatch, 4)) F1 \(fixed(f1, 4))"
    }
}

public enum QuestionAnswering {
    /// The SQuAD-normalised answer.
    public static func normalize(_ text: String) -> String {
        PythonText.string(normalizedTokens(text).joined(separator: [0x20]))
    }

    /// Scores `prediction` against every accepted answer, keeping the best of each measure.
    public static func score(prediction: String, answers: [String]) -> QAScore {
        let p = normalizedTokens(prediction)
        var em = 0.0, f1 = 0.0
        for a in answers {
            let g = normalizedTokens(a)
            em = max(em, p == g ? 1 : 0)
            f1 = max(f1, tokenF1(p, g))
        }
        return QAScore(exactMatch: em, f1: f1, questions: 1)
    }

    public static func corpus(predictions: [String], answers: [[String]]) throws(MetricError) -> QAScore {
        guard predictions.count == answers.count else {
            throw .countMismatch(what: "answer lists", expected: predictions.count, got: answers.count)
        }
        var em = 0.0, f1 = 0.0
        for (p, a) in zip(predictions, answers) {
            let s = score(prediction: p, answers: a)
            em += s.exactMatch
            f1 += s.f1
        }
        let n = Double(max(predictions.count, 1))
        return QAScore(exactMatch: em / n, f1: f1 / n, questions: predictions.count)
    }

    /// Normalised tokens as code-point arrays (Python string equality).
    static func normalizedTokens(_ text: String) -> [[UInt32]] {
        let lowered = PythonText.lower(PythonText.codePoints(text))
        let noPunct = lowered.filter { !CHRF.isPunct($0) }
        // `re.sub(r'\b(a|an|the)\b', ' ', text)`: a maximal run of word characters equal to an article.
        var out = CodePoints()
        var i = 0
        while i < noPunct.count {
            if PythonText.isWordCharacter(noPunct[i]) {
                var j = i
                while j < noPunct.count && PythonText.isWordCharacter(noPunct[j]) { j += 1 }
                let word = noPunct[i..<j]
                if isArticle(word) { out.append(0x20) } else { out.append(contentsOf: word) }
                i = j
            } else {
                out.append(noPunct[i])
                i += 1
            }
        }
        return PythonText.split(out).map { Array(out[$0]) }
    }

    private static func isArticle(_ w: ArraySlice<UInt32>) -> Bool {
        w.elementsEqual([0x61]) || w.elementsEqual([0x61, 0x6E]) || w.elementsEqual([0x74, 0x68, 0x65])
    }

    /// SQuAD's `f1_score`: bag-of-tokens overlap.
    static func tokenF1(_ prediction: [[UInt32]], _ truth: [[UInt32]]) -> Double {
        var counts: [[UInt32]: Int] = [:]
        for t in truth { counts[t, default: 0] += 1 }
        var same = 0
        for t in prediction where counts[t, default: 0] > 0 {
            counts[t]! -= 1
            same += 1
        }
        if same == 0 { return 0 }
        let p = Double(same) / Double(prediction.count), r = Double(same) / Double(truth.count)
        return (2 * p * r) / (p + r)
    }
}
