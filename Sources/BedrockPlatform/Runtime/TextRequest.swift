// TextRequest and TextResponse: what every provider's native body reduces to before it reaches
// the text engine, and what comes back before it is dressed in the provider's response body.
// Provider formats live in Bodies/; this file holds only the neutral shapes.

/// A speaker in a conversation. Bedrock's messages have only user and assistant; the system
/// prompt travels beside them.
public enum ChatRole: String, Sendable, Equatable {
    case user, assistant
}

/// One message of a conversation.
public struct ChatTurn: Sendable, Equatable {
    public var role: ChatRole
    public var text: String
    public init(_ role: ChatRole, _ text: String) {
        self.role = role
        self.text = text
    }
}

/// What the engine is asked to do with the prompt.
public enum TextInput: Sendable, Equatable {
    /// A conversation rendered in the engine's own chat template. When the last turn is the
    /// assistant's, its text is a prefix the answer continues (Claude's "prefill").
    case conversation(system: String?, turns: [ChatTurn])
    /// Text with no chat markers the platform knows: the engine continues it as is.
    case continuation(String)
}

/// A provider-neutral text generation request, with every parameter already validated.
public struct TextRequest: Sendable, Equatable {
    public var input: TextInput
    public var maxTokens: Int
    public var temperature: Double
    public var topP: Double
    /// nil means no top-k cut.
    public var topK: Int?
    public var stopSequences: [String]
    /// How many answers to generate (Cohere's num_generations, AI21's numResults); usually 1.
    public var candidates: Int

    public init(input: TextInput, maxTokens: Int, temperature: Double, topP: Double, topK: Int? = nil,
                stopSequences: [String] = [], candidates: Int = 1) {
        self.input = input
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.stopSequences = stopSequences
        self.candidates = candidates
    }

    /// The prompt as one string, for response bodies that echo it (Cohere, AI21).
    public var promptText: String {
        switch input {
        case .continuation(let text): return text
        case .conversation(_, let turns): return turns.last { $0.role == .user }?.text ?? ""
        }
    }
}

/// Why generation ended, in Converse's stopReason vocabulary.
public enum StopReason: String, Sendable, Equatable {
    case endTurn = "end_turn"
    case maxTokens = "max_tokens"
    case stopSequence = "stop_sequence"
    case modelContextWindowExceeded = "model_context_window_exceeded"
    /// The user pressed Ctrl-C: not a Bedrock value; the usage so far is still recorded.
    case interrupted = "interrupted"

    /// The name in Converse's enum (an interruption reads as the end of the turn).
    public var converseName: String { self == .interrupted ? StopReason.endTurn.rawValue : rawValue }

    /// The name in the Anthropic Messages and Nova enums, which lack a context-window reason.
    var messagesName: String { self == .modelContextWindowExceeded ? StopReason.maxTokens.rawValue : converseName }
}

/// What the engine produced, before a provider's response body is built around it.
public struct TextResponse: Sendable, Equatable {
    public var text: String
    public var inputTokens: Int
    public var outputTokens: Int
    public var stopReason: StopReason
    /// The stop sequence that ended generation, when `stopReason` is `.stopSequence`.
    public var matchedStopSequence: String?

    public init(text: String, inputTokens: Int, outputTokens: Int, stopReason: StopReason,
                matchedStopSequence: String? = nil) {
        self.text = text
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.stopReason = stopReason
        self.matchedStopSequence = matchedStopSequence
    }
}

/// The inference parameters a script passes with labels (`max_tokens: 64 temperature: 0`), before
/// they are placed into a provider's body under that provider's own names.
public struct InferenceOverrides: Sendable, Equatable {
    public var maxTokens: Int?
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    public var stopSequences: [String]?
    public var system: String?

    public init(maxTokens: Int? = nil, temperature: Double? = nil, topP: Double? = nil, topK: Int? = nil,
                stopSequences: [String]? = nil, system: String? = nil) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.stopSequences = stopSequences
        self.system = system
    }
}
