// `request access` and `access`: the classic model-access flow.
import BedrockInterpreter
import BedrockPlatform
import Catalog

extension PlatformLibrary {
    func registerAccess(into registry: inout NativeRegistry) {
        registry.register(
            "request access",
            positional: [NativeParameter("model", modelParameter, doc: "the model to request")],
            labelled: [NativeParameter("use_case", .string, default: .nil, doc: "the use-case form (Anthropic models need it)"),
                       NativeParameter("wait", .bool, default: .bool(true), doc: "let the virtual clock run until the request is decided")],
            doc: "Requests access to a model: Available to request → In progress → Access granted; returns the path it took.",
            example: #"request access "amazon.titan-text-lite-v1""#,
            isCommand: true, category: "access"
        ) { args, _ in
            let card = try card(args["model"])
            let trail = try platform.requestAccess(modelID: card.id, useCase: try args.optionalString("use_case"),
                                                   wait: try args.bool("wait"))
            var line = "\(card.id): " + trail.map(\.label).joined(separator: " → ")
            if let decided = trail.last?.decidedAt, trail.count > 1 { line += " (\(decided.display))" }
            return .string(line)
        }

        registry.register(
            "access",
            labelled: Self.filterLabels.map { NativeParameter($0, .string, default: .nil, doc: "only models with this \($0)") },
            doc: "The access state of every model, as the console's Model access page shows it.",
            example: #"access provider: "Anthropic""#,
            isCommand: true, category: "access"
        ) { args, _ in
            var options: [String: String] = [:]
            for label in Self.filterLabels { if let v = try args.optionalString(label) { options[label] = v } }
            let states = try platform.accessTable(filter: try ModelFilter.parse(options))
            let cards = Dictionary(uniqueKeysWithValues: try platform.models().map { ($0.id, $0) })
            let rows = states.map { s in
                [s.modelID, cards[s.modelID]?.provider.rawValue ?? "", s.label,
                 cards[s.modelID]?.useCaseFormRequired == true ? "use-case form" : ""]
            }
            let text = TextLayout.table(header: ["model", "provider", "access", "needs"], rows: rows)
            let records = states.map { Record([("model", .string($0.modelID)), ("access", .string($0.label))]) }
            return .handle(TableHandle(kindName: "access", text: text, rows: records))
        }
    }
}
