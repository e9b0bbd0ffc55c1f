// Price questions beyond §7's examples: tiers, embeddings, minimum terms, break-even, refusals.
import Catalog
import Foundation
import Testing
@testable import Billing

@Suite struct PricingTests {
    let catalog = try! Catalog.standard()
    var pricing: Pricing { Pricing(policies: catalog.policies) }

    @Test func imageTiersBySizeStepsAndQuality() throws {
        let sdxl = try catalog.model(id: "stability.stable-diffusion-xl-v1")
        #expect(try pricing.images(sdxl, count: 1, steps: 51).total == usd("0.08"))
        #expect(try pricing.images(sdxl, count: 1, width: 1536, height: 640, steps: 30).total == usd("0.04"))
        let titan = try catalog.model(id: "amazon.titan-image-generator-v1")
        #expect(try pricing.images(titan, count: 10, width: 512, height: 512).total == usd("0.08"))
        #expect(try pricing.images(titan, count: 10, width: 512, height: 512, quality: .premium).total == usd("0.10"))
        #expect(try pricing.images(titan, count: 10, quality: .premium).total == usd("0.12"))
        #expect(throws: BillingError.noImageTier(modelID: titan.id, size: "2048x2048", steps: nil, quality: nil,
                                                 tiers: titan.prices.images!.map(\.label))) {
            try pricing.images(titan, count: 1, width: 2048, height: 2048)
        }
    }

    @Test func embeddingsChargeInputOnly() throws {
        let v2 = try catalog.model(id: "amazon.titan-embed-text-v2:0")
        let q = try pricing.embeddings(v2, inputTokens: 500, requests: 2000)
        #expect(q.total == usd("0.02"))  // 1,000K × $0.00002
        let mm = try catalog.model(id: "amazon.titan-embed-image-v1")
        #expect(try pricing.embeddings(mm, inputTokens: 100, requests: 10, images: 10).total == usd("0.0014"))
        #expect(throws: BillingError.noPrice(modelID: v2.id, what: "image-embedding")) {
            try pricing.embeddings(v2, inputTokens: 1, images: 1)
        }
    }

    @Test func minimumTermHoursApply() throws {
        let lite = try catalog.model(id: "amazon.titan-text-lite-v1")
        let q = try pricing.provisioned(lite, units: 2, term: .oneMonth, hours: 24)
        #expect(q.total == usd("9344"))  // 2 × 730 × $6.40
        #expect(q.line("hours")?.arithmetic.contains("bills at least 730 hours") == true)
        let hourly = try pricing.provisioned(lite, units: 2, term: .noCommitment, hours: 24)
        #expect(hourly.total == usd("340.80"))  // 2 × 24 × $7.10
    }

    @Test func termsAndModelsThatCannotBeBooked() throws {
        let claude2 = try catalog.model(id: "anthropic.claude-v2")
        #expect(throws: BillingError.termNotOffered(modelID: claude2.id, term: .noCommitment, offered: [.oneMonth, .sixMonths])) {
            try pricing.provisioned(claude2, units: 1, term: .noCommitment)
        }
        let opus = try catalog.model(id: "anthropic.claude-3-opus-20240229-v1:0")
        #expect(throws: BillingError.notProvisionable(modelID: opus.id)) { try pricing.provisioned(opus, units: 1, term: .oneMonth) }
        let base = try catalog.model(id: "meta.llama2-13b-v1")
        #expect(throws: BillingError.notOnDemand(modelID: base.id, isCustom: false)) {
            try pricing.onDemand(base, inputTokens: 1, outputTokens: 1)
        }
        #expect(throws: BillingError.invalidQuantity(name: "input tokens", value: "-1", expected: "0 or more")) {
            try pricing.onDemand(opus, inputTokens: -1, outputTokens: 1)
        }
    }

    @Test func customModelsAreProvisionedOnlyAtTheBaseRate() throws {
        let base = try catalog.model(id: "amazon.titan-text-express-v1")
        let custom = try catalog.customModel(suffix: "c1", name: "c1", base: base, customization: .fineTuning,
                                             hyperparameters: try base.resolveHyperparameters([:]).get())
        #expect(throws: BillingError.notOnDemand(modelID: custom.id, isCustom: true)) {
            try pricing.onDemand(custom, inputTokens: 10, outputTokens: 10)
        }
        #expect(try pricing.provisioned(custom, units: 1, term: .noCommitment, hours: 730).total == usd("14965"))
        #expect(try pricing.storage(custom, months: 3).total == usd("5.85"))
    }

    /// Titan Express, 1,500 in + 300 out per request ($0.0003 + $0.00018 = $0.00048), 1 MU at $20.50/h:
    /// 20.50 / 0.00048 = 42,708.3 requests per hour = 1,025,000 per day.
    @Test func breakEvenTitanExpress() throws {
        let express = try catalog.model(id: "amazon.titan-text-express-v1")
        let be = try pricing.breakEven(express, inputTokensPerRequest: 1500, outputTokensPerRequest: 300)
        #expect(be.onDemandCostPerRequest == usd("0.00048"))
        #expect(be.provisionedCostPerHour == usd("20.50"))
        #expect(Money.rounded(be.requestsPerHour, places: 1) == usd("42708.3"))
        #expect(Money.rounded(be.requestsPerDay, places: 0) == usd("1025000"))
        #expect(Money.rounded(be.tokensPerHour, places: 0) == usd("76875000"))
        // 1 MU serves 20,000 input tokens a minute = 800 such requests an hour: far below break-even.
        #expect(be.capacityRequestsPerHour == usd("800"))
        #expect(be.notes.contains { $0.contains("exceeds what the booked units can serve") })
        // At the 6-month rate the break-even load is lower.
        let six = try pricing.breakEven(express, inputTokensPerRequest: 1500, outputTokensPerRequest: 300, term: .sixMonths)
        #expect(six.requestsPerHour < be.requestsPerHour)
        #expect(Money.rounded(six.requestsPerHour * six.onDemandCostPerRequest, places: 2) == usd("14.80"))
    }

    /// Sub-cent amounts keep 6 decimals on display (0.00000375 → $0.000004); the total stays exact.
    @Test func quoteRendersArithmeticAndRoundedTotal() throws {
        let haiku = try catalog.model(id: "anthropic.claude-3-haiku-20240307-v1:0")
        let quote = try pricing.onDemand(haiku, inputTokens: 15, outputTokens: 3)
        #expect(quote.total == usd("0.0000075"))
        let text = quote.render()
        #expect(text == """
        On-demand inference: Claude 3 Haiku (anthropic.claude-3-haiku-20240307-v1:0)
          input tokens:  15 tokens = 0.015K × $0.00025 per 1K = $0.000004
          output tokens: 3 tokens = 0.003K × $0.00125 per 1K = $0.000004
          total:         $0.000008
          note:          approximate price (§1.1 [~] (GovCloud [L] 0.0003/0.0015))
        """)
    }

    @Test func humanEvaluationPerTask() throws {
        let q = try pricing.humanEvaluation(tasks: 100)
        #expect(q.total == usd("21"))
        #expect(q.notes.first?.hasPrefix("approximate price") == true)
    }

    @Test func moneyFormatting() {
        #expect(Money.format(usd("14965")) == "$14,965.00")
        #expect(Money.format(usd("7.5")) == "$7.50")
        #expect(Money.format(usd("0.005")) == "$0.005")
        #expect(Money.format(usd("0.0000001")) == "$0.00")
        #expect(Money.format(usd("-1234.567")) == "-$1,234.57")
        #expect(Money.rate(usd("20.5")) == "$20.50")
        #expect(Money.rate(usd("0.000035")) == "$0.000035")
        #expect(Money.rounded(usd("2.675")) == usd("2.68"))
    }
}
