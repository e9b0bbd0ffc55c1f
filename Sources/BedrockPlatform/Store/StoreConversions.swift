// Conversions between Billing's value types and the workspace's rows: time, ledger entries and
// their quantities. Billing decides what a charge is; the workspace keeps it exactly (Decimal text).
import Billing
import Foundation
import Workspace

extension StoredTime {
    init(_ t: Billing.VirtualTime) { self.init(seconds: t.secondsSince1970) }
    var billing: Billing.VirtualTime { Billing.VirtualTime(secondsSince1970: seconds) }
}

extension ChargeQuantities {
    /// The quantities as the workspace stores them: name → exact decimal.
    var stored: [String: Decimal] {
        var out: [String: Decimal] = [:]
        let fields: [(String, Int?)] = [
            ("inputTokens", inputTokens), ("outputTokens", outputTokens), ("requests", requests), ("images", images),
            ("trainedTokens", trainedTokens), ("epochs", epochs), ("modelUnits", modelUnits), ("hours", hours),
            ("months", months), ("tasks", tasks), ("minutes", minutes),
        ]
        for (name, value) in fields { if let value { out[name] = Decimal(value) } }
        return out
    }

    init(stored: [String: Decimal]) {
        func int(_ name: String) -> Int? { stored[name].map { NSDecimalNumber(decimal: $0).intValue } }
        self.init(inputTokens: int("inputTokens"), outputTokens: int("outputTokens"), requests: int("requests"),
                  images: int("images"), trainedTokens: int("trainedTokens"), epochs: int("epochs"),
                  modelUnits: int("modelUnits"), hours: int("hours"), months: int("months"), tasks: int("tasks"),
                  minutes: int("minutes"))
    }
}

extension Billing.Ledger {
    /// A Billing ledger (for totals and reports) from stored rows, in their stored order.
    init(stored rows: [StoredLedgerEntry]) {
        var ledger = Billing.Ledger()
        for row in rows {
            ledger.record(ChargeKind(rawValue: row.kind) ?? .onDemandInference, modelID: row.modelID ?? "-",
                          quantities: ChargeQuantities(stored: row.quantities), amount: row.amount,
                          at: row.time.billing, note: row.note)
        }
        self = ledger
    }
}
