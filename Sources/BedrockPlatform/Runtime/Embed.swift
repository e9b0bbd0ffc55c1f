// InvokeModel for embedding models: access check, body validation, budget, the engine, and a
// ledger charge for input tokens only (embeddings have no output tokens to bill).
import Billing
import Catalog
import Foundation
import Workspace

/// An embedding invocation's result.
public struct EmbeddingInvocation: Sendable {
    public var modelID: String
    public var vectors: [[Float]]
    /// Input tokens per text ([CLS] and [SEP] included), as the engine's tokenizer counts them.
    public var tokens: [Int]
    public var body: JSONValue
    public var cost: Decimal
    public var inputTokens: Int { tokens.reduce(0, +) }
}

extension Platform {
    func embeddingFamily(_ card: ModelCard) throws -> String {
        guard card.engine.kind == .embedding else {
            throw BedrockError.validation("\(card.id) is not an embedding model (\(card.engine.label)); use invoke or converse")
        }
        return card.bodyFamily.rawValue
    }

    /// A native body for `texts` (Titan takes one text per request; Cohere up to 96).
    public func embeddingBody(modelID: String, texts: [String], normalize: Bool? = nil, dimensions: Int? = nil,
                              inputType: String? = nil) throws -> JSONValue {
        let card = try model(id: modelID)
        let family = try embeddingFamily(card)
        if family != "cohere-embed", texts.count != 1 {
            throw BedrockError.validation("\(card.id) embeds one text per request; got \(texts.count)")
        }
        return EmbeddingBodies.body(family: family, modelID: card.id, texts: texts, normalize: normalize,
                                    dimensions: dimensions, inputType: inputType)
    }

    /// InvokeModel on an embedding model with its native body.
    public func embed(modelID: String, body: JSONValue) throws -> EmbeddingInvocation {
        let card = try model(id: modelID)
        try checkAccess(card)
        let family = try embeddingFamily(card)
        let request = try EmbeddingBodies.request(family: family, body: body, modelID: card.id,
                                                  engineDimensions: try embeddingEngine.dimensions())
        let tokenCounts = try request.texts.map { try embeddingEngine.countTokens($0) }
        let estimate = try pricing.embeddings(card, inputTokens: tokenCounts.reduce(0, +)).total
        try workspace.write { tx in try checkBudget(estimate: estimate, in: tx) }
        let results = try embeddingEngine.embed(request.texts, normalize: request.normalize, truncateStart: request.truncateStart)
        let tokens = results.map(\.tokens)
        let cost = try pricing.embeddings(card, inputTokens: tokens.reduce(0, +)).total
        let responseID = nextResponseID()
        try workspace.write { tx in
            let now = try tx.now()
            let charge = StoredLedgerEntry(kind: ChargeKind.embedding.rawValue, modelID: card.id,
                                           quantities: ChargeQuantities(inputTokens: tokens.reduce(0, +), requests: 1).stored,
                                           amount: cost, time: now, note: responseID, sessionID: sessionID)
            _ = try tx.logInvocation(StoredInvocation(modelID: card.id, inputTokens: tokens.reduce(0, +), outputTokens: 0,
                                                      latencyMilliseconds: 0, cost: cost, stopReason: nil, time: now,
                                                      bookingARN: nil, sessionID: sessionID), charge: charge)
        }
        let vectors = results.map(\.vector)
        return EmbeddingInvocation(modelID: card.id, vectors: vectors, tokens: tokens,
                                   body: EmbeddingBodies.response(family: family, modelID: card.id, request: request,
                                                                  vectors: vectors, tokens: tokens, responseID: responseID),
                                   cost: cost)
    }
}
