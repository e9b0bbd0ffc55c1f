// Names a user gives new resources: Bedrock's rule for customModelName, importedModelName and
// jobName (1–63 letters, digits, '-', '_' or '.'), and uniqueness. A model name must not be a
// catalog ID or another custom or imported model's name (a name resolves a model); a job name must
// not be any other job's, of any kind (a name resolves a job for `wait`, `stop job`, `resume job`).
import Workspace

extension Platform {
    /// Throws ValidationException unless `value` follows Bedrock's naming rule for `field`.
    func checkNameFormat(_ value: String, field: String) throws {
        guard (1...63).contains(value.count), value.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw BedrockError.validation("\(field) must be 1–63 letters, digits, '-', '_' or '.', got \"\(value)\"")
        }
    }

    /// Checks a new model's name (`field` names it in the error) and a new job's name, before
    /// anything is recorded.
    func checkNewNames(model: String, modelField: String, job: String) throws {
        try checkNameFormat(model, field: modelField)
        try checkNameFormat(job, field: "jobName")
        if catalog.modelIfPresent(id: model) != nil {
            throw BedrockError.validation("\(modelField) \(model) is a catalog model ID; choose another name")
        }
        try workspace.read { tx in
            if try tx.importedModel(arnOrName: model) != nil {
                throw BedrockError.conflict("an imported model named \(model) already exists; choose another name or delete it first (delete_model \"\(model)\")")
            }
            if try tx.customModel(arnOrName: model) != nil {
                throw BedrockError.conflict("a custom model named \(model) already exists; choose another name")
            }
            let taken = try tx.modelImportJobs().map(\.name) + tx.customizationJobs().map(\.name) + tx.evaluationJobs().map(\.name)
            if taken.contains(job) {
                throw BedrockError.conflict("a job named \(job) already exists; pass another job name")
            }
        }
    }
}
