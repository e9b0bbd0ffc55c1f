// ModelCard: everything the project knows about one model — foundation models from the catalog file
// and custom models the trainer creates later (base, lineage, hyperparameters, provisioned-only).
// Plain Codable values, so the workspace can persist custom cards. No lookup or rendering here.

/// The local engine serving a model, with the honest one-line label shown on its card.
public struct EngineInfo: Sendable, Equatable, Codable {
    public let kind: EngineKind
    public let label: String
    /// What the engine cannot do that the real model can (e.g. image inputs), if anything.
    public let limitations: String?
}

/// Capacity of one provisioned model unit. AWS publishes none: these are configurable project figures.
public struct ThroughputPerUnit: Sendable, Equatable, Codable {
    public let inputTokensPerMinute: Int
    public let outputTokensPerMinute: Int
    /// For image models: images one unit generates per minute.
    public let imagesPerMinute: Int?

    public init(inputTokensPerMinute: Int, outputTokensPerMinute: Int, imagesPerMinute: Int? = nil) {
        self.inputTokensPerMinute = inputTokensPerMinute
        self.outputTokensPerMinute = outputTokensPerMinute
        self.imagesPerMinute = imagesPerMinute
    }
}

/// Where a custom model came from.
public struct CustomModelInfo: Sendable, Equatable, Codable {
    /// The foundation model at the root of the lineage (its prices and engine apply).
    public let foundationModelID: String
    /// The model this one was trained from (the foundation model, or a custom model).
    public let parentModelID: String
    public let customizationType: CustomizationType
    /// Model IDs from the foundation model down to the parent, inclusive.
    public let lineage: [String]
    /// The resolved hyperparameters of the job, in Bedrock's string form.
    public let hyperparameters: [String: String]
    public let jobName: String?
    /// Set for models brought with Custom Model Import (customizationType IMPORTED).
    public var imported: ImportedModelInfo? = nil
}

/// One model: a foundation model from the catalog or a custom model derived from one.
public struct ModelCard: Sendable, Equatable, Codable, Identifiable {
    /// Bedrock model ID (foundation) or custom-model ARN.
    public let id: String
    public let name: String
    public let provider: Provider
    public let inputModalities: [Modality]
    public let outputModalities: [Modality]
    /// Max context tokens; nil where the idea does not apply (image models).
    public let contextWindow: Int?
    /// Max generated tokens (0 for embedding and image models).
    public let maxOutputTokens: Int
    public let streaming: Bool
    public let customizations: [CustomizationType]
    public let inferenceTypes: [InferenceType]
    public let lifecycle: Lifecycle
    public let bodyFamily: BodyFamily
    /// Name of the schema in the catalog file; the specs themselves are in `hyperparameters`.
    public let hyperparameterSchema: String?
    /// The hyperparameters a customization job of this model accepts (empty if not customizable).
    public internal(set) var hyperparameters: [HyperparameterSpec]
    /// Anthropic models need the one-time use-case form before access is granted (reference §2).
    public let useCaseFormRequired: Bool
    public let engine: EngineInfo
    public let throughputPerModelUnit: ThroughputPerUnit?
    /// Native output sizes for embedding models (first is the default).
    public let embeddingDimensions: [Int]?
    /// Other IDs that resolve to this model (e.g. customizable-variant suffixes).
    public let aliases: [String]
    /// Non-price fields whose figures are approximate in the reference.
    public let approximateFields: [String]
    /// Whether it can teach a distillation student.
    public let distillationTeacher: Bool
    public let notes: [String]
    public let prices: PriceSheet
    /// Set for custom models only.
    public let custom: CustomModelInfo?

    /// The ARN Bedrock would show: foundation-model ARN, or the custom ID itself (already an ARN).
    public var arn: String { custom == nil ? "arn:aws:bedrock:\(Region.name)::foundation-model/\(id)" : id }
    public var isCustom: Bool { custom != nil }
    /// The foundation model whose prices and engine serve this one (itself for foundation models).
    public var foundationModelID: String { custom?.foundationModelID ?? id }
    public var supportsOnDemand: Bool { inferenceTypes.contains(.onDemand) }
    public var supportsProvisioned: Bool { inferenceTypes.contains(.provisioned) }
    public var isCustomizable: Bool { !customizations.isEmpty }

    private enum CodingKeys: String, CodingKey {
        case id, name, provider, inputModalities, outputModalities, contextWindow, maxOutputTokens, streaming
        case customizations, inferenceTypes, lifecycle, bodyFamily, hyperparameterSchema, hyperparameters
        case useCaseFormRequired, engine, throughputPerModelUnit, embeddingDimensions, aliases
        case approximateFields, distillationTeacher, notes, prices, custom
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        provider = try c.decode(Provider.self, forKey: .provider)
        inputModalities = try c.decode([Modality].self, forKey: .inputModalities)
        outputModalities = try c.decode([Modality].self, forKey: .outputModalities)
        contextWindow = try c.decodeIfPresent(Int.self, forKey: .contextWindow)
        maxOutputTokens = try c.decode(Int.self, forKey: .maxOutputTokens)
        streaming = try c.decode(Bool.self, forKey: .streaming)
        customizations = try c.decode([CustomizationType].self, forKey: .customizations)
        inferenceTypes = try c.decode([InferenceType].self, forKey: .inferenceTypes)
        lifecycle = try c.decode(Lifecycle.self, forKey: .lifecycle)
        bodyFamily = try c.decode(BodyFamily.self, forKey: .bodyFamily)
        hyperparameterSchema = try c.decodeIfPresent(String.self, forKey: .hyperparameterSchema)
        hyperparameters = try c.decodeIfPresent([HyperparameterSpec].self, forKey: .hyperparameters) ?? []
        useCaseFormRequired = try c.decode(Bool.self, forKey: .useCaseFormRequired)
        engine = try c.decode(EngineInfo.self, forKey: .engine)
        throughputPerModelUnit = try c.decodeIfPresent(ThroughputPerUnit.self, forKey: .throughputPerModelUnit)
        embeddingDimensions = try c.decodeIfPresent([Int].self, forKey: .embeddingDimensions)
        aliases = try c.decodeIfPresent([String].self, forKey: .aliases) ?? []
        approximateFields = try c.decodeIfPresent([String].self, forKey: .approximateFields) ?? []
        distillationTeacher = try c.decodeIfPresent(Bool.self, forKey: .distillationTeacher) ?? false
        notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
        prices = try c.decode(PriceSheet.self, forKey: .prices)
        custom = try c.decodeIfPresent(CustomModelInfo.self, forKey: .custom)
    }

    /// Memberwise, for custom models (foundation models come from the data file).
    init(id: String, name: String, base: ModelCard, prices: PriceSheet, custom: CustomModelInfo) {
        self.id = id
        self.name = name
        provider = base.provider
        inputModalities = base.inputModalities
        outputModalities = base.outputModalities
        contextWindow = base.contextWindow
        maxOutputTokens = base.maxOutputTokens
        streaming = base.streaming
        customizations = []
        inferenceTypes = [.provisioned]
        lifecycle = .active
        bodyFamily = base.bodyFamily
        hyperparameterSchema = nil
        hyperparameters = []
        useCaseFormRequired = base.useCaseFormRequired
        engine = base.engine
        throughputPerModelUnit = base.throughputPerModelUnit
        embeddingDimensions = base.embeddingDimensions
        aliases = []
        approximateFields = base.approximateFields
        distillationTeacher = false
        notes = ["custom model: served only through provisioned throughput, billed at the base model's rate (reference §4.6)"]
        self.prices = prices
        self.custom = custom
    }
}

/// The one Region the local platform pretends to be in, and its fixed account.
public enum Region {
    public static let name = "us-east-1"
    public static let account = "000000000000"
}

extension ModelCard {
    /// `arn:aws:bedrock:us-east-1:000000000000:custom-model/<foundation ID>/<suffix>`.
    public static func customModelARN(foundationModelID: String, suffix: String) -> String {
        "arn:aws:bedrock:\(Region.name):\(Region.account):custom-model/\(foundationModelID)/\(suffix)"
    }

    /// A custom model trained from `base` (a foundation model, or a custom model of one), whose
    /// root is `foundation` (pass the catalog card; `Catalog.customModel` does this for you).
    /// It inherits modalities, context, engine and body format; it is invoked only through
    /// provisioned throughput at the foundation model's rates and pays the foundation's storage price.
    public static func custom(
        suffix: String, name: String, base: ModelCard, customization: CustomizationType,
        hyperparameters: ResolvedHyperparameters, jobName: String? = nil, foundation: ModelCard
    ) throws(CatalogError) -> ModelCard {
        // The foundation model decides what is allowed and what it costs; a custom parent carries no training prices.
        let root = foundation
        guard root.custom == nil, root.id == base.foundationModelID else {
            throw .unknownModel(id: base.foundationModelID, suggestions: root.custom == nil ? [root.id] : [])
        }
        guard root.customizations.contains(customization) else {
            throw .customizationNotSupported(modelID: root.id, type: customization, supported: root.customizations)
        }
        let lineage = (base.custom?.lineage ?? []) + [base.id]
        let info = CustomModelInfo(foundationModelID: root.id, parentModelID: base.id, customizationType: customization,
                                   lineage: lineage, hyperparameters: hyperparameters.bedrockStrings, jobName: jobName,
                                   imported: nil)
        let prices = PriceSheet(provisioned: root.prices.provisioned, storagePerMonth: root.prices.storagePerMonth)
        return ModelCard(id: customModelARN(foundationModelID: root.id, suffix: suffix), name: name, base: base,
                         prices: prices, custom: info)
    }
}
