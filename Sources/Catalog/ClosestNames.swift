// "Did you mean": ranks candidate names by how close they are to what the user typed, using
// prefix/containment first and Levenshtein edit distance after. Used for model IDs, filter values
// and hyperparameter names. Pure string code; it knows nothing of models.
import Basics

public enum ClosestNames {
    /// Up to `limit` candidates close to `text`, best first; empty when nothing is plausibly meant.
    /// Case is ignored. A candidate that starts with or contains the text ranks first (shorter
    /// first), then candidates within an edit distance of max(2, a third of the text's length).
    public static func suggest(_ text: String, among candidates: [String], limit: Int = 3) -> [String] {
        let query = text.lowercased()
        guard !query.isEmpty else { return [] }
        var scored: [(tier: Int, score: Int, name: String)] = []
        var seen = Set<String>()
        let budget = max(2, query.count / 3)
        for name in candidates where seen.insert(name).inserted {
            let lower = name.lowercased()
            if lower == query {
                scored.append((0, 0, name))
            } else if query.count >= 3, lower.hasPrefix(query) || lower.contains(query) {
                scored.append((1, lower.count - query.count, name))
            } else {
                let d = editDistance(query, lower)
                if d <= budget { scored.append((2, d, name)) }
            }
        }
        scored.sort { ($0.tier, $0.score, $0.name) < ($1.tier, $1.score, $1.name) }
        return scored.prefix(limit).map(\.name)
    }
}
