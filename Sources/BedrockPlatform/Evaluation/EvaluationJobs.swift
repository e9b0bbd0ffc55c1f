// CreateEvaluationJob: checks a request completely (models, access, task, data set, metrics,
// judge, limits) before anything is stored, then records the job InProgress and runs it on the
// shared job runner. The run itself is EvaluationRun.swift; reports are EvaluationReport.swift.
import Catalog
import Evaluation
import Foundation
import Workspace

/// What `evaluate` asks for, as the language passes it.
public struct EvaluationRequest: Sendable {
    public var name: String?
    /// One model, or two to compare them.
    public var modelIDs: [String]
    /// "qa", "summarization", "classification", "generation", "custom" (or Bedrock's names).
    public var task: String
    /// "builtin:quiz" … or a path to a custom JSONL file (absolute, or relative to the process).
    public var dataset: String
    /// nil: the task's defaults (reference §5.2).
    public var metrics: [String]?
    public var judgeModelID: String?
    /// The first N items only (notebooks stay fast).
    public var limit: Int?
    public var seed: UInt64
    /// Generation length per answer; nil: the task's default (`EvaluationPlan.defaultMaxTokens`).
    public var maxTokens: Int?
    /// Perturbed copies per prompt for robustness, one per kind (Bedrock: about five).
    public var perturbations: Int

    public init(name: String? = nil, modelIDs: [String], task: String, dataset: String, metrics: [String]? = nil,
                judgeModelID: String? = nil, limit: Int? = nil, seed: UInt64 = 0, maxTokens: Int? = nil, perturbations: Int = 5) {
        self.name = name; self.modelIDs = modelIDs; self.task = task; self.dataset = dataset; self.metrics = metrics
        self.judgeModelID = judgeModelID; self.limit = limit; self.seed = seed; self.maxTokens = maxTokens
        self.perturbations = perturbations
    }
}

/// A checked request: everything a run needs, resolved before the job row exists.
public struct EvaluationPlan: Sendable {
    public var job: EvaluationJob
    public var task: TaskType
    public var items: [DatasetItem]
    public var selection: MetricSelection
    public var seed: UInt64
    public var maxTokens: Int
    public var perturbations: [Perturbation]
    /// Classification labels (the data set's distinct references).
    public var labels: [String]
    /// `evaluations/<id>/` under the workspace's files root.
    public var folder: URL

    /// Short answers keep an evaluation of SmolLM2 (~70 tokens/s here) quick.
    public static func defaultMaxTokens(_ task: TaskType) -> Int {
        switch task {
        case .questionAndAnswer: 24
        case .summarization: 60
        case .classification: 6
        case .generation: 24
        case .custom: 48
        }
    }
}

extension Platform {
    /// Checks the request, stores the job InProgress and starts it on the job runner (or, with
    /// `background: false`, runs it to the end on the caller's thread). Returns the stored row.
    @discardableResult
    public func createEvaluationJob(_ request: EvaluationRequest, background: Bool = true) throws -> EvaluationJob {
        let plan = try planEvaluation(request)
        try workspace.write { try $0.insertEvaluationJob(plan.job) }
        RunningMarker.write(in: plan.folder)
        if background {
            startJob(id: plan.job.id, kind: .evaluation) { [self] context in
                _ = runEvaluation(plan, isStopRequested: { context.isStopRequested }, report: context.report)
            }
            return plan.job
        }
        return runEvaluation(plan, isStopRequested: { false }, report: { _ in })
    }

    /// Resolves and checks a request; stores nothing. Setup and data set problems are thrown as
    /// ValidationException with every problem in the message.
    public func planEvaluation(_ r: EvaluationRequest) throws -> EvaluationPlan {
        do { return try checkedPlan(r) }
        catch let e as EvaluationSetupError { throw BedrockError.validation(e.description) }
        catch let e as DatasetError { throw BedrockError.validation(e.description) }
    }

    private func checkedPlan(_ r: EvaluationRequest) throws -> EvaluationPlan {
        let task = try TaskType.named(r.task)
        guard (1...2).contains(r.modelIDs.count) else { throw EvaluationSetupError.modelCount(r.modelIDs.count) }
        if r.modelIDs.count == 2, r.modelIDs[0] == r.modelIDs[1] { throw EvaluationSetupError.sameModelTwice(r.modelIDs[0]) }
        let selection = try MetricSelection.parse(r.metrics, task: task, hasJudge: r.judgeModelID != nil)
        if let limit = r.limit, !(1...CustomDataset.maxPrompts).contains(limit) { throw EvaluationSetupError.limitOutOfRange(limit) }
        guard (1...Perturbation.allCases.count).contains(r.perturbations) else {
            throw EvaluationSetupError.perturbationsOutOfRange(r.perturbations)
        }
        var models: [String] = []
        for id in r.modelIDs + [r.judgeModelID].compactMap({ $0 }) {
            let card = try model(id: id)
            _ = try textFamily(card)
            try checkAccess(card)
            models.append(card.id)
        }
        let evaluated = Array(models.prefix(r.modelIDs.count))
        let needsReferences = selection.automatic.contains(.accuracy) || selection.automatic.contains(.robustness)
        let data = try DatasetCatalog().load(nameOrPath: r.dataset, taskType: task, requireReferences: needsReferences && task != .custom)
        if r.dataset.lowercased().hasPrefix("builtin:"), task != .custom, data.taskType != task {
            throw EvaluationSetupError.taskMismatch(dataset: data.name, datasetTask: data.taskType.shortName, task: task.shortName)
        }
        let items = Array(data.items.prefix(r.limit ?? data.items.count))
        guard !items.isEmpty else { throw EvaluationSetupError.emptyDataset(data.name) }
        if let maxTokens = r.maxTokens, maxTokens < 1 { throw BedrockError.validation("max_tokens must be at least 1, got \(maxTokens)") }
        let (id, name, now) = try workspace.read { tx -> (String, String, VirtualTime) in
            let n = try tx.evaluationJobs().count + 1
            return (String(format: "eval-%04d", n), r.name ?? "evaluation-\(n)", try tx.now())
        }
        let job = EvaluationJob(id: id, name: name, jobType: "Automated", taskType: task.shortName, modelIDs: evaluated,
                                dataset: r.dataset, metrics: selection.names, judgeModelID: r.judgeModelID.map { _ in models.last! },
                                reportPath: "evaluations/\(id)", createdAt: now)
        return EvaluationPlan(job: job, task: task, items: items, selection: selection, seed: r.seed,
                              maxTokens: r.maxTokens ?? EvaluationPlan.defaultMaxTokens(task),
                              perturbations: Array(Perturbation.allCases.prefix(r.perturbations)),
                              labels: task == .classification ? LabelMapper(items: data.items).labels : [],
                              folder: workspace.evaluationFolder(id: id))
    }

    /// Every evaluation job, oldest first.
    public func evaluationJobs() throws -> [EvaluationJob] { try workspace.read { try $0.evaluationJobs() } }

    /// An evaluation job by ID or name, with did-you-mean.
    public func evaluationJob(_ key: String) throws -> EvaluationJob {
        let all = try evaluationJobs()
        if let j = all.first(where: { $0.id == key || $0.name == key }) { return j }
        let near = ClosestNames.suggest(key, among: all.flatMap { [$0.id, $0.name] })
        throw BedrockError.resourceNotFound("no evaluation job named \(key)"
            + (near.isEmpty ? (all.isEmpty ? " (no evaluation jobs yet)" : "") : "; did you mean \(near.map { "\"\($0)\"" }.joined(separator: " or "))?"))
    }
}
