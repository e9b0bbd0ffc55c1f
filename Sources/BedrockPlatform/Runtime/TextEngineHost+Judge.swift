// What an LLM judge needs from the engine beyond generation: the next-token distribution after a
// rubric prompt, read at the rating tokens ("1"…"5", "Yes"/"No"), so a score is a probability-
// weighted rating rather than a parsed string. Scoring only; charging and access are the caller's.
import Foundation
import TextEngine

/// The judge's belief over a rating scale at one position.
struct RatingDistribution: Sendable, Equatable {
    /// Probability of each scale label, renormalised over the scale (sums to 1).
    var probabilities: [Double]
    /// Probability the model put on the scale's tokens at all, before renormalising (0–1): a low
    /// value means the judge wanted to say something else and the score rests on little mass.
    var scaleMass: Double
    /// Tokens read (the prompt), for the ledger.
    var promptTokens: Int
}

extension TextEngineHost {
    /// The next-token distribution after `input` (rendered in the chat template, a last assistant
    /// turn being a prefill), restricted to `labels`. Each label counts the probability of its
    /// bare token and of its space-prefixed token (" 4"), when either is a single token.
    func ratingDistribution(_ input: TextInput, labels: [String]) throws -> RatingDistribution {
        let m = try loaded()
        let prompt = try promptTokens(input)
        let next = try m.topNextTokens(prompt: m.decode(prompt), k: m.tokenizer.tokens.count)
        var logProb: [Int: Double] = [:]
        for t in next { logProb[t.tokenID] = Double(t.logProb) }
        var raw: [Double] = []
        for label in labels {
            var ids = Set<Int>()
            for form in [label, " " + label] {
                let enc = m.tokenizer.encode(form)
                if enc.count == 1 { ids.insert(enc[0]) }
            }
            raw.append(ids.reduce(0) { $0 + exp(logProb[$1] ?? -.infinity) })
        }
        let mass = raw.reduce(0, +)
        let probabilities = mass > 0 ? raw.map { $0 / mass } : raw.map { _ in 1 / Double(labels.count) }
        return RatingDistribution(probabilities: probabilities, scaleMass: min(1, mass), promptTokens: prompt.count)
    }
}
