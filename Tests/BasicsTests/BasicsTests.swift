// SHA-256 against the FIPS 180-4 / NIST example vectors, also fed in uneven pieces; edit distances; JSON escapes;
// SplitMix64 and FNV-1a against values from their reference definitions (computed independently
// in Python with the published constants).
import Testing
import Basics

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func nistVectors(message: String, digest: String) {
        #expect(sha256Hex(message) == digest)
    }

    @Test func oneMillionAs() {
        #expect(sha256Hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths around the 55/56/64-byte padding edges, fed in uneven pieces, equal one-shot hashing.
    @Test func incrementalEqualsOneShot() {
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 200] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            var hasher = SHA256()
            var offset = 0
            var piece = 1
            while offset < bytes.count {
                let end = min(bytes.count, offset + piece)
                hasher.update(Array(bytes[offset..<end]))
                offset = end
                piece = piece * 3 % 17 + 1
            }
            let incremental = hexString(hasher.finalize())
            #expect(incremental == sha256Hex(bytes), "length \(length)")
        }
    }
}

@Suite struct RandomTests {
    @Test func splitMixReferenceStream() {
        var rng = SplitMix64(seed: 0)
        #expect([rng.next(), rng.next(), rng.next(), rng.next()] == [
            0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F, 0xF88B_B8A8_724C_81EC,
        ])
    }

    @Test func belowIsInRangeAndCoversIt() {
        var rng = SplitMix64(seed: 42)
        var seen = Set<Int>()
        for _ in 0..<2_000 {
            let x = rng.below(7)
            #expect((0..<7).contains(x))
            seen.insert(x)
        }
        #expect(seen.count == 7)
    }

    @Test func shuffleIsAPermutationAndSeeded() {
        var a = SplitMix64(seed: 9), b = SplitMix64(seed: 9), c = SplitMix64(seed: 10)
        let items = Array(0..<50)
        let x = a.shuffled(items), y = b.shuffled(items), z = c.shuffled(items)
        #expect(x.sorted() == items)
        #expect(x == y)
        #expect(x != z)
        #expect(x != items)
    }

    @Test func fnv1aReferenceValues() {
        #expect(stableHash("") == 0xCBF2_9CE4_8422_2325)
        #expect(stableHash("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(stableHash("typos") == 0xBB58_CFEF_AABA_CD54)
    }
}

@Suite struct JSONQuotingTests {
    @Test func escapesWhatJSONRequiresAndNothingElse() {
        #expect(jsonQuoted("a\"b\\c") == #""a\"b\\c""#)
        #expect(jsonQuoted("line\nnext\r\ttab") == #""line\nnext\r\ttab""#)
        #expect(jsonQuoted("\u{01}\u{1F}") == #""\u0001\u001f""#)
        #expect(jsonQuoted("café ✓ \u{7F}") == "\"café ✓ \u{7F}\"")
        var out = "["
        appendJSONQuoted("x", to: &out)
        #expect(out == #"["x""#)
    }
}

@Suite struct EditDistanceTests {
    @Test func levenshteinAndOptimalStringAlignment() {
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(editDistance("", "abc") == 3 && editDistance("abc", "") == 3)
        #expect(editDistance("same", "same") == 0)
        #expect(editDistance("pirnt", "print") == 2)
        #expect(editDistance("pirnt", "print", transpositions: true) == 1)
        #expect(editDistance("ca", "abc", transpositions: true) == 3)   // OSA: no edit of a transposed pair
        #expect(editDistance(Array("rouge".unicodeScalars), Array("rogue".unicodeScalars)) == 2)
    }
}
