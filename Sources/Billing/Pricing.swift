// Price questions that spend nothing: on-demand, batch, embeddings, images, training and storage,
// each answered as a PriceQuote with its arithmetic. Provisioned throughput and break-even are in
// ProvisionedPricing.swift. All money is Decimal; nothing here rounds.
import Catalog
import Foundation

/// Answers price questions from catalog prices and policies (batch factor, month length).
public struct Pricing: Sendable {
    public let policies: CatalogPolicies

    public init(policies: CatalogPolicies) { self.policies = policies }

    /// Input and output tokens per request × requests (× days) at on-demand prices.
    public func onDemand(_ m: ModelCard, inputTokens: Int, outputTokens: Int, requests: Int = 1,
                         days: Int? = nil) throws(BillingError) -> PriceQuote {
        try tokenQuote(m, inputTokens: inputTokens, outputTokens: outputTokens, requests: requests, days: days, batch: false)
    }

    /// The same load as a batch job, at the batch factor of on-demand (reference §7: ~50%).
    public func batch(_ m: ModelCard, inputTokens: Int, outputTokens: Int, requests: Int = 1,
                      days: Int? = nil) throws(BillingError) -> PriceQuote {
        try tokenQuote(m, inputTokens: inputTokens, outputTokens: outputTokens, requests: requests, days: days, batch: true)
    }

    private func tokenQuote(_ m: ModelCard, inputTokens: Int, outputTokens: Int, requests: Int, days: Int?,
                            batch: Bool) throws(BillingError) -> PriceQuote {
        try requireOnDemand(m)
        guard let prices = m.prices.onDemand else { throw .noPrice(modelID: m.id, what: "on-demand token") }
        try nonNegative(("input tokens", inputTokens), ("output tokens", outputTokens), ("requests", requests))
        var lines: [PriceQuote.Line] = []
        var subtotal = Decimal(0)
        let factor = batch ? policies.batchFactor.value : 1
        for (label, perRequest, price) in [("input tokens", inputTokens, prices.inputPer1K), ("output tokens", outputTokens, prices.outputPer1K)] {
            let tokens = Decimal(perRequest) * Decimal(requests)
            let rate = price.usd * factor
            let amount = tokens / 1000 * rate
            var arithmetic = requests == 1 ? "\(Show.count(perRequest)) tokens" : "\(Show.count(perRequest)) × \(Show.count(requests)) requests = \(Show.count(tokens)) tokens"
            arithmetic += " = \(Show.thousands(tokens)) × \(Money.rate(rate)) per 1K"
            if batch { arithmetic += " (\(Money.rate(price.usd)) × \(Money.quantity(factor)) batch)" }
            lines.append(.init(label: label, arithmetic: arithmetic, amount: amount))
            subtotal += amount
        }
        let total = repeated(subtotal, days: days, lines: &lines)
        let kind = batch ? "Batch inference" : "On-demand inference"
        return PriceQuote(title: "\(kind): \(m.name) (\(m.id))", modelID: m.id, lines: lines, total: total,
                          notes: notes([prices.inputPer1K, prices.outputPer1K], batch ? [policies.batchFactor.source] : []))
    }

    /// Embeddings bill input tokens only (plus input images for multimodal embeddings).
    public func embeddings(_ m: ModelCard, inputTokens: Int, requests: Int = 1, images: Int = 0,
                           days: Int? = nil) throws(BillingError) -> PriceQuote {
        try requireOnDemand(m)
        guard let prices = m.prices.embedding else { throw .noPrice(modelID: m.id, what: "embedding") }
        try nonNegative(("input tokens", inputTokens), ("requests", requests), ("images", images))
        let tokens = Decimal(inputTokens) * Decimal(requests)
        let tokenAmount = tokens / 1000 * prices.inputPer1K.usd
        let perRequest = requests == 1 ? "" : "\(Show.count(inputTokens)) × \(Show.count(requests)) requests = "
        var lines: [PriceQuote.Line] = [.init(label: "input tokens", arithmetic: "\(perRequest)\(Show.count(tokens)) tokens = \(Show.thousands(tokens)) × \(Money.rate(prices.inputPer1K.usd)) per 1K", amount: tokenAmount)]
        var subtotal = tokenAmount
        var used = [prices.inputPer1K]
        if images > 0 {
            guard let perImage = prices.perImage else { throw .noPrice(modelID: m.id, what: "image-embedding") }
            let amount = Decimal(images) * perImage.usd
            lines.append(.init(label: "input images", arithmetic: "\(Show.count(images)) × \(Money.rate(perImage.usd)) per image", amount: amount))
            subtotal += amount
            used.append(perImage)
        }
        lines.append(.init(label: "output", arithmetic: "embeddings are not charged", amount: nil))
        let total = repeated(subtotal, days: days, lines: &lines)
        return PriceQuote(title: "Embeddings: \(m.name) (\(m.id))", modelID: m.id, lines: lines, total: total, notes: notes(used))
    }

    /// `count` images of `width`×`height` at `steps` and `quality`, priced by the matching tier.
    public func images(_ m: ModelCard, count: Int, width: Int = 1024, height: Int = 1024, steps: Int? = nil,
                       quality: ImageQuality? = nil) throws(BillingError) -> PriceQuote {
        try requireOnDemand(m)
        guard let tiers = m.prices.images, !tiers.isEmpty else { throw .noPrice(modelID: m.id, what: "per-image") }
        try nonNegative(("images", count))
        try positive(("width", width), ("height", height))
        guard let tier = m.prices.imageTier(width: width, height: height, steps: steps, quality: quality) else {
            throw .noImageTier(modelID: m.id, size: "\(width)x\(height)", steps: steps, quality: quality, tiers: tiers.map(\.label))
        }
        let amount = Decimal(count) * tier.price.usd
        let lines: [PriceQuote.Line] = [
            .init(label: "tier", arithmetic: "\(width)x\(height)\(steps.map { ", \($0) steps" } ?? "")\(quality.map { ", \($0.rawValue)" } ?? "") → \(tier.label)", amount: nil),
            .init(label: "images", arithmetic: "\(Show.count(count)) × \(Money.rate(tier.price.usd)) per image", amount: amount),
        ]
        return PriceQuote(title: "Images: \(m.name) (\(m.id))", modelID: m.id, lines: lines, total: amount, notes: notes([tier.price]))
    }

    /// Training cost: training-set tokens × epochs × price per 1K tokens (reference §7).
    public func training(_ m: ModelCard, tokens: Int, epochs: Int) throws(BillingError) -> PriceQuote {
        try trainingQuote(m, tokens: tokens, epochs: epochs, records: nil)
    }

    /// Training cost from records × average tokens per record (the §7 worked example's form).
    public func training(_ m: ModelCard, records: Int, tokensPerRecord: Int, epochs: Int) throws(BillingError) -> PriceQuote {
        try nonNegative(("records", records), ("tokens per record", tokensPerRecord))
        return try trainingQuote(m, tokens: records * tokensPerRecord, epochs: epochs, records: (records, tokensPerRecord))
    }

    private func trainingQuote(_ m: ModelCard, tokens: Int, epochs: Int, records: (Int, Int)?) throws(BillingError) -> PriceQuote {
        guard let price = m.prices.trainingPer1KTokens else { throw .noPrice(modelID: m.id, what: "per-token training") }
        try nonNegative(("tokens", tokens))
        try positive(("epochs", epochs))
        var lines: [PriceQuote.Line] = []
        if let (count, each) = records {
            lines.append(.init(label: "training set", arithmetic: "\(Show.count(count)) records × \(Show.count(each)) tokens = \(Show.thousands(Decimal(tokens))) tokens", amount: nil))
        }
        let processed = Decimal(tokens) * Decimal(epochs)
        lines.append(.init(label: "tokens processed", arithmetic: "\(Show.thousands(Decimal(tokens))) tokens × \(epochs) epoch\(epochs == 1 ? "" : "s") = \(Show.thousands(processed)) tokens", amount: nil))
        let amount = processed / 1000 * price.usd
        lines.append(.init(label: "training", arithmetic: "\(Show.thousands(processed)) × \(Money.rate(price.usd)) per 1K", amount: amount))
        let storage = m.prices.storagePerMonth.map { "storing the custom model adds \(Money.rate($0.usd)) a month, and invoking it needs provisioned throughput" }
        return PriceQuote(title: "Training: \(m.name) (\(m.id))", modelID: m.id, lines: lines, total: amount,
                          notes: notes([price], storage.map { [$0] } ?? []))
    }

    /// Image-model training, billed per image seen (reference §7, Titan Image ≈$0.005).
    public func trainingImages(_ m: ModelCard, imagesSeen: Int) throws(BillingError) -> PriceQuote {
        guard let price = m.prices.trainingPerImage else { throw .noPrice(modelID: m.id, what: "per-image training") }
        try nonNegative(("images seen", imagesSeen))
        let amount = Decimal(imagesSeen) * price.usd
        let line = PriceQuote.Line(label: "training", arithmetic: "\(Show.count(imagesSeen)) images seen × \(Money.rate(price.usd)) per image", amount: amount)
        return PriceQuote(title: "Training: \(m.name) (\(m.id))", modelID: m.id, lines: [line], total: amount, notes: notes([price]))
    }

    /// Custom-model storage for `months`.
    public func storage(_ m: ModelCard, months: Int = 1) throws(BillingError) -> PriceQuote {
        guard let price = m.prices.storagePerMonth else { throw .noPrice(modelID: m.id, what: "custom-model storage") }
        try nonNegative(("months", months))
        let amount = Decimal(months) * price.usd
        let line = PriceQuote.Line(label: "storage", arithmetic: "\(months) month\(months == 1 ? "" : "s") × \(Money.rate(price.usd)) per custom model per month", amount: amount)
        return PriceQuote(title: "Custom model storage: \(m.name) (\(m.id))", modelID: m.id, lines: [line], total: amount, notes: notes([price]))
    }

    /// Human evaluation: completed tasks × the per-task price (model inference is charged separately).
    public func humanEvaluation(tasks: Int) throws(BillingError) -> PriceQuote {
        try nonNegative(("tasks", tasks))
        let price = policies.humanEvaluationPerTask
        let amount = Decimal(tasks) * price.usd
        let line = PriceQuote.Line(label: "human tasks", arithmetic: "\(Show.count(tasks)) completed tasks × \(Money.rate(price.usd)) per task", amount: amount)
        return PriceQuote(title: "Human evaluation", modelID: "", lines: [line], total: amount,
                          notes: notes([price], ["the inference of the evaluated models is charged on top"]))
    }

    // MARK: shared helpers

    func requireOnDemand(_ m: ModelCard) throws(BillingError) {
        if !m.supportsOnDemand { throw .notOnDemand(modelID: m.id, isCustom: m.isCustom) }
    }

    /// Adds a "× N days" line when `days` is given and returns the final total.
    func repeated(_ subtotal: Decimal, days: Int?, lines: inout [PriceQuote.Line]) -> Decimal {
        guard let days else { return subtotal }
        let parts = lines.compactMap(\.amount).map(Money.detail).joined(separator: " + ")
        lines.append(.init(label: "per day", arithmetic: parts, amount: subtotal))
        let total = subtotal * Decimal(days)
        lines.append(.init(label: "\(days) days", arithmetic: "\(Money.detail(subtotal)) × \(days)", amount: total))
        return total
    }

    /// One note naming approximate prices, plus any extra notes.
    func notes(_ prices: [SourcedPrice], _ extra: [String] = []) -> [String] {
        let approx = prices.filter(\.approximate)
        var out = extra
        if !approx.isEmpty {
            let sources = Array(Set(approx.map(\.source))).sorted().joined(separator: "; ")
            out.insert("approximate price (\(sources))", at: 0)
        }
        return out
    }

    func nonNegative(_ values: (String, Int)...) throws(BillingError) {
        for (name, v) in values where v < 0 { throw .invalidQuantity(name: name, value: String(v), expected: "0 or more") }
    }

    func positive(_ values: (String, Int)...) throws(BillingError) {
        for (name, v) in values where v < 1 { throw .invalidQuantity(name: name, value: String(v), expected: "1 or more") }
    }
}
