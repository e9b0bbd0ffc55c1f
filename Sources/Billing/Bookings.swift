// Provisioned-throughput bookings: ARN-shaped IDs, the Creating → InService → (Updating) →
// Deleted/Failed life cycle on the virtual clock, commitment terms with expiry dates, commitment
// quota per base model, Bedrock's delete and update rules, and hourly accrual of cost. Pure state
// in Codable structs that the platform persists; prices come from the catalog card passed in.
import Catalog
import Foundation

public enum BookingStatus: String, Sendable, Codable, CaseIterable {
    case creating = "Creating", inService = "InService", updating = "Updating", failed = "Failed", deleted = "Deleted"
}

/// Timings and limits of the simulation (documented figures; AWS gives no exact ones).
public struct ThroughputPolicy: Sendable, Equatable, Codable {
    /// Creating → InService.
    public var creationDelay: VirtualDuration = .minutes(10)
    /// Updating → InService with the new model.
    public var updateDelay: VirtualDuration = .minutes(10)
    /// No-commitment model units per base model (reference §6: a small default, ≈2).
    public var noCommitmentUnitsPerModel: Int = 2
    /// Hours in a commitment month (730, as in reference §7).
    public var hoursPerMonth: Int = 730
    /// Per-unit capacity by base model ID, replacing the catalog's figure (which is the project's
    /// own default: AWS publishes none).
    public var capacityOverrides: [String: ThroughputPerUnit] = [:]

    public init() {}

    /// The capacity of one model unit of `model`: an override for its base, else the catalog figure.
    public func capacity(for model: ModelCard) -> ThroughputPerUnit? {
        capacityOverrides[model.foundationModelID] ?? model.throughputPerModelUnit
    }
}

/// One provisioned model (CreateProvisionedModelThroughput's result).
public struct Booking: Sendable, Equatable, Codable, Identifiable {
    /// The short ID at the end of the ARN.
    public let id: String
    public let arn: String
    public let name: String
    /// The model served (a foundation model ID or a custom-model ARN).
    public internal(set) var modelID: String
    /// The model an update is switching to, until `updateReadyAt`.
    public internal(set) var desiredModelID: String?
    public internal(set) var updateReadyAt: VirtualTime?
    /// The base model whose rate, quota and engine apply.
    public let foundationModelID: String
    public let modelUnits: Int
    public let term: CommitmentTerm
    /// Price of one model unit per hour for this term.
    public let hourlyRate: Decimal
    public let createdAt: VirtualTime
    /// When creation finishes; billing and any commitment start here.
    public let inServiceAt: VirtualTime
    /// End of the commitment (nil without one).
    public let expiresAt: VirtualTime?
    public internal(set) var deletedAt: VirtualTime?
    public internal(set) var failure: String?
    /// Cost has been accrued up to here.
    public internal(set) var billedThrough: VirtualTime

    /// The status at `time` (transitions are due to the clock, so status is a function of time).
    public func status(at time: VirtualTime) -> BookingStatus {
        if failure != nil { return .failed }
        if let deletedAt, time >= deletedAt { return .deleted }
        if time < inServiceAt { return .creating }
        if let ready = updateReadyAt, time < ready { return .updating }
        return .inService
    }

    /// The model serving requests at `time` (an update takes effect when it completes).
    public func servedModelID(at time: VirtualTime) -> String {
        if let desired = desiredModelID, let ready = updateReadyAt, time >= ready { return desired }
        return modelID
    }

    /// Units × term hours × rate: what the commitment will cost in full (0 without one).
    public func committedCost(hoursPerMonth: Int = 730) -> Decimal {
        Decimal(modelUnits) * Decimal(term.months * hoursPerMonth) * hourlyRate
    }

    /// Applies a finished update.
    mutating func settle(at time: VirtualTime) {
        if let desired = desiredModelID, let ready = updateReadyAt, time >= ready {
            modelID = desired
            desiredModelID = nil
            updateReadyAt = nil
        }
    }
}

/// Cost accrued by one booking over whole model-unit-hours, all starting on one UTC day.
public struct ThroughputCharge: Sendable, Equatable, Codable {
    public let bookingARN: String
    public let modelID: String
    public let modelUnits: Int
    public let hours: Int
    public let hourlyRate: Decimal
    public let amount: Decimal
    public let from: VirtualTime
    public let to: VirtualTime

    /// Records this charge in `ledger` as provisioned throughput, dated when its hours start.
    @discardableResult
    public func record(in ledger: inout Ledger) -> LedgerEntry {
        ledger.record(.provisionedThroughput, modelID: modelID,
                      quantities: ChargeQuantities(modelUnits: modelUnits, hours: hours), amount: amount, at: from,
                      note: "\(bookingARN): \(modelUnits) unit\(modelUnits == 1 ? "" : "s") × \(hours) h × \(Money.rate(hourlyRate)) (\(from.display) – \(to.display))")
    }
}

/// Every booking and quota of one account: the state the platform persists.
public struct ProvisionedThroughput: Sendable, Equatable, Codable {
    public private(set) var bookings: [Booking] = []
    /// Commitment model units granted per base model; absent means 0 (Bedrock's default).
    public private(set) var commitmentQuota: [String: Int] = [:]
    public var policy: ThroughputPolicy
    private var sequence = 0

    public init(policy: ThroughputPolicy = ThroughputPolicy()) { self.policy = policy }

    /// Rebuilds saved state (e.g. from workspace rows); `sequence` is how many bookings were ever made.
    public init(bookings: [Booking], commitmentQuota: [String: Int], sequence: Int, policy: ThroughputPolicy = ThroughputPolicy()) {
        self.bookings = bookings
        self.commitmentQuota = commitmentQuota
        self.sequence = max(sequence, bookings.count)
        self.policy = policy
    }

    /// How many bookings were ever made (persist it with the bookings so IDs never repeat).
    public var bookingCount: Int { sequence }

    /// Commitment quota for a base model (0 until raised).
    public func quota(for foundationModelID: String) -> Int { commitmentQuota[foundationModelID] ?? 0 }

    /// A quota-raise request; granted at once (the real one goes through AWS Support), returns the new quota.
    @discardableResult
    public mutating func requestCommitmentQuota(for foundationModelID: String, units: Int) throws(BillingError) -> Int {
        guard units >= 1 else { throw .invalidQuantity(name: "units", value: String(units), expected: "1 or more") }
        commitmentQuota[foundationModelID] = max(quota(for: foundationModelID), units)
        return quota(for: foundationModelID)
    }

    /// Model units held by live (not deleted or failed) committed or no-commitment bookings of a base model.
    public func unitsInUse(foundationModelID: String, committed: Bool, at time: VirtualTime) -> Int {
        bookings.filter { b in
            b.foundationModelID == foundationModelID && b.status(at: time) != .deleted && b.status(at: time) != .failed
                && (b.term != .noCommitment) == committed
        }.reduce(0) { $0 + $1.modelUnits }
    }

    /// CreateProvisionedModelThroughput: checks the model, term, name and quota, then books.
    public mutating func book(model: ModelCard, name: String, units: Int, term: CommitmentTerm,
                              at time: VirtualTime) throws(BillingError) -> Booking {
        try Self.checkName(name)
        if bookings.contains(where: { $0.name == name && $0.status(at: time) != .deleted }) {
            throw .invalidBookingName(name: name, reason: "is already used by a live booking")
        }
        guard units >= 1 else { throw .invalidQuantity(name: "units", value: String(units), expected: "1 or more") }
        guard model.supportsProvisioned, let rates = model.prices.provisioned else { throw .notProvisionable(modelID: model.id) }
        guard let rate = rates.rate(for: term) else { throw .termNotOffered(modelID: model.id, term: term, offered: rates.offeredTerms) }
        let base = model.foundationModelID
        let inUse = unitsInUse(foundationModelID: base, committed: term != .noCommitment, at: time)
        let limit = term == .noCommitment ? policy.noCommitmentUnitsPerModel : quota(for: base)
        guard inUse + units <= limit else {
            throw .quotaExceeded(modelID: base, term: term, requested: units, inUse: inUse, quota: limit)
        }
        sequence += 1
        let id = Self.bookingID(name: name, sequence: sequence)
        let ready = time + policy.creationDelay
        let expires = term == .noCommitment ? nil : ready + .hours(Int64(term.months * policy.hoursPerMonth))
        let booking = Booking(id: id, arn: "arn:aws:bedrock:\(Region.name):\(Region.account):provisioned-model/\(id)", name: name,
                              modelID: model.id, desiredModelID: nil, updateReadyAt: nil, foundationModelID: base,
                              modelUnits: units, term: term, hourlyRate: rate.usd, createdAt: time, inServiceAt: ready,
                              expiresAt: expires, deletedAt: nil, failure: nil, billedThrough: ready)
        bookings.append(booking)
        return booking
    }

    /// The booking with this ARN, short ID or name; ResourceNotFound with close names otherwise.
    public func booking(_ reference: String) throws(BillingError) -> Booking {
        bookings[try index(of: reference)]
    }

    /// DeleteProvisionedModelThroughput: allowed without commitment, or once the term has expired.
    /// Returns the final charge (a started hour is billed as a whole hour).
    public mutating func delete(_ reference: String, at time: VirtualTime) throws(BillingError) -> [ThroughputCharge] {
        let i = try index(of: reference)
        let b = bookings[i]
        if b.status(at: time) == .deleted { throw .bookingNotFound(reference: reference, suggestions: []) }
        if let expires = b.expiresAt, time < expires {
            throw .cancelRefused(arn: b.arn, term: b.term, expires: expires)
        }
        let charge = accrue(i, through: time, roundUp: true)
        bookings[i].deletedAt = time
        return charge
    }

    /// UpdateProvisionedModelThroughput: a booking serving a custom model may switch to that
    /// model's base or to another custom model of the same base; a base-model booking cannot change.
    public mutating func update(_ reference: String, to model: ModelCard, at time: VirtualTime) throws(BillingError) -> Booking {
        let i = try index(of: reference)
        bookings[i].settle(at: time)
        let b = bookings[i]
        let status = b.status(at: time)
        guard status == .inService else { throw .notInService(arn: b.arn, status: status) }
        guard b.modelID != b.foundationModelID else {
            throw .updateRefused(arn: b.arn, reason: "it serves the base model \(b.foundationModelID); only a booking for a custom model can change its model")
        }
        guard model.foundationModelID == b.foundationModelID else {
            throw .updateRefused(arn: b.arn, reason: "\(model.id) does not derive from \(b.foundationModelID); a custom model can be swapped only for its base or another custom model of the same base")
        }
        guard model.id != b.modelID else { throw .updateRefused(arn: b.arn, reason: "it already serves \(model.id)") }
        bookings[i].desiredModelID = model.id
        bookings[i].updateReadyAt = time + policy.updateDelay
        return bookings[i]
    }

    /// Marks a booking Failed (e.g. its engine could not load); a failed booking accrues nothing more.
    public mutating func markFailed(_ reference: String, reason: String, at time: VirtualTime) throws(BillingError) -> [ThroughputCharge] {
        let i = try index(of: reference)
        let charge = accrue(i, through: time, roundUp: false)
        bookings[i].failure = reason
        return charge
    }

    /// Accrues every live booking's cost up to `time` in whole model-unit-hours; the partial hour
    /// stays for the next call. Committed terms keep accruing for their whole term (they cannot be
    /// deleted before it ends) and, in this simulation, at the same rate after it until deleted.
    public mutating func accrue(through time: VirtualTime) -> [ThroughputCharge] {
        bookings.indices.flatMap { accrue($0, through: time, roundUp: false) }
    }

    /// A fresh (full) rate limiter for a booking, sized by its units and the policy's capacity for
    /// `model` (the model it serves). Nil when no capacity figure exists.
    public func limiter(for reference: String, model: ModelCard, at time: VirtualTime) throws(BillingError) -> ThroughputLimiter? {
        let b = try booking(reference)
        guard let perUnit = policy.capacity(for: model) else { return nil }
        return ThroughputLimiter(resource: b.arn, perUnit: perUnit, units: b.modelUnits, at: time)
    }

    /// Applies every finished update (so `modelID` is the model now served).
    public mutating func settle(at time: VirtualTime) {
        for i in bookings.indices { bookings[i].settle(at: time) }
    }

    /// Bills whole hours from `billedThrough` to `time` (capped at deletion), one charge per UTC day
    /// in which the hours start, so daily totals fall on the right day.
    private mutating func accrue(_ i: Int, through time: VirtualTime, roundUp: Bool) -> [ThroughputCharge] {
        let b = bookings[i]
        guard b.failure == nil else { return [] }
        let end = min(time, b.deletedAt ?? time)
        let seconds = (end - b.billedThrough).seconds
        guard seconds > 0 else { return [] }
        var hoursLeft = Int(roundUp ? (seconds + 3599) / 3600 : seconds / 3600)
        var charges: [ThroughputCharge] = []
        while hoursLeft > 0 {
            let from = bookings[i].billedThrough
            let nextMidnight = VirtualTime(secondsSince1970: (from.secondsSince1970.floorDiv(86_400) + 1) * 86_400)
            let hours = min(hoursLeft, Int(((nextMidnight - from).seconds + 3599) / 3600))
            let to = from + .hours(Int64(hours))
            charges.append(ThroughputCharge(bookingARN: b.arn, modelID: b.servedModelID(at: from), modelUnits: b.modelUnits,
                                            hours: hours, hourlyRate: b.hourlyRate,
                                            amount: Decimal(b.modelUnits) * Decimal(hours) * b.hourlyRate, from: from, to: to))
            bookings[i].billedThrough = to
            hoursLeft -= hours
        }
        return charges
    }

    private func index(of reference: String) throws(BillingError) -> Int {
        // The latest match wins: a name freed by a deleted booking may be reused by a live one.
        if let i = bookings.lastIndex(where: { $0.arn == reference || $0.id == reference || $0.name == reference }) { return i }
        let names = bookings.map(\.name) + bookings.map(\.arn)
        throw .bookingNotFound(reference: reference, suggestions: ClosestNames.suggest(reference, among: names, limit: 3))
    }

    /// Bedrock's provisionedModelName: 1–63 characters, letters, digits, '-' and '_', starting alphanumeric.
    static func checkName(_ name: String) throws(BillingError) {
        guard (1...63).contains(name.count) else { throw .invalidBookingName(name: name, reason: "must be 1 to 63 characters") }
        guard let first = name.first, first.isASCII, first.isLetter || first.isNumber,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw .invalidBookingName(name: name, reason: "may hold only letters, digits, '-' and '_', starting with a letter or digit")
        }
    }

    /// A 12-character lower-case ID derived from the name and sequence number (FNV-1a), so the
    /// same script books the same IDs every run.
    static func bookingID(name: String, sequence: Int) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(name)#\(sequence)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var out = ""
        for _ in 0..<12 {
            out.append(alphabet[Int(hash % 36)])
            hash /= 36
        }
        return out
    }
}
