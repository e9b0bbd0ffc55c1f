// The byte fast path of BLEU (BLEUBytes.swift, Tokenizer13aBytes.swift) against the general
// code-point path on seeded random texts over the characters that matter to 13a: digits, '.',
// ',', '-', symbols, pre-replaced entities and newlines, multi-byte letters and non-ASCII spaces.
import Testing
@testable import Metrics

@Suite struct BLEUBytesTests {
    static let pieces = ["a", "b", "1", "9", ".", ",", "-", " ", "  ", "\t", "/", ":", "'", "é", "€", "日本",
                         "&amp;", "&lt;", "&quot;", "&", "<skipped>", "<", "\n", "-\n", "x.y", "\u{2009}"]

    static func text(_ state: inout UInt64) -> String {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let length = Int(state >> 58)
        var s = ""
        for _ in 0..<length {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            // The non-ASCII space (last piece, general path only) in one text of about eight.
            s += pieces[Int(state >> 33) % (pieces.count * 4 - 3) / 4]
        }
        return s
    }

    @Test func byteTokensEqualTheFourPasses() {
        var state: UInt64 = 0x1234_5678_9ABC_DEF1
        var checked = 0
        for _ in 0..<3000 {
            let t = Self.text(&state)
            var bytes = Array(t.utf8)
            switch bytes.withUnsafeBufferPointer({ BLEU.byteCheck($0) }) {
            case .reject: continue
            case .clean: break
            case .preReplace: bytes = bytes.withUnsafeBufferPointer { BLEU.preReplaced($0) }
            }
            var got: [String] = []
            bytes.withUnsafeBufferPointer { b in
                Tokenizer13aBytes.run(b, count: BLEU.rstripped(b)) { s, e in
                    got.append(String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self))
                }
            }
            #expect(got == BLEUTokenizer.thirteenA.tokens(t), "\(t.debugDescription)")
            checked += 1
        }
        #expect(checked > 1000)
    }

    @Test func nonASCIISpacesTakeTheGeneralPath() {
        for space in ["\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{200A}", "\u{2028}", "\u{2029}", "\u{202F}",
                      "\u{205F}", "\u{3000}"] {
            #expect(Array(("a b" + space + "c").utf8).withUnsafeBufferPointer { BLEU.byteCheck($0) } == .reject)
        }
        for other in ["\u{200B}", "\u{2010}", "é", "€", "a b\tc"] {
            #expect(Array(("a b" + other).utf8).withUnsafeBufferPointer { BLEU.byteCheck($0) } == .clean)
        }
        #expect(BLEU.byteStatistics(hypothesis: "a\u{A0}b", references: ["a b"], order: 4) == nil)
        let general = BLEU.statistics(hypothesis: "a\u{A0}b", references: ["a b"], options: .sentence)
        #expect(general.matches == [2, 1, 0, 0])
    }

    @Test func fastStatisticsEqualTheGeneralPath() {
        var state: UInt64 = 0x0F1E_2D3C_4B5A_6978
        var fast = 0
        for round in 0..<3000 {
            let hyp = Self.text(&state)
            let refs = (0..<(1 + round % 3)).map { _ in Self.text(&state) }
            for order in [1, 2, 4] {
                let options = BLEUOptions(maxNgramOrder: order)
                let general = BLEU.generalStatistics(hypothesis: hyp, references: refs, options: options)
                if let got = BLEU.byteStatistics(hypothesis: hyp, references: refs, order: order) {
                    fast += 1
                    #expect(got == general, "\(hyp.debugDescription) \(refs.debugDescription) order \(order)")
                }
            }
        }
        #expect(fast > 3000)   // most texts take the fast path
    }
}
