// TextEngineHost: the one place the platform meets the text engine. It loads SmolLM2 once, on
// first use, renders a neutral request into the engine's ChatML tokens (message text is encoded
// as text, so a user cannot forge turn markers inside a message), and runs generation.
// The only file that imports TextEngine: its ChatRole/StopReason stay out of the platform's names.
import Foundation
import Synchronization
import TextEngine

/// What one generation produced, with the wall-clock time it took.
struct EngineOutput: Sendable {
    var response: TextResponse
    var seconds: Double
}

final class TextEngineHost: Sendable {
    private let model = Mutex<TextModel?>(nil)
    private let path: String?

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

    /// The engine's context window in tokens.
    func contextWindow() throws -> Int { try loaded().contextWindow }

    /// The prompt's token IDs in the engine's chat template (or the continuation text's tokens).
    func promptTokens(_ input: TextInput) throws -> [Int] {
        let m = try loaded()
        switch input {
        case .continuation(let text):
            return m.tokenizer.encode(text)
        case .conversation(let system, let turns):
            var ids: [Int] = []
            func open(_ role: String) { ids += m.tokenizer.encode(ChatTemplate.turnStart + role + "\n", allowSpecial: true) }
            func close() { ids += m.tokenizer.encode(ChatTemplate.turnEnd + "\n", allowSpecial: true) }
            open("system")
            ids += m.tokenizer.encode(system ?? ChatTemplate.defaultSystem)
            close()
            for (i, turn) in turns.enumerated() {
                let prefill = i == turns.count - 1 && turn.role == .assistant
                open(turn.role.rawValue)
                ids += m.tokenizer.encode(turn.text)
                if !prefill { close() }
            }
            if turns.last?.role != .assistant { open("assistant") }
            return ids
        }
    }

    /// Tokens in a plain text, as the engine counts them.
    func countTokens(_ text: String) throws -> Int { try loaded().tokenizer.encode(text).count }

    /// Generates one answer. `onText` receives each new piece of text; `isCancelled` is checked
    /// between tokens.
    func generate(_ request: TextRequest, promptTokens: [Int], seed: UInt64,
                  onText: ((String) -> Void)?, isCancelled: (() -> Bool)?) throws -> EngineOutput {
        let m = try loaded()
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
    func logProbs(of text: String) throws -> [(token: String, logProb: Double)] {
        try loaded().logProbs(of: text).map { ($0.text, Double($0.logProb)) }
    }
}
