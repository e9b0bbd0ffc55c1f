// BedrockError: every failure the platform reports, named after the exception Bedrock would
// return, so a learner reading an error also learns the service's vocabulary.
// One case per exception; the message says what was wrong and what is allowed.

/// A platform error carrying Bedrock's exception name and a message that explains it.
public enum BedrockError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The request is malformed or a value is out of range (HTTP 400).
    case validation(String)
    /// The caller may not use this model yet (HTTP 403); `hint` says how to get access.
    case accessDenied(String, hint: String)
    /// The model, job or booking does not exist (HTTP 404).
    case resourceNotFound(String)
    /// Too many tokens for the capacity bought (HTTP 429).
    case throttling(String)
    /// An account quota would be exceeded (HTTP 400).
    case serviceQuotaExceeded(String)
    /// The operation conflicts with the resource's state (HTTP 409).
    case conflict(String)
    /// The model cannot serve the request right now, e.g. a booking still Creating (HTTP 429).
    case modelNotReady(String)
    /// A spending limit set with `budget` would be exceeded; nothing was run.
    case budgetExceeded(String)

    /// Bedrock's exception name for this error.
    public var exceptionName: String {
        switch self {
        case .validation: return "ValidationException"
        case .accessDenied: return "AccessDeniedException"
        case .resourceNotFound: return "ResourceNotFoundException"
        case .throttling: return "ThrottlingException"
        case .serviceQuotaExceeded: return "ServiceQuotaExceededException"
        case .conflict: return "ConflictException"
        case .modelNotReady: return "ModelNotReadyException"
        case .budgetExceeded: return "BudgetExceeded"
        }
    }

    public var message: String {
        switch self {
        case .validation(let m), .resourceNotFound(let m), .throttling(let m), .serviceQuotaExceeded(let m),
             .conflict(let m), .modelNotReady(let m), .budgetExceeded(let m):
            return m
        case .accessDenied(let m, let hint):
            return "\(m) (\(hint))"
        }
    }

    public var description: String { "\(exceptionName): \(message)" }
}
