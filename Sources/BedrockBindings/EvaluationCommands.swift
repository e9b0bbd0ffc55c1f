// Model evaluation as language commands: `evaluate` (a background job; `wait`, `jobs` and `stop job`
// work on it), `datasets`, `show_dataset`, `rate` (human ratings from a file or a list, or typed at
// a terminal), `report` and `ratings`. Thin bindings: the platform checks, runs and charges.
import BedrockInterpreter
import Billing
import BedrockPlatform
import Catalog
import Evaluation
import Foundation
import Workspace

/// An evaluation report: prints the tables and business view; its numbers are members.
struct EvaluationReportHandle: PlatformObject {
    let report: EvaluationReport
    let maskVolatile: Bool

    var kind: String { "evaluation report" }
    var displayText: String { report.render(maskVolatile: maskVolatile) }

    /// metric → whole-set value, for one model.
    func overall(_ model: String) -> Value {
        .record(Record(report.results.filter { $0.modelID == model && $0.category.isEmpty }.map { ($0.metric, .double($0.value)) }))
    }

    func member(_ name: String) -> Value? {
        switch name {
        case "status": return .string(report.job.status.rawValue)
        case "models": return .list(report.job.modelIDs.map(Value.string))
        case "overall": return overall(report.job.modelIDs[0])
        case "by_model": return .record(Record(report.job.modelIDs.map { ($0, overall($0)) }))
        case "results":
            return .list(report.results.map { r in
                .record(Record([("model", .string(r.modelID)), ("metric", .string(r.metric)),
                                ("category", .string(r.category)), ("value", .double(r.value)), ("items", .int(r.itemCount))]))
            })
        case "ratings":
            return .list(report.ratings.map { s in
                .record(Record([("model", .string(s.modelID)), ("approval_rate", s.approvalRate.map(Value.double) ?? .nil),
                                ("mean_likert", s.meanLikert.map(Value.double) ?? .nil), ("win_rate", s.winRate.map(Value.double) ?? .nil),
                                ("mean_rank", s.meanRank.map(Value.double) ?? .nil)]))
            })
        case "cost": return .decimal(report.spend.reduce(report.humanCost) { $0 + $1.inference + $1.judge })
        case "items_path": return .string(report.itemsPath)
        case "chart_path": return .string(report.chartPath)
        default: return nil
        }
    }
    var memberNames: [String] { ["status", "models", "overall", "by_model", "results", "ratings", "cost", "items_path", "chart_path"] }
}

extension PlatformLibrary {
    func registerEvaluation(into registry: inout NativeRegistry) {
        registerEvaluate(into: &registry)
        registerDatasets(into: &registry)
        registerRatings(into: &registry)
        registry.register(
            "report",
            positional: [NativeParameter("job", .oneOf(.handle("job"), .string), doc: "an evaluation job, its ID or name")],
            doc: "The evaluation report: scores per metric, category and model, the business view, and the files.",
            example: #"request access "amazon.titan-text-lite-v1"; let j = evaluate "amazon.titan-text-lite-v1" task: "qa" dataset: "builtin:quiz" metrics: ["accuracy"] limit: 1 max_tokens: 4; wait j; report j"#,
            isCommand: true, category: "evaluation"
        ) { args, ctx in
            let p = try platform
            let key = try jobKey(args["job"])
            _ = p.waitForJob(id: try p.evaluationJob(key).id, isInterrupted: { ctx.isInterrupted })
            return .handle(EvaluationReportHandle(report: try p.evaluationReport(key), maskVolatile: ctx.maskVolatile))
        }
    }

    private func registerEvaluate(into registry: inout NativeRegistry) {
        registry.register(
            "evaluate",
            positional: [NativeParameter("model", .oneOf(modelParameter, .list), doc: "the model (or a list of two)")],
            variadic: NativeParameter("other", modelParameter, doc: "a second model to compare with"),
            labelled: [
                NativeParameter("task", .string, default: .string("custom"), doc: "qa, summarization, classification, generation or custom"),
                NativeParameter("dataset", .string, doc: "\"builtin:quiz\" (see `datasets`) or a JSONL file"),
                NativeParameter("metrics", .list, default: .nil, doc: "accuracy, robustness, toxicity and judge metrics; default: the task's"),
                NativeParameter("judge", modelParameter, default: .nil, doc: "the judge model for correctness, helpfulness, …"),
                NativeParameter("limit", .int, default: .nil, doc: "evaluate the first N items only"),
                NativeParameter("seed", .int, default: .nil, doc: "seed for perturbations and sampling (default: the session's)"),
                NativeParameter("max_tokens", .int, default: .nil, doc: "answer length per prompt (default: by task)"),
                NativeParameter("perturbations", .int, default: .int(5), doc: "perturbed copies per prompt for robustness (1–5)"),
                NativeParameter("name", .string, default: .nil, doc: "the job's name"),
            ],
            doc: "CreateEvaluationJob: answers a data set with one model (or two, to compare) in the background and scores it as Bedrock does; `wait` it, then `report` it.",
            example: #"request access "amazon.titan-text-lite-v1"; let j = evaluate "amazon.titan-text-lite-v1" task: "qa" dataset: "builtin:quiz" metrics: ["accuracy"] limit: 1 max_tokens: 4; wait j"#,
            isCommand: true, category: "evaluation"
        ) { args, ctx in
            let p = try platform
            var models: [String] = []
            if case .list(let items) = args["model"] { models = try items.map { try card($0).id } } else { models = [try card(args["model"]).id] }
            models += try args.rest.map { try card($0).id }
            let dataset = try args.string("dataset")
            let request = EvaluationRequest(
                name: try args.optionalString("name"), modelIDs: models, task: try args.string("task"),
                dataset: dataset.lowercased().hasPrefix("builtin:") ? dataset : ctx.resolvePath(dataset),
                metrics: try args.optional("metrics").map { _ in try args.list("metrics").map(Self.text) },
                judgeModelID: try args.optional("judge").map { try card($0).id }, limit: try args.optionalInt("limit"),
                seed: try args.optionalInt("seed").map { UInt64(truncatingIfNeeded: $0) } ?? ctx.seed,
                maxTokens: try args.optionalInt("max_tokens"), perturbations: try args.int("perturbations"))
            let job = try p.createEvaluationJob(request)
            return .handle(JobHandle(id: job.id, platform: p))
        }
    }

    private func registerDatasets(into registry: inout NativeRegistry) {
        registry.register(
            "datasets",
            doc: "The built-in evaluation data sets: task, items, source and licence, and whether their raw files are fetched.",
            example: "datasets", isCommand: true, category: "evaluation"
        ) { _, _ in
            let infos = DatasetCatalog().datasets
            let rows = infos.map { [$0.name, $0.taskType.shortName, String($0.itemCount), $0.isAvailable ? "yes" : "no (scripts/fetch-data)", $0.provenance.licence] }
            let text = TextLayout.table(header: ["name", "task", "items", "fetched", "licence"], rows: rows, rightAligned: [2])
            return .handle(TableHandle(kindName: "datasets", text: text, rows: infos.map { i in
                Record([("name", .string(i.name)), ("task", .string(i.taskType.shortName)), ("items", .int(i.itemCount)),
                        ("source", .string(i.provenance.source)), ("licence", .string(i.provenance.licence)),
                        ("checksum", .string(i.checksum)), ("fetched", .bool(i.isAvailable))])
            }))
        }

        registry.register(
            "show_dataset",
            positional: [NativeParameter("dataset", .string, doc: "\"builtin:quiz\" … or a JSONL file")],
            labelled: [NativeParameter("limit", .int, default: .int(5), doc: "how many items to show")],
            doc: "The first items of a data set: id, category, prompt and accepted answers.",
            example: #"show_dataset "builtin:quiz" limit: 2"#, isCommand: true, category: "evaluation"
        ) { args, ctx in
            let name = try args.string("dataset")
            let catalog = DatasetCatalog()
            let data: Dataset
            do {
                data = name.lowercased().hasPrefix("builtin:") ? try catalog.load(name) : try catalog.loadCustom(path: ctx.resolvePath(name))
            } catch { throw NativeError("\(error)") }
            let shown = Array(data.items.prefix(max(0, try args.int("limit"))))
            var text = "\(data.name) · \(data.taskType.shortName) · \(data.items.count) items"
                + (data.provenance.map { " · \($0.source) · \($0.licence)" } ?? "") + "\n"
            for item in shown {
                text += "\n[\(item.id)]" + (item.category.map { " \($0)" } ?? "") + "\n  prompt: \(item.prompt)\n"
                if !item.referenceResponses.isEmpty { text += "  answers: \(item.referenceResponses.joined(separator: " | "))\n" }
            }
            return .handle(TableHandle(kindName: "dataset", text: String(text.dropLast()), rows: shown.map { i in
                Record([("id", .string(i.id)), ("category", i.category.map(Value.string) ?? .nil), ("prompt", .string(i.prompt)),
                        ("references", .list(i.referenceResponses.map(Value.string)))])
            }))
        }
    }

    static func text(_ v: Value) throws -> String {
        guard case .string(let s) = v else { throw NativeError("expected a string, got \(v.typeName)") }
        return s
    }
}

// MARK: human ratings

extension PlatformLibrary {
    private func registerRatings(into registry: inout NativeRegistry) {
        registry.register(
            "rate",
            positional: [NativeParameter("job", .oneOf(.handle("job"), .string), doc: "an evaluation job, its ID or name")],
            labelled: [
                NativeParameter("method", .string, default: .string("ThumbsUpDown"),
                                doc: "ThumbsUpDown, IndividualLikertScale, ComparisonLikertScale, ComparisonChoice or ComparisonRank"),
                NativeParameter("ratings", .oneOf(.string, .list), default: .nil,
                                doc: "a JSONL file or a list of {item, rater, rating[, response]}; without it, rate at the terminal"),
                NativeParameter("rater", .string, default: .string("you"), doc: "who rates at the terminal"),
                NativeParameter("limit", .int, default: .nil, doc: "at the terminal: rate the first N items"),
            ],
            doc: "Human evaluation: records ratings of a job's answers with one of Bedrock's five methods; each is a human task charged at the per-task price.",
            example: #"request access "amazon.titan-text-lite-v1"; let j = evaluate "amazon.titan-text-lite-v1" task: "qa" dataset: "builtin:quiz" metrics: ["accuracy"] limit: 1 max_tokens: 4; wait j; rate j method: "ThumbsUpDown" ratings: [{item: "africa:44", rater: "ana", rating: "up"}]"#,
            isCommand: true, category: "evaluation"
        ) { args, ctx in
            let p = try platform
            let key = try jobKey(args["job"])
            _ = p.waitForJob(id: try p.evaluationJob(key).id, isInterrupted: { ctx.isInterrupted })
            let job = try p.evaluationJob(key)
            let method = try p.ratingMethod(try args.string("method"))
            let batch: RatingBatch
            switch args.optional("ratings") {
            case .string(let path)?:
                batch = try p.importRatings(jobKey: job.id, method: method.rawValue, path: ctx.resolvePath(path))
            case .list(let rows)?:
                let text = try rows.enumerated().map { i, row in try JSONValue(value: row, path: "ratings[\(i)]").compactText }.joined(separator: "\n")
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("bedrock-ratings-\(UUID().uuidString).jsonl")
                try Data(text.utf8).write(to: file)
                defer { try? FileManager.default.removeItem(at: file) }
                do { batch = try p.importRatings(jobKey: job.id, method: method.rawValue, path: file.path) } catch let e as BedrockError {
                    // Report list positions, not the temporary file's lines.
                    throw BedrockError.validation(e.message.replacingOccurrences(of: file.path + ":", with: "ratings record "))
                }
            default:
                batch = try rateAtTerminal(p, job: job, method: method, rater: try args.string("rater"),
                                           limit: try args.optionalInt("limit"), ctx: ctx)
            }
            return ratingsTable(batch.ratings, title: "\(batch.ratings.count) rating\(batch.ratings.count == 1 ? "" : "s") recorded, "
                                + "\(Money.format(batch.cost)) of human tasks", ctx: ctx)
        }

        registry.register(
            "ratings",
            variadic: NativeParameter("job", .oneOf(.handle("job"), .string), doc: "an evaluation job (none: every job)"),
            doc: "Recorded human ratings: item, rater, method, rating, models and virtual time.",
            example: "ratings", isCommand: true, category: "evaluation"
        ) { args, ctx in
            guard args.rest.count <= 1 else { throw NativeError("ratings takes at most one job, got \(args.rest.count)") }
            let key = try args.rest.first.map(jobKey)
            let all = try platform.humanRatings(jobKey: key)
            return ratingsTable(all, title: all.isEmpty ? "no ratings" : "\(all.count) rating\(all.count == 1 ? "" : "s")", ctx: ctx)
        }
    }

    private func ratingsTable(_ ratings: [HumanRating], title: String, ctx: NativeContext) -> Value {
        let rows = ratings.map { r in
            [r.jobID ?? "", r.itemID, r.rater, r.method.rawValue, r.value, r.modelIDs.joined(separator: " vs "),
             Billing.VirtualTime(secondsSince1970: r.time.seconds).display]
        }
        let text = rows.isEmpty ? title
            : title + "\n" + TextLayout.table(header: ["job", "item", "rater", "method", "rating", "models", "time"], rows: rows)
        return .handle(TableHandle(kindName: "ratings", text: text, rows: ratings.map { r in
            Record([("job", .string(r.jobID ?? "")), ("item", .string(r.itemID)), ("rater", .string(r.rater)),
                    ("method", .string(r.method.rawValue)), ("rating", .string(r.value)),
                    ("models", .list(r.modelIDs.map(Value.string)))])
        }))
    }

    /// Shows each item and reads the rating from the terminal. Only when standard input is a
    /// terminal: notebooks and piped scripts must pass `ratings:` so runs stay reproducible.
    private func rateAtTerminal(_ p: Platform, job: EvaluationJob, method: HumanRatingMethod, rater: String,
                                limit: Int?, ctx: NativeContext) throws -> RatingBatch {
        guard !ctx.maskVolatile, isatty(STDIN_FILENO) == 1 else {
            throw NativeError("rate needs ratings: \"file.jsonl\" (or a list of records) when not at a terminal")
        }
        if method.isComparison, job.modelIDs.count < 2 {
            throw NativeError("\(method.rawValue) compares two responses, but \(job.name) evaluated one model")
        }
        var records: [RatingRecord] = []
        let items = try p.ratableItems(job)
        for item in items.prefix(limit ?? items.count) {
            let responses = method.isComparison ? [Array(item.responses.prefix(2))] : item.responses.map { [$0] }
            for (r, shown) in responses.enumerated() {
                ctx.write("\n[\(item.itemID)] \(item.prompt)\n")
                for (i, answer) in shown.enumerated() {
                    ctx.write("  \(method.isComparison ? (i == 0 ? "A" : "B") : "response") (\(answer.model)): \(answer.text)\n")
                }
                while true {
                    ctx.write("\(method.expected) (empty line: skip, q: stop) > ")
                    guard let line = readLine(), line.lowercased() != "q" else { return try p.recordRatings(job, method: method, records: records) }
                    if line.isEmpty { break }
                    if let value = method.canonical(line) {
                        records.append(RatingRecord(line: records.count + 1, itemID: item.itemID, rater: rater, value: value,
                                                    response: method.isComparison ? 0 : r))
                        break
                    }
                    ctx.write("expected \(method.expected)\n")
                }
            }
        }
        return try p.recordRatings(job, method: method, records: records)
    }
}
