// The ChatML conversation format of SmolLM2's GGUF chat template, rendered in Swift (no Jinja):
//   <|im_start|>{role}\n{content}<|im_end|>\n  per message, then <|im_start|>assistant\n
// with the template's default system line when the conversation does not start with a system turn.
// The platform maps each provider's request body onto these turns.

/// A chat role.
public enum ChatRole: String, Sendable, Equatable {
    case system, user, assistant
}

/// One turn of a conversation.
public struct ChatMessage: Sendable, Equatable {
    public var role: ChatRole
    public var content: String
    public init(role: ChatRole, content: String) { self.role = role; self.content = content }
    public static func system(_ s: String) -> ChatMessage { .init(role: .system, content: s) }
    public static func user(_ s: String) -> ChatMessage { .init(role: .user, content: s) }
    public static func assistant(_ s: String) -> ChatMessage { .init(role: .assistant, content: s) }
}

public enum ChatTemplate {
    /// The system line SmolLM2's template inserts when the first message is not a system message.
    public static let defaultSystem = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"
    /// Marks the start of a turn.
    public static let turnStart = "<|im_start|>"
    /// Marks the end of a turn (SmolLM2's end-of-sequence token).
    public static let turnEnd = "<|im_end|>"

    /// The prompt text for `messages`, ending with the assistant turn opener when `addGenerationPrompt`.
    /// Encode it with `allowSpecial: true`; message contents should not contain the markers.
    public static func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true,
                              defaultSystem: String? = ChatTemplate.defaultSystem) -> String {
        var out = ""
        if messages.first?.role != .system, let defaultSystem {
            out += turnStart + "system\n" + defaultSystem + turnEnd + "\n"
        }
        for m in messages { out += turnStart + m.role.rawValue + "\n" + m.content + turnEnd + "\n" }
        if addGenerationPrompt { out += turnStart + "assistant\n" }
        return out
    }
}
