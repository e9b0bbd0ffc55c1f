// Provisioned throughput bookings: one row per booking, kept after deletion for the ledger's sake.
// The workspace stores state and times; Billing decides terms, expiry and hourly accrual and
// records how far it has billed in `billedThrough`, so an interrupted accrual resumes exactly.
import Foundation
import GRDB

/// Bedrock's `commitmentDuration` (absent on Bedrock for no commitment).
public enum BookingTerm: String, CaseIterable, Codable, Sendable {
    case noCommitment = "NoCommitment"
    case oneMonth = "OneMonth"
    case sixMonths = "SixMonths"
}

/// Bedrock's `ProvisionedModelStatus`.
public enum BookingState: String, CaseIterable, Codable, Sendable {
    case creating = "Creating"
    case inService = "InService"
    case updating = "Updating"
    case failed = "Failed"
}

/// A provisioned-throughput booking.
public struct ThroughputBooking: Hashable, Codable, Sendable {
    public var arn: String
    public var name: String
    public var modelID: String
    public var units: Int
    public var term: BookingTerm
    public var state: BookingState
    public var createdAt: VirtualTime
    /// End of the commitment term; nil for no commitment.
    public var expiresAt: VirtualTime?
    /// Billing has charged every model-unit-hour up to this time.
    public var billedThrough: VirtualTime
    /// Set when the booking was deleted; deleted bookings stay listed for history.
    public var deletedAt: VirtualTime?

    public init(arn: String, name: String, modelID: String, units: Int, term: BookingTerm,
                state: BookingState, createdAt: VirtualTime, expiresAt: VirtualTime? = nil,
                billedThrough: VirtualTime? = nil, deletedAt: VirtualTime? = nil) {
        self.arn = arn
        self.name = name
        self.modelID = modelID
        self.units = units
        self.term = term
        self.state = state
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.billedThrough = billedThrough ?? createdAt
        self.deletedAt = deletedAt
    }
}

extension WorkspaceTransaction {
    /// Adds a booking; its ARN and name must be new.
    public func insertBooking(_ booking: ThroughputBooking) throws {
        try validate(booking)
        if try self.booking(arn: booking.arn) != nil {
            throw WorkspaceError.alreadyExists(table: "provisioned throughput", key: booking.arn)
        }
        if try self.booking(named: booking.name) != nil {
            throw WorkspaceError.alreadyExists(table: "provisioned throughput", key: "name \(booking.name)")
        }
        try db.execute(sql: """
            INSERT INTO provisioned_throughput (arn, name, model_id, units, term, state, created_at,
                expires_at, billed_through, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: arguments(booking))
    }

    /// Replaces the stored booking with the same ARN.
    public func updateBooking(_ booking: ThroughputBooking) throws {
        try validate(booking)
        try db.execute(sql: """
            UPDATE provisioned_throughput SET name = ?2, model_id = ?3, units = ?4, term = ?5, state = ?6,
                created_at = ?7, expires_at = ?8, billed_through = ?9, deleted_at = ?10 WHERE arn = ?1
            """, arguments: arguments(booking))
        guard db.changesCount == 1 else {
            throw WorkspaceError.notFound(table: "provisioned throughput", key: booking.arn)
        }
    }

    public func booking(arn: String) throws -> ThroughputBooking? {
        try Row.fetchOne(db, sql: "SELECT * FROM provisioned_throughput WHERE arn = ?", arguments: [arn])
            .map(ThroughputBooking.init(row:))
    }

    public func booking(named name: String) throws -> ThroughputBooking? {
        try Row.fetchOne(db, sql: "SELECT * FROM provisioned_throughput WHERE name = ?", arguments: [name])
            .map(ThroughputBooking.init(row:))
    }

    /// Bookings in creation order; deleted ones only when asked.
    public func bookings(includeDeleted: Bool = false) throws -> [ThroughputBooking] {
        let filter = includeDeleted ? "" : "WHERE deleted_at IS NULL"
        return try Row.fetchAll(db, sql: "SELECT * FROM provisioned_throughput \(filter) ORDER BY created_at, rowid")
            .map(ThroughputBooking.init(row:))
    }

    private func validate(_ booking: ThroughputBooking) throws {
        guard booking.units > 0 else {
            throw WorkspaceError.invalidValue(field: "units", value: "\(booking.units)", expected: "1 or more model units")
        }
    }

    private func arguments(_ b: ThroughputBooking) -> StatementArguments {
        [b.arn, b.name, b.modelID, b.units, b.term.rawValue, b.state.rawValue, b.createdAt.seconds,
         b.expiresAt?.seconds, b.billedThrough.seconds, b.deletedAt?.seconds]
    }
}

extension ThroughputBooking {
    init(row: Row) throws {
        let table = "provisioned_throughput"
        self.init(arn: row["arn"], name: row["name"], modelID: row["model_id"], units: row["units"],
                  term: try Codec.enumValue(BookingTerm.self, row["term"], table: table, column: "term"),
                  state: try Codec.enumValue(BookingState.self, row["state"], table: table, column: "state"),
                  createdAt: VirtualTime(seconds: row["created_at"]),
                  expiresAt: (row["expires_at"] as Int64?).map(VirtualTime.init(seconds:)),
                  billedThrough: VirtualTime(seconds: row["billed_through"]),
                  deletedAt: (row["deleted_at"] as Int64?).map(VirtualTime.init(seconds:)))
    }
}
