// The public face of the embedding engine: load all-MiniLM-L6-v2, embed texts (mean pooling over real
// tokens, optional L2 normalisation), contextual token embeddings of any layer for BERTScore, and
// token counts. Batches are grouped by length and spread over threads with a fixed assignment; a
// text's result is bit-identical whatever its batch neighbours or the thread count. No Bedrock
// request/response bodies here: the platform builds those on top.

import Foundation

/// One text's sentence embedding.
public struct EmbeddingResult: Sendable, Equatable {
    /// `dimensions` floats (384); unit length when `normalize` was set.
    public var vector: [Float]
    /// Tokens the model read, including [CLS] and [SEP] (at most 512).
    public var tokenCount: Int
    /// Word pieces cut to fit the 512-token window, from the end unless `.start` was asked (0 when it fits).
    public var truncatedTokens: Int
}

/// Contextual embeddings of every token of one text, from one layer.
public struct TokenEmbeddings: Sendable, Equatable {
    /// Token IDs, [CLS] first and [SEP] last.
    public var ids: [Int32]
    /// The vocabulary strings of `ids` (word pieces keep their `##`).
    public var tokens: [String]
    /// One `dimensions`-float vector per token (not normalised).
    public var vectors: [[Float]]
    /// 0 = embedding layer output, `layerCount` = last encoder layer.
    public var layer: Int
    public var truncatedTokens: Int
}

public struct EmbeddingModel: Sendable {
    /// The model this engine runs, for catalog cards ("served by …").
    public static let modelName = "sentence-transformers/all-MiniLM-L6-v2"
    public let files: ModelFiles
    public let config: BertConfig
    public let tokenizer: WordPieceTokenizer
    let encoder: BertEncoder
    /// Worker threads (default: up to 2 cores); results are bit-identical for any value.
    public var threads: Int
    /// Longest input in tokens including [CLS] and [SEP].
    public var maxTokens: Int { config.maxPositions }
    public var dimensions: Int { config.hidden }
    public var layerCount: Int { config.layers }

    /// Loads the model from `files` (default: the model cache); errors say to run scripts/fetch-models.
    public static func load(from files: ModelFiles = .defaultLocation(),
                            threads: Int = min(2, ProcessInfo.processInfo.activeProcessorCount))
        throws(EmbeddingModelError) -> EmbeddingModel {
        try files.checkPresent()
        let config = try ModelLoader.config(files.config)
        let tokenizer: WordPieceTokenizer
        do { tokenizer = try WordPieceTokenizer(vocabPath: files.vocabulary) } catch { throw .badVocabulary(error) }
        guard tokenizer.tokens.count == config.vocabSize else {
            throw .vocabularyMismatch(vocabPath: files.vocabulary, vocabSize: tokenizer.tokens.count,
                                      configVocabSize: config.vocabSize)
        }
        let encoder: BertEncoder
        do {
            encoder = try ModelLoader.encoder(try SafeTensorsFile(path: files.weights), config)
        } catch { throw .corruptWeights(error) }
        return EmbeddingModel(files: files, config: config, tokenizer: tokenizer, encoder: encoder,
                              threads: max(1, threads))
    }

    /// Token IDs as the model reads them: [CLS] … [SEP], truncated to `maxTokens`.
    public func tokenize(_ text: String, truncation: Truncation = .end) -> TokenizedText {
        tokenizer.encode(text, maxLength: maxTokens, truncation: truncation)
    }

    /// Tokens `text` costs, [CLS] and [SEP] included, before any truncation.
    public func countTokens(_ text: String) -> Int { tokenizer.wordPieceIDs(text).count + 2 }

    /// Sentence embeddings: mean of the last layer over real tokens, L2-normalised when `normalize`.
    /// Over-long texts keep their first 510 word pieces (see `truncatedTokens`).
    public func embed(_ texts: [String], normalize: Bool = true) -> [EmbeddingResult] {
        embed(encoded: texts.map { tokenize($0) }, normalize: normalize)
    }

    /// Sentence embeddings with a choice of truncation; `.none` throws `inputTooLong` naming the
    /// first text over the limit, before any work is done.
    public func embed(_ texts: [String], normalize: Bool = true, truncation: Truncation)
        throws(EmbeddingModelError) -> [EmbeddingResult] {
        let encoded = texts.map { tokenize($0, truncation: truncation) }
        if truncation == .none, let i = encoded.firstIndex(where: { $0.droppedTokens > 0 }) {
            throw .inputTooLong(index: i, tokens: encoded[i].ids.count + encoded[i].droppedTokens, limit: maxTokens)
        }
        return embed(encoded: encoded, normalize: normalize)
    }

    private func embed(encoded: [TokenizedText], normalize: Bool) -> [EmbeddingResult] {
        let h = dimensions
        let states = run(encoded.map(\.ids), throughLayer: layerCount) { hidden, n in
            var mean = [Float](repeating: 0, count: h)
            for i in 0..<n { for j in 0..<h { mean[j] += hidden[i * h + j] } }
            let inv = 1 / Float(n)
            for j in 0..<h { mean[j] *= inv }
            return normalize ? VectorMath.normalized(mean) : mean
        }
        return zip(encoded, states).map { e, v in
            EmbeddingResult(vector: v, tokenCount: e.ids.count, truncatedTokens: e.droppedTokens)
        }
    }

    /// One text's sentence embedding.
    public func embed(_ text: String, normalize: Bool = true) -> EmbeddingResult { embed([text], normalize: normalize)[0] }

    /// Contextual token embeddings from `layer` (0…layerCount; nil = last), as BERTScore uses them.
    public func tokenEmbeddings(_ texts: [String], layer: Int? = nil) throws(EmbeddingModelError) -> [TokenEmbeddings] {
        let l = layer ?? layerCount
        guard (0...layerCount).contains(l) else { throw .layerOutOfRange(layer: l, allowed: 0...layerCount) }
        let encoded = texts.map { tokenize($0) }
        let h = dimensions
        let states = run(encoded.map(\.ids), throughLayer: l) { hidden, n in
            (0..<n).map { i in Array(hidden[(i * h)..<((i + 1) * h)]) }
        }
        return zip(encoded, states).map { e, v in
            TokenEmbeddings(ids: e.ids, tokens: e.ids.map { tokenizer.tokens[Int($0)] }, vectors: v,
                            layer: l, truncatedTokens: e.droppedTokens)
        }
    }

    /// One text's contextual token embeddings.
    public func tokenEmbeddings(_ text: String, layer: Int? = nil) throws(EmbeddingModelError) -> TokenEmbeddings {
        try tokenEmbeddings([text], layer: layer)[0]
    }

    /// Cosine similarity of two texts' sentence embeddings, in [-1, 1].
    public func similarity(_ a: String, _ b: String) -> Float {
        let v = embed([a, b]).map(\.vector)
        return VectorMath.cosineUnchecked(v[0], v[1])
    }

    /// The `k` texts whose embeddings are most cosine-similar to `query`'s, best first.
    public func nearest(_ query: String, in texts: [String], k: Int) -> [Neighbor] {
        let all = embed([query] + texts).map(\.vector)
        return VectorMath.nearestUnchecked(all[0], in: Array(all.dropFirst()), k: k)
    }

    /// Encodes sequences in length-sorted groups across `threads`, then reduces each sequence's
    /// hidden states (`n` rows × dimensions, contiguous) with `reduce`.
    private func run<T: Sendable>(_ sequences: [[Int32]], throughLayer layer: Int,
                                  _ reduce: @Sendable (UnsafeBufferPointer<Float>, Int) -> T) -> [T] {
        let groups = BatchPlanner.groups(lengths: sequences.map(\.count), workers: threads)
        let out = ResultSlots<T>(count: sequences.count)
        let enc = encoder, pad = tokenizer.padID, h = dimensions
        // Several groups: whole groups per thread. One group (one long text, a few short ones):
        // split its GEMM rows and attention heads instead.
        let inner = groups.count == 1 ? threads : 1
        Parallel.forEach(groups.count, threads: threads) { g in
            let members = groups[g]
            let batch = EncoderBatch(sequences: members.map { sequences[$0] }, padID: pad)
            let hidden = enc.forward(batch, throughLayer: layer, threads: inner)
            hidden.withUnsafeBufferPointer { hp in
                for (b, index) in members.enumerated() {
                    let rows = UnsafeBufferPointer(rebasing: hp[(b * batch.paddedLength * h)...])
                    out.set(index, reduce(rows, batch.lengths[b]))
                }
            }
        }
        return out.finish()
    }
}

extension EmbeddingModel {
    /// Runs layer 0's FFN input GEMM once on `rows` constant rows: a kernel timing hook for bench-embed,
    /// outside the public API (`@_spi(Benchmark) import EmbeddingEngine`).
    @_spi(Benchmark) public func benchmarkFFNGEMM(rows: Int) {
        let lin = encoder.layers[0].ffnIn
        let x = [Float](repeating: 0.5, count: rows * lin.inFeatures)
        var out = [Float](repeating: 0, count: rows * lin.outFeatures)
        x.withUnsafeBufferPointer { xp in out.withUnsafeMutableBufferPointer { lin.apply(xp.baseAddress!, rows: rows, $0.baseAddress!) } }
    }
}
