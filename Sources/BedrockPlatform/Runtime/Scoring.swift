// Scores that need a model's internals rather than its answers: BERTScore from the embedding
// engine's contextual token vectors, and perplexity from the text engine's log-probabilities.
// They are local measurements, not Bedrock operations, so they are not charged.
import Catalog
import Metrics

extension Platform {
    /// BERTScore of `candidate` against `references` with all-MiniLM-L6-v2's token vectors at
    /// `layer` (default: the last, 6), greedy cosine matching, no idf, no baseline rescaling.
    public func bertScore(candidate: String, references: [String], layer: Int = 6,
                          baseline: PrecisionRecallF? = nil) throws -> BERTScoreResult {
        func sequence(_ text: String) throws -> TokenEmbeddings {
            let (_, vectors) = try embeddingEngine.tokenVectors(text, layer: layer)
            return try TokenEmbeddings.bertSequence(values: vectors.flatMap { $0 }, dimension: vectors.first?.count ?? 384)
        }
        let settings = BERTScoreSettings(model: "all-MiniLM-L6-v2", layer: layer, idf: false, baseline: baseline)
        return try BERTScore.score(candidate: try sequence(candidate), references: try references.map(sequence), settings: settings)
    }

    /// Perplexity of `text` under a text model: exp of the mean negative log-likelihood per token,
    /// every token scored once (a sliding window beyond the context), with the per-token log-probs.
    public func perplexity(of text: String, modelID: String) throws -> PerplexityResult {
        let card = try model(id: modelID)
        _ = try textFamily(card)
        let scored = try textEngine.logProbs(of: text)
        return try Perplexity.compute(logProbs: scored.map(\.logProb), tokens: scored.map(\.token))
    }
}
