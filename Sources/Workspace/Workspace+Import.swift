// Custom Model Import's rows: model import jobs (InProgress → Completed / Failed) and the imported
// models they register. An imported model's file is copied under `custom-models/<id>/` and checked
// BEFORE `registerImportedModel` runs, in the same transaction as the job's Completed row, so no
// half-copied model is ever registered. The platform's card details travel as one JSON column.
import Foundation
import GRDB

/// Bedrock's `ModelImportJobStatus`.
public enum ModelImportJobStatus: String, CaseIterable, Codable, Sendable {
    case inProgress = "InProgress", completed = "Completed", failed = "Failed"
}

/// A CreateModelImportJob request and where it stands.
public struct ModelImportJob: Hashable, Codable, Sendable {
    public var id: String
    public var name: String
    /// The imported model's name (importedModelName).
    public var modelName: String
    /// The file imported (Bedrock's modelDataSource).
    public var sourcePath: String
    public var status: ModelImportJobStatus
    public var importedModelARN: String?
    public var failureMessage: String?
    /// The process running the job while it is InProgress.
    public var processID: Int32?
    public var createdAt: VirtualTime
    public var endedAt: VirtualTime?

    public init(id: String, name: String, modelName: String, sourcePath: String, status: ModelImportJobStatus = .inProgress,
                importedModelARN: String? = nil, failureMessage: String? = nil, processID: Int32? = nil,
                createdAt: VirtualTime, endedAt: VirtualTime? = nil) {
        self.id = id; self.name = name; self.modelName = modelName; self.sourcePath = sourcePath; self.status = status
        self.importedModelARN = importedModelARN; self.failureMessage = failureMessage; self.processID = processID
        self.createdAt = createdAt; self.endedAt = endedAt
    }
}

/// A model registered by an import job.
public struct ImportedModel: Hashable, Codable, Sendable {
    public var arn: String
    public var name: String
    public var jobID: String?
    /// The served copy, relative to the workspace's files root (`custom-models/<id>/model.gguf`).
    public var filePath: String
    public var fileSHA256: String
    public var fileBytes: Int
    public var customModelUnits: Int
    /// The platform's description of the model (architecture, context, quantization…), as JSON.
    public var info: String
    public var createdAt: VirtualTime

    public init(arn: String, name: String, jobID: String?, filePath: String, fileSHA256: String, fileBytes: Int,
                customModelUnits: Int, info: String, createdAt: VirtualTime) {
        self.arn = arn; self.name = name; self.jobID = jobID; self.filePath = filePath; self.fileSHA256 = fileSHA256
        self.fileBytes = fileBytes; self.customModelUnits = customModelUnits; self.info = info; self.createdAt = createdAt
    }
}

extension WorkspaceTransaction {
    // MARK: Import jobs

    public func insertModelImportJob(_ job: ModelImportJob) throws {
        if try modelImportJob(key: job.id) != nil || modelImportJob(key: job.name) != nil {
            throw WorkspaceError.alreadyExists(table: "model import job", key: job.name)
        }
        try db.execute(sql: """
            INSERT INTO model_import_job (id, name, model_name, source_path, status, imported_model_arn, failure_message,
                process_id, created_at, ended_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            """, arguments: arguments(job))
    }

    public func updateModelImportJob(_ job: ModelImportJob) throws {
        try db.execute(sql: """
            UPDATE model_import_job SET name = ?2, model_name = ?3, source_path = ?4, status = ?5, imported_model_arn = ?6,
                failure_message = ?7, process_id = ?8, created_at = ?9, ended_at = ?10 WHERE id = ?1
            """, arguments: arguments(job))
        guard db.changesCount == 1 else { throw WorkspaceError.notFound(table: "model import job", key: job.id) }
    }

    /// The import job whose ID or name is `key`.
    public func modelImportJob(key: String) throws -> ModelImportJob? {
        try Row.fetchOne(db, sql: "SELECT * FROM model_import_job WHERE id = ?1 OR name = ?1", arguments: [key])
            .map(ModelImportJob.init(row:))
    }

    public func modelImportJobs(status: ModelImportJobStatus? = nil) throws -> [ModelImportJob] {
        let filter = status == nil ? "" : "WHERE status = ?"
        return try Row.fetchAll(db, sql: "SELECT * FROM model_import_job \(filter) ORDER BY created_at, rowid",
                                arguments: StatementArguments(status.map { [$0.rawValue] } ?? []))
            .map(ModelImportJob.init(row:))
    }

    private func arguments(_ j: ModelImportJob) -> StatementArguments {
        let pid: Int64? = j.processID.map { Int64($0) }
        return [j.id, j.name, j.modelName, j.sourcePath, j.status.rawValue, j.importedModelARN, j.failureMessage,
                pid, j.createdAt.seconds, j.endedAt?.seconds]
    }

    // MARK: Imported models

    /// Registers `model`; call it (with the job's Completed update) in one `write`, after the file
    /// is in place and its hash checked.
    public func registerImportedModel(_ model: ImportedModel) throws {
        if try importedModel(arnOrName: model.arn) != nil || importedModel(arnOrName: model.name) != nil {
            throw WorkspaceError.alreadyExists(table: "imported model", key: model.name)
        }
        try db.execute(sql: """
            INSERT INTO imported_model (arn, name, job_id, file_path, file_sha256, file_bytes, custom_model_units, info,
                created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [model.arn, model.name, model.jobID, model.filePath, model.fileSHA256, model.fileBytes,
                             model.customModelUnits, model.info, model.createdAt.seconds])
    }

    public func importedModel(arnOrName key: String) throws -> ImportedModel? {
        try Row.fetchOne(db, sql: "SELECT * FROM imported_model WHERE arn = ?1 OR name = ?1", arguments: [key])
            .map(ImportedModel.init(row:))
    }

    public func importedModels() throws -> [ImportedModel] {
        try Row.fetchAll(db, sql: "SELECT * FROM imported_model ORDER BY created_at, rowid").map(ImportedModel.init(row:))
    }

    /// DeleteImportedModel's row part (the caller removes the files after the transaction commits).
    public func deleteImportedModel(arn: String) throws {
        try db.execute(sql: "DELETE FROM imported_model WHERE arn = ?", arguments: [arn])
        guard db.changesCount == 1 else { throw WorkspaceError.notFound(table: "imported model", key: arn) }
    }
}

extension ModelImportJob {
    init(row: Row) throws {
        self.init(id: row["id"], name: row["name"], modelName: row["model_name"], sourcePath: row["source_path"],
                  status: try Codec.enumValue(ModelImportJobStatus.self, row["status"], table: "model_import_job", column: "status"),
                  importedModelARN: row["imported_model_arn"], failureMessage: row["failure_message"],
                  processID: (row["process_id"] as Int64?).map { Int32(truncatingIfNeeded: $0) },
                  createdAt: VirtualTime(seconds: row["created_at"]),
                  endedAt: (row["ended_at"] as Int64?).map(VirtualTime.init(seconds:)))
    }
}

extension ImportedModel {
    init(row: Row) throws {
        self.init(arn: row["arn"], name: row["name"], jobID: row["job_id"], filePath: row["file_path"],
                  fileSHA256: row["file_sha256"], fileBytes: row["file_bytes"], customModelUnits: row["custom_model_units"],
                  info: row["info"], createdAt: VirtualTime(seconds: row["created_at"]))
    }
}
