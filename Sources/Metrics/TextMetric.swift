// One string-keyed entry point for the text metrics, for the language binding: a metric name,
// a candidate, its references and untyped options in; a typed, printable result out. Unknown
// metric or option names fail with the closest valid name. Embedding- and model-based metrics
// (BERTScore, perplexity) need an engine first and are reached through their own types.

/// The result of any text metric.
public enum TextMetricResult: Sendable, Equatable, CustomStringConvertible {
    case rouge(RougeScore)
    case bleu(BLEUScore)
    case chrf(CHRFScore)
    case qa(QAScore)
    case wer(WERScore)

    public var description: String {
        switch self {
        case .rouge(let s): s.description
        case .bleu(let s): s.description
        case .chrf(let s): s.description
        case .qa(let s): s.description
        case .wer(let s): s.description
        }
    }
}

public enum TextMetric {
    /// Scores one candidate with the metric called `name` (`rouge`, `bleu`, `chrf`, `qa`, `wer`).
    /// WER uses the first reference (jiwer has no multi-reference WER).
    public static func score(_ name: String, candidate: String, references: [String],
                             options: [String: OptionValue] = [:]) throws(MetricError) -> TextMetricResult {
        guard !references.isEmpty else { throw .empty(what: "references") }
        switch try MetricName(parsing: name) {
        case .rouge:
            return .rouge(Rouge.score(candidate: candidate, references: references, options: try RougeOptions(options: options)))
        case .bleu:
            return .bleu(BLEU.sentence(hypothesis: candidate, references: references,
                                       options: try BLEUOptions(options: options, sentence: true)))
        case .chrf:
            return .chrf(CHRF.sentence(hypothesis: candidate, references: references, options: try CHRFOptions(options: options)))
        case .qa:
            _ = try OptionReader(metric: "qa", options: options, valid: [])
            return .qa(QuestionAnswering.score(prediction: candidate, answers: references))
        case .wer:
            _ = try OptionReader(metric: "wer", options: options, valid: [])
            return .wer(WordErrorRate.score(hypothesis: candidate, reference: references[0]))
        case .bertscore, .perplexity, .accuracy:
            throw .notATextMetric(name: name)
        }
    }
}
