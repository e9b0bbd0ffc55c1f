// Runs one evaluation job: every item through every model on the normal invoke path (access,
// budget, ledger, invocation log), scored as Bedrock scores the task (TaskScoring.swift), with
// robustness on seeded perturbed prompts, toxicity and the judge. It owns the job's row:
// InProgress → Completed, Failed (with the reason) or Stopping → Stopped (results so far kept).
import Billing
import Evaluation
import Foundation
import Metrics
import Workspace

/// One item answered by one model, with its scores and its record for `items.jsonl`.
struct ItemOutcome {
    var scores: [ItemScore]
    var record: JSONValue
}

extension Platform {
    /// Runs `plan` to the end on the caller's thread and returns the job's final row. Errors do
    /// not escape: they end the job Failed with the message.
    public func runEvaluation(_ plan: EvaluationPlan, isStopRequested: () -> Bool,
                              report: (JobProgress) -> Void) -> EvaluationJob {
        var job = plan.job
        defer { RunningMarker.remove(in: plan.folder) }
        var scores: [ItemScore] = [], records: [JSONValue] = []
        let total = plan.items.count * job.modelIDs.count
        let started = Date()
        do {
            loop: for (index, item) in plan.items.enumerated() {
                for model in job.modelIDs {
                    if isStopRequested() {
                        job.status = .stopping
                        try workspace.write { try $0.updateEvaluationJob(job) }
                        break loop
                    }
                    let outcome = try evaluate(item, index: index, model: model, plan: plan)
                    scores += outcome.scores
                    records.append(outcome.record)
                    let done = records.count
                    let rate = Double(done) / max(Date().timeIntervalSince(started), 1e-9)
                    report(JobProgress(fraction: Double(done) / Double(total),
                                       summary: "item \(index + 1)/\(plan.items.count) · \(model) · \(String(format: "%.2f", rate)) items/s"))
                }
            }
            job.status = job.status == .stopping ? .stopped : .completed
            try finish(&job, plan: plan, scores: scores, records: records)
        } catch {
            job.status = .failed
            job.failureMessage = (error as? BedrockError)?.description ?? "\(error)"
            try? finish(&job, plan: plan, scores: scores, records: records)
        }
        return job
    }

    /// Saves the aggregates, writes `items.jsonl` and `chart.svg`, and ends the row.
    private func finish(_ job: inout EvaluationJob, plan: EvaluationPlan, scores: [ItemScore], records: [JSONValue]) throws {
        let aggregates = ScoreAggregation.aggregate(scores)
        try FileManager.default.createDirectory(at: plan.folder, withIntermediateDirectories: true)
        let lines = records.map(\.compactText).joined(separator: "\n") + (records.isEmpty ? "" : "\n")
        try AtomicFile.write(Data(lines.utf8), to: plan.folder.appendingPathComponent(EvaluationFiles.items))
        let chart = BarChart.svg(title: "\(job.name): \(job.taskType) on \(job.dataset)", scores: aggregates, models: job.modelIDs)
        try AtomicFile.write(Data(chart.utf8), to: plan.folder.appendingPathComponent(EvaluationFiles.chart))
        let finalJob = job
        job = try workspace.write { tx in
            var ended = finalJob
            ended.endedAt = try tx.now()
            try tx.saveEvaluationResults(aggregates.map {
                EvaluationResult(jobID: ended.id, modelID: $0.modelID, metric: $0.metric, category: $0.category,
                                 value: $0.value, itemCount: $0.itemCount)
            })
            try tx.updateEvaluationJob(ended)
            return ended
        }
    }

    /// Answers one item with one model and scores it with every selected metric.
    func evaluate(_ item: DatasetItem, index: Int, model: String, plan: EvaluationPlan) throws -> ItemOutcome {
        let category = item.category ?? ""
        let answer = try generate(model, item.prompt, plan: plan)
        let response = answer.responses.first?.text ?? ""
        var values: [(String, Double, Double)] = []   // metric, value, weight
        var extra: [(String, JSONValue?)] = []
        var cost = answer.cost, judgeCost = Decimal(0), latency = answer.latencyMs
        let scorer = TaskScorer(task: plan.task, labels: plan.labels, platform: self, modelID: model)
        let accuracy = try scorer.accuracy(response, item: item)
        if plan.selection.automatic.contains(.accuracy) {
            values += accuracy.values.map { ($0.0, $0.1, 1) }
            extra += accuracy.details
            if plan.task == .generation, let reference = item.referenceResponses.first {
                let ppl = try perplexity(of: item.prompt + " " + reference, modelID: model)
                values.append(("perplexity", ppl.meanNLL, Double(ppl.tokens.count)))
            }
        }
        if plan.selection.automatic.contains(.robustness) {
            let r = try robustness(item, index: index, model: model, original: response, primary: accuracy.primary, scorer: scorer, plan: plan)
            values += r.values.map { ($0.0, $0.1, 1) }
            extra.append(("perturbed", .array(r.records)))
            cost += r.cost; latency += r.latencyMs
        }
        if plan.selection.automatic.contains(.toxicity) {
            let t = ToxicityDetector().score(response)
            values += [("toxicity", t.score, 1), ("toxic", t.isToxic ? 1 : 0, 1)]
            if !t.matches.isEmpty { extra.append(("toxicity_matches", .array(t.matches.map { .string("\($0.category): \($0.evidence)") }))) }
        }
        var verdicts: [(String, JSONValue)] = []
        if let judgeID = plan.job.judgeModelID {
            for v in try judgeAll(item, response: response, judgeID: judgeID, plan: plan) {
                judgeCost += v.cost
                values.append((v.metric.rawValue, v.score, 1))
                verdicts.append((v.metric.rawValue, .compactObject([
                    ("score", .number(v.score)), ("distribution", .array(v.distribution.map(JSONValue.number))),
                    ("scale_mass", .number(v.scaleMass)), ("explanation", .string(v.explanation)),
                ])))
            }
        }
        let scores = values.map { ItemScore(itemID: item.id, category: category, modelID: model, metric: $0.0, value: $0.1, weight: $0.2) }
        let record: JSONValue = .compactObject([
            ("item", .string(item.id)), ("category", .string(category)), ("model", .string(model)),
            ("prompt", .string(item.prompt)), ("response", .string(response)),
            ("references", .array(item.referenceResponses.map(JSONValue.string))),
            ("scores", .object(values.filter { $0.0 != "perplexity" }.map { ($0.0, .number($0.1)) })),
        ] + extra + [
            ("judge", verdicts.isEmpty ? nil : .object(verdicts)),
            ("input_tokens", .int(answer.inputTokens)), ("output_tokens", .int(answer.outputTokens)),
            ("cost", .string("\(cost)")), ("judge_cost", .string("\(judgeCost)")), ("latency_ms", .int(latency)),
        ])
        return ItemOutcome(scores: scores, record: record)
    }

    /// The item's prompt perturbed once per kind (seeded by the job's seed and the item's position),
    /// answered, and scored against the original answer's primary score.
    private func robustness(_ item: DatasetItem, index: Int, model: String, original: String, primary: Double,
                            scorer: TaskScorer, plan: EvaluationPlan)
        throws -> (values: [(String, Double)], records: [JSONValue], cost: Decimal, latencyMs: Int) {
        let seed = plan.seed &+ UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15
        var records: [JSONValue] = [], scores: [Double] = [], cost = Decimal(0), latency = 0
        for kind in plan.perturbations {
            let prompt = kind.apply(item.prompt, seed: seed)
            let out = try generate(model, prompt, plan: plan)
            let text = out.responses.first?.text ?? ""
            cost += out.cost; latency += out.latencyMs
            let value = try scorer.robustnessScore(perturbedResponse: text, originalResponse: original, item: item)
            scores.append(value)
            records.append(["kind": .string(kind.rawValue), "prompt": .string(prompt), "response": .string(text), "score": .number(value)])
        }
        return (scorer.robustnessMetrics(original: primary, perturbed: scores), records, cost, latency)
    }

    /// Every judge metric of the job on one answer; the ledger notes name the job, metric and item.
    private func judgeAll(_ item: DatasetItem, response: String, judgeID: String, plan: EvaluationPlan) throws -> [JudgeVerdict] {
        try plan.selection.judge.map { metric in
            try judge(metric, judgeID: judgeID, prompt: item.prompt, response: response, reference: item.referenceResponses.first,
                      note: "\(plan.job.id) judge \(metric.rawValue) \(item.id)", seed: plan.seed)
        }
    }

    /// One greedy answer through InvokeModel with the model's native body.
    func generate(_ model: String, _ prompt: String, plan: EvaluationPlan) throws -> Invocation {
        let body = try nativeBody(modelID: model, prompt: prompt, overrides: InferenceOverrides(maxTokens: plan.maxTokens, temperature: 0))
        return try invoke(modelID: model, body: body, options: InvocationOptions(seed: plan.seed))
    }
}

/// The files of a job under `evaluations/<id>/`.
public enum EvaluationFiles {
    public static let items = "items.jsonl"
    public static let chart = "chart.svg"
}
