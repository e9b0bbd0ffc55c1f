// Account state: settings, the virtual clock, model access and commitment quota.
// Plain rows and typed operations only; the rules (who may be granted what, after how long)
// belong to BedrockPlatform and Billing, which call these inside their own transactions.
import Foundation
import GRDB

/// Bedrock's classic model-access states.
public enum AccessState: String, CaseIterable, Codable, Sendable {
    case availableToRequest = "AVAILABLE_TO_REQUEST"
    case inProgress = "IN_PROGRESS"
    case granted = "GRANTED"
    case denied = "DENIED"
}

/// One model's access record. A model with no row has never been requested: available to request.
public struct ModelAccess: Hashable, Codable, Sendable {
    public var modelID: String
    public var state: AccessState
    public var useCase: String?
    public var requestedAt: VirtualTime?
    public var decidedAt: VirtualTime?

    public init(modelID: String, state: AccessState, useCase: String? = nil,
                requestedAt: VirtualTime? = nil, decidedAt: VirtualTime? = nil) {
        self.modelID = modelID
        self.state = state
        self.useCase = useCase
        self.requestedAt = requestedAt
        self.decidedAt = decidedAt
    }
}

/// Keys of the `setting` table with a typed accessor; other keys are free-form.
public enum SettingKey: String, CaseIterable, Sendable {
    case budget
    case seed
}

extension WorkspaceTransaction {
    // MARK: Settings

    public func setting(_ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key])
    }

    /// Sets `key`, or removes it when `value` is nil.
    public func setSetting(_ key: String, to value: String?) throws {
        if let value {
            try db.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?) "
                           + "ON CONFLICT (key) DO UPDATE SET value = excluded.value", arguments: [key, value])
        } else {
            try db.execute(sql: "DELETE FROM setting WHERE key = ?", arguments: [key])
        }
    }

    /// The spending limit in dollars, if one is set.
    public func budget() throws -> Decimal? {
        try setting(SettingKey.budget.rawValue).map {
            try Codec.decimal($0, table: "setting", column: SettingKey.budget.rawValue)
        }
    }

    public func setBudget(_ dollars: Decimal?) throws {
        if let dollars, dollars < 0 {
            throw WorkspaceError.invalidValue(field: "budget", value: Codec.text(dollars), expected: "0 or more dollars")
        }
        try setSetting(SettingKey.budget.rawValue, to: dollars.map(Codec.text))
    }

    public func seed() throws -> UInt64? {
        try setting(SettingKey.seed.rawValue).map {
            guard let seed = UInt64($0) else {
                throw WorkspaceError.invalidStoredValue(table: "setting", column: SettingKey.seed.rawValue, value: $0)
            }
            return seed
        }
    }

    public func setSeed(_ seed: UInt64?) throws {
        try setSetting(SettingKey.seed.rawValue, to: seed.map { String($0) })
    }

    // MARK: Virtual clock

    /// The virtual clock's current time (starts at `VirtualTime.workspaceStart`).
    public func now() throws -> VirtualTime {
        VirtualTime(seconds: try Int64.fetchOne(db, sql: "SELECT now FROM clock WHERE id = 1") ?? 0)
    }

    /// Moves the clock to `time`; it never goes backwards.
    public func setNow(_ time: VirtualTime) throws {
        let current = try now()
        guard time >= current else {
            throw WorkspaceError.invalidValue(field: "clock", value: time.description,
                                              expected: "a time at or after \(current)")
        }
        try db.execute(sql: "UPDATE clock SET now = ? WHERE id = 1", arguments: [time.seconds])
    }

    /// Advances the clock by `seconds` (≥ 0) and returns the new time.
    @discardableResult
    public func advanceClock(seconds: Int64) throws -> VirtualTime {
        guard seconds >= 0 else {
            throw WorkspaceError.invalidValue(field: "advance", value: "\(seconds) s", expected: "0 or more seconds")
        }
        let next = try now().adding(seconds: seconds)
        try setNow(next)
        return next
    }

    // MARK: Model access

    public func access(modelID: String) throws -> ModelAccess? {
        try Row.fetchOne(db, sql: "SELECT * FROM model_access WHERE model_id = ?", arguments: [modelID])
            .map(ModelAccess.init(row:))
    }

    /// Every model with an access record, by model ID.
    public func allAccess() throws -> [ModelAccess] {
        try Row.fetchAll(db, sql: "SELECT * FROM model_access ORDER BY model_id").map(ModelAccess.init(row:))
    }

    /// Inserts or replaces the record for `access.modelID`.
    public func saveAccess(_ access: ModelAccess) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO model_access (model_id, state, use_case, requested_at, decided_at)
            VALUES (?, ?, ?, ?, ?)
            """, arguments: [access.modelID, access.state.rawValue, access.useCase,
                             access.requestedAt?.seconds, access.decidedAt?.seconds])
    }

    // MARK: Commitment quota

    /// Model units the account may commit to (1- or 6-month terms) for `modelID`; 0 until raised.
    public func commitmentQuota(modelID: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT units FROM commitment_quota WHERE model_id = ?", arguments: [modelID]) ?? 0
    }

    public func setCommitmentQuota(modelID: String, units: Int) throws {
        guard units >= 0 else {
            throw WorkspaceError.invalidValue(field: "commitment quota", value: "\(units)", expected: "0 or more model units")
        }
        try db.execute(sql: "INSERT OR REPLACE INTO commitment_quota (model_id, units) VALUES (?, ?)",
                       arguments: [modelID, units])
    }
}

extension ModelAccess {
    init(row: Row) throws {
        self.init(modelID: row["model_id"],
                  state: try Codec.enumValue(AccessState.self, row["state"], table: "model_access", column: "state"),
                  useCase: row["use_case"],
                  requestedAt: (row["requested_at"] as Int64?).map(VirtualTime.init(seconds:)),
                  decidedAt: (row["decided_at"] as Int64?).map(VirtualTime.init(seconds:)))
    }
}
