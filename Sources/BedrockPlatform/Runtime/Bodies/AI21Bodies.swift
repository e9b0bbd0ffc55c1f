// AI21 Labs on Bedrock: Jurassic-2 takes a prompt ("User: … Assistant:" lines become turns) and
// answers with completions[].data.text; Jamba speaks an OpenAI-style messages/choices shape.

enum AI21J2Body: TextBodyFormat {
    static func request(from body: JSONValue, limits: TextModelLimits) throws(BedrockError) -> TextRequest {
        let top = try BodyReader(body, allowed: ["prompt", "maxTokens", "temperature", "topP", "stopSequences",
                                                 "countPenalty", "presencePenalty", "frequencyPenalty", "numResults"])
        let prompt = try top.require("prompt") { (k) throws(BedrockError) in try top.string(k) }
        for key in ["countPenalty", "presencePenalty", "frequencyPenalty"] {
            if let penalty = try top.object(key, allowed: ["scale", "applyToWhitespaces", "applyToPunctuations",
                                                           "applyToNumbers", "applyToStopwords", "applyToEmojis"]),
               let scale = try penalty.double("scale", in: 0...500), scale != 0 {
                throw .validation("\(key).scale is not applied by the local engine; leave it at 0")
            }
        }
        return TextRequest(
            input: PromptMarkers.speakerLines(prompt, user: ["User", "Human"], assistant: ["Assistant", "AI"]) ?? .continuation(prompt),
            maxTokens: try maxTokens(top, "maxTokens", limits: limits, default: 200),
            temperature: try top.double("temperature", in: 0...1) ?? 0.7,
            topP: try top.double("topP", in: 0...1) ?? 1,
            stopSequences: try top.strings("stopSequences", maxCount: 16) ?? [],
            candidates: try top.int("numResults", in: 1...16) ?? 1)
    }

    static func responseBody(_ results: [TextResponse], request: TextRequest, context: ResponseContext) -> JSONValue {
        ["id": .string(context.responseId),
         "prompt": ["text": .string(request.promptText)],
         "completions": .array(results.map { r in
             let reason: String
             switch r.stopReason {
             case .endTurn, .interrupted: reason = "endoftext"
             case .stopSequence: reason = "stop"
             case .maxTokens, .modelContextWindowExceeded: reason = "length"
             }
             return ["data": ["text": .string(r.text)], "finishReason": ["reason": .string(reason)]]
         })]
    }

    static func body(prompt: String, overrides o: InferenceOverrides, limits: TextModelLimits) -> JSONValue {
        let system = o.system.map { "\($0)\n" } ?? ""
        return .compactObject([
            ("prompt", .string("\(system)User: \(prompt)\nAssistant:")),
            ("maxTokens", o.maxTokens.map(JSONValue.int)),
            ("temperature", o.temperature.map(JSONValue.number)),
            ("topP", o.topP.map(JSONValue.number)),
            ("stopSequences", o.stopSequences.map { .array($0.map(JSONValue.string)) }),
        ])
    }
}

enum JambaBody: TextBodyFormat {
    static func request(from body: JSONValue, limits: TextModelLimits) throws(BedrockError) -> TextRequest {
        let top = try BodyReader(body, allowed: ["messages", "max_tokens", "temperature", "top_p", "stop", "n"])
        let items = try top.require("messages") { (k) throws(BedrockError) in try top.array(k) }
        var system: String?
        var rest = items
        // Jamba accepts a leading system message inside the list (OpenAI style).
        if let first = items.first, first["role"]?.stringValue == "system" {
            let s = try BodyReader(first, path: "messages[0]", allowed: ["role", "content"])
            system = try s.require("content") { (k) throws(BedrockError) in try s.string(k, allowEmpty: true) }
            rest = Array(items.dropFirst())
        }
        let turns = try readMessages(rest, path: "messages", allowStringContent: true) { (b) throws(BedrockError) in
            try b.require("text") { (k) throws(BedrockError) in try b.string(k, allowEmpty: true) }
        }
        return TextRequest(
            input: .conversation(system: system, turns: turns),
            maxTokens: try maxTokens(top, "max_tokens", limits: limits, default: 4096),
            temperature: try top.double("temperature", in: 0...2) ?? 1,
            topP: try top.double("top_p", in: 0...1) ?? 1,
            stopSequences: try top.strings("stop", maxCount: 16) ?? [],
            candidates: try top.int("n", in: 1...16) ?? 1)
    }

    static func responseBody(_ results: [TextResponse], request: TextRequest, context: ResponseContext) -> JSONValue {
        let input = results.first?.inputTokens ?? 0
        let output = results.reduce(0) { $0 + $1.outputTokens }
        return ["id": .string(context.responseId),
                "choices": .array(results.enumerated().map { i, r in
                    ["index": .int(i), "message": ["role": "assistant", "content": .string(r.text)],
                     "finish_reason": .string(r.stopReason == .endTurn || r.stopReason == .stopSequence ? "stop" : "length")]
                }),
                "usage": ["prompt_tokens": .int(input), "completion_tokens": .int(output), "total_tokens": .int(input + output)]]
    }

    static func body(prompt: String, overrides o: InferenceOverrides, limits: TextModelLimits) -> JSONValue {
        var messages: [JSONValue] = []
        if let system = o.system { messages.append(["role": "system", "content": .string(system)]) }
        messages.append(["role": "user", "content": .string(prompt)])
        return .compactObject([
            ("messages", .array(messages)),
            ("max_tokens", .int(o.maxTokens ?? min(512, limits.maxOutputTokens))),
            ("temperature", o.temperature.map(JSONValue.number)),
            ("top_p", o.topP.map(JSONValue.number)),
            ("stop", o.stopSequences.map { .array($0.map(JSONValue.string)) }),
        ])
    }
}
