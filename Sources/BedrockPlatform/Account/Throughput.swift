// Provisioned throughput: bookings in model units with commitment terms, commitment quota,
// billing per model-unit-hour as the virtual clock moves, and the token buckets that enforce
// each booking's capacity. Billing's `ProvisionedThroughput` decides; its state is kept in the
// workspace as one JSON document, read and written inside the operation's transaction.
import Billing
import Catalog
import Foundation
import Workspace

extension Platform {
    static let throughputSettingKey = "provisioned_throughput"

    /// Runs `body` on the stored throughput state and saves what it leaves, in one transaction.
    func withThroughput<T>(in tx: WorkspaceTransaction, _ body: (inout ProvisionedThroughput) throws -> T) throws -> T {
        var state = try settingDocument(Self.throughputSettingKey, default: ProvisionedThroughput(), in: tx)
        let result = try body(&state)
        try mirror(state, in: tx)
        try saveSettingDocument(state, Self.throughputSettingKey, in: tx)
        return result
    }

    /// Keeps the workspace's booking rows in step with Billing's state, so the invocation log can
    /// reference the booking that served a request and the table can be inspected with sqlite3.
    /// (The JSON document stays the source of truth: it holds what the rows have no columns for,
    /// such as a pending model update.)
    private func mirror(_ state: ProvisionedThroughput, in tx: WorkspaceTransaction) throws {
        let now = try tx.now().billing
        for b in state.bookings {
            let status = b.status(at: now)
            let row = ThroughputBooking(
                arn: b.arn, name: b.name, modelID: b.modelID, units: b.modelUnits,
                term: BookingTerm(rawValue: b.term.rawValue) ?? .noCommitment,
                state: status == .inService ? .inService : status == .updating ? .updating : status == .failed ? .failed : .creating,
                createdAt: StoredTime(b.createdAt), expiresAt: b.expiresAt.map(StoredTime.init),
                billedThrough: StoredTime(b.billedThrough), deletedAt: b.deletedAt.map(StoredTime.init))
            if try tx.booking(arn: b.arn) == nil { try tx.insertBooking(row) } else { try tx.updateBooking(row) }
        }
    }

    func accrueThroughput(through time: Billing.VirtualTime, in tx: WorkspaceTransaction) throws -> [ThroughputCharge] {
        let charges = try withThroughput(in: tx) { $0.accrue(through: time) }
        try record(charges, in: tx)
        return charges
    }

    func record(_ charges: [ThroughputCharge], in tx: WorkspaceTransaction) throws {
        for c in charges {
            try charge(.provisionedThroughput, modelID: c.modelID,
                       quantities: ChargeQuantities(modelUnits: c.modelUnits, hours: c.hours), amount: c.amount,
                       note: "\(c.bookingARN) \(c.from.display) → \(c.to.display)", at: c.to, in: tx)
        }
    }

    /// CreateProvisionedModelThroughput. The booking is Creating, then InService after the policy's
    /// delay on the virtual clock. Commitment terms need commitment quota (`requestQuota`).
    public func book(modelID: String, units: Int, term: CommitmentTerm, name: String) throws -> Booking {
        let card = try model(id: modelID)
        if card.isImported {
            throw BedrockError.validation("\(card.name) is an imported model: it is served on demand and billed per Custom Model Unit "
                                          + "per minute; provisioned throughput is not offered for it")
        }
        try checkAccess(card)
        return try workspace.write { tx in
            let now = try tx.now().billing
            // A booking commits at least its first hour, or its whole term: that is what the budget weighs.
            let hours = max(1, pricing.minimumHours(term))
            let rate = try pricing.hourlyRate(card, term: term).usd
            try checkBudget(estimate: rate * Decimal(units) * Decimal(hours), in: tx)
            return try withThroughput(in: tx) { try $0.book(model: card, name: name, units: units, term: term, at: now) }
        }
    }

    /// ListProvisionedModelThroughputs, with each booking's status at the current virtual time.
    public func bookings() throws -> [(booking: Booking, status: BookingStatus)] {
        try workspace.write { tx in
            let now = try tx.now().billing
            return try withThroughput(in: tx) { state in state.bookings.map { ($0, $0.status(at: now)) } }
        }
    }

    /// One booking by ARN, short ID or name.
    public func booking(_ reference: String) throws -> Booking {
        try workspace.write { tx in try withThroughput(in: tx) { try $0.booking(reference) } }
    }

    /// DeleteProvisionedModelThroughput: allowed for no-commitment bookings; a committed one is
    /// refused with its expiry date. Bills the hours used up to now.
    @discardableResult
    public func cancelBooking(_ reference: String) throws -> [ThroughputCharge] {
        try workspace.write { tx in
            let now = try tx.now().billing
            let charges = try withThroughput(in: tx) { try $0.delete(reference, at: now) }
            try record(charges, in: tx)
            return charges
        }
    }

    /// UpdateProvisionedModelThroughput: a custom model may be swapped only for its base or a
    /// sibling custom model of the same base.
    public func updateBooking(_ reference: String, modelID: String) throws -> Booking {
        let card = try model(id: modelID)
        try checkAccess(card)
        return try workspace.write { tx in
            let now = try tx.now().billing
            return try withThroughput(in: tx) { try $0.update(reference, to: card, at: now) }
        }
    }

    /// Raises the commitment quota for a base model (on Bedrock, a Service Quotas request).
    public func requestQuota(modelID: String, units: Int) throws -> Int {
        let card = try model(id: modelID)
        return try workspace.write { tx in
            try withThroughput(in: tx) { try $0.requestCommitmentQuota(for: card.foundationModelID, units: units) }
        }
    }

    /// The in-service booking that serves `card`, if there is one.
    func servingBooking(for card: ModelCard, at time: Billing.VirtualTime, in tx: WorkspaceTransaction) throws -> Booking? {
        try withThroughput(in: tx) { state in
            state.bookings.first { $0.status(at: time) == .inService && $0.servedModelID(at: time) == card.id }
        }
    }
}
