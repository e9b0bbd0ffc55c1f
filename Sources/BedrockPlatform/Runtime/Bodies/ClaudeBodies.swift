// Anthropic Claude on Bedrock: the Messages API body (anthropic_version, max_tokens, system,
// messages, temperature, top_p, top_k, stop_sequences) and the legacy Text Completions body
// ("\n\nHuman: … \n\nAssistant:", max_tokens_to_sample) of Claude Instant and 2.x.

enum ClaudeMessagesBody: TextBodyFormat {
    static let version = "bedrock-2023-05-31"

    static func request(from body: JSONValue, limits: TextModelLimits) throws(BedrockError) -> TextRequest {
        let top = try BodyReader(body, allowed: ["anthropic_version", "max_tokens", "system", "messages", "temperature",
                                                 "top_p", "top_k", "stop_sequences"])
        let v = try top.require("anthropic_version") { (k) throws(BedrockError) in try top.string(k) }
        guard v == version else { throw .validation("anthropic_version must be \"\(version)\", got \"\(v)\"") }
        let items = try top.require("messages") { (k) throws(BedrockError) in try top.array(k) }
        let turns = try readMessages(items, path: "messages", allowStringContent: true) { (b) throws(BedrockError) in
            let type = try b.require("type") { (k) throws(BedrockError) in try b.string(k) }
            guard type == "text" else { throw unsupportedContent(b.path, type) }
            return try b.require("text") { (k) throws(BedrockError) in try b.string(k, allowEmpty: true) }
        }
        return TextRequest(
            input: .conversation(system: try top.string("system", allowEmpty: true), turns: turns),
            maxTokens: try maxTokens(top, "max_tokens", limits: limits, default: nil),
            temperature: try top.double("temperature", in: 0...1) ?? 1,
            topP: try top.double("top_p", in: 0...1) ?? 0.999,
            topK: try top.int("top_k", in: 0...500),
            stopSequences: try top.strings("stop_sequences", maxCount: 8191) ?? [])
    }

    static func responseBody(_ results: [TextResponse], request: TextRequest, context: ResponseContext) -> JSONValue {
        let r = results[0]
        let reason = r.stopReason.messagesName
        return ["id": .string(context.responseId), "type": "message", "role": "assistant",
                "content": [["type": "text", "text": .string(r.text)]],
                "stop_reason": .string(reason),
                "stop_sequence": r.matchedStopSequence.map(JSONValue.string) ?? .null,
                "usage": ["input_tokens": .int(r.inputTokens), "output_tokens": .int(r.outputTokens)]]
    }

    static func body(prompt: String, overrides o: InferenceOverrides, limits: TextModelLimits) -> JSONValue {
        .compactObject([
            ("anthropic_version", .string(version)),
            ("max_tokens", .int(o.maxTokens ?? min(512, limits.maxOutputTokens))),
            ("system", o.system.map(JSONValue.string)),
            ("messages", [["role": "user", "content": [["type": "text", "text": .string(prompt)]]]]),
            ("temperature", o.temperature.map(JSONValue.number)),
            ("top_p", o.topP.map(JSONValue.number)),
            ("top_k", o.topK.map(JSONValue.int)),
            ("stop_sequences", o.stopSequences.map { .array($0.map(JSONValue.string)) }),
        ])
    }
}

enum ClaudeTextBody: TextBodyFormat {
    static func request(from body: JSONValue, limits: TextModelLimits) throws(BedrockError) -> TextRequest {
        let top = try BodyReader(body, allowed: ["prompt", "max_tokens_to_sample", "temperature", "top_k", "top_p",
                                                 "stop_sequences", "anthropic_version"])
        let prompt = try top.require("prompt") { (k) throws(BedrockError) in try top.string(k) }
        // Claude's text API refuses prompts that do not alternate Human/Assistant turns this way.
        // (Claude 2.1 allows a system prompt before the first turn.)
        guard prompt.contains("\n\nHuman:") else {
            throw .validation("prompt must contain a \"\\n\\nHuman:\" turn (Claude's text completion format)")
        }
        guard prompt.trimmingTrailingSpaces().hasSuffix("\n\nAssistant:") else {
            throw .validation("prompt must end with \"\\n\\nAssistant:\" (Claude's text completion format)")
        }
        return TextRequest(
            input: PromptMarkers.humanAssistant(prompt) ?? .continuation(prompt),
            maxTokens: try maxTokens(top, "max_tokens_to_sample", limits: limits, default: nil),
            temperature: try top.double("temperature", in: 0...1) ?? 1,
            topP: try top.double("top_p", in: 0...1) ?? 0.999,
            topK: try top.int("top_k", in: 0...500) ?? 250,
            stopSequences: try top.strings("stop_sequences", maxCount: 8191) ?? ["\n\nHuman:"])
    }

    static func responseBody(_ results: [TextResponse], request: TextRequest, context: ResponseContext) -> JSONValue {
        let r = results[0]
        // The text API reports a natural end as "stop_sequence" (the model emitted its stop marker).
        let finished = r.stopReason == .endTurn || r.stopReason == .stopSequence
        return ["completion": .string(r.text),
                "stop_reason": .string(finished ? "stop_sequence" : "max_tokens"),
                "stop": r.matchedStopSequence.map(JSONValue.string) ?? (finished ? "\n\nHuman:" : .null)]
    }

    static func body(prompt: String, overrides o: InferenceOverrides, limits: TextModelLimits) -> JSONValue {
        let system = o.system.map { "\($0)" } ?? ""
        return .compactObject([
            ("prompt", .string("\(system)\n\nHuman: \(prompt)\n\nAssistant:")),
            ("max_tokens_to_sample", .int(o.maxTokens ?? min(300, limits.maxOutputTokens))),
            ("temperature", o.temperature.map(JSONValue.number)),
            ("top_p", o.topP.map(JSONValue.number)),
            ("top_k", o.topK.map(JSONValue.int)),
            ("stop_sequences", o.stopSequences.map { .array($0.map(JSONValue.string)) }),
        ])
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " { s = s.dropLast() }
        return String(s)
    }
}
