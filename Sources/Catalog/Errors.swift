// Errors of the catalog: Bedrock's exception names, lookup/parse errors (with closest-name hints)
// and data-file validation issues (with the record and field). Each case has one message.
// Hyperparameter errors live next to the validator (Hyperparameters.swift); Billing has its own enum.

/// The Bedrock exception whose meaning an error carries (reference §3.1 error list).
public enum BedrockException: String, Sendable, Codable, CaseIterable {
    case validation = "ValidationException"
    case resourceNotFound = "ResourceNotFoundException"
    case accessDenied = "AccessDeniedException"
    case throttling = "ThrottlingException"
    case serviceQuotaExceeded = "ServiceQuotaExceededException"
}

/// Something asked of the catalog that it cannot answer.
public enum CatalogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No model has this ID; `suggestions` are the closest IDs (best first, maybe empty).
    case unknownModel(id: String, suggestions: [String])
    /// A filter or option value outside its closed set.
    case invalidValue(field: String, value: String, allowed: [String], closest: String?)
    /// The model cannot be customized this way (custom-model creation).
    case customizationNotSupported(modelID: String, type: CustomizationType, supported: [CustomizationType])

    public var exception: BedrockException {
        switch self {
        case .unknownModel: .resourceNotFound
        case .invalidValue, .customizationNotSupported: .validation
        }
    }

    public var description: String {
        switch self {
        case let .unknownModel(id, suggestions):
            let hint = suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "\"\($0)\"" }.joined(separator: ", ") + "?"
            return "ResourceNotFoundException: no model with ID \"\(id)\"\(hint)"
        case let .invalidValue(field, value, allowed, closest):
            let hint = closest.map { "; did you mean \"\($0)\"?" } ?? ""
            return "ValidationException: \(field) \"\(value)\" is not one of \(allowed.joined(separator: ", "))\(hint)"
        case let .customizationNotSupported(modelID, type, supported):
            let list = supported.isEmpty ? "none" : supported.map(\.rawValue).joined(separator: ", ")
            return "ValidationException: \(modelID) does not support \(type.rawValue) (supported: \(list))"
        }
    }
}

/// One problem found in the catalog data file: where (record, model, field) and what.
public struct CatalogDataIssue: Sendable, Equatable, CustomStringConvertible {
    /// Zero-based position in `models`, nil for file-level problems.
    public let record: Int?
    public let modelID: String?
    /// Dotted path of the offending field, e.g. `prices.provisioned.oneMonth`.
    public let field: String
    public let problem: String

    public init(record: Int?, modelID: String?, field: String, problem: String) {
        self.record = record
        self.modelID = modelID
        self.field = field
        self.problem = problem
    }

    public var description: String {
        var place = record.map { "record \($0)" } ?? "file"
        if let modelID { place += " (\(modelID))" }
        return "\(place), field \(field): \(problem)"
    }
}

/// The catalog data file could not be read or broke an invariant; every issue found is listed.
public struct CatalogDataError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let issues: [CatalogDataIssue]

    public var description: String {
        "\(file): invalid catalog data (\(issues.count) issue\(issues.count == 1 ? "" : "s")):\n"
            + issues.map { "  \(file): \($0)" }.joined(separator: "\n")
    }
}
