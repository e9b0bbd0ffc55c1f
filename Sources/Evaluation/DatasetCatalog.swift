// Finds data sets by name: lists the built-in ones, builds one from the raw files in the data
// cache (checking its recorded checksum), or loads a custom JSONL file. It reads files but never
// downloads; scripts/fetch-data fills the cache.
import Foundation

/// A line of the `datasets` listing.
public struct DatasetInfo: Sendable, Equatable {
    public var name: String
    public var taskType: TaskType
    public var itemCount: Int
    public var summary: String
    public var provenance: Provenance
    public var checksum: String
    /// False until scripts/fetch-data has put the raw files in the data directory.
    public var isAvailable: Bool
}

/// The built-in sets over one data directory, plus custom files.
public struct DatasetCatalog: Sendable {
    public let dataDirectory: URL

    public init(dataDirectory: URL = DatasetCatalog.defaultDataDirectory()) {
        self.dataDirectory = dataDirectory
    }

    /// $BEDROCK_DATA, else $BEDROCK_HOME/data, else ~/.bedrock/data (as scripts/fetch-data).
    public static func defaultDataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let data = environment["BEDROCK_DATA"], !data.isEmpty { return URL(fileURLWithPath: data) }
        let home = environment["BEDROCK_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".bedrock").path
        return URL(fileURLWithPath: home).appendingPathComponent("data")
    }

    /// Every built-in set, in a fixed order.
    public var datasets: [DatasetInfo] {
        BuiltinDataset.allCases.map { set in
            DatasetInfo(name: set.name, taskType: set.taskType, itemCount: set.itemCount, summary: set.summary,
                        provenance: set.provenance, checksum: set.recordedChecksum, isAvailable: missingFiles(for: set).isEmpty)
        }
    }

    /// The built-in set `name` ("builtin:quiz"; "quiz" works too), built and checksum-verified.
    public func load(_ name: String) throws(DatasetError) -> Dataset {
        let set = try builtin(named: name)
        let missing = missingFiles(for: set)
        guard missing.isEmpty else { throw .notFetched(name: set.name, directory: dataDirectory.path, missing: missing) }
        var texts: [String: String] = [:]
        for file in set.rawFiles {
            let url = dataDirectory.appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw .unreadable(path: url.path, reason: "the file cannot be opened")
            }
            texts[url.lastPathComponent] = String(decoding: data, as: UTF8.self)
        }
        let items: [DatasetItem]
        do { items = try set.build(rawFiles: texts) } catch { throw .buildFailed(name: set.name, reason: error.description) }
        let dataset = Dataset(name: set.name, taskType: set.taskType, items: items, provenance: set.provenance)
        guard dataset.checksum == set.recordedChecksum else {
            throw .checksumMismatch(name: set.name, expected: set.recordedChecksum, actual: dataset.checksum)
        }
        return dataset
    }

    /// A custom JSONL file in Bedrock's prompt data set format (CustomDataset.swift).
    public func loadCustom(path: String, taskType: TaskType = .custom,
                           requireReferences: Bool = false) throws(DatasetError) -> Dataset {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "the file cannot be opened" : "no such file")
        }
        do {
            let items = try CustomDataset.parse(String(decoding: data, as: UTF8.self), file: path, requireReferences: requireReferences)
            return Dataset(name: path, taskType: taskType, items: items, provenance: nil)
        } catch {
            throw .invalidCustomDataset(error)
        }
    }

    /// What `dataset:` in a script means: `builtin:NAME` is a built-in set; anything else is a
    /// custom JSONL path. A missing file whose name is close to a built-in set's gets did-you-mean.
    public func load(nameOrPath: String, taskType: TaskType, requireReferences: Bool = false) throws(DatasetError) -> Dataset {
        if nameOrPath.lowercased().hasPrefix("builtin:") { return try load(nameOrPath) }
        if !FileManager.default.fileExists(atPath: nameOrPath),
           let suggestion = closestName(to: "builtin:" + nameOrPath.lowercased(), in: BuiltinDataset.allCases.map(\.name)) {
            throw .unknownDataset(name: nameOrPath, suggestion: suggestion, known: BuiltinDataset.allCases.map(\.name))
        }
        return try loadCustom(path: nameOrPath, taskType: taskType, requireReferences: requireReferences)
    }

    /// Resolves a name, accepting it with or without the `builtin:` prefix and in any case.
    public func builtin(named name: String) throws(DatasetError) -> BuiltinDataset {
        let lower = name.lowercased()
        let full = lower.hasPrefix("builtin:") ? lower : "builtin:" + lower
        if let set = BuiltinDataset(rawValue: full) { return set }
        let names = BuiltinDataset.allCases.map(\.name)
        throw .unknownDataset(name: name, suggestion: closestName(to: full, in: names), known: names)
    }

    func missingFiles(for set: BuiltinDataset) -> [String] {
        set.rawFiles.filter { !FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent($0).path) }
    }
}
