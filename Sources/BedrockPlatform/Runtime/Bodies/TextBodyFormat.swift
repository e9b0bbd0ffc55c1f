// TextBodyFormat: the contract each provider's native InvokeModel body implements — read and
// validate a request body into a TextRequest, dress a TextResponse in the provider's response
// body, and build a body from a plain prompt for `invoke m "prompt"`. The families are named in
// the catalog (`bodyFamily`), so adding a model never needs code here.

/// Facts about the target model that validating a body needs.
public struct TextModelLimits: Sendable, Equatable {
    public var modelId: String
    public var maxOutputTokens: Int
    public var contextWindow: Int
    public init(modelId: String, maxOutputTokens: Int, contextWindow: Int) {
        self.modelId = modelId
        self.maxOutputTokens = maxOutputTokens
        self.contextWindow = contextWindow
    }
}

/// Per-invocation facts a response body carries besides the text (ids are derived from the
/// session's seed and a counter, so a script prints the same ids every run).
public struct ResponseContext: Sendable, Equatable {
    public var responseId: String
    public init(responseId: String) { self.responseId = responseId }
}

protocol TextBodyFormat {
    /// Validates `body` and reduces it to a neutral request (with this provider's defaults).
    static func request(from body: JSONValue, limits: TextModelLimits) throws(BedrockError) -> TextRequest
    /// The provider's response body for one or more generations (more only where the provider
    /// has a count parameter, like Cohere's num_generations).
    static func responseBody(_ results: [TextResponse], request: TextRequest, context: ResponseContext) -> JSONValue
    /// A request body for a plain prompt, written the way the provider's documentation writes one.
    static func body(prompt: String, overrides: InferenceOverrides, limits: TextModelLimits) -> JSONValue
}

/// The native request/response formats of Bedrock's text models.
public enum TextBodyFamily: String, CaseIterable, Sendable {
    case titan
    case claudeMessages = "claude-messages"
    case claudeText = "claude-text"
    case llama2 = "llama2"
    case llama3 = "llama3"
    case mistral
    case cohereCommand = "cohere-command"
    case cohereCommandR = "cohere-command-r"
    case ai21J2 = "ai21-j2"
    case ai21Jamba = "ai21-jamba"
    case nova

    var format: any TextBodyFormat.Type {
        switch self {
        case .titan: return TitanTextBody.self
        case .claudeMessages: return ClaudeMessagesBody.self
        case .claudeText: return ClaudeTextBody.self
        case .llama2: return LlamaBody.self
        case .llama3: return LlamaBody.self
        case .mistral: return MistralBody.self
        case .cohereCommand: return CohereCommandBody.self
        case .cohereCommandR: return CohereCommandRBody.self
        case .ai21J2: return AI21J2Body.self
        case .ai21Jamba: return JambaBody.self
        case .nova: return NovaBody.self
        }
    }

    /// Validates a native request body for a model of this family.
    public func request(from body: JSONValue, limits: TextModelLimits) throws(BedrockError) -> TextRequest {
        try format.request(from: body, limits: limits)
    }

    /// The native response body for the given generations.
    public func responseBody(_ results: [TextResponse], request: TextRequest, context: ResponseContext) -> JSONValue {
        format.responseBody(results, request: request, context: context)
    }

    /// A native request body for a plain prompt and labelled parameters.
    public func body(prompt: String, overrides: InferenceOverrides, limits: TextModelLimits) -> JSONValue {
        if self == .llama2 { return LlamaBody.body(prompt: prompt, overrides: overrides, limits: limits, llama3: false) }
        return format.body(prompt: prompt, overrides: overrides, limits: limits)
    }
}

/// Reads a Bedrock-style messages list (Claude Messages, Nova, Converse): roles user/assistant
/// only, starting with user and alternating; content as a string or a list of text blocks.
/// `textOf` pulls the text out of one content block in the provider's shape.
func readMessages(_ items: [JSONValue], path: String, allowStringContent: Bool,
                  textOf: (BodyReader) throws(BedrockError) -> String) throws(BedrockError) -> [ChatTurn] {
    guard !items.isEmpty else { throw .validation("\(path) must contain at least one message") }
    var turns: [ChatTurn] = []
    for (i, item) in items.enumerated() {
        let m = try BodyReader(item, path: "\(path)[\(i)]", allowed: ["role", "content"])
        let roleName = try m.require("role") { (k) throws(BedrockError) in try m.choice(k, ["user", "assistant"]) }
        let role: ChatRole = roleName == "user" ? .user : .assistant
        let expected: ChatRole = i % 2 == 0 ? .user : .assistant
        guard role == expected else {
            throw .validation(i == 0
                ? "A conversation must start with a user message: \(path)[0].role is assistant"
                : "Roles must alternate between user and assistant: \(path)[\(i)].role is \(roleName) after \(roleName)")
        }
        guard let content = m["content"] else { throw .validation("\(m.name("content")) is required") }
        var text = ""
        switch content {
        case .string(let s) where allowStringContent:
            text = s
        case .array(let blocks):
            guard !blocks.isEmpty else { throw .validation("\(m.name("content")) must not be empty") }
            for (j, block) in blocks.enumerated() {
                let b = try BodyReader(block, path: "\(m.name("content"))[\(j)]", allowed: ["type", "text", "image", "source", "document", "video", "cachePoint"])
                text += try textOf(b)
            }
        default:
            throw .validation("\(m.name("content")) must be \(allowStringContent ? "a string or " : "")a list of content blocks, got \(content.typeName)")
        }
        turns.append(ChatTurn(role, text))
    }
    return turns
}

/// The error for content the local engine cannot read (images, documents, video).
func unsupportedContent(_ path: String, _ kind: String) -> BedrockError {
    .validation("\(path) is a \(kind) block: the local engine serving this model (SmolLM2-135M-Instruct) reads text only")
}

/// The shared check that max tokens fits the model.
func maxTokens(_ reader: BodyReader, _ key: String, limits: TextModelLimits, default value: Int?) throws(BedrockError) -> Int {
    let cap = limits.maxOutputTokens
    if let n = try reader.int(key, in: 1...cap) { return n }
    if let value { return min(value, cap) }
    throw .validation("\(reader.name(key)) is required")
}
