// Imported models as the rest of the platform sees them: cards (Catalog's ModelCard.imported, on
// demand, Llama bodies), the engine serving of one (its own file, tokenizer, chat format and KV
// cache), ListImportedModels / GetImportedModel, and DeleteImportedModel (row first, then files).
import Catalog
import Foundation
import TextEngine
import Workspace

extension Platform {
    /// ListImportedModels: the workspace's imported models as cards, oldest first.
    public func importedModelCards() throws -> [ModelCard] {
        try workspace.read { try $0.importedModels() }.map(importedCard(for:))
    }

    /// The card of a stored imported model.
    func importedCard(for row: ImportedModel) throws -> ModelCard {
        let record = try importRecord(row)
        return ModelCard.imported(id: String(row.arn.split(separator: "/").last ?? Substring(row.name)), name: row.name,
                                  info: record.info)
    }

    func importRecord(_ row: ImportedModel) throws -> ImportRecord {
        do { return try JSONDecoder().decode(ImportRecord.self, from: Data(row.info.utf8)) } catch {
            throw BedrockError.validation("the stored description of imported model \(row.name) cannot be read (\(error)); delete and import it again")
        }
    }

    /// How the engine serves an imported card: the workspace copy, in its own chat format.
    func importedServing(for card: ModelCard) throws -> ServedWeights {
        guard let row = try workspace.read({ try $0.importedModel(arnOrName: card.id) }) else {
            throw BedrockError.resourceNotFound("imported model \(card.id) is not in this workspace")
        }
        let record = try importRecord(row)
        let format = ChatFormat(rawValue: record.chatFormat) ?? .plain
        return ServedWeights(weightsURL: workspace.filesRoot.appendingPathComponent(row.filePath),
                             imported: ImportedServing(chatFormat: format, defaultSystem: record.defaultSystem,
                                                       contextWindow: record.info.servedContext))
    }

    /// DeleteImportedModel: removes the model (by name or ARN) and its file. Storage is billed for
    /// the whole months that had ended; the month in progress is not charged. Returns the ARN.
    @discardableResult
    public func deleteImportedModel(_ key: String) throws -> String {
        if let card = try? model(id: key), !card.isImported {
            throw BedrockError.validation(card.isCustom
                ? "\(card.name) is a fine-tuned custom model; only imported models can be deleted here"
                : "\(card.id) is a catalog model; only imported models can be deleted")
        }
        guard let row = try workspace.read({ try $0.importedModel(arnOrName: key) }) else {
            let names = try workspace.read { try $0.importedModels() }.flatMap { [$0.name, $0.arn] }
            let near = ClosestNames.suggest(key, among: names, limit: 1)
            throw BedrockError.resourceNotFound("no imported model \(key)"
                + (near.first.map { "; did you mean \"\($0)\"?" } ?? (names.isEmpty ? " (none imported yet)" : "")))
        }
        let serving = try importedServing(for: try importedCard(for: row))
        try workspace.write { tx in
            try accrueImportedModelStorage(through: try tx.now().billing, in: tx)
            try tx.deleteImportedModel(arn: row.arn)
            try stopImportedBilling(arn: row.arn, in: tx)
        }
        textEngine.unload(serving)
        try? FileManager.default.removeItem(at: serving.weightsURL.deletingLastPathComponent())
        return row.arn
    }
}
