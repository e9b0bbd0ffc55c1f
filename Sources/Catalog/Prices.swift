// A model's price sheet as the catalog file states it: every figure is a Decimal in USD with the
// reference section it came from and whether it is approximate. This file only holds and looks up
// prices; the arithmetic of a quote (and its rounding for display) belongs to Billing and Money.
import Foundation

/// One published (or estimated) price, with its provenance.
public struct SourcedPrice: Sendable, Equatable, Codable {
    /// US dollars, exact as written in the data file.
    public let usd: Decimal
    /// Reference section and tag, e.g. "§1.1 [L]" or "estimate: …".
    public let source: String
    /// True for [~] figures and project estimates.
    public let approximate: Bool

    public init(usd: Decimal, source: String, approximate: Bool) {
        self.usd = usd
        self.source = source
        self.approximate = approximate
    }

    private enum CodingKeys: String, CodingKey { case usd, source, approximate }

    /// Prices are strings in the file ("0.00025") so no binary floating point ever touches them.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = try c.decode(String.self, forKey: .usd)
        guard let value = Decimal(string: text), text.allSatisfy({ $0.isNumber || $0 == "." }) else {
            throw DecodingError.dataCorruptedError(forKey: .usd, in: c,
                debugDescription: "expected a decimal number in a string such as \"0.0125\", got \"\(text)\"")
        }
        usd = value
        source = try c.decode(String.self, forKey: .source)
        approximate = try c.decode(Bool.self, forKey: .approximate)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(usd.description, forKey: .usd)
        try c.encode(source, forKey: .source)
        try c.encode(approximate, forKey: .approximate)
    }
}

/// On-demand text prices per 1,000 tokens.
public struct TokenPrices: Sendable, Equatable, Codable {
    public let inputPer1K: SourcedPrice
    public let outputPer1K: SourcedPrice
}

/// Embedding prices: input tokens only, plus a per-image price for multimodal embeddings.
public struct EmbeddingPrices: Sendable, Equatable, Codable {
    public let inputPer1K: SourcedPrice
    public let perImage: SourcedPrice?
}

/// Quality levels of Titan / Nova image generation.
public enum ImageQuality: String, CatalogVocabulary {
    case standard, premium
}

/// One per-image price, valid for images up to `maxPixels`, of a `quality`, with steps in
/// `minSteps...maxSteps`; a nil bound means "any". Tiers are tried in file order.
public struct ImagePriceTier: Sendable, Equatable, Codable {
    public let label: String
    public let price: SourcedPrice
    public let maxPixels: Int?
    public let quality: ImageQuality?
    public let minSteps: Int?
    public let maxSteps: Int?

    /// Whether an image of `width`×`height`, `steps` and `quality` is billed at this tier.
    /// A nil quality asks for the standard one.
    public func matches(width: Int, height: Int, steps: Int?, quality requested: ImageQuality?) -> Bool {
        if let maxPixels, width * height > maxPixels { return false }
        if let quality, quality != (requested ?? .standard) { return false }
        if let steps, let minSteps, steps < minSteps { return false }
        if let steps, let maxSteps, steps > maxSteps { return false }
        return true
    }
}

/// Hourly price of one model unit, by commitment term; a missing term is not offered.
public struct ProvisionedRates: Sendable, Equatable, Codable {
    public let noCommitment: SourcedPrice?
    public let oneMonth: SourcedPrice?
    public let sixMonths: SourcedPrice?

    public func rate(for term: CommitmentTerm) -> SourcedPrice? {
        switch term {
        case .noCommitment: noCommitment
        case .oneMonth: oneMonth
        case .sixMonths: sixMonths
        }
    }

    /// The terms this model can be booked for, cheapest commitment last.
    public var offeredTerms: [CommitmentTerm] { CommitmentTerm.allCases.filter { rate(for: $0) != nil } }
}

/// Every price a model has; which ones must be present depends on its modalities, inference types
/// and customizations (checked when the catalog loads).
public struct PriceSheet: Sendable, Equatable, Codable {
    public let onDemand: TokenPrices?
    public let embedding: EmbeddingPrices?
    public let images: [ImagePriceTier]?
    public let provisioned: ProvisionedRates?
    public let trainingPer1KTokens: SourcedPrice?
    public let trainingPerImage: SourcedPrice?
    public let storagePerMonth: SourcedPrice?

    public init(onDemand: TokenPrices? = nil, embedding: EmbeddingPrices? = nil, images: [ImagePriceTier]? = nil,
                provisioned: ProvisionedRates? = nil, trainingPer1KTokens: SourcedPrice? = nil,
                trainingPerImage: SourcedPrice? = nil, storagePerMonth: SourcedPrice? = nil) {
        self.onDemand = onDemand
        self.embedding = embedding
        self.images = images
        self.provisioned = provisioned
        self.trainingPer1KTokens = trainingPer1KTokens
        self.trainingPerImage = trainingPerImage
        self.storagePerMonth = storagePerMonth
    }

    /// The first tier that bills an image of this shape, or nil when none does.
    public func imageTier(width: Int, height: Int, steps: Int?, quality: ImageQuality?) -> ImagePriceTier? {
        images?.first { $0.matches(width: width, height: height, steps: steps, quality: quality) }
    }

    /// Every sourced price on the sheet with a dotted field name, for listing and validation.
    public var allPrices: [(field: String, price: SourcedPrice)] {
        var out: [(String, SourcedPrice)] = []
        if let onDemand { out += [("onDemand.inputPer1K", onDemand.inputPer1K), ("onDemand.outputPer1K", onDemand.outputPer1K)] }
        if let embedding {
            out.append(("embedding.inputPer1K", embedding.inputPer1K))
            if let p = embedding.perImage { out.append(("embedding.perImage", p)) }
        }
        for (i, tier) in (images ?? []).enumerated() { out.append(("images[\(i)]", tier.price)) }
        for term in CommitmentTerm.allCases {
            if let p = provisioned?.rate(for: term) { out.append(("provisioned.\(term.rawValue)", p)) }
        }
        if let p = trainingPer1KTokens { out.append(("trainingPer1KTokens", p)) }
        if let p = trainingPerImage { out.append(("trainingPerImage", p)) }
        if let p = storagePerMonth { out.append(("storagePerMonth", p)) }
        return out
    }
}
