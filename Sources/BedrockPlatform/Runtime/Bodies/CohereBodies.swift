// Cohere on Bedrock: Command / Command Light take a prompt ("User: … Chatbot:" lines become turns)
// and may ask for several generations; Command R / R+ take a message, a chat_history, a preamble
// and documents, which are rendered into the system prompt for the local engine.

enum CohereCommandBody: TextBodyFormat {
    static func request(from body: JSONValue, limits: TextModelLimits) throws(BedrockError) -> TextRequest {
        let top = try BodyReader(body, allowed: ["prompt", "temperature", "p", "k", "max_tokens", "stop_sequences",
                                                 "return_likelihoods", "num_generations", "stream", "truncate"])
        let prompt = try top.require("prompt") { (k) throws(BedrockError) in try top.string(k) }
        if let likelihoods = try top.choice("return_likelihoods", ["NONE", "GENERATION", "ALL"]), likelihoods != "NONE" {
            throw .validation("return_likelihoods \(likelihoods) is not offered by the local engine yet; use NONE")
        }
        _ = try top.choice("truncate", ["NONE", "START", "END"])
        _ = try top.bool("stream")
        return TextRequest(
            input: PromptMarkers.speakerLines(prompt, user: ["User"], assistant: ["Chatbot"]) ?? .continuation(prompt),
            maxTokens: try top.int("max_tokens", in: 1...4096).map { min($0, limits.maxOutputTokens) } ?? 20,
            temperature: try top.double("temperature", in: 0...5) ?? 0.9,
            topP: try top.double("p", in: 0...1) ?? 0.75,
            topK: (try top.int("k", in: 0...500)).flatMap { $0 == 0 ? nil : $0 },
            stopSequences: try top.strings("stop_sequences", maxCount: 4) ?? [],
            candidates: try top.int("num_generations", in: 1...5) ?? 1)
    }

    static func responseBody(_ results: [TextResponse], request: TextRequest, context: ResponseContext) -> JSONValue {
        ["id": .string(context.responseId),
         "generations": .array(results.enumerated().map { i, r in
             ["id": .string("\(context.responseId)-\(i)"), "text": .string(r.text),
              "finish_reason": .string(r.stopReason == .maxTokens || r.stopReason == .modelContextWindowExceeded ? "MAX_TOKENS" : "COMPLETE")]
         }),
         "prompt": .string(request.promptText)]
    }

    static func body(prompt: String, overrides o: InferenceOverrides, limits: TextModelLimits) -> JSONValue {
        let system = o.system.map { "\($0)\n" } ?? ""
        return .compactObject([
            ("prompt", .string("\(system)User: \(prompt)\nChatbot:")),
            ("max_tokens", .int(o.maxTokens ?? 256)),
            ("temperature", o.temperature.map(JSONValue.number)),
            ("p", o.topP.map(JSONValue.number)),
            ("k", o.topK.map(JSONValue.int)),
            ("stop_sequences", o.stopSequences.map { .array($0.map(JSONValue.string)) }),
        ])
    }
}

enum CohereCommandRBody: TextBodyFormat {
    static func request(from body: JSONValue, limits: TextModelLimits) throws(BedrockError) -> TextRequest {
        let top = try BodyReader(body, allowed: ["message", "chat_history", "documents", "preamble", "temperature", "p",
                                                 "k", "max_tokens", "stop_sequences", "seed", "prompt_truncation",
                                                 "search_queries_only", "frequency_penalty", "presence_penalty"])
        let message = try top.require("message") { (k) throws(BedrockError) in try top.string(k) }
        var turns: [ChatTurn] = []
        for (i, item) in (try top.array("chat_history") ?? []).enumerated() {
            let h = try BodyReader(item, path: "chat_history[\(i)]", allowed: ["role", "message"])
            let role = try h.require("role") { (k) throws(BedrockError) in try h.choice(k, ["USER", "CHATBOT"]) }
            turns.append(ChatTurn(role == "USER" ? .user : .assistant,
                                  try h.require("message") { (k) throws(BedrockError) in try h.string(k, allowEmpty: true) }))
        }
        turns.append(ChatTurn(.user, message))
        var system = try top.string("preamble", allowEmpty: true) ?? ""
        let documents = try top.array("documents") ?? []
        if !documents.isEmpty {
            // Grounding documents become part of the system prompt, numbered so answers can cite them.
            system += (system.isEmpty ? "" : "\n\n") + "Documents:"
            for (i, doc) in documents.enumerated() {
                guard case .object(let fields) = doc else { throw .validation("documents[\(i)] must be an object of strings") }
                let line = fields.map { "\($0.0): \($0.1.stringValue ?? $0.1.compactText)" }.joined(separator: "; ")
                system += "\n[\(i)] \(line)"
            }
        }
        for key in ["frequency_penalty", "presence_penalty"] {
            if let x = try top.double(key, in: 0...1), x != 0 {
                throw .validation("\(key) is not applied by the local engine; leave it at 0")
            }
        }
        return TextRequest(
            input: PromptMarkers.conversation(system: system.isEmpty ? nil : system, turns: turns),
            maxTokens: try top.int("max_tokens", in: 1...4000).map { min($0, limits.maxOutputTokens) } ?? 512,
            temperature: try top.double("temperature", in: 0...1) ?? 0.3,
            topP: try top.double("p", in: 0.01...0.99) ?? 0.75,
            topK: (try top.int("k", in: 0...500)).flatMap { $0 == 0 ? nil : $0 },
            stopSequences: try top.strings("stop_sequences", maxCount: 4) ?? [])
    }

    static func responseBody(_ results: [TextResponse], request: TextRequest, context: ResponseContext) -> JSONValue {
        let r = results[0]
        var history: [JSONValue] = []
        if case .conversation(_, let turns) = request.input {
            history = turns.map { ["role": .string($0.role == .user ? "USER" : "CHATBOT"), "message": .string($0.text)] }
        }
        history.append(["role": "CHATBOT", "message": .string(r.text)])
        return ["text": .string(r.text), "generation_id": .string(context.responseId),
                "finish_reason": .string(r.stopReason == .maxTokens || r.stopReason == .modelContextWindowExceeded ? "MAX_TOKENS" : "COMPLETE"),
                "chat_history": .array(history)]
    }

    static func body(prompt: String, overrides o: InferenceOverrides, limits: TextModelLimits) -> JSONValue {
        .compactObject([
            ("message", .string(prompt)),
            ("preamble", o.system.map(JSONValue.string)),
            ("max_tokens", o.maxTokens.map(JSONValue.int)),
            ("temperature", o.temperature.map(JSONValue.number)),
            ("p", o.topP.map(JSONValue.number)),
            ("k", o.topK.map(JSONValue.int)),
            ("stop_sequences", o.stopSequences.map { .array($0.map(JSONValue.string)) }),
        ])
    }
}
