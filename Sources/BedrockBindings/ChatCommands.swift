// `chat`, `say`, `update chat`, `reset chat`, `save chat` and `converse_stream`: a conversation
// that keeps its turns, as the console's chat playground does (the REPL's chat mode is built on
// these). Each `say` sends the whole conversation through Converse, streams the answer, and prints
// this turn's and the running tokens and cost. Not the REPL's mode itself (BedrockREPL/ChatMode).
import BedrockInterpreter
import BedrockPlatform
import Catalog
import Foundation
import Synchronization

/// A conversation with one model.
final class ChatHandle: PlatformObject {
    struct State {
        var system: String?
        var messages: [Value] = []
        var inputTokens = 0
        var outputTokens = 0
        var cost = Decimal(0)
    }

    let modelID: String
    /// The inference settings of every turn; the system prompt lives in `state` (it can change).
    let settings: InferenceOverrides
    let state: Mutex<State>

    init(modelID: String, settings: InferenceOverrides) {
        self.modelID = modelID
        self.settings = settings
        state = Mutex(State(system: settings.system))
    }

    var kind: String { "chat" }

    var displayText: String {
        state.withLock { s in
            var lines = ["chat with \(modelID): \(s.messages.count / 2) turn(s), \(s.inputTokens) in / \(s.outputTokens) out tokens, \(Money.format(s.cost))"]
            if let system = s.system { lines.append("  system: \(system)") }
            for case .record(let r) in s.messages {
                if case .string(let role)? = r["role"], case .string(let text)? = r["content"] { lines.append("  \(role): \(text)") }
            }
            return lines.joined(separator: "\n")
        }
    }

    func member(_ name: String) -> Value? {
        state.withLock { s in
            switch name {
            case "messages": return .list(s.messages)
            case "model": return .string(modelID)
            case "system": return s.system.map(Value.string) ?? .nil
            case "turns": return .int(s.messages.count / 2)
            case "input_tokens": return .int(s.inputTokens)
            case "output_tokens": return .int(s.outputTokens)
            case "cost": return .decimal(s.cost)
            default: return nil
            }
        }
    }

    var memberNames: [String] { ["messages", "model", "system", "turns", "input_tokens", "output_tokens", "cost"] }

    /// The settings of the next turn: the chat's own, with the current system prompt.
    var turnSettings: InferenceOverrides {
        var o = settings
        o.system = state.withLock { $0.system }
        return o
    }
}

extension PlatformLibrary {
    func registerChat(into registry: inout NativeRegistry) {
        registry.register(
            "chat",
            positional: [NativeParameter("model", modelParameter, doc: "the model to talk to")],
            labelled: Self.inferenceLabels.filter { $0.name != "stream" },
            doc: "Starts a conversation that keeps its turns; talk with `say` (or `:chat` in the REPL).",
            example: #"let c = chat "amazon.titan-text-lite-v1" system: "Answer in one sentence." max_tokens: 40"#,
            isCommand: true, category: "runtime"
        ) { args, _ in
            .handle(ChatHandle(modelID: try card(args["model"]).id, settings: try overrides(args)))
        }

        registry.register(
            "say",
            positional: [NativeParameter("chat", .handle("chat"), doc: "a conversation from `chat`"),
                         NativeParameter("message", .string, doc: "what the user says")],
            labelled: [NativeParameter("stream", .bool, default: .bool(true), doc: "print the answer as it is generated")],
            doc: "Adds a user message to a conversation, prints the answer (streamed) and this turn's and the running tokens and cost. "
                + "Ctrl-C stops the answer; the part generated so far is kept and charged.",
            example: #"request access "amazon.titan-text-lite-v1"; let c = chat("amazon.titan-text-lite-v1", max_tokens: 8, temperature: 0); say c "Hi" stream: false"#,
            isCommand: true, category: "runtime"
        ) { args, ctx in
            let chat = try args.handle("chat", as: ChatHandle.self)
            let message = try args.string("message")
            try ctx.write(say(chat, message, streamed: try args.bool("stream"), ctx) + "\n")
            return .nil
        }

        registry.register(
            "update chat",
            positional: [NativeParameter("chat", .handle("chat"), doc: "a conversation from `chat`")],
            labelled: [NativeParameter("system", .string, doc: "the new system prompt (\"\" for none)")],
            doc: "Changes a conversation's system prompt for the turns that follow; the turns so far are kept.",
            example: #"let c = chat "amazon.titan-text-lite-v1"; update chat c system: "Answer like a pirate."; print c.system"#,
            isCommand: true, category: "runtime"
        ) { args, _ in
            let chat = try args.handle("chat", as: ChatHandle.self)
            let system = try args.string("system")
            chat.state.withLock { $0.system = system.isEmpty ? nil : system }
            return .nil
        }

        registry.register(
            "reset chat",
            positional: [NativeParameter("chat", .handle("chat"), doc: "a conversation from `chat`")],
            doc: "Forgets a conversation's turns and running totals (the model, settings and system prompt stay; the ledger keeps what was spent).",
            example: #"let c = chat "amazon.titan-text-lite-v1"; reset chat c; print c.turns"#,
            isCommand: true, category: "runtime"
        ) { args, _ in
            let chat = try args.handle("chat", as: ChatHandle.self)
            chat.state.withLock { s in s = ChatHandle.State(system: s.system) }
            return .nil
        }

        registry.register(
            "save chat",
            positional: [NativeParameter("chat", .handle("chat"), doc: "a conversation from `chat`"),
                         NativeParameter("path", .string, doc: "the JSON file to write")],
            doc: "Writes a conversation as the Converse request that would continue it (modelId, system, messages, "
                + "inferenceConfig) plus its usage and cost, atomically.",
            example: #"let c = chat "amazon.titan-text-lite-v1"; save chat c "/tmp/bedrock-chat-example.json""#,
            isCommand: true, category: "runtime"
        ) { args, ctx in
            let chat = try args.handle("chat", as: ChatHandle.self)
            let shown = try args.string("path")
            let (json, turns) = try chatDocument(chat)
            do {
                try Data((json.prettyText() + "\n").utf8).write(to: URL(fileURLWithPath: ctx.resolvePath(shown)), options: .atomic)
            } catch {
                throw NativeError("cannot write '\(shown)': \(error.localizedDescription)")
            }
            ctx.write("saved \(turns) turn\(turns == 1 ? "" : "s") to \(shown)\n")
            return .nil
        }

        registerConverseStream(into: &registry)
    }

    /// Sends one user turn, updates the conversation, and returns the status line. A turn stopped
    /// by Ctrl-C keeps its partial answer: the platform charged it for the tokens generated.
    private func say(_ chat: ChatHandle, _ message: String, streamed: Bool, _ ctx: NativeContext) throws -> String {
        var messages = chat.state.withLock { $0.messages }
        messages.append(.record(Record([("role", .string("user")), ("content", .string(message))])))
        let body = try converseBody(messages: messages, overrides: chat.turnSettings)
        let invocation = try platform.converse(modelID: chat.modelID, body: body, options: invocationOptions(ctx, stream: streamed))
        let handle = ResponseHandle(invocation: invocation, maskVolatile: ctx.maskVolatile)
        let stopped = handle.stopReason == StopReason.interrupted.rawValue
        if !streamed { ctx.write(handle.text) }
        return chat.state.withLock { s -> String in
            s.messages = messages + [.record(Record([("role", .string("assistant")), ("content", .string(handle.text))]))]
            s.inputTokens += invocation.inputTokens
            s.outputTokens += invocation.outputTokens
            s.cost += invocation.cost
            return "\n[turn \(s.messages.count / 2)\(stopped ? " (stopped)" : "") · this turn "
                + "\(invocation.inputTokens) in / \(invocation.outputTokens) out, \(Money.format(invocation.cost)) · "
                + "conversation \(s.inputTokens) in / \(s.outputTokens) out, \(Money.format(s.cost)) · \(handle.latency)]"
        }
    }

    /// The conversation as a Converse request body with its model ID, usage and cost.
    private func chatDocument(_ chat: ChatHandle) throws -> (JSONValue, Int) {
        let (messages, totals) = chat.state.withLock { s in (s.messages, (s.inputTokens, s.outputTokens, s.cost)) }
        guard case .object(let members) = try converseBody(messages: messages, overrides: chat.turnSettings) else {
            throw NativeError("the conversation is not a Converse body")
        }
        let document: JSONValue = .object([("modelId", .string(chat.modelID))] + members + [
            ("usage", ["inputTokens": .int(totals.0), "outputTokens": .int(totals.1), "totalTokens": .int(totals.0 + totals.1)]),
            ("cost", .string(Money.format(totals.2))),
        ])
        return (document, messages.count / 2)
    }

    /// `converse_stream m messages …`: ConverseStream's events, in the order they happened. The
    /// deltas are the engine's pieces of text as each token was generated; the platform charges
    /// and logs the call like `converse`. Latency is wall-clock: notebooks mask it with `mask=`.
    private func registerConverseStream(into registry: inout NativeRegistry) {
        registry.register(
            "converse_stream",
            positional: [NativeParameter("model", modelParameter, doc: "the model"),
                         NativeParameter("messages", .list, doc: "[{role: \"user\", content: \"…\"}, …], alternating from user")],
            labelled: Self.inferenceLabels.filter { $0.name != "stream" },
            doc: "ConverseStream: returns the stream's events as Bedrock sends them (messageStart, contentBlockDelta…, "
                + "contentBlockStop, messageStop, metadata).",
            example: #"request access "amazon.titan-text-lite-v1"; for e in converse_stream("amazon.titan-text-lite-v1", [{role: "user", content: "Hi"}], max_tokens: 4, temperature: 0) { print keys(e) }"#,
            isCommand: true, category: "runtime"
        ) { args, ctx in
            let m = try card(args["model"])
            let body = try converseBody(messages: try args.list("messages"), overrides: try overrides(args))
            let context = ContextBox(ctx)
            let options = InvocationOptions(seed: ctx.nextRandom(), isCancelled: { context.ctx.isInterrupted })
            let stream = try platform.converseStream(modelID: m.id, body: body, options: options)
            return .list(stream.events.map { $0.json.value })
        }
    }
}
