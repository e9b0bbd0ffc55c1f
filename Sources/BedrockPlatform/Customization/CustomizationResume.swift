// Resuming a customization job from its checkpoint (a local extension: Bedrock has no resume API).
// What a job was started with beyond its row (method, seed, the data files' sha256) is kept in
// `job.json` in its folder; checkpoints are written while it trains on a schedule that bounds their
// cost; `resumeCustomizationJob` checks a Stopped or interrupted job can continue, then restarts
// its run, which restores the trainer and charges only what earlier runs did not.
import Basics
import Billing
import Catalog
import Foundation
import TextEngine
import Training
import Workspace

/// When a running job writes `checkpoint.bin`, so a killed process loses little: after the step that
/// ends an epoch, and after any step once `seconds` of training have passed since the last one;
/// either way only once `lastWriteSeconds / maxOverhead` seconds have passed, so writing checkpoints
/// never takes more than `maxOverhead` of the job's time (full fine-tuning's 1.6 GB takes seconds).
public struct CheckpointPolicy: Sendable, Equatable, Codable {
    public var seconds: Double
    public var maxOverhead: Double
    public init(seconds: Double = 30, maxOverhead: Double = 0.05) {
        self.seconds = seconds; self.maxOverhead = maxOverhead
    }
    /// At most 30 s of training lost; at most 5 % of the time spent writing.
    public static let standard = CheckpointPolicy()
    /// After every step (tests: a checkpoint at a known step).
    public static let everyStep = CheckpointPolicy(seconds: 0, maxOverhead: .greatestFiniteMagnitude)
}

/// The running state of a CheckpointPolicy during one run.
struct CheckpointSchedule {
    let policy: CheckpointPolicy
    private let clock = ContinuousClock()
    private var last: ContinuousClock.Instant
    private var lastCost: Double

    /// Before the first write its cost is estimated at 200 MB/s (measured here: 150–250 MB/s with
    /// fsync), so even the first checkpoint of a short full fine-tuning job keeps to the bound.
    init(policy: CheckpointPolicy, trainableCount: Int) {
        self.policy = policy
        last = clock.now
        lastCost = Double(12 * trainableCount) / 200e6
    }

    /// True when a checkpoint should be written now, after `step` steps.
    func isDue(step: Int, stepsPerEpoch: Int) -> Bool {
        let since = (clock.now - last).inSeconds
        guard since >= lastCost / policy.maxOverhead else { return false }
        return step % max(1, stepsPerEpoch) == 0 || since >= policy.seconds
    }

    mutating func wrote(seconds: Double) {
        lastCost = seconds
        last = clock.now
    }
}

/// What `resumeCustomizationJob` needs that the job row does not hold, saved as `job.json`.
struct JobRecipe: Codable, Equatable {
    var version = 1
    var hyperparameters: [String: String]
    /// "lora" or "full".
    var method: String
    var rank: Int?
    var alpha: Double?
    /// Decimal text: a UInt64 does not survive every JSON reader.
    var seed: String
    var threads: Int
    var trainingSHA256: String
    var validationSHA256: String?
    var checkpoints: CheckpointPolicy

    static let fileName = "job.json"

    init(_ request: CustomizationJobRequest) throws {
        hyperparameters = request.hyperparameters
        switch request.method {
        case let .lora(r, a): method = "lora"; rank = r; alpha = a
        case .full: method = "full"
        }
        seed = String(request.seed); threads = request.threads; checkpoints = request.checkpoints
        trainingSHA256 = try sha256Hex(ofFile: request.trainingDataPath)
        validationSHA256 = try request.validationDataPath.map { try sha256Hex(ofFile: $0) }
    }

    var tuningMethod: TuningMethod {
        method == "full" ? .full : .lora(rank: rank ?? 8, alpha: alpha ?? 16)
    }
}

extension Platform {
    static let checkpointName = "checkpoint.bin"

    /// Continues a Stopped job, or one that Failed with a checkpoint (its process was killed, or a
    /// write failed), from `checkpoint.bin`: the data files must be the ones it started with. The row
    /// goes back to InProgress and the run goes on in the background from the next step, ending as an
    /// uninterrupted run would (same bits, same metrics rows, same total charge). A local extension:
    /// Bedrock itself cannot resume a job.
    @discardableResult
    public func resumeCustomizationJob(_ key: String) throws -> CustomizationJob {
        try recoverInterruptedCustomizationJobs()
        let job = try customizationJob(key)
        try checkResumable(job)
        let recipe = try jobRecipe(job)
        try checkUnchanged(job.trainingDataPath, recipe.trainingSHA256, what: "training")
        if let path = job.validationDataPath, let hash = recipe.validationSHA256 {
            try checkUnchanged(path, hash, what: "validation")
        }
        let base = try model(id: job.baseModelID)
        try checkAccess(base)
        let request = CustomizationJobRequest(
            baseModelID: job.baseModelID, customizationType: CustomizationType(rawValue: job.customizationType) ?? .fineTuning,
            trainingDataPath: job.trainingDataPath, validationDataPath: job.validationDataPath,
            customModelName: job.outputModelName, jobName: job.name, hyperparameters: recipe.hyperparameters,
            method: recipe.tuningMethod, seed: UInt64(recipe.seed) ?? 0, threads: recipe.threads, checkpoints: recipe.checkpoints)
        let hyper: ResolvedHyperparameters
        switch base.resolveHyperparameters(request.hyperparameters) {
        case .success(let h): hyper = h
        case .failure(let e): throw BedrockError.validation("\(job.name)'s hyperparameters no longer resolve: \(e.description)")
        }
        let resumed = try workspace.write { tx -> CustomizationJob in
            if try tx.customModel(arnOrName: job.outputModelName) != nil {
                throw BedrockError.conflict("a custom model named \(job.outputModelName) was created since \(job.name) stopped; it cannot register under that name")
            }
            guard var row = try tx.customizationJob(id: job.id) else { throw BedrockError.resourceNotFound("no customization job \(key)") }
            // Checked again inside the write: of two resumes racing, only the first starts the run.
            guard row.status == .stopped || row.status == .failed else {
                throw BedrockError.validation("job \(job.name) is \(row.status.rawValue) now; only a Stopped or Failed job can be resumed")
            }
            row.status = .inProgress
            row.statusDetails["training"] = "InProgress"
            row.failureMessage = nil
            row.endedAt = nil
            try tx.updateCustomizationJob(row)
            return row
        }
        let folder = customizationJobFolder(id: job.id)
        RunningMarker.write(in: folder)
        let run = CustomizationRun(platform: self, job: resumed, request: request, base: base, hyperparameters: hyper, resuming: true)
        startJob(id: job.id, kind: .customization) { context in run.execute(context) }
        return resumed
    }

    /// Throws, saying why, unless the job ended Stopped or Failed with a readable checkpoint.
    private func checkResumable(_ job: CustomizationJob) throws {
        switch job.status {
        case .inProgress, .stopping:
            throw BedrockError.validation("job \(job.name) is still running (\(job.status.rawValue)); wait for it, or stop it and then resume it")
        case .completed:
            throw BedrockError.validation("job \(job.name) already Completed\(job.outputModelARN.map { " (custom model \($0))" } ?? ""); there is nothing to resume")
        case .failed, .stopped:
            break
        }
        let url = customizationJobFolder(id: job.id).appendingPathComponent(Self.checkpointName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            let why = job.status == .failed ? "it Failed before it saved a checkpoint (\(job.failureMessage ?? "no reason recorded"))" : "it has no checkpoint"
            throw BedrockError.validation("job \(job.name) cannot be resumed: \(why); start a new job instead")
        }
        do { _ = try checkpointSummary(url) } catch {
            throw BedrockError.validation("job \(job.name) cannot be resumed: \(url.path) is unreadable: \(error)")
        }
    }

    private func jobRecipe(_ job: CustomizationJob) throws -> JobRecipe {
        let url = customizationJobFolder(id: job.id).appendingPathComponent(JobRecipe.fileName)
        do { return try JSONDecoder().decode(JobRecipe.self, from: Data(contentsOf: url)) } catch {
            throw BedrockError.validation("job \(job.name) cannot be resumed: its start record \(url.path) is missing or unreadable (\(error.localizedDescription))")
        }
    }

    private func checkUnchanged(_ path: String, _ expected: String, what: String) throws {
        let now: String
        do { now = try sha256Hex(ofFile: path) } catch {
            throw BedrockError.validation("cannot resume: the \(what) data file \(path) is no longer readable")
        }
        guard now == expected else {
            throw BedrockError.validation("cannot resume: the \(what) data file \(path) changed since the job started"
                                          + " (sha256 \(expected.prefix(12))… then, \(now.prefix(12))… now); resuming needs the same data")
        }
    }

    /// The checkpoint's header, checked against the file's length (the checksum is checked on restore).
    func checkpointSummary(_ url: URL) throws -> CheckpointSummary {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let first = [UInt8](try handle.read(upToCount: 16) ?? Data())
        let length = try CheckpointSummary.prefixLength(first)
        let rest = [UInt8](try handle.read(upToCount: length - 16) ?? Data())
        let summary = try CheckpointSummary(prefix: first + rest)
        let size = try handle.seekToEnd()
        guard Int(size) == summary.fileLength else { throw CheckpointError.truncated }
        return summary
    }

    /// The step a Failed or Stopped job could resume from, when its checkpoint's header is readable
    /// (the body's checksum is checked only by a resume, which reads it all).
    func resumableStep(jobID: String) -> Int? {
        try? checkpointSummary(customizationJobFolder(id: jobID).appendingPathComponent(Self.checkpointName)).step
    }

    /// `it can be resumed from step 12 with `resume job "name"``
    static func resumeHint(name: String, step: Int) -> String {
        "it can be resumed from step \(step) with `resume job \"\(name)\"`"
    }
}

extension CustomizationRun {
    /// Writes checkpoint.bin atomically; returns the seconds it took (the schedule bounds their share).
    func saveCheckpoint(_ trainer: Trainer) throws -> Double {
        let clock = ContinuousClock(), start = clock.now
        try AtomicFile.write(to: folder.appendingPathComponent(Platform.checkpointName)) { handle in
            // Each piece is written from the trainer's own buffers, not copied: under full fine-tuning
            // one piece is a whole model's worth of floats.
            try trainer.writeCheckpoint { piece in
                guard let base = piece.baseAddress, piece.count > 0 else { return }
                try handle.write(contentsOf: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: piece.count,
                                                  deallocator: .none))
            }
        }
        let seconds = (clock.now - start).inSeconds
        log("wrote", step: trainer.stepsTaken, seconds: seconds)
        return seconds
    }

    /// `checkpoints.log`: one line per checkpoint written or restored (step, bytes, seconds), for
    /// anyone weighing the schedule's cost (scripts/bench-checkpoint); the platform never reads it.
    private func log(_ what: String, step: Int, seconds: Double) {
        let url = folder.appendingPathComponent("checkpoints.log")
        let size = (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(Platform.checkpointName).path)[.size] as? Int) ?? 0
        let line = Data("\(what) step \(step) bytes \(size) seconds \(String(format: "%.3f", seconds))\n".utf8)
        if let handle = try? FileHandle(forWritingTo: url) {
            _ = try? handle.seekToEnd(); try? handle.write(contentsOf: line); try? handle.close()
        } else {
            try? line.write(to: url)
        }
    }

    /// Restores the trainer from checkpoint.bin, read through a memory map (full fine-tuning's is 1.6 GB).
    func restore(_ trainer: Trainer) throws {
        let clock = ContinuousClock(), start = clock.now
        let url = folder.appendingPathComponent(Platform.checkpointName)
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw BedrockError.validation("cannot read \(url.path) to resume: \(error.localizedDescription)")
        }
        var failure: CheckpointError?
        data.withUnsafeBytes { raw in
            do throws(CheckpointError) { try trainer.restore(from: raw) } catch { failure = error }
        }
        if let failure { throw UnusableCheckpoint(message: "cannot resume from \(url.path): \(failure); start a new job instead") }
        log("restored", step: trainer.stepsTaken, seconds: (clock.now - start).inSeconds)
    }

    /// Training charged for this job so far (stops, and runs before a resume): tokens × epochs and dollars.
    func chargedSoFar(in tx: WorkspaceTransaction) throws -> (tokens: Int, amount: Decimal) {
        let mine = try tx.ledger(modelID: base.id).filter { $0.kind == ChargeKind.training.rawValue && $0.note.hasPrefix(job.name + " ") }
        var tokens = 0, amount = Decimal(0)
        for entry in mine {
            let q = ChargeQuantities(stored: entry.quantities)
            tokens += (q.trainedTokens ?? 0) * (q.epochs ?? 1)
            amount += entry.amount
        }
        return (tokens, amount)
    }
}

/// A resume that found its checkpoint's body damaged (the header, which `resume job` checks up
/// front, was fine): the job ends Failed without the usual "it can be resumed" hint.
struct UnusableCheckpoint: Error {
    let message: String
}
