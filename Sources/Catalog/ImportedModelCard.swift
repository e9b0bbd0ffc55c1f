// Cards for models brought with Custom Model Import (CreateModelImportJob): what the imported file
// is (architecture, size, context, quantization, hash, chat format), how many Custom Model Units a
// copy takes, and the import price sheet. Bedrock serves imported models on demand and bills the
// active copies by the CMU-minute in 5-minute windows; the figures are approximate ([~]).
import Foundation

/// Custom Model Import's prices and the rule that sizes a model in Custom Model Units.
public enum ImportPricing {
    /// One CMU for an active copy, per minute (us-east-1) [~].
    public static let perCMUMinute = SourcedPrice(usd: Decimal(string: "0.0785")!, source: "Custom Model Import, per CMU-minute [~]",
                                                  approximate: true)
    /// Storing an imported model, per CMU per month [~].
    public static let storagePerCMUMonth = SourcedPrice(usd: Decimal(string: "1.95")!, source: "Custom Model Import, storage per CMU-month [~]",
                                                        approximate: true)
    /// Billing window: an invocation outside every billed window starts a new one of this many minutes [~].
    public static let windowMinutes = 5
    /// Parameters one CMU holds: a copy takes one CMU per started 4 billion parameters [~].
    public static let parametersPerCMU = 4_000_000_000

    /// CMUs a copy of a model with `parameters` parameters takes (at least one).
    public static func customModelUnits(parameters: Int) -> Int {
        max(1, (parameters + parametersPerCMU - 1) / parametersPerCMU)
    }

    /// The charge for one billing window of `units` CMUs.
    public static func windowPrice(units: Int) -> Decimal { perCMUMinute.usd * Decimal(units * windowMinutes) }
}

/// What an imported model's file is, as its import job found it.
public struct ImportedModelInfo: Sendable, Equatable, Codable {
    public let architecture: String
    public let parameterCount: Int
    /// llama.context_length in the file.
    public let fileContextLength: Int
    /// The context this engine serves (the file's, capped by the KV-cache limit).
    public let servedContext: Int
    /// Tensor types with their counts, most used first ("Q4_1 ×211").
    public let quantization: [String]
    public let fileBytes: Int
    public let sha256: String
    /// How conversations are rendered (ChatFormat's label).
    public let chatFormat: String
    public let customModelUnits: Int
    /// The file the model was imported from, and the workspace copy that serves it.
    public let sourcePath: String
    public let servedFile: String
    public let jobName: String
    /// The entries of `quantization` the engine converts to Q8_0 when it loads the model (nil in
    /// rows written before there were any).
    public let convertedAtLoad: [String]?

    public init(architecture: String, parameterCount: Int, fileContextLength: Int, servedContext: Int, quantization: [String],
                fileBytes: Int, sha256: String, chatFormat: String, customModelUnits: Int, sourcePath: String,
                servedFile: String, jobName: String, convertedAtLoad: [String] = []) {
        self.architecture = architecture; self.parameterCount = parameterCount; self.fileContextLength = fileContextLength
        self.servedContext = servedContext; self.quantization = quantization; self.fileBytes = fileBytes
        self.sha256 = sha256; self.chatFormat = chatFormat; self.customModelUnits = customModelUnits
        self.sourcePath = sourcePath; self.servedFile = servedFile; self.jobName = jobName
        self.convertedAtLoad = convertedAtLoad
    }
}

extension ModelCard {
    /// `arn:aws:bedrock:us-east-1:000000000000:imported-model/<id>`.
    public static func importedModelARN(id: String) -> String {
        "arn:aws:bedrock:\(Region.name):\(Region.account):imported-model/\(id)"
    }

    /// The longest answer an imported model gives in one call (Llama's max_gen_len cap).
    public static let importedMaxOutputTokens = 2048

    /// The card of an imported model: TEXT → TEXT, on demand, Llama request bodies, served by the
    /// engine from its own file with its own tokenizer and chat format.
    public static func imported(id: String, name: String, info: ImportedModelInfo) -> ModelCard {
        let arn = importedModelARN(id: id)
        let custom = CustomModelInfo(foundationModelID: arn, parentModelID: arn, customizationType: .imported, lineage: [],
                                     hyperparameters: [:], jobName: info.jobName, imported: info)
        let converted = (info.convertedAtLoad ?? []).isEmpty ? ""
            : "; its \(info.convertedAtLoad!.joined(separator: ", ")) tensors run as Q8_0, converted at load"
        let engine = EngineInfo(kind: .text, label: "the local llama engine running \(info.servedFile) (sha256 \(info.sha256.prefix(12))…) "
                                    + "with the file's own tokenizer; chat format: \(info.chatFormat)" + converted, limitations: nil)
        return ModelCard(id: arn, name: name, engine: engine, contextWindow: info.servedContext,
                         maxOutputTokens: min(importedMaxOutputTokens, info.servedContext), custom: custom)
    }

    /// Memberwise for imported models.
    init(id: String, name: String, engine: EngineInfo, contextWindow: Int, maxOutputTokens: Int, custom: CustomModelInfo) {
        self.id = id
        self.name = name
        provider = .imported
        inputModalities = [.text]
        outputModalities = [.text]
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
        streaming = true
        customizations = []
        inferenceTypes = [.onDemand]
        lifecycle = .active
        bodyFamily = .llama
        hyperparameterSchema = nil
        hyperparameters = []
        useCaseFormRequired = false
        self.engine = engine
        throughputPerModelUnit = nil
        embeddingDimensions = nil
        aliases = []
        approximateFields = []
        distillationTeacher = false
        notes = ["imported model (Custom Model Import): invoked on demand, billed per Custom Model Unit per minute of an active copy "
                 + "in \(ImportPricing.windowMinutes)-minute windows, not per token; request and response bodies are Meta Llama's "
                 + "(prompt, max_gen_len, temperature, top_p → generation)"]
        prices = PriceSheet()
        self.custom = custom
    }

    public var isImported: Bool { custom?.imported != nil }
}

extension CardRenderer {
    static func importedRows(_ c: CustomModelInfo, _ i: ImportedModelInfo) -> [(String, String?)] {
        let units = i.customModelUnits
        return [("imported by job", c.jobName),
                ("customization type", c.customizationType.rawValue),
                ("architecture", i.architecture),
                ("parameters", Money.quantity(Decimal(i.parameterCount))),
                ("context length", "\(Money.quantity(Decimal(i.fileContextLength))) tokens in the file; "
                    + "\(Money.quantity(Decimal(i.servedContext))) served (KV-cache limit)"),
                ("quantization", i.quantization.joined(separator: ", ")),
                ("file", "\(i.servedFile), \(Money.quantity(Decimal(i.fileBytes))) bytes"),
                ("sha256", i.sha256),
                ("imported from", i.sourcePath),
                ("chat format", i.chatFormat),
                ("custom model units", "\(units) per copy (1 per started \(ImportPricing.parametersPerCMU / 1_000_000_000)B parameters [~])"),
                ("on-demand", priced(ImportPricing.perCMUMinute, "per CMU per minute") + "; a \(ImportPricing.windowMinutes)-minute window of "
                    + "this model costs \(Money.format(ImportPricing.windowPrice(units: units)))"),
                ("storage", priced(ImportPricing.storagePerCMUMonth, "per CMU per month") + "; "
                    + "\(Money.format(ImportPricing.storagePerCMUMonth.usd * Decimal(units))) a month for this model")]
    }
}
