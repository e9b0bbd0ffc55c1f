// Converse: Bedrock's one request shape for every message-capable model, and its response and
// stream events. The same TextRequest/TextResponse sit underneath as for InvokeModel's bodies.

public enum Converse {
    /// Validates a Converse request (`messages`, `system`, `inferenceConfig`,
    /// `additionalModelRequestFields.top_k`) for a model with the given limits.
    public static func request(from body: JSONValue, limits: TextModelLimits) throws(BedrockError) -> TextRequest {
        let top = try BodyReader(body, allowed: ["modelId", "messages", "system", "inferenceConfig",
                                                 "additionalModelRequestFields", "additionalModelResponseFieldPaths",
                                                 "requestMetadata"])
        let items = try top.require("messages") { (k) throws(BedrockError) in try top.array(k) }
        let turns = try readMessages(items, path: "messages", allowStringContent: false) { (b) throws(BedrockError) in
            guard let text = try b.string("text", allowEmpty: true) else {
                throw unsupportedContent(b.path, b.members.first?.0 ?? "non-text")
            }
            return text
        }
        var system: String?
        if let blocks = try top.array("system") {
            var parts: [String] = []
            for (i, block) in blocks.enumerated() {
                let b = try BodyReader(block, path: "system[\(i)]", allowed: ["text", "guardContent", "cachePoint"])
                if let text = try b.string("text", allowEmpty: true) { parts.append(text) }
            }
            system = parts.joined(separator: "\n")
        }
        let config = try top.object("inferenceConfig", allowed: ["maxTokens", "temperature", "topP", "stopSequences"])
            ?? .empty(path: "inferenceConfig")
        let extra = try top.object("additionalModelRequestFields", allowed: ["top_k", "k"]) ?? .empty(path: "additionalModelRequestFields")
        var topK = try extra.int("top_k", in: 0...500)
        if topK == nil { topK = try extra.int("k", in: 0...500) }
        return TextRequest(
            input: .conversation(system: system, turns: turns),
            maxTokens: try maxTokens(config, "maxTokens", limits: limits, default: limits.maxOutputTokens),
            temperature: try config.double("temperature", in: 0...1) ?? 0.7,
            topP: try config.double("topP", in: 0...1) ?? 0.9,
            topK: topK.flatMap { $0 == 0 ? nil : $0 },
            stopSequences: try config.strings("stopSequences", maxCount: 2500) ?? [])
    }

    /// The Converse response for one generation and its measured latency.
    public static func responseBody(_ r: TextResponse, latencyMs: Int) -> JSONValue {
        ["output": ["message": ["role": "assistant", "content": [["text": .string(r.text)]]]],
         "stopReason": .string(r.stopReason.converseName),
         "usage": ["inputTokens": .int(r.inputTokens), "outputTokens": .int(r.outputTokens),
                   "totalTokens": .int(r.inputTokens + r.outputTokens)],
         "metrics": ["latencyMs": .int(latencyMs)]]
    }

    /// ConverseStream's events, in the order Bedrock sends them.
    public enum StreamEvent: Sendable, Equatable {
        case messageStart(role: ChatRole)
        case contentBlockDelta(text: String, index: Int)
        case contentBlockStop(index: Int)
        case messageStop(stopReason: StopReason)
        case metadata(inputTokens: Int, outputTokens: Int, latencyMs: Int)

        /// The event as Bedrock's JSON event payload, keyed by the event name.
        public var json: JSONValue {
            switch self {
            case .messageStart(let role):
                return ["messageStart": ["role": .string(role.rawValue)]]
            case .contentBlockDelta(let text, let index):
                return ["contentBlockDelta": ["delta": ["text": .string(text)], "contentBlockIndex": .int(index)]]
            case .contentBlockStop(let index):
                return ["contentBlockStop": ["contentBlockIndex": .int(index)]]
            case .messageStop(let reason):
                return ["messageStop": ["stopReason": .string(reason.converseName)]]
            case .metadata(let input, let output, let latency):
                return ["metadata": ["usage": ["inputTokens": .int(input), "outputTokens": .int(output),
                                               "totalTokens": .int(input + output)],
                                     "metrics": ["latencyMs": .int(latency)]]]
            }
        }
    }
}
