// `chat` and `say`: a conversation that keeps its turns, as the console's chat playground does.
// Each `say` sends the whole conversation through Converse, streams the answer, and prints the
// running tokens and cost.
import BedrockInterpreter
import BedrockPlatform
import Catalog
import Foundation
import Synchronization

/// A conversation with one model.
final class ChatHandle: PlatformObject {
    struct State {
        var messages: [Value] = []
        var inputTokens = 0
        var outputTokens = 0
        var cost = Decimal(0)
    }

    let modelID: String
    let settings: InferenceOverrides
    let state = Mutex(State())

    init(modelID: String, settings: InferenceOverrides) {
        self.modelID = modelID
        self.settings = settings
    }

    var kind: String { "chat" }

    var displayText: String {
        state.withLock { s in
            var lines = ["chat with \(modelID): \(s.messages.count / 2) turn(s), \(s.inputTokens) in / \(s.outputTokens) out tokens, \(Money.format(s.cost))"]
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
            case "input_tokens": return .int(s.inputTokens)
            case "output_tokens": return .int(s.outputTokens)
            case "cost": return .decimal(s.cost)
            default: return nil
            }
        }
    }

    var memberNames: [String] { ["messages", "model", "input_tokens", "output_tokens", "cost"] }
}

extension PlatformLibrary {
    func registerChat(into registry: inout NativeRegistry) {
        registry.register(
            "chat",
            positional: [NativeParameter("model", modelParameter, doc: "the model to talk to")],
            labelled: Self.inferenceLabels.filter { $0.name != "stream" },
            doc: "Starts a conversation that keeps its turns; talk with `say`.",
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
            doc: "Adds a user message to a conversation, prints the answer (streamed) and the running tokens and cost.",
            example: #"request access "amazon.titan-text-lite-v1"; let c = chat("amazon.titan-text-lite-v1", max_tokens: 8, temperature: 0); say c "Hi" stream: false"#,
            isCommand: true, category: "runtime"
        ) { args, ctx in
            let chat = try args.handle("chat", as: ChatHandle.self)
            let streamed = try args.bool("stream")
            var messages = chat.state.withLock { $0.messages }
            messages.append(.record(Record([("role", .string("user")), ("content", .string(try args.string("message")))])))
            let body = try converseBody(messages: messages, overrides: chat.settings)
            let invocation = try platform.converse(modelID: chat.modelID, body: body,
                                                   options: invocationOptions(ctx, stream: streamed))
            let handle = ResponseHandle(invocation: invocation, maskVolatile: ctx.maskVolatile)
            let summary = chat.state.withLock { s -> String in
                s.messages = messages + [.record(Record([("role", .string("assistant")), ("content", .string(handle.text))]))]
                s.inputTokens += invocation.inputTokens
                s.outputTokens += invocation.outputTokens
                s.cost += invocation.cost
                return "[turn \(s.messages.count / 2) · this turn \(invocation.inputTokens) in / \(invocation.outputTokens) out · "
                    + "conversation \(s.inputTokens + s.outputTokens) tokens, \(Money.format(s.cost)) · \(handle.latency)]"
            }
            ctx.write((streamed ? "\n" : handle.text + "\n") + summary + "\n")
            return .nil
        }
    }
}
