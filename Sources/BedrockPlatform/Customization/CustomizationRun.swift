// One customization job's work, on the job runner's thread: validate every record (the job fails
// with the full report and no charge when any is bad), tokenize, check the budget, train through the
// bridge with live progress, write Bedrock's metric CSVs and the loss curve, then either register
// the custom model (weights first, atomically; then one transaction: model row, job Completed,
// training charge) or end Stopped (checkpoint kept, tokens processed charged) or Failed. Checkpoints
// are written while training (CheckpointSchedule); a resumed run restores one first and charges only
// what earlier runs of the job did not (CustomizationResume.swift).
import Basics
import Billing
import Catalog
import Foundation
import Synchronization
import TextEngine
import Training
import Workspace

final class CustomizationRun: Sendable {
    let platform: Platform
    let job: CustomizationJob
    let request: CustomizationJobRequest
    let base: ModelCard
    let hyperparameters: ResolvedHyperparameters
    /// True when the run continues from the job's checkpoint.bin (`resume job`).
    let resuming: Bool

    init(platform: Platform, job: CustomizationJob, request: CustomizationJobRequest, base: ModelCard,
         hyperparameters: ResolvedHyperparameters, resuming: Bool = false) {
        self.platform = platform; self.job = job; self.request = request; self.base = base
        self.hyperparameters = hyperparameters; self.resuming = resuming
    }

    var folder: URL { platform.customizationJobFolder(id: job.id) }

    /// Runs the job to its end state; never throws (every failure ends the job Failed with its reason).
    func execute(_ context: JobContext) {
        defer { RunningMarker.remove(in: folder) }
        do {
            try run(context)
        } catch {
            var reason = (error as? BedrockError)?.message ?? (error as? UnusableCheckpoint)?.message ?? "\(error)"
            if !(error is UnusableCheckpoint), let step = platform.resumableStep(jobID: job.id) {
                reason += "; " + Platform.resumeHint(name: job.name, step: step)
            }
            try? update { job in
                job.status = .failed
                job.failureMessage = reason
                for (k, v) in job.statusDetails where v == "InProgress" || v == "Stopping" { job.statusDetails[k] = "Failed" }
            }
        }
    }

    /// Reads the stored row, applies `change`, stamps the end time for terminal states, saves it.
    func update(_ change: (inout CustomizationJob) -> Void) throws {
        try platform.workspace.write { tx in try save(change, in: tx) }
    }

    func save(_ change: (inout CustomizationJob) -> Void, in tx: WorkspaceTransaction) throws {
        guard var row = try tx.customizationJob(id: job.id) else { return }
        change(&row)
        if [.completed, .failed, .stopped].contains(row.status) { row.endedAt = try tx.now() }
        try tx.updateCustomizationJob(row)
    }

    private func run(_ context: JobContext) throws {
        context.report(JobProgress(fraction: 0, summary: "validating data"))
        let engine = try platform.textEngine.loaded()
        let tokenizer = EngineBridge.tokenizer(engine)
        let data = try validate(tokenizer: tokenizer)
        guard let data else { return }
        if !resuming {
            try update { $0.statusDetails["validation"] = "Completed"; $0.statusDetails["dataProcessing"] = "InProgress" }
        }

        var settings = DataRules.trainingSettings(hyperparameters, seed: request.seed, hasValidation: true)
        let renderer = EngineChatRenderer()
        func examples(_ records: [TrainingRecord]) -> [TrainingExample] {
            records.map { TrainingExample(record: $0, tokenizer: tokenizer, renderer: renderer) }
        }
        var train = examples(data.training), validation = examples(data.validation)
        if validation.isEmpty, let percent = hyperparameters["evalPercentage"]?.doubleValue {
            (train, validation) = splitForValidation(train, percent: percent, seed: request.seed)
        }
        if validation.isEmpty { settings.earlyStopping = nil }
        let tokens = train.reduce(0) { $0 + $1.tokens.count }
        let quote = try platform.pricing.training(base, tokens: tokens, epochs: settings.epochs)
        let charged = try platform.workspace.read { tx in try chargedSoFar(in: tx) }
        try platform.workspace.read { tx in try platform.checkBudget(estimate: quote.total - charged.amount, in: tx) }
        try update { $0.statusDetails["dataProcessing"] = "Completed"; $0.statusDetails["training"] = "InProgress" }

        let baseHash = try platform.baseModelSHA256(engine)
        let model = try EngineBridge.trainingModel(from: engine, mode: request.method.trainingMode, seed: request.seed,
                                                   threads: request.threads)
        // The trainer (optimizer moments, the second lane) is gone before the weights are written:
        // under full fine-tuning that is 1.1 GB less at the job's peak.
        guard let (outcome, metrics) = try runTrainer(on: model, context: context, training: train, validation: validation,
                                                     settings: settings) else { return }
        try complete(model, tokens: tokens, epochs: settings.epochs, baseHash: baseHash, metrics: metrics, outcome: outcome)
    }

    /// Runs the trainer to its end. A job stopped by request is ended here (checkpoint, charge) and
    /// gives nil; otherwise the outcome and the job's metrics.
    private func runTrainer(on model: TrainingModel, context: JobContext, training train: [TrainingExample],
                       validation: [TrainingExample], settings: TrainingHyperparameters) throws
        -> (TrainingOutcome, [String: Double])? {
        let trainer = Trainer(model: model, training: train, validation: validation, hyperparameters: settings)
        if resuming { try restore(trainer) }
        var stopping = false
        var schedule = CheckpointSchedule(policy: request.checkpoints, trainableCount: model.trainableCount)
        var checkpointFailure: (any Error)?
        let outcome = trainer.run(isCancelled: { context.shouldStop(completedSteps: trainer.stepsTaken) || checkpointFailure != nil }) { p in
            context.report(JobProgress(fraction: Double(p.step) / Double(max(1, p.totalSteps)), summary: Self.summary(p)))
            if context.shouldStop(completedSteps: p.step), !stopping {
                stopping = true
                try? update { $0.status = .stopping; $0.statusDetails["training"] = "Stopping" }
            }
            // Not after the last step: the weights are written next, and then the checkpoint is deleted.
            if p.step < p.totalSteps, schedule.isDue(step: p.step, stepsPerEpoch: trainer.stepsPerEpoch) {
                do {
                    schedule.wrote(seconds: try saveCheckpoint(trainer))
                    try writeMetrics(trainer)
                } catch { checkpointFailure = error }
            }
        }
        if let checkpointFailure {
            try? writeMetrics(trainer)   // the loss rows so far stay readable for the Failed job
            throw checkpointFailure
        }
        try writeMetrics(trainer)
        var metrics: [String: Double] = [:]
        if let last = trainer.stepMetrics.last { metrics["trainingLoss"] = last.trainingLoss }
        if let last = trainer.validationMetrics.last { metrics["validationLoss"] = last.validationLoss }
        metrics["trainedTokens"] = Double(trainer.stepMetrics.reduce(0) { $0 + $1.tokens })
        if case .stopped = outcome {
            try stop(trainer, metrics: metrics)
            return nil
        }
        return (outcome, metrics)
    }

    /// The validated records, or nil after ending the job Failed with the report of every bad record.
    private func validate(tokenizer: EngineTokenizer) throws -> (training: [TrainingRecord], validation: [TrainingRecord])? {
        let type = request.customizationType, batch = settings(hyperparameters).batchSize
        let shapes = DataRules.shapes(base, type)
        var reports: [ValidationReport] = [], sets: [[TrainingRecord]] = []
        for (path, isValidation) in [(request.trainingDataPath, false)] + (request.validationDataPath.map { [($0, true)] } ?? []) {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw BedrockError.validation("cannot read \(path): \(error.localizedDescription)")
            }
            let limits = DataRules.limits(base, type, batchSize: batch, validation: isValidation)
            let result = validateDataset(text, file: URL(fileURLWithPath: path).lastPathComponent, shapes: shapes, limits: limits,
                                         tokenizer: tokenizer,
                                         renderer: EngineChatRenderer())
            reports.append(result.report)
            sets.append(result.records)
        }
        let bad = reports.filter { !$0.isValid }
        if !bad.isEmpty {
            let text = bad.map(\.description).joined(separator: "\n")
            try update { job in
                job.status = .failed
                job.failureMessage = "data validation failed; nothing was trained or charged\n" + text
                job.statusDetails["validation"] = "Failed"
            }
            return nil
        }
        return (sets[0], sets.count > 1 ? sets[1] : [])
    }

    private func settings(_ h: ResolvedHyperparameters) -> TrainingHyperparameters {
        DataRules.trainingSettings(h, seed: request.seed, hasValidation: false)
    }

    /// `epoch 1/2 · step 3/10 · loss 2.314 · 412 tok/s · ETA 0:12`
    static func summary(_ p: TrainingProgress) -> String {
        let eta = Int(p.etaSeconds.rounded())
        return "epoch \(p.epoch + 1)/\(p.epochs) · step \(p.step)/\(p.totalSteps) · loss \(String(format: "%.3f", p.trainingLoss))"
            + " · \(Int(p.tokensPerSecond.rounded())) tok/s · ETA \(eta / 60):\(String(format: "%02d", eta % 60))"
    }

    /// step_wise_training_metrics.csv, validation_metrics.csv and loss-curve.svg, each written atomically.
    private func writeMetrics(_ trainer: Trainer) throws {
        let curve = LossCurve(training: trainer.stepMetrics, validation: trainer.validationMetrics)
        try AtomicFile.write(Data(MetricsCSV.training(trainer.stepMetrics).utf8),
                             to: folder.appendingPathComponent("step_wise_training_metrics.csv"))
        try AtomicFile.write(Data(MetricsCSV.validation(trainer.validationMetrics).utf8),
                             to: folder.appendingPathComponent("validation_metrics.csv"))
        try AtomicFile.write(Data(curve.svg(title: "\(job.name): loss per step").utf8), to: folder.appendingPathComponent("loss-curve.svg"))
    }

    /// Stopped: the checkpoint is kept; the tokens processed and not yet charged (by an earlier
    /// stop of this job) are charged.
    private func stop(_ trainer: Trainer, metrics: [String: Double]) throws {
        _ = try saveCheckpoint(trainer)
        let processed = trainer.stepMetrics.reduce(0) { $0 + $1.tokens }
        try platform.workspace.write { tx in
            try save({ job in
                job.status = .stopped
                job.statusDetails["training"] = "Stopped"
                job.metrics = metrics
            }, in: tx)
            let rest = processed - (try chargedSoFar(in: tx).tokens)
            if rest > 0 { try charge(tokens: rest, epochs: 1, note: "\(job.name) stopped after step \(trainer.stepsTaken)", in: tx) }
        }
    }

    /// Completed: weights on disk first, then the model row, the job's end and the charge together.
    private func complete(_ model: TrainingModel, tokens: Int, epochs: Int, baseHash: String, metrics: [String: Double],
                          outcome: TrainingOutcome) throws {
        let arn = ModelCard.customModelARN(foundationModelID: base.id, suffix: job.id)
        let relative = "custom-models/\(job.id)/\(CustomWeightsFile.weightsName)"
        try CustomWeightsFile.write(model, baseSHA256: baseHash, customizationType: job.customizationType,
                                    to: platform.workspace.filesRoot.appendingPathComponent(relative))
        let hyper = hyperparameters.bedrockStrings
        let method = request.method
        let resumed = resuming
        try platform.workspace.write { tx in
            let now = try tx.now()
            try tx.registerCustomModel(CustomModel(arn: arn, name: request.customModelName, baseModelID: base.id,
                                                   baseFileSHA256: baseHash, weightsPath: relative,
                                                   customizationType: job.customizationType, hyperparameters: hyper,
                                                   jobID: job.id, createdAt: now))
            try platform.startStorageBilling(arn: arn, at: now.billing, in: tx)
            try save({ job in
                job.status = .completed
                job.statusDetails["training"] = "Completed"
                job.outputModelARN = arn
                job.metrics = metrics
                if case .earlyStopped(let step) = outcome { job.metrics["earlyStoppedAtStep"] = Double(step) }
            }, in: tx)
            let earlier = try chargedSoFar(in: tx)
            if earlier.tokens == 0 {
                try charge(tokens: tokens, epochs: epochs, note: "\(job.name) (\(method.label))", in: tx)
            } else if tokens * epochs > earlier.tokens {
                // Price is linear in tokens: the earlier charges plus this one equal one uninterrupted job's.
                try charge(tokens: tokens * epochs - earlier.tokens, epochs: 1,
                           note: "\(job.name) (\(method.label)) \(resumed ? "resumed" : "completed"), the rest after \(earlier.tokens) tokens charged", in: tx)
            }
        }
        // The weights are registered: the training state is no longer needed (full fine-tuning's is 1.6 GB).
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(Platform.checkpointName))
    }

    private func charge(tokens: Int, epochs: Int, note: String, in tx: WorkspaceTransaction) throws {
        let quote = try platform.pricing.training(base, tokens: tokens, epochs: epochs)
        try platform.charge(.training, modelID: base.id, quantities: ChargeQuantities(trainedTokens: tokens, epochs: epochs),
                            amount: quote.total, note: note, at: try tx.now().billing, in: tx)
    }
}

/// SHA-256 of model files by path, computed once per process (hashing 100 MB takes a moment).
private let modelFileHashes = Mutex<[String: String]>([:])

extension Platform {
    /// SHA-256 of the base model file (a custom model records it).
    func baseModelSHA256(_ engine: TextModel) throws -> String {
        let path = engine.weights.file.path
        if let known = modelFileHashes.withLock({ $0[path] }) { return known }
        let hash = try sha256Hex(ofFile: path)
        modelFileHashes.withLock { $0[path] = hash }
        return hash
    }
}
