// The closed vocabularies of the catalog: providers, modalities, customization and inference types,
// lifecycle, request-body families, engine kinds and provisioned-throughput commitment terms.
// Raw values are Bedrock's own API strings (ListFoundationModels, CreateProvisionedModelThroughput);
// `parse` accepts the friendlier spellings the language uses. No data or pricing lives here.

/// A closed set of API strings that can also be read from the looser labels a user types.
public protocol CatalogVocabulary: RawRepresentable, CaseIterable, Sendable, Hashable, Codable
where RawValue == String {
    /// Extra accepted spellings (lower-cased, `-`/space/`_` folded to `_`) besides the raw value.
    var spellings: [String] { get }
}

extension CatalogVocabulary {
    public var spellings: [String] { [] }

    /// Reads `text` case-insensitively, treating `-`, `_` and spaces alike;
    /// on failure the error names the field, every allowed value and the closest one.
    public static func parse(_ text: String, field: String) throws(CatalogError) -> Self {
        let key = foldLabel(text)
        for value in allCases where foldLabel(value.rawValue) == key || value.spellings.contains(key) {
            return value
        }
        let allowed = allCases.map(\.rawValue)
        let closest = ClosestNames.suggest(text, among: allowed + allCases.flatMap(\.spellings), limit: 1)
        throw CatalogError.invalidValue(field: field, value: text, allowed: allowed, closest: closest.first)
    }
}

/// `"Fine-Tuning"` → `"fine_tuning"`: the comparison key for labels.
func foldLabel(_ text: String) -> String {
    String(text.lowercased().map { $0 == "-" || $0 == " " ? "_" : $0 })
}

/// Bedrock's `providerName` values.
public enum Provider: String, CatalogVocabulary {
    case ai21 = "AI21 Labs", amazon = "Amazon", anthropic = "Anthropic", cohere = "Cohere"
    case meta = "Meta", mistral = "Mistral AI", stability = "Stability AI"
    /// Models a user brought with Custom Model Import (their weights, not a catalog provider's).
    case imported = "Imported"

    public var spellings: [String] {
        switch self {
        case .ai21: ["ai21"]
        case .imported: ["import", "custom_model_import"]
        case .mistral: ["mistral"]
        case .stability: ["stability", "stabilityai"]
        default: []
        }
    }
}

/// Bedrock's `ModelModality` (TEXT, IMAGE, EMBEDDING) plus VIDEO, which Nova lists as an input.
public enum Modality: String, CatalogVocabulary {
    case text = "TEXT", image = "IMAGE", embedding = "EMBEDDING", video = "VIDEO"
    public var spellings: [String] { self == .embedding ? ["embeddings"] : [] }
}

/// Bedrock's `ModelCustomization` filter values, plus IMPORTED (a custom model's customizationType
/// after Custom Model Import; as a `models` filter it selects the imported models).
public enum CustomizationType: String, CatalogVocabulary {
    case fineTuning = "FINE_TUNING", continuedPreTraining = "CONTINUED_PRE_TRAINING", distillation = "DISTILLATION"
    case imported = "IMPORTED"

    public var spellings: [String] {
        switch self {
        case .imported: ["import", "custom_model_import"]
        case .fineTuning: ["finetuning", "finetune", "fine_tune", "ft"]
        case .continuedPreTraining: ["cpt", "continued_pretraining", "pretraining"]
        case .distillation: ["distill", "dist"]
        }
    }
}

/// Bedrock's `InferenceType`.
public enum InferenceType: String, CatalogVocabulary {
    case onDemand = "ON_DEMAND", provisioned = "PROVISIONED"
    public var spellings: [String] { self == .onDemand ? ["ondemand"] : ["pt", "provisioned_throughput"] }
}

/// Bedrock's `FoundationModelLifecycleStatus`.
public enum Lifecycle: String, CatalogVocabulary {
    case active = "ACTIVE", legacy = "LEGACY"
}

/// The provider-native InvokeModel body a model speaks (reference §3.4), so the runtime can pick
/// the request/response format without knowing model IDs.
public enum BodyFamily: String, CatalogVocabulary {
    case titan, claudeMessages = "claude-messages", claudeText = "claude-text", llama, mistral
    case cohereCommand = "cohere-command", cohereCommandR = "cohere-command-r", ai21J2 = "ai21-j2"
    case ai21Jamba = "ai21-jamba", nova, titanEmbed = "titan-embed", cohereEmbed = "cohere-embed"
    case titanImage = "titan-image", stability
}

/// Which kind of local engine serves a model.
public enum EngineKind: String, CatalogVocabulary {
    case text, embedding, image
}

/// Provisioned-throughput commitment (`commitmentDuration`; omitted on the wire for no commitment).
public enum CommitmentTerm: String, CatalogVocabulary {
    case noCommitment = "NoCommitment", oneMonth = "OneMonth", sixMonths = "SixMonths"

    public var spellings: [String] {
        switch self {
        case .noCommitment: ["no_commitment", "none", "hourly"]
        case .oneMonth: ["1_month", "one_month", "1month", "1_months"]
        case .sixMonths: ["6_months", "six_months", "6months", "6_month"]
        }
    }

    /// Whole months the term commits to (0 for no commitment).
    public var months: Int {
        switch self {
        case .noCommitment: 0
        case .oneMonth: 1
        case .sixMonths: 6
        }
    }

    /// As an adjective: "no-commitment", "1-month", "6-month".
    public var adjective: String {
        switch self {
        case .noCommitment: "no-commitment"
        case .oneMonth: "1-month"
        case .sixMonths: "6-month"
        }
    }

    /// How the language and the cards print it.
    public var label: String {
        switch self {
        case .noCommitment: "no commitment"
        case .oneMonth: "1 month"
        case .sixMonths: "6 months"
        }
    }
}
