// PromptMarkers: reads the chat markers of raw-prompt bodies (Titan's "User:/Bot:", Claude's
// "\n\nHuman:/\n\nAssistant:", Llama 2 and Mistral's [INST] blocks, Llama 3's header tokens) back
// into turns, so the engine can render them in its own chat template the way a serving stack
// would. Text with no markers it knows stays a plain continuation.

enum PromptMarkers {
    /// Lines that start with a speaker label ("User: …", "Bot: …"). Text before the first label
    /// becomes the system prompt. nil when no label starts a line.
    static func speakerLines(_ text: String, user: [String], assistant: [String]) -> TextInput? {
        var system = ""
        var turns: [ChatTurn] = []
        var sawLabel = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if let (role, rest) = labelled(trimmed, user: user, assistant: assistant) {
                sawLabel = true
                turns.append(ChatTurn(role, String(rest.drop { $0 == " " })))
            } else if turns.isEmpty {
                system += (system.isEmpty ? "" : "\n") + line
            } else {
                turns[turns.count - 1].text += "\n" + line
            }
        }
        guard sawLabel else { return nil }
        let systemText = system.trimmingSpace()
        return conversation(system: systemText.isEmpty ? nil : systemText, turns: turns)
    }

    private static func labelled(_ line: Substring, user: [String], assistant: [String]) -> (ChatRole, Substring)? {
        for (labels, role) in [(user, ChatRole.user), (assistant, ChatRole.assistant)] {
            for label in labels where line.hasPrefix(label + ":") {
                return (role, line.dropFirst(label.count + 1))
            }
        }
        return nil
    }

    /// Claude's legacy text format: turns introduced by "\n\nHuman:" and "\n\nAssistant:".
    static func humanAssistant(_ text: String) -> TextInput? {
        var turns: [ChatTurn] = []
        var rest = Substring(text)
        let markers: [(String, ChatRole)] = [("\n\nHuman:", .user), ("\n\nAssistant:", .assistant)]
        var preamble = ""
        while !rest.isEmpty {
            let next = markers.compactMap { m -> (Range<Substring.Index>, ChatRole)? in
                rest.firstRange(of: m.0).map { ($0, m.1) }
            }.min { $0.0.lowerBound < $1.0.lowerBound }
            guard let (range, role) = next else {
                if turns.isEmpty { preamble += rest } else { turns[turns.count - 1].text += rest }
                break
            }
            let before = rest[..<range.lowerBound]
            if turns.isEmpty { preamble += before } else { turns[turns.count - 1].text += before }
            turns.append(ChatTurn(role, ""))
            rest = rest[range.upperBound...]
        }
        guard !turns.isEmpty else { return nil }
        let system = preamble.trimmingSpace()
        return conversation(system: system.isEmpty ? nil : system,
                            turns: turns.map { ChatTurn($0.role, $0.text.trimmingSpace()) })
    }

    /// Llama 2 and Mistral: "<s>[INST] <<SYS>>…<</SYS>> user [/INST] answer </s><s>[INST] …".
    static func instBlocks(_ text: String) -> TextInput? {
        guard text.contains("[INST]") else { return nil }
        var body = text.replacing("<s>", with: "").replacing("</s>", with: "\u{0}")
        var system: String?
        if let open = body.firstRange(of: "<<SYS>>"), let close = body.firstRange(of: "<</SYS>>"), open.upperBound <= close.lowerBound {
            system = String(body[open.upperBound..<close.lowerBound]).trimmingSpace()
            body.removeSubrange(open.lowerBound..<close.upperBound)
        }
        var turns: [ChatTurn] = []
        for block in body.split(separator: "[INST]", omittingEmptySubsequences: false).dropFirst() {
            let parts = block.split(separator: "[/INST]", omittingEmptySubsequences: false)
            turns.append(ChatTurn(.user, parts[0].trimmingSpace()))
            if parts.count > 1 {
                let answer = parts[1...].joined(separator: " ").replacing("\u{0}", with: "").trimmingSpace()
                if !answer.isEmpty { turns.append(ChatTurn(.assistant, answer)) }
            }
        }
        return conversation(system: system, turns: turns)
    }

    /// Llama 3: "<|start_header_id|>role<|end_header_id|>\n\ntext<|eot_id|>", ending with an empty
    /// assistant header that asks for the answer.
    static func llama3Headers(_ text: String) -> TextInput? {
        guard text.contains("<|start_header_id|>") else { return nil }
        var system: String?
        var turns: [ChatTurn] = []
        for chunk in text.split(separator: "<|start_header_id|>", omittingEmptySubsequences: false).dropFirst() {
            let parts = chunk.split(separator: "<|end_header_id|>", omittingEmptySubsequences: false)
            guard parts.count >= 2 else { continue }
            let role = parts[0].trimmingSpace()
            let content = parts[1...].joined().replacing("<|eot_id|>", with: "").trimmingSpace()
            switch role {
            case "system": system = content
            case "assistant": turns.append(ChatTurn(.assistant, content))
            default: turns.append(ChatTurn(.user, content))
            }
        }
        return conversation(system: system, turns: turns)
    }

    /// Normalises parsed turns: merges neighbours of the same role, drops an empty final
    /// assistant turn (it only asks for the answer), keeps a non-empty one as a prefill.
    static func conversation(system: String?, turns: [ChatTurn]) -> TextInput {
        var merged: [ChatTurn] = []
        for turn in turns {
            if let last = merged.last, last.role == turn.role {
                merged[merged.count - 1].text = [last.text, turn.text].filter { !$0.isEmpty }.joined(separator: "\n")
            } else {
                merged.append(turn)
            }
        }
        if let last = merged.last, last.role == .assistant, last.text.isEmpty { merged.removeLast() }
        return .conversation(system: system, turns: merged)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    func trimmingSpace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
