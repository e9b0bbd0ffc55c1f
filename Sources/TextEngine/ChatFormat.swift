// The conversation formats an imported GGUF can declare in tokenizer.chat_template, recognised by
// their markers (no Jinja is run): ChatML (<|im_start|>), Llama 3 (<|start_header_id|>) and
// Mistral ([INST]); anything else is served as plain-text continuation. A rendering is a list of
// pieces: markup (encoded with control tokens allowed) and message text (encoded as plain text, so
// a message cannot forge a marker). SmolLM2's own conversations are `.chatML` too, with its default
// system line (ChatTemplate.swift).

/// A chat format detected from a model file's template.
public enum ChatFormat: String, Sendable, Equatable, Codable, CaseIterable {
    case chatML = "chatml", llama3 = "llama3", mistral = "mistral", plain = "plain"

    /// How a card names it.
    public var label: String {
        switch self {
        case .chatML: "ChatML (<|im_start|>role … <|im_end|>)"
        case .llama3: "Llama 3 (<|start_header_id|>role<|end_header_id|> … <|eot_id|>)"
        case .mistral: "Mistral ([INST] … [/INST])"
        case .plain: "none recognised: conversations are sent as plain text to continue (System:/User:/Assistant: lines)"
        }
    }

    /// The format whose markers `template` uses; `.plain` for a missing or unknown template.
    public static func detect(template: String?) -> ChatFormat {
        guard let t = template, !t.isEmpty else { return .plain }
        if t.contains("<|im_start|>") { return .chatML }
        if t.contains("<|start_header_id|>") { return .llama3 }
        if t.contains("[INST]") { return .mistral }
        return .plain
    }

    /// The system text a ChatML template inserts when a conversation has none (SmolLM2's "You are a
    /// helpful AI assistant named SmolLM…"): the literal between `<|im_start|>system` and `<|im_end|>`.
    public static func defaultSystem(template: String?) -> String? {
        guard let t = template, let open = t.range(of: "<|im_start|>system") else { return nil }
        var rest = t[open.upperBound...]
        if rest.hasPrefix("\\n") { rest = rest.dropFirst(2) } else if rest.hasPrefix("\n") { rest = rest.dropFirst() } else { return nil }
        guard let close = rest.range(of: "<|im_end|>") else { return nil }
        let text = String(rest[..<close.lowerBound])
        // A template that builds the system turn from a variable has no literal default.
        return text.isEmpty || text.contains("{{") || text.contains("'") || text.contains("+") ? nil : text
    }
}

/// One piece of a rendered conversation.
public struct ChatPiece: Sendable, Equatable {
    public var text: String
    /// Markup is encoded with control tokens allowed; message text never is.
    public var isMarkup: Bool
    public init(_ text: String, markup: Bool) { self.text = text; self.isMarkup = markup }
}

extension ChatFormat {
    /// The prompt for a conversation, ending where the assistant's answer begins. `turns` are
    /// (role "user"/"assistant", text); a last assistant turn is a prefill the answer continues.
    public func render(system: String?, turns: [(role: String, text: String)], defaultSystem: String?) -> [ChatPiece] {
        let prefill = turns.last?.role == "assistant"
        switch self {
        case .chatML: return chatML(system: system ?? defaultSystem, turns: turns, prefill: prefill)
        case .llama3: return llama3(system: system, turns: turns, prefill: prefill)
        case .mistral: return mistral(system: system, turns: turns, prefill: prefill)
        case .plain: return plainText(system: system, turns: turns, prefill: prefill)
        }
    }

    private func chatML(system: String?, turns: [(role: String, text: String)], prefill: Bool) -> [ChatPiece] {
        var out: [ChatPiece] = []
        if let system { out += [ChatPiece("<|im_start|>system\n", markup: true), ChatPiece(system, markup: false),
                                ChatPiece("<|im_end|>\n", markup: true)] }
        for (i, t) in turns.enumerated() {
            out += [ChatPiece("<|im_start|>\(t.role)\n", markup: true), ChatPiece(t.text, markup: false)]
            if !(prefill && i == turns.count - 1) { out.append(ChatPiece("<|im_end|>\n", markup: true)) }
        }
        if !prefill { out.append(ChatPiece("<|im_start|>assistant\n", markup: true)) }
        return out
    }

    private func llama3(system: String?, turns: [(role: String, text: String)], prefill: Bool) -> [ChatPiece] {
        func header(_ role: String) -> ChatPiece { ChatPiece("<|start_header_id|>\(role)<|end_header_id|>\n\n", markup: true) }
        var out = [ChatPiece("<|begin_of_text|>", markup: true)]
        if let system { out += [header("system"), ChatPiece(system, markup: false), ChatPiece("<|eot_id|>", markup: true)] }
        for (i, t) in turns.enumerated() {
            out += [header(t.role), ChatPiece(t.text, markup: false)]
            if !(prefill && i == turns.count - 1) { out.append(ChatPiece("<|eot_id|>", markup: true)) }
        }
        if !prefill { out.append(header("assistant")) }
        return out
    }

    /// Mistral's template puts the system text at the top of the first user turn.
    private func mistral(system: String?, turns: [(role: String, text: String)], prefill: Bool) -> [ChatPiece] {
        var out = [ChatPiece("<s>", markup: true)]
        var systemPending = system
        for (i, t) in turns.enumerated() {
            if t.role == "user" {
                out.append(ChatPiece("[INST] ", markup: true))
                if let s = systemPending { out.append(ChatPiece(s + "\n\n", markup: false)); systemPending = nil }
                out += [ChatPiece(t.text, markup: false), ChatPiece(" [/INST]", markup: true)]
            } else {
                out.append(ChatPiece(t.text, markup: false))
                if !(prefill && i == turns.count - 1) { out.append(ChatPiece("</s>", markup: true)) }
            }
        }
        return out
    }

    private func plainText(system: String?, turns: [(role: String, text: String)], prefill: Bool) -> [ChatPiece] {
        var lines: [String] = []
        if let system { lines.append("System: " + system) }
        for t in turns { lines.append((t.role == "user" ? "User: " : "Assistant: ") + t.text) }
        var text = lines.joined(separator: "\n")
        if !prefill { text += "\nAssistant:" }
        return [ChatPiece(text, markup: false)]
    }
}
