// Tokenizer tests: exact IDs against the reference tables (scripts/minilm-reference.py, cross-checked
// with Hugging Face tokenizers' BertWordPieceTokenizer; 150 seeded fuzz strings taken from it directly)
// on the real vocabulary, and the WordPiece rules
// on a tiny in-memory vocabulary where every expected piece can be read off by hand.

import Testing
@testable import EmbeddingEngine

@Suite struct TokenizerReferenceTests {
    @Test(arguments: MiniLMReference.tokenizerCases.indices)
    func matchesReference(_ i: Int) throws {
        let c = MiniLMReference.tokenizerCases[i]
        let t = try model().tokenize(c.text)
        #expect(t.ids == c.ids, "case \(i): \(c.text.prefix(60).debugDescription)")
        #expect(t.droppedTokens == c.dropped)
    }

    @Test func matchesHuggingFaceOnSeededFuzzStrings() throws {
        let m = try model()
        for (i, c) in MiniLMTokenizerFuzz.cases.enumerated() {
            let ids = m.tokenize(c.text).ids
            #expect(ids == c.ids, "fuzz case \(i): \(c.text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func oracleSentence() throws {
        let m = try model()
        #expect(m.tokenize("A man is eating food.").ids == [101, 1037, 2158, 2003, 5983, 2833, 1012, 102])
        #expect(m.tokenizer.wordPieces("Crème brûlée") == ["cr", "##eme", "br", "##ule", "##e"])
        #expect(m.countTokens("A man is eating food.") == 8)
    }

    @Test func longTextIsTruncatedAndReportsDroppedPieces() throws {
        let m = try model()
        let t = m.tokenize(MiniLMReference.longText)
        #expect(t.ids.count == 512)
        #expect(t.ids.first == 101 && t.ids.last == 102)
        #expect(t.droppedTokens == 165)
        #expect(m.countTokens(MiniLMReference.longText) == 512 + 165)
    }
}

@Suite struct WordPieceRuleTests {
    let tok: WordPieceTokenizer

    init() throws {
        tok = try WordPieceTokenizer(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "aff",
                                              "able", "##a", "a", "!", ",", "cafe", "中", "e", "\u{E9}", "##e"])
    }

    @Test func greedyLongestMatchFirstWithContinuations() {
        #expect(tok.wordPieces("unaffable") == ["un", "##aff", "##able"])
        #expect(tok.wordPieces("affable") == ["aff", "##able"])
        #expect(tok.wordPieces("aaa") == ["a", "##a", "##a"])
    }

    @Test func unmatchedRestMakesTheWholeWordUnknown() {
        // "unaffablex": "un ##aff ##able" then "x" has no piece, so the word is one [UNK].
        #expect(tok.wordPieceIDs("unaffablex able") == [1, 8])
    }

    @Test func wordLengthLimitIsInScalars() {
        let a100 = String(repeating: "a", count: 100)
        #expect(tok.wordPieceIDs(a100).count == 100)
        #expect(tok.wordPieceIDs(a100 + "a") == [1])
        // 100 "é" are 100 scalars after stripping accents but 200 before: the limit applies after normalization.
        #expect(tok.wordPieceIDs(String(repeating: "e\u{301}", count: 100)).allSatisfy { $0 != 1 })
    }

    @Test func punctuationSplitsAndAccentsAreStripped() {
        #expect(tok.wordPieces("Un,AFF!able") == ["un", ",", "aff", "!", "able"])
        #expect(tok.wordPieces("CAF\u{C9}") == ["cafe"])   // É → e, lowercased; "é" in the vocab is never reached
        #expect(tok.wordPieces("e\u{301}") == ["e"])
    }

    @Test func cjkIdeographsAreSeparateWords() {
        #expect(tok.wordPieces("a中a") == ["a", "中", "a"])
    }

    @Test func controlsVanishAndWhitespaceSplits() {
        #expect(tok.wordPieces("un\u{0}aff\u{200B}able") == ["un", "##aff", "##able"])
        #expect(tok.wordPieces("un\u{A0}able\u{3000}a") == ["un", "able", "a"])
    }

    @Test func truncationKeepsSpecialTokens() {
        let t = tok.encode("a a a a a", maxLength: 4)
        #expect(t.ids == [2, 10, 10, 3])
        #expect(t.droppedTokens == 3)
        #expect(tok.encode("", maxLength: 4) == TokenizedText(ids: [2, 3], droppedTokens: 0))
    }

    @Test func specialTokensInTextAreNotSpecial() {
        // Deliberate: user text "[SEP]" is split like any text, never read as a separator.
        #expect(!tok.wordPieceIDs("[SEP]").contains(3))
    }

    @Test func vocabularyKeysAreExactScalars() throws {
        // Swift's String == treats U+212B (Angstrom) and U+00C5 as equal; the vocabulary must not.
        let v = try WordPieceTokenizer(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "\u{212B}", "\u{C5}"])
        #expect(v.id(of: "\u{212B}") == 4)
        #expect(v.id(of: "\u{C5}") == 5)
    }

    @Test func missingSpecialTokenIsAnError() {
        #expect(throws: TokenizerError.missingSpecialToken(path: "<memory>", token: "[SEP]")) {
            try WordPieceTokenizer(tokens: ["[PAD]", "[UNK]", "[CLS]", "a"])
        }
    }
}
