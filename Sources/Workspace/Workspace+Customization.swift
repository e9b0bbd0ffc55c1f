// Model customization jobs and the custom models they produce (rows only; Training runs the jobs).
// A custom model row points at weights under `custom-models/<id>/`, written with AtomicFile
// BEFORE `registerCustomModel` runs, so no half-written model is ever registered.
import Foundation
import GRDB

/// Bedrock's `ModelCustomizationJobStatus`.
public enum CustomizationJobStatus: String, CaseIterable, Codable, Sendable {
    case inProgress = "InProgress", completed = "Completed", failed = "Failed"
    case stopping = "Stopping", stopped = "Stopped"
}

/// A fine-tuning or continued-pre-training job.
public struct CustomizationJob: Hashable, Codable, Sendable {
    public var id: String
    public var name: String
    public var baseModelID: String
    /// "FINE_TUNING" or "CONTINUED_PRE_TRAINING" (Bedrock's customizationType).
    public var customizationType: String
    public var status: CustomizationJobStatus
    /// Bedrock's statusDetails, flattened: {"validation": "Completed", "training": "InProgress"}.
    public var statusDetails: [String: String]
    /// As Bedrock passes them: every value a string ({"epochCount": "2"}).
    public var hyperparameters: [String: String]
    public var trainingDataPath: String
    public var validationDataPath: String?
    public var outputModelName: String
    public var outputModelARN: String?
    /// Final figures such as trainingLoss, validationLoss (per-step curves live in CSV files).
    public var metrics: [String: Double]
    public var failureMessage: String?
    public var createdAt: VirtualTime
    public var endedAt: VirtualTime?

    public init(id: String, name: String, baseModelID: String, customizationType: String,
                status: CustomizationJobStatus = .inProgress, statusDetails: [String: String] = [:],
                hyperparameters: [String: String], trainingDataPath: String, validationDataPath: String? = nil,
                outputModelName: String, outputModelARN: String? = nil, metrics: [String: Double] = [:],
                failureMessage: String? = nil, createdAt: VirtualTime, endedAt: VirtualTime? = nil) {
        self.id = id; self.name = name; self.baseModelID = baseModelID
        self.customizationType = customizationType; self.status = status; self.statusDetails = statusDetails
        self.hyperparameters = hyperparameters; self.trainingDataPath = trainingDataPath
        self.validationDataPath = validationDataPath; self.outputModelName = outputModelName
        self.outputModelARN = outputModelARN; self.metrics = metrics; self.failureMessage = failureMessage
        self.createdAt = createdAt; self.endedAt = endedAt
    }
}

/// A private custom model: the base model's file hash plus its own weights.
public struct CustomModel: Hashable, Codable, Sendable {
    public var arn: String
    public var name: String
    public var baseModelID: String
    /// SHA-256 (hex) of the base model file the weights apply to.
    public var baseFileSHA256: String
    /// Weights file, relative to `$BEDROCK_HOME` (e.g. `custom-models/<id>/adapter.safetensors`).
    public var weightsPath: String
    public var customizationType: String
    public var hyperparameters: [String: String]
    public var jobID: String?
    public var createdAt: VirtualTime

    public init(arn: String, name: String, baseModelID: String, baseFileSHA256: String, weightsPath: String,
                customizationType: String, hyperparameters: [String: String], jobID: String?, createdAt: VirtualTime) {
        self.arn = arn; self.name = name; self.baseModelID = baseModelID; self.baseFileSHA256 = baseFileSHA256
        self.weightsPath = weightsPath; self.customizationType = customizationType
        self.hyperparameters = hyperparameters; self.jobID = jobID; self.createdAt = createdAt
    }
}

extension WorkspaceTransaction {
    // MARK: Customization jobs

    public func insertCustomizationJob(_ job: CustomizationJob) throws {
        if try customizationJob(id: job.id) != nil {
            throw WorkspaceError.alreadyExists(table: "customization job", key: job.id)
        }
        if try String.fetchOne(db, sql: "SELECT id FROM customization_job WHERE name = ?", arguments: [job.name]) != nil {
            throw WorkspaceError.alreadyExists(table: "customization job", key: "name \(job.name)")
        }
        try db.execute(sql: """
            INSERT INTO customization_job (id, name, base_model_id, customization_type, status, status_details,
                hyperparameters, training_data_path, validation_data_path, output_model_name, output_model_arn,
                metrics, failure_message, created_at, ended_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
            """, arguments: try arguments(job))
    }

    /// Replaces the stored job with the same id (status, details, metrics, end time…).
    public func updateCustomizationJob(_ job: CustomizationJob) throws {
        try db.execute(sql: """
            UPDATE customization_job SET name = ?2, base_model_id = ?3, customization_type = ?4, status = ?5,
                status_details = ?6, hyperparameters = ?7, training_data_path = ?8, validation_data_path = ?9,
                output_model_name = ?10, output_model_arn = ?11, metrics = ?12, failure_message = ?13,
                created_at = ?14, ended_at = ?15 WHERE id = ?1
            """, arguments: try arguments(job))
        guard db.changesCount == 1 else { throw WorkspaceError.notFound(table: "customization job", key: job.id) }
    }

    public func customizationJob(id: String) throws -> CustomizationJob? {
        try Row.fetchOne(db, sql: "SELECT * FROM customization_job WHERE id = ?", arguments: [id])
            .map(CustomizationJob.init(row:))
    }

    public func customizationJobs(status: CustomizationJobStatus? = nil) throws -> [CustomizationJob] {
        let filter = status == nil ? "" : "WHERE status = ?"
        return try Row.fetchAll(db, sql: "SELECT * FROM customization_job \(filter) ORDER BY created_at, rowid",
                                arguments: StatementArguments(status.map { [$0.rawValue] } ?? []))
            .map(CustomizationJob.init(row:))
    }

    private func arguments(_ j: CustomizationJob) throws -> StatementArguments {
        if let (name, value) = j.metrics.first(where: { !$0.value.isFinite }) {
            throw WorkspaceError.invalidValue(field: "metric \(name)", value: "\(value)", expected: "a finite number")
        }
        return [j.id, j.name, j.baseModelID, j.customizationType, j.status.rawValue, try Codec.json(j.statusDetails),
         try Codec.json(j.hyperparameters), j.trainingDataPath, j.validationDataPath, j.outputModelName,
         j.outputModelARN, try Codec.json(j.metrics), j.failureMessage, j.createdAt.seconds, j.endedAt?.seconds]
    }

    // MARK: Custom models

    /// Registers `model`; call it (with the job's final update) in one `write` after the weights
    /// are safely on disk.
    public func registerCustomModel(_ model: CustomModel) throws {
        if try customModel(arnOrName: model.arn) != nil || customModel(arnOrName: model.name) != nil {
            throw WorkspaceError.alreadyExists(table: "custom model", key: model.name)
        }
        try db.execute(sql: """
            INSERT INTO custom_model (arn, name, base_model_id, base_file_sha256, weights_path, customization_type,
                hyperparameters, job_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [model.arn, model.name, model.baseModelID, model.baseFileSHA256, model.weightsPath,
                             model.customizationType, try Codec.json(model.hyperparameters), model.jobID,
                             model.createdAt.seconds])
    }

    /// The custom model whose ARN or name is `key`.
    public func customModel(arnOrName key: String) throws -> CustomModel? {
        try Row.fetchOne(db, sql: "SELECT * FROM custom_model WHERE arn = ?1 OR name = ?1", arguments: [key])
            .map(CustomModel.init(row:))
    }

    public func customModels() throws -> [CustomModel] {
        try Row.fetchAll(db, sql: "SELECT * FROM custom_model ORDER BY created_at, rowid").map(CustomModel.init(row:))
    }
}

extension CustomizationJob {
    init(row: Row) throws {
        let t = "customization_job"
        self.init(id: row["id"], name: row["name"], baseModelID: row["base_model_id"],
                  customizationType: row["customization_type"],
                  status: try Codec.enumValue(CustomizationJobStatus.self, row["status"], table: t, column: "status"),
                  statusDetails: try Codec.decode([String: String].self, row["status_details"], table: t,
                                                  column: "status_details"),
                  hyperparameters: try Codec.decode([String: String].self, row["hyperparameters"], table: t,
                                                    column: "hyperparameters"),
                  trainingDataPath: row["training_data_path"], validationDataPath: row["validation_data_path"],
                  outputModelName: row["output_model_name"], outputModelARN: row["output_model_arn"],
                  metrics: try Codec.decode([String: Double].self, row["metrics"], table: t, column: "metrics"),
                  failureMessage: row["failure_message"], createdAt: VirtualTime(seconds: row["created_at"]),
                  endedAt: (row["ended_at"] as Int64?).map(VirtualTime.init(seconds:)))
    }
}

extension CustomModel {
    init(row: Row) throws {
        self.init(arn: row["arn"], name: row["name"], baseModelID: row["base_model_id"],
                  baseFileSHA256: row["base_file_sha256"], weightsPath: row["weights_path"],
                  customizationType: row["customization_type"],
                  hyperparameters: try Codec.decode([String: String].self, row["hyperparameters"],
                                                    table: "custom_model", column: "hyperparameters"),
                  jobID: row["job_id"], createdAt: VirtualTime(seconds: row["created_at"]))
    }
}
