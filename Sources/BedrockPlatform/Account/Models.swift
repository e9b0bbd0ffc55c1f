// Catalog lookups for the platform, with ResourceNotFound errors that suggest the closest IDs.
// Custom models (Workspace rows written by customization jobs or imports) join the listings as
// cards built from their base's card, so every rule that reads a card applies to them too.
import Catalog
import Foundation
import Workspace

extension Platform {
    /// A model by ID, or a custom or imported model by ARN or name.
    public func model(id: String) throws -> ModelCard {
        if let card = catalog.modelIfPresent(id: id) { return card }
        if let row = try workspace.read({ try $0.customModel(arnOrName: id) }) { return try card(for: row) }
        if let row = try workspace.read({ try $0.importedModel(arnOrName: id) }) { return try importedCard(for: row) }
        let customNames = try workspace.read { try $0.customModels().flatMap { [$0.name, $0.arn] } + $0.importedModels().map(\.name) }
        var suggestions = catalog.closestIDs(to: id)
        suggestions = ClosestNames.suggest(id, among: customNames, limit: 2) + suggestions
        var message = "no model with ID \"\(id)\""
        if !suggestions.isEmpty { message += "; did you mean " + suggestions.prefix(3).map { "\"\($0)\"" }.joined(separator: ", ") + "?" }
        throw BedrockError.resourceNotFound(message)
    }

    /// ListFoundationModels with the console's filters, followed by this workspace's custom and imported models.
    public func models(filter: ModelFilter = ModelFilter()) -> [ModelCard] {
        let custom = ((try? customModelCards()) ?? []) + ((try? importedModelCards()) ?? [])
        return catalog.models(matching: filter) + custom.filter(filter.matches)
    }

    /// ListCustomModels: the workspace's custom models as cards, oldest first.
    public func customModelCards() throws -> [ModelCard] {
        try workspace.read { try $0.customModels() }.map(card(for:))
    }

    /// The card of a stored custom model: its base's card with lineage and hyperparameters, and an
    /// engine line that names the weights serving it.
    func card(for row: CustomModel) throws -> ModelCard {
        guard let base = catalog.modelIfPresent(id: row.baseModelID) else {
            throw BedrockError.resourceNotFound("custom model \(row.name) was trained from \(row.baseModelID), which this catalog no longer has")
        }
        let type = try CustomizationType.parse(row.customizationType, field: "customizationType")
        let resolved = base.resolveHyperparameters(row.hyperparameters)
        let hyper: ResolvedHyperparameters
        switch resolved {
        case .success(let h): hyper = h
        case .failure(let e): throw BedrockError.validation("stored hyperparameters of \(row.name) no longer validate: \(e)")
        }
        let suffix = String(row.arn.split(separator: "/").last ?? Substring(row.name))
        let card = try catalog.customModel(suffix: suffix, name: row.name, base: base, customization: type,
                                           hyperparameters: hyper, jobName: row.jobID)
        return try card.withEngineLabel(engineLabel(for: row, card: card))
    }

    /// What serves a custom model: the base engine plus its own weights, named by file.
    func engineLabel(for row: CustomModel, card: ModelCard) -> String {
        "SmolLM2-135M-Instruct + custom weights \(row.weightsPath) (base sha256 \(row.baseFileSHA256.prefix(12))…), "
            + "served from a Q8_0 copy with the weights folded in, speaking \(card.bodyFamily.rawValue)"
    }

    /// The weights that serve `card`, or nil for a foundation model (served by the base engine).
    func servedWeights(for card: ModelCard) throws -> ServedWeights? {
        if card.isImported { return try importedServing(for: card) }
        guard card.isCustom else { return nil }
        guard let row = try workspace.read({ try $0.customModel(arnOrName: card.id) }) else {
            throw BedrockError.resourceNotFound("custom model \(card.id) is not in this workspace")
        }
        return ServedWeights(weightsURL: workspace.filesRoot.appendingPathComponent(row.weightsPath))
    }
}

extension ModelCard {
    /// The same card with another engine line. The catalog builds custom cards with their base's
    /// engine; the platform knows which weights serve them. (Codable round trip: the card's fields
    /// are immutable outside Catalog.)
    func withEngineLabel(_ label: String) throws -> ModelCard {
        let data = try JSONEncoder().encode(self)
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              var engine = object["engine"] as? [String: Any] else { return self }
        engine["label"] = label
        object["engine"] = engine
        return try JSONDecoder().decode(ModelCard.self, from: try JSONSerialization.data(withJSONObject: object))
    }
}
