// CreateModelCustomizationJob and its neighbours: the request, the checks made before anything
// starts (base model, access, customization type, names, hyperparameters against the base's catalog
// schema, readable data files), the job row, and the hand-off to the shared job runner. What the
// job then does (validate, train, write, register, charge) is CustomizationRun.swift.
import Basics
import Billing
import Catalog
import Foundation
import TextEngine
import Training
import Workspace

/// How the weights change: low-rank adapters on the frozen base, or every weight of a copy.
public enum TuningMethod: Sendable, Equatable {
    case lora(rank: Int, alpha: Double)
    case full

    public static let standard = TuningMethod.lora(rank: 8, alpha: 16)
    var trainingMode: TrainingMode {
        switch self {
        case let .lora(rank, alpha): .lora(LoRAConfig(rank: rank, alpha: alpha))
        case .full: .full
        }
    }
    var label: String {
        switch self {
        case let .lora(rank, alpha): "LoRA rank \(rank) alpha \(alpha)"
        case .full: "full fine-tuning"
        }
    }
}

/// What `finetune` / `continue_pretraining` ask for (CreateModelCustomizationJob's fields).
public struct CustomizationJobRequest: Sendable {
    public var baseModelID: String
    public var customizationType: CustomizationType
    public var trainingDataPath: String
    public var validationDataPath: String?
    public var customModelName: String
    /// Defaults to "<custom model name>-job".
    public var jobName: String?
    /// Bedrock names or snake_case labels (`epochs`, `batch_size`…) → values as text.
    public var hyperparameters: [String: String]
    /// Local choice Bedrock does not expose; LoRA rank 8 by default.
    public var method: TuningMethod
    /// Seeds adapter initialisation and the epoch order.
    public var seed: UInt64
    /// Kernel threads (any count gives the same bits).
    public var threads: Int
    /// When checkpoint.bin is written while training (so a killed process can be resumed).
    public var checkpoints: CheckpointPolicy

    public init(baseModelID: String, customizationType: CustomizationType, trainingDataPath: String,
                validationDataPath: String? = nil, customModelName: String, jobName: String? = nil,
                hyperparameters: [String: String] = [:], method: TuningMethod = .standard, seed: UInt64 = 0, threads: Int = 2,
                checkpoints: CheckpointPolicy = .standard) {
        self.baseModelID = baseModelID; self.customizationType = customizationType
        self.trainingDataPath = trainingDataPath; self.validationDataPath = validationDataPath
        self.customModelName = customModelName; self.jobName = jobName; self.hyperparameters = hyperparameters
        self.method = method; self.seed = seed; self.threads = threads; self.checkpoints = checkpoints
    }
}

extension Platform {
    /// CreateModelCustomizationJob: checks the request, records the job InProgress and starts it in
    /// the background. Bad hyperparameters, names or a base model that cannot be customized throw
    /// ValidationException here and nothing is recorded; bad data ends the job Failed with every
    /// problem listed (and charges nothing).
    @discardableResult
    public func createCustomizationJob(_ request: CustomizationJobRequest) throws -> CustomizationJob {
        let base = try model(id: request.baseModelID)
        if base.isImported { throw BedrockError.validation("\(base.name) is an imported model; imported models cannot be customized") }
        guard !base.isCustom else {
            throw BedrockError.validation("\(base.name) is a custom model; customize its base \(base.foundationModelID) instead (a custom model of a custom model is not supported here)")
        }
        try checkAccess(base)
        guard base.customizations.contains(request.customizationType) else {
            let offered = base.customizations.map(\.rawValue).joined(separator: ", ")
            throw BedrockError.validation("\(base.id) does not support \(request.customizationType.rawValue)"
                                          + (offered.isEmpty ? "; it cannot be customized" : "; it supports \(offered)"))
        }
        guard base.engine.kind == .text else {
            throw BedrockError.validation("\(base.id) is served by \(base.engine.label); only text models can be trained here")
        }
        guard request.customizationType == .fineTuning || request.customizationType == .continuedPreTraining else {
            throw BedrockError.validation("\(request.customizationType.rawValue) is not supported here (FINE_TUNING and CONTINUED_PRE_TRAINING are)")
        }
        let hyper: ResolvedHyperparameters
        switch base.resolveHyperparameters(request.hyperparameters) {
        case .success(let h): hyper = h
        case .failure(let e): throw BedrockError.validation(String(e.description.dropFirst("ValidationException: ".count)))
        }
        try checkNames(request)
        if case let .lora(rank, alpha) = request.method, rank < 1 || rank > 256 || !(alpha > 0) {
            throw BedrockError.validation("LoRA rank must be in [1–256] and alpha positive, got rank \(rank) alpha \(alpha)")
        }
        for path in [request.trainingDataPath] + (request.validationDataPath.map { [$0] } ?? []) {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw BedrockError.validation("cannot read data file \(path): no such readable file")
            }
        }
        // The data files' sha256, so `resume job` can refuse data that changed meanwhile.
        let recipe: JobRecipe
        do { recipe = try JobRecipe(request) } catch {
            throw BedrockError.validation("cannot read a data file of \(request.customModelName): \(error)")
        }
        let job = try workspace.write { tx -> CustomizationJob in
            let now = try tx.now()
            let count = try tx.customizationJobs().count
            let name = request.jobName ?? request.customModelName + "-job"
            let id = sha256Hex(Array("\(name)|\(count)|\(now.seconds)|\(sessionID)".utf8)).prefix(12)
            let job = CustomizationJob(
                id: String(id), name: name, baseModelID: base.id, customizationType: request.customizationType.rawValue,
                statusDetails: ["validation": "InProgress", "dataProcessing": "NotStarted", "training": "NotStarted"],
                hyperparameters: hyper.bedrockStrings, trainingDataPath: request.trainingDataPath,
                validationDataPath: request.validationDataPath, outputModelName: request.customModelName, createdAt: now)
            try tx.insertCustomizationJob(job)
            return job
        }
        let folder = customizationJobFolder(id: job.id)
        RunningMarker.write(in: folder)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let bytes = try? encoder.encode(recipe) { try? AtomicFile.write(bytes, to: folder.appendingPathComponent(JobRecipe.fileName)) }
        let run = CustomizationRun(platform: self, job: job, request: request, base: base, hyperparameters: hyper)
        startJob(id: job.id, kind: .customization) { context in run.execute(context) }
        return job
    }

    private func checkNames(_ request: CustomizationJobRequest) throws {
        try checkNewNames(model: request.customModelName, modelField: "customModelName",
                          job: request.jobName ?? request.customModelName + "-job")
    }

    /// Where a job's metrics, loss curve and checkpoint go: `customization-jobs/<id>/` under the
    /// workspace's files root (a temporary folder for an ephemeral workspace).
    public func customizationJobFolder(id: String) -> URL {
        workspace.filesRoot.appendingPathComponent("customization-jobs", isDirectory: true).appendingPathComponent(id, isDirectory: true)
    }

    /// The file in the job folder holding the pid of the process running it (Jobs/RunningMarker.swift).
    static let runningMarker = RunningMarker.name

    /// GetModelCustomizationJob by ID or name.
    public func customizationJob(_ key: String) throws -> CustomizationJob {
        let found = try workspace.read { tx in
            try tx.customizationJob(id: key) ?? tx.customizationJobs().first { $0.name == key }
        }
        guard let found else { throw BedrockError.resourceNotFound("no customization job \(key)") }
        return found
    }

    /// Marks Failed every job the workspace shows InProgress or Stopping whose process has ended
    /// (a killed or crashed process): call when a platform opens a workspace. No half-written model
    /// is registered by such a job, since registration is its last, single transaction. When the job
    /// left a checkpoint, its failure message says from which step `resume job` continues it.
    @discardableResult
    public func recoverInterruptedCustomizationJobs() throws -> [String] {
        let open = try workspace.read { tx in
            try tx.customizationJobs(status: .inProgress) + tx.customizationJobs(status: .stopping)
        }
        var failed: [String] = []
        for var job in open where !runningJobIDs.contains(job.id)
            && !RunningMarker.heldByAnotherLiveProcess(in: customizationJobFolder(id: job.id)) {
            job.status = .failed
            job.failureMessage = "the process running the job ended before it finished; no custom model was registered"
                + (resumableStep(jobID: job.id).map { "; " + Self.resumeHint(name: job.name, step: $0) } ?? "")
            for (k, v) in job.statusDetails where v == "InProgress" || v == "Stopping" { job.statusDetails[k] = "Failed" }
            job.endedAt = try workspace.read { try $0.now() }
            try workspace.write { try $0.updateCustomizationJob(job) }
            RunningMarker.remove(in: customizationJobFolder(id: job.id))
            failed.append(job.id)
        }
        return failed
    }
}

/// A job's metric files read back: Bedrock's two CSVs as rows, the curve drawn for a terminal,
/// and where the SVG image is.
public struct CustomizationMetrics: Sendable {
    public var training: [(step: Int, epoch: Int, loss: Double)]
    public var validation: [(step: Int, epoch: Int, loss: Double)]
    public var curveText: String
    public var svgPath: String
}

extension Platform {
    /// The metrics a job wrote (empty before its first step).
    public func customizationMetrics(_ key: String) throws -> CustomizationMetrics {
        let job = try customizationJob(key)
        let folder = customizationJobFolder(id: job.id)
        func rows(_ name: String) -> [(step: Int, epoch: Int, loss: Double)] {
            guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else { return [] }
            return text.split(separator: "\n").dropFirst().compactMap { line in
                let f = line.split(separator: ",")
                guard f.count >= 3, let s = Int(f[0]), let e = Int(f[1]), let l = Double(f[2]) else { return nil }
                return (s, e, l)
            }
        }
        let training = rows("step_wise_training_metrics.csv"), validation = rows("validation_metrics.csv")
        var curve = LossCurve(training: [], validation: [])
        curve.training = training.map { ($0.step, $0.loss) }
        curve.validation = validation.map { ($0.step, $0.loss) }
        return CustomizationMetrics(training: training, validation: validation, curveText: curve.text(),
                                    svgPath: folder.appendingPathComponent("loss-curve.svg").path)
    }
}
