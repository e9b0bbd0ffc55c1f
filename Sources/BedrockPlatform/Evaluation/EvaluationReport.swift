// The report of an evaluation job: the table per metric × category × model from the stored
// results, the business view (user satisfaction from human ratings, cost and latency per item from
// the job's invocations and the ledger, performance across categories), what each kind of number
// rests on (the judge's size, the toxicity detector's limits), and where the files are.
import Billing
import Catalog
import Evaluation
import Foundation
import Workspace

/// Cost and latency of one model's part of a job.
public struct EvaluationSpend: Sendable, Equatable {
    public var modelID: String
    public var items: Int
    /// Generator inference, original and perturbed prompts (the amounts the ledger holds).
    public var inference: Decimal
    /// Judge inference spent on this model's answers.
    public var judge: Decimal
    /// Wall-clock milliseconds per item (all of its invocations); varies run to run.
    public var latencyPerItemMs: Double
    public var costPerItem: Decimal { items == 0 ? 0 : (inference + judge) / Decimal(items) }
}

public struct EvaluationReport: Sendable {
    public var job: EvaluationJob
    public var results: [EvaluationResult]
    public var ratings: [ModelRatingSummary]
    public var ratingCount: Int
    /// Human tasks charged for this job (from the ledger).
    public var humanCost: Decimal
    public var spend: [EvaluationSpend]
    public var judgeScaleMass: Double?
    public var judgeExamples: [(metric: String, score: Double, explanation: String)]
    /// Absolute paths of the per-item results and the chart.
    public var itemsPath: String
    public var chartPath: String
    /// True for an ephemeral workspace, whose files live in a temporary folder that changes run to run.
    public var filesAreTemporary: Bool

    /// The whole-set value of `metric` for `model` (default: the first model).
    public func value(_ metric: String, model: String? = nil) -> Double? {
        results.first { $0.metric == metric && $0.category.isEmpty && $0.modelID == (model ?? job.modelIDs[0]) }?.value
    }
}

extension Platform {
    /// The report of an evaluation job (by ID or name).
    public func evaluationReport(_ key: String) throws -> EvaluationReport {
        let job = try evaluationJob(key)
        let results = try workspace.read { try $0.evaluationResults(jobID: job.id) }
        let ratings = try workspace.read { try $0.ratings(jobID: job.id) }
        let human = try workspace.read { try $0.ledger(sessionID: nil) }
            .filter { $0.kind == ChargeKind.humanEvaluation.rawValue && $0.note.hasPrefix(job.id + " ") }
            .reduce(Decimal(0)) { $0 + $1.amount }
        let folder = workspace.evaluationFolder(id: job.id)
        let records = (try? itemRecords(folder.appendingPathComponent(EvaluationFiles.items))) ?? []
        var spend: [EvaluationSpend] = []
        for model in job.modelIDs {
            let mine = records.filter { $0["model"]?.stringValue == model }
            let inference = mine.reduce(Decimal(0)) { $0 + (Decimal(string: $1["cost"]?.stringValue ?? "0") ?? 0) }
            let judge = mine.reduce(Decimal(0)) { $0 + (Decimal(string: $1["judge_cost"]?.stringValue ?? "0") ?? 0) }
            let latency = mine.reduce(0.0) { $0 + ($1["latency_ms"]?.doubleValue ?? 0) }
            spend.append(EvaluationSpend(modelID: model, items: mine.count, inference: inference, judge: judge,
                                         latencyPerItemMs: mine.isEmpty ? 0 : latency / Double(mine.count)))
        }
        let verdicts = records.compactMap { $0["judge"]?.objectValue }.flatMap { $0 }
        let masses = verdicts.compactMap { $0.1["scale_mass"]?.doubleValue }
        let examples = (records.first?["judge"]?.objectValue ?? []).map {
            (metric: $0.0, score: $0.1["score"]?.doubleValue ?? 0, explanation: $0.1["explanation"]?.stringValue ?? "")
        }
        return EvaluationReport(job: job, results: results, ratings: try ratingSummary(job), ratingCount: ratings.count,
                                humanCost: human, spend: spend,
                                judgeScaleMass: masses.isEmpty ? nil : masses.reduce(0, +) / Double(masses.count),
                                judgeExamples: examples,
                                itemsPath: folder.appendingPathComponent(EvaluationFiles.items).path,
                                chartPath: folder.appendingPathComponent(EvaluationFiles.chart).path,
                                filesAreTemporary: workspace.location == .memory)
    }

    private func itemRecords(_ url: URL) throws -> [JSONValue] {
        guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map { try JSONValue.parse(String($0)) }
    }
}

extension EvaluationReport {
    /// The printed report. `maskVolatile` hides wall-clock figures (notebooks).
    public func render(maskVolatile: Bool = false) -> String {
        var out = "Model evaluation job \(job.name) (\(job.id)) · \(job.taskType) on \(job.dataset) · \(job.status.rawValue)\n"
        for (i, m) in job.modelIDs.enumerated() { out += "  model \(Self.letter(i)): \(m)\n" }
        if let judge = job.judgeModelID { out += "  judge: \(judge)\n" }
        if let failure = job.failureMessage { out += "  failure: \(failure)\n" }
        out += "\n" + scoreTable() + "\n"
        if !judgeExamples.isEmpty {
            out += "\nJudge on the first item (model A)\n"
                + judgeExamples.map { "  \($0.metric) \(Self.number($0.score)): \($0.explanation)" }.joined(separator: "\n") + "\n"
        }
        out += "\nBusiness view\n" + businessView(maskVolatile: maskVolatile)
        let notes = self.notes
        if !notes.isEmpty { out += "\nWhat these numbers rest on\n" + notes.map { "  - " + $0 }.joined(separator: "\n") + "\n" }
        out += filesAreTemporary
            ? "\nFiles (in the in-memory workspace's temporary folder): evaluations/\(job.id)/\(EvaluationFiles.items), evaluations/\(job.id)/\(EvaluationFiles.chart)"
            : "\nFiles: \(itemsPath)\n       \(chartPath)"
        return out
    }

    static func letter(_ i: Int) -> String { i == 0 ? "A" : "B" }

    func scoreTable() -> String {
        guard !results.isEmpty else { return "no scores (the job stopped or failed before its first item)" }
        var rows: [[String]] = []
        var seen: [(String, String)] = []
        for r in results where !seen.contains(where: { $0 == (r.metric, r.category) }) { seen.append((r.metric, r.category)) }
        var lastMetric = ""
        for (metric, category) in seen {
            var row = [metric == lastMetric ? "" : metric, category.isEmpty ? "(all)" : category]
            for m in job.modelIDs {
                row.append(results.first { $0.metric == metric && $0.category == category && $0.modelID == m }.map { Self.number($0.value) } ?? "-")
            }
            row.append(String(results.first { $0.metric == metric && $0.category == category }?.itemCount ?? 0))
            rows.append(row)
            lastMetric = metric
        }
        let header = ["metric", "category"] + job.modelIDs.indices.map { "model \(Self.letter($0))" } + ["items"]
        return TextLayout.table(header: header, rows: rows, rightAligned: Set(2..<header.count))
    }

    static func number(_ v: Double) -> String { String(format: abs(v) >= 100 ? "%.1f" : "%.4f", v) }

    func businessView(maskVolatile: Bool) -> String {
        var lines: [String] = []
        let rated = ratings.filter { $0.thumbs + $0.likerts + $0.comparisons + $0.ranks > 0 }
        if rated.isEmpty {
            lines.append("user satisfaction: no human ratings yet (rate \(job.name) method: \"ThumbsUpDown\" ratings: \"file.jsonl\")")
        } else {
            for (i, s) in ratings.enumerated() {
                var parts: [String] = []
                if let a = s.approvalRate { parts.append("approval \(Self.percent(a)) of \(s.thumbs)") }
                if let l = s.meanLikert { parts.append("mean Likert \(String(format: "%.2f", l))/5 of \(s.likerts)") }
                if let w = s.winRate { parts.append("win rate \(Self.percent(w)) of \(s.comparisons)") }
                if let r = s.meanRank { parts.append("mean rank \(String(format: "%.2f", r)) of \(s.ranks)") }
                lines.append("user satisfaction, model \(Self.letter(i)): " + (parts.isEmpty ? "not rated" : parts.joined(separator: ", ")))
            }
            lines.append("human tasks: \(ratingCount) ratings, \(Money.format(humanCost)) in the ledger")
        }
        for (i, s) in spend.enumerated() {
            let latency = maskVolatile ? "… ms" : "\(Int(s.latencyPerItemMs.rounded())) ms"
            var line = "cost per item, model \(Self.letter(i)): \(Money.detail(s.costPerItem)) (inference \(Money.detail(s.inference))"
            if s.judge > 0 { line += ", judge \(Money.detail(s.judge))" }
            line += " for \(s.items) items); latency per item \(latency)"
            lines.append(line)
        }
        lines += acrossCategories()
        return lines.map { "  " + $0 }.joined(separator: "\n") + "\n"
    }

    /// Best and worst category of the first metric, per model: how evenly the model performs.
    func acrossCategories() -> [String] {
        guard let metric = results.first(where: { !$0.category.isEmpty })?.metric else {
            return ["across categories: one category only"]
        }
        return job.modelIDs.enumerated().compactMap { i, m in
            let parts = results.filter { $0.metric == metric && $0.modelID == m && !$0.category.isEmpty }
            guard let best = parts.max(by: { $0.value < $1.value }), let worst = parts.min(by: { $0.value < $1.value }) else { return nil }
            return "across categories, model \(Self.letter(i)) (\(metric)): best \(best.category) \(Self.number(best.value)), "
                + "worst \(worst.category) \(Self.number(worst.value)), spread \(Self.number(best.value - worst.value))"
        }
    }

    static func percent(_ x: Double) -> String { String(format: "%.0f%%", x * 100) }

    var notes: [String] {
        var notes: [String] = []
        let metrics = Set(job.metrics)
        if metrics.contains("robustness") {
            notes.append(job.taskType == "generation"
                ? "robustness: word error rate between the answer to the original prompt and answers to perturbed copies (lower is steadier)"
                : "robustness: the same score on perturbed copies of each prompt (lower-casing, typos, numbers as words, random capitals, whitespace; seeded) and delta = mean |original − perturbed|")
        }
        if job.taskType == "classification" {
            notes.append("classification: the label is the first word of the answer that is, starts with or abbreviates a label (≥ 3 letters); no label → wrong; negation is not read")
        }
        if job.taskType == "generation", metrics.contains("accuracy") {
            notes.append("knowledge: share of the reference continuation's words the answer reproduces; perplexity: of prompt + reference under the model (exp of mean NLL per token)")
        }
        if metrics.contains("toxicity") {
            notes.append("toxicity: " + ToxicityDetector.limitations)
        }
        if let judge = job.judgeModelID {
            let mass = judgeScaleMass.map { " On average \(Self.percent($0)) of its next-token probability fell on the rating tokens." } ?? ""
            notes.append("judge: \(judge) is served by SmolLM2-135M-Instruct, a 135-million-parameter model quantised to 4 bits, "
                + "hundreds of times smaller than the models Bedrock offers as judges. Its score is the probability-weighted rating "
                + "over the tokens 1–5 (Yes/No for harmfulness, stereotyping, refusal), normalised to 0–1: it shows how the judge's "
                + "belief moves, not a trustworthy verdict; check it against human ratings before relying on it.\(mass)")
        }
        return notes
    }
}
