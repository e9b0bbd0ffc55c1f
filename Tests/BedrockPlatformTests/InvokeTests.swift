// Invocations on the real SmolLM2 model: the chat rendering matches the reference tokens, native
// bodies answer, usage and cost come from real token counts, and the rules (access, budget,
// provisioned throughput and its capacity) hold before anything is generated.
import Billing
import Catalog
import Foundation
import Testing
@testable import BedrockPlatform

private let claude = "anthropic.claude-3-haiku-20240307-v1:0"
private let titan = "amazon.titan-text-express-v1"

private func platformWithAccess() throws -> Platform {
    let p = try Platform.ephemeral()
    try p.requestAccess(modelID: titan)
    try p.requestAccess(modelID: claude, useCase: "Answering geography questions for students")
    return p
}

@Suite(.serialized) struct InvokeTests {
    @Test func chatRenderingMatchesTheReferencePromptTokens() throws {
        let host = TextEngineHost()
        let ids = try host.promptTokens(.conversation(system: "You are a helpful AI assistant named SmolLM, trained by Hugging Face",
                                                      turns: [ChatTurn(.user, "What is the capital of France?")]))
        #expect(ids.count == 37)
        #expect(Array(ids.prefix(12)) == [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308])
    }

    @Test func aClaudeMessagesBodyIsAnsweredAndChargedFromRealTokenCounts() throws {
        let p = try platformWithAccess()
        let body = try JSONValue.parse(#"""
            {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 24, "temperature": 0,
             "messages": [{"role": "user", "content": "What is the capital of France?"}]}
            """#)
        let r = try p.invoke(modelID: claude, body: body, options: InvocationOptions(seed: 1))
        #expect(r.body["content"]?.arrayValue?.first?["text"]?.stringValue?.contains("Paris") == true)
        #expect(r.body["usage"]?["input_tokens"]?.intValue == r.inputTokens)
        let card = try p.model(id: claude)
        let expected = try p.pricing.onDemand(card, inputTokens: r.inputTokens, outputTokens: r.outputTokens).total
        #expect(r.cost == expected && expected > 0)
        let ledger = try p.ledger(.session)
        #expect(ledger.entries.last?.amount == expected && ledger.entries.last?.kind == .onDemandInference)
    }

    @Test func greedyAnswersRepeatAndSeedsChangeSamples() throws {
        let p = try platformWithAccess()
        let body = try p.nativeBody(modelID: titan, prompt: "Name a fruit.", overrides: InferenceOverrides(maxTokens: 12, temperature: 0))
        let a = try p.invoke(modelID: titan, body: body, options: InvocationOptions(seed: 1))
        let b = try p.invoke(modelID: titan, body: body, options: InvocationOptions(seed: 2))
        #expect(a.body == b.body)
        #expect(a.body["results"]?.arrayValue?.first?["outputText"]?.stringValue?.isEmpty == false)
    }

    @Test func streamingDeliversTheSameTextPieceByPiece() throws {
        let p = try platformWithAccess()
        let pieces = LockedStrings()
        let body = try p.nativeBody(modelID: titan, prompt: "Say hello.", overrides: InferenceOverrides(maxTokens: 10, temperature: 0))
        let r = try p.invoke(modelID: titan, body: body, options: InvocationOptions(seed: 1, onText: { pieces.append($0) }))
        #expect(pieces.joined == r.responses[0].text)
        #expect(pieces.count > 1)
    }

    @Test func converseReportsUsageAndStopReason() throws {
        let p = try platformWithAccess()
        let body = try JSONValue.parse(#"{"messages": [{"role": "user", "content": [{"text": "Count to three."}]}], "inferenceConfig": {"maxTokens": 5, "temperature": 0}}"#)
        let r = try p.converse(modelID: titan, body: body, options: InvocationOptions(seed: 1))
        #expect(r.body["stopReason"]?.stringValue == "max_tokens")
        #expect(r.body["usage"]?["outputTokens"]?.intValue == 5)
        #expect(r.body["usage"]?["totalTokens"]?.intValue == r.inputTokens + 5)
    }

    /// ConverseStream: messageStart, the deltas as generated (delivered live, in order), then
    /// contentBlockStop, messageStop and metadata with the same usage `converse` reports.
    @Test func converseStreamDeliversBedrocksEventsInOrder() throws {
        let p = try platformWithAccess()
        let body = try JSONValue.parse(#"{"messages": [{"role": "user", "content": [{"text": "Count to three."}]}], "inferenceConfig": {"maxTokens": 6, "temperature": 0}}"#)
        let live = LockedStrings()
        let stream = try p.converseStream(modelID: titan, body: body, options: InvocationOptions(seed: 1)) { event in
            live.append(event.json.objectValue?.first?.0 ?? "?")
        }
        let names = stream.events.map { $0.json.objectValue?.first?.0 ?? "?" }
        #expect(live.all == names)
        #expect(names.first == "messageStart" && Array(names.suffix(3)) == ["contentBlockStop", "messageStop", "metadata"])
        #expect(names.dropFirst().dropLast(3).allSatisfy { $0 == "contentBlockDelta" } && names.count > 5)
        let text = stream.events.compactMap { e -> String? in if case .contentBlockDelta(let t, _) = e { t } else { nil } }.joined()
        #expect(text == stream.invocation.responses[0].text)
        #expect(stream.events.last == .metadata(inputTokens: stream.invocation.inputTokens, outputTokens: 6,
                                                latencyMs: stream.invocation.latencyMs))
        #expect(stream.events.contains(.messageStop(stopReason: .maxTokens)))
    }

    @Test func withoutAccessNothingRuns() throws {
        let p = try Platform.ephemeral()
        let body = try JSONValue.parse(#"{"inputText": "Hi"}"#)
        let error = #expect(throws: BedrockError.self) { try p.invoke(modelID: titan, body: body, options: InvocationOptions(seed: 1)) }
        #expect(error?.exceptionName == "AccessDeniedException")
        #expect(try p.ledger(.workspace).entries.isEmpty)
    }

    @Test func theBudgetRefusesBeforeGenerating() throws {
        let p = try platformWithAccess()
        try p.setBudget(Decimal(string: "0.000001"))
        let body = try JSONValue.parse(#"{"inputText": "Hi", "textGenerationConfig": {"maxTokenCount": 100}}"#)
        #expect(throws: BillingError.self) { try p.invoke(modelID: titan, body: body, options: InvocationOptions(seed: 1)) }
        #expect(try p.workspace.read { try $0.invocations() }.isEmpty)
    }

    @Test func aBookingServesTheModelAtNoPerTokenCostUntilItsCapacityRunsOut() throws {
        let p = try platformWithAccess()
        let booking = try p.book(modelID: titan, units: 1, term: .noCommitment, name: "pt")
        try p.advance(by: .minutes(10))
        let card = try p.model(id: titan)
        let perMinute = try #require(card.throughputPerModelUnit?.outputTokensPerMinute)
        // Each request reserves its whole max token count from the minute's capacity; the stop
        // sequences end generation at once, so the test does not wait for thousands of tokens.
        let body = try JSONValue.parse(#"{"inputText": "Hi", "textGenerationConfig": {"maxTokenCount": \#(perMinute), "temperature": 0, "stopSequences": [" ", "e", "a", "o"]}}"#)
        let first = try p.invoke(modelID: titan, body: body, options: InvocationOptions(seed: 1))
        #expect(first.bookingARN == booking.arn && first.cost == 0)
        let error = #expect(throws: BillingError.self) { try p.invoke(modelID: titan, body: body, options: InvocationOptions(seed: 1)) }
        #expect(error?.description.hasPrefix("ThrottlingException") == true)
        try p.advance(by: .minutes(1))
        #expect(try p.invoke(modelID: titan, body: body, options: InvocationOptions(seed: 1)).cost == 0)
    }
}

final class LockedStrings: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var joined: String { lock.lock(); defer { lock.unlock() }; return items.joined() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return items.count }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
