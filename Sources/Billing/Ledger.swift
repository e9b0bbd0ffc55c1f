// The ledger of real charges: entries with a kind, a model, the quantities billed, an exact Decimal
// amount, the virtual time and a note; totals by model, kind and day; a text report. A pure value:
// the workspace persists entries (they are Codable, amounts as exact decimal strings).
import Catalog
import Foundation

/// What a charge was for.
public enum ChargeKind: String, Sendable, Codable, CaseIterable {
    case onDemandInference, batchInference, embedding, image, training, storage
    case provisionedThroughput, evaluation, humanEvaluation
    /// Custom Model Import: an active copy's Custom Model Units, per minute in billing windows.
    case customModelUnits
}

/// The quantities behind a charge; only the ones that apply are set.
public struct ChargeQuantities: Sendable, Equatable, Codable {
    public var inputTokens: Int?
    public var outputTokens: Int?
    public var requests: Int?
    public var images: Int?
    public var trainedTokens: Int?
    public var epochs: Int?
    public var modelUnits: Int?
    public var hours: Int?
    public var months: Int?
    public var tasks: Int?
    /// Minutes of an active copy (Custom Model Import's CMU billing).
    public var minutes: Int?

    public init(inputTokens: Int? = nil, outputTokens: Int? = nil, requests: Int? = nil, images: Int? = nil,
                trainedTokens: Int? = nil, epochs: Int? = nil, modelUnits: Int? = nil, hours: Int? = nil,
                months: Int? = nil, tasks: Int? = nil, minutes: Int? = nil) {
        self.minutes = minutes
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.requests = requests
        self.images = images
        self.trainedTokens = trainedTokens
        self.epochs = epochs
        self.modelUnits = modelUnits
        self.hours = hours
        self.months = months
        self.tasks = tasks
    }

    /// "1,500 in, 300 out" style summary of the set fields.
    public var summary: String {
        let parts: [(Int?, String)] = [(inputTokens, "in"), (outputTokens, "out"), (requests, "requests"), (images, "images"),
                                       (trainedTokens, "tokens trained"), (epochs, "epochs"), (modelUnits, "units"),
                                       (hours, "h"), (months, "months"), (tasks, "tasks"), (minutes, "min")]
        return parts.compactMap { v, name in v.map { "\(Money.quantity(Decimal($0))) \(name)" } }.joined(separator: ", ")
    }
}

/// One real charge.
public struct LedgerEntry: Sendable, Equatable, Codable, Identifiable {
    /// Position in the ledger, from 1.
    public let id: Int
    public let kind: ChargeKind
    public let modelID: String
    public let quantities: ChargeQuantities
    /// Exact amount in USD.
    public let amount: Decimal
    public let time: VirtualTime
    public let note: String

    public init(id: Int, kind: ChargeKind, modelID: String, quantities: ChargeQuantities, amount: Decimal, time: VirtualTime, note: String) {
        self.id = id
        self.kind = kind
        self.modelID = modelID
        self.quantities = quantities
        self.amount = amount
        self.time = time
        self.note = note
    }

    private enum CodingKeys: String, CodingKey { case id, kind, modelID, quantities, amount, time, note }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int.self, forKey: .id)
        kind = try c.decode(ChargeKind.self, forKey: .kind)
        modelID = try c.decode(String.self, forKey: .modelID)
        quantities = try c.decode(ChargeQuantities.self, forKey: .quantities)
        let text = try c.decode(String.self, forKey: .amount)
        guard let value = Decimal(string: text) else {
            throw DecodingError.dataCorruptedError(forKey: .amount, in: c, debugDescription: "expected a decimal string, got \"\(text)\"")
        }
        amount = value
        time = try c.decode(VirtualTime.self, forKey: .time)
        note = try c.decode(String.self, forKey: .note)
    }

    /// Amounts are written as exact decimal strings ("0.00375"), never as binary floating point.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(modelID, forKey: .modelID)
        try c.encode(quantities, forKey: .quantities)
        try c.encode(amount.description, forKey: .amount)
        try c.encode(time, forKey: .time)
        try c.encode(note, forKey: .note)
    }
}

/// A sum under one key (a model ID, a kind or a day).
public struct LedgerTotal: Sendable, Equatable {
    public let key: String
    public let amount: Decimal
    public let entries: Int
}

/// Every charge, in the order recorded.
public struct Ledger: Sendable, Equatable, Codable {
    public private(set) var entries: [LedgerEntry]

    public init(entries: [LedgerEntry] = []) { self.entries = entries }

    /// Appends a charge and returns it (ids continue from the last entry).
    @discardableResult
    public mutating func record(_ kind: ChargeKind, modelID: String, quantities: ChargeQuantities = .init(),
                                amount: Decimal, at time: VirtualTime, note: String = "") -> LedgerEntry {
        let entry = LedgerEntry(id: (entries.last?.id ?? 0) + 1, kind: kind, modelID: modelID, quantities: quantities,
                                amount: amount, time: time, note: note)
        entries.append(entry)
        return entry
    }

    public var total: Decimal { entries.reduce(0) { $0 + $1.amount } }

    /// Entries from `start` (inclusive) to `end` (exclusive), e.g. one session's.
    public func between(_ start: VirtualTime, _ end: VirtualTime? = nil) -> Ledger {
        Ledger(entries: entries.filter { entry in entry.time >= start && (end.map { entry.time < $0 } ?? true) })
    }

    /// Totals per model, largest first (ties by model ID).
    public func totalsByModel() -> [LedgerTotal] { totals(by: \.modelID).sorted { ($1.amount, $0.key) < ($0.amount, $1.key) } }

    /// Totals per kind, in ChargeKind order.
    public func totalsByKind() -> [LedgerTotal] {
        let sums = totals(by: \.kind.rawValue)
        return ChargeKind.allCases.compactMap { kind in sums.first { $0.key == kind.rawValue } }
    }

    /// Totals per virtual day ("2025-01-01"), in date order.
    public func totalsByDay() -> [LedgerTotal] { totals(by: \.time.day).sorted { $0.key < $1.key } }

    private func totals(by key: (LedgerEntry) -> String) -> [LedgerTotal] {
        var sums: [String: (Decimal, Int)] = [:]
        var order: [String] = []
        for e in entries {
            let k = key(e)
            if sums[k] == nil { order.append(k) }
            let (a, n) = sums[k] ?? (0, 0)
            sums[k] = (a + e.amount, n + 1)
        }
        return order.map { LedgerTotal(key: $0, amount: sums[$0]!.0, entries: sums[$0]!.1) }
    }

    /// The `cost` report: total, then by model, by kind and by day.
    public func report(title: String = "Spend") -> String {
        guard !entries.isEmpty else { return "\(title): nothing charged yet" }
        func section(_ name: String, _ totals: [LedgerTotal]) -> String {
            let rows = totals.map { [$0.key, Money.format($0.amount), "\($0.entries)"] }
            let table = TextLayout.table(header: [name, "amount", "entries"], rows: rows, rightAligned: [1, 2])
            return table.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        }
        return ["\(title): \(Money.format(total)) in \(entries.count) charge\(entries.count == 1 ? "" : "s")",
                section("model", totalsByModel()), section("kind", totalsByKind()), section("day", totalsByDay())]
            .joined(separator: "\n")
    }
}

/// A spending limit checked before an operation runs.
public struct Budget: Sendable, Equatable, Codable {
    public let limit: Decimal

    public init(limit: Decimal) throws(BillingError) {
        guard limit >= 0 else { throw .invalidQuantity(name: "budget", value: limit.description, expected: "an amount of 0 or more") }
        self.limit = limit
    }

    public func remaining(spent: Decimal) -> Decimal { max(0, limit - spent) }

    /// Whether an operation estimated at `estimate` fits after `spent`.
    public func allows(spent: Decimal, estimate: Decimal) -> Bool { spent + estimate <= limit }

    /// Refuses (before anything runs) an operation that would take spending past the limit.
    public func check(spent: Decimal, estimate: Decimal) throws(BillingError) {
        guard allows(spent: spent, estimate: estimate) else {
            throw .budgetExceeded(limit: limit, spent: spent, estimate: estimate)
        }
    }

    /// `check(spent: ledger.total, estimate:)`.
    public func check(_ ledger: Ledger, estimate: Decimal) throws(BillingError) {
        try check(spent: ledger.total, estimate: estimate)
    }
}
