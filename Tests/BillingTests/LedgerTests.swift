// Ledger aggregation by model, kind and day; exact Codable round trip; budgets refusing in advance.
import Catalog
import Foundation
import Testing
@testable import Billing

@Suite struct LedgerTests {
    func sample() -> Ledger {
        var ledger = Ledger()
        let day1 = VirtualTime.epoch, day2 = VirtualTime.epoch + .days(1) + .hours(3)
        ledger.record(.onDemandInference, modelID: "amazon.titan-text-express-v1",
                      quantities: .init(inputTokens: 1500, outputTokens: 300, requests: 1), amount: usd("0.00048"), at: day1, note: "invoke")
        ledger.record(.onDemandInference, modelID: "amazon.titan-text-express-v1",
                      quantities: .init(inputTokens: 1500, outputTokens: 300, requests: 1), amount: usd("0.00048"), at: day1 + .hours(23))
        ledger.record(.training, modelID: "amazon.titan-text-express-v1", quantities: .init(trainedTokens: 800_000, epochs: 3),
                      amount: usd("19.20"), at: day2)
        ledger.record(.embedding, modelID: "amazon.titan-embed-text-v2:0", quantities: .init(inputTokens: 1000), amount: usd("0.00002"), at: day2)
        ledger.record(.provisionedThroughput, modelID: "custom-1", quantities: .init(modelUnits: 1, hours: 2), amount: usd("41"), at: day2)
        return ledger
    }

    @Test func totalsByModelKindAndDay() {
        let ledger = sample()
        #expect(ledger.total == usd("60.20098"))
        #expect(ledger.totalsByModel() == [
            LedgerTotal(key: "custom-1", amount: usd("41"), entries: 1),
            LedgerTotal(key: "amazon.titan-text-express-v1", amount: usd("19.20096"), entries: 3),
            LedgerTotal(key: "amazon.titan-embed-text-v2:0", amount: usd("0.00002"), entries: 1),
        ])
        #expect(ledger.totalsByKind().map(\.key) == ["onDemandInference", "embedding", "training", "provisionedThroughput"])
        #expect(ledger.totalsByKind()[0].amount == usd("0.00096"))
        #expect(ledger.totalsByDay() == [
            LedgerTotal(key: "2025-01-01", amount: usd("0.00096"), entries: 2),
            LedgerTotal(key: "2025-01-02", amount: usd("60.20002"), entries: 3),
        ])
        #expect(ledger.entries.map(\.id) == [1, 2, 3, 4, 5])
    }

    @Test func sessionSlice() {
        let ledger = sample()
        let session = ledger.between(.epoch + .days(1))
        #expect(session.entries.count == 3)
        #expect(session.total == usd("60.20002"))
        #expect(ledger.between(.epoch, .epoch + .hours(1)).total == usd("0.00048"))
    }

    @Test func codableRoundTripIsExact() throws {
        let ledger = sample()
        let json = try JSONEncoder().encode(ledger)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains("\"amount\":\"0.00048\""))
        #expect(try JSONDecoder().decode(Ledger.self, from: json) == ledger)
    }

    @Test func reportListsSections() {
        let report = sample().report()
        #expect(report.hasPrefix("Spend: $60.20 in 5 charges"))
        #expect(report.contains("custom-1"))
        #expect(report.contains("2025-01-02"))
        #expect(report.contains("provisionedThroughput"))
        #expect(Ledger().report() == "Spend: nothing charged yet")
    }

    @Test func budgetRefusesBeforeRunning() throws {
        let budget = try Budget(limit: usd("5.00"))
        var ledger = Ledger()
        ledger.record(.onDemandInference, modelID: "m", amount: usd("4.80"), at: .epoch)
        try budget.check(ledger, estimate: usd("0.20"))  // exactly reaches the limit: allowed
        #expect(throws: BillingError.budgetExceeded(limit: usd("5.00"), spent: usd("4.80"), estimate: usd("0.21"))) {
            try budget.check(ledger, estimate: usd("0.21"))
        }
        #expect(budget.remaining(spent: ledger.total) == usd("0.20"))
        let message = BillingError.budgetExceeded(limit: usd("5"), spent: usd("4.8"), estimate: usd("19.2")).description
        #expect(message == "budget exceeded: this operation would cost about $19.20; $4.80 of the $5.00 budget is spent, $0.20 remains")
        #expect(throws: BillingError.self) { try Budget(limit: usd("-1")) }
    }
}
