// One model import job's work, on the job runner's thread: inspect the file (architecture, tensor
// types, tensors and shapes, tokenizer, heads: TextEngine's ModelImportCheck), copy it atomically
// to `custom-models/<id>/model.gguf` hashing the source as it is read, check the copy's SHA-256
// against it, then register the imported model in one transaction (model row, job Completed,
// storage billing start). Any failure ends the job Failed with its full reason, removes the copy
// and registers nothing.
import Basics
import Catalog
import Foundation
import TextEngine
import Workspace

/// What the platform stores about an imported model (the `info` column): the card's facts and how
/// the engine renders its conversations.
struct ImportRecord: Codable {
    var info: ImportedModelInfo
    /// ChatFormat's raw value.
    var chatFormat: String
    var defaultSystem: String?
}

final class ModelImportRun: Sendable {
    let platform: Platform
    let job: ModelImportJob
    static let fileName = "model.gguf"

    init(platform: Platform, job: ModelImportJob) {
        self.platform = platform
        self.job = job
    }

    var folder: URL { platform.importFolder(jobID: job.id) }

    /// Runs the job to its end state; never throws (a failure ends the job Failed with its reason).
    func execute(_ context: JobContext) {
        do {
            try run(context)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            let reason = (error as? BedrockError)?.message ?? "\(error)"
            try? update { job in
                job.status = .failed
                job.failureMessage = reason
            }
        }
    }

    func update(_ change: (inout ModelImportJob) -> Void, in tx: WorkspaceTransaction? = nil) throws {
        func apply(_ tx: WorkspaceTransaction) throws {
            guard var row = try tx.modelImportJob(key: job.id) else { return }
            change(&row)
            if row.status != .inProgress { row.endedAt = try tx.now(); row.processID = nil }
            try tx.updateModelImportJob(row)
        }
        if let tx { try apply(tx) } else { try platform.workspace.write(apply) }
    }

    private func run(_ context: JobContext) throws {
        context.report(JobProgress(fraction: 0, summary: "checking \(URL(fileURLWithPath: job.sourcePath).lastPathComponent)"))
        let inspection: ImportInspection
        do { inspection = try ModelImportCheck.inspect(path: job.sourcePath) } catch {
            throw BedrockError.validation("the file was not imported: \(error.description)")
        }
        if context.isStopRequested { throw BedrockError.validation("the import was stopped before the copy; nothing was registered") }
        context.report(JobProgress(fraction: 0.2, summary: "copying \(Money.quantity(Decimal(inspection.fileBytes))) bytes"))
        let target = folder.appendingPathComponent(Self.fileName)
        let sourceHash = try copy(from: job.sourcePath, to: target)
        context.report(JobProgress(fraction: 0.7, summary: "checking the copy's sha256"))
        let copyHash = try sha256Hex(ofFile: target.path)
        guard copyHash == sourceHash else {
            throw BedrockError.validation("the copy of \(job.sourcePath) has sha256 \(copyHash.prefix(12))…, the source "
                                          + "\(sourceHash.prefix(12))… (did the file change during the import?); nothing was registered")
        }
        try register(inspection, sha256: sourceHash, relativePath: "custom-models/\(job.id)/\(Self.fileName)")
        context.report(JobProgress(fraction: 1, summary: "imported"))
    }

    /// Streams the file into place through AtomicFile (temp name, fsync, rename), 4 MiB at a time,
    /// hashing what it reads; returns the source's SHA-256.
    private func copy(from source: String, to target: URL) throws -> String {
        guard let input = FileHandle(forReadingAtPath: source) else {
            throw BedrockError.validation("cannot read \(source) to copy it")
        }
        defer { try? input.close() }
        var hasher = SHA256()
        try AtomicFile.write(to: target) { handle in
            while let chunk = try input.read(upToCount: 4 << 20), !chunk.isEmpty {
                chunk.withUnsafeBytes { hasher.update($0) }
                try handle.write(contentsOf: chunk)
            }
        }
        return hexString(hasher.finalize())
    }

    /// The model row, the job's Completed state and the start of storage billing, together.
    private func register(_ i: ImportInspection, sha256: String, relativePath: String) throws {
        let arn = ModelCard.importedModelARN(id: job.id)
        let units = ImportPricing.customModelUnits(parameters: i.parameterCount)
        let info = ImportedModelInfo(
            architecture: i.architecture, parameterCount: i.parameterCount, fileContextLength: i.config.contextLength,
            servedContext: Platform.servedContext(i.config), quantization: i.tensorTypes.map { "\($0.type) ×\($0.count)" },
            fileBytes: i.fileBytes, sha256: sha256, chatFormat: i.chatFormat.label, customModelUnits: units,
            sourcePath: job.sourcePath, servedFile: relativePath, jobName: job.name, convertedAtLoad: i.convertedTensorTypes)
        let record = ImportRecord(info: info, chatFormat: i.chatFormat.rawValue, defaultSystem: i.defaultSystem)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(record), as: UTF8.self)
        try platform.workspace.write { tx in
            let now = try tx.now()
            try tx.registerImportedModel(ImportedModel(arn: arn, name: job.modelName, jobID: job.id, filePath: relativePath,
                                                       fileSHA256: sha256, fileBytes: i.fileBytes, customModelUnits: units,
                                                       info: json, createdAt: now))
            try platform.startImportedStorageBilling(arn: arn, at: now.billing, in: tx)
            try update({ job in
                job.status = .completed
                job.importedModelARN = arn
            }, in: tx)
        }
    }
}

extension Platform {
    /// The longest context an imported model is served with: its KV cache holds at most this many
    /// tokens (the SmolLM2 base's own window)…
    static let importedContextCap = 8192
    /// …and at most this many bytes (keys and values, Float32, every layer), so a bigger model
    /// gets a shorter window rather than exhausting memory.
    static let importedKVCacheBytes = 1 << 30

    /// The served context of a model with this config: min(file's context, 8,192, what 1 GiB of KV cache holds).
    static func servedContext(_ c: LlamaConfig) -> Int {
        let bytesPerToken = max(1, c.layers * 2 * c.kvHeads * c.headDim * 4)
        return max(1, min(c.contextLength, importedContextCap, importedKVCacheBytes / bytesPerToken))
    }
}
