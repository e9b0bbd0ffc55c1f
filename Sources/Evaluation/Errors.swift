// The errors of this module, one message per case: building a built-in set from raw files,
// finding a set by name, and the did-you-mean helper they share. Custom JSONL problems have their
// own type in CustomDataset.swift because they are reported many at a time.
import Basics

/// A raw file could not be turned into a built-in set.
public enum DatasetBuildError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingFile(String)
    case missingColumn(file: String, columns: [String])
    case badRecord(file: String, line: Int, reason: String)
    case tooFewItems(set: String, wanted: Int, found: Int)

    public var description: String {
        switch self {
        case .missingFile(let name):
            "raw file '\(name)' is missing"
        case .missingColumn(let file, let columns):
            "the quiz index has no columns \(columns.map { "'\($0)'" }.joined(separator: " and ")) for '\(file)'"
        case .badRecord(let file, let line, let reason):
            "\(file):\(line): \(reason)"
        case .tooFewItems(let set, let wanted, let found):
            "\(set): only \(found) usable items, \(wanted) wanted"
        }
    }
}

/// Looking up or loading a data set failed.
public enum DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownDataset(name: String, suggestion: String?, known: [String])
    case notFetched(name: String, directory: String, missing: [String])
    case buildFailed(name: String, reason: String)
    case checksumMismatch(name: String, expected: String, actual: String)
    case unreadable(path: String, reason: String)
    case invalidCustomDataset(CustomDatasetError)

    public var description: String {
        switch self {
        case .unknownDataset(let name, let suggestion, let known):
            "unknown data set '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                + " (built-in sets: \(known.joined(separator: ", ")))"
        case .notFetched(let name, let directory, let missing):
            "\(name) needs raw data that is not in \(directory) (missing \(missing.prefix(3).joined(separator: ", "))"
                + (missing.count > 3 ? " and \(missing.count - 3) more" : "") + "): run scripts/fetch-data"
        case .buildFailed(let name, let reason):
            "could not build \(name): \(reason); rerun scripts/fetch-data to restore the raw files"
        case .checksumMismatch(let name, let expected, let actual):
            "\(name) built with checksum \(actual), expected \(expected): the raw files differ from the pinned ones; rerun scripts/fetch-data"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .invalidCustomDataset(let error):
            error.description
        }
    }
}

/// The candidate closest to `name` by edit distance, if it is close enough to be a likely typo
/// (at most a third of the name's length, and at least 1 edit allowed).
func closestName(to name: String, in candidates: [String]) -> String? {
    let target = Array(name.lowercased())
    let scored = candidates.map { ($0, editDistance(target, Array($0.lowercased()))) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    return best.1 <= max(1, target.count / 3) ? best.0 : nil
}

