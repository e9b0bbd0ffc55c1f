// Meta Llama and Mistral: raw prompts in the model's own chat markup ([INST] blocks for Llama 2
// and Mistral, header tokens for Llama 3), read back into turns for the engine's template.
// Llama → {"generation", "prompt_token_count", "generation_token_count", "stop_reason"};
// Mistral → {"outputs": [{"text", "stop_reason"}]}.

enum LlamaBody: TextBodyFormat {
    static func request(from body: JSONValue, limits: TextModelLimits) throws(BedrockError) -> TextRequest {
        let top = try BodyReader(body, allowed: ["prompt", "temperature", "top_p", "max_gen_len", "images"])
        if top["images"] != nil { throw unsupportedContent("images", "image") }
        let prompt = try top.require("prompt") { (k) throws(BedrockError) in try top.string(k) }
        let input = PromptMarkers.llama3Headers(prompt) ?? PromptMarkers.instBlocks(prompt) ?? .continuation(prompt)
        return TextRequest(
            input: input,
            maxTokens: try top.int("max_gen_len", in: 1...2048).map { min($0, limits.maxOutputTokens) } ?? min(512, limits.maxOutputTokens),
            temperature: try top.double("temperature", in: 0...1) ?? 0.5,
            topP: try top.double("top_p", in: 0...1) ?? 0.9)
    }

    static func responseBody(_ results: [TextResponse], request: TextRequest, context: ResponseContext) -> JSONValue {
        let r = results[0]
        return ["generation": .string(r.text), "prompt_token_count": .int(r.inputTokens),
                "generation_token_count": .int(r.outputTokens),
                "stop_reason": .string(r.stopReason == .endTurn || r.stopReason == .stopSequence ? "stop" : "length")]
    }

    static func body(prompt: String, overrides o: InferenceOverrides, limits: TextModelLimits) -> JSONValue {
        body(prompt: prompt, overrides: o, limits: limits, llama3: true)
    }

    static func body(prompt: String, overrides o: InferenceOverrides, limits: TextModelLimits, llama3: Bool) -> JSONValue {
        let text: String
        if llama3 {
            let system = o.system.map { "<|start_header_id|>system<|end_header_id|>\n\n\($0)<|eot_id|>" } ?? ""
            text = "<|begin_of_text|>\(system)<|start_header_id|>user<|end_header_id|>\n\n\(prompt)<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
        } else {
            let system = o.system.map { "<<SYS>>\n\($0)\n<</SYS>>\n\n" } ?? ""
            text = "<s>[INST] \(system)\(prompt) [/INST]"
        }
        return .compactObject([
            ("prompt", .string(text)),
            ("max_gen_len", o.maxTokens.map(JSONValue.int)),
            ("temperature", o.temperature.map(JSONValue.number)),
            ("top_p", o.topP.map(JSONValue.number)),
        ])
    }
}

enum MistralBody: TextBodyFormat {
    /// Mistral Large has other defaults and no top_k.
    static func isLarge(_ limits: TextModelLimits) -> Bool { limits.modelId.contains("mistral-large") }

    static func request(from body: JSONValue, limits: TextModelLimits) throws(BedrockError) -> TextRequest {
        let large = isLarge(limits)
        let allowed = ["prompt", "max_tokens", "stop", "temperature", "top_p"] + (large ? [] : ["top_k"])
        let top = try BodyReader(body, allowed: allowed)
        let prompt = try top.require("prompt") { (k) throws(BedrockError) in try top.string(k) }
        return TextRequest(
            input: PromptMarkers.instBlocks(prompt) ?? .continuation(prompt),
            maxTokens: try maxTokens(top, "max_tokens", limits: limits, default: 512),
            temperature: try top.double("temperature", in: 0...1) ?? (large ? 0.7 : 0.5),
            topP: try top.double("top_p", in: 0...1) ?? (large ? 1 : 0.9),
            topK: large ? nil : (try top.int("top_k", in: 1...200) ?? 50),
            stopSequences: try top.strings("stop", maxCount: 10) ?? [])
    }

    static func responseBody(_ results: [TextResponse], request: TextRequest, context: ResponseContext) -> JSONValue {
        ["outputs": .array(results.map { r in
            ["text": .string(r.text),
             "stop_reason": .string(r.stopReason == .endTurn || r.stopReason == .stopSequence ? "stop" : "length")]
        })]
    }

    static func body(prompt: String, overrides o: InferenceOverrides, limits: TextModelLimits) -> JSONValue {
        let system = o.system.map { "\($0)\n\n" } ?? ""
        return .compactObject([
            ("prompt", .string("<s>[INST] \(system)\(prompt) [/INST]")),
            ("max_tokens", o.maxTokens.map(JSONValue.int)),
            ("stop", o.stopSequences.map { .array($0.map(JSONValue.string)) }),
            ("temperature", o.temperature.map(JSONValue.number)),
            ("top_p", o.topP.map(JSONValue.number)),
            ("top_k", isLarge(limits) ? nil : o.topK.map(JSONValue.int)),
        ])
    }
}
