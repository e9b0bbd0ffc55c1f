// Perplexity from per-token log-probabilities supplied by a text engine, and the sliding-window
// plan of the Hugging Face perplexity guide (window = context length, stride ≤ window): each
// window re-reads up to window − stride tokens of context and scores only tokens no earlier
// window scored. Token 0 is never scored (nothing predicts it); with stride = window (disjoint
// windows) no window's first token is, exactly as in the guide. Not the model call itself.

/// One model call of the sliding-window plan.
public struct PerplexityWindow: Sendable, Equatable {
    /// Token positions fed to the model.
    public let context: Range<Int>
    /// Positions whose log-probability this window contributes (predicted from earlier context).
    public let scored: Range<Int>
}

/// Perplexity with the per-token log-probs behind it.
public struct PerplexityResult: Sendable, Equatable, CustomStringConvertible {
    public struct Token: Sendable, Equatable {
        public let text: String
        /// Natural-log probability of this token given the text before it.
        public let logProb: Double
    }

    public let perplexity: Double
    /// Mean negative log-likelihood per scored token (nats).
    public let meanNLL: Double
    public let tokens: [Token]
    public let window: Int
    public let stride: Int

    public var description: String {
        "perplexity \(fixed(perplexity, 4)) (mean NLL \(fixed(meanNLL, 4)) nats over \(tokens.count) tokens, window \(window), stride \(stride))"
    }
}

public enum Perplexity {
    /// The windows that cover `tokenCount` tokens: starts at 0, stride, 2·stride, … until a window
    /// reaches the end; each scores from the end of the previous window (or position 1) to its own end.
    public static func plan(tokenCount: Int, window: Int, stride: Int) throws(MetricError) -> [PerplexityWindow] {
        guard window >= 2 else {
            throw .invalidOptionValue(metric: "perplexity", name: "window", value: "\(window)", allowed: "at least 2")
        }
        guard stride >= 1 && stride <= window else {
            throw .invalidOptionValue(metric: "perplexity", name: "stride", value: "\(stride)", allowed: "1…\(window) (the window)")
        }
        var out: [PerplexityWindow] = []
        var previousEnd = 0
        var begin = 0
        while begin < tokenCount {
            let end = min(begin + window, tokenCount)
            let first = max(previousEnd, begin + 1)
            if first < end { out.append(PerplexityWindow(context: begin..<end, scored: first..<end)) }
            previousEnd = end
            if end == tokenCount { break }
            begin += stride
        }
        return out
    }

    /// exp(mean NLL) of the given log-probs (natural log), one per scored token.
    public static func compute(logProbs: [Double], tokens: [String]? = nil, window: Int = 0, stride: Int = 0) throws(MetricError) -> PerplexityResult {
        guard !logProbs.isEmpty else { throw .empty(what: "token log-probabilities") }
        if let t = tokens, t.count != logProbs.count {
            throw .countMismatch(what: "token texts", expected: logProbs.count, got: t.count)
        }
        if let bad = logProbs.firstIndex(where: { $0.isNaN || $0 > 0 }) {
            throw .invalidOptionValue(metric: "perplexity", name: "logProbs[\(bad)]", value: "\(logProbs[bad])", allowed: "a log-probability ≤ 0")
        }
        let nll = -logProbs.reduce(0, +) / Double(logProbs.count)
        let toks = logProbs.indices.map { PerplexityResult.Token(text: tokens?[$0] ?? "", logProb: logProbs[$0]) }
        return PerplexityResult(perplexity: cExp(nll), meanNLL: nll, tokens: toks, window: window, stride: stride)
    }
}
