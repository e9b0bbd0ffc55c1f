// The value `invoke`, `converse` and `say` return: the answer's text, the provider's native
// response body, usage, stop reason, cost and latency. Latency is wall-clock time, so it prints
// masked in notebooks.
import BedrockInterpreter
import BedrockPlatform
import Catalog
import Foundation

struct ResponseHandle: PlatformObject {
    let invocation: Invocation
    let maskVolatile: Bool
    /// A streamed answer was printed as it came; printing the value then shows only the accounting.
    var streamed = false

    var kind: String { "response" }
    var text: String { invocation.responses.first?.text ?? "" }
    var stopReason: String { invocation.responses.last?.stopReason.rawValue ?? "" }
    var latency: String { maskVolatile ? "… ms" : "\(invocation.latencyMs) ms" }

    /// One line of accounting, as the playground shows under an answer.
    var footer: String {
        var parts = ["\(invocation.modelID)", "\(invocation.inputTokens) in / \(invocation.outputTokens) out tokens",
                     stopReason, invocation.bookingARN == nil ? Money.format(invocation.cost) : "provisioned throughput", latency]
        if invocation.responses.count > 1 { parts.insert("\(invocation.responses.count) generations", at: 1) }
        return "[" + parts.joined(separator: " · ") + "]"
    }

    var displayText: String { streamed ? footer : text + "\n" + footer }

    func member(_ name: String) -> Value? {
        switch name {
        case "text": return .string(text)
        case "texts": return .list(invocation.responses.map { .string($0.text) })
        case "body": return invocation.body.value
        case "stop_reason": return .string(stopReason)
        case "usage":
            return .record(Record([("input_tokens", .int(invocation.inputTokens)), ("output_tokens", .int(invocation.outputTokens)),
                                   ("total_tokens", .int(invocation.inputTokens + invocation.outputTokens))]))
        case "cost": return .decimal(invocation.cost)
        case "latency_ms": return maskVolatile ? .string("… ms") : .int(invocation.latencyMs)
        case "model": return .string(invocation.modelID)
        case "booking": return invocation.bookingARN.map(Value.string) ?? .nil
        default: return nil
        }
    }

    var memberNames: [String] { ["text", "texts", "body", "stop_reason", "usage", "cost", "latency_ms", "model", "booking"] }
}
