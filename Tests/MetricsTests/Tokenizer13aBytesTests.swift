// The byte tokenizer's boundary rules (Tokenizer13aBytes.swift) against the four literal regex
// passes (BLEUTokenizer.swift) on every string of up to six characters over the alphabet that
// decides 13a's boundaries: a letter, a digit, '.', ',', '-', a space and a symbol. Exhaustive
// rather than random, so every run of periods and commas of up to six, with every kind of
// neighbour on either side, is checked (the parity rule lives there).
import Testing
@testable import Metrics

@Suite struct Tokenizer13aBytesTests {
    static let alphabet: [UInt8] = Array("a1.,- /".utf8)

    static func tokens(_ bytes: [UInt8]) -> [String] {
        bytes.withUnsafeBufferPointer { b in
            var out: [String] = []
            Tokenizer13aBytes.run(b, count: BLEU.rstripped(b)) { s, e in
                out.append(String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self))
            }
            return out
        }
    }

    @Test func everyShortStringTokenizesAsTheRegexPasses() {
        var checked = 0
        var frontier: [[UInt8]] = [[]]
        for _ in 1...6 {
            frontier = frontier.flatMap { prefix in Self.alphabet.map { prefix + [$0] } }
            for bytes in frontier {
                let text = String(decoding: bytes, as: UTF8.self)
                let expected = BLEUTokenizer.thirteenA.tokens(text)
                let got = Self.tokens(bytes)
                if got != expected { Issue.record("\(text.debugDescription): \(got) ≠ \(expected)") }
                checked += 1
            }
        }
        #expect(checked == 137_256)   // 7 + 7² + … + 7⁶
    }

    /// Expected tokens from sacrebleu 2.6.0: `Tokenizer13a()(text).split()`.
    @Test func casesRecordedFromSacrebleu() {
        #expect(Self.tokens(Array("3.14 a.5 a..5 1..5 1.,5 x,y 2-3 a-b (.5".utf8))
                == ["3.14", "a", ".", "5", "a", ".", ".5", "1", ".", ".", "5", "1", ".", ",", "5", "x", ",", "y",
                    "2", "-", "3", "a-b", "(", ".", "5"])
        // Long words cross the eight-byte fast path: letters, digits, non-ASCII and an apostrophe.
        #expect(Self.tokens(Array("internationalization's 1234567890123 économiquement,".utf8))
                == ["internationalization's", "1234567890123", "économiquement", ","])
    }
}
