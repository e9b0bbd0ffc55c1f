// JobSnapshot: one view of a customization, evaluation or model import job for `jobs`, `wait` and job values,
// read from the job's workspace row plus, while it runs in this process, its live progress.
import Billing
import Catalog
import Foundation
import Workspace

public struct JobSnapshot: Sendable {
    public var id: String
    public var name: String
    public var kind: JobKind
    /// Bedrock's status name: InProgress, Completed, Failed, Stopping, Stopped.
    public var status: String
    /// Customization: the base model; evaluation: the evaluated model(s).
    public var models: [String]
    /// FINE_TUNING / CONTINUED_PRE_TRAINING, or the evaluation's task type.
    public var detail: String
    public var statusDetails: [String: String]
    public var progress: JobProgress?
    public var failureMessage: String?
    /// Customization: the custom model's name and ARN once registered.
    public var outputModelName: String?
    public var outputModelARN: String?
    /// Customization: final figures (trainingLoss, validationLoss, …).
    public var metrics: [String: Double]
    public var hyperparameters: [String: String]
    public var createdAt: Billing.VirtualTime
    public var endedAt: Billing.VirtualTime?

    public var isTerminal: Bool { ["Completed", "Failed", "Stopped"].contains(status) }

    /// How a job card is titled, and what its models line is called.
    public var title: String {
        switch kind {
        case .customization: "Model customization job"
        case .evaluation: "Model evaluation job"
        case .modelImport: "Model import job"
        }
    }
    public var modelsLabel: String {
        switch kind {
        case .customization: "Base model"
        case .evaluation: "Models"
        case .modelImport: "Imported from"
        }
    }

    init(_ job: CustomizationJob, progress: JobProgress?) {
        id = job.id; name = job.name; kind = .customization; status = job.status.rawValue
        models = [job.baseModelID]; detail = job.customizationType; statusDetails = job.statusDetails
        self.progress = progress; failureMessage = job.failureMessage
        outputModelName = job.outputModelName; outputModelARN = job.outputModelARN
        metrics = job.metrics; hyperparameters = job.hyperparameters
        createdAt = job.createdAt.billing; endedAt = job.endedAt?.billing
    }

    init(_ job: EvaluationJob, progress: JobProgress?) {
        id = job.id; name = job.name; kind = .evaluation; status = job.status.rawValue
        models = job.modelIDs; detail = "\(job.jobType) \(job.taskType)"; statusDetails = [:]
        self.progress = progress; failureMessage = job.failureMessage
        outputModelName = nil; outputModelARN = nil; metrics = [:]; hyperparameters = [:]
        createdAt = job.createdAt.billing; endedAt = job.endedAt?.billing
    }

    init(_ job: ModelImportJob, progress: JobProgress?) {
        id = job.id; name = job.name; kind = .modelImport; status = job.status.rawValue
        models = [job.sourcePath]; detail = "IMPORTED"; statusDetails = [:]
        self.progress = progress; failureMessage = job.failureMessage
        outputModelName = job.modelName; outputModelARN = job.importedModelARN; metrics = [:]; hyperparameters = [:]
        createdAt = job.createdAt.billing; endedAt = job.endedAt?.billing
    }
}

extension Platform {
    /// A job by ID or name, of either kind.
    public func jobSnapshot(_ key: String) throws -> JobSnapshot {
        let found: JobSnapshot? = try workspace.read { tx in
            if let j = try tx.customizationJob(id: key) ?? tx.customizationJobs().first(where: { $0.name == key }) {
                return JobSnapshot(j, progress: jobProgress(id: j.id))
            }
            if let j = try tx.evaluationJob(id: key) ?? tx.evaluationJobs().first(where: { $0.name == key }) {
                return JobSnapshot(j, progress: jobProgress(id: j.id))
            }
            if let j = try tx.modelImportJob(key: key) { return JobSnapshot(j, progress: jobProgress(id: j.id)) }
            return nil
        }
        guard let found else {
            let names = try jobSnapshots().flatMap { [$0.id, $0.name] }
            let near = ClosestNames.suggest(key, among: names)
            throw BedrockError.resourceNotFound("no job named \(key)"
                + (near.isEmpty ? (names.isEmpty ? " (no jobs yet)" : "") : "; did you mean \(near.map { "\"\($0)\"" }.joined(separator: " or "))?"))
        }
        return found
    }

    /// Every job in the workspace, oldest first.
    public func jobSnapshots() throws -> [JobSnapshot] {
        try workspace.read { tx in
            let c = try tx.customizationJobs().map { JobSnapshot($0, progress: jobProgress(id: $0.id)) }
            let e = try tx.evaluationJobs().map { JobSnapshot($0, progress: jobProgress(id: $0.id)) }
            let i = try tx.modelImportJobs().map { JobSnapshot($0, progress: jobProgress(id: $0.id)) }
            return (c + e + i).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        }
    }
}
