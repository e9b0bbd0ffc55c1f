// Training records in Bedrock's JSONL shapes, the two seams the trainer needs from the engine
// (a tokenizer, and a renderer that turns a record into chat-formatted text with a loss mask),
// tokenized examples, and the seeded train/validation split. No file I/O and no validation rules
// here (DataValidation.swift): callers hand in text and get values back.
import Basics

/// One record of a customization data set (reference §4.3).
public enum TrainingRecord: Sendable, Equatable {
    /// Fine-tuning, non-conversational: `{"prompt": …, "completion": …}`.
    case promptCompletion(prompt: String, completion: String)
    /// Fine-tuning, conversational: optional system text, then user/assistant turns.
    case conversation(system: String?, messages: [ChatMessage])
    /// Continued pre-training: `{"input": …}`, every token trained.
    case text(String)
}

public struct ChatMessage: Sendable, Equatable {
    public enum Role: String, Sendable { case user, assistant }
    public var role: Role
    public var content: String
    public init(role: Role, content: String) { self.role = role; self.content = content }
}

/// The JSONL shapes Bedrock accepts; which ones a base model takes comes from the catalog.
public enum RecordShape: String, Sendable, CaseIterable, CustomStringConvertible {
    /// `{"prompt", "completion"}` (Titan, Cohere, Llama 2/3.1).
    case promptCompletion
    /// `{"system"?, "messages": [{"role", "content": string}]}` (Claude 3 Haiku, Llama 3.x chat).
    case conversation
    /// `{"schemaVersion": "bedrock-conversation-2024", "system"?: [{"text"}], "messages": [{"role", "content": [{"text"}]}]}` (Nova).
    case novaConversation
    /// `{"input"}` (continued pre-training).
    case text

    public var description: String {
        switch self {
        case .promptCompletion: "{\"prompt\", \"completion\"}"
        case .conversation: "{\"system\", \"messages\"}"
        case .novaConversation: "{\"schemaVersion\", \"system\", \"messages\"}"
        case .text: "{\"input\"}"
        }
    }
}

/// Text → token ids. The integrator passes the engine's real tokenizer (which must turn the chat
/// template's special markers into their ids); tests pass a small deterministic one.
public protocol TrainingTokenizer: Sendable {
    func encode(_ text: String) -> [Int32]
}

/// A piece of rendered text and whether its tokens are predicted by the loss.
public struct TextSegment: Sendable, Equatable {
    public var text: String
    public var trained: Bool
    public init(_ text: String, trained: Bool) { self.text = text; self.trained = trained }
}

/// Turns a record into the exact text the model sees at inference, split by loss mask.
public protocol RecordRenderer: Sendable {
    func segments(for record: TrainingRecord) -> [TextSegment]
}

/// ChatML as SmolLM2-Instruct uses it: `<|im_start|>role\ncontent<|im_end|>\n`. Assistant content and
/// its closing `<|im_end|>` are trained, everything else is context. Continued pre-training text
/// is trained whole and ends with `<|endoftext|>` so documents do not run into each other.
public struct ChatMLRenderer: RecordRenderer {
    /// System text used when a record has none (SmolLM2's template adds one); nil adds nothing.
    public var defaultSystem: String?
    public init(defaultSystem: String? = nil) { self.defaultSystem = defaultSystem }

    public func segments(for record: TrainingRecord) -> [TextSegment] {
        switch record {
        case .text(let s):
            return [TextSegment(s + "<|endoftext|>", trained: true)]
        case let .promptCompletion(prompt, completion):
            return header(system: nil) + [TextSegment("<|im_start|>user\n\(prompt)<|im_end|>\n<|im_start|>assistant\n", trained: false),
                                         TextSegment("\(completion)<|im_end|>", trained: true)]
        case let .conversation(system, messages):
            var out = header(system: system)
            for m in messages {
                switch m.role {
                case .user: out.append(TextSegment("<|im_start|>user\n\(m.content)<|im_end|>\n", trained: false))
                case .assistant:
                    out.append(TextSegment("<|im_start|>assistant\n", trained: false))
                    out.append(TextSegment("\(m.content)<|im_end|>", trained: true))
                    out.append(TextSegment("\n", trained: false))
                }
            }
            return out
        }
    }

    private func header(system: String?) -> [TextSegment] {
        guard let s = system ?? defaultSystem else { return [] }
        return [TextSegment("<|im_start|>system\n\(s)<|im_end|>\n", trained: false)]
    }
}

/// A tokenized record: token ids and, per token, whether the loss predicts it.
public struct TrainingExample: Sendable, Equatable {
    public var tokens: [Int32]
    public var trained: [Bool]
    public init(tokens: [Int32], trained: [Bool]) {
        precondition(tokens.count == trained.count, "one mask bit per token")
        self.tokens = tokens; self.trained = trained
    }
    public init(record: TrainingRecord, tokenizer: any TrainingTokenizer, renderer: any RecordRenderer) {
        var t: [Int32] = [], m: [Bool] = []
        for seg in renderer.segments(for: record) {
            let ids = tokenizer.encode(seg.text)
            t += ids; m += Array(repeating: seg.trained, count: ids.count)
        }
        self.init(tokens: t, trained: m)
    }
    /// Tokens the loss counts: targets 1..<count whose mask bit is set.
    public var trainedTargets: Int { trained.dropFirst().filter { $0 }.count }
}

/// Splits off round(count·percent/100) examples (at least 1 when percent > 0 and count ≥ 2) for
/// validation with a seeded shuffle, as Cohere's `evalPercentage` does. Order within each part is kept.
public func splitForValidation<E>(_ items: [E], percent: Double, seed: UInt64) -> (train: [E], validation: [E]) {
    guard percent > 0, items.count >= 2 else { return (items, []) }
    let k = min(items.count - 1, max(1, Int((Double(items.count) * percent / 100).rounded())))
    var idx = Array(items.indices)
    var rng = SplitMix64(seed: seed)
    shuffle(&idx, &rng)
    let held = Set(idx.prefix(k))
    return (items.indices.filter { !held.contains($0) }.map { items[$0] }, items.indices.filter(held.contains).map { items[$0] })
}

/// Fisher–Yates with our own generator, so the order is the same on every platform and Swift version.
func shuffle<E>(_ a: inout [E], _ rng: inout SplitMix64) {
    guard a.count > 1 else { return }
    for i in stride(from: a.count - 1, to: 0, by: -1) {
        let j = Int(rng.next() % UInt64(i + 1))
        a.swapAt(i, j)
    }
}
