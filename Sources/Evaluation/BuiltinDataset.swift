// The four built-in sets: their names, task types, sources, licences, which raw files they are
// built from and the checksum each must reproduce. The builders (Builders/) do the work; the
// catalog (DatasetCatalog.swift) finds the raw files. Editing a builder means re-recording here.

/// A built-in evaluation data set, named like `builtin:quiz`.
public enum BuiltinDataset: String, CaseIterable, Sendable {
    case quiz = "builtin:quiz"
    case sentiment = "builtin:sentiment"
    case fortunes = "builtin:fortunes"
    case summaries = "builtin:summaries"

    public var name: String { rawValue }

    public var taskType: TaskType {
        switch self {
        case .quiz: .questionAndAnswer
        case .sentiment: .classification
        case .fortunes: .generation
        case .summaries: .summarization
        }
    }

    /// One line for listings.
    public var summary: String {
        switch self {
        case .quiz: "factual questions (capitals, elements, presidents, poets, ...) with every accepted answer"
        case .sentiment: "sentences rated by people, labelled positive or negative (clear cases only)"
        case .fortunes: "short quotations cut in half: continue the text (also for perplexity and robustness)"
        case .summaries: "short passages written for bedrock, each with a one- or two-sentence summary"
        }
    }

    public var provenance: Provenance {
        switch self {
        case .quiz:
            Provenance(source: "Debian bsdgames 2.17-29+b1, usr/share/games/bsdgames/quiz", licence: "BSD (standard terms of the BSD games)")
        case .sentiment:
            Provenance(source: "PyPI vadersentiment 3.3.2 sdist, additional_resources/hutto_ICWSM_2014.tar.gz (*_GroundTruth.txt)",
                       licence: "MIT",
                       citation: "Hutto, C.J. & Gilbert, E.E. (2014). VADER: A Parsimonious Rule-based Model for Sentiment Analysis of Social Media Text. ICWSM-14.")
        case .fortunes:
            Provenance(source: "Debian fortunes 1:1.99.1-7.3, usr/share/games/fortunes", licence: "BSD (Regents of the University of California, advertising clause withdrawn); traditional free collection")
        case .summaries:
            Provenance(source: "written for bedrock (Sources/Evaluation/Data/summaries.jsonl)", licence: "same as bedrock")
        }
    }

    /// Items the set holds when built from the pinned raw files.
    public var itemCount: Int {
        switch self {
        case .quiz: QuizBuilder.itemCount
        case .sentiment: SentimentBuilder.itemCount
        case .fortunes: FortuneBuilder.itemCount
        case .summaries: 40
        }
    }

    /// sha256 of the set's `canonicalJSONL` built from the pinned raw files (scripts/fetch-data).
    public var recordedChecksum: String {
        switch self {
        case .quiz: "19f26b7021faaa0361095072d88a94b9af5a8a9f4ce6f38b59ce0b1f04958594"
        case .sentiment: "04e06c92a00eeed648be1732043af20c43e0fd8a9191c15def4d367e78ad3ebc"
        case .fortunes: "2f71440b8602aa5fa04979959df901b599067416b6b26daa6eb1372818b26747"
        case .summaries: "125f2f4ccb7a8c51c8f680e212a1997228aaefe4675250961a8c2ee560966303"
        }
    }

    /// Raw files under the data directory (scripts/fetch-data puts them there); none for the
    /// summaries, which are embedded in the binary.
    public var rawFiles: [String] {
        switch self {
        case .quiz: ["quiz/index"] + Set(QuizSubject.factual.map(\.file)).sorted().map { "quiz/" + $0 }
        case .sentiment: SentimentBuilder.sources.map { "vader/" + $0.file }
        case .fortunes: FortuneBuilder.files.map { "fortunes/" + $0 }
        case .summaries: []
        }
    }

    /// Builds the items from raw file texts keyed by file name without folder ("index", "africa",
    /// "tweets_GroundTruth.txt", "wisdom"). Summaries ignore the argument and use the embedded file.
    public func build(rawFiles files: [String: String]) throws(DatasetBuildError) -> [DatasetItem] {
        switch self {
        case .quiz: return try QuizBuilder.build(files: files)
        case .sentiment: return try SentimentBuilder.build(files: files)
        case .fortunes: return try FortuneBuilder.build(files: files)
        case .summaries:
            guard let text = EmbeddedEvaluationData.files[SummaryBuilder.fileName] else { throw .missingFile(SummaryBuilder.fileName) }
            return try SummaryBuilder.build(jsonl: text)
        }
    }
}
