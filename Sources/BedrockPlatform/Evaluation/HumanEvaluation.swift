// Human evaluation on a job's answers (reference §5.4): ratings with Bedrock's five methods, from a
// JSONL file (scripts) or typed at the REPL, stored with the rater and the virtual time, each one a
// completed human task charged at the per-task price. Aggregates come from Evaluation's
// ModelRatingSummary. What the rater sees comes from the job's items.jsonl.
import Billing
import Catalog
import Evaluation
import Foundation
import Workspace

/// One item as a rater sees it: the prompt and each model's response (A, then B).
public struct RatableItem: Sendable, Equatable {
    public var itemID: String
    public var category: String
    public var prompt: String
    public var responses: [(model: String, text: String)]

    public static func == (a: RatableItem, b: RatableItem) -> Bool {
        a.itemID == b.itemID && a.prompt == b.prompt && a.responses.map(\.model) == b.responses.map(\.model)
            && a.responses.map(\.text) == b.responses.map(\.text)
    }
}

/// What recording some ratings did.
public struct RatingBatch: Sendable {
    public var ratings: [HumanRating]
    /// Completed human tasks × the per-task price (in the ledger as humanEvaluation).
    public var cost: Decimal
}

extension Platform {
    /// The items of a finished job, in order, with their responses (from `items.jsonl`).
    public func ratableItems(_ job: EvaluationJob) throws -> [RatableItem] {
        let url = workspace.evaluationFolder(id: job.id).appendingPathComponent(EvaluationFiles.items)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw BedrockError.validation("job \(job.name) has no answers to rate yet (status \(job.status.rawValue)); wait for it to finish")
        }
        var items: [RatableItem] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let record = try JSONValue.parse(String(line))
            guard let id = record["item"]?.stringValue, let model = record["model"]?.stringValue else { continue }
            let response = (model: model, text: record["response"]?.stringValue ?? "")
            if let i = items.firstIndex(where: { $0.itemID == id }) {
                items[i].responses.append(response)
            } else {
                items.append(RatableItem(itemID: id, category: record["category"]?.stringValue ?? "",
                                         prompt: record["prompt"]?.stringValue ?? "", responses: [response]))
            }
        }
        return items
    }

    /// Reads a ratings file (every bad record reported with its line) and records all of it, or
    /// nothing when any record is bad.
    public func importRatings(jobKey: String, method: String, path: String) throws -> RatingBatch {
        let job = try evaluationJob(jobKey)
        let m = try ratingMethod(method)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BedrockError.validation("cannot read ratings file \(path): "
                                          + (FileManager.default.fileExists(atPath: path) ? "it cannot be opened" : "no such file"))
        }
        let itemIDs = try ratableItems(job).map(\.itemID)
        let records: [RatingRecord]
        do {
            records = try RatingsFile.parse(String(decoding: data, as: UTF8.self), file: path, method: m,
                                            modelCount: job.modelIDs.count, itemIDs: itemIDs)
        } catch {
            throw BedrockError.validation("\(error.problems.count) bad record\(error.problems.count == 1 ? "" : "s"), nothing recorded:\n\(error)")
        }
        return try recordRatings(job, method: m, records: records)
    }

    /// Stores ratings and charges one human task per rating, in one transaction.
    public func recordRatings(_ job: EvaluationJob, method: HumanRatingMethod, records: [RatingRecord]) throws -> RatingBatch {
        let quote = try pricing.humanEvaluation(tasks: records.count)
        return try workspace.write { tx in
            try checkBudget(estimate: quote.total, in: tx)
            let now = try tx.now()
            let stored = try records.map { r in
                let models = method.isComparison ? Array(job.modelIDs.prefix(2)) : [job.modelIDs[r.response]]
                return try tx.addRating(HumanRating(jobID: job.id, itemID: r.itemID, rater: r.rater,
                                                    method: RatingMethod(rawValue: method.rawValue)!, value: r.value,
                                                    modelIDs: models, time: now))
            }
            if !records.isEmpty {
                try charge(.humanEvaluation, modelID: job.modelIDs[0], quantities: ChargeQuantities(tasks: records.count),
                           amount: quote.total, note: "\(job.id) \(method.rawValue) ratings", at: now.billing, in: tx)
            }
            return RatingBatch(ratings: stored, cost: quote.total)
        }
    }

    /// The method for a name, with did-you-mean.
    public func ratingMethod(_ name: String) throws -> HumanRatingMethod {
        if let m = HumanRatingMethod.named(name) { return m }
        let near = ClosestNames.suggest(name, among: HumanRatingMethod.allCases.map(\.rawValue))
        throw BedrockError.validation("unknown rating method \"\(name)\""
            + (near.isEmpty ? "" : "; did you mean \"\(near[0])\"?")
            + " (methods: \(HumanRatingMethod.allCases.map(\.rawValue).joined(separator: ", ")))")
    }

    /// Ratings of one job, or of every job.
    public func humanRatings(jobKey: String? = nil) throws -> [HumanRating] {
        let id = try jobKey.map { try evaluationJob($0).id }
        return try workspace.read { try $0.ratings(jobID: id) }
    }

    /// Approval rate, mean Likert, win rate and mean rank per model of a job.
    public func ratingSummary(_ job: EvaluationJob) throws -> [ModelRatingSummary] {
        let views = try workspace.read { try $0.ratings(jobID: job.id) }.compactMap { r in
            HumanRatingMethod(rawValue: r.method.rawValue).map { RatingView(method: $0, value: r.value, modelIDs: r.modelIDs) }
        }
        return ModelRatingSummary.summarize(views, models: job.modelIDs)
    }
}
