// CreateModelImportJob (Custom Model Import) and its neighbours: the checks made before anything
// is recorded (names, a readable file), the job row, the hand-off to the shared job runner, lookups
// and the recovery of jobs whose process died. What the job then does (inspect, copy, hash,
// register) is ModelImportRun.swift; the model it registers is ImportedModels.swift.
import Basics
import Catalog
import Foundation
import TextEngine
import Workspace

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Platform {
    /// CreateModelImportJob: checks the names and that `path` is a readable file, records the job
    /// InProgress and starts it. Bad names or a missing file throw here and record nothing; a file
    /// the engine cannot serve ends the job Failed with every problem named, and registers nothing.
    @discardableResult
    public func createModelImportJob(path: String, name: String, jobName: String? = nil) throws -> ModelImportJob {
        let jobName = jobName ?? name + "-import"
        try checkNewNames(model: name, modelField: "importedModelName", job: jobName)
        try checkImportSource(path)
        let job = try workspace.write { tx -> ModelImportJob in
            let now = try tx.now()
            let count = try tx.modelImportJobs().count
            let id = sha256Hex(Array("import|\(jobName)|\(count)|\(now.seconds)|\(sessionID)".utf8)).prefix(12)
            let job = ModelImportJob(id: String(id), name: jobName, modelName: name, sourcePath: path,
                                     processID: getpid(), createdAt: now)
            try tx.insertModelImportJob(job)
            return job
        }
        let run = ModelImportRun(platform: self, job: job)
        startJob(id: job.id, kind: .modelImport) { context in run.execute(context) }
        return job
    }


    /// The file must exist, be a regular file and be readable; a missing one suggests the closest
    /// `.gguf` file in its folder.
    private func checkImportSource(_ path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".gguf") }
            let near = ClosestNames.suggest(URL(fileURLWithPath: path).lastPathComponent, among: files, limit: 1)
            throw BedrockError.validation("cannot read \(path): no such file"
                + (near.first.map { "; did you mean \(folder.appendingPathComponent($0).path)?" } ?? ""))
        }
        guard !isFolder.boolValue else { throw BedrockError.validation("cannot import \(path): it is a folder; pass the .gguf file inside it") }
        guard FileManager.default.isReadableFile(atPath: path) else { throw BedrockError.validation("cannot read \(path): permission denied") }
    }

    /// GetModelImportJob by ID or name.
    public func modelImportJob(_ key: String) throws -> ModelImportJob {
        guard let job = try workspace.read({ try $0.modelImportJob(key: key) }) else {
            let names = try workspace.read { try $0.modelImportJobs() }.flatMap { [$0.id, $0.name] }
            let near = ClosestNames.suggest(key, among: names, limit: 1)
            throw BedrockError.resourceNotFound("no model import job \(key)" + (near.first.map { "; did you mean \"\($0)\"?" } ?? ""))
        }
        return job
    }

    /// ListModelImportJobs, oldest first.
    public func modelImportJobs() throws -> [ModelImportJob] { try workspace.read { try $0.modelImportJobs() } }

    /// Where an import job's copy is written: `custom-models/<job id>/`.
    func importFolder(jobID: String) -> URL { workspace.customModelFolder(id: jobID) }

    /// Marks Failed every import job still InProgress whose process has ended (killed or crashed),
    /// and removes what it had copied: call when a platform opens a workspace. Registration is the
    /// job's last, single transaction, so such a job registered nothing.
    @discardableResult
    public func recoverInterruptedImportJobs() throws -> [String] {
        let open = try workspace.read { try $0.modelImportJobs(status: .inProgress) }
        var failed: [String] = []
        for var job in open where !runningJobIDs.contains(job.id) && !RunningMarker.isAnotherLiveProcess(job.processID) {
            job.status = .failed
            job.failureMessage = "the process running the import ended before it finished; no model was registered"
            job.endedAt = try workspace.read { try $0.now() }
            try workspace.write { try $0.updateModelImportJob(job) }
            try? FileManager.default.removeItem(at: importFolder(jobID: job.id))
            failed.append(job.id)
        }
        return failed
    }
}
