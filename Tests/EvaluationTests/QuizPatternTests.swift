// Expanding bsdgames quiz answer patterns into every accepted answer, and reading quiz records
// (continuation lines, quoted colons). The cases come from the real files (pres, sov, state, ...).
import Testing
@testable import Evaluation

@Suite struct QuizPatternTests {
    @Test(arguments: [
        ("Paris", ["Paris"]),
        ("Vienna|Wien", ["Vienna", "Wien"]),
        ("{the }sparrow", ["the sparrow", "sparrow"]),
        ("{G{eorge} }Washington", ["George Washington", "G Washington", "Washington"]),
        ("Andorra la V[ell|iej]a", ["Andorra la Vella", "Andorra la Vieja"]),
        ("W[illia|]m [II|2|Rufus|the Red]", ["William II", "William 2", "William Rufus", "William the Red", "Wm II", "Wm 2", "Wm Rufus", "Wm the Red"]),
        ("Cal{if{ornia}}|CA", ["California", "Calif", "Cal", "CA"]),
        ("forget{-| }me{-| }not", ["forget-me-not", "forget-me not", "forget-menot", "forget me-not", "forget me not", "forget menot", "forgetme-not", "forgetme not", "forgetmenot"]),
        ("{W{illiam|m} }Harrison", ["William Harrison", "Wm Harrison", "W Harrison", "Harrison"]),
        ("a\\|b", ["a|b"]),
        ("[St.|Saint] John's", ["St. John's", "Saint John's"]),
    ])
    func expansions(pattern: String, expected: [String]) throws {
        #expect(try QuizPattern(pattern).expansions == expected)
    }

    @Test func displayIsTheFullestForm() throws {
        #expect(try QuizPattern("{J{ohn} }{Q{uincy} }Adams").display == "John Quincy Adams")
        #expect(try QuizPattern("[N|n]one{ (1841-5)}").display == "None (1841-5)")
    }

    @Test func emptyPatternHasNoAnswers() throws {
        #expect(try QuizPattern("").expansions.isEmpty)
        #expect(try QuizPattern("{}").expansions.isEmpty)
    }

    @Test(arguments: [
        ("{abc", QuizPatternError.unclosed("}", column: 5)),
        ("a[b|c", .unclosed("]", column: 6)),
        ("ab}", .unexpected("}", column: 3)),
        ("{a]", .unexpected("]", column: 3)),
        ("abc\\", .danglingBackslash(column: 4)),
    ])
    func malformed(pattern: String, error: QuizPatternError) {
        #expect(throws: error) { try QuizPattern(pattern) }
    }

    @Test func expansionIsCapped() throws {
        let pattern = String(repeating: "{a}", count: 12)  // 2^12 = 4096 raw combinations
        let raw = QuizPattern.expand(try QuizPattern(pattern).root)
        #expect(raw.count == QuizPattern.maxExpansions)
    }

    @Test func recordsJoinContinuationsAndKeepQuotedColons() {
        let text = "Come live with me:\\\nAnd we will:\\\n{Christopher }Marlowe\nratio\\:x:y\r\nends with \\\\:z\n\n"
        let records = QuizFile.records(text)
        #expect(records.map(\.line) == [1, 4, 5])
        #expect(records[0].fields == ["Come live with me", "And we will", "{Christopher }Marlowe"])
        #expect(records[1].fields == ["ratio\\:x", "y"])
        #expect(records[2].fields == ["ends with \\\\", "z"])
    }
}
