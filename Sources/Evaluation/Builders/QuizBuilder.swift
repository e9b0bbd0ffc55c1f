// Builds `builtin:quiz` (question and answer) from the bsdgames quiz files: reads `index` to find
// each subject's columns, turns chosen factual columns into questions, expands answer patterns into
// every accepted answer, and samples a fixed-seed, category-balanced set. Pure: text in, items out.
import Basics
import Foundation

/// A quiz data file or the index, split into records of raw (still patterned) fields.
public enum QuizFile {
    /// Records with the 1-based line each starts on. `\` at a line's end continues the record;
    /// fields split at `:` unless quoted with `\`; the quoting stays for `QuizPattern` to read.
    public static func records(_ text: String) -> [(line: Int, fields: [String])] {
        var out: [(line: Int, fields: [String])] = []
        var pending = ""
        var startLine = 0
        let lines = text.lines()
        for (offset, rawLine) in lines.enumerated() {
            var line = String(rawLine)
            if line.hasSuffix("\r") { line.removeLast() }
            if pending.isEmpty { startLine = offset + 1 }
            if endsWithContinuation(line) {
                pending += line.dropLast()
                continue
            }
            pending += line
            if !pending.isEmpty { out.append((startLine, splitFields(pending))) }
            pending = ""
        }
        if !pending.isEmpty { out.append((startLine, splitFields(pending))) }
        return out
    }

    /// An odd run of trailing backslashes: the last one is not itself quoted.
    static func endsWithContinuation(_ line: String) -> Bool {
        line.reversed().prefix(while: { $0 == "\\" }).count % 2 == 1
    }

    static func splitFields(_ record: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        for c in record {
            if quoted {
                current.append(c)
                quoted = false
            } else if c == "\\" {
                current.append(c)
                quoted = true
            } else if c == ":" {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields
    }
}

/// The quiz `index`: each subject's data file name and its column title patterns.
public struct QuizIndex: Sendable {
    public var columns: [String: [QuizPattern]]

    /// Parses `index`; its first field is a path whose last component names the data file.
    public init(text: String) throws(DatasetBuildError) {
        columns = [:]
        for record in QuizFile.records(text) {
            guard record.fields.count >= 3 else { continue }
            let file = String(record.fields[0].split(separator: "/").last ?? "")
            do {
                columns[file] = try record.fields.dropFirst().map { field throws(QuizPatternError) in try QuizPattern(field) }
            } catch {
                throw .badRecord(file: "index", line: record.line, reason: error.description)
            }
        }
    }

    /// The index of the column whose title pattern accepts `title` (case-insensitive).
    public func column(_ title: String, in file: String) -> Int? {
        columns[file]?.firstIndex { $0.expansions.contains { $0.lowercased() == title.lowercased() } }
    }
}

/// One quiz subject turned into questions: which columns and how to phrase them.
public struct QuizSubject: Sendable {
    public var file: String
    public var questionColumn: String
    public var answerColumn: String
    /// The question, with `{q}` standing for the question column's display form.
    public var template: String

    public init(file: String, questionColumn: String, answerColumn: String, template: String) {
        self.file = file
        self.questionColumn = questionColumn
        self.answerColumn = answerColumn
        self.template = template
    }

    /// The template filled in; "a {q}" becomes "an {q}" before a vowel.
    public func phrase(_ question: String) -> String {
        let article = question.first.map { "aeiouAEIOU".contains($0) } == true ? "an " : "a "
        return template.replacingOccurrences(of: "a {q}", with: article + "{q}").replacingOccurrences(of: "{q}", with: question)
    }

    /// Factual subjects only: the games (arith, mult, sequences), the jokes (murders), the
    /// fiction (midearth, trek) and the specialist lists (ed, ucc, area codes, morse) are left out.
    public static let factual: [QuizSubject] = [
        .init(file: "africa", questionColumn: "Africa", answerColumn: "capital", template: "What is the capital of {q}?"),
        .init(file: "america", questionColumn: "America", answerColumn: "capital", template: "What is the capital of {q}?"),
        .init(file: "asia", questionColumn: "Asia", answerColumn: "capital", template: "What is the capital of {q}?"),
        .init(file: "europe", questionColumn: "Europe", answerColumn: "capital", template: "What is the capital of {q}?"),
        .init(file: "state", questionColumn: "state", answerColumn: "capital", template: "What is the capital of the US state of {q}?"),
        .init(file: "province", questionColumn: "province", answerColumn: "capital", template: "What is the capital of the Canadian province of {q}?"),
        .init(file: "elements", questionColumn: "symbol", answerColumn: "element", template: "Which chemical element has the symbol {q}?"),
        .init(file: "pres", questionColumn: "president", answerColumn: "successor", template: "Who succeeded {q} as President of the United States?"),
        .init(file: "sov", questionColumn: "sovereign", answerColumn: "successor", template: "Who succeeded {q} on the English throne?"),
        .init(file: "collectives", questionColumn: "individuals", answerColumn: "collective", template: "What is the collective noun for a group of {q}?"),
        .init(file: "babies", questionColumn: "baby", answerColumn: "adult", template: "Which animal's young is called a {q}?"),
        .init(file: "sexes", questionColumn: "male", answerColumn: "female", template: "What is the female form of the word \"{q}\"?"),
        .init(file: "latin", questionColumn: "latin", answerColumn: "english", template: "What does the Latin word \"{q}\" mean in English?"),
        .init(file: "poetry", questionColumn: "poem-line", answerColumn: "author", template: "Who wrote the poem with the line \"{q}\"?"),
        .init(file: "bard", questionColumn: "line", answerColumn: "work", template: "Which work by Shakespeare contains the line \"{q}\"?"),
        .init(file: "chinese", questionColumn: "year", answerColumn: "next", template: "In the Chinese zodiac, which animal's year follows the year of the {q}?"),
    ]
}

public enum QuizBuilder {
    public static let seed: UInt64 = 20_141_001
    public static let itemCount = 100

    /// All questions one subject yields, in file order. A question asked twice (Cleveland served
    /// two terms) keeps one item whose answers are the union.
    public static func candidates(subject: QuizSubject, index: QuizIndex, text: String) throws(DatasetBuildError) -> [DatasetItem] {
        guard let q = index.column(subject.questionColumn, in: subject.file),
              let a = index.column(subject.answerColumn, in: subject.file) else {
            throw .missingColumn(file: subject.file, columns: [subject.questionColumn, subject.answerColumn])
        }
        var items: [DatasetItem] = []
        var position: [String: Int] = [:]
        for record in QuizFile.records(text) where record.fields.count > max(q, a) {
            let question: QuizPattern, answer: QuizPattern
            do {
                question = try QuizPattern(record.fields[q])
                answer = try QuizPattern(record.fields[a])
            } catch {
                throw .badRecord(file: subject.file, line: record.line, reason: error.description)
            }
            // Overstruck letters ("Jos'\be") are terminal art, not an answer anyone types.
            let answers = answer.expansions.filter { !$0.contains(where: { $0.isASCII && $0.asciiValue! < 0x20 }) }
            guard !question.display.isEmpty, !answers.isEmpty, !question.display.contains(where: { $0.isASCII && $0.asciiValue! < 0x20 }) else {
                continue  // quiz(6) skips empty questions and answers too
            }
            let prompt = subject.phrase(question.display)
            if let at = position[prompt] {
                items[at].referenceResponses += answers.filter { !items[at].referenceResponses.contains($0) }
            } else {
                position[prompt] = items.count
                items.append(DatasetItem(id: "\(subject.file):\(record.line)", prompt: prompt,
                                         referenceResponses: answers, category: subject.file))
            }
        }
        return items
    }

    /// The set: each subject's candidates shuffled with its own sub-seed, then taken round-robin
    /// in subject order until `count` items, so every category is (nearly) equally represented.
    public static func build(files: [String: String], subjects: [QuizSubject] = QuizSubject.factual,
                             seed: UInt64 = seed, count: Int = itemCount) throws(DatasetBuildError) -> [DatasetItem] {
        guard let indexText = files["index"] else { throw .missingFile("index") }
        let index = try QuizIndex(text: indexText)
        var pools: [[DatasetItem]] = []
        for subject in subjects {
            guard let text = files[subject.file] else { throw .missingFile(subject.file) }
            var rng = SplitMix64(seed: seed ^ stableHash(subject.file))
            pools.append(rng.shuffled(try candidates(subject: subject, index: index, text: text)))
        }
        return roundRobin(pools, count: count)
    }
}

/// Takes one item from each pool in turn until `count` are taken or every pool is empty.
func roundRobin(_ pools: [[DatasetItem]], count: Int) -> [DatasetItem] {
    var out: [DatasetItem] = []
    var depth = 0
    while out.count < count, pools.contains(where: { $0.count > depth }) {
        for pool in pools where pool.count > depth && out.count < count { out.append(pool[depth]) }
        depth += 1
    }
    return out
}
