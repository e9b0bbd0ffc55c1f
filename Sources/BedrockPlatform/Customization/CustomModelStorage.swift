// Custom-model storage on the virtual clock: each custom model is billed its base's storage price
// (reference §7: $1.95 per model per month [~]) for every whole billing month (the catalog's 730
// hours) it has existed, when the clock passes the month's end. The months already billed are kept
// in the workspace settings as one JSON document, like provisioned throughput's state.
import Billing
import Catalog
import Foundation
import Workspace

extension Platform {
    static let storageSettingKey = "custom_model_storage"

    private func storageState(in tx: WorkspaceTransaction) throws -> [String: Int64] {
        try settingDocument(Self.storageSettingKey, default: [:], in: tx)
    }

    private func saveStorageState(_ state: [String: Int64], in tx: WorkspaceTransaction) throws {
        try saveSettingDocument(state, Self.storageSettingKey, in: tx)
    }

    /// Starts a new custom model's storage months at `time`.
    func startStorageBilling(arn: String, at time: Billing.VirtualTime, in tx: WorkspaceTransaction) throws {
        var state = try storageState(in: tx)
        state[arn] = time.secondsSince1970
        try saveStorageState(state, in: tx)
    }

    /// Bills every whole storage month that ended by `time`; returns the amounts recorded.
    @discardableResult
    public func accrueCustomModelStorage(through time: Billing.VirtualTime, in tx: WorkspaceTransaction) throws -> [Decimal] {
        var state = try storageState(in: tx)
        let month = Int64(catalog.policies.hoursPerMonth) * 3600
        var amounts: [Decimal] = []
        for row in try tx.customModels() {
            guard var billed = state[row.arn], let base = catalog.modelIfPresent(id: row.baseModelID),
                  let price = base.prices.storagePerMonth else { continue }
            let months = (time.secondsSince1970 - billed) / month
            guard months > 0 else { continue }
            let from = Billing.VirtualTime(secondsSince1970: billed)
            billed += months * month
            let amount = price.usd * Decimal(months)
            try charge(.storage, modelID: row.arn, quantities: ChargeQuantities(months: Int(months)), amount: amount,
                       note: "storage of \(row.name), \(from.display) → \(Billing.VirtualTime(secondsSince1970: billed).display)",
                       at: Billing.VirtualTime(secondsSince1970: billed), in: tx)
            state[row.arn] = billed
            amounts.append(amount)
        }
        try saveStorageState(state, in: tx)
        return amounts
    }
}
