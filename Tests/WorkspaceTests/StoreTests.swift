// Round trips through every table on an in-memory workspace: what goes in comes back exactly
// (Decimal money to the last digit, virtual times, JSON maps), keys collide loudly, and a write
// that throws half-way leaves nothing behind.
import Foundation
import GRDB
import Testing
@testable import Workspace

@Suite struct StoreTests {
    let t0 = VirtualTime.workspaceStart

    @Test func ephemeralStartsAtTheDocumentedClockAndSchema() throws {
        let ws = try Workspace.ephemeral()
        #expect(ws.location == .memory)
        #expect(try ws.read { try $0.now() } == VirtualTime(seconds: 1_735_689_600))
        #expect(VirtualTime.workspaceStart.description == "2025-01-01T00:00:00Z")
        #expect(try ws.appliedMigrations() == ["v1-account", "v2-customization", "v3-evaluation", "v4-model-import"])
        #expect(try ws.integrityCheck() == ["ok"])
    }

    @Test func clockOnlyMovesForward() throws {
        let ws = try Workspace.ephemeral()
        let later = try ws.write { try $0.advanceClock(seconds: 30 * 86_400) }
        #expect(later == t0.adding(seconds: 2_592_000))
        #expect(try ws.read { try $0.now() } == later)
        #expect(throws: WorkspaceError.invalidValue(field: "advance", value: "-1 s", expected: "0 or more seconds")) {
            try ws.write { try $0.advanceClock(seconds: -1) }
        }
        #expect(throws: WorkspaceError.self) { try ws.write { try $0.setNow(t0) } }
    }

    @Test func settingsBudgetAndSeed() throws {
        let ws = try Workspace.ephemeral()
        #expect(try ws.read { try $0.budget() } == nil)
        try ws.write { tx in
            try tx.setBudget(Decimal(string: "5.00")!)
            try tx.setSeed(7)
            try tx.setSetting("theme", to: "dark")
        }
        #expect(try ws.read { try $0.budget() } == Decimal(5))
        #expect(try ws.read { try $0.seed() } == 7)
        #expect(try ws.read { try $0.setting("theme") } == "dark")
        try ws.write { try $0.setBudget(nil) }
        #expect(try ws.read { try $0.budget() } == nil)
        #expect(throws: WorkspaceError.self) { try ws.write { try $0.setBudget(-1) } }
    }

    @Test func moneyIsStoredAsExactText() throws {
        let ws = try Workspace.ephemeral()
        let amounts = ["0.1", "0.2", "0.000125", "14965.00", "-0.0004", "12345678901234567890.123456789"]
            .map { Decimal(string: $0)! }
        try ws.write { tx in
            for amount in amounts {
                try tx.appendLedger(LedgerEntry(kind: "test", modelID: "m", quantities: ["tokens": Decimal(1500)],
                                                amount: amount, time: t0, sessionID: "s"))
            }
        }
        let stored = try ws.read { try $0.ledger() }.map(\.amount)
        #expect(stored == amounts)
        let types = try ws.writer.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT typeof(amount) FROM ledger") }
        #expect(types == ["text"])
        // 0.1 + 0.2 is 0.3 exactly in Decimal (in Double it is 0.30000000000000004).
        let firstTwo = try ws.read { try $0.ledger() }.prefix(2).reduce(Decimal(0)) { $0 + $1.amount }
        #expect(firstTwo == Decimal(string: "0.3")!)
        #expect(try ws.read { try $0.ledgerTotal(sessionID: "s") } == amounts.reduce(0, +))
    }

    @Test func ledgerFiltersBySessionModelAndTime() throws {
        let ws = try Workspace.ephemeral()
        try ws.write { tx in
            for (i, (session, model)) in [("a", "m1"), ("b", "m1"), ("a", "m2")].enumerated() {
                try tx.appendLedger(LedgerEntry(kind: "invocation", modelID: model, amount: Decimal(i + 1),
                                                time: t0.adding(seconds: Int64(i) * 3600), note: "#\(i)",
                                                sessionID: session, origin: "demo.bedrock:\(i + 1):1"))
            }
        }
        #expect(try ws.read { try $0.ledger(sessionID: "a") }.map(\.note) == ["#0", "#2"])
        #expect(try ws.read { try $0.ledger(modelID: "m1") }.map(\.note) == ["#0", "#1"])
        #expect(try ws.read { try $0.ledger(from: t0.adding(seconds: 3600), to: t0.adding(seconds: 7200)) }
            .map(\.note) == ["#1"])
        #expect(try ws.read { try $0.ledger() }.last?.origin == "demo.bedrock:3:1")
        #expect(try ws.read { try $0.ledgerTotal(modelID: "m1") } == 3)
    }

    @Test func invocationAndItsChargeAreLinked() throws {
        let ws = try Workspace.ephemeral()
        let charge = LedgerEntry(kind: "invocation", modelID: "amazon.titan-text-express-v1",
                                 quantities: ["inputTokens": 1500, "outputTokens": 300],
                                 amount: Decimal(string: "0.00195")!, time: t0, sessionID: "s")
        let record = InvocationRecord(modelID: "amazon.titan-text-express-v1", inputTokens: 1500, outputTokens: 300,
                                      latencyMilliseconds: 412, cost: charge.amount, stopReason: "FINISH",
                                      time: t0, sessionID: "s")
        let logged = try ws.write { try $0.logInvocation(record, charge: charge) }
        let entries = try ws.read { try $0.ledger() }
        #expect(entries.count == 1)
        #expect(logged.ledgerID == entries[0].id)
        #expect(entries[0].quantities == ["inputTokens": 1500, "outputTokens": 300])
        var expected = record
        expected.id = logged.id
        expected.ledgerID = entries[0].id
        #expect(try ws.read { try $0.invocations(sessionID: "s") } == [expected])
    }

    @Test func aWriteThatThrowsLeavesNothing() throws {
        struct Abort: Error {}
        let ws = try Workspace.ephemeral()
        #expect(throws: Abort.self) {
            try ws.write { tx in
                try tx.appendLedger(LedgerEntry(kind: "x", modelID: nil, amount: 1, time: t0, sessionID: "s"))
                try tx.advanceClock(seconds: 60)
                throw Abort()
            }
        }
        #expect(try ws.read { try $0.ledger() }.isEmpty)
        #expect(try ws.read { try $0.now() } == t0)
    }

    @Test func changesInsideReadAreRefusedByName() throws {
        let ws = try Workspace.ephemeral()
        #expect(throws: WorkspaceError.sqlite(path: ":memory:", code: 8,
                                              message: "a change was attempted inside Workspace.read; use write")) {
            try ws.read { try $0.setSeed(1) }
        }
        #expect(try ws.read { try $0.seed() } == nil)
    }

    @Test func accessRecordsAndQuota() throws {
        let ws = try Workspace.ephemeral()
        let claude = "anthropic.claude-3-haiku-20240307-v1:0"
        #expect(try ws.read { try $0.access(modelID: claude) } == nil)
        var access = ModelAccess(modelID: claude, state: .inProgress, useCase: "support bot", requestedAt: t0)
        try ws.write { try $0.saveAccess(access) }
        access.state = .granted
        access.decidedAt = t0.adding(seconds: 120)
        try ws.write { try $0.saveAccess(access) }
        #expect(try ws.read { try $0.allAccess() } == [access])
        #expect(try ws.read { try $0.commitmentQuota(modelID: claude) } == 0)
        try ws.write { try $0.setCommitmentQuota(modelID: claude, units: 2) }
        #expect(try ws.read { try $0.commitmentQuota(modelID: claude) } == 2)
        #expect(throws: WorkspaceError.self) { try ws.write { try $0.setCommitmentQuota(modelID: claude, units: -1) } }
    }

    @Test func bookingsInsertUpdateListAndCollide() throws {
        let ws = try Workspace.ephemeral()
        var booking = ThroughputBooking(arn: "arn:aws:bedrock:us-east-1:000000000000:provisioned-model/abc123",
                                        name: "prod", modelID: "amazon.titan-text-express-v1", units: 1,
                                        term: .oneMonth, state: .creating, createdAt: t0,
                                        expiresAt: t0.adding(seconds: 30 * 86_400))
        try ws.write { try $0.insertBooking(booking) }
        #expect(try ws.read { try $0.booking(arn: booking.arn) } == booking)
        #expect(booking.billedThrough == t0)
        booking.state = .inService
        booking.billedThrough = t0.adding(seconds: 3600)
        try ws.write { try $0.updateBooking(booking) }
        #expect(try ws.read { try $0.booking(named: "prod") } == booking)
        #expect(throws: WorkspaceError.alreadyExists(table: "provisioned throughput", key: "name prod")) {
            var twin = booking
            twin.arn += "-2"
            try ws.write { try $0.insertBooking(twin) }
        }
        booking.deletedAt = t0.adding(seconds: 7200)
        try ws.write { try $0.updateBooking(booking) }
        #expect(try ws.read { try $0.bookings() }.isEmpty)
        #expect(try ws.read { try $0.bookings(includeDeleted: true) } == [booking])
        var ghost = booking
        ghost.arn = "arn:missing"
        #expect(throws: WorkspaceError.notFound(table: "provisioned throughput", key: "arn:missing")) {
            try ws.write { try $0.updateBooking(ghost) }
        }
    }

    @Test func invocationMustNameAnExistingBooking() throws {
        let ws = try Workspace.ephemeral()
        let record = InvocationRecord(modelID: "m", inputTokens: 1, outputTokens: 1, latencyMilliseconds: 1,
                                      cost: 0, stopReason: nil, time: t0, bookingARN: "arn:nowhere", sessionID: "s")
        // Foreign keys are on: a dangling booking ARN is refused, not stored.
        #expect(throws: WorkspaceError.self) { try ws.write { try $0.logInvocation(record) } }
        #expect(try ws.read { try $0.invocations() }.isEmpty)
    }

    @Test func customizationJobAndCustomModel() throws {
        let ws = try Workspace.ephemeral()
        var job = CustomizationJob(id: "job-1", name: "support-tune", baseModelID: "amazon.titan-text-express-v1",
                                   customizationType: "FINE_TUNING",
                                   hyperparameters: ["epochCount": "2", "batchSize": "4", "learningRate": "0.0001"],
                                   trainingDataPath: "support.jsonl", outputModelName: "support-model", createdAt: t0)
        try ws.write { try $0.insertCustomizationJob(job) }
        job.status = .completed
        job.statusDetails = ["validation": "Completed", "training": "Completed"]
        job.metrics = ["trainingLoss": 1.25, "validationLoss": 1.5]
        job.outputModelARN = "arn:aws:bedrock:us-east-1:000000000000:custom-model/support-model"
        job.endedAt = t0.adding(seconds: 600)
        let model = CustomModel(arn: job.outputModelARN!, name: "support-model", baseModelID: job.baseModelID,
                                baseFileSHA256: String(repeating: "ab", count: 32),
                                weightsPath: "custom-models/job-1/adapter.safetensors",
                                customizationType: "FINE_TUNING", hyperparameters: job.hyperparameters,
                                jobID: job.id, createdAt: job.endedAt!)
        try ws.write { tx in
            try tx.updateCustomizationJob(job)
            try tx.registerCustomModel(model)
        }
        #expect(try ws.read { try $0.customizationJob(id: "job-1") } == job)
        #expect(try ws.read { try $0.customizationJobs(status: .completed) } == [job])
        #expect(try ws.read { try $0.customizationJobs(status: .inProgress) }.isEmpty)
        #expect(try ws.read { try $0.customModel(arnOrName: "support-model") } == model)
        #expect(try ws.read { try $0.customModels() } == [model])
        #expect(throws: WorkspaceError.alreadyExists(table: "custom model", key: "support-model")) {
            try ws.write { try $0.registerCustomModel(model) }
        }
        var diverged = job
        diverged.metrics["trainingLoss"] = .infinity
        #expect(throws: WorkspaceError.invalidValue(field: "metric trainingLoss", value: "inf", expected: "a finite number")) {
            try ws.write { try $0.updateCustomizationJob(diverged) }
        }
        #expect(try ws.read { try $0.customizationJob(id: "job-1") } == job)
    }

    @Test func evaluationJobResultsAndRatings() throws {
        let ws = try Workspace.ephemeral()
        var job = EvaluationJob(id: "eval-1", name: "quiz", taskType: "qa",
                                modelIDs: ["base", "custom"], dataset: "builtin:quiz",
                                metrics: ["accuracy", "robustness"], createdAt: t0)
        try ws.write { try $0.insertEvaluationJob(job) }
        job.status = .completed
        job.reportPath = "evaluations/eval-1"
        try ws.write { try $0.updateEvaluationJob(job) }
        #expect(try ws.read { try $0.evaluationJobs() } == [job])
        let results = [EvaluationResult(jobID: "eval-1", modelID: "base", metric: "accuracy", value: 0.25, itemCount: 100),
                       EvaluationResult(jobID: "eval-1", modelID: "base", metric: "accuracy", category: "history",
                                        value: 0.5, itemCount: 10)]
        try ws.write { try $0.saveEvaluationResults(results) }
        var revised = results[0]
        revised.value = 0.375
        try ws.write { try $0.saveEvaluationResults([revised]) }
        #expect(try ws.read { try $0.evaluationResults(jobID: "eval-1") } == [revised, results[1]])
        #expect(throws: WorkspaceError.self) {
            try ws.write { try $0.saveEvaluationResults([EvaluationResult(jobID: "eval-1", modelID: "base",
                                                                          metric: "x", value: .nan, itemCount: 0)]) }
        }
        let rating = try ws.write {
            try $0.addRating(HumanRating(jobID: "eval-1", itemID: "q17", rater: "ana", method: .comparisonChoice,
                                         value: "B", modelIDs: ["base", "custom"], time: t0.adding(seconds: 5)))
        }
        #expect(rating.id != nil)
        #expect(try ws.read { try $0.ratings(jobID: "eval-1") } == [rating])
        #expect(try ws.read { try $0.ratings() } == [rating])
    }

    @Test func ephemeralFilesLiveInAPrivateFolderRemovedWithTheWorkspace() throws {
        var ws: Workspace? = try Workspace.ephemeral()
        let folder = ws!.customModelFolder(id: "cm-1")
        try AtomicFile.write(Data("weights".utf8), to: folder.appendingPathComponent("adapter.bin"))
        let root = ws!.filesRoot
        #expect(FileManager.default.fileExists(atPath: root.path))
        ws = nil
        #expect(!FileManager.default.fileExists(atPath: root.path))
    }
}
