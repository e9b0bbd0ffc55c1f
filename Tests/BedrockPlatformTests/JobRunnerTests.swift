// The shared job runner with real workspace rows: a job runs on its own thread, reports progress,
// honours a stop request between steps, and `jobSnapshot` reads what its row says.
import Foundation
import Synchronization
import Testing
import Workspace
@testable import BedrockPlatform

@Suite struct JobRunnerTests {
    /// A job row like the customization code writes, for a work closure to move through its states.
    func insertJob(_ p: Platform, id: String) throws {
        try p.workspace.write { tx in
            try tx.insertCustomizationJob(CustomizationJob(
                id: id, name: "job-\(id)", baseModelID: "amazon.titan-text-lite-v1", customizationType: "FINE_TUNING",
                hyperparameters: ["epochCount": "1"], trainingDataPath: "train.jsonl", outputModelName: "m-\(id)",
                createdAt: try tx.now()))
        }
    }

    func finish(_ p: Platform, id: String, _ status: CustomizationJobStatus) throws {
        try p.workspace.write { tx in
            var j = try #require(try tx.customizationJob(id: id))
            j.status = status
            j.endedAt = try tx.now()
            try tx.updateCustomizationJob(j)
        }
    }

    @Test func aJobRunsInTheBackgroundAndWaitSeesItsProgress() throws {
        let p = try Platform.ephemeral()
        try insertJob(p, id: "a1")
        let gate = Mutex(false)
        p.startJob(id: "a1", kind: .customization) { ctx in
            ctx.report(JobProgress(fraction: 0.5, summary: "step 1/2"))
            while !gate.withLock({ $0 }) { Thread.sleep(forTimeInterval: 0.01) }
            try? finish(p, id: "a1", .completed)
        }
        // The row is still InProgress while the work is held at the gate, and the progress is live.
        // Polled for up to a minute: on a loaded machine the job's thread may start late.
        var seen: JobProgress?
        let end = Date().addingTimeInterval(60)
        while seen == nil, Date() < end {
            if let pr = p.jobProgress(id: "a1"), pr.fraction == 0.5 { seen = pr }
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(seen?.summary == "step 1/2")
        #expect(try p.jobSnapshot("job-a1").status == "InProgress")
        #expect(p.runningJobIDs == ["a1"])
        gate.withLock { $0 = true }
        #expect(p.waitForJob(id: "a1") == .finished)
        let s = try p.jobSnapshot("a1")
        #expect(s.status == "Completed" && s.isTerminal && s.progress == nil)
        #expect(p.runningJobIDs.isEmpty)
        #expect(p.requestStop(jobID: "a1") == false)
    }

    @Test func anInterruptedWaitAsksTheJobToStopAndWaitsForIt() throws {
        let p = try Platform.ephemeral()
        try insertJob(p, id: "b1")
        p.startJob(id: "b1", kind: .customization) { ctx in
            var steps = 0
            while !ctx.isStopRequested, steps < 10_000 { steps += 1; Thread.sleep(forTimeInterval: 0.005) }
            try? finish(p, id: "b1", ctx.isStopRequested ? .stopped : .completed)
        }
        let outcome = p.waitForJob(id: "b1", isInterrupted: { true })
        #expect(outcome == .interrupted)
        #expect(try p.jobSnapshot("b1").status == "Stopped")
    }

    @Test func unknownJobsAreNamedWithTheClosestJob() throws {
        let p = try Platform.ephemeral()
        try insertJob(p, id: "c1")
        try finish(p, id: "c1", .failed)
        #expect(p.waitForJob(id: "c1") == .notRunning)
        do {
            _ = try p.jobSnapshot("job-c2")
            Issue.record("expected an error")
        } catch let e as BedrockError {
            #expect(e.exceptionName == "ResourceNotFoundException")
            #expect(e.message.contains("job-c1"))
        }
    }
}
