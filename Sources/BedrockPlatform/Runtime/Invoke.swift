// InvokeModel, Converse, ConverseStream and CountTokens for text models. Every invocation follows
// one path: access check → body validation → context-window check → routing (a provisioned-
// throughput booking, or on demand) → budget check → generation → ledger charge and invocation log.
import Billing
import Catalog
import Foundation
import Synchronization
import Workspace

/// How an invocation was served and what it cost.
public struct Invocation: Sendable {
    public var modelID: String
    /// The request as the engine saw it.
    public var request: TextRequest
    /// One response per candidate (usually one).
    public var responses: [TextResponse]
    /// The provider's native response body (InvokeModel) or the Converse response.
    public var body: JSONValue
    /// Wall-clock milliseconds (vary run to run; notebooks mask them).
    public var latencyMs: Int
    /// On-demand charge from the real token counts; 0 when a booking served it (billed hourly).
    public var cost: Decimal
    /// The booking that served it, if any.
    public var bookingARN: String?

    public var inputTokens: Int { responses.first?.inputTokens ?? 0 }
    public var outputTokens: Int { responses.reduce(0) { $0 + $1.outputTokens } }
}

/// Caller-side options of one invocation: the seed for sampling, streaming, cancellation.
public struct InvocationOptions: Sendable {
    public var seed: UInt64
    /// Receives generated text as it appears (streaming).
    public var onText: (@Sendable (String) -> Void)?
    /// Checked between tokens; true stops generation (the usage so far is still recorded).
    public var isCancelled: (@Sendable () -> Bool)?

    public init(seed: UInt64, onText: (@Sendable (String) -> Void)? = nil, isCancelled: (@Sendable () -> Bool)? = nil) {
        self.seed = seed
        self.onText = onText
        self.isCancelled = isCancelled
    }
}

extension Platform {
    /// The provider body family of a text model.
    func textFamily(_ card: ModelCard) throws -> TextBodyFamily {
        guard card.engine.kind == .text else {
            throw BedrockError.validation("\(card.id) is \(card.engine.kind == .embedding ? "an embedding" : "an image") model: "
                                          + "it does not generate text (\(card.engine.label))")
        }
        if card.bodyFamily == .llama { return card.foundationModelID.contains("llama2") ? .llama2 : .llama3 }
        guard let family = TextBodyFamily(rawValue: card.bodyFamily.rawValue) else {
            throw BedrockError.validation("\(card.id) has no text body format (\(card.bodyFamily.rawValue))")
        }
        return family
    }

    func limits(_ card: ModelCard) throws -> TextModelLimits {
        if card.isImported, let window = card.contextWindow {   // its own file's window (capped when imported)
            return TextModelLimits(modelId: card.id, maxOutputTokens: card.maxOutputTokens, contextWindow: window)
        }
        let engineWindow = try textEngine.contextWindow()
        return TextModelLimits(modelId: card.id, maxOutputTokens: card.maxOutputTokens,
                               contextWindow: min(card.contextWindow ?? engineWindow, engineWindow))
    }

    /// A request body for a plain prompt in the model's native format (`invoke m "prompt"`).
    public func nativeBody(modelID: String, prompt: String, overrides: InferenceOverrides) throws -> JSONValue {
        let card = try model(id: modelID)
        return try textFamily(card).body(prompt: prompt, overrides: overrides, limits: try limits(card))
    }

    /// InvokeModel with the provider's native request body.
    public func invoke(modelID: String, body: JSONValue, options: InvocationOptions) throws -> Invocation {
        let card = try model(id: modelID)
        try checkAccess(card)
        let family = try textFamily(card)
        let request = try family.request(from: body, limits: try limits(card))
        return try run(card, request, options: options) { responses, id in
            family.responseBody(responses, request: request, context: ResponseContext(responseId: id))
        }
    }

    /// Converse with Bedrock's unified request shape.
    public func converse(modelID: String, body: JSONValue, options: InvocationOptions) throws -> Invocation {
        let card = try model(id: modelID)
        try checkAccess(card)
        _ = try textFamily(card)
        let request = try Converse.request(from: body, limits: try limits(card))
        return try run(card, request, options: options) { responses, _ in
            Converse.responseBody(responses[0], latencyMs: 0)
        }
    }

    /// ConverseStream: `converse` with the answer delivered as Bedrock's stream events, in order:
    /// messageStart, one contentBlockDelta per piece of text as the engine produces it,
    /// contentBlockStop, messageStop, metadata. `onEvent` receives each as it happens (a terminal
    /// shows the text appearing); all of them are returned at the end, with the invocation, which
    /// is checked, charged and logged exactly like `converse`. `options.onText` is not used.
    public func converseStream(modelID: String, body: JSONValue, options: InvocationOptions,
                               onEvent: (@Sendable (Converse.StreamEvent) -> Void)? = nil) throws
        -> (invocation: Invocation, events: [Converse.StreamEvent]) {
        let events = Mutex<[Converse.StreamEvent]>([])
        @Sendable func emit(_ e: Converse.StreamEvent) {
            events.withLock { $0.append(e) }
            onEvent?(e)
        }
        emit(.messageStart(role: .assistant))
        var streaming = options
        streaming.onText = { text in emit(.contentBlockDelta(text: text, index: 0)) }
        let invocation = try converse(modelID: modelID, body: body, options: streaming)
        emit(.contentBlockStop(index: 0))
        emit(.messageStop(stopReason: invocation.responses.last?.stopReason ?? .endTurn))
        emit(.metadata(inputTokens: invocation.inputTokens, outputTokens: invocation.outputTokens, latencyMs: invocation.latencyMs))
        return (invocation, events.withLock { $0 })
    }

    /// CountTokens: the prompt tokens a body would cost, without running it.
    public func countTokens(modelID: String, body: JSONValue, converse: Bool = false) throws -> Int {
        let card = try model(id: modelID)
        let request = converse ? try Converse.request(from: body, limits: try limits(card))
            : try textFamily(card).request(from: body, limits: try limits(card))
        return try textEngine.promptTokens(request.input, weights: try servedWeights(for: card)).count
    }

    /// Tokens of a plain text under the engine's tokenizer, or under `modelID`'s own (an imported model's).
    public func countTokens(text: String, modelID: String? = nil) throws -> Int {
        let weights = try modelID.map { try servedWeights(for: try model(id: $0)) } ?? nil
        return try textEngine.countTokens(text, weights: weights)
    }

    private func run(_ card: ModelCard, _ request: TextRequest, options: InvocationOptions,
                     body: ([TextResponse], String) -> JSONValue) throws -> Invocation {
        let weights = try servedWeights(for: card)
        let prompt = try textEngine.promptTokens(request.input, weights: weights)
        let window = try limits(card).contextWindow
        guard prompt.count < window else {
            throw BedrockError.validation("Input is too long for \(card.id): \(prompt.count) tokens; the context window here is "
                                          + "\(window) tokens (" + (card.isImported ? "the imported file's, served" : "the local engine's, SmolLM2: 8192") + ")")
        }
        // Routing and the budget are decided before any token is generated.
        let (booking, estimate) = try workspace.write { tx -> (Booking?, Decimal) in
            let now = try tx.now().billing
            if let booking = try servingBooking(for: card, at: now, in: tx) {
                try consumeCapacity(booking, card: card, input: prompt.count, output: request.maxTokens * request.candidates, at: now, in: tx)
                return (booking, 0)
            }
            if card.isImported {   // Custom Model Import: billed by CMU windows, not tokens
                let estimate = try importWindowEstimate(card, at: now, in: tx)
                try checkBudget(estimate: estimate, in: tx)
                return (nil, estimate)
            }
            guard card.supportsOnDemand, !card.isCustom else {
                throw BedrockError.validation("\(card.id) is served only through provisioned throughput: "
                                              + "book it (`book \"\(card.id)\" units: 1 name: \"…\"`) and wait until it is InService")
            }
            let estimate = try pricing.onDemand(card, inputTokens: prompt.count * request.candidates,
                                                outputTokens: request.maxTokens * request.candidates).total
            try checkBudget(estimate: estimate, in: tx)
            return (nil, estimate)
        }
        _ = estimate
        var responses: [TextResponse] = []
        var seconds = 0.0
        for candidate in 0..<request.candidates {
            let out = try textEngine.generate(request, promptTokens: prompt, seed: options.seed &+ UInt64(candidate), weights: weights,
                                              onText: options.onText.map { f in { f($0) } },
                                              isCancelled: options.isCancelled.map { f in { f() } })
            responses.append(out.response)
            seconds += out.seconds
            if out.response.stopReason == .interrupted { break }
        }
        let latency = Int((seconds * 1000).rounded())
        let outputTokens = responses.reduce(0) { $0 + $1.outputTokens }
        let inputTokens = prompt.count * responses.count
        let responseID = nextResponseID()
        var cost = booking == nil && !card.isImported
            ? try pricing.onDemand(card, inputTokens: inputTokens, outputTokens: outputTokens).total : Decimal(0)
        try workspace.write { tx in
            let now = try tx.now()
            var charge: StoredLedgerEntry?
            if card.isImported {
                charge = try importWindowCharge(card, at: now, in: tx)
                cost = charge?.amount ?? 0
            } else if booking == nil {
                charge = StoredLedgerEntry(kind: ChargeKind.onDemandInference.rawValue, modelID: card.id,
                                           quantities: ChargeQuantities(inputTokens: inputTokens, outputTokens: outputTokens,
                                                                        requests: 1).stored,
                                           amount: cost, time: now, note: responseID, sessionID: sessionID)
            }
            _ = try tx.logInvocation(StoredInvocation(modelID: card.id, inputTokens: inputTokens, outputTokens: outputTokens,
                                                      latencyMilliseconds: latency, cost: cost,
                                                      stopReason: responses.last?.stopReason.rawValue, time: now,
                                                      bookingARN: booking?.arn, sessionID: sessionID),
                                     charge: charge)
        }
        var native = body(responses, responseID)
        if case .object(var members) = native, members.contains(where: { $0.0 == "metrics" }) {
            members = members.map { $0.0 == "metrics" ? ("metrics", ["latencyMs": .int(latency)]) : $0 }
            native = .object(members)
        }
        return Invocation(modelID: card.id, request: request, responses: responses, body: native, latencyMs: latency,
                          cost: cost, bookingARN: booking?.arn)
    }

    /// Takes the tokens of one request from the booking's token buckets, or throws ThrottlingException.
    private func consumeCapacity(_ booking: Booking, card: ModelCard, input: Int, output: Int, at now: Billing.VirtualTime,
                                 in tx: WorkspaceTransaction) throws {
        let fresh = try withThroughput(in: tx) { try $0.limiter(for: booking.arn, model: card, at: now) }
        try limiters.withLock { table in
            guard var limiter = table[booking.arn] ?? fresh else { return }
            defer { table[booking.arn] = limiter }
            try limiter.consume(inputTokens: input, outputTokens: output, at: now)
        }
    }

    func nextResponseID() -> String {
        let n = responseCounter.withLock { count -> Int in count += 1; return count }
        return "resp-\(String(format: "%06d", n))"
    }
}
