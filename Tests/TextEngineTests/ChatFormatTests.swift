// The chat formats an imported model's template selects: detection by marker, SmolLM2's default
// system line read from its real template, and each format's rendering (with a prefill turn).
import Testing
@testable import TextEngine

@Suite struct ChatFormatTests {
    @Test func theFormatIsDetectedFromTheTemplatesMarkers() throws {
        let smol = try GGUFFile(path: ModelLocator.smolLM2Path).metadata["tokenizer.chat_template"]?.stringValue
        #expect(ChatFormat.detect(template: smol) == .chatML)
        #expect(ChatFormat.defaultSystem(template: smol) == ChatTemplate.defaultSystem)
        #expect(ChatFormat.detect(template: "{{ '<|start_header_id|>' + message['role'] }}") == .llama3)
        #expect(ChatFormat.detect(template: "{{ '[INST] ' + message['content'] + ' [/INST]' }}") == .mistral)
        #expect(ChatFormat.detect(template: "{{ messages }}") == .plain && ChatFormat.detect(template: nil) == .plain)
        #expect(ChatFormat.defaultSystem(template: "{{ '<|im_start|>system\\n' + system + '<|im_end|>' }}") == nil)
    }

    private func text(_ pieces: [ChatPiece]) -> String { pieces.map(\.text).joined() }

    @Test func eachFormatRendersAConversationAndAPrefill() {
        let turns = [(role: "user", text: "Hi"), (role: "assistant", text: "Hello"), (role: "user", text: "Bye")]
        #expect(text(ChatFormat.chatML.render(system: nil, turns: turns, defaultSystem: "Be kind")) ==
                "<|im_start|>system\nBe kind<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello<|im_end|>\n"
                + "<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n")
        #expect(text(ChatFormat.llama3.render(system: "S", turns: [(role: "user", text: "Hi")], defaultSystem: nil)) ==
                "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi"
                + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")
        #expect(text(ChatFormat.mistral.render(system: "S", turns: turns, defaultSystem: nil)) ==
                "<s>[INST] S\n\nHi [/INST]Hello</s>[INST] Bye [/INST]")
        let prefill = [(role: "user", text: "Hi"), (role: "assistant", text: "Well,")]
        #expect(text(ChatFormat.plain.render(system: "S", turns: prefill, defaultSystem: nil)) == "System: S\nUser: Hi\nAssistant: Well,")
        let chatml = ChatFormat.chatML.render(system: nil, turns: prefill, defaultSystem: nil)
        #expect(text(chatml) == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nWell,")
        // Message text is never markup, so a typed marker stays text.
        #expect(chatml.filter { !$0.isMarkup }.map(\.text) == ["Hi", "Well,"])
    }
}
