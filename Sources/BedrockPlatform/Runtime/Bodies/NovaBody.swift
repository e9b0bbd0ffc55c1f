// Amazon Nova's native body: {"schemaVersion": "messages-v1", "system": [{text}], "messages":
// [{role, content: [{text}]}], "inferenceConfig": {max_new_tokens, temperature, top_p, top_k,
// stopSequences}} → {"output": {"message"}, "stopReason", "usage"}.

enum NovaBody: TextBodyFormat {
    static func request(from body: JSONValue, limits: TextModelLimits) throws(BedrockError) -> TextRequest {
        let top = try BodyReader(body, allowed: ["schemaVersion", "system", "messages", "inferenceConfig"])
        if let v = try top.string("schemaVersion"), v != "messages-v1" {
            throw .validation("schemaVersion must be \"messages-v1\", got \"\(v)\"")
        }
        var system: String?
        if let blocks = try top.array("system") {
            system = try blocks.enumerated().map { (i, block) throws(BedrockError) -> String in
                let b = try BodyReader(block, path: "system[\(i)]", allowed: ["text"])
                return try b.require("text") { (k) throws(BedrockError) in try b.string(k, allowEmpty: true) }
            }.joined(separator: "\n")
        }
        let items = try top.require("messages") { (k) throws(BedrockError) in try top.array(k) }
        let turns = try readMessages(items, path: "messages", allowStringContent: false) { (b) throws(BedrockError) in
            guard let text = try b.string("text", allowEmpty: true) else {
                throw unsupportedContent(b.path, b.members.first?.0 ?? "non-text")
            }
            return text
        }
        let config = try top.object("inferenceConfig", allowed: ["max_new_tokens", "temperature", "top_p", "top_k", "stopSequences"]) ?? .empty(path: "inferenceConfig")
        return TextRequest(
            input: .conversation(system: system, turns: turns),
            maxTokens: try maxTokens(config, "max_new_tokens", limits: limits, default: limits.maxOutputTokens),
            temperature: try config.double("temperature", in: 0...1) ?? 0.7,
            topP: try config.double("top_p", in: 0...1) ?? 0.9,
            topK: try config.int("top_k", in: 0...128).flatMap { $0 == 0 ? nil : $0 },
            stopSequences: try config.strings("stopSequences", maxCount: 4) ?? [])
    }

    static func responseBody(_ results: [TextResponse], request: TextRequest, context: ResponseContext) -> JSONValue {
        let r = results[0]
        let reason = r.stopReason.messagesName
        return ["output": ["message": ["role": "assistant", "content": [["text": .string(r.text)]]]],
                "stopReason": .string(reason),
                "usage": ["inputTokens": .int(r.inputTokens), "outputTokens": .int(r.outputTokens),
                          "totalTokens": .int(r.inputTokens + r.outputTokens)]]
    }

    static func body(prompt: String, overrides o: InferenceOverrides, limits: TextModelLimits) -> JSONValue {
        .compactObject([
            ("schemaVersion", "messages-v1"),
            ("system", o.system.map { [["text": .string($0)]] }),
            ("messages", [["role": "user", "content": [["text": .string(prompt)]]]]),
            ("inferenceConfig", .compactObject([
                ("max_new_tokens", .int(o.maxTokens ?? min(512, limits.maxOutputTokens))),
                ("temperature", o.temperature.map(JSONValue.number)),
                ("top_p", o.topP.map(JSONValue.number)),
                ("top_k", o.topK.map(JSONValue.int)),
                ("stopSequences", o.stopSequences.map { .array($0.map(JSONValue.string)) }),
            ])),
        ])
    }
}
