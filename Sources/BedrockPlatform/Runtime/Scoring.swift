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
        // Perplexity is a local measurement, not a Bedrock call: it is neither access-checked nor
        // charged. A custom model's weights are reachable only through its provisioned throughput, as for invoke.
        if card.isCustom, !card.isImported {
            let serving = try workspace.write { tx in try servingBooking(for: card, at: try tx.now().billing, in: tx) }
            guard serving != nil else {
                throw BedrockError.validation("\(card.id) is served only through provisioned throughput: "
                                              + "book it (`book \"\(card.id)\" units: 1 name: \"…\"`) and wait until it is InService")
            }
        }
        let scored = try textEngine.logProbs(of: text, weights: try servedWeights(for: card))
        return try Perplexity.compute(logProbs: scored.map(\.logProb), tokens: scored.map(\.token))
    }
}
