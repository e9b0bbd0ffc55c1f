// Every error Billing can raise: one closed enum, one message per case, each tagged with the
// Bedrock exception whose meaning it carries (budget refusals are the platform's own rule and
// carry none). Catalog lookup errors stay CatalogError.
import Catalog
import Foundation

public enum BillingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The model is not invoked on demand (custom models and PT-only bases).
    case notOnDemand(modelID: String, isCustom: Bool)
    /// The model has no price of this kind (e.g. an image price for a text model).
    case noPrice(modelID: String, what: String)
    /// No per-image tier covers this image.
    case noImageTier(modelID: String, size: String, steps: Int?, quality: ImageQuality?, tiers: [String])
    case notProvisionable(modelID: String)
    case termNotOffered(modelID: String, term: CommitmentTerm, offered: [CommitmentTerm])
    /// A count, size or amount outside what makes sense (negative tokens, zero units…).
    case invalidQuantity(name: String, value: String, expected: String)
    case invalidDuration(text: String, reason: String)
    case budgetExceeded(limit: Decimal, spent: Decimal, estimate: Decimal)
    case throttled(resource: String, retryAfter: VirtualDuration)
    /// One request needs more tokens than the booked units can ever supply in a minute.
    case exceedsCapacity(resource: String, tokens: Int, capacityPerMinute: Int)
    case bookingNotFound(reference: String, suggestions: [String])
    case invalidBookingName(name: String, reason: String)
    case quotaExceeded(modelID: String, term: CommitmentTerm, requested: Int, inUse: Int, quota: Int)
    case cancelRefused(arn: String, term: CommitmentTerm, expires: VirtualTime)
    case updateRefused(arn: String, reason: String)
    case notInService(arn: String, status: BookingStatus)

    public var exception: BedrockException? {
        switch self {
        case .bookingNotFound: .resourceNotFound
        case .throttled: .throttling
        case .quotaExceeded: .serviceQuotaExceeded
        case .budgetExceeded: nil
        default: .validation
        }
    }

    public var description: String {
        let prefix = exception.map { "\($0.rawValue): " } ?? ""
        return prefix + message
    }

    var message: String {
        switch self {
        case let .notOnDemand(id, isCustom):
            return isCustom
                ? "\(id) is a custom model: it is served only through provisioned throughput (book it, then invoke the booking)"
                : "\(id) is offered only through provisioned throughput, not on demand"
        case let .noPrice(id, what): return "\(id) has no \(what) price"
        case let .noImageTier(id, size, steps, quality, tiers):
            let shape = [size, steps.map { "\($0) steps" }, quality.map(\.rawValue)].compactMap { $0 }.joined(separator: ", ")
            return "\(id) has no per-image price for \(shape); priced tiers: \(tiers.joined(separator: "; "))"
        case let .notProvisionable(id): return "\(id) does not offer provisioned throughput"
        case let .termNotOffered(id, term, offered):
            return "\(id) cannot be booked with \(term.label); offered: \(offered.map(\.label).joined(separator: ", "))"
        case let .invalidQuantity(name, value, expected): return "\(name) = \(value) is invalid: expected \(expected)"
        case let .invalidDuration(text, reason): return "cannot read the duration \"\(text)\": \(reason)"
        case let .budgetExceeded(limit, spent, estimate):
            return "budget exceeded: this operation would cost about \(Money.format(estimate)); \(Money.format(spent)) of the \(Money.format(limit)) budget is spent, \(Money.format(max(0, limit - spent))) remains"
        case let .throttled(resource, retryAfter):
            return "too many tokens for \(resource) this minute; retry after \(retryAfter)"
        case let .exceedsCapacity(resource, tokens, capacity):
            return "a request of \(tokens) tokens can never fit \(resource): its capacity is \(capacity) tokens per minute; book more model units"
        case let .bookingNotFound(ref, suggestions):
            let hint = suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "\"\($0)\"" }.joined(separator: ", ") + "?"
            return "no provisioned throughput \"\(ref)\"\(hint)"
        case let .invalidBookingName(name, reason): return "provisioned model name \"\(name)\" \(reason)"
        case let .quotaExceeded(id, term, requested, inUse, quota):
            let hint = term == .noCommitment ? "" : "; request quota (e.g. `request quota \"\(id)\" units: \(inUse + requested)`) first"
            return "\(term.label) model units for \(id): \(requested) requested, \(inUse) in use, quota \(quota)\(hint)"
        case let .cancelRefused(arn, term, expires):
            return "\(arn) has a \(term.label) commitment and cannot be deleted before it expires on \(expires.display)"
        case let .updateRefused(arn, reason): return "cannot update \(arn): \(reason)"
        case let .notInService(arn, status): return "\(arn) is \(status.rawValue), not InService"
        }
    }
}
