// Amazon Titan Text: {"inputText", "textGenerationConfig": {temperature, topP, maxTokenCount,
// stopSequences}} → {"inputTextTokenCount", "results": [{tokenCount, outputText, completionReason}]}.
// "User: … Bot:" lines become turns; other text is continued as is.

enum TitanTextBody: TextBodyFormat {
    static func request(from body: JSONValue, limits: TextModelLimits) throws(BedrockError) -> TextRequest {
        let top = try BodyReader(body, allowed: ["inputText", "textGenerationConfig"])
        let text = try top.require("inputText") { (k) throws(BedrockError) in try top.string(k) }
        let config = try top.object("textGenerationConfig", allowed: ["temperature", "topP", "maxTokenCount", "stopSequences"]) ?? .empty(path: "textGenerationConfig")
        return TextRequest(
            input: PromptMarkers.speakerLines(text, user: ["User"], assistant: ["Bot"]) ?? .continuation(text),
            maxTokens: try maxTokens(config, "maxTokenCount", limits: limits, default: 512),
            temperature: try config.double("temperature", in: 0...1) ?? 0.7,
            topP: try config.double("topP", in: 0...1) ?? 0.9,
            stopSequences: try config.strings("stopSequences", maxCount: 4) ?? [])
    }

    static func responseBody(_ results: [TextResponse], request: TextRequest, context: ResponseContext) -> JSONValue {
        let r = results[0]
        let reason: String
        switch r.stopReason {
        case .endTurn, .interrupted: reason = "FINISHED"
        case .maxTokens, .modelContextWindowExceeded: reason = "LENGTH"
        case .stopSequence: reason = "STOP_CRITERIA_MET"
        }
        return ["inputTextTokenCount": .int(r.inputTokens),
                "results": [["tokenCount": .int(r.outputTokens), "outputText": .string(r.text), "completionReason": .string(reason)]]]
    }

    static func body(prompt: String, overrides o: InferenceOverrides, limits: TextModelLimits) -> JSONValue {
        let system = o.system.map { "\($0)\n\n" } ?? ""
        return ["inputText": .string("\(system)User: \(prompt)\nBot:"),
                "textGenerationConfig": .compactObject([
                    ("maxTokenCount", o.maxTokens.map(JSONValue.int)),
                    ("temperature", o.temperature.map(JSONValue.number)),
                    ("topP", o.topP.map(JSONValue.number)),
                    ("stopSequences", o.stopSequences.map { .array($0.map(JSONValue.string)) }),
                ])]
    }
}
