// Robustness perturbations: each kind does what its name says, is deterministic per seed, differs
// across seeds, and leaves text it should not touch alone. Numbers as words against hand-checked
// English spellings.
import Testing
@testable import Evaluation

@Suite struct PerturbationTests {
    static let prompt = "What is the capital of France, and how many people lived there in 2019? Answer in 3 words."

    @Test(arguments: Perturbation.allCases)
    func deterministicPerSeed(kind: Perturbation) {
        #expect(kind.apply(Self.prompt, seed: 7) == kind.apply(Self.prompt, seed: 7))
    }

    @Test(arguments: [Perturbation.typos, .randomCapitals, .whitespace])
    func randomKindsChangeTextAndDependOnSeed(kind: Perturbation) {
        let outputs = Set((0..<8).map { kind.apply(Self.prompt + " " + Self.prompt, seed: UInt64($0)) })
        #expect(outputs.count > 1)
        #expect(!outputs.contains(Self.prompt + " " + Self.prompt))
    }

    @Test func lowercase() {
        #expect(Perturbation.lowercase.apply("Hello World, NASA!", seed: 1) == "hello world, nasa!")
    }

    @Test func randomCapitalsOnlyRaisesCase() {
        let out = Perturbation.randomCapitals.apply(Self.prompt, seed: 3)
        #expect(out.lowercased() == Self.prompt.lowercased())
        #expect(out != Self.prompt)
    }

    @Test func whitespaceOnlyMovesSpaces() {
        let out = Perturbation.whitespace.apply(Self.prompt, seed: 5)
        #expect(out.filter { $0 != " " } == Self.prompt.filter { $0 != " " })
        #expect(out != Self.prompt)
    }

    @Test func typosStayNearTheKeyboard() {
        let text = String(repeating: "the quick brown fox jumps over the lazy dog ", count: 10)
        let out = Perturbation.typos.apply(text, seed: 11)
        #expect(out != text)
        #expect(out.count <= text.count)
        #expect(out.count >= text.count - text.count / 10)  // drops are rare at a 5% rate
        #expect(out.filter { $0 == " " }.count == text.filter { $0 == " " }.count)  // only letters change
        #expect(out.allSatisfy { $0 == " " || ("a"..."z").contains($0) })
    }

    @Test func keyboardNeighboursAreSymmetric() {
        for (key, near) in Perturbation.keyboardNeighbours {
            for other in near { #expect(Perturbation.keyboardNeighbours[other]?.contains(key) == true, "\(key)-\(other)") }
        }
    }

    @Test func variantsAreOnePerKind() {
        let variants = Perturbation.variants(of: Self.prompt, seed: 1)
        #expect(variants.map(\.perturbation) == Perturbation.allCases)
        #expect(variants[2].text == "What is the capital of France, and how many people lived there in two thousand nineteen? Answer in three words.")
    }

    @Test(arguments: [
        (0 as UInt64, "zero"), (7, "seven"), (13, "thirteen"), (20, "twenty"), (42, "forty-two"), (100, "one hundred"),
        (105, "one hundred five"), (999, "nine hundred ninety-nine"), (1_000, "one thousand"),
        (1_999, "one thousand nine hundred ninety-nine"), (3_000_001, "three million one"),
        (1_000_000_000_000, "one trillion"),
    ])
    func numberWords(n: UInt64, words: String) {
        #expect(NumberWords.words(n) == words)
    }

    @Test func numbersInText() {
        #expect(NumberWords.replacingNumbers(in: "Take 2 pills, 3.5 ml, room 007 at 10:30.") ==
            "Take two pills, three point five ml, room zero zero seven at ten:thirty.")
        #expect(NumberWords.replacingNumbers(in: "No digits here.") == "No digits here.")
        #expect(NumberWords.replacingNumbers(in: "Version 2.") == "Version two.")
    }
}
