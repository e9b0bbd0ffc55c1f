// Reading the catalog data file (Data/models.json, embedded at build time by scripts/embed-resources)
// and checking its invariants, collecting every issue with its record and field before failing.
// What the checks enforce is listed in `validate`; lookups and filters are in Catalog.swift.
import Foundation

/// Catalog-wide figures that are not per model.
public struct CatalogPolicies: Sendable, Equatable, Codable {
    public struct Factor: Sendable, Equatable, Codable {
        public let value: Decimal
        public let source: String
        public let approximate: Bool

        private enum CodingKeys: String, CodingKey { case value, source, approximate }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let text = try c.decode(String.self, forKey: .value)
            guard let v = Decimal(string: text) else {
                throw DecodingError.dataCorruptedError(forKey: .value, in: c, debugDescription: "expected a decimal in a string, got \"\(text)\"")
            }
            value = v
            source = try c.decode(String.self, forKey: .source)
            approximate = try c.decode(Bool.self, forKey: .approximate)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(value.description, forKey: .value)
            try c.encode(source, forKey: .source)
            try c.encode(approximate, forKey: .approximate)
        }
    }

    /// Batch inference price as a fraction of on-demand (reference §7: ~50%).
    public let batchFactor: Factor
    /// Hours in a billing month (730 = 365 × 24 / 12, as the reference's §7 example uses).
    public let hoursPerMonth: Int
    /// Human evaluation: price of one completed task with your own work team (reference §5.4, §7).
    public let humanEvaluationPerTask: SourcedPrice
    /// Why the tokens-per-minute figures are the project's own.
    public let throughputNote: String
}

/// The file's top level.
struct CatalogFile: Decodable {
    let schemaVersion: Int
    let asOf: String
    let region: String
    let currency: String
    let source: String
    let policies: CatalogPolicies
    let hyperparameterSchemas: [String: [HyperparameterSpec]]
    let models: [ModelCard]
}

extension Catalog {
    /// The one data file the catalog reads.
    public static let dataFileName = "models.json"

    /// Decodes and validates catalog data; every problem found is reported together.
    public init(json: Data, file: String = Catalog.dataFileName) throws(CatalogDataError) {
        let decoded: CatalogFile
        do {
            decoded = try JSONDecoder().decode(CatalogFile.self, from: json)
        } catch {
            throw CatalogDataError(file: file, issues: [Self.issue(from: error)])
        }
        var models = decoded.models
        var issues: [CatalogDataIssue] = []
        if decoded.schemaVersion != 1 {
            issues.append(.init(record: nil, modelID: nil, field: "schemaVersion", problem: "expected 1, got \(decoded.schemaVersion)"))
        }
        for (name, specs) in decoded.hyperparameterSchemas.sorted(by: { $0.key < $1.key }) {
            issues += Self.validate(schema: name, specs)
        }
        for i in models.indices {
            if let name = models[i].hyperparameterSchema {
                models[i].hyperparameters = decoded.hyperparameterSchemas[name] ?? []
            }
            issues += Self.validate(models[i], record: i, schemas: decoded.hyperparameterSchemas)
        }
        issues += Self.duplicateIDs(models)
        guard issues.isEmpty else { throw CatalogDataError(file: file, issues: issues) }
        self.init(asOf: decoded.asOf, region: decoded.region, currency: decoded.currency, source: decoded.source,
                  policies: decoded.policies, models: models, schemas: decoded.hyperparameterSchemas)
    }

    /// Turns a DecodingError into "record N, field a.b.c: what was wrong".
    static func issue(from error: any Error) -> CatalogDataIssue {
        guard let error = error as? DecodingError else {
            return .init(record: nil, modelID: nil, field: "(file)", problem: "\(error)")
        }
        let (path, problem): ([any CodingKey], String)
        switch error {
        case let .typeMismatch(type, ctx): (path, problem) = (ctx.codingPath, "expected \(type): \(ctx.debugDescription)")
        case let .valueNotFound(type, ctx): (path, problem) = (ctx.codingPath, "missing \(type) value")
        case let .keyNotFound(key, ctx): (path, problem) = (ctx.codingPath + [key], "required field is missing")
        case let .dataCorrupted(ctx): (path, problem) = (ctx.codingPath, ctx.debugDescription)
        @unknown default: (path, problem) = ([], "\(error)")
        }
        var record: Int?
        var fields: [String] = []
        for (n, key) in path.enumerated() {
            if n == 1, path[0].stringValue == "models", let index = key.intValue { record = index; fields = []; continue }
            fields.append(key.intValue.map { "[\($0)]" } ?? key.stringValue)
        }
        let field = fields.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        return .init(record: record, modelID: nil, field: field.isEmpty ? "(top level)" : field, problem: problem)
    }

    static func validate(schema name: String, _ specs: [HyperparameterSpec]) -> [CatalogDataIssue] {
        var issues: [CatalogDataIssue] = []
        for spec in specs {
            let field = "hyperparameterSchemas.\(name).\(spec.name)"
            func add(_ problem: String) { issues.append(.init(record: nil, modelID: nil, field: field, problem: problem)) }
            if spec.min > spec.max { add("min \(spec.min) is above max \(spec.max)") }
            if let d = spec.default, !(spec.min...spec.max).contains(d) { add("default \(d) is outside \(spec.rangeText)") }
            if spec.type == .integer {
                for v in [spec.min, spec.max] + (spec.default.map { [$0] } ?? []) where v != v.rounded() {
                    add("integer parameter has a fractional bound or default \(v)")
                }
            }
        }
        if Set(specs.map(\.name)).count != specs.count {
            issues.append(.init(record: nil, modelID: nil, field: "hyperparameterSchemas.\(name)", problem: "a name appears twice"))
        }
        return issues
    }

    /// The invariants one model must satisfy: what its modalities, inference types and
    /// customizations promise must be backed by prices, a schema and a capacity figure.
    static func validate(_ m: ModelCard, record: Int, schemas: [String: [HyperparameterSpec]]) -> [CatalogDataIssue] {
        var issues: [CatalogDataIssue] = []
        func add(_ field: String, _ problem: String) {
            issues.append(.init(record: record, modelID: m.id, field: field, problem: problem))
        }
        if m.id.isEmpty || m.id != m.id.lowercased() || !m.id.contains(".") {
            add("id", "expected a lower-case Bedrock model ID such as \"amazon.titan-text-express-v1\"")
        }
        if m.inputModalities.isEmpty { add("inputModalities", "must list at least one modality") }
        if m.outputModalities.count != 1 { add("outputModalities", "must list exactly one of TEXT, IMAGE, EMBEDDING") }
        if m.inferenceTypes.isEmpty { add("inferenceTypes", "must list ON_DEMAND and/or PROVISIONED") }
        if let ctx = m.contextWindow, ctx <= 0 { add("contextWindow", "must be positive, got \(ctx)") }
        if let ctx = m.contextWindow, m.maxOutputTokens > ctx { add("maxOutputTokens", "\(m.maxOutputTokens) exceeds the context window \(ctx)") }
        let output = m.outputModalities.first
        let expectedEngine: EngineKind = output == .embedding ? .embedding : output == .image ? .image : .text
        if m.engine.kind != expectedEngine { add("engine.kind", "a \(output?.rawValue ?? "?") model is served by a \(expectedEngine.rawValue) engine") }
        if m.hyperparameterSchema != nil, m.hyperparameters.isEmpty {
            add("hyperparameterSchema", "unknown schema \"\(m.hyperparameterSchema!)\"; known: \(schemas.keys.sorted().joined(separator: ", "))")
        }
        let tuned = m.customizations.contains(.fineTuning) || m.customizations.contains(.continuedPreTraining)
        if tuned, m.hyperparameterSchema == nil { add("hyperparameterSchema", "a customizable model needs a hyperparameter schema (§4.2)") }
        if !tuned, m.hyperparameterSchema != nil { add("hyperparameterSchema", "only FINE_TUNING / CONTINUED_PRE_TRAINING models take a schema") }
        issues += validatePrices(m, output: output, add: add)
        return issues
    }

    private static func validatePrices(_ m: ModelCard, output: Modality?, add: (String, String) -> Void) -> [CatalogDataIssue] {
        let p = m.prices
        if m.supportsOnDemand {
            switch output {
            case .text?: if p.onDemand == nil { add("prices.onDemand", "an ON_DEMAND text model needs input/output prices per 1K tokens") }
            case .embedding?: if p.embedding == nil { add("prices.embedding", "an ON_DEMAND embedding model needs a price per 1K input tokens") }
            case .image?: if (p.images ?? []).isEmpty { add("prices.images", "an ON_DEMAND image model needs per-image prices") }
            default: break
            }
        }
        if m.supportsProvisioned {
            if (p.provisioned?.offeredTerms ?? []).isEmpty { add("prices.provisioned", "a PROVISIONED model needs an hourly rate per model unit for at least one term") }
            if m.throughputPerModelUnit == nil { add("throughputPerModelUnit", "a PROVISIONED model needs tokens per minute per model unit") }
        } else if p.provisioned != nil {
            add("prices.provisioned", "rates given but PROVISIONED is not among the inference types")
        }
        if m.isCustomizable {
            if p.trainingPer1KTokens == nil, p.trainingPerImage == nil { add("prices.trainingPer1KTokens", "a customizable model needs a training price") }
            if p.storagePerMonth == nil { add("prices.storagePerMonth", "a customizable model needs a monthly storage price") }
            if !m.supportsProvisioned { add("inferenceTypes", "custom models are served by provisioned throughput, so the base must offer PROVISIONED") }
        }
        if output == .embedding, (m.embeddingDimensions ?? []).isEmpty { add("embeddingDimensions", "an embedding model needs its vector sizes") }
        return []
    }

    static func duplicateIDs(_ models: [ModelCard]) -> [CatalogDataIssue] {
        var seen: [String: Int] = [:]
        var issues: [CatalogDataIssue] = []
        for (i, m) in models.enumerated() {
            for (field, id) in [("id", m.id)] + m.aliases.map({ ("aliases", $0) }) {
                if let first = seen[id] {
                    issues.append(.init(record: i, modelID: m.id, field: field, problem: "\"\(id)\" is already used by record \(first)"))
                } else {
                    seen[id] = i
                }
            }
        }
        return issues
    }
}
