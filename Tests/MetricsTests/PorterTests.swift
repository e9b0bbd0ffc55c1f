// The Porter stemmer against nltk 3.10.4's PorterStemmer() (NLTK_EXTENSIONS, the mode rouge-score
// uses) over every word of Reference/porter.json: exact string equality required.
import Testing
@testable import Metrics

@Suite struct PorterTests {
    @Test func agreesWithNLTKOnTheWordList() throws {
        let table: Table<[String]> = try Reference.load("porter.json")
        #expect(table.cases.count > 20_000)
        var mismatches: [String] = []
        for pair in table.cases where PorterStemmer.stem(pair[0]) != pair[1] {
            mismatches.append("\(pair[0]) → \(PorterStemmer.stem(pair[0])) (nltk: \(pair[1]))")
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(10))")
    }

    @Test func classicExamples() {
        let expected = ["caresses": "caress", "ponies": "poni", "ties": "tie", "agreed": "agre", "hopping": "hop",
                        "filing": "file", "happy": "happi", "relational": "relat", "generalization": "gener",
                        "skies": "sky", "dying": "die", "news": "news", "controlling": "control"]
        for (word, stem) in expected { #expect(PorterStemmer.stem(word) == stem, "\(word)") }
    }
}
