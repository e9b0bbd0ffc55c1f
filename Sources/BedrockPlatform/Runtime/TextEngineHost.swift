// TextEngineHost: where the platform meets the text engine. It loads SmolLM2 once, on first use,
// and keeps a small pool of custom models (each served from a copy of the base file with its
// trained weights folded in, keyed by the weights file) and imported models (served from their own
// file, tokenizer and chat format); renders a neutral request into the model's chat tokens (message
// text is encoded as text, so a user cannot forge turn markers inside a message), and runs
// generation. Besides Customization/ and Import/, the only file importing TextEngine.
import Foundation
import Synchronization
import TextEngine

/// What one generation produced, with the wall-clock time it took.
struct EngineOutput: Sendable {
    var response: TextResponse
    var seconds: Double
}

/// A custom model's trained weights and the folder its served copy is kept in, or an imported
/// model's own file.
struct ServedWeights: Sendable, Hashable {
    /// The custom model's weights file (Customization/CustomWeightsFile.swift), or the imported file.
    var weightsURL: URL
    /// Set for an imported model: its file is served as it is, in its own chat format.
    var imported: ImportedServing? = nil
    /// The engine file: built from base + weights (rebuilt when missing), or the imported file itself.
    var servedURL: URL {
        imported != nil ? weightsURL : weightsURL.deletingLastPathComponent().appendingPathComponent(CustomWeightsFile.servedName)
    }
}

/// How an imported model is served: its chat format and the KV cache it gets.
struct ImportedServing: Sendable, Hashable {
    var chatFormat: ChatFormat
    /// The system line its ChatML template inserts when a conversation has none.
    var defaultSystem: String?
    /// KV-cache tokens (the file's context, capped: Platform.servedContext in Import/ModelImportRun.swift).
    var contextWindow: Int
}

final class TextEngineHost: Sendable {
    private let model = Mutex<TextModel?>(nil)
    private let path: String?
    /// Loaded custom models, most recently used last; at most `poolSize` stay in memory.
    private let pool = Mutex<[(key: ServedWeights, model: TextModel)]>([])
    static let poolSize = 2

    /// Kernel threads of every loaded model (TextModel's default; results do not depend on it).
    static let threads = 2

    /// `path` nil: SmolLM2-135M-Instruct from the model cache.
    init(path: String? = nil) { self.path = path }

    /// The loaded model (loading it on first use).
    func loaded() throws -> TextModel {
        try model.withLock { slot in
            if let m = slot { return m }
            let m = try TextModel(path: path)
            slot = m
            return m
        }
    }

    /// The model serving `weights` (nil: the base model), built and loaded on first use.
    func loaded(weights: ServedWeights?) throws -> TextModel {
        guard let weights else { return try loaded() }
        if let hit = pool.withLock({ entries -> TextModel? in
            guard let i = entries.firstIndex(where: { $0.key == weights }) else { return nil }
            let e = entries.remove(at: i)
            entries.append(e)
            return e.model
        }) { return hit }
        let m: TextModel
        if let imported = weights.imported {
            m = try TextModel(path: weights.servedURL.path, threads: Self.threads, contextWindow: imported.contextWindow)
        } else {
            let base = try loaded()
            if !FileManager.default.fileExists(atPath: weights.servedURL.path) {
                try CustomWeightsFile.buildServed(base: base.weights.file, weightsURL: weights.weightsURL, servedURL: weights.servedURL)
            }
            m = try TextModel(path: weights.servedURL.path, threads: base.threads)
        }
        pool.withLock { entries in
            if !entries.contains(where: { $0.key == weights }) { entries.append((weights, m)) }
            if entries.count > Self.poolSize { entries.removeFirst(entries.count - Self.poolSize) }
        }
        return m
    }

    /// Forgets a custom model's loaded copy (before its files are removed).
    func unload(_ weights: ServedWeights) {
        pool.withLock { $0.removeAll { $0.key == weights } }
    }

    /// The engine's context window in tokens.
    func contextWindow() throws -> Int { try loaded().contextWindow }

    /// The prompt's token IDs in the model's chat template (or the continuation text's tokens):
    /// SmolLM2's ChatML, with its default system line, for the base and custom models (which share
    /// the base's tokenizer, so no custom copy is loaded to count); an imported model's own format
    /// and tokenizer otherwise.
    func promptTokens(_ input: TextInput, weights: ServedWeights? = nil) throws -> [Int] {
        let imported = weights?.imported
        let m = try imported == nil ? loaded() : loaded(weights: weights)
        switch input {
        case .continuation(let text):
            return m.tokenizer.encode([ChatPiece(text, markup: false)])
        case .conversation(let system, let turns):
            let format = imported?.chatFormat ?? .chatML
            let pieces = format.render(system: system, turns: turns.map { ($0.role.rawValue, $0.text) },
                                       defaultSystem: imported == nil ? ChatTemplate.defaultSystem : imported?.defaultSystem)
            return m.tokenizer.encode(pieces)
        }
    }

    /// Tokens in a plain text, as the engine (or an imported model's tokenizer) counts them.
    func countTokens(_ text: String, weights: ServedWeights? = nil) throws -> Int {
        try loaded(weights: weights).tokenizer.encode(text).count
    }

    /// Generates one answer. `onText` receives each new piece of text; `isCancelled` is checked
    /// between tokens.
    /// `weights` selects a custom model (nil: the base model).
    func generate(_ request: TextRequest, promptTokens: [Int], seed: UInt64, weights: ServedWeights? = nil,
                  onText: ((String) -> Void)?, isCancelled: (() -> Bool)?) throws -> EngineOutput {
        let m = try loaded(weights: weights)
        let parameters = SamplingParameters(temperature: request.temperature, topK: request.topK, topP: request.topP,
                                            maxTokens: request.maxTokens, stopSequences: request.stopSequences, seed: seed)
        let result = try m.generate(promptTokens: promptTokens, parameters: parameters,
                                    onToken: onText.map { callback in { delta in if !delta.text.isEmpty { callback(delta.text) } } },
                                    isCancelled: isCancelled)
        let reason: StopReason
        switch result.stopReason {
        case .endTurn: reason = .endTurn
        case .maxTokens: reason = .maxTokens
        case .stopSequence: reason = .stopSequence
        case .contextWindowExceeded: reason = .modelContextWindowExceeded
        case .cancelled: reason = .interrupted
        }
        return EngineOutput(
            response: TextResponse(text: result.text, inputTokens: result.inputTokens, outputTokens: result.outputTokens,
                                   stopReason: reason, matchedStopSequence: result.stopSequence),
            seconds: result.promptSeconds + result.generationSeconds)
    }

    /// Per-token log-probabilities of `text` under the model (for perplexity).
    func logProbs(of text: String, weights: ServedWeights? = nil) throws -> [(token: String, logProb: Double)] {
        let m = try loaded(weights: weights)
        return try m.logProbs(of: text, context: [Self.documentStart(m.tokenizer)]).map { ($0.text, Double($0.logProb)) }
    }

    /// The token a scored text is conditioned on: <|endoftext|> (id 0 in SmolLM2) when the
    /// vocabulary has it, else <|begin_of_text|>, else the beginning-of-sequence id.
    static func documentStart(_ t: Tokenizer) -> Int {
        for marker in ["<|endoftext|>", "<|begin_of_text|>"] {
            if let i = t.tokens.firstIndex(of: marker), t.specialIDs.contains(i) { return i }
        }
        return t.bosID
    }

    /// Log-probabilities of the tokens `trained` marks in `tokens`, each given every token before
    /// it (the custom model's loss on its own training records is their negated mean).
    func logProbs(tokens: [Int], weights: ServedWeights? = nil) throws -> [Double] {
        try loaded(weights: weights).logProbs(tokens: tokens).map { Double($0.logProb) }
    }
}
