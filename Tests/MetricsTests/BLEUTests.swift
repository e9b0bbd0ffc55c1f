// BLEU and the 13a tokenizer against sacrebleu 2.6.0 over Reference/bleu.json: sentence BLEU in
// every smoothing mode, tokenizer, case and effective-order setting, corpus BLEU with single and
// variable reference counts, and the signature strings. Tolerance 1e-6; lengths and counts exact.
import Testing
@testable import Metrics

struct BLEUCase: Decodable {
    let kind: String
    let hypotheses: [String]
    let references: [[String]]
    let options: [String: PyValue]
    let score: Double
    let precisions: [Double]
    let bp: Double
    let sys_len: Int
    let ref_len: Int
    let counts: [Double]
    let totals: [Double]
    let signature: String
}

struct BLEUTable: Decodable {
    let provenance: Provenance
    let cases: [BLEUCase]
    let tokens13a: [[String]]
}

/// sacrebleu keyword arguments → BLEUOptions.
func bleuOptions(_ kw: [String: PyValue]) -> BLEUOptions {
    let value = kw["smooth_value"]?.number
    let smoothing: BLEUSmoothing = switch kw["smooth_method"]?.string ?? "exp" {
    case "floor": .floor(value ?? 0.1)
    case "add-k": .addK(value ?? 1)
    case "none": .none
    default: .exp
    }
    return BLEUOptions(tokenizer: BLEUTokenizer(rawValue: kw["tokenize"]?.string ?? "13a")!,
                       lowercase: kw["lowercase"]?.bool ?? false, smoothing: smoothing,
                       effectiveOrder: kw["effective_order"]?.bool ?? false)
}

@Suite struct BLEUTests {
    @Test func agreesWithSacrebleu() throws {
        let table: BLEUTable = try Reference.load("bleu.json")
        #expect(table.provenance.libraries["sacrebleu"] == "2.6.0")
        var diff = MaxDiff()
        var corpora = 0
        for (k, c) in table.cases.enumerated() {
            let options = bleuOptions(c.options)
            let s = c.kind == "corpus"
                ? try BLEU.corpus(hypotheses: c.hypotheses, references: c.references, options: options)
                : BLEU.sentence(hypothesis: c.hypotheses[0], references: c.references[0], options: options)
            corpora += c.kind == "corpus" ? 1 : 0
            let label = "case \(k) \(c.options): \(c.hypotheses[0].debugDescription)"
            diff.check(s.score, c.score, label)
            diff.check(s.brevityPenalty, c.bp, label)
            for (a, e) in zip(s.precisions, c.precisions) { diff.check(a, e, label) }
            #expect(s.statistics.hypothesisLength == c.sys_len, "\(label)")
            #expect(s.statistics.referenceLength == c.ref_len, "\(label)")
            // sacrebleu's add-k adds k to its own counts in place; compare the raw counts otherwise.
            if case .addK = options.smoothing {} else {
                #expect(s.statistics.matches.map(Double.init) == c.counts, "\(label)")
                #expect(s.statistics.totals.map(Double.init) == c.totals, "\(label)")
            }
            #expect(s.signature == c.signature, "\(label)")
        }
        #expect(corpora == 4)
        #expect(diff.value <= table.provenance.tolerance, "max diff \(diff.value) at \(diff.worst)")
    }

    @Test func tokenizer13aAgreesWithSacrebleu() throws {
        let table: BLEUTable = try Reference.load("bleu.json")
        #expect(table.tokens13a.count > 300)
        for pair in table.tokens13a {
            #expect(BLEUTokenizer.thirteenA.tokens(pair[0]).joined(separator: " ") == pair[1], "\(pair[0].debugDescription)")
        }
    }

    @Test func signatureAndDescription() {
        let s = BLEU.sentence(hypothesis: "the cat sat on the mat", references: ["the cat sat on the mat"], options: .corpus)
        #expect(s.signature == "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0")
        #expect(abs(s.score - 100) < 1e-9)
        #expect(s.description.hasPrefix("BLEU = 100.00 100.0/100.0/100.0/100.0 (BP = 1.000 ratio = 1.000 hyp_len = 6 ref_len = 6)"))
        let floor = BLEUOptions(smoothing: .floorDefault, effectiveOrder: true)
        #expect(floor.signature(nrefs: "2") == "nrefs:2|case:mixed|eff:yes|tok:13a|smooth:floor[0.10]|version:2.6.0")
    }

    @Test func brevityPenaltyPunishesShortHypotheses() {
        let s = BLEU.sentence(hypothesis: "the cat", references: ["the cat sat on the mat"])
        #expect(abs(s.brevityPenalty - 0.1353352832366127) < 1e-15)   // exp(1 - 6/2)
    }

    @Test func corpusStatisticsAreSums() throws {
        let a = BLEU.statistics(hypothesis: "a b c", references: ["a b d"], options: .corpus)
        let b = BLEU.statistics(hypothesis: "x y", references: ["x y z"], options: .corpus)
        let c = try BLEU.corpus(hypotheses: ["a b c", "x y"], references: [["a b d"], ["x y z"]])
        #expect(c.statistics == a + b)
        #expect(c.statistics.matches == [4, 2, 0, 0])
    }
}

@Suite struct Tokenizer13aStreamTests {
    /// The fused stream must equal the four literal passes on any input; random strings over the
    /// characters the regexes care about find any drift (seeded, so failures reproduce).
    @Test func fusedStreamEqualsTheFourPasses() {
        let alphabet: [UInt32] = [0x61, 0x31, 0x39, 0x2E, 0x2C, 0x2D, 0x20, 0x26, 0x27, 0x2F, 0x09, 0xE9, 0x3A]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<3000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(state >> 59)
            var cps: [UInt32] = []
            for _ in 0..<length {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                cps.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            let expected = PythonText.split(Tokenizer13a.apply(cps)).map { Array(Tokenizer13a.apply(cps)[$0]) }
            var got: [[UInt32]] = []
            cps.withUnsafeBufferPointer { Tokenizer13aStream.run($0) { got.append(Array($0)) } }
            #expect(got == expected, "\(PythonText.string(cps).debugDescription)")
        }
    }
}
