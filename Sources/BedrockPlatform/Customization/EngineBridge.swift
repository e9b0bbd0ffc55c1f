// The bridge between Training's seams and the real text engine: the differentiable model built from
// the GGUF's tensors (dequantized to Float), the engine's tokenizer as a TrainingTokenizer, and a
// renderer that lays a record out exactly as TextEngineHost renders a conversation for inference
// (same turn markers, same default system line, same encode boundaries), so what is trained is
// what is later served. It runs no jobs and writes no files.
import Foundation
import TextEngine
import Training

/// The engine's byte-level BPE as Training sees it. A segment that is exactly one of the chat
/// template's markers becomes that control token; any other text is encoded as plain text (markers
/// typed inside a message stay text, as they do at inference).
struct EngineTokenizer: TrainingTokenizer {
    let tokenizer: Tokenizer
    static let markers = [ChatTemplate.turnStart, ChatTemplate.turnEnd, "<|endoftext|>"]

    func encode(_ text: String) -> [Int32] {
        let ids = Self.markers.contains(text) ? tokenizer.encode(text, allowSpecial: true) : tokenizer.encode(text)
        return ids.map { Int32($0) }
    }
}

/// SmolLM2's ChatML, split at the same places TextEngineHost.promptTokens encodes it: each marker
/// alone, then the role line, then the message text. The loss covers assistant text and its
/// closing marker (fine-tuning) or every token of the document (continued pre-training, whose text
/// is conditioned on `<|endoftext|>` as the engine's log-probs are).
struct EngineChatRenderer: RecordRenderer {
    func segments(for record: TrainingRecord) -> [TextSegment] {
        switch record {
        case .text(let s):
            return [TextSegment("<|endoftext|>", trained: false), TextSegment(s, trained: true),
                    TextSegment("<|endoftext|>", trained: true)]
        case let .promptCompletion(prompt, completion):
            return turn("system", nil) + turn("user", prompt) + answer(completion)
        case let .conversation(system, messages):
            var out = turn("system", system)
            for (i, m) in messages.enumerated() {
                if m.role == .user { out += turn("user", m.content); continue }
                out += answer(m.content)
                if i < messages.count - 1 { out.append(TextSegment("\n", trained: false)) }
            }
            return out
        }
    }

    /// A context turn: `<|im_start|>role\n` text `<|im_end|>` `\n` (the system turn defaults as the engine's does).
    private func turn(_ role: String, _ text: String?) -> [TextSegment] {
        [TextSegment(ChatTemplate.turnStart, trained: false), TextSegment(role + "\n", trained: false),
         TextSegment(text ?? ChatTemplate.defaultSystem, trained: false),
         TextSegment(ChatTemplate.turnEnd, trained: false), TextSegment("\n", trained: false)]
    }

    /// The assistant opener (context) and the answer with its end marker (trained).
    private func answer(_ text: String) -> [TextSegment] {
        [TextSegment(ChatTemplate.turnStart, trained: false), TextSegment("assistant\n", trained: false),
         TextSegment(text, trained: true), TextSegment(ChatTemplate.turnEnd, trained: true)]
    }
}

extension ModelConfig {
    /// Training's shape of an engine model.
    init(llama c: LlamaConfig) {
        self.init(vocabSize: c.vocabSize, dim: c.dim, ffnDim: c.ffnDim, layers: c.layers, heads: c.heads,
                  kvHeads: c.kvHeads, ropeBase: c.ropeBase, normEps: Double(c.rmsEps), maxPositions: c.contextLength)
    }
}

/// The engine's model as a differentiable copy: every base tensor dequantized from the GGUF.
enum EngineBridge {
    static func trainingModel(from model: TextModel, mode: TrainingMode, seed: UInt64, threads: Int) throws -> TrainingModel {
        let file = model.weights.file
        return try TrainingModel(config: ModelConfig(llama: model.config), mode: mode, seed: seed, threads: threads) { name in
            try file.floats(name)
        }
    }

    static func tokenizer(_ model: TextModel) -> EngineTokenizer { EngineTokenizer(tokenizer: model.tokenizer) }
}
