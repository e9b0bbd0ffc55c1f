// `models` and `model`: the catalog as tables and cards.
import BedrockInterpreter
import BedrockPlatform
import Catalog

extension PlatformLibrary {
    static let filterLabels = ["provider", "modality", "customization", "inference", "lifecycle"]

    func registerCatalog(into registry: inout NativeRegistry) {
        registry.register(
            "models",
            labelled: Self.filterLabels.map { NativeParameter($0, .string, default: .nil, doc: "only models with this \($0)") },
            doc: "Lists the catalog's models as a table, optionally filtered (ListFoundationModels).",
            example: #"models provider: "Meta" customization: "FINE_TUNING""#,
            isCommand: true, category: "catalog"
        ) { args, _ in
            var options: [String: String] = [:]
            for label in Self.filterLabels { if let v = try args.optionalString(label) { options[label] = v } }
            let cards = try platform.models(filter: try ModelFilter.parse(options))
            let rows = cards.map { Record([("id", .string($0.id)), ("name", .string($0.name)),
                                           ("provider", .string($0.provider.rawValue))]) }
            return .handle(TableHandle(kindName: "models", text: ModelTable.render(cards), rows: rows))
        }

        registry.register(
            "model",
            positional: [NativeParameter("id", .string, doc: "a Bedrock model ID")],
            doc: "The card of one model: modalities, context, prices, customization, and the local engine that serves it.",
            example: #"model "amazon.titan-text-express-v1""#,
            isCommand: true, category: "catalog"
        ) { args, _ in
            try modelHandle(try platform.model(id: try args.string("id")))
        }
    }
}
