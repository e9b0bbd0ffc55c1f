// The REPL's chat mode through the plain reader, the real interpreter and the real platform
// (SmolLM2 behind every text model, an in-memory workspace): the prompt, streamed turns with
// their status lines, :system/:reset/:save/:exit, the statements it records, a bare `chat m`
// line, literal escaping, Ctrl-C stopping an answer, and ConverseStream's event order.
import BedrockBindings
import BedrockInterpreter
import BedrockPlatform
import FoundationEssentials
import Synchronization
import Testing
@testable import BedrockREPL

/// A REPL over `input` with the platform's commands; `interruptWhen` sees each line the REPL
/// echoes and, when it returns true, the next text the session streams interrupts it (Ctrl-C).
private struct ChatTranscript {
    let text: String
    let repl: REPL

    init(_ input: String, directory: String = "/", chatStatements: Bool? = nil,
         interruptWhen: @escaping @Sendable (String) -> Bool = { _ in false }) {
        let collector = TextCollector()
        let armed = Atomic<Bool>(false)
        let box = SessionBox()
        let library = PlatformLibrary(opening: { try Platform.ephemeral(sessionID: "chat-test") })
        let session = Session(options: SessionOptions(baseDirectory: directory, maskVolatile: true, libraries: [library]) { text in
            collector.sink.write(text)
            if armed.exchange(false, ordering: .relaxed) { box.session?.interrupt() }
        })
        box.session = session
        let echo = OutputSink { text in
            collector.sink.write(text)
            if interruptWhen(text) { armed.store(true, ordering: .relaxed) }
        }
        var options = REPLOptions()
        options.echoInput = true
        options.chatStatementEntersMode = chatStatements
        repl = REPL(session: session, reader: PlainLineReader(text: input), output: echo, errors: collector.sink, options: options)
        _ = repl.run()
        text = collector.take()
    }

    /// The value of `expression` in the REPL's session, as the REPL would echo it.
    func value(_ expression: String) -> String? {
        if case .value(let echo) = repl.session.evaluateInteractive(expression) { return echo }
        return nil
    }
}

private final class SessionBox: @unchecked Sendable {
    var session: Session?
}

/// `[turn N · this turn I in / O out, $… · conversation I in / O out, $… · … ms]` → its numbers.
private func statusLines(_ text: String) -> [(turn: Int, input: Int, output: Int, totalIn: Int, totalOut: Int, stopped: Bool)] {
    let pattern = /\[turn (\d+)( \(stopped\))? · this turn (\d+) in \/ (\d+) out, \$[0-9.]+ · conversation (\d+) in \/ (\d+) out, \$[0-9.]+ · … ms\]/
    return text.matches(of: pattern).map { m in
        (Int(m.1)!, Int(m.3)!, Int(m.4)!, Int(m.5)!, Int(m.6)!, m.2 != nil)
    }
}

private let model = "amazon.titan-text-lite-v1"

@Suite(.serialized) struct ChatModeTests {
    @Test func turnsStreamWithRunningTotalsAndTheModeManagesTheConversation() throws {
        let folder = try TemporaryFolder()
        let input = """
            request access "\(model)"
            :chat "\(model)" max_tokens: 12 temperature: 0
            What is the capital of France?
            :system Answer in one word.
            And of Italy?
            :save \(folder.path)/chat.json
            :exit
            chat1.turns

            """
        let t = ChatTranscript(input)
        #expect(t.text.contains("bedrock> :chat \"\(model)\" max_tokens: 12 temperature: 0\nchatting in chat1;"))
        #expect(t.text.contains("chat \(model)> What is the capital of France?\n"))
        #expect(t.text.contains("chat \(model)> :exit\nleft chat mode; the conversation stays in chat1\nbedrock> chat1.turns\n2\n"))
        let status = statusLines(t.text)
        try #require(status.count == 2)
        #expect(status[0].turn == 1 && status[1].turn == 2)
        #expect(status[0].input > 0 && status[0].output > 0 && status[0].output <= 12)
        #expect(status[0].totalIn == status[0].input && status[0].totalOut == status[0].output)
        // The second turn resends the first, so it costs more input; totals add up.
        #expect(status[1].input > status[0].input + status[0].output)
        #expect(status[1].totalIn == status[0].input + status[1].input)
        #expect(status[1].totalOut == status[0].output + status[1].output)
        #expect(t.value("chat1.input_tokens") == String(status[1].totalIn))
        #expect(t.value("chat1.system") == "\"Answer in one word.\"")

        // The answer on screen is the one kept, and equals a plain `converse` of the same turns.
        let first = try #require(t.value("chat1.messages[1].content"))
        #expect(t.text.contains("chat \(model)> What is the capital of France?\n" + String(first.dropFirst().dropLast())))
        let again = t.value("""
            converse("\(model)", [{role: "user", content: "What is the capital of France?"}], max_tokens: 12, temperature: 0).text
            """)
        #expect(again == first)

        // What the mode ran is recorded as ordinary statements (`:save`, the session log).
        #expect(t.repl.statements == [
            "request access \"\(model)\"", "let chat1 = chat \"\(model)\" max_tokens: 12 temperature: 0",
            "say chat1 \"What is the capital of France?\"", "update chat chat1 system: \"Answer in one word.\"",
            "say chat1 \"And of Italy?\"", "chat1.turns",
        ])

        // :save wrote the Converse request that would continue the conversation, with its usage.
        let saved = try JSONValue.parse(String(contentsOfFile: folder.path + "/chat.json", encoding: .utf8))
        #expect(t.text.contains("saved 2 turns to \(folder.path)/chat.json"))
        guard case .object(let members) = saved else { Issue.record("not a JSON object"); return }
        let fields = Dictionary(members, uniquingKeysWith: { a, _ in a })
        #expect(fields["modelId"] == .string(model))
        if case .array(let messages)? = fields["messages"] { #expect(messages.count == 4) } else { Issue.record("no messages") }
        #expect(fields["system"] == [["text": "Answer in one word."]])
        #expect(fields["usage"] == ["inputTokens": .int(status[1].totalIn), "outputTokens": .int(status[1].totalOut),
                                    "totalTokens": .int(status[1].totalIn + status[1].totalOut)])
    }

    @Test func resetForgetsTurnsAndUnknownCommandsAreReported() {
        let t = ChatTranscript("""
            request access "\(model)"
            :chat "\(model)" max_tokens: 4 temperature: 0
            Hello
            :reset
            :sytem x
            :help
            :exit
            [chat1.turns, chat1.input_tokens]

            """)
        #expect(t.text.contains("chat \(model)> :reset\nconversation reset\n"))
        #expect(t.text.contains("error: unknown chat command :sytem"))
        #expect(t.text.contains("Chat mode: each line is a user turn"))
        #expect(t.text.contains(":save FILE"))
        #expect(t.text.hasSuffix("bedrock> [chat1.turns, chat1.input_tokens]\n[0, 0]\n"))
    }

    @Test func aBareChatLineEntersTheModeAtATerminalAndEndOfInputLeavesIt() {
        let input = """
            request access "\(model)"
            chat "\(model)" max_tokens: 4 temperature: 0
            Hi

            """
        let t = ChatTranscript(input, chatStatements: true)
        #expect(t.text.contains("chatting in chat1;"))
        #expect(t.text.contains("chat \(model)> Hi\n"))
        #expect(statusLines(t.text).count == 1)
        #expect(t.text.hasSuffix("\nleft chat mode; the conversation stays in chat1\n"))

        // Piped scripts (the default off a terminal) and assignments keep `chat m` a plain value.
        let piped = ChatTranscript(input)
        #expect(!piped.text.contains("chatting in"))
        #expect(piped.text.contains("chat with \(model): 0 turn(s)"))
        let assigned = ChatTranscript("let c = chat \"\(model)\"\nc.turns\n", chatStatements: true)
        #expect(assigned.text == "bedrock> let c = chat \"\(model)\"\nbedrock> c.turns\n0\n")
    }

    @Test func turnsAreSentLiterally() {
        let line = #"Say "hi" \(1 + 1) \n {x}"#
        let t = ChatTranscript("request access \"\(model)\"\n:chat \"\(model)\" max_tokens: 2\n\(line)\n:exit\nchat1.messages[0].content\n")
        #expect(t.text.hasSuffix(#"bedrock> chat1.messages[0].content"# + "\n" + #""Say \"hi\" \\(1 + 1) \\n {x}""# + "\n"))
        #expect(REPL.literal("a\"b\\c\n\u{1}") == #""a\"b\\c\n\u{1}""#)
    }

    @Test func ctrlCStopsTheAnswerKeepsItAndChargesItsTokens() {
        let t = ChatTranscript("""
            request access "\(model)"
            :chat "\(model)" max_tokens: 40 temperature: 0
            Tell me a long story about a dragon.
            :exit
            [chat1.output_tokens, len(chat1.messages[1].content) > 0]
            cost

            """, interruptWhen: { $0.contains("long story") })
        let status = statusLines(t.text)
        #expect(status.count == 1)
        guard let turn = status.first else { return }
        #expect(turn.stopped)
        #expect(turn.output >= 1 && turn.output < 40)                 // stopped early, not at max_tokens
        #expect(t.text.contains("[\(turn.output), true]"))            // the partial answer is kept
        #expect(t.text.contains("This session: $") && t.text.contains("in 1 charge"))   // and was charged
    }

    @Test func converseStreamEventsComeInBedrockOrder() throws {
        let t = ChatTranscript("""
            request access "\(model)"
            let events = converse_stream("\(model)", [{role: "user", content: "Name a color."}], max_tokens: 6, temperature: 0)
            print join(map(events, fn(e) => keys(e)[0]), " ")
            print join(map(filter(events, fn(e) => keys(e)[0] == "contentBlockDelta"), fn(e) => e.contentBlockDelta.delta.text), "")
            print events[len(events) - 2].messageStop.stopReason, events[len(events) - 1].metadata.usage.outputTokens
            print converse("\(model)", [{role: "user", content: "Name a color."}], max_tokens: 6, temperature: 0).text

            """)
        let lines = t.text.split(separator: "\n").filter { !$0.hasPrefix("bedrock>") && !$0.contains("Access granted") }
        try #require(lines.count == 4, "\(t.text)")
        let names = lines[0].split(separator: " ").map(String.init)
        #expect(names.first == "messageStart")
        #expect(Array(names.suffix(3)) == ["contentBlockStop", "messageStop", "metadata"])
        let deltas = names.dropFirst().dropLast(3)
        #expect(!deltas.isEmpty && deltas.allSatisfy { $0 == "contentBlockDelta" })
        #expect(lines[1] == lines[3])                                  // the deltas spell the answer
        #expect(lines[2].hasPrefix("max_tokens 6") || lines[2].hasPrefix("end_turn "))
    }
}
