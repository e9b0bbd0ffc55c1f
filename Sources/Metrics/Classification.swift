// Classification accuracy and per-class / macro precision, recall and F1 over string labels.
// Conventions follow scikit-learn's `precision_recall_fscore_support(average=None/'macro')` with
// `zero_division=0`: a class never predicted has precision 0, one never true has recall 0, and
// the macro average runs over every label seen in either list. Not micro or weighted averages.

/// Accuracy and per-class scores of predicted labels against true labels.
public struct ClassificationScore: Sendable, Equatable, CustomStringConvertible {
    public struct PerClass: Sendable, Equatable {
        public let label: String
        public let scores: PrecisionRecallF
        /// Number of true occurrences of the label.
        public let support: Int
    }

    public let accuracy: Double
    public let correct: Int
    public let total: Int
    /// Per label, sorted by label (code-point order).
    public let classes: [PerClass]
    /// Unweighted means over `classes`.
    public let macro: PrecisionRecallF

    public var description: String {
        var lines = ["classification: accuracy \(fixed(accuracy, 4)) (\(correct)/\(total)), macro \(macro)"]
        for c in classes { lines.append("  \(c.label): \(c.scores) support \(c.support)") }
        return lines.joined(separator: "\n")
    }
}

public enum Classification {
    public static func score(predictions: [String], labels: [String]) throws(MetricError) -> ClassificationScore {
        guard predictions.count == labels.count else {
            throw .countMismatch(what: "labels", expected: predictions.count, got: labels.count)
        }
        guard !labels.isEmpty else { throw .empty(what: "labels") }
        // Labels compare by code points, as Python strings do.
        let key = { (s: String) in Array(s.unicodeScalars.map(\.value)) }
        var tp: [[UInt32]: Int] = [:], predicted: [[UInt32]: Int] = [:], actual: [[UInt32]: Int] = [:]
        var names: [[UInt32]: String] = [:]
        var correct = 0
        for (p, t) in zip(predictions, labels) {
            let kp = key(p), kt = key(t)
            names[kp] = p
            names[kt] = t
            predicted[kp, default: 0] += 1
            actual[kt, default: 0] += 1
            if kp == kt { tp[kt, default: 0] += 1; correct += 1 }
        }
        let ordered = names.keys.sorted { $0.lexicographicallyPrecedes($1) }
        let classes = ordered.map { k -> ClassificationScore.PerClass in
            let hit = Double(tp[k, default: 0])
            let pc = predicted[k, default: 0], ac = actual[k, default: 0]
            let p = pc > 0 ? hit / Double(pc) : 0, r = ac > 0 ? hit / Double(ac) : 0
            return .init(label: names[k]!, scores: PrecisionRecallF(precision: p, recall: r), support: ac)
        }
        let n = Double(classes.count)
        let macro = PrecisionRecallF(
            precision: classes.reduce(0) { $0 + $1.scores.precision } / n,
            recall: classes.reduce(0) { $0 + $1.scores.recall } / n,
            f: classes.reduce(0) { $0 + $1.scores.f } / n)
        return ClassificationScore(accuracy: Double(correct) / Double(labels.count), correct: correct,
                                   total: labels.count, classes: classes, macro: macro)
    }
}
