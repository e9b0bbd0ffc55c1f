// Reads a class label out of a free-text answer, for classification accuracy. A chat model rarely
// answers with the bare label ("The sentiment is positive."), so the answer is searched for the
// labels as words. It is deliberately simple and says what it does not understand (negation).

/// Maps a model's answer to one of a fixed set of labels.
///
/// The answer is lower-cased and split into words (runs of letters). Scanning left to right, the
/// first word that is a label, or starts with one ("positively", "negatives"), or is a prefix of
/// one at least 3 letters long ("pos", "neg"), decides; an answer with no such word maps to nil
/// and counts as wrong. It does not read negation: "not positive" maps to positive.
public struct LabelMapper: Sendable {
    public let labels: [String]

    /// `labels` are compared lower-cased; order breaks no ties (the first matching word decides).
    public init(labels: [String]) {
        self.labels = labels
    }

    /// The labels of a data set: its distinct first reference answers, sorted.
    public init(items: [DatasetItem]) {
        labels = Set(items.compactMap { $0.referenceResponses.first?.lowercased() }).sorted()
    }

    public func map(_ answer: String) -> String? {
        let lower = labels.map { $0.lowercased() }
        for word in Self.words(answer) {
            if let i = lower.firstIndex(of: word) { return labels[i] }
            if let i = lower.firstIndex(where: { word.hasPrefix($0) }) { return labels[i] }
            if word.count >= 3, let i = lower.firstIndex(where: { $0.hasPrefix(word) }) { return labels[i] }
        }
        return nil
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter }.map(String.init)
    }
}
