// Each builder on small inline samples written here: parsing, filtering, labelling, splitting and
// seeded, balanced selection. The real files are tested in BuiltinDatasetTests.
import Testing
@testable import Evaluation

@Suite struct QuizBuilderTests {
    static let index = """
    /usr/share/games/bsdgames/quiz/africa:Africa{n}:cap{ital}
    /usr/share/games/bsdgames/quiz/pres:pres{ident}:term:vice:succ{essor}
    """
    static let africa = "Algeria:Algiers\nBenin:Porto-Novo|Cotonou\nNowhere:\n"
    static let pres = """
    {G{rover} }Cleveland:1885-89:Hendricks:{B{enjamin} }Harrison
    {B{enjamin} }Harrison:1889-93:Morton:{G{rover} }Cleveland
    {G{rover} }Cleveland:1893-97:Stevenson:\\
    {W{illiam} }McKinley
    """

    @Test func candidatesUseIndexColumnsAndExpandAnswers() throws {
        let index = try QuizIndex(text: Self.index)
        #expect(index.column("capital", in: "africa") == 1)
        #expect(index.column("successor", in: "pres") == 3)
        let subject = QuizSubject(file: "africa", questionColumn: "African", answerColumn: "cap", template: "What is the capital of {q}?")
        let items = try QuizBuilder.candidates(subject: subject, index: index, text: Self.africa)
        #expect(items == [
            DatasetItem(id: "africa:1", prompt: "What is the capital of Algeria?", referenceResponses: ["Algiers"], category: "africa"),
            DatasetItem(id: "africa:2", prompt: "What is the capital of Benin?", referenceResponses: ["Porto-Novo", "Cotonou"], category: "africa"),
        ])  // "Nowhere" has no answer and is skipped, as quiz(6) does
    }

    @Test func repeatedQuestionsMergeTheirAnswers() throws {
        let subject = QuizSubject.factual.first { $0.file == "pres" }!
        let items = try QuizBuilder.candidates(subject: subject, index: QuizIndex(text: Self.index), text: Self.pres)
        #expect(items.count == 2)
        #expect(items[0].prompt == "Who succeeded Grover Cleveland as President of the United States?")
        #expect(items[0].referenceResponses == ["Benjamin Harrison", "B Harrison", "Harrison", "William McKinley", "W McKinley", "McKinley"])
    }

    @Test func articleFollowsTheQuestion() {
        let babies = QuizSubject.factual.first { $0.file == "babies" }!
        #expect(babies.phrase("owlet") == "Which animal's young is called an owlet?")
        #expect(babies.phrase("kitten") == "Which animal's young is called a kitten?")
    }

    @Test func buildIsSeededAndRoundRobin() throws {
        let subjects = [
            QuizSubject(file: "africa", questionColumn: "Africa", answerColumn: "capital", template: "Capital of {q}?"),
            QuizSubject(file: "pres", questionColumn: "president", answerColumn: "successor", template: "After {q}?"),
        ]
        let files = ["index": Self.index, "africa": Self.africa, "pres": Self.pres]
        let a = try QuizBuilder.build(files: files, subjects: subjects, seed: 1, count: 3)
        #expect(a.map(\.category) == ["africa", "pres", "africa"])
        #expect(try QuizBuilder.build(files: files, subjects: subjects, seed: 1, count: 3) == a)
        #expect(try QuizBuilder.build(files: files, subjects: subjects, seed: 1, count: 10).count == 4)
    }

    @Test func missingFilesAndColumnsAreNamed() {
        #expect(throws: DatasetBuildError.missingFile("index")) { try QuizBuilder.build(files: [:]) }
        let bad = QuizSubject(file: "africa", questionColumn: "Africa", answerColumn: "population", template: "{q}")
        #expect(throws: DatasetBuildError.missingColumn(file: "africa", columns: ["Africa", "population"])) {
            try QuizBuilder.build(files: ["index": Self.index, "africa": Self.africa], subjects: [bad])
        }
        #expect(throws: DatasetBuildError.badRecord(file: "africa", line: 2, reason: "column 3: expected '}' before the end of the pattern")) {
            try QuizBuilder.build(files: ["index": Self.index, "africa": "A:B\nC:{D\n"], subjects: [QuizSubject.factual[0]])
        }
    }
}

@Suite struct SentimentBuilderTests {
    static func file(_ rows: [(String, Double, String)]) -> String {
        rows.map { "\($0.0)\t\($0.1)\t\($0.2)\r\n" }.joined()
    }

    @Test func parsesTSVWithCRLFAndRejectsBadLines() throws {
        let ratings = try SentimentBuilder.ratings("1\t2.5\tGreat fun\r\n2\t-3\tAwful, just awful\r\n", file: "t")
        #expect(ratings == [.init(id: "1", score: 2.5, text: "Great fun"), .init(id: "2", score: -3, text: "Awful, just awful")])
        #expect(throws: DatasetBuildError.badRecord(file: "t", line: 2, reason: "expected id, rating in -4...4 and text separated by tabs")) {
            try SentimentBuilder.ratings("1\t2\tok\n2\tlots\tno\n", file: "t")
        }
        #expect(throws: DatasetBuildError.self) { try SentimentBuilder.ratings("1\t7\ttoo high\n", file: "t") }
    }

    @Test func marginCleanlinessAndLabels() {
        #expect(SentimentBuilder.usable(.init(id: "1", score: 0.9, text: "This is only mildly pleasant overall."))  == nil)
        #expect(SentimentBuilder.usable(.init(id: "1", score: -1.2, text: "The battery died after a single week of use."))! == ("The battery died after a single week of use.", "negative"))
        #expect(SentimentBuilder.usable(.init(id: "1", score: 2, text: "Fish &amp; chips were wonderful tonight, truly."))!.text == "Fish & chips were wonderful tonight, truly.")
        #expect(SentimentBuilder.usable(.init(id: "1", score: -3, text: "This damn phone keeps crashing every hour.")) == nil)
        #expect(SentimentBuilder.usable(.init(id: "1", score: 3, text: "Loving it! see http://example.com now")) == nil)
    }

    @Test func balancedAcrossLabelsAndSources() throws {
        var files: [String: String] = [:]
        for (n, source) in SentimentBuilder.sources.enumerated() {
            files[source.file] = Self.file((0..<6).map { i in
                ("\(n)_\(i)", i % 2 == 0 ? 2.0 : -2.0, "Sentence number \(i) from source \(n) is long enough.")
            })
        }
        let items = try SentimentBuilder.build(files: files, seed: 3, count: 8)
        #expect(items.map { $0.referenceResponses[0] } == ["positive", "negative", "positive", "negative", "positive", "negative", "positive", "negative"])
        #expect(Set(items.compactMap(\.category)).count == 4)
        #expect(items[0].prompt.hasPrefix(SentimentBuilder.instruction + "\n\nText: Sentence number"))
        #expect(try SentimentBuilder.build(files: files, seed: 3, count: 8) == items)
        #expect(throws: DatasetBuildError.tooFewItems(set: "builtin:sentiment", wanted: 40, found: 24)) {
            try SentimentBuilder.build(files: files, seed: 3, count: 40)
        }
    }
}

@Suite struct FortuneBuilderTests {
    static let sample = """
    A clean little saying that is long enough to be split in two halves nicely.
    \t\t-- Somebody Wise
    %
    Too short.
    %
    \tIndented verse
    \tis left out because its layout matters to its meaning, always and ever.
    %
    Q: Why is dialogue left out of the set of fortunes we keep for this?
    %
    Another perfectly ordinary sentence, with plenty of words in it for the model.
    """

    @Test func recordsSplitAtPercentLines() {
        let records = FortuneBuilder.records(Self.sample)
        #expect(records.count == 5)
        #expect(records.map(\.line) == [1, 4, 6, 9, 11])
    }

    @Test func proseDropsAttributionAndFiltersLayout() {
        let kept = FortuneBuilder.records(Self.sample).compactMap { FortuneBuilder.prose($0.text) }
        #expect(kept == [
            "A clean little saying that is long enough to be split in two halves nicely.",
            "Another perfectly ordinary sentence, with plenty of words in it for the model.",
        ])
    }

    @Test func splitRejoinsToTheWholeText() {
        let text = "one two three four five six seven eight nine ten eleven"
        let (prompt, rest) = FortuneBuilder.split(text)
        #expect(prompt == "one two three four five six")
        #expect(rest == "seven eight nine ten eleven")
        #expect(prompt + " " + rest == text)
    }

    @Test func buildTakesFilesInTurn() throws {
        var files: [String: String] = [:]
        for file in FortuneBuilder.files { files[file] = Self.sample }
        let items = try FortuneBuilder.build(files: files, seed: 5, count: 14)
        #expect(items.map(\.category) == (FortuneBuilder.files + FortuneBuilder.files))
        #expect(items.allSatisfy { $0.referenceResponses.count == 1 })
        #expect(throws: DatasetBuildError.tooFewItems(set: "builtin:fortunes", wanted: 15, found: 14)) {
            try FortuneBuilder.build(files: files, seed: 5, count: 15)
        }
    }
}

@Suite struct SummaryBuilderTests {
    @Test func recordsBecomeInstructionPrompts() throws {
        let items = try SummaryBuilder.build(jsonl: #"{"topic":"science","passage":"Water boils.","summary":"It boils."}"# + "\n")
        #expect(items == [DatasetItem(id: "summaries:1", prompt: SummaryBuilder.instruction + "\n\nWater boils.",
                                      referenceResponses: ["It boils."], category: "science")])
    }

    @Test(arguments: [
        #"{"topic":"x","passage":"p"}"#,
        #"{"topic":"x","passage":"p","summary":""}"#,
        #"{"topic":"x","passage":"p","summary":"s","extra":"e"}"#,
        #"["not an object"]"#,
    ])
    func badRecordsAreRejectedWithTheirLine(line: String) {
        #expect(throws: DatasetBuildError.self) { try SummaryBuilder.build(jsonl: #"{"topic":"a","passage":"b","summary":"c"}"# + "\n" + line + "\n") }
        do { _ = try SummaryBuilder.build(jsonl: "\n" + line) } catch {
            guard case .badRecord(_, let lineNumber, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(lineNumber == 2)
        }
    }
}
