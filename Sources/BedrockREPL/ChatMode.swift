// The REPL's chat mode: `:chat MODEL [settings]` (or a bare `chat MODEL …` typed at the prompt)
// starts a conversation in a variable `chatN`, the prompt becomes `chat MODEL> `, and every line
// is a user turn sent with `say`, which streams the answer and prints the turn's and the running
// tokens and cost. The mode only writes bedrock statements (`chat`, `say`, `update chat`, `reset
// chat`, `save chat`), so it knows no model or price, and `:save` / the session log replay it.

import BedrockInterpreter

/// The conversation the REPL is in.
struct ChatMode {
    /// The variable holding the conversation (`chat1`, `chat2`, …).
    let variable: String
    /// What the prompt shows: the model as typed, without quotes.
    let label: String
}

/// The chat mode's commands, in the order `:help` lists them there.
let chatCommands: [(usage: String, summary: String)] = [
    (":system TEXT", "set the system prompt for the turns that follow (:system alone clears it)"),
    (":reset", "forget the turns and the running totals (same model and settings)"),
    (":save FILE", "write the conversation as a Converse request with its usage and cost (JSON)"),
    (":history", "list the lines entered so far"),
    (":exit", "leave chat mode (Ctrl-D does the same); the conversation stays in its variable"),
]

extension REPL {
    /// Whether a bare `chat MODEL …` statement at the primary prompt enters chat mode: at a
    /// terminal unless set, and never in scripts piped in (where `chat m` is just a value).
    var chatStatementEntersMode: Bool { options.chatStatementEntersMode ?? reader.isInteractive }

    var prompt: String? { chat.map { "chat \($0.label)> " } }

    /// `chat MODEL …` as a whole line, when `chat` is not a variable of the user's.
    func bareChatArguments(_ line: String) -> String? {
        let trimmed = line.trimmed
        guard chatStatementEntersMode, trimmed.hasPrefix("chat "), !session.globalNames.contains("chat") else { return nil }
        let rest = trimmed.dropFirst(5).trimmed
        return rest.isEmpty || rest.hasPrefix("=") ? nil : rest
    }

    /// `:chat MODEL [labelled settings]`: creates the conversation and enters the mode.
    func enterChat(_ arguments: String) {
        guard !arguments.isEmpty else {
            return errors.write("error: :chat needs a model, as in :chat \"amazon.titan-text-lite-v1\" max_tokens: 200\n")
        }
        var n = 1
        while session.globalNames.contains("chat\(n)") { n += 1 }
        let variable = "chat\(n)"
        let statement = "let \(variable) = chat \(arguments)"
        guard runStatement(statement) else { return }
        let model = arguments.split(separator: " ", maxSplits: 1).first.map(String.init) ?? arguments
        let label = model.hasPrefix("\"") ? String(model.dropFirst().prefix { $0 != "\"" }) : model
        chat = ChatMode(variable: variable, label: label)
        output.write("chatting in \(variable); every line is a turn. :help lists the chat commands, :exit or Ctrl-D leaves.\n")
    }

    /// One line typed in chat mode.
    func runChatLine(_ line: String, in mode: ChatMode) {
        let text = line.trimmed
        if text.isEmpty { return }
        guard text.hasPrefix(":") else {
            runStatement("say \(mode.variable) \(Self.literal(line))")
            return
        }
        let words = text.dropFirst().split(separator: " ", maxSplits: 1)
        let name = words.first.map(String.init) ?? ""
        let argument = words.count > 1 ? String(words[1]).trimmed : ""
        switch name {
        case "system": runStatement("update chat \(mode.variable) system: \(Self.literal(argument))")
        case "reset":
            if runStatement("reset chat \(mode.variable)") { output.write("conversation reset\n") }
        case "save":
            guard !argument.isEmpty else { return errors.write("error: :save needs a file name, as in :save chat.json\n") }
            // Not recorded: like the REPL's own :save, it writes a file rather than changing the session.
            if case .runtimeError(let rendered) = evaluate("save chat \(mode.variable) \(Self.literal(expandTilde(argument)))") {
                report(rendered, status: ExitStatus.runtimeError)
            }
        case "exit", "quit", "q": leaveChat()
        case "history": _ = runMeta(":history")
        case "help", "h", "?": output.write(chatHelp)
        default:
            errors.write("error: unknown chat command :\(name) (:help lists them; :exit leaves chat mode)\n")
        }
    }

    func leaveChat() {
        guard let mode = chat else { return }
        chat = nil
        output.write("left chat mode; the conversation stays in \(mode.variable)\n")
    }

    var chatHelp: String {
        let width = chatCommands.map(\.usage.count).max() ?? 0
        var text = "Chat mode: each line is a user turn; the answer streams, then a line shows this turn's and the\n"
            + "conversation's tokens and cost. Ctrl-C stops an answer (the part so far is kept and charged).\n"
        for command in chatCommands {
            text += "  " + command.usage + String(repeating: " ", count: width - command.usage.count + 2) + command.summary + "\n"
        }
        return text
    }

    /// Runs a statement the mode wrote, recording it like a typed one; false when it failed.
    @discardableResult
    private func runStatement(_ statement: String) -> Bool {
        let failed = failures
        submit(statement)
        return failures == failed
    }

    /// `text` as a bedrock string literal (the interpreter's own quoting), so nothing in it (not
    /// even `\(`) is read as code.
    static func literal(_ text: String) -> String { ValueFormatter.stringLiteral(text) }
}
