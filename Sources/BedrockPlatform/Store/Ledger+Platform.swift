// The platform's side of money: recording charges, budgets, and the `cost` report.
// Amounts are Decimal from Billing's price sheet; the workspace keeps them exactly.
import Billing
import Catalog
import Foundation
import Workspace

/// Whose spending a cost report covers.
public enum CostScope: String, Sendable {
    case session, workspace
}

extension Platform {
    /// Records a charge inside the caller's transaction.
    @discardableResult
    func charge(_ kind: ChargeKind, modelID: String, quantities: ChargeQuantities, amount: Decimal,
                note: String, at time: Billing.VirtualTime, in tx: WorkspaceTransaction) throws -> StoredLedgerEntry {
        try tx.appendLedger(StoredLedgerEntry(kind: kind.rawValue, modelID: modelID, quantities: quantities.stored,
                                              amount: amount, time: StoredTime(time), note: note, sessionID: sessionID))
    }

    /// The spending limit, if one is set.
    public func budget() throws -> Decimal? { try workspace.read { try $0.budget() } }

    /// Sets (or with nil, removes) the spending limit. Later operations whose estimated cost would
    /// take the workspace's total past it fail before they run.
    public func setBudget(_ dollars: Decimal?) throws {
        if let dollars { _ = try Budget(limit: dollars) }
        try workspace.write { try $0.setBudget(dollars) }
    }

    /// Refuses an operation estimated at `estimate` when it would exceed the budget.
    func checkBudget(estimate: Decimal, in tx: WorkspaceTransaction) throws {
        guard let limit = try tx.budget() else { return }
        let spent = try tx.ledgerTotal()
        try Budget(limit: limit).check(spent: spent, estimate: estimate)
    }

    /// The ledger of this session or of the whole workspace.
    public func ledger(_ scope: CostScope) throws -> Billing.Ledger {
        let rows = try workspace.read { try $0.ledger(sessionID: scope == .session ? sessionID : nil) }
        return Billing.Ledger(stored: rows)
    }

    /// The `cost` report: this session's spend and the workspace's, by model, kind and day.
    public func costReport() throws -> String {
        let session = try ledger(.session).report(title: "This session")
        let all = try ledger(.workspace).report(title: "Workspace")
        var text = session + "\n" + all
        if let limit = try budget() {
            let spent = try ledger(.workspace).total
            text += "\nBudget: \(Money.format(limit)), \(Money.format(max(0, limit - spent))) left"
        }
        return text
    }
}
