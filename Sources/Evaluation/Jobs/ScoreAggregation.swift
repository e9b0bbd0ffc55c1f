// Per-item scores → one number per (model, metric, category), plus the whole-set row (category "").
// Means are plain averages over items, except perplexity, which is exp of the token-weighted mean
// negative log-likelihood (the corpus perplexity, not an average of per-item perplexities).
// Pure arithmetic; where the scores come from is the platform's business.
import Foundation

/// One measured value for one item and one model.
public struct ItemScore: Sendable, Equatable, Codable {
    public var itemID: String
    public var category: String
    public var modelID: String
    public var metric: String
    /// The value; for `perplexity` the item's mean negative log-likelihood per token.
    public var value: Double
    /// Weight in the mean (tokens for perplexity, otherwise 1).
    public var weight: Double

    public init(itemID: String, category: String, modelID: String, metric: String, value: Double, weight: Double = 1) {
        self.itemID = itemID; self.category = category; self.modelID = modelID
        self.metric = metric; self.value = value; self.weight = weight
    }
}

/// An aggregated score (`category` "" is the whole data set).
public struct AggregateScore: Sendable, Equatable, Codable {
    public var modelID: String
    public var metric: String
    public var category: String
    public var value: Double
    public var itemCount: Int

    public init(modelID: String, metric: String, category: String, value: Double, itemCount: Int) {
        self.modelID = modelID; self.metric = metric; self.category = category
        self.value = value; self.itemCount = itemCount
    }
}

public enum ScoreAggregation {
    /// Metrics whose items carry a mean negative log-likelihood, aggregated as exp(weighted mean).
    public static let perplexityMetrics: Set<String> = ["perplexity"]

    /// Aggregates in first-seen order of (model, metric); per metric the whole set first, then the
    /// categories sorted by name. Items with a non-finite value are left out of the mean.
    public static func aggregate(_ scores: [ItemScore]) -> [AggregateScore] {
        struct Key: Hashable { var model: String, metric: String }
        var order: [Key] = []
        var groups: [Key: [ItemScore]] = [:]
        for s in scores where s.value.isFinite {
            let key = Key(model: s.modelID, metric: s.metric)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(s)
        }
        var out: [AggregateScore] = []
        for key in order {
            let items = groups[key]!
            out.append(AggregateScore(modelID: key.model, metric: key.metric, category: "",
                                      value: mean(items, metric: key.metric), itemCount: Set(items.map(\.itemID)).count))
            let categories = Set(items.map(\.category)).filter { !$0.isEmpty }.sorted()
            guard categories.count > 1 else { continue }
            for c in categories {
                let part = items.filter { $0.category == c }
                out.append(AggregateScore(modelID: key.model, metric: key.metric, category: c,
                                          value: mean(part, metric: key.metric), itemCount: Set(part.map(\.itemID)).count))
            }
        }
        return out
    }

    static func mean(_ items: [ItemScore], metric: String) -> Double {
        let total = items.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return .nan }
        let m = items.reduce(0) { $0 + $1.value * $1.weight } / total
        return perplexityMetrics.contains(metric) ? exp(m) : m
    }
}
