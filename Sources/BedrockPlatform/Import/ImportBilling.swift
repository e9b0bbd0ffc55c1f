// Custom Model Import's charges on the virtual clock [~]. Inference: an invocation at a time no
// billed window covers starts a new 5-minute window of the model's CMUs ($0.0785 per CMU-minute);
// invocations inside a billed window add nothing (Bedrock bills active copies, not tokens).
// Storage: $1.95 per CMU for every whole 730-hour month the model has existed, billed when the
// clock passes the month's end. Both states are JSON documents in the workspace settings.
import Billing
import Catalog
import Foundation
import Workspace

extension Platform {
    static let importWindowSettingKey = "imported_model_windows"
    static let importStorageSettingKey = "imported_model_storage"

    private func state(_ key: String, in tx: WorkspaceTransaction) throws -> [String: Int64] {
        try settingDocument(key, default: [:], in: tx)
    }

    private func save(_ state: [String: Int64], _ key: String, in tx: WorkspaceTransaction) throws {
        try saveSettingDocument(state, key, in: tx)
    }

    /// What an invocation of `card` at `time` will be charged: a window's price, or 0 inside a billed window.
    func importWindowEstimate(_ card: ModelCard, at time: Billing.VirtualTime, in tx: WorkspaceTransaction) throws -> Decimal {
        let windows = try state(Self.importWindowSettingKey, in: tx)
        if let end = windows[card.id], time.secondsSince1970 < end { return 0 }
        return ImportPricing.windowPrice(units: card.custom?.imported?.customModelUnits ?? 1)
    }

    /// The ledger entry for a new window when `time` falls outside the billed one (nil inside it);
    /// records the window. The caller appends the entry (with the invocation that caused it).
    func importWindowCharge(_ card: ModelCard, at time: StoredTime, in tx: WorkspaceTransaction) throws -> StoredLedgerEntry? {
        var windows = try state(Self.importWindowSettingKey, in: tx)
        let now = time.billing.secondsSince1970
        if let end = windows[card.id], now < end { return nil }
        let units = card.custom?.imported?.customModelUnits ?? 1
        let minutes = ImportPricing.windowMinutes
        let end = Billing.VirtualTime(secondsSince1970: now + Int64(minutes * 60))
        windows[card.id] = end.secondsSince1970
        try save(windows, Self.importWindowSettingKey, in: tx)
        let note = "\(card.name): \(units) CMU × \(minutes) min × \(Money.rate(ImportPricing.perCMUMinute.usd)) [~], "
            + "window \(time.billing.display) → \(end.display)"
        return StoredLedgerEntry(kind: ChargeKind.customModelUnits.rawValue, modelID: card.id,
                                 quantities: ChargeQuantities(modelUnits: units, minutes: minutes).stored,
                                 amount: ImportPricing.windowPrice(units: units), time: time, note: note, sessionID: sessionID)
    }

    /// Starts a new imported model's storage months at `time`.
    func startImportedStorageBilling(arn: String, at time: Billing.VirtualTime, in tx: WorkspaceTransaction) throws {
        var s = try state(Self.importStorageSettingKey, in: tx)
        s[arn] = time.secondsSince1970
        try save(s, Self.importStorageSettingKey, in: tx)
    }

    /// Forgets a deleted model's windows and storage months.
    func stopImportedBilling(arn: String, in tx: WorkspaceTransaction) throws {
        for key in [Self.importWindowSettingKey, Self.importStorageSettingKey] {
            var s = try state(key, in: tx)
            s[arn] = nil
            try save(s, key, in: tx)
        }
    }

    /// Bills every whole storage month of every imported model that ended by `time`; returns the amounts.
    @discardableResult
    public func accrueImportedModelStorage(through time: Billing.VirtualTime, in tx: WorkspaceTransaction) throws -> [Decimal] {
        var s = try state(Self.importStorageSettingKey, in: tx)
        guard !s.isEmpty else { return [] }
        let month = Int64(catalog.policies.hoursPerMonth) * 3600
        var amounts: [Decimal] = []
        for row in try tx.importedModels() {
            guard var billed = s[row.arn] else { continue }
            let months = (time.secondsSince1970 - billed) / month
            guard months > 0 else { continue }
            let from = Billing.VirtualTime(secondsSince1970: billed)
            billed += months * month
            let amount = ImportPricing.storagePerCMUMonth.usd * Decimal(row.customModelUnits) * Decimal(months)
            try charge(.storage, modelID: row.arn, quantities: ChargeQuantities(modelUnits: row.customModelUnits, months: Int(months)),
                       amount: amount,
                       note: "storage of imported \(row.name), \(row.customModelUnits) CMU, \(from.display) → "
                           + Billing.VirtualTime(secondsSince1970: billed).display,
                       at: Billing.VirtualTime(secondsSince1970: billed), in: tx)
            s[row.arn] = billed
            amounts.append(amount)
        }
        try save(s, Self.importStorageSettingKey, in: tx)
        return amounts
    }
}
