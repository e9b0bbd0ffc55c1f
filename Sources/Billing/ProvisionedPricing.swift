// Provisioned-throughput price questions: units × hours × the term's hourly rate (a commitment
// bills at least its whole term), and the break-even load at which booked model units cost the
// same as paying on demand. Bookings themselves (state, quota, accrual) are in Bookings.swift.
import Catalog
import Foundation

extension Pricing {
    /// Hours a term commits to: months × hours per month (730), 0 for no commitment.
    public func minimumHours(_ term: CommitmentTerm) -> Int { term.months * policies.hoursPerMonth }

    /// The hourly rate of one model unit of `m` (custom models: their base's rate) for `term`.
    public func hourlyRate(_ m: ModelCard, term: CommitmentTerm) throws(BillingError) -> SourcedPrice {
        guard m.supportsProvisioned, let rates = m.prices.provisioned else { throw .notProvisionable(modelID: m.id) }
        guard let rate = rates.rate(for: term) else {
            throw .termNotOffered(modelID: m.id, term: term, offered: rates.offeredTerms)
        }
        return rate
    }

    /// `units` model units for `hours` (default: the term's minimum, or one 730-hour month without
    /// commitment). A committed term bills at least its whole term, whatever `hours` says.
    public func provisioned(_ m: ModelCard, units: Int, term: CommitmentTerm, hours: Int? = nil) throws(BillingError) -> PriceQuote {
        try positive(("units", units))
        if let hours { try positive(("hours", hours)) }
        let rate = try hourlyRate(m, term: term)
        let minimum = minimumHours(term)
        let billed = max(hours ?? (term == .noCommitment ? policies.hoursPerMonth : minimum), minimum)
        var lines: [PriceQuote.Line] = [
            .init(label: "rate", arithmetic: "\(Money.rate(rate.usd)) per model unit per hour (\(term.label))", amount: nil),
        ]
        var notes: [String] = []
        if let hours, hours < minimum {
            lines.append(.init(label: "hours", arithmetic: "\(Show.count(hours)) requested; a \(term.adjective) term bills at least \(Show.count(minimum)) hours (\(term.months) × \(policies.hoursPerMonth))", amount: nil))
            notes.append("a commitment cannot be deleted before its term ends, so the whole term is billed")
        }
        let total = Decimal(units) * Decimal(billed) * rate.usd
        lines.append(.init(label: "cost", arithmetic: "\(units) unit\(units == 1 ? "" : "s") × \(Show.count(billed)) h × \(Money.rate(rate.usd))", amount: total))
        let month = Decimal(units) * Decimal(policies.hoursPerMonth) * rate.usd
        lines.append(.init(label: "per month", arithmetic: "\(units) unit\(units == 1 ? "" : "s") × \(policies.hoursPerMonth) h × \(Money.rate(rate.usd)) (for comparison)", amount: month))
        if m.isCustom { notes.append("custom models are billed at their base model's provisioned rate (reference §4.6)") }
        return PriceQuote(title: "Provisioned throughput: \(m.name) (\(m.id)), \(units) model unit\(units == 1 ? "" : "s"), \(term.label)",
                          modelID: m.id, lines: lines, total: total, notes: self.notes([rate], notes))
    }

    /// The load at which `units` booked model units of `m` cost the same per hour as on-demand
    /// requests of the given input/output mix.
    public func breakEven(_ m: ModelCard, inputTokensPerRequest: Int, outputTokensPerRequest: Int,
                          units: Int = 1, term: CommitmentTerm = .noCommitment) throws(BillingError) -> BreakEven {
        try positive(("units", units))
        try nonNegative(("input tokens", inputTokensPerRequest), ("output tokens", outputTokensPerRequest))
        guard inputTokensPerRequest + outputTokensPerRequest > 0 else {
            throw .invalidQuantity(name: "tokens per request", value: "0", expected: "at least one input or output token")
        }
        let rate = try hourlyRate(m, term: term)
        try requireOnDemand(m)
        let (inPrice, outPrice): (Decimal, Decimal)
        if let od = m.prices.onDemand {
            (inPrice, outPrice) = (od.inputPer1K.usd, od.outputPer1K.usd)
        } else if let e = m.prices.embedding {
            (inPrice, outPrice) = (e.inputPer1K.usd, 0)
        } else {
            throw .noPrice(modelID: m.id, what: "on-demand token")
        }
        let perRequest = Decimal(inputTokensPerRequest) / 1000 * inPrice + Decimal(outputTokensPerRequest) / 1000 * outPrice
        guard perRequest > 0 else { throw .noPrice(modelID: m.id, what: "non-zero on-demand") }
        let hourly = Decimal(units) * rate.usd
        let perHour = hourly / perRequest
        let tokensPerRequest = Decimal(inputTokensPerRequest + outputTokensPerRequest)
        var lines: [PriceQuote.Line] = [
            .init(label: "on-demand request", arithmetic: "\(Show.count(inputTokensPerRequest)) in × \(Money.rate(inPrice))/1K + \(Show.count(outputTokensPerRequest)) out × \(Money.rate(outPrice))/1K", amount: perRequest),
            .init(label: "provisioned hour", arithmetic: "\(units) unit\(units == 1 ? "" : "s") × \(Money.rate(rate.usd)) (\(term.label))", amount: hourly),
            .init(label: "break-even", arithmetic: "\(Money.detail(hourly)) ÷ \(Money.detail(perRequest)) = \(Show.count(Money.rounded(perHour, places: 1))) requests per hour = \(Show.count(Money.rounded(perHour * 24, places: 0))) per day = \(Show.count(Money.rounded(perHour * tokensPerRequest, places: 0))) tokens per hour", amount: nil),
        ]
        var capacity: Decimal?
        var notes: [String] = []
        if let t = m.throughputPerModelUnit {
            let inCap = Decimal(t.inputTokensPerMinute * 60 * units), outCap = Decimal(t.outputTokensPerMinute * 60 * units)
            var limits: [Decimal] = []
            if inputTokensPerRequest > 0 { limits.append(inCap / Decimal(inputTokensPerRequest)) }
            if outputTokensPerRequest > 0, outCap > 0 { limits.append(outCap / Decimal(outputTokensPerRequest)) }
            let maxRequests = limits.min() ?? 0
            capacity = maxRequests
            lines.append(.init(label: "capacity", arithmetic: "\(units) unit\(units == 1 ? " serves" : "s serve") at most \(Show.count(Money.rounded(maxRequests, places: 1))) such requests per hour (configurable figure; AWS publishes none)", amount: nil))
            if perHour > maxRequests {
                notes.append("the break-even load exceeds what the booked units can serve: at this mix on-demand is cheaper at every load they can carry")
            }
        }
        notes.append("below the break-even load on-demand is cheaper; above it provisioned throughput is")
        return BreakEven(modelID: m.id, term: term, units: units, onDemandCostPerRequest: perRequest,
                         provisionedCostPerHour: hourly, requestsPerHour: perHour, requestsPerDay: perHour * 24,
                         tokensPerHour: perHour * tokensPerRequest, capacityRequestsPerHour: capacity,
                         lines: lines, notes: self.notes([rate], notes), title: "Break-even: \(m.name) (\(m.id))")
    }
}

/// Where on-demand and provisioned throughput cost the same.
public struct BreakEven: Sendable, Equatable {
    public let modelID: String
    public let term: CommitmentTerm
    public let units: Int
    public let onDemandCostPerRequest: Decimal
    public let provisionedCostPerHour: Decimal
    public let requestsPerHour: Decimal
    public let requestsPerDay: Decimal
    public let tokensPerHour: Decimal
    /// Requests of this mix the booked units can serve in an hour (nil without a capacity figure).
    public let capacityRequestsPerHour: Decimal?
    public let lines: [PriceQuote.Line]
    public let notes: [String]
    public let title: String

    public func render() -> String {
        var rows: [(String, String?)] = lines.map { ($0.label, $0.arithmetic + ($0.amount.map { " = \(Money.detail($0))" } ?? "")) }
        if !notes.isEmpty { rows.append(("note", notes.joined(separator: "\n"))) }
        return title + "\n" + TextLayout.labelled(rows, indent: "  ")
    }
}
