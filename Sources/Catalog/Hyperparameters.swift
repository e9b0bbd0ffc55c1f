// Customization hyperparameters: the schema a base model accepts (Bedrock's names, type, default,
// range; reference §4.2), the snake_case labels the language uses for them, and the validator that
// resolves a request to a complete set or reports every problem at once. It does not train anything.
import Foundation

/// Whether a hyperparameter takes whole numbers or reals.
public enum HyperparameterType: String, CatalogVocabulary {
    case integer, float
}

/// One hyperparameter a base model accepts.
public struct HyperparameterSpec: Sendable, Equatable, Codable {
    /// Bedrock's API name, e.g. `epochCount`.
    public let name: String
    public let type: HyperparameterType
    /// Nil when the user must set it (no default).
    public let `default`: Double?
    public let min: Double
    public let max: Double
    public let source: String
    public let approximate: Bool
    public let note: String?

    /// "[1–10]" style range text used in cards and error messages.
    public var rangeText: String { "[\(formatHyperparameter(min, type))–\(formatHyperparameter(max, type))]" }
}

/// A resolved hyperparameter value.
public enum HyperparameterValue: Sendable, Equatable, Codable, CustomStringConvertible {
    case integer(Int)
    case float(Double)

    public var doubleValue: Double {
        switch self {
        case let .integer(v): Double(v)
        case let .float(v): v
        }
    }

    /// Bedrock sends every hyperparameter as a string (`{"epochCount": "2"}`).
    public var bedrockString: String {
        switch self {
        case let .integer(v): String(v)
        case let .float(v): formatHyperparameter(v, .float)
        }
    }

    public var description: String { bedrockString }
}

/// The complete set a customization job runs with, in schema order.
public struct ResolvedHyperparameters: Sendable, Equatable, Codable {
    public struct Entry: Sendable, Equatable, Codable {
        public let name: String
        public let value: HyperparameterValue
        /// True when the value came from the schema default rather than the request.
        public let isDefault: Bool
    }

    public let entries: [Entry]

    public subscript(name: String) -> HyperparameterValue? { entries.first { $0.name == name }?.value }

    /// Bedrock's wire form: `map<string,string>`.
    public var bedrockStrings: [String: String] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0.value.bedrockString) })
    }
}

/// One problem with a hyperparameter request.
public enum HyperparameterIssue: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownName(name: String, closest: String?, valid: [String])
    case notANumber(name: String, value: String, expected: HyperparameterType, range: String)
    case outOfRange(name: String, value: String, range: String)
    case missingRequired(name: String, range: String)
    /// Two spellings of one parameter (e.g. `epochs` and `epochCount`).
    case duplicate(name: String, spellings: [String])

    public var description: String {
        switch self {
        case let .unknownName(name, closest, valid):
            let hint = closest.map { "; did you mean \"\($0)\"?" } ?? ""
            return "unknown hyperparameter \"\(name)\"\(hint) (valid: \(valid.joined(separator: ", ")))"
        case let .notANumber(name, value, expected, range):
            let kind = expected == .integer ? "a whole number" : "a number"
            return "\(name) must be \(kind) in \(range), got \"\(value)\""
        case let .outOfRange(name, value, range):
            return "\(name) = \(value) is outside its allowed range \(range)"
        case let .missingRequired(name, range):
            return "\(name) has no default and must be set, in \(range)"
        case let .duplicate(name, spellings):
            return "\(name) is given twice (as \(spellings.joined(separator: " and ")))"
        }
    }
}

/// A rejected hyperparameter request: ValidationException with every issue found.
public struct HyperparameterError: Error, Sendable, Equatable, CustomStringConvertible {
    public let modelID: String
    /// Empty when the model is not customizable at all (see `notCustomizable`).
    public let issues: [HyperparameterIssue]
    public let notCustomizable: Bool

    public var exception: BedrockException { .validation }

    public var description: String {
        if notCustomizable { return "ValidationException: \(modelID) cannot be customized (it has no hyperparameters)" }
        let head = "ValidationException: invalid hyperparameters for \(modelID):"
        return ([head] + issues.map { "  - \($0)" }).joined(separator: "\n")
    }
}

/// snake_case labels the language uses → Bedrock names.
public enum HyperparameterLabels {
    public static let bedrockNames: [String: String] = [
        "epochs": "epochCount", "epoch_count": "epochCount",
        "batch_size": "batchSize",
        "learning_rate": "learningRate",
        "warmup_steps": "learningRateWarmupSteps", "learning_rate_warmup_steps": "learningRateWarmupSteps",
        "learning_rate_multiplier": "learningRateMultiplier",
        "early_stopping_threshold": "earlyStoppingThreshold",
        "early_stopping_patience": "earlyStoppingPatience",
        "eval_percentage": "evalPercentage",
        "steps": "stepCount", "step_count": "stepCount",
    ]

    /// The Bedrock name for a label or a Bedrock name; unknown text comes back unchanged.
    public static func bedrockName(for label: String) -> String { bedrockNames[label] ?? label }

    /// The canonical snake_case label for a Bedrock name (`learningRateWarmupSteps` → `learning_rate_warmup_steps`).
    public static func label(for bedrockName: String) -> String {
        var out = ""
        for ch in bedrockName {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }
}

extension ModelCard {
    /// Resolves a request (Bedrock names or snake_case labels → values as text) against this model's
    /// schema: defaults filled in, or every issue found, in a stable order.
    public func resolveHyperparameters(_ request: [String: String]) -> Result<ResolvedHyperparameters, HyperparameterError> {
        let schema = hyperparameters
        guard !schema.isEmpty else {
            return .failure(HyperparameterError(modelID: id, issues: [], notCustomizable: true))
        }
        var issues: [HyperparameterIssue] = []
        var given: [String: (spelling: String, text: String)] = [:]
        for key in request.keys.sorted() {
            let name = HyperparameterLabels.bedrockName(for: key)
            guard schema.contains(where: { $0.name == name }) else {
                let valid = schema.map(\.name)
                let candidates = valid + valid.map(HyperparameterLabels.label(for:))
                let closest = ClosestNames.suggest(key, among: candidates, limit: 1).first
                issues.append(.unknownName(name: key, closest: closest, valid: valid))
                continue
            }
            if let earlier = given[name] {
                issues.append(.duplicate(name: name, spellings: [earlier.spelling, key]))
                continue
            }
            given[name] = (key, request[key]!)
        }
        var entries: [ResolvedHyperparameters.Entry] = []
        for spec in schema {
            if let request = given[spec.name] {
                switch spec.parse(request.text) {
                case let .success(value): entries.append(.init(name: spec.name, value: value, isDefault: false))
                case let .failure(issue): issues.append(issue)
                }
            } else if let d = spec.default {
                let value: HyperparameterValue = spec.type == .integer ? .integer(Int(d)) : .float(d)
                entries.append(.init(name: spec.name, value: value, isDefault: true))
            } else {
                issues.append(.missingRequired(name: spec.name, range: spec.rangeText))
            }
        }
        if !issues.isEmpty { return .failure(HyperparameterError(modelID: id, issues: issues, notCustomizable: false)) }
        return .success(ResolvedHyperparameters(entries: entries))
    }
}

extension HyperparameterSpec {
    /// Reads one value (Bedrock's string form) and checks its type and range.
    func parse(_ text: String) -> Result<HyperparameterValue, HyperparameterIssue> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let number = Double(trimmed), number.isFinite else {
            return .failure(.notANumber(name: name, value: text, expected: type, range: rangeText))
        }
        let value: HyperparameterValue
        switch type {
        case .integer:
            guard number == number.rounded(), abs(number) < 1e15 else {
                return .failure(.notANumber(name: name, value: text, expected: type, range: rangeText))
            }
            value = .integer(Int(number))
        case .float:
            value = .float(number)
        }
        guard number >= min, number <= max else {
            return .failure(.outOfRange(name: name, value: trimmed, range: rangeText))
        }
        return .success(value)
    }
}

/// Prints 1e-05 as "1e-5", 5.0 as "5" (integers) or "5.0" (floats), 0.001 as "0.001".
func formatHyperparameter(_ value: Double, _ type: HyperparameterType) -> String {
    if type == .integer, value == value.rounded() { return String(Int(value)) }
    var text = "\(value)"
    text = text.replacingOccurrences(of: "e-0", with: "e-")
    return text
}
