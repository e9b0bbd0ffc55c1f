// Catalog lookups for the platform, with ResourceNotFound errors that suggest the closest IDs.
// (Custom models join these listings when the trainer registers them; see issue 6.)
import Catalog

extension Platform {
    /// A model by ID.
    public func model(id: String) throws -> ModelCard {
        if let card = catalog.modelIfPresent(id: id) { return card }
        let suggestions = catalog.closestIDs(to: id)
        var message = "no model with ID \"\(id)\""
        if !suggestions.isEmpty { message += "; did you mean " + suggestions.map { "\"\($0)\"" }.joined(separator: ", ") + "?" }
        throw BedrockError.resourceNotFound(message)
    }

    /// ListFoundationModels with the console's filters.
    public func models(filter: ModelFilter = ModelFilter()) -> [ModelCard] {
        catalog.models(matching: filter)
    }
}
