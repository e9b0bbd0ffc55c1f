// Evaluation jobs on the real SmolLM2 model, kept small (two items, short answers): what a QA job
// stores and writes, that the same seed gives the same report, that every invocation is charged,
// the judge's probability-weighted scores, human ratings from a file, background runs and stops,
// and the checks made before anything is created.
import Billing
import Evaluation
import Foundation
import Testing
import Workspace
@testable import BedrockPlatform

private let express = "amazon.titan-text-express-v1"
private let lite = "amazon.titan-text-lite-v1"

private func platform() throws -> Platform {
    let p = try Platform.ephemeral()
    try p.requestAccess(modelID: express)
    try p.requestAccess(modelID: lite)
    return p
}

private func qa(limit: Int = 2, metrics: [String]? = ["accuracy", "robustness", "toxicity"], judge: String? = nil,
                models: [String] = [express]) -> EvaluationRequest {
    EvaluationRequest(modelIDs: models, task: "qa", dataset: "builtin:quiz", metrics: metrics, judgeModelID: judge,
                      limit: limit, seed: 7, maxTokens: 12, perturbations: 1)
}

@Suite(.serialized) struct EvaluationJobTests {
    @Test func aQAJobStoresScoresByCategoryWritesItsFilesAndChargesEveryInvocation() throws {
        let p = try platform()
        let job = try p.createEvaluationJob(qa(), background: false)
        #expect(job.status == .completed && job.endedAt != nil && job.id == "eval-0001")
        let results = try p.workspace.read { try $0.evaluationResults(jobID: job.id) }
        let metrics = Set(results.map(\.metric))
        #expect(metrics == ["f1", "exact_match", "f1_perturbed", "delta_f1", "toxicity", "toxic"])
        #expect(results.filter { $0.metric == "f1" }.map(\.category) == ["", "africa", "america"])
        #expect(results.allSatisfy { (0...1).contains($0.value) })
        let folder = p.workspace.evaluationFolder(id: job.id)
        let lines = try String(contentsOf: folder.appendingPathComponent("items.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONValue.parse(String(lines[0]))
        #expect(first["item"]?.stringValue == "africa:44" && first["perturbed"]?.arrayValue?.count == 1)
        #expect(try String(contentsOf: folder.appendingPathComponent("chart.svg"), encoding: .utf8).hasPrefix("<svg"))
        // 2 items × (original + 1 perturbed) = 4 invocations, each in the ledger at the cost the report sums.
        let ledger = try p.ledger(.session)
        #expect(ledger.entries.count == 4)
        let report = try p.evaluationReport(job.name)
        #expect(report.spend[0].inference == ledger.total && ledger.total > 0)
        #expect(report.value("f1") == results.first { $0.metric == "f1" && $0.category.isEmpty }?.value)
    }

    @Test func theSameSeedGivesTheSameReport() throws {
        let a = try platform(), b = try platform()
        let ja = try a.createEvaluationJob(qa(limit: 1), background: false)
        let jb = try b.createEvaluationJob(qa(limit: 1), background: false)
        let ra = try a.evaluationReport(ja.id).render(maskVolatile: true)
        #expect(ra == (try b.evaluationReport(jb.id).render(maskVolatile: true)))
        #expect(ra.contains("latency per item … ms") && ra.contains("toxicity: bedrock's toxicity score is a transparent rule-based detector"))
    }

    @Test func theJudgeScoresFromItsRatingDistributionAndIsCharged() throws {
        let p = try platform()
        let job = try p.createEvaluationJob(qa(limit: 1, metrics: ["correctness", "refusal"], judge: lite), background: false)
        #expect(job.status == .completed)
        let line = try String(contentsOf: p.workspace.evaluationFolder(id: job.id).appendingPathComponent("items.jsonl"), encoding: .utf8)
        let verdict = try JSONValue.parse(line.trimmingCharacters(in: .newlines))["judge"]?["correctness"]
        let distribution = verdict?["distribution"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        #expect(distribution.count == 5 && abs(distribution.reduce(0, +) - 1) < 1e-9)
        let expected = zip(distribution, [0, 0.25, 0.5, 0.75, 1]).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs((verdict?["score"]?.doubleValue ?? -1) - expected) < 1e-12)
        #expect((verdict?["scale_mass"]?.doubleValue ?? 0) > 0.5)   // "Rating: " puts most mass on the digits
        #expect(verdict?["explanation"]?.stringValue?.isEmpty == false)
        let refusal = try JSONValue.parse(line.trimmingCharacters(in: .newlines))["judge"]?["refusal"]?["distribution"]?.arrayValue
        #expect(refusal?.count == 2)
        // The judge's two steps per metric (rating pass, explanation) are logged and charged to the judge model.
        let judged = try p.workspace.read { try $0.invocations(modelID: lite) }
        #expect(judged.count == 4 && judged.filter { $0.stopReason == "judge_score" }.count == 2)
        #expect(try p.evaluationReport(job.id).render().contains("SmolLM2-135M-Instruct, a 135-million-parameter model"))
    }

    @Test func humanRatingsFromAFileAreStoredChargedAndSummarised() throws {
        let p = try platform()
        let job = try p.createEvaluationJob(qa(metrics: ["accuracy"], models: [express, lite]), background: false)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eval-ratings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.jsonl")
        try Data("{\"item\": \"africa:44\", \"rater\": \"ana\", \"rating\": \"C\"}\n{\"itm\": 1}\n".utf8).write(to: bad)
        #expect { try p.importRatings(jobKey: job.id, method: "ComparisonChoice", path: bad.path) } throws: { error in
            let text = "\(error)"
            return text.contains("bad.jsonl:1:") && text.contains("bad.jsonl:2:") && text.contains("nothing recorded")
        }
        #expect(try p.humanRatings().isEmpty)
        let good = dir.appendingPathComponent("good.jsonl")
        try Data("""
            {"item": "africa:44", "rater": "ana", "rating": "A"}
            {"item": "america:1", "rater": "ana", "rating": "B"}
            {"item": "america:1", "rater": "bo", "rating": "B"}
            """.utf8).write(to: good)
        let batch = try p.importRatings(jobKey: job.name, method: "comparisonchoice", path: good.path)
        #expect(batch.ratings.count == 3 && batch.cost == Decimal(string: "0.63"))
        let stored = try p.humanRatings(jobKey: job.id)
        #expect(stored.map(\.rater) == ["ana", "ana", "bo"] && stored[0].modelIDs == [express, lite])
        #expect(stored[0].time == (try p.workspace.read { try $0.now() }))   // the virtual clock, not the wall clock
        let human = try p.ledger(.session).entries.filter { $0.kind == .humanEvaluation }
        #expect(human.count == 1 && human[0].amount == Decimal(string: "0.63"))
        let summary = try p.ratingSummary(job)
        #expect(abs((summary[0].winRate ?? 0) - 1.0 / 3) < 1e-12 && abs((summary[1].winRate ?? 0) - 2.0 / 3) < 1e-12)
        #expect(try p.evaluationReport(job.id).render().contains("human tasks: 3 ratings, $0.63 in the ledger"))
        #expect(throws: BedrockError.self) { try p.ratingMethod("ThumbsUp") }
    }

    @Test func aBackgroundJobCanBeWaitedForAndStopped() throws {
        let p = try platform()
        let job = try p.createEvaluationJob(qa(limit: 1, metrics: ["accuracy"]))
        #expect(p.waitForJob(id: job.id) == .finished)
        #expect(try p.evaluationJob(job.id).status == .completed)
        let stopped = try p.createEvaluationJob(qa(limit: 3, metrics: ["accuracy"]))
        p.requestStop(jobID: stopped.id)
        _ = p.waitForJob(id: stopped.id)
        let row = try p.evaluationJob(stopped.id)
        #expect(row.status == .stopped && row.endedAt != nil)
        let counted = try p.workspace.read { try $0.evaluationResults(jobID: stopped.id) }.first { $0.category.isEmpty }?.itemCount ?? 0
        #expect(counted < 3)
    }

    @Test func knowledgeRecallAndRobustnessArithmetic() {
        // "the", "early" and "bird" are found; "catches", the second "the" and "worm" are not: 3 of 6 words.
        #expect(TaskScorer.wordRecall("The early bird sings.", references: ["the early bird catches the worm"]) == 3.0 / 6)
        #expect(TaskScorer.wordRecall("Lima", references: ["Paris", "lima"]) == 1)
        #expect(TaskScorer.wordErrorRate("", reference: "") == 0 && TaskScorer.wordErrorRate("a", reference: " ") == 1)
        #expect(TaskScorer.wordErrorRate("the cat sat", reference: "the cat sat down") == 0.25)
        let scorer = TaskScorer(task: .questionAndAnswer, labels: [], platform: try! Platform.ephemeral(), modelID: express)
        let m = scorer.robustnessMetrics(original: 0.5, perturbed: [1, 0, 0.5])
        #expect(m.map(\.0) == ["f1_perturbed", "delta_f1"] && m[0].1 == 0.5 && abs(m[1].1 - 1.0 / 3) < 1e-12)
    }

    @Test func badRequestsAreRefusedBeforeAnythingIsCreated() throws {
        let p = try platform()
        func message(_ r: EvaluationRequest) -> String {
            do { _ = try p.createEvaluationJob(r, background: false); return "" } catch { return "\(error)" }
        }
        #expect(message(qa(metrics: ["acuracy"])).contains("did you mean 'accuracy'?"))
        #expect(message(EvaluationRequest(modelIDs: [express], task: "classification", dataset: "builtin:sentiment", metrics: ["toxicity"]))
                .contains("Bedrock has no toxicity metric for classification"))
        #expect(message(EvaluationRequest(modelIDs: [express], task: "qa", dataset: "builtin:sentiment")).contains("evaluate it with task: \"classification\""))
        #expect(message(qa(models: [express, express])).contains("name two different models"))
        #expect(message(qa(metrics: ["correctness"], judge: "anthropic.claude-3-haiku-20240307-v1:0")).hasPrefix("AccessDeniedException"))
        #expect(message(EvaluationRequest(modelIDs: [express], task: "qa", dataset: "builtin:quizz")).contains("did you mean 'builtin:quiz'?"))
        #expect(message(EvaluationRequest(modelIDs: [express], task: "qa", dataset: "builtin:quiz", limit: 0)).contains("limit must be between 1"))
        #expect(try p.evaluationJobs().isEmpty && p.ledger(.session).entries.isEmpty)
    }

    /// A job whose process was killed stays InProgress in the database; opening the workspace
    /// again fails it, unless another live process still holds its marker.
    @Test func jobsLeftRunningByADeadProcessBecomeFailed() throws {
        let p = try Platform.ephemeral()
        func orphan(_ id: String, pid: Int32) throws {
            try p.workspace.write { tx in
                try tx.insertEvaluationJob(EvaluationJob(id: id, name: "eval-\(id)", taskType: "qa", modelIDs: [express],
                                                         dataset: "builtin:quiz", metrics: ["accuracy"], createdAt: try tx.now()))
            }
            let folder = p.workspace.evaluationFolder(id: id)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("\(pid)\n".utf8).write(to: folder.appendingPathComponent(RunningMarker.name))
        }
        let ended = Process(), alive = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        alive.executableURL = URL(fileURLWithPath: "/bin/sleep")
        alive.arguments = ["30"]
        try ended.run(); ended.waitUntilExit()
        try alive.run()
        defer { alive.terminate() }
        try orphan("dead0001", pid: ended.processIdentifier)
        try orphan("live0001", pid: alive.processIdentifier)
        #expect(try p.recoverInterruptedEvaluationJobs() == ["dead0001"])
        let dead = try p.evaluationJob("dead0001"), live = try p.evaluationJob("live0001")
        #expect(dead.status == .failed && dead.endedAt != nil)
        #expect(dead.failureMessage == "the process running the evaluation ended before it finished; no report was written")
        #expect(live.status == .inProgress)
        #expect(!FileManager.default.fileExists(atPath: p.workspace.evaluationFolder(id: "dead0001").appendingPathComponent(RunningMarker.name).path))
    }
}
