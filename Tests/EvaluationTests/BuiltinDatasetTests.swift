// The four built-in sets built from the REAL raw files that scripts/fetch-data puts in the data
// cache: item counts and the recorded checksums (so every machine gets the same sets), plus the
// catalog's listing, name resolution and errors. Skips, saying so, only when the data is absent.
import Foundation
import Basics
import Testing
@testable import Evaluation

@Suite struct BuiltinDatasetTests {
    let catalog = DatasetCatalog()

    /// Each set built once for the whole suite: building the sentiment set reads 23,700 ratings.
    static let built: [BuiltinDataset: Result<Dataset, DatasetError>] = Dictionary(uniqueKeysWithValues:
        BuiltinDataset.allCases.map { set in (set, Result { () throws(DatasetError) in try DatasetCatalog().load(set.name) }) })

    func load(_ set: BuiltinDataset) throws -> Dataset { try Self.built[set]!.get() }

    func fetched(_ set: BuiltinDataset) -> Bool {
        let missing = catalog.missingFiles(for: set)
        if !missing.isEmpty { print("skipped \(set.name): raw data not in \(catalog.dataDirectory.path); run scripts/fetch-data") }
        return missing.isEmpty
    }

    @Test(arguments: BuiltinDataset.allCases)
    func realSetHasRecordedCountAndChecksum(set: BuiltinDataset) throws {
        guard fetched(set) else { return }
        let dataset = try load(set)  // load itself checks the checksum
        #expect(dataset.items.count == set.itemCount)
        #expect(dataset.checksum == set.recordedChecksum)
        #expect(dataset.taskType == set.taskType)
        #expect(Set(dataset.items.map(\.id)).count == dataset.items.count, "ids are unique")
        #expect(Set(dataset.items.map(\.prompt)).count == dataset.items.count, "prompts are unique")
        #expect(dataset.items.allSatisfy { !$0.prompt.isEmpty && !$0.referenceResponses.isEmpty && $0.category != nil })
    }

    @Test func quizCoversEverySubjectWithAllAnswers() throws {
        guard fetched(.quiz) else { return }
        let quiz = try load(.quiz)
        let counts = quiz.categoryCounts
        #expect(counts.map(\.category) == QuizSubject.factual.map(\.file))
        #expect(counts.allSatisfy { (6...7).contains($0.count) })
        let hoover = try #require(quiz.items.first { $0.prompt.contains("Herbert Clark Hoover as President") })
        #expect(hoover.referenceResponses.contains("Franklin Delano Roosevelt"))
        #expect(hoover.referenceResponses.contains("FDR"))
        #expect(quiz.items.allSatisfy { $0.referenceResponses.allSatisfy { !$0.contains("\u{8}") } })
    }

    @Test func sentimentIsBalanced() throws {
        guard fetched(.sentiment) else { return }
        let set = try load(.sentiment)
        let labels = set.items.map { $0.referenceResponses[0] }
        #expect(labels.filter { $0 == "positive" }.count == 50)
        #expect(labels.filter { $0 == "negative" }.count == 50)
        #expect(set.categoryCounts.map(\.category).sorted() == SentimentBuilder.sources.map(\.category).sorted())
        #expect(set.categoryCounts.allSatisfy { (24...26).contains($0.count) })
        #expect(set.provenance?.citation?.contains("Hutto") == true)
    }

    @Test func fortunesAreCleanHalves() throws {
        guard fetched(.fortunes) else { return }
        let set = try load(.fortunes)
        #expect(set.items.allSatisfy { SelectionFilter.isClean($0.prompt + " " + $0.referenceResponses[0]) })
        #expect(set.items.allSatisfy { $0.prompt.split(separator: " ").count >= 5 })
        let detector = ToxicityDetector()
        #expect(set.items.filter { detector.score($0.prompt + " " + $0.referenceResponses[0]).isToxic }.isEmpty)
    }

    @Test func summariesAreOwnTextOfTheRightSize() throws {
        let set = try load(.summaries)
        #expect(set.items.count == 40)
        for item in set.items {
            let passage = item.prompt.dropFirst(SummaryBuilder.instruction.count + 2)
            #expect((60...150).contains(passage.split(separator: " ").count), "\(item.id)")
            #expect(item.referenceResponses[0].split(separator: " ").count < passage.split(separator: " ").count / 2)
        }
        #expect(set.categoryCounts.count >= 10)
    }

    /// The embedded copy must equal Data/ on disk (scripts/embed-resources regenerates it).
    @Test func embeddedDataMatchesDisk() throws {
        let dataDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/Evaluation/Data").standardized
        let names = try FileManager.default.contentsOfDirectory(atPath: dataDir.path).filter { $0.hasSuffix(".jsonl") }.sorted()
        #expect(names == EmbeddedEvaluationData.files.keys.sorted(), "run scripts/embed-resources")
        for name in names {
            let disk = try String(contentsOf: dataDir.appendingPathComponent(name), encoding: .utf8)
            #expect(EmbeddedEvaluationData.files[name] == disk, "\(name) changed on disk since it was embedded: run scripts/embed-resources")
        }
    }
}

@Suite struct DatasetCatalogTests {
    @Test func listsEverySetWithItsFacts() {
        let sets = DatasetCatalog(dataDirectory: URL(fileURLWithPath: "/nonexistent")).datasets
        #expect(sets.map(\.name) == ["builtin:quiz", "builtin:sentiment", "builtin:fortunes", "builtin:summaries"])
        #expect(sets.map(\.taskType) == [.questionAndAnswer, .classification, .generation, .summarization])
        #expect(sets.map(\.isAvailable) == [false, false, false, true])
        #expect(sets.allSatisfy { $0.checksum.count == 64 && !$0.provenance.licence.isEmpty })
    }

    @Test func unknownNamesGetASuggestion() {
        let catalog = DatasetCatalog(dataDirectory: URL(fileURLWithPath: "/nonexistent"))
        #expect(throws: DatasetError.unknownDataset(name: "builtin:quizz", suggestion: "builtin:quiz",
                                                    known: BuiltinDataset.allCases.map(\.name))) {
            try catalog.load("builtin:quizz")
        }
        #expect(throws: DatasetError.unknownDataset(name: "sentimnet", suggestion: "builtin:sentiment",
                                                    known: BuiltinDataset.allCases.map(\.name))) {
            try catalog.load("sentimnet")
        }
        do { _ = try catalog.load("weather") } catch {
            #expect(error.description == "unknown data set 'weather' (built-in sets: builtin:quiz, builtin:sentiment, builtin:fortunes, builtin:summaries)")
        }
    }

    @Test func missingRawDataSaysToFetch() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("evaldata-empty-\(UUID().uuidString)")
        let catalog = DatasetCatalog(dataDirectory: empty)
        do {
            _ = try catalog.load("builtin:quiz")
            Issue.record("expected an error")
        } catch {
            guard case .notFetched(let name, _, let missing) = error else { Issue.record("wrong error \(error)"); return }
            #expect(name == "builtin:quiz")
            #expect(missing.first == "quiz/index")
            #expect(error.description.hasSuffix("run scripts/fetch-data"))
        }
    }

    @Test func changedRawFilesFailTheChecksum() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evaldata-tampered-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("fortunes"), withIntermediateDirectories: true)
        let record = "A perfectly ordinary sentence that is long enough to be chosen by the builder.\n%\n"
        for file in FortuneBuilder.files {
            try String(repeating: record, count: 20).write(to: dir.appendingPathComponent("fortunes/" + file), atomically: true, encoding: .utf8)
        }
        #expect(throws: DatasetError.self) { try DatasetCatalog(dataDirectory: dir).load("fortunes") }
        do { _ = try DatasetCatalog(dataDirectory: dir).load("fortunes") } catch {
            guard case .checksumMismatch(let name, let expected, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(name == "builtin:fortunes")
            #expect(expected == BuiltinDataset.fortunes.recordedChecksum)
        }
    }

    @Test func dataDirectoryFollowsTheEnvironment() {
        #expect(DatasetCatalog.defaultDataDirectory(environment: ["BEDROCK_DATA": "/d", "BEDROCK_HOME": "/h"]).path == "/d")
        #expect(DatasetCatalog.defaultDataDirectory(environment: ["BEDROCK_HOME": "/h"]).path == "/h/data")
        #expect(DatasetCatalog.defaultDataDirectory(environment: [:]).path.hasSuffix("/.bedrock/data"))
    }

    @Test func taskTypesByShortOrAPIName() {
        #expect(TaskType(name: "qa") == .questionAndAnswer)
        #expect(TaskType(name: "QuestionAndAnswer") == .questionAndAnswer)
        #expect(TaskType(name: "Summarization") == .summarization)
        #expect(TaskType(name: "translation") == nil)
    }

    @Test func canonicalFormIsFixed() {
        let set = Dataset(name: "t", taskType: .custom, items: [
            DatasetItem(id: "1", prompt: "Say \"hi\"\n\tnow\u{1}", referenceResponses: ["a\\b", "é"], category: nil),
        ], provenance: nil)
        #expect(set.canonicalJSONL == #"{"id":"1","prompt":"Say \"hi\"\n\tnow\u0001","referenceResponses":["a\\b","é"]}"# + "\n")
        #expect(set.checksum == sha256Hex(set.canonicalJSONL))
    }
}
