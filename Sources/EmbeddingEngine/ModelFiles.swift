// Finds the all-MiniLM-L6-v2 files in the model cache ($BEDROCK_MODELS, else $BEDROCK_HOME/models,
// else ~/.bedrock/models, then minilm/) and loads config.json and the safetensors weights into a
// BertEncoder. It does not download anything: a missing or corrupt file is an error that says to run
// scripts/fetch-models.

import Foundation

/// Why the embedding model could not be loaded; every message names the file.
public enum EmbeddingModelError: Error, CustomStringConvertible, Sendable {
    case missingFile(path: String)
    case corruptWeights(SafeTensorsError)
    case badVocabulary(TokenizerError)
    case badConfig(path: String, field: String, expected: String)
    case vocabularyMismatch(vocabPath: String, vocabSize: Int, configVocabSize: Int)
    case layerOutOfRange(layer: Int, allowed: ClosedRange<Int>)
    case inputTooLong(index: Int, tokens: Int, limit: Int)

    public var description: String {
        let fix = "run scripts/fetch-models to fetch the model again"
        switch self {
        case let .missingFile(p): return "\(p): file not found; \(fix)"
        case let .corruptWeights(e): return "\(e); \(fix)"
        case let .badVocabulary(e): return "\(e); \(fix)"
        case let .badConfig(p, f, e): return "\(p): field '\(f)' must be \(e); \(fix)"
        case let .vocabularyMismatch(p, n, c):
            return "\(p): \(n) tokens but config.json says vocab_size \(c); \(fix)"
        case let .inputTooLong(i, n, limit):
            return "text \(i) is \(n) tokens, over the model's limit of \(limit) (truncation: none)"
        case let .layerOutOfRange(l, r):
            return "layer \(l) does not exist: expected \(r.lowerBound) (embeddings) through \(r.upperBound) (last layer)"
        }
    }
}

/// Paths of the three model files.
public struct ModelFiles: Sendable, Equatable {
    public var directory: String
    public var weights: String { directory + "/model.safetensors" }
    public var vocabulary: String { directory + "/vocab.txt" }
    public var config: String { directory + "/config.json" }

    public init(directory: String) { self.directory = directory }

    /// `<cache>/minilm`, where the cache is $BEDROCK_MODELS, else $BEDROCK_HOME/models, else ~/.bedrock/models.
    public static func defaultLocation(environment: [String: String] = ProcessInfo.processInfo.environment) -> ModelFiles {
        let cache: String
        if let m = environment["BEDROCK_MODELS"], !m.isEmpty {
            cache = m
        } else if let h = environment["BEDROCK_HOME"], !h.isEmpty {
            cache = h + "/models"
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            cache = home + "/.bedrock/models"
        }
        return ModelFiles(directory: cache + "/minilm")
    }

    func checkPresent() throws(EmbeddingModelError) {
        for p in [weights, vocabulary, config] where !FileManager.default.fileExists(atPath: p) {
            throw .missingFile(path: p)
        }
    }
}

enum ModelLoader {
    static func config(_ path: String) throws(EmbeddingModelError) -> BertConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw .missingFile(path: path) }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .badConfig(path: path, field: "(file)", expected: "a JSON object")
        }
        func int(_ key: String) throws(EmbeddingModelError) -> Int {
            guard let v = json[key] as? Int, v > 0 else { throw .badConfig(path: path, field: key, expected: "a positive integer") }
            return v
        }
        guard let eps = json["layer_norm_eps"] as? Double, eps > 0 else {
            throw .badConfig(path: path, field: "layer_norm_eps", expected: "a positive number")
        }
        if let act = json["hidden_act"] as? String, act != "gelu" {
            throw .badConfig(path: path, field: "hidden_act", expected: "\"gelu\" (erf form)")
        }
        let c = BertConfig(vocabSize: try int("vocab_size"), hidden: try int("hidden_size"),
                           layers: try int("num_hidden_layers"), heads: try int("num_attention_heads"),
                           intermediate: try int("intermediate_size"),
                           maxPositions: try int("max_position_embeddings"),
                           typeVocabSize: try int("type_vocab_size"), layerNormEps: Float(eps))
        // The attention kernels work on whole SIMD8 vectors of a head.
        guard c.hidden % c.heads == 0, c.headDim % 8 == 0 else {
            throw .badConfig(path: path, field: "num_attention_heads",
                             expected: "a divisor of hidden_size \(c.hidden) leaving a head size that is a multiple of 8")
        }
        return c
    }

    /// Validates every tensor's dtype and shape against the config and packs the linear layers.
    static func encoder(_ file: SafeTensorsFile, _ c: BertConfig) throws(SafeTensorsError) -> BertEncoder {
        // Some exports prefix every name with "bert."; accept both spellings.
        let prefix = file.tensors["embeddings.word_embeddings.weight"] == nil ? "bert." : ""
        func f(_ name: String, _ shape: [Int]) throws(SafeTensorsError) -> UnsafeBufferPointer<Float> {
            try file.floats(prefix + name, shape: shape)
        }
        func linear(_ name: String, out: Int, in n: Int) throws(SafeTensorsError) -> PackedLinear {
            PackedLinear(weight: try f(name + ".weight", [out, n]), bias: try f(name + ".bias", [out]),
                         outFeatures: out, inFeatures: n)
        }
        let h = c.hidden
        var layers: [EncoderLayer] = []
        for l in 0..<c.layers {
            let p = "encoder.layer.\(l)."
            let q = try f(p + "attention.self.query.weight", [h, h]), k = try f(p + "attention.self.key.weight", [h, h])
            let v = try f(p + "attention.self.value.weight", [h, h])
            let qb = try f(p + "attention.self.query.bias", [h]), kb = try f(p + "attention.self.key.bias", [h])
            let vb = try f(p + "attention.self.value.bias", [h])
            let qkvW = Array(q) + Array(k) + Array(v), qkvB = Array(qb) + Array(kb) + Array(vb)
            let qkv = qkvW.withUnsafeBufferPointer { w in
                qkvB.withUnsafeBufferPointer { b in PackedLinear(weight: w, bias: b, outFeatures: 3 * h, inFeatures: h) }
            }
            layers.append(EncoderLayer(
                qkv: qkv,
                attentionOut: try linear(p + "attention.output.dense", out: h, in: h),
                ln1Gamma: Array(try f(p + "attention.output.LayerNorm.weight", [h])),
                ln1Beta: Array(try f(p + "attention.output.LayerNorm.bias", [h])),
                ffnIn: try linear(p + "intermediate.dense", out: c.intermediate, in: h),
                ffnOut: try linear(p + "output.dense", out: h, in: c.intermediate),
                ln2Gamma: Array(try f(p + "output.LayerNorm.weight", [h])),
                ln2Beta: Array(try f(p + "output.LayerNorm.bias", [h]))))
        }
        return BertEncoder(
            config: c, file: file,
            wordEmbeddings: try f("embeddings.word_embeddings.weight", [c.vocabSize, h]),
            positionEmbeddings: try f("embeddings.position_embeddings.weight", [c.maxPositions, h]),
            tokenTypeEmbeddings: try f("embeddings.token_type_embeddings.weight", [c.typeVocabSize, h]),
            embLNGamma: Array(try f("embeddings.LayerNorm.weight", [h])),
            embLNBeta: Array(try f("embeddings.LayerNorm.bias", [h])),
            layers: layers)
    }
}
