// Every worked example of reference §7 ("Worked example (us-east-1, illustrative)"), reproduced to
// the cent from the shipped catalog prices. Figures quoted in each test are the reference's own.
import Catalog
import Foundation
import Testing
@testable import Billing

func usd(_ text: String) -> Decimal { Decimal(string: text)! }

@Suite struct WorkedExampleTests {
    let catalog = try! Catalog.standard()
    var pricing: Pricing { Pricing(policies: catalog.policies) }

    /// 1. Claude 3 Haiku chat app: 10,000 requests a day × 1,500 input + 300 output tokens.
    @Test func example1ClaudeHaikuChatApp() throws {
        let haiku = try catalog.model(id: "anthropic.claude-3-haiku-20240307-v1:0")
        let day = try pricing.onDemand(haiku, inputTokens: 1500, outputTokens: 300, requests: 10_000)
        #expect(day.line("input tokens")?.amount == usd("3.75"))   // 15,000K × $0.00025
        #expect(day.line("output tokens")?.amount == usd("3.75"))  // 3,000K × $0.00125
        #expect(day.total == usd("7.50"))
        #expect(day.line("input tokens")?.arithmetic == "1,500 × 10,000 requests = 15,000,000 tokens = 15,000K × $0.00025 per 1K")
        let month = try pricing.onDemand(haiku, inputTokens: 1500, outputTokens: 300, requests: 10_000, days: 30)
        #expect(month.total == usd("225"))
        #expect(month.line("per day")?.amount == usd("7.50"))
        let batch = try pricing.batch(haiku, inputTokens: 1500, outputTokens: 300, requests: 10_000, days: 30)
        #expect(batch.total == usd("112.50"))
        #expect(batch.notes.contains { $0.contains("approximate") })
    }

    /// 2. The same prompts on Titan Text Express: 15,000 × 0.0002 + 3,000 × 0.0006 = $4.80 a day.
    @Test func example2TitanExpress() throws {
        let express = try catalog.model(id: "amazon.titan-text-express-v1")
        let q = try pricing.onDemand(express, inputTokens: 1500, outputTokens: 300, requests: 10_000)
        #expect(q.line("input tokens")?.amount == usd("3.00"))
        #expect(q.line("output tokens")?.amount == usd("1.80"))
        #expect(q.total == usd("4.80"))
        #expect(q.render().hasSuffix("total:         $4.80"))
    }

    /// 3. Fine-tune Titan Text Express: 2,000 records × 400 tokens × 3 epochs × $0.008 = $19.20,
    ///    $1.95 a month storage, PT 1 MU no-commit $20.50 × 730 h ≈ $14,965 a month
    ///    (6-month term ≈ $10,804 a month).
    @Test func example3FineTuneAndHostTitanExpress() throws {
        let express = try catalog.model(id: "amazon.titan-text-express-v1")
        let training = try pricing.training(express, records: 2000, tokensPerRecord: 400, epochs: 3)
        #expect(training.total == usd("19.20"))
        #expect(training.line("tokens processed")?.arithmetic == "800K tokens × 3 epochs = 2,400K tokens")
        #expect(try pricing.training(express, tokens: 800_000, epochs: 3).total == usd("19.20"))
        #expect(try pricing.storage(express, months: 1).total == usd("1.95"))
        let noCommit = try pricing.provisioned(express, units: 1, term: .noCommitment, hours: 730)
        #expect(noCommit.total == usd("14965"))
        let sixMonths = try pricing.provisioned(express, units: 1, term: .sixMonths)
        #expect(sixMonths.line("per month")?.amount == usd("10804"))
        #expect(sixMonths.total == usd("64824"))  // the whole 4,380-hour term
        // Lesson: hosting costs far more than training.
        #expect(noCommit.total > training.total * 100)
    }

    /// 4. Images: 500 SDXL 1024² at ≤50 steps = $20; 500 Titan standard 1024² ≈ $5.
    @Test func example4Images() throws {
        let sdxl = try catalog.model(id: "stability.stable-diffusion-xl-v1")
        #expect(try pricing.images(sdxl, count: 500, width: 1024, height: 1024, steps: 50).total == usd("20"))
        let titan = try catalog.model(id: "amazon.titan-image-generator-v1")
        #expect(try pricing.images(titan, count: 500, width: 1024, height: 1024, quality: .standard).total == usd("5"))
    }
}
