// Provider-native bodies: each family's request is read into the neutral request with the
// provider's defaults, its chat markers become turns, bad values name the field and the range,
// and responses come back in the provider's own shape.
import Testing
@testable import BedrockPlatform

private let limits = TextModelLimits(modelId: "test.model-v1", maxOutputTokens: 4096, contextWindow: 8192)

private func request(_ family: TextBodyFamily, _ json: String, limits: TextModelLimits = limits) throws -> TextRequest {
    try family.request(from: try JSONValue.parse(json), limits: limits)
}

@Suite struct ProviderBodyTests {
    @Test func titanReadsUserBotLinesAndDefaults() throws {
        let r = try request(.titan, #"{"inputText": "Be brief.\nUser: Hi\nBot: Hello!\nUser: What is Bedrock?\nBot:"}"#)
        #expect(r.input == .conversation(system: "Be brief.", turns: [
            ChatTurn(.user, "Hi"), ChatTurn(.assistant, "Hello!"), ChatTurn(.user, "What is Bedrock?")]))
        #expect(r.temperature == 0.7 && r.topP == 0.9 && r.maxTokens == 512)
    }

    @Test func titanWithoutMarkersIsAContinuation() throws {
        let r = try request(.titan, #"{"inputText": "Once upon a time"}"#)
        #expect(r.input == .continuation("Once upon a time"))
    }

    @Test func titanRangeErrorNamesFieldAndRange() {
        #expect(throws: BedrockError.validation("textGenerationConfig.temperature must be between 0 and 1, got 1.5")) {
            try request(.titan, #"{"inputText": "x", "textGenerationConfig": {"temperature": 1.5}}"#)
        }
        #expect(throws: BedrockError.validation("textGenerationConfig.maxTokenCount must be between 1 and 4096, got 9000")) {
            try request(.titan, #"{"inputText": "x", "textGenerationConfig": {"maxTokenCount": 9000}}"#)
        }
    }

    @Test func extraneousKeySuggestsTheClosestName() {
        #expect(throws: BedrockError.validation(
            "Malformed input request: extraneous key [textGenerationConfig.temprature] is not permitted (did you mean temperature?); allowed keys: temperature, topP, maxTokenCount, stopSequences")) {
            try request(.titan, #"{"inputText": "x", "textGenerationConfig": {"temprature": 0.5}}"#)
        }
    }

    @Test func claudeMessagesNeedVersionAndAlternatingRoles() throws {
        let ok = try request(.claudeMessages, #"""
            {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100, "system": "Be kind.",
             "messages": [{"role": "user", "content": [{"type": "text", "text": "Hi"}]},
                          {"role": "assistant", "content": "The answer is"}], "top_k": 40}
            """#)
        #expect(ok.input == .conversation(system: "Be kind.", turns: [ChatTurn(.user, "Hi"), ChatTurn(.assistant, "The answer is")]))
        #expect(ok.topK == 40 && ok.temperature == 1 && ok.maxTokens == 100)
        #expect(throws: BedrockError.validation("max_tokens is required")) {
            try request(.claudeMessages, #"{"anthropic_version": "bedrock-2023-05-31", "messages": [{"role": "user", "content": "x"}]}"#)
        }
        #expect(throws: BedrockError.validation("Roles must alternate between user and assistant: messages[1].role is user after user")) {
            try request(.claudeMessages, #"{"anthropic_version": "bedrock-2023-05-31", "max_tokens": 5, "messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]}"#)
        }
        #expect(throws: BedrockError.validation("A conversation must start with a user message: messages[0].role is assistant")) {
            try request(.claudeMessages, #"{"anthropic_version": "bedrock-2023-05-31", "max_tokens": 5, "messages": [{"role": "assistant", "content": "a"}]}"#)
        }
    }

    @Test func claudeImagesAreRefusedHonestly() {
        #expect(throws: BedrockError.validation("messages[0].content[0] is a image block: the local engine serving this model (SmolLM2-135M-Instruct) reads text only")) {
            try request(.claudeMessages, #"{"anthropic_version": "bedrock-2023-05-31", "max_tokens": 5, "messages": [{"role": "user", "content": [{"type": "image", "source": {}}]}]}"#)
        }
    }

    @Test func claudeTextPromptIsParsedIntoTurns() throws {
        let r = try request(.claudeText, #"{"prompt": "\n\nHuman: Name a color.\n\nAssistant:", "max_tokens_to_sample": 20}"#)
        #expect(r.input == .conversation(system: nil, turns: [ChatTurn(.user, "Name a color.")]))
        #expect(r.stopSequences == ["\n\nHuman:"] && r.topK == 250)
        #expect(throws: BedrockError.self) { try request(.claudeText, #"{"prompt": "Hi", "max_tokens_to_sample": 20}"#) }
    }

    @Test func llama2AndLlama3PromptsBecomeTurns() throws {
        let l2 = try request(.llama2, #"{"prompt": "<s>[INST] <<SYS>>\nBe short.\n<</SYS>>\n\nHi [/INST] Hello </s><s>[INST] Bye? [/INST]"}"#)
        #expect(l2.input == .conversation(system: "Be short.", turns: [ChatTurn(.user, "Hi"), ChatTurn(.assistant, "Hello"), ChatTurn(.user, "Bye?")]))
        #expect(l2.maxTokens == 512 && l2.temperature == 0.5)
        let l3 = try request(.llama3, #"{"prompt": "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", "max_gen_len": 64}"#)
        #expect(l3.input == .conversation(system: nil, turns: [ChatTurn(.user, "What is 2+2?")]))
        #expect(throws: BedrockError.validation("max_gen_len must be between 1 and 2048, got 4096")) {
            try request(.llama3, #"{"prompt": "x", "max_gen_len": 4096}"#)
        }
    }

    @Test func mistralLargeHasNoTopK() throws {
        let small = try request(.mistral, #"{"prompt": "<s>[INST] Hi [/INST]"}"#)
        #expect(small.topK == 50 && small.temperature == 0.5)
        let largeLimits = TextModelLimits(modelId: "mistral.mistral-large-2402-v1:0", maxOutputTokens: 8192, contextWindow: 32000)
        let large = try request(.mistral, #"{"prompt": "<s>[INST] Hi [/INST]"}"#, limits: largeLimits)
        #expect(large.topK == nil && large.temperature == 0.7 && large.topP == 1)
        #expect(throws: BedrockError.self) { try request(.mistral, #"{"prompt": "x", "top_k": 5}"#, limits: largeLimits) }
    }

    @Test func cohereCommandRRendersHistoryAndDocuments() throws {
        let r = try request(.cohereCommandR, #"""
            {"message": "And now?", "preamble": "You help.", "chat_history": [{"role": "USER", "message": "Hi"}, {"role": "CHATBOT", "message": "Hello"}],
             "documents": [{"title": "Doc", "snippet": "Bedrock is managed."}]}
            """#)
        #expect(r.input == .conversation(system: "You help.\n\nDocuments:\n[0] title: Doc; snippet: Bedrock is managed.",
                                         turns: [ChatTurn(.user, "Hi"), ChatTurn(.assistant, "Hello"), ChatTurn(.user, "And now?")]))
        #expect(r.temperature == 0.3)
    }

    @Test func cohereCommandAsksForSeveralGenerations() throws {
        let r = try request(.cohereCommand, #"{"prompt": "User: Hi\nChatbot:", "num_generations": 3, "k": 0}"#)
        #expect(r.candidates == 3 && r.topK == nil && r.maxTokens == 20)
        let a = TextResponse(text: "one", inputTokens: 5, outputTokens: 2, stopReason: .endTurn)
        let b = TextResponse(text: "two", inputTokens: 5, outputTokens: 20, stopReason: .maxTokens)
        let body = TextBodyFamily.cohereCommand.responseBody([a, b], request: r, context: ResponseContext(responseId: "g1"))
        #expect(body["generations"]?.arrayValue?.map { $0["finish_reason"]?.stringValue } == ["COMPLETE", "MAX_TOKENS"])
    }

    @Test func novaAndJambaReadMessages() throws {
        let nova = try request(.nova, #"{"schemaVersion": "messages-v1", "system": [{"text": "S"}], "messages": [{"role": "user", "content": [{"text": "Q"}]}], "inferenceConfig": {"max_new_tokens": 10, "top_k": 5}}"#)
        #expect(nova.input == .conversation(system: "S", turns: [ChatTurn(.user, "Q")]))
        #expect(nova.maxTokens == 10 && nova.topK == 5)
        let jamba = try request(.ai21Jamba, #"{"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "Q"}], "max_tokens": 8}"#)
        #expect(jamba.input == .conversation(system: "S", turns: [ChatTurn(.user, "Q")]))
    }

    @Test(arguments: TextBodyFamily.allCases)
    func convenienceBodiesReadBackAsOneUserTurn(family: TextBodyFamily) throws {
        let overrides = InferenceOverrides(maxTokens: 32, temperature: 0, topP: 0.5, stopSequences: ["END"], system: "Be brief.")
        let body = family.body(prompt: "What is Amazon Bedrock?", overrides: overrides, limits: limits)
        let r = try family.request(from: body, limits: limits)
        guard case .conversation(let system, let turns) = r.input else {
            Issue.record("\(family.rawValue): expected a conversation, got \(r.input)")
            return
        }
        if family == .mistral {
            // Mistral's instruction format has no system slot: the system text leads the first turn.
            #expect(turns == [ChatTurn(.user, "Be brief.\n\nWhat is Amazon Bedrock?")] && system == nil)
        } else {
            #expect(turns == [ChatTurn(.user, "What is Amazon Bedrock?")])
            #expect(system == "Be brief.")
        }
        #expect(r.maxTokens == 32 && r.temperature == 0)
    }

    @Test(arguments: TextBodyFamily.allCases)
    func responseBodiesCarryTextAndStopReason(family: TextBodyFamily) throws {
        let overrides = InferenceOverrides(maxTokens: 16)
        let r = try family.request(from: family.body(prompt: "Hi", overrides: overrides, limits: limits), limits: limits)
        let response = TextResponse(text: "Hello there", inputTokens: 7, outputTokens: 3, stopReason: .maxTokens)
        let body = family.responseBody([response], request: r, context: ResponseContext(responseId: "id-1"))
        #expect(body.compactText.contains("Hello there"))
        let lengthWords = ["LENGTH", "max_tokens", "length", "MAX_TOKENS"]
        #expect(lengthWords.contains { body.compactText.contains("\"\($0)\"") }, "\(family.rawValue): \(body.compactText)")
    }

    @Test func converseReadsInferenceConfigAndTopK() throws {
        let r = try Converse.request(from: try JSONValue.parse(#"""
            {"messages": [{"role": "user", "content": [{"text": "Hi"}]}], "system": [{"text": "S"}],
             "inferenceConfig": {"maxTokens": 64, "temperature": 0.2, "stopSequences": ["x"]},
             "additionalModelRequestFields": {"top_k": 10}}
            """#), limits: limits)
        #expect(r == TextRequest(input: .conversation(system: "S", turns: [ChatTurn(.user, "Hi")]), maxTokens: 64,
                                 temperature: 0.2, topP: 0.9, topK: 10, stopSequences: ["x"]))
        let event = Converse.StreamEvent.contentBlockDelta(text: "He", index: 0)
        #expect(event.json.compactText == #"{"contentBlockDelta":{"delta":{"text":"He"},"contentBlockIndex":0}}"#)
    }
}
