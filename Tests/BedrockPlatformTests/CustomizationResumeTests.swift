// Resuming customization jobs on the real SmolLM2 file: a job stopped mid-training and resumed ends
// with the same loss rows, the same adapter bytes and the same total charge as one that ran straight
// through; a process killed after a periodic checkpoint leaves the job Failed-resumable and resuming
// it completes the same way; a checkpoint that cannot be written fails the job with the reason;
// changed data, Completed jobs and missing or broken checkpoints are refused with the reason, and a
// checkpoint whose body turns out damaged fails the resumed job without offering another resume.
// Each run is six LoRA steps on three tiny records.
import Billing
import Foundation
import Testing
import Training
import Workspace
@testable import BedrockPlatform

private let hyper = ["epochs": "2", "batch_size": "1", "learning_rate": "0.003", "warmup_steps": "0"]

private func request(_ name: String, _ data: String, _ validation: String?, checkpoints: CheckpointPolicy = .standard) -> CustomizationJobRequest {
    CustomizationJobRequest(baseModelID: ctBase, customizationType: .fineTuning, trainingDataPath: data, validationDataPath: validation,
                            customModelName: name, hyperparameters: hyper, seed: 5, checkpoints: checkpoints)
}

/// What a finished job left: its CSVs, its weights file's bytes, its row's metrics.
private struct Outcome: Equatable {
    var training: String, validation: String, weights: Data, metrics: [String: Double]
}

private func outcome(_ p: Platform, _ id: String) throws -> Outcome {
    let folder = p.customizationJobFolder(id: id)
    func text(_ name: String) throws -> String { try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) }
    let weights = try Data(contentsOf: p.workspace.filesRoot.appendingPathComponent("custom-models/\(id)/weights.gguf"))
    return Outcome(training: try text("step_wise_training_metrics.csv"), validation: try text("validation_metrics.csv"),
                   weights: weights, metrics: try p.customizationJob(id).metrics)
}

private func trainingCharges(_ p: Platform) throws -> [Decimal] {
    try p.ledger(.workspace).entries.filter { $0.kind == .training }.map(\.amount)
}

/// The step the job's last resume restored, from the checkpoints.log line `restored step k …`.
private func restoredStep(_ p: Platform, _ id: String) throws -> Int? {
    let log = try String(contentsOf: p.customizationJobFolder(id: id).appendingPathComponent("checkpoints.log"), encoding: .utf8)
    let line = log.split(separator: "\n").last { $0.hasPrefix("restored step ") }
    return line.flatMap { Int($0.split(separator: " ")[2]) }
}

/// Polls until `condition` holds (a job's progress), for at most `seconds`.
private func waitUntil(_ seconds: Double = 120, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.005)
    }
    return false
}

/// A process id that is certainly not running: a child that has exited and been reaped.
private func deadPID() throws -> Int32 {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/bin/true")
    try child.run()
    child.waitUntilExit()
    return child.processIdentifier
}

@Suite(.serialized) struct CustomizationResumeTests {
    @Test func aStoppedJobResumedEndsAsIfItNeverStopped() throws {
        let p = try ctGrantedPlatform()
        let data = try ctJSONL("train.jsonl", ctTinySet)
        let validation = try ctJSONL("validation.jsonl", [ctTinySet[1]])
        let straight = try p.createCustomizationJob(request("straight", data, validation))
        _ = p.waitForJob(id: straight.id)
        #expect(try p.customizationJob(straight.id).status == .completed)
        let reference = try outcome(p, straight.id)
        #expect(reference.training.split(separator: "\n").count == 1 + 6)
        #expect(reference.validation.split(separator: "\n").count == 1 + 2)
        #expect(!FileManager.default.fileExists(atPath: p.customizationJobFolder(id: straight.id).appendingPathComponent("checkpoint.bin").path))

        // The same job, stopped once two steps are done (`stop job … after_step: 2`).
        let job = try p.createCustomizationJob(request("stopped-then-resumed", data, validation))
        #expect(p.requestStop(jobID: job.id, afterStep: 2))
        _ = p.waitForJob(id: job.id)
        let stopped = try p.customizationJob(job.id)
        #expect(stopped.status == .stopped, "\(stopped.failureMessage ?? "")")
        let done = try p.customizationMetrics(job.id).training.count
        #expect(done == 2, "stopped after \(done) steps")
        #expect(try trainingCharges(p).count == 2)

        let resumed = try p.resumeCustomizationJob("stopped-then-resumed-job")
        #expect(resumed.status == .inProgress && resumed.statusDetails["training"] == "InProgress")
        #expect(resumed.endedAt == nil && resumed.failureMessage == nil)
        #expect(p.waitForJob(id: job.id) == .finished)
        let row = try p.customizationJob(job.id)
        #expect(row.status == .completed, "\(row.failureMessage ?? "")")
        #expect(row.statusDetails == ["validation": "Completed", "dataProcessing": "Completed", "training": "Completed"])
        // It continued from the checkpoint (retraining from scratch would also match the reference)…
        #expect(try restoredStep(p, job.id) == done)
        // …with the same loss rows (no step twice, none lost), adapter bytes and final metrics.
        #expect(try outcome(p, job.id) == reference)
        // Charged: the stopped part, then the rest; together exactly one uninterrupted job's charge.
        let charges = try trainingCharges(p)
        #expect(charges.count == 3)
        #expect(charges[1] > 0 && charges[2] > 0)
        #expect(charges[1] + charges[2] == charges[0])

        // A Completed job has nothing to resume.
        #expect { try p.resumeCustomizationJob(straight.id) } throws: { "\($0)".contains("already Completed") }
    }

    @Test func aKilledProcessLeavesAJobThatResumesToTheSameModel() throws {
        // Platform `live` runs the job to the end, checkpointing after every step. While it runs, the
        // disk and the row are copied as a kill would leave them; `reopened` starts from that copy.
        let live = try ctGrantedPlatform()
        let data = try ctJSONL("train.jsonl", ctTinySet)
        let job = try live.createCustomizationJob(request("killed", data, nil, checkpoints: .everyStep))
        let folder = live.customizationJobFolder(id: job.id)
        let checkpoint = folder.appendingPathComponent("checkpoint.bin")
        #expect(waitUntil { (live.resumableStep(jobID: job.id) ?? 0) >= 2 })
        // What a kill leaves that resuming reads: the last checkpoint (replaced atomically, so a copy
        // is whole) and the start record. The metric CSVs are rewritten from the checkpoint's rows.
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("bedrock-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for name in ["checkpoint.bin", "job.json"] {
            try FileManager.default.copyItem(at: folder.appendingPathComponent(name), to: copy.appendingPathComponent(name))
        }
        var row = try live.customizationJob(job.id)
        #expect(row.status == .inProgress, "the job ended before the copy; it must still be running")
        #expect { try live.resumeCustomizationJob(job.id) } throws: { "\($0)".contains("is still running") }
        _ = live.waitForJob(id: job.id)
        #expect(try live.customizationJob(job.id).status == .completed)
        #expect(!FileManager.default.fileExists(atPath: checkpoint.path))
        let reference = try outcome(live, job.id)

        let reopened = try ctGrantedPlatform()
        row.endedAt = nil
        try reopened.workspace.write { try $0.insertCustomizationJob(row) }
        let target = reopened.customizationJobFolder(id: job.id)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: copy, to: target)
        try Data("\(try deadPID())\n".utf8).write(to: target.appendingPathComponent(Platform.runningMarker))
        let step = try #require(reopened.resumableStep(jobID: job.id))

        #expect(try reopened.recoverInterruptedCustomizationJobs() == [job.id])
        let failed = try reopened.customizationJob(job.id)
        #expect(failed.status == .failed)
        #expect(failed.failureMessage?.contains("no custom model was registered; it can be resumed from step \(step) with `resume job \"killed-job\"`") == true,
                "\(failed.failureMessage ?? "")")
        #expect(try reopened.customModelCards().isEmpty)

        try reopened.resumeCustomizationJob(job.id)
        _ = reopened.waitForJob(id: job.id)
        let row2 = try reopened.customizationJob(job.id)
        #expect(row2.status == .completed, "\(row2.failureMessage ?? "")")
        #expect(try restoredStep(reopened, job.id) == step)
        #expect(try outcome(reopened, job.id) == reference)
        // Nothing was charged before the kill, so the resumed run charges the whole job, once.
        #expect(try trainingCharges(reopened) == trainingCharges(live))
    }

    @Test func aCheckpointThatCannotBeWrittenFailsTheJobWithTheReason() throws {
        let p = try ctGrantedPlatform()
        let data = try ctJSONL("train.jsonl", ctTinySet)
        let job = try p.createCustomizationJob(request("unsaved", data, nil, checkpoints: .everyStep))
        // A non-empty folder where checkpoint.bin goes: renaming the written file over it fails, as a
        // full disk would fail the write (the job builds its model for a second before its first step).
        let blocker = p.customizationJobFolder(id: job.id).appendingPathComponent("checkpoint.bin")
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: blocker.appendingPathComponent("in-the-way"))
        _ = p.waitForJob(id: job.id)
        let row = try p.customizationJob(job.id)
        #expect(row.status == .failed)
        #expect(row.failureMessage?.contains("checkpoint.bin") == true, "\(row.failureMessage ?? "")")
        #expect(row.failureMessage?.contains("resume job") == false)
        #expect(try p.customizationMetrics(job.id).training.count == 1, "it stopped after the step whose checkpoint failed")
        #expect(try p.customModelCards().isEmpty)
    }

    @Test func resumeRefusesChangedDataAndMissingOrBrokenCheckpoints() throws {
        let p = try ctGrantedPlatform()
        let data = try ctJSONL("train.jsonl", ctTinySet)
        let job = try p.createCustomizationJob(request("refusals", data, nil))
        #expect(p.requestStop(jobID: job.id))
        _ = p.waitForJob(id: job.id)
        #expect(try p.customizationJob(job.id).status == .stopped)

        let original = try String(contentsOfFile: data, encoding: .utf8)
        try (original + ctTinySet[0] + "\n").write(toFile: data, atomically: true, encoding: .utf8)
        #expect { try p.resumeCustomizationJob("refusals-job") } throws: { error in
            let text = "\(error)"
            return text.contains("ValidationException") && text.contains("the training data file \(data) changed since the job started")
        }
        try original.write(toFile: data, atomically: true, encoding: .utf8)

        let checkpoint = p.customizationJobFolder(id: job.id).appendingPathComponent("checkpoint.bin")
        let bytes = try Data(contentsOf: checkpoint)
        try bytes.prefix(bytes.count - 100).write(to: checkpoint)
        #expect { try p.resumeCustomizationJob("refusals-job") } throws: { "\($0)".contains("is unreadable: checkpoint is truncated") }
        try FileManager.default.removeItem(at: checkpoint)
        #expect { try p.resumeCustomizationJob("refusals-job") } throws: { "\($0)".contains("cannot be resumed: it has no checkpoint") }
        #expect(try p.customizationJob(job.id).status == .stopped)

        #expect { try p.resumeCustomizationJob("no-such-job") } throws: { "\($0)".contains("no customization job no-such-job") }

        // A damaged body passes the header check `resume job` makes, so the resume starts; the job
        // then fails with the reason and without offering another resume.
        let second = try p.createCustomizationJob(request("damaged", data, nil))
        #expect(p.requestStop(jobID: second.id))
        _ = p.waitForJob(id: second.id)
        let secondCheckpoint = p.customizationJobFolder(id: second.id).appendingPathComponent("checkpoint.bin")
        var damaged = try Data(contentsOf: secondCheckpoint)
        damaged[damaged.count - 10] ^= 0xFF
        try damaged.write(to: secondCheckpoint)
        _ = try p.resumeCustomizationJob("damaged-job")
        _ = p.waitForJob(id: second.id)
        let failed = try p.customizationJob(second.id)
        #expect(failed.status == .failed)
        #expect(failed.failureMessage
                == "cannot resume from \(secondCheckpoint.path): checkpoint is corrupt (checksum mismatch); start a new job instead")
    }
}
