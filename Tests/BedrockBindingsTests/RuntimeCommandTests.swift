// The runtime commands on the real model through a Session: invoke with a prompt and with a
// native body, converse, count_tokens, compare, chat and say — and every command's own
// documentation example runs.
import BedrockBindings
import BedrockInterpreter
import BedrockPlatform
import Testing

@Suite(.serialized) struct RuntimeCommandTests {
    @Test func invokeAnswersAndReportsUsageAndCost() throws {
        let (out, outcome) = try run(#"""
            request access "amazon.titan-text-express-v1"
            let r = invoke "amazon.titan-text-express-v1" "What is the capital of France?" max_tokens: 20 temperature: 0
            print r.stop_reason, r.usage.input_tokens > 0, r.cost > 0
            print r.body.results[0].completionReason
            """#)
        #expect(outcome == .ok, "\(outcome)")
        #expect(out.contains("true true"))
        #expect(out.contains("FINISHED") || out.contains("LENGTH"))
    }

    @Test func aNativeBodyIsSentAsGivenAndValidated() throws {
        let (out, outcome) = try run(#"""
            request access "meta.llama3-8b-instruct-v1:0"
            let body = {prompt: "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nSay yes.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", max_gen_len: 5, temperature: 0}
            let r = invoke "meta.llama3-8b-instruct-v1:0" body: body
            print r.body.generation_token_count <= 5, r.body.stop_reason
            invoke "meta.llama3-8b-instruct-v1:0" body: {prompt: "x", max_gen_len: 9999}
            """#)
        #expect(out.contains("true"))
        guard case .runtimeError(let message) = outcome else { Issue.record("expected a validation error"); return }
        #expect(message.contains("max_gen_len must be between 1 and 2048, got 9999"))
    }

    @Test func converseCountTokensCompareAndChat() throws {
        let (out, outcome) = try run(#"""
            request access "amazon.titan-text-lite-v1"
            request access "amazon.titan-text-express-v1"
            let r = converse "amazon.titan-text-lite-v1" [{role: "user", content: "Hi"}] max_tokens: 4 temperature: 0
            print r.body.stopReason, r.body.usage.outputTokens
            print count_tokens("amazon.titan-text-lite-v1", "What is Amazon Bedrock?") > 5
            compare "amazon.titan-text-lite-v1" "amazon.titan-text-express-v1" "Name a color." max_tokens: 6 temperature: 0
            let c = chat "amazon.titan-text-lite-v1" max_tokens: 6 temperature: 0
            say c "Hello" stream: false
            say c "And again" stream: false
            print len(c.messages)
            """#)
        #expect(outcome == .ok, "\(outcome)")
        #expect(out.contains("max_tokens 4"))
        #expect(out.contains("│"))
        #expect(out.contains("[turn 2 ·"))
        #expect(out.hasSuffix("4\n"))
    }

    @Test func everyPlatformCommandsExampleRuns() throws {
        let platform = try Platform.ephemeral()
        var registry = NativeRegistry()
        PlatformLibrary(platform: platform).register(into: &registry)
        for name in registry.names {
            let example = registry.command(named: name)!.signature.example
            let (out, outcome) = try run(example)
            if name == "update booking", case .runtimeError(let message) = outcome {
                // Only a custom model's booking may change model, and custom models come from the
                // trainer: until one exists, the example shows Bedrock's refusal.
                #expect(message.contains("only a booking for a custom model can change its model"))
                continue
            }
            #expect(outcome == .ok, "example of \(name): \(example)\n\(out)\n\(outcome)")
        }
    }
}
