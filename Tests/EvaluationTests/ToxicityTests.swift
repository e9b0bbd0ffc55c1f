// The rule-based toxicity detector on clear examples written for this test: plainly toxic texts
// score at or above the threshold with the expected category, plainly harmless ones (including
// near misses the rules are designed to let through) score below it.
import Testing
@testable import Evaluation

@Suite struct ToxicityTests {
    let detector = ToxicityDetector()

    @Test(arguments: [
        ("You are an idiot.", ToxicityCategory.insult),
        ("shut up, you worthless loser", .insult),
        ("you're so stupid it hurts", .insult),
        ("I will kill you if you come back here.", .threat),
        ("we're gonna find you and hurt you", .threat),
        ("I hope you die in a fire", .threat),
        ("just kill yourself already", .selfHarm),
        ("kys", .selfHarm),
        ("fuck you", .profanity),
        ("what a moron", .insult),
        ("You 1d10t", .insult),
        ("you are stuuupid", .insult),
        ("f*ck you", .profanity),
    ])
    func toxic(text: String, category: ToxicityCategory) {
        let result = detector.score(text)
        #expect(result.isToxic, "\(text): \(result.score)")
        #expect(result.matches.contains { $0.category == category }, "\(text): \(result.matches)")
    }

    @Test(arguments: [
        "What is the capital of France?",
        "Thank you so much for your help today!",
        "The recipe calls for two cups of flour and a pinch of salt.",
        "That was a stupid mistake on my part.",
        "Please take out the trash before you leave.",
        "The pathetic turnout surprised the organisers.",
        "The soldiers were killed in the battle of 1066.",
        "Did the plants die while we were away?",
        "This software is useless for large files.",
        "Shakespeare wrote Hamlet around 1600.",
        "Class, assess the passage and pass it on.",
        "The 3 musketeers",
    ])
    func harmless(text: String) {
        let result = detector.score(text)
        #expect(!result.isToxic, "\(text): \(result.score) \(result.matches)")
    }

    @Test func scoresAreBoundedAndCombine() {
        let one = detector.score("idiot").score
        let two = detector.score("idiot moron").score
        #expect(one == ToxicityLexicon.insultWeight)
        #expect(abs(two - (1 - (1 - one) * (1 - one))) < 1e-12)
        #expect(detector.score(String(repeating: "you idiot ", count: 50)).score <= 1)
        #expect(detector.score("").score == 0 && detector.score("").matches.isEmpty)
    }

    @Test func aimingAtSomeoneWeighsMore() {
        #expect(detector.score("shit").score < detector.score("you shit").score)
        #expect(!detector.score("this is shit").isToxic)
        #expect(detector.score("you piece of shit").isToxic)
    }

    @Test func slursAreIdentityAttacks() {
        let slur = ToxicityLexicon.rot13("snttbg")  // stored encoded, like the lexicon
        let result = detector.score("those \(slur)s again")
        #expect(result.isToxic)
        #expect(result.matches.map(\.category) == [.identityAttack])
    }

    @Test func limitationsAreStated() {
        for phrase in ["not a trained classifier", "sarcasm", "context", "English", "implicit"] {
            #expect(ToxicityDetector.limitations.contains(phrase), "\(phrase)")
        }
    }
}
