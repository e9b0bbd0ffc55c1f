// A small native library used by the golden scripts to exercise the registry the way platform
// bindings will: a handle kind ("model"), a multi-word command ("request access"), a word
// parameter (`advance 3 days`), labelled parameters with types and defaults, a bare command.
@testable import BedrockInterpreter

struct TestModel: PlatformObject {
    let id: String
    var kind: String { "model" }
    var displayText: String { "<model \(id)>" }
    var memberNames: [String] { ["id", "provider", "context"] }
    func member(_ name: String) -> Value? {
        switch name {
        case "id": return .string(id)
        case "provider": return .string(id.split(separator: ".").first.map(String.init) ?? "")
        case "context": return .int(8192)
        default: return nil
        }
    }
}

struct TestPlatform: NativeLibrary {
    func register(into r: inout NativeRegistry) {
        r.register("model", positional: [NativeParameter("id", .string)], doc: "A test model card.",
                   example: #"print model("amazon.titan")"#, isCommand: true, category: "test") { args, _ in
            .handle(TestModel(id: try args.string("id")))
        }
        r.register("models", doc: "Lists the test model ids.", example: "models", isCommand: true, category: "test") { _, _ in
            .list([.string("amazon.titan"), .string("anthropic.claude")])
        }
        r.register("request access", positional: [NativeParameter("model", .handle("model"))],
                   doc: "Requests access to a model.", example: #"request access model("amazon.titan")"#,
                   isCommand: true, category: "test") { args, ctx in
            ctx.write("access requested for \(try args.handle("model", as: TestModel.self).id)\n")
            return .nil
        }
        r.register("advance", positional: [NativeParameter("amount", .int), NativeParameter("unit", .word(["days", "hours"]))],
                   doc: "Moves a test clock.", example: "advance 2 hours", isCommand: true, category: "test") { args, ctx in
            ctx.write("advanced \(try args.int("amount")) \(try args.string("unit"))\n")
            return .nil
        }
        r.register("invoke", positional: [NativeParameter("model", .handle("model")), NativeParameter("prompt", .string)],
                   labelled: [NativeParameter("max_tokens", .int, default: .int(16), doc: "most tokens to generate"),
                              NativeParameter("temperature", .number, default: .double(0.7), doc: "sampling temperature")],
                   doc: "Echoes its arguments as a record.", example: #"invoke model("amazon.titan") "hi" max_tokens: 4"#,
                   isCommand: true, category: "test") { args, _ in
            .record(Record([("model", .string(try args.handle("model", as: TestModel.self).id)), ("prompt", args["prompt"]),
                            ("max_tokens", args["max_tokens"]), ("temperature", args["temperature"])]))
        }
    }
}
