// SmolLM2's own conversation: ChatML (ChatFormat.chatML renders it, as for any ChatML model) with
// the GGUF template's default system line when the conversation does not start with a system turn:
//   <|im_start|>{role}\n{content}<|im_end|>\n  per message, then <|im_start|>assistant\n
// The platform maps each provider's request body onto these turns; the trainer's loss masks use
// the same markers.

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

    /// The conversation as ChatML pieces: markup, and message text that is encoded as plain text
    /// so a message cannot forge a marker. A last assistant message is a prefill the answer
    /// continues; otherwise the pieces end with the assistant turn opener.
    public static func pieces(_ messages: [ChatMessage], defaultSystem: String? = ChatTemplate.defaultSystem) -> [ChatPiece] {
        let system = messages.first?.role == .system ? messages.first?.content : nil
        let turns = messages.dropFirst(system == nil ? 0 : 1).map { (role: $0.role.rawValue, text: $0.content) }
        return ChatFormat.chatML.render(system: system, turns: turns, defaultSystem: defaultSystem)
    }

    /// The pieces as one string, for display (to encode, use `Tokenizer.encode(_ pieces:)`).
    public static func render(_ messages: [ChatMessage], defaultSystem: String? = ChatTemplate.defaultSystem) -> String {
        pieces(messages, defaultSystem: defaultSystem).map(\.text).joined()
    }
}
