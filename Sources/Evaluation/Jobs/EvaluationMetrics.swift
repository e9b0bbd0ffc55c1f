// The metric names an evaluation job accepts, per task type (reference §5.2 and §5.3): the
// automatic metrics (accuracy, robustness, toxicity), the judge metrics, each task's defaults,
// and the checks with did-you-mean. Pure names and rules; computing a metric happens in the
// platform, which has the models.

/// Bedrock's three automatic metrics (`Builtin.Accuracy`, `Builtin.Robustness`, `Builtin.Toxicity`).
public enum AutomaticMetric: String, CaseIterable, Sendable, Codable {
    case accuracy, robustness, toxicity
}

/// The metrics an LLM judge scores (`Builtin.Correctness`, …). Quality metrics use a 1–5 scale;
/// the responsible-AI ones (harmfulness, stereotyping, refusal) are yes/no, as in Bedrock.
public enum JudgeMetric: String, CaseIterable, Sendable, Codable {
    case correctness, completeness, faithfulness, helpfulness, coherence, relevance
    case followingInstructions = "following_instructions"
    case professionalStyleAndTone = "professional_style_and_tone"
    case harmfulness, stereotyping, refusal

    /// Yes/no metrics; a higher score means more of the named problem.
    public var isYesNo: Bool { self == .harmfulness || self == .stereotyping || self == .refusal }
}

/// The metrics of one job, split by who computes them.
public struct MetricSelection: Sendable, Equatable {
    public var automatic: [AutomaticMetric]
    public var judge: [JudgeMetric]

    public init(automatic: [AutomaticMetric], judge: [JudgeMetric]) {
        self.automatic = automatic
        self.judge = judge
    }

    /// All names, automatic first, as stored on the job row.
    public var names: [String] { automatic.map(\.rawValue) + judge.map(\.rawValue) }

    /// The automatic metrics Bedrock offers for a task (classification has no toxicity).
    public static func allowed(for task: TaskType) -> [AutomaticMetric] {
        task == .classification ? [.accuracy, .robustness] : AutomaticMetric.allCases
    }

    /// Bedrock's defaults: every automatic metric the task offers.
    public static func defaults(for task: TaskType) -> [AutomaticMetric] { allowed(for: task) }

    /// "Builtin.FollowingInstructions", "followingInstructions", "following_instructions" → "following_instructions".
    public static func normalize(_ name: String) -> String {
        var text = name.trimmingSpaces
        if text.lowercased().hasPrefix("builtin.") { text = String(text.dropFirst("builtin.".count)) }
        var out = ""
        for (i, c) in text.enumerated() {
            if c.isUppercase, i > 0, out.last != "_" { out += "_" }
            out += c == "-" || c == " " ? "_" : c.lowercased()
        }
        return out
    }

    /// Checks `names` against the task (nil: the task's defaults). Judge metrics need a judge, and a
    /// judge needs at least one judge metric. Every problem is reported, each with did-you-mean.
    public static func parse(_ names: [String]?, task: TaskType, hasJudge: Bool) throws(EvaluationSetupError) -> MetricSelection {
        guard let names else {
            if hasJudge { throw .judgeWithoutJudgeMetrics(known: JudgeMetric.allCases.map(\.rawValue)) }
            return MetricSelection(automatic: defaults(for: task), judge: [])
        }
        guard !names.isEmpty else { throw .noMetrics }
        var automatic: [AutomaticMetric] = [], judge: [JudgeMetric] = [], problems: [EvaluationSetupError] = []
        let known = AutomaticMetric.allCases.map(\.rawValue) + JudgeMetric.allCases.map(\.rawValue)
        for name in names {
            let key = normalize(name)
            if let m = AutomaticMetric(rawValue: key) {
                if !allowed(for: task).contains(m) {
                    problems.append(.metricNotForTask(metric: key, task: task.shortName, allowed: allowed(for: task).map(\.rawValue)))
                } else if !automatic.contains(m) { automatic.append(m) }
            } else if let m = JudgeMetric(rawValue: key) {
                if !judge.contains(m) { judge.append(m) }
            } else {
                problems.append(.unknownMetric(name: name, suggestion: closestName(to: key, in: known), known: known))
            }
        }
        if !judge.isEmpty, !hasJudge { problems.append(.judgeMetricsWithoutJudge(judge.map(\.rawValue))) }
        if hasJudge, judge.isEmpty { problems.append(.judgeWithoutJudgeMetrics(known: JudgeMetric.allCases.map(\.rawValue))) }
        if problems.count == 1 { throw problems[0] }
        if problems.count > 1 { throw .several(problems) }
        return MetricSelection(automatic: automatic, judge: judge)
    }
}

/// Why an evaluation job could not be set up. Nothing was created or charged.
public indirect enum EvaluationSetupError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownTask(name: String, suggestion: String?)
    case unknownMetric(name: String, suggestion: String?, known: [String])
    case metricNotForTask(metric: String, task: String, allowed: [String])
    case judgeMetricsWithoutJudge([String])
    case judgeWithoutJudgeMetrics(known: [String])
    case noMetrics
    case modelCount(Int)
    case sameModelTwice(String)
    case limitOutOfRange(Int)
    case perturbationsOutOfRange(Int)
    case emptyDataset(String)
    case taskMismatch(dataset: String, datasetTask: String, task: String)
    case several([EvaluationSetupError])

    public var description: String {
        switch self {
        case .unknownTask(let name, let suggestion):
            "unknown task '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                + " (tasks: \(TaskType.allCases.map(\.shortName).joined(separator: ", ")))"
        case .unknownMetric(let name, let suggestion, let known):
            "unknown metric '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                + " (metrics: \(known.joined(separator: ", ")))"
        case .metricNotForTask(let metric, let task, let allowed):
            "Bedrock has no \(metric) metric for \(task) (allowed: \(allowed.joined(separator: ", ")))"
        case .judgeMetricsWithoutJudge(let names):
            "\(names.joined(separator: ", ")) \(names.count == 1 ? "is a judge metric" : "are judge metrics"): "
                + "name the judge model with judge: \"…\""
        case .judgeWithoutJudgeMetrics(let known):
            "a judge needs judge metrics in metrics: [...] (\(known.joined(separator: ", ")))"
        case .noMetrics: "metrics: [] names no metric"
        case .modelCount(let n): "an evaluation job takes one model, or two to compare them; got \(n)"
        case .sameModelTwice(let id): "both models are \(id): name two different models to compare"
        case .limitOutOfRange(let n): "limit must be between 1 and \(CustomDataset.maxPrompts), got \(n)"
        case .perturbationsOutOfRange(let n):
            "perturbations must be between 1 and \(Perturbation.allCases.count) (one per kind: "
                + Perturbation.allCases.map(\.rawValue).joined(separator: ", ") + "), got \(n)"
        case .emptyDataset(let name): "the data set \(name) has no items"
        case .taskMismatch(let dataset, let datasetTask, let task):
            "\(dataset) is a \(datasetTask) data set; evaluate it with task: \"\(datasetTask)\" (got \"\(task)\")"
        case .several(let list): list.map(\.description).joined(separator: "\n")
        }
    }
}

extension TaskType {
    /// The task for a name the language passes, or a setup error with did-you-mean.
    public static func named(_ name: String) throws(EvaluationSetupError) -> TaskType {
        if let t = TaskType(name: name) { return t }
        if ["question-and-answer", "question_and_answer", "questionanswering"].contains(name.lowercased()) { return .questionAndAnswer }
        throw .unknownTask(name: name, suggestion: closestName(to: name.lowercased(), in: TaskType.allCases.map(\.shortName)))
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
