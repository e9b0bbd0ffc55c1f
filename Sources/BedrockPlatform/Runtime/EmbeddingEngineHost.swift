// EmbeddingEngineHost: the one place the platform meets the embedding engine (all-MiniLM-L6-v2,
// 384 dimensions). Loads it once, on first use; embeds texts in batches over both cores.
import EmbeddingEngine
import Synchronization

final class EmbeddingEngineHost: Sendable {
    private let model = Mutex<EmbeddingModel?>(nil)

    func loaded() throws -> EmbeddingModel {
        try model.withLock { slot in
            if let m = slot { return m }
            let m = try EmbeddingModel.load()
            slot = m
            return m
        }
    }

    /// The engine's vector size.
    func dimensions() throws -> Int { try loaded().dimensions }

    /// Tokens of a text before truncation ([CLS] and [SEP] included).
    func countTokens(_ text: String) throws -> Int { try loaded().countTokens(text) }

    /// One vector per text, and the input tokens each cost ([CLS] and [SEP] included).
    /// `truncateStart` keeps a long text's end instead of its start (Cohere's truncate: START).
    func embed(_ texts: [String], normalize: Bool, truncateStart: Bool = false) throws -> [(vector: [Float], tokens: Int)] {
        let m = try loaded()
        return try m.embed(texts, normalize: normalize, truncation: truncateStart ? .start : .end)
            .map { ($0.vector, $0.tokenCount) }
    }

    /// Contextual token vectors of a text at `layer` (nil: the last), [CLS] first and [SEP] last
    /// (BERTScore keeps them in the similarity matrix with weight 0, as bert-score does).
    func tokenVectors(_ text: String, layer: Int?) throws -> (tokens: [String], vectors: [[Float]]) {
        let t = try loaded().tokenEmbeddings(text, layer: layer)
        return (t.tokens, t.vectors)
    }
}
