// What Bedrock computes for each task (reference §5.2), for one response:
//   qa, custom  → token F1 and exact match against every accepted answer (SQuAD normalisation)
//   summarization → BERTScore F1 (MiniLM) and ROUGE-L F against the reference
//   classification → accuracy of the label read from the answer (LabelMapper)
//   generation → knowledge: the share of the reference's words the continuation reproduces
// and robustness as the same primary score on perturbed prompts with its delta (WER for generation).
import Evaluation
import Metrics

/// The accuracy scores of one response, the primary one first.
struct AccuracyScores {
    var values: [(String, Double)]
    /// Extra facts for the item's record (the label read from a classification answer).
    var details: [(String, JSONValue?)] = []
    var primary: Double { values.first?.1 ?? 0 }
}

struct TaskScorer {
    let task: TaskType
    let labels: [String]
    let platform: Platform
    let modelID: String

    /// The primary metric's name, as robustness reports it ("f1" → "delta_f1").
    var primaryName: String {
        switch task {
        case .questionAndAnswer, .custom: "f1"
        case .summarization: "bertscore"
        case .classification: "accuracy"
        case .generation: "knowledge"
        }
    }

    func accuracy(_ response: String, item: DatasetItem) throws -> AccuracyScores {
        let refs = item.referenceResponses
        switch task {
        case .questionAndAnswer, .custom:
            guard !refs.isEmpty else { return AccuracyScores(values: []) }
            let s = QuestionAnswering.score(prediction: response, answers: refs)
            return AccuracyScores(values: [("f1", s.f1), ("exact_match", s.exactMatch)])
        case .summarization:
            let bert = try platform.bertScore(candidate: response, references: refs).scores.f
            let rouge = Rouge.score(candidate: response, references: refs)[.l]?.f ?? 0
            return AccuracyScores(values: [("bertscore", bert), ("rougeL", rouge)])
        case .classification:
            let label = LabelMapper(labels: labels).map(response)
            let right = label != nil && label?.lowercased() == refs.first?.lowercased()
            return AccuracyScores(values: [("accuracy", right ? 1 : 0)], details: [("label", label.map(JSONValue.string) ?? .null)])
        case .generation:
            return AccuracyScores(values: [("knowledge", Self.wordRecall(response, references: refs))])
        }
    }

    /// The score robustness compares: the primary accuracy score of the perturbed answer, or for
    /// generation the word error rate between the original and the perturbed answer.
    func robustnessScore(perturbedResponse: String, originalResponse: String, item: DatasetItem) throws -> Double {
        if task == .generation { return Self.wordErrorRate(perturbedResponse, reference: originalResponse) }
        return try accuracy(perturbedResponse, item: item).primary
    }

    /// `<primary>_perturbed` (mean over the copies) and `delta_<primary>` (mean |original − perturbed|,
    /// as fmeval's delta scores); for generation only `wer` (mean; lower is more robust).
    func robustnessMetrics(original: Double, perturbed: [Double]) -> [(String, Double)] {
        guard !perturbed.isEmpty else { return [] }
        let mean = perturbed.reduce(0, +) / Double(perturbed.count)
        if task == .generation { return [("wer", mean)] }
        let delta = perturbed.reduce(0) { $0 + abs(original - $1) } / Double(perturbed.count)
        return [("\(primaryName)_perturbed", mean), ("delta_\(primaryName)", delta)]
    }

    /// The share of a reference's words (SQuAD-normalised, counted with multiplicity) that the
    /// response contains; the best over references. fmeval's factual-knowledge score asks whether
    /// the target appears in the output; this is its partial-credit form for longer references.
    static func wordRecall(_ response: String, references: [String]) -> Double {
        var available: [String: Int] = [:]
        for w in QuestionAnswering.normalize(response).split(separator: " ") { available[String(w), default: 0] += 1 }
        return references.map { ref -> Double in
            let words = QuestionAnswering.normalize(ref).split(separator: " ").map(String.init)
            guard !words.isEmpty else { return 0 }
            var left = available, found = 0
            for w in words where (left[w] ?? 0) > 0 { left[w]! -= 1; found += 1 }
            return Double(found) / Double(words.count)
        }.max() ?? 0
    }

    /// WER of `hypothesis` against `reference`; an empty reference gives 0 when the hypothesis is
    /// empty too, else 1 (jiwer refuses empty references).
    static func wordErrorRate(_ hypothesis: String, reference: String) -> Double {
        if reference.split(whereSeparator: \.isWhitespace).isEmpty {
            return hypothesis.split(whereSeparator: \.isWhitespace).isEmpty ? 0 : 1
        }
        return WordErrorRate.score(hypothesis: hypothesis, reference: reference).wer
    }
}
