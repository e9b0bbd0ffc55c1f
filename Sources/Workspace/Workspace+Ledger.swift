// The ledger (every real charge, Decimal money) and the invocation log (one row per model call).
// Amounts are exact decimal TEXT and totals are summed here in Decimal, never by SQL.
// Append-only: entries are never updated or deleted; a correction is a new entry.
import Foundation
import GRDB

/// One charge. `kind` is Billing's vocabulary ("invocation", "training", "throughput", "storage",
/// "evaluation", "human-task", …); the workspace stores it as given.
public struct LedgerEntry: Hashable, Codable, Sendable {
    /// Assigned by `appendLedger`; nil before.
    public var id: Int64?
    public var kind: String
    public var modelID: String?
    /// What was charged for, exactly: {"inputTokens": 1500, "hours": 730, …}.
    public var quantities: [String: Decimal]
    /// Dollars, exact.
    public var amount: Decimal
    public var time: VirtualTime
    public var note: String
    public var sessionID: String
    /// Where in a script the charge was made ("file:line:col"), when it came from one.
    public var origin: String?

    public init(id: Int64? = nil, kind: String, modelID: String?, quantities: [String: Decimal] = [:],
                amount: Decimal, time: VirtualTime, note: String = "", sessionID: String, origin: String? = nil) {
        self.id = id
        self.kind = kind
        self.modelID = modelID
        self.quantities = quantities
        self.amount = amount
        self.time = time
        self.note = note
        self.sessionID = sessionID
        self.origin = origin
    }
}

/// One model invocation as logged (the CloudWatch-style record).
public struct InvocationRecord: Hashable, Codable, Sendable {
    public var id: Int64?
    public var modelID: String
    public var inputTokens: Int
    public var outputTokens: Int
    /// Wall-clock latency; shown, but masked in notebooks.
    public var latencyMilliseconds: Int
    public var cost: Decimal
    public var stopReason: String?
    public var time: VirtualTime
    /// The provisioned-throughput booking that served it, if any.
    public var bookingARN: String?
    public var sessionID: String
    /// The ledger entry that charged for it, if any (set by `logInvocation(_:charge:)`).
    public var ledgerID: Int64?

    public init(id: Int64? = nil, modelID: String, inputTokens: Int, outputTokens: Int, latencyMilliseconds: Int,
                cost: Decimal, stopReason: String?, time: VirtualTime, bookingARN: String? = nil,
                sessionID: String, ledgerID: Int64? = nil) {
        self.id = id
        self.modelID = modelID
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.latencyMilliseconds = latencyMilliseconds
        self.cost = cost
        self.stopReason = stopReason
        self.time = time
        self.bookingARN = bookingARN
        self.sessionID = sessionID
        self.ledgerID = ledgerID
    }
}

extension WorkspaceTransaction {
    // MARK: Ledger

    /// Appends `entry` and returns it with its new `id`.
    @discardableResult
    public func appendLedger(_ entry: LedgerEntry) throws -> LedgerEntry {
        try db.execute(sql: """
            INSERT INTO ledger (kind, model_id, quantities, amount, time, note, session_id, origin)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [entry.kind, entry.modelID, try Codec.json(entry.quantities), Codec.text(entry.amount),
                             entry.time.seconds, entry.note, entry.sessionID, entry.origin])
        var stored = entry
        stored.id = db.lastInsertedRowID
        return stored
    }

    /// Entries in the order they were made, optionally only one session's, only one model's, or
    /// only those at virtual times in `from..<to`.
    public func ledger(sessionID: String? = nil, modelID: String? = nil,
                       from: VirtualTime? = nil, to: VirtualTime? = nil) throws -> [LedgerEntry] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let sessionID { clauses.append("session_id = ?"); arguments += [sessionID] }
        if let modelID { clauses.append("model_id = ?"); arguments += [modelID] }
        if let from { clauses.append("time >= ?"); arguments += [from.seconds] }
        if let to { clauses.append("time < ?"); arguments += [to.seconds] }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return try Row.fetchAll(db, sql: "SELECT * FROM ledger \(filter) ORDER BY id", arguments: arguments)
            .map(LedgerEntry.init(row:))
    }

    /// The exact sum of the matching entries' amounts.
    public func ledgerTotal(sessionID: String? = nil, modelID: String? = nil) throws -> Decimal {
        try ledger(sessionID: sessionID, modelID: modelID).reduce(Decimal(0)) { $0 + $1.amount }
    }

    // MARK: Invocation log

    /// Logs `record`; when `charge` is given, appends it to the ledger and links the two.
    /// Inside one `write`, both rows commit together or neither does.
    @discardableResult
    public func logInvocation(_ record: InvocationRecord, charge: LedgerEntry? = nil) throws -> InvocationRecord {
        var stored = record
        if let charge { stored.ledgerID = try appendLedger(charge).id }
        try db.execute(sql: """
            INSERT INTO invocation (model_id, input_tokens, output_tokens, latency_ms, cost, stop_reason, time,
                booking_arn, session_id, ledger_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [stored.modelID, stored.inputTokens, stored.outputTokens, stored.latencyMilliseconds,
                             Codec.text(stored.cost), stored.stopReason, stored.time.seconds, stored.bookingARN,
                             stored.sessionID, stored.ledgerID])
        stored.id = db.lastInsertedRowID
        return stored
    }

    /// Logged invocations in order, optionally one session's or one model's.
    public func invocations(sessionID: String? = nil, modelID: String? = nil) throws -> [InvocationRecord] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let sessionID { clauses.append("session_id = ?"); arguments += [sessionID] }
        if let modelID { clauses.append("model_id = ?"); arguments += [modelID] }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return try Row.fetchAll(db, sql: "SELECT * FROM invocation \(filter) ORDER BY id", arguments: arguments)
            .map(InvocationRecord.init(row:))
    }
}

extension LedgerEntry {
    init(row: Row) throws {
        self.init(id: row["id"], kind: row["kind"], modelID: row["model_id"],
                  quantities: try Codec.decimalMap(row["quantities"], table: "ledger", column: "quantities"),
                  amount: try Codec.decimal(row["amount"], table: "ledger", column: "amount"),
                  time: VirtualTime(seconds: row["time"]), note: row["note"], sessionID: row["session_id"],
                  origin: row["origin"])
    }
}

extension InvocationRecord {
    init(row: Row) throws {
        self.init(id: row["id"], modelID: row["model_id"], inputTokens: row["input_tokens"],
                  outputTokens: row["output_tokens"], latencyMilliseconds: row["latency_ms"],
                  cost: try Codec.decimal(row["cost"], table: "invocation", column: "cost"),
                  stopReason: row["stop_reason"], time: VirtualTime(seconds: row["time"]),
                  bookingARN: row["booking_arn"], sessionID: row["session_id"], ledgerID: row["ledger_id"])
    }
}
