// Model access, the classic Bedrock flow: every model starts "Available to request"; a request
// moves it to "In progress" and, after a short delay on the virtual clock, to "Access granted".
// Anthropic models need a use-case form. Every operation that uses a model calls `checkAccess`.
import Billing
import Catalog
import Foundation
import Workspace

/// A model's access state as the console shows it.
public struct AccessStatus: Sendable, Equatable {
    public var modelID: String
    public var state: AccessState
    public var useCase: String?
    public var requestedAt: Billing.VirtualTime?
    public var decidedAt: Billing.VirtualTime?

    /// The console's wording.
    public var label: String {
        switch state {
        case .availableToRequest: return "Available to request"
        case .inProgress: return "In progress"
        case .granted: return "Access granted"
        case .denied: return "Access denied"
        }
    }
}

extension Platform {
    /// The access state of a foundation model, with a pending request resolved against the clock.
    func accessStatus(_ modelID: String, in tx: WorkspaceTransaction) throws -> AccessStatus {
        let now = try tx.now().billing
        guard var row = try tx.access(modelID: modelID) else {
            return AccessStatus(modelID: modelID, state: .availableToRequest)
        }
        if row.state == .inProgress, let asked = row.requestedAt?.billing, now >= asked + policy.accessApprovalDelay {
            row.state = .granted
            row.decidedAt = StoredTime(asked + policy.accessApprovalDelay)
        }
        return AccessStatus(modelID: row.modelID, state: row.state, useCase: row.useCase,
                            requestedAt: row.requestedAt?.billing, decidedAt: row.decidedAt?.billing)
    }

    /// Requests access to a model. With `wait` (the default) the virtual clock moves on until the
    /// request is decided, as a console user would wait; without it the model stays In progress
    /// until the clock passes the approval delay. Returns the states the model went through.
    @discardableResult
    public func requestAccess(modelID: String, useCase: String? = nil, wait: Bool = true) throws -> [AccessStatus] {
        let card = try model(id: modelID)
        if card.isImported {
            throw BedrockError.validation("\(card.name) is a model you imported: it needs no access request")
        }
        guard !card.isCustom else {
            throw BedrockError.validation("\(card.id) is your own custom model: access follows its base model \(card.foundationModelID)")
        }
        if card.useCaseFormRequired {
            let text = useCase?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard text.count >= policy.minimumUseCaseLength else {
                throw BedrockError.validation(
                    "\(card.provider.rawValue) models need a use-case form before access is granted: "
                        + "request access \"\(card.id)\" use_case: \"what you will build (\(policy.minimumUseCaseLength)+ characters)\"")
            }
        }
        return try workspace.write { tx in
            var trail = [try accessStatus(card.id, in: tx)]
            if trail[0].state == .granted { return trail }
            let now = try tx.now()
            try tx.saveAccess(ModelAccess(modelID: card.id, state: .inProgress, useCase: useCase, requestedAt: now))
            trail.append(try accessStatus(card.id, in: tx))
            if wait {
                _ = try tx.advanceClock(seconds: policy.accessApprovalDelay.seconds)
                let decided = try accessStatus(card.id, in: tx)
                try tx.saveAccess(ModelAccess(modelID: card.id, state: decided.state, useCase: useCase, requestedAt: now,
                                              decidedAt: decided.decidedAt.map(StoredTime.init)))
                trail.append(decided)
                _ = try accrueThroughput(through: try tx.now().billing, in: tx)
            }
            return trail
        }
    }

    /// Access states of every foundation model matching `filter`, in catalog order.
    public func accessTable(filter: ModelFilter = ModelFilter()) throws -> [AccessStatus] {
        try workspace.read { tx in
            try catalog.models(matching: filter).map { try accessStatus($0.id, in: tx) }
        }
    }

    /// Fails with AccessDeniedException unless the model (or, for a custom model, its base) has
    /// access granted. Every operation that uses a model calls this first.
    public func checkAccess(_ card: ModelCard) throws {
        if card.isImported { return }   // your own weights: no provider grants access to them
        let base = card.foundationModelID
        let status = try workspace.read { try accessStatus(base, in: $0) }
        guard status.state == .granted else {
            var hint = "request access \"\(base)\""
            if catalog.modelIfPresent(id: base)?.useCaseFormRequired == true { hint += " use_case: \"…\"" }
            if status.state == .inProgress { hint = "the request is In progress; `advance 2 minutes` lets it be decided" }
            throw BedrockError.accessDenied(
                "You don't have access to the model with the specified model ID \(card.id) (access is \(status.label))",
                hint: hint)
        }
    }
}
