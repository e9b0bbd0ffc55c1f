// The model catalog: the validated contents of Data/models.json, loaded once (lazily, thread-safe)
// from the copy embedded in the binary, with listing filters, lookup by ID or alias with
// closest-ID suggestions, and custom-model creation. Rendering is in CardRenderer/ModelTable.
import Foundation

/// The catalog of foundation models, as of a date.
public struct Catalog: Sendable {
    /// Date the figures were compiled (ISO yyyy-mm-dd).
    public let asOf: String
    public let region: String
    public let currency: String
    /// Where the figures come from and what the tags mean.
    public let source: String
    public let policies: CatalogPolicies
    /// Every foundation model, in file order (grouped by provider).
    public let models: [ModelCard]
    /// Hyperparameter schemas by name (as referenced by `ModelCard.hyperparameterSchema`).
    public let schemas: [String: [HyperparameterSpec]]
    private let index: [String: Int]

    init(asOf: String, region: String, currency: String, source: String, policies: CatalogPolicies,
         models: [ModelCard], schemas: [String: [HyperparameterSpec]]) {
        self.asOf = asOf
        self.region = region
        self.currency = currency
        self.source = source
        self.policies = policies
        self.models = models
        self.schemas = schemas
        var index: [String: Int] = [:]
        for (i, m) in models.enumerated() {
            index[m.id] = i
            for alias in m.aliases { index[alias] = i }
        }
        self.index = index
    }

    // Decoded on first use; `static let` initialisation is lazy and runs exactly once across threads.
    private static let embedded: Result<Catalog, CatalogDataError> = Result { () throws(CatalogDataError) -> Catalog in
        try Catalog.fromEmbeddedData()
    }

    /// The catalog shipped in the binary (decoded and validated once, on first call).
    public static func standard() throws(CatalogDataError) -> Catalog { try embedded.get() }

    /// Decodes the embedded copy afresh (for measuring load time; use `standard()` otherwise).
    public static func fromEmbeddedData() throws(CatalogDataError) -> Catalog {
        guard let text = EmbeddedCatalogData.files[dataFileName] else {
            let issue = CatalogDataIssue(record: nil, modelID: nil, field: "(file)",
                                         problem: "not embedded; run scripts/embed-resources")
            throw CatalogDataError(file: dataFileName, issues: [issue])
        }
        return try Catalog(json: Data(text.utf8), file: dataFileName)
    }

    // MARK: lookup

    /// Every ID and alias, sorted (for REPL completion).
    public var identifiers: [String] { index.keys.sorted() }

    /// The model with this ID or alias (exact, as Bedrock matches), or ResourceNotFound with the closest IDs.
    public func model(id: String) throws(CatalogError) -> ModelCard {
        if let i = index[id] { return models[i] }
        throw .unknownModel(id: id, suggestions: closestIDs(to: id))
    }

    /// The model with this ID or alias, if any.
    public func modelIfPresent(id: String) -> ModelCard? { index[id].map { models[$0] } }

    /// Up to `limit` model IDs closest to `text`: exact name matches first, then IDs containing
    /// the text, then small edit distances.
    public func closestIDs(to text: String, limit: Int = 3) -> [String] {
        let byName = models.filter { $0.name.lowercased() == text.lowercased() }.map(\.id)
        let rest = ClosestNames.suggest(text, among: models.map(\.id) + models.flatMap(\.aliases), limit: limit * 2)
        var out: [String] = []
        // An alias stands for its model: suggest the canonical ID once.
        for name in byName + rest {
            let id = index[name].map { models[$0].id } ?? name
            if !out.contains(id) { out.append(id) }
        }
        return Array(out.prefix(limit))
    }

    /// The printed card of `model`, with this catalog's policies and as-of date.
    public func card(_ model: ModelCard) -> String { CardRenderer.render(model, policies: policies, asOf: asOf) }

    // MARK: listing

    /// Models passing every set field of `filter`, in catalog order.
    public func models(matching filter: ModelFilter) -> [ModelCard] { models.filter(filter.matches) }

    /// Providers present, in catalog order.
    public var providers: [Provider] {
        var out: [Provider] = []
        for m in models where !out.contains(m.provider) { out.append(m.provider) }
        return out
    }

    // MARK: custom models

    /// A custom model trained from `base` (a foundation model in this catalog or a custom model of one).
    public func customModel(suffix: String, name: String, base: ModelCard, customization: CustomizationType,
                            hyperparameters: ResolvedHyperparameters, jobName: String? = nil) throws(CatalogError) -> ModelCard {
        let foundation = try model(id: base.foundationModelID)
        return try ModelCard.custom(suffix: suffix, name: name, base: base, customization: customization,
                                    hyperparameters: hyperparameters, jobName: jobName, foundation: foundation)
    }
}

/// What `models` lists: every set field must match (nil fields match everything).
public struct ModelFilter: Sendable, Equatable {
    public var provider: Provider?
    /// Matches a model that takes or produces this modality.
    public var modality: Modality?
    public var inputModality: Modality?
    public var outputModality: Modality?
    public var customization: CustomizationType?
    public var inference: InferenceType?
    public var lifecycle: Lifecycle?

    public init(provider: Provider? = nil, modality: Modality? = nil, inputModality: Modality? = nil,
                outputModality: Modality? = nil, customization: CustomizationType? = nil,
                inference: InferenceType? = nil, lifecycle: Lifecycle? = nil) {
        self.provider = provider
        self.modality = modality
        self.inputModality = inputModality
        self.outputModality = outputModality
        self.customization = customization
        self.inference = inference
        self.lifecycle = lifecycle
    }

    /// Builds a filter from the language's `key: "value"` options (`provider`, `modality`,
    /// `input`, `output`, `customization`, `inference`, `lifecycle`); unknown keys or values
    /// are ValidationExceptions naming the allowed ones and the closest.
    public static func parse(_ options: [String: String]) throws(CatalogError) -> ModelFilter {
        var f = ModelFilter()
        for key in options.keys.sorted() {
            let value = options[key]!
            switch key {
            case "provider": f.provider = try Provider.parse(value, field: key)
            case "modality": f.modality = try Modality.parse(value, field: key)
            case "input": f.inputModality = try Modality.parse(value, field: key)
            case "output": f.outputModality = try Modality.parse(value, field: key)
            case "customization": f.customization = try CustomizationType.parse(value, field: key)
            case "inference": f.inference = try InferenceType.parse(value, field: key)
            case "lifecycle": f.lifecycle = try Lifecycle.parse(value, field: key)
            default:
                let allowed = ["provider", "modality", "input", "output", "customization", "inference", "lifecycle"]
                throw .invalidValue(field: "filter", value: key, allowed: allowed,
                                    closest: ClosestNames.suggest(key, among: allowed, limit: 1).first)
            }
        }
        return f
    }

    public func matches(_ m: ModelCard) -> Bool {
        if let provider, m.provider != provider { return false }
        if let modality, !m.inputModalities.contains(modality), !m.outputModalities.contains(modality) { return false }
        if let inputModality, !m.inputModalities.contains(inputModality) { return false }
        if let outputModality, !m.outputModalities.contains(outputModality) { return false }
        if customization == .imported {
            if m.custom?.customizationType != .imported { return false }
        } else if let customization, !m.customizations.contains(customization) {
            return false
        }
        if let inference, !m.inferenceTypes.contains(inference) { return false }
        if let lifecycle, m.lifecycle != lifecycle { return false }
        return true
    }
}
