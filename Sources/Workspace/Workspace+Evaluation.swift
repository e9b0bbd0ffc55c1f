// Evaluation jobs, their aggregated results, and human ratings (rows only; Evaluation computes).
// Per-item results and charts are files under `evaluations/<id>/`, written with AtomicFile; the
// database keeps what `jobs`, reports and the business view query: one number per
// (job, model, metric, category), and every rating with who gave it and when.
import Foundation
import GRDB

/// Bedrock's `EvaluationJobStatus`.
public enum EvaluationJobStatus: String, CaseIterable, Codable, Sendable {
    case inProgress = "InProgress", completed = "Completed", failed = "Failed"
    case stopping = "Stopping", stopped = "Stopped", deleting = "Deleting"
}

/// Bedrock's human-evaluation `ratingMethod`s.
public enum RatingMethod: String, CaseIterable, Codable, Sendable {
    case thumbsUpDown = "ThumbsUpDown"
    case individualLikertScale = "IndividualLikertScale"
    case comparisonLikertScale = "ComparisonLikertScale"
    case comparisonChoice = "ComparisonChoice"
    case comparisonRank = "ComparisonRank"
}

public struct EvaluationJob: Hashable, Codable, Sendable {
    public var id: String
    public var name: String
    /// "Automated" or "Human" (Bedrock's jobType).
    public var jobType: String
    /// "qa", "summarization", "classification", "generation", "custom".
    public var taskType: String
    public var status: EvaluationJobStatus
    public var modelIDs: [String]
    /// "builtin:quiz" or a JSONL path.
    public var dataset: String
    public var metrics: [String]
    public var judgeModelID: String?
    /// Report folder, relative to `$BEDROCK_HOME` (e.g. `evaluations/<id>`).
    public var reportPath: String?
    public var failureMessage: String?
    public var createdAt: VirtualTime
    public var endedAt: VirtualTime?

    public init(id: String, name: String, jobType: String = "Automated", taskType: String,
                status: EvaluationJobStatus = .inProgress, modelIDs: [String], dataset: String, metrics: [String],
                judgeModelID: String? = nil, reportPath: String? = nil, failureMessage: String? = nil,
                createdAt: VirtualTime, endedAt: VirtualTime? = nil) {
        self.id = id; self.name = name; self.jobType = jobType; self.taskType = taskType; self.status = status
        self.modelIDs = modelIDs; self.dataset = dataset; self.metrics = metrics; self.judgeModelID = judgeModelID
        self.reportPath = reportPath; self.failureMessage = failureMessage
        self.createdAt = createdAt; self.endedAt = endedAt
    }
}

/// One aggregated score. `category` is "" for the whole data set.
public struct EvaluationResult: Hashable, Codable, Sendable {
    public var jobID: String
    public var modelID: String
    public var metric: String
    public var category: String
    public var value: Double
    public var itemCount: Int

    public init(jobID: String, modelID: String, metric: String, category: String = "", value: Double, itemCount: Int) {
        self.jobID = jobID; self.modelID = modelID; self.metric = metric; self.category = category
        self.value = value; self.itemCount = itemCount
    }
}

/// One human judgement.
public struct HumanRating: Hashable, Codable, Sendable {
    public var id: Int64?
    public var jobID: String?
    public var itemID: String
    public var rater: String
    public var method: RatingMethod
    /// The rating as text: "up"/"down", "4", "A", or a ranking such as "B>A>C".
    public var value: String
    /// The model(s) the rated response(s) came from, in display order.
    public var modelIDs: [String]
    public var time: VirtualTime

    public init(id: Int64? = nil, jobID: String?, itemID: String, rater: String, method: RatingMethod,
                value: String, modelIDs: [String], time: VirtualTime) {
        self.id = id; self.jobID = jobID; self.itemID = itemID; self.rater = rater; self.method = method
        self.value = value; self.modelIDs = modelIDs; self.time = time
    }
}

extension WorkspaceTransaction {
    // MARK: Evaluation jobs

    public func insertEvaluationJob(_ job: EvaluationJob) throws {
        if try evaluationJob(id: job.id) != nil {
            throw WorkspaceError.alreadyExists(table: "evaluation job", key: job.id)
        }
        if try String.fetchOne(db, sql: "SELECT id FROM evaluation_job WHERE name = ?", arguments: [job.name]) != nil {
            throw WorkspaceError.alreadyExists(table: "evaluation job", key: "name \(job.name)")
        }
        try db.execute(sql: """
            INSERT INTO evaluation_job (id, name, job_type, task_type, status, model_ids, dataset, metrics,
                judge_model_id, report_path, failure_message, created_at, ended_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
            """, arguments: try arguments(job))
    }

    public func updateEvaluationJob(_ job: EvaluationJob) throws {
        try db.execute(sql: """
            UPDATE evaluation_job SET name = ?2, job_type = ?3, task_type = ?4, status = ?5, model_ids = ?6,
                dataset = ?7, metrics = ?8, judge_model_id = ?9, report_path = ?10, failure_message = ?11,
                created_at = ?12, ended_at = ?13 WHERE id = ?1
            """, arguments: try arguments(job))
        guard db.changesCount == 1 else { throw WorkspaceError.notFound(table: "evaluation job", key: job.id) }
    }

    public func evaluationJob(id: String) throws -> EvaluationJob? {
        try Row.fetchOne(db, sql: "SELECT * FROM evaluation_job WHERE id = ?", arguments: [id])
            .map(EvaluationJob.init(row:))
    }

    public func evaluationJobs() throws -> [EvaluationJob] {
        try Row.fetchAll(db, sql: "SELECT * FROM evaluation_job ORDER BY created_at, rowid").map(EvaluationJob.init(row:))
    }

    private func arguments(_ j: EvaluationJob) throws -> StatementArguments {
        [j.id, j.name, j.jobType, j.taskType, j.status.rawValue, try Codec.json(j.modelIDs), j.dataset,
         try Codec.json(j.metrics), j.judgeModelID, j.reportPath, j.failureMessage, j.createdAt.seconds,
         j.endedAt?.seconds]
    }

    // MARK: Results

    /// Stores `results`, replacing any earlier value for the same (job, model, metric, category).
    public func saveEvaluationResults(_ results: [EvaluationResult]) throws {
        for r in results {
            guard r.value.isFinite else {
                throw WorkspaceError.invalidValue(field: "\(r.metric) result", value: "\(r.value)", expected: "a finite number")
            }
            try db.execute(sql: """
                INSERT INTO evaluation_result (job_id, model_id, metric, category, value, item_count)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, model_id, metric, category)
                DO UPDATE SET value = excluded.value, item_count = excluded.item_count
                """, arguments: [r.jobID, r.modelID, r.metric, r.category, r.value, r.itemCount])
        }
    }

    public func evaluationResults(jobID: String) throws -> [EvaluationResult] {
        try Row.fetchAll(db, sql: "SELECT * FROM evaluation_result WHERE job_id = ? ORDER BY id", arguments: [jobID])
            .map { EvaluationResult(jobID: $0["job_id"], modelID: $0["model_id"], metric: $0["metric"],
                                    category: $0["category"], value: $0["value"], itemCount: $0["item_count"]) }
    }

    // MARK: Human ratings

    @discardableResult
    public func addRating(_ rating: HumanRating) throws -> HumanRating {
        try db.execute(sql: """
            INSERT INTO human_rating (job_id, item_id, rater, method, value, model_ids, time)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [rating.jobID, rating.itemID, rating.rater, rating.method.rawValue, rating.value,
                             try Codec.json(rating.modelIDs), rating.time.seconds])
        var stored = rating
        stored.id = db.lastInsertedRowID
        return stored
    }

    /// Ratings in the order given; one job's when `jobID` is set.
    public func ratings(jobID: String? = nil) throws -> [HumanRating] {
        let filter = jobID == nil ? "" : "WHERE job_id = ?"
        return try Row.fetchAll(db, sql: "SELECT * FROM human_rating \(filter) ORDER BY id",
                                arguments: StatementArguments(jobID.map { [$0] } ?? []))
            .map(HumanRating.init(row:))
    }
}

extension EvaluationJob {
    init(row: Row) throws {
        let t = "evaluation_job"
        self.init(id: row["id"], name: row["name"], jobType: row["job_type"], taskType: row["task_type"],
                  status: try Codec.enumValue(EvaluationJobStatus.self, row["status"], table: t, column: "status"),
                  modelIDs: try Codec.decode([String].self, row["model_ids"], table: t, column: "model_ids"),
                  dataset: row["dataset"],
                  metrics: try Codec.decode([String].self, row["metrics"], table: t, column: "metrics"),
                  judgeModelID: row["judge_model_id"], reportPath: row["report_path"],
                  failureMessage: row["failure_message"], createdAt: VirtualTime(seconds: row["created_at"]),
                  endedAt: (row["ended_at"] as Int64?).map(VirtualTime.init(seconds:)))
    }
}

extension HumanRating {
    init(row: Row) throws {
        self.init(id: row["id"], jobID: row["job_id"], itemID: row["item_id"], rater: row["rater"],
                  method: try Codec.enumValue(RatingMethod.self, row["method"], table: "human_rating", column: "method"),
                  value: row["value"],
                  modelIDs: try Codec.decode([String].self, row["model_ids"], table: "human_rating", column: "model_ids"),
                  time: VirtualTime(seconds: row["time"]))
    }
}
