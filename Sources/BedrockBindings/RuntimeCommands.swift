// `invoke`, `converse`, `count_tokens` and `compare`: the runtime operations on text models.
// `invoke m "prompt"` writes the provider's native body for the prompt; `invoke m body: {…}`
// sends a body as given. Both return a response value; `stream: true` prints text as it comes.
import BedrockInterpreter
import BedrockPlatform
import Catalog
import Foundation

extension PlatformLibrary {
    static var inferenceLabels: [NativeParameter] {
        [NativeParameter("max_tokens", .int, default: .nil, doc: "most tokens to generate"),
         NativeParameter("temperature", .number, default: .nil, doc: "randomness; 0 is greedy"),
         NativeParameter("top_p", .number, default: .nil, doc: "nucleus sampling cut-off"),
         NativeParameter("top_k", .int, default: .nil, doc: "sample among the k likeliest tokens"),
         NativeParameter("stop_sequences", .list, default: .nil, doc: "texts that end generation"),
         NativeParameter("system", .string, default: .nil, doc: "a system prompt"),
         NativeParameter("stream", .bool, default: .bool(false), doc: "print the answer as it is generated")]
    }

    func registerRuntime(into registry: inout NativeRegistry) {
        registry.register(
            "invoke",
            positional: [NativeParameter("model", modelParameter, doc: "the model")],
            variadic: NativeParameter("prompt", .string, doc: "a prompt (or pass body:)"),
            labelled: [NativeParameter("body", .record, default: .nil, doc: "the provider's native request body")] + Self.inferenceLabels,
            doc: "InvokeModel: answers a prompt (or a native body) and returns text, native body, usage, stop reason and cost.",
            example: #"request access "amazon.titan-text-lite-v1"; print invoke("amazon.titan-text-lite-v1", "Say hi.", max_tokens: 8, temperature: 0).stop_reason"#,
            isCommand: true, category: "runtime"
        ) { args, ctx in
            let m = try card(args["model"])
            let body: JSONValue
            guard args.rest.count <= 1 else { throw NativeError("invoke takes one prompt, got \(args.rest.count)") }
            if let record = args.optional("body") {
                guard args.rest.isEmpty else { throw NativeError("pass a prompt or body:, not both") }
                body = try JSONValue(value: record)
            } else {
                guard case .string(let prompt)? = args.rest.first else { throw NativeError("invoke needs a prompt or body: {…}") }
                body = try platform.nativeBody(modelID: m.id, prompt: prompt, overrides: try overrides(args))
            }
            let invocation = try platform.invoke(modelID: m.id, body: body, options: options(args, ctx))
            return respond(invocation, streamed: try args.bool("stream"), ctx)
        }

        registry.register(
            "converse",
            positional: [NativeParameter("model", modelParameter, doc: "the model"),
                         NativeParameter("messages", .list, doc: "[{role: \"user\", content: \"…\"}, …], alternating from user")],
            labelled: Self.inferenceLabels,
            doc: "Converse: one message format for every model; returns the answer with usage and stop reason.",
            example: #"request access "amazon.titan-text-lite-v1"; converse "amazon.titan-text-lite-v1" [{role: "user", content: "Hi"}] max_tokens: 8"#,
            isCommand: true, category: "runtime"
        ) { args, ctx in
            let m = try card(args["model"])
            let body = try converseBody(messages: try args.list("messages"), overrides: try overrides(args))
            let invocation = try platform.converse(modelID: m.id, body: body, options: options(args, ctx))
            return respond(invocation, streamed: try args.bool("stream"), ctx)
        }

        registry.register(
            "count_tokens",
            positional: [NativeParameter("model", modelParameter, doc: "the model"),
                         NativeParameter("text", .string, doc: "a prompt")],
            doc: "CountTokens: the input tokens a prompt costs on this model (chat markers included), without running it.",
            example: #"count_tokens "amazon.titan-text-express-v1" "What is Amazon Bedrock?""#,
            isCommand: true, category: "runtime"
        ) { args, _ in
            let m = try card(args["model"])
            let body = try platform.nativeBody(modelID: m.id, prompt: try args.string("text"), overrides: InferenceOverrides())
            return .int(try platform.countTokens(modelID: m.id, body: body))
        }

        registry.register(
            "compare",
            positional: [NativeParameter("first", modelParameter, doc: "a model"),
                         NativeParameter("second", modelParameter, doc: "another model"),
                         NativeParameter("prompt", .string, doc: "the prompt both answer")],
            labelled: Self.inferenceLabels.filter { $0.name != "stream" },
            doc: "Answers one prompt with two models and prints the answers side by side with tokens, latency and cost.",
            example: #"request access "amazon.titan-text-lite-v1"; request access "amazon.titan-text-express-v1"; compare "amazon.titan-text-lite-v1" "amazon.titan-text-express-v1" "Name a color." max_tokens: 8 temperature: 0"#,
            isCommand: true, category: "runtime"
        ) { args, ctx in
            var results: [ResponseHandle] = []
            for key in ["first", "second"] {
                let m = try card(args[key])
                let body = try platform.nativeBody(modelID: m.id, prompt: try args.string("prompt"), overrides: try overrides(args))
                results.append(ResponseHandle(invocation: try platform.invoke(modelID: m.id, body: body, options: options(args, ctx)),
                                              maskVolatile: ctx.maskVolatile))
            }
            return .handle(ComparisonHandle(results: results))
        }
    }

    /// The labelled inference parameters as the platform's overrides.
    func overrides(_ args: NativeArguments) throws -> InferenceOverrides {
        var stops: [String]?
        if let list = args.optional("stop_sequences") {
            guard case .list(let items) = list else { throw NativeError("'stop_sequences' must be a list of strings") }
            stops = try items.map { item in
                guard case .string(let s) = item else { throw NativeError("'stop_sequences' must be a list of strings") }
                return s
            }
        }
        return InferenceOverrides(maxTokens: try args.optionalInt("max_tokens"),
                                  temperature: try args.optional("temperature").map { _ in try args.double("temperature") },
                                  topP: try args.optional("top_p").map { _ in try args.double("top_p") },
                                  topK: try args.optionalInt("top_k"), stopSequences: stops,
                                  system: try args.optionalString("system"))
    }

    /// A Converse body from language messages ({role, content: "text"}) and the labelled parameters.
    func converseBody(messages: [Value], overrides o: InferenceOverrides) throws -> JSONValue {
        let list: [JSONValue] = try messages.enumerated().map { i, message in
            guard case .record(let r) = message, case .string(let role)? = r["role"] else {
                throw NativeError("messages[\(i)] must be a record {role: \"user\" or \"assistant\", content: \"…\"}")
            }
            switch r["content"] {
            case .string(let text)?: return ["role": .string(role), "content": [["text": .string(text)]]]
            case let other?: return ["role": .string(role), "content": try JSONValue(value: other, path: "messages[\(i)].content")]
            case nil: throw NativeError("messages[\(i)] has no content")
            }
        }
        return .compactObject([
            ("messages", .array(list)),
            ("system", o.system.map { [["text": .string($0)]] }),
            ("inferenceConfig", .compactObject([
                ("maxTokens", o.maxTokens.map(JSONValue.int)), ("temperature", o.temperature.map(JSONValue.number)),
                ("topP", o.topP.map(JSONValue.number)),
                ("stopSequences", o.stopSequences.map { .array($0.map(JSONValue.string)) }),
            ])),
            ("additionalModelRequestFields", o.topK.map { ["top_k": .int($0)] }),
        ])
    }

    /// Seed, streaming and Ctrl-C for one invocation. The seed comes from the session's seeded
    /// generator, so a script draws the same samples every run.
    func options(_ args: NativeArguments, _ ctx: NativeContext) -> InvocationOptions {
        invocationOptions(ctx, stream: (try? args.bool("stream")) ?? false)
    }

    func invocationOptions(_ ctx: NativeContext, stream: Bool) -> InvocationOptions {
        let context = ContextBox(ctx)
        let onText: (@Sendable (String) -> Void)? = stream ? { @Sendable text in context.ctx.write(text) } : nil
        return InvocationOptions(seed: ctx.nextRandom(), onText: onText, isCancelled: { context.ctx.isInterrupted })
    }

    /// The response value; a streamed answer is already on the screen, so it shows only its
    /// accounting line.
    func respond(_ invocation: Invocation, streamed: Bool, _ ctx: NativeContext) -> Value {
        if streamed { ctx.write("\n") }
        return .handle(ResponseHandle(invocation: invocation, maskVolatile: ctx.maskVolatile, streamed: streamed))
    }
}

/// Lets the engine's callbacks (called on the session's own thread, during the native call)
/// write output and see Ctrl-C through the native's context.
final class ContextBox: @unchecked Sendable {
    let ctx: NativeContext
    init(_ ctx: NativeContext) { self.ctx = ctx }
}

/// The result of `compare`: prints the answers side by side; `responses` holds them.
struct ComparisonHandle: PlatformObject {
    let results: [ResponseHandle]
    var kind: String { "comparison" }
    var displayText: String { SideBySide.render(results) }
    func member(_ name: String) -> Value? { name == "responses" ? .list(results.map { Value.handle($0) }) : nil }
    var memberNames: [String] { ["responses"] }
}

/// Two answers in columns, then their accounting, as Bedrock's compare mode shows them.
enum SideBySide {
    static let width = 38

    static func render(_ results: [ResponseHandle]) -> String {
        let columns = results.map { wrap($0.text, width: width) }
        let height = columns.map(\.count).max() ?? 0
        var lines = [results.map { pad($0.invocation.modelID, width) }.joined(separator: " │ ")]
        lines.append(results.map { _ in String(repeating: "─", count: width) }.joined(separator: "─┼─"))
        for row in 0..<height {
            lines.append(columns.map { pad(row < $0.count ? $0[row] : "", width) }.joined(separator: " │ "))
        }
        lines.append(results.map { _ in String(repeating: "─", count: width) }.joined(separator: "─┼─"))
        let facts: [(String, (ResponseHandle) -> String)] = [
            ("input tokens", { "\($0.invocation.inputTokens)" }), ("output tokens", { "\($0.invocation.outputTokens)" }),
            ("stop reason", { $0.stopReason }), ("latency", { $0.latency }), ("cost", { Money.format($0.invocation.cost) }),
        ]
        for (label, value) in facts {
            lines.append(results.map { pad("\(label): \(value($0))", width) }.joined(separator: " │ "))
        }
        return lines.map { $0.replacing(#/\s+$/#, with: "") }.joined(separator: "\n")
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

    /// Greedy word wrap; words longer than the width are cut.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                var w = String(word)
                while w.count > width { if !line.isEmpty { lines.append(line); line = "" }; lines.append(String(w.prefix(width))); w = String(w.dropFirst(width)) }
                if line.isEmpty { line = w } else if line.count + 1 + w.count <= width { line += " " + w } else { lines.append(line); line = w }
            }
            lines.append(line)
        }
        while lines.last == "" { lines.removeLast() }
        return lines
    }
}
