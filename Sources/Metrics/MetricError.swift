// Errors of the metrics library: one case per kind of bad input, one message per case.
// Option errors name the option, the metric, and the closest valid name or allowed values,
// because these come from a script author's typing. Not used for numerical edge cases: empty
// texts and zero counts have defined scores (those of the reference libraries).
import Basics

/// Something the caller passed that a metric cannot use.
public enum MetricError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An option name the metric does not have.
    case unknownOption(metric: String, name: String, closest: String?, valid: [String])
    /// An option given a value of the wrong kind.
    case wrongOptionType(metric: String, name: String, expected: String, got: String)
    /// An option value outside what the metric accepts.
    case invalidOptionValue(metric: String, name: String, value: String, allowed: String)
    /// Two parallel lists of different lengths.
    case countMismatch(what: String, expected: Int, got: Int)
    /// A list that must not be empty was empty.
    case empty(what: String)
    /// A metric name that does not exist.
    case unknownMetric(name: String, closest: String?)
    /// A metric that needs more than texts (embeddings, log-probs, label lists).
    case notATextMetric(name: String)
    /// Embedding matrices that do not fit together.
    case shapeMismatch(what: String, expected: String, got: String)

    public var description: String {
        switch self {
        case let .unknownOption(metric, name, closest, valid):
            let hint = closest.map { "; did you mean '\($0)'?" } ?? ""
            return "\(metric): unknown option '\(name)'\(hint) (valid: \(valid.joined(separator: ", ")))"
        case let .wrongOptionType(metric, name, expected, got):
            return "\(metric): option '\(name)' expects \(expected), got \(got)"
        case let .invalidOptionValue(metric, name, value, allowed):
            return "\(metric): option '\(name)' cannot be \(value) (allowed: \(allowed))"
        case let .countMismatch(what, expected, got):
            return "expected \(expected) \(what) (one per candidate), got \(got)"
        case let .empty(what):
            return "\(what) must not be empty"
        case let .unknownMetric(name, closest):
            let hint = closest.map { "; did you mean '\($0)'?" } ?? ""
            return "unknown metric '\(name)'\(hint)"
        case let .notATextMetric(name):
            return "'\(name)' is not scored from texts alone (it needs token embeddings, log-probs or labels)"
        case let .shapeMismatch(what, expected, got):
            return "\(what): expected \(expected), got \(got)"
        }
    }
}

/// The candidate in `valid` nearest to `name` by edit distance (case-insensitive), if close
/// enough to be a plausible typo: within a third of the longer name's length (at least 2), or
/// one name a prefix of the other (`stemming` → `stem`).
func closestName(to name: String, in valid: [String]) -> String? {
    let lower = name.lowercased()
    let target = Array(lower.unicodeScalars)
    var best: (String, Int)? = nil
    for v in valid {
        let lv = v.lowercased()
        let prefix = !lower.isEmpty && (lower.hasPrefix(lv) || lv.hasPrefix(lower))
        let d = editDistance(target, Array(lv.unicodeScalars))
        let plausible = prefix || d <= max(2, max(target.count, v.unicodeScalars.count) / 3)
        if plausible && (best == nil || d < best!.1) { best = (v, d) }
    }
    return best?.0
}

