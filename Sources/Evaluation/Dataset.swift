// The data set types every part of evaluation shares: task types, items, provenance, and the
// canonical JSONL form whose sha256 is a set's checksum. Building and loading live elsewhere
// (Builders/, DatasetCatalog.swift, CustomDataset.swift); nothing here runs a model.
import Basics

/// Bedrock's evaluation task types (`taskType` of CreateEvaluationJob).
public enum TaskType: String, Sendable, CaseIterable, Codable {
    case questionAndAnswer = "QuestionAndAnswer"
    case summarization = "Summarization"
    case classification = "Classification"
    case generation = "Generation"
    case custom = "Custom"

    /// The short name the language uses: `task: "qa"`.
    public var shortName: String {
        switch self {
        case .questionAndAnswer: "qa"
        case .summarization: "summarization"
        case .classification: "classification"
        case .generation: "generation"
        case .custom: "custom"
        }
    }

    /// Accepts the short name or Bedrock's API name, ignoring case.
    public init?(name: String) {
        let lower = name.lowercased()
        guard let match = Self.allCases.first(where: { $0.shortName == lower || $0.rawValue.lowercased() == lower }) else {
            return nil
        }
        self = match
    }
}

/// One prompt with the answers it is scored against.
public struct DatasetItem: Sendable, Equatable, Hashable, Codable {
    /// Where the item came from, stable across builds ("africa:12", "tweets:2011", "summaries:7").
    public var id: String
    /// The text sent to the model.
    public var prompt: String
    /// Every accepted answer (quiz patterns expand to several); empty when the set has none.
    public var referenceResponses: [String]
    /// The breakdown key in reports (quiz file, VADER source, fortune file, summary topic).
    public var category: String?

    public init(id: String, prompt: String, referenceResponses: [String], category: String?) {
        self.id = id
        self.prompt = prompt
        self.referenceResponses = referenceResponses
        self.category = category
    }
}

/// Where a set's text comes from and under which licence.
public struct Provenance: Sendable, Equatable, Codable {
    public var source: String
    public var licence: String
    public var citation: String?

    public init(source: String, licence: String, citation: String? = nil) {
        self.source = source
        self.licence = licence
        self.citation = citation
    }
}

/// A named list of items for one task type.
public struct Dataset: Sendable, Equatable {
    /// `builtin:quiz` for built-in sets, the file path for custom ones.
    public var name: String
    public var taskType: TaskType
    public var items: [DatasetItem]
    /// Nil for custom sets: their owner knows where they came from.
    public var provenance: Provenance?

    public init(name: String, taskType: TaskType, items: [DatasetItem], provenance: Provenance?) {
        self.name = name
        self.taskType = taskType
        self.items = items
        self.provenance = provenance
    }

    /// Items per category, in order of first appearance; items without one count under "".
    public var categoryCounts: [(category: String, count: Int)] {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for item in items {
            let key = item.category ?? ""
            if counts[key] == nil { order.append(key) }
            counts[key, default: 0] += 1
        }
        return order.map { ($0, counts[$0]!) }
    }

    /// One JSON object per line, keys in a fixed order, escapes spelled out below: the exact bytes
    /// are part of the contract because `checksum` hashes them.
    public var canonicalJSONL: String {
        var out = ""
        for item in items {
            out += "{\"id\":" + jsonQuoted(item.id)
            out += ",\"prompt\":" + jsonQuoted(item.prompt)
            out += ",\"referenceResponses\":[" + item.referenceResponses.map(jsonQuoted).joined(separator: ",") + "]"
            if let category = item.category { out += ",\"category\":" + jsonQuoted(category) }
            out += "}\n"
        }
        return out
    }

    /// sha256 of `canonicalJSONL`, hex: the same set gives the same checksum on every machine.
    public var checksum: String { sha256Hex(canonicalJSONL) }
}

extension StringProtocol {
    /// The lines of a text, split at "\n" and "\r\n" (one Character in Swift, which is why a plain
    /// split at "\n" misses it), empty lines kept, so index + 1 is the line number.
    func lines() -> [SubSequence] {
        split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    }
}
