// Rate limiting on the virtual clock: a token bucket holding a minute's capacity (tokens per minute
// per model unit × units) that refills continuously, and a pair of them (input and output) for one
// provisioned booking. Integer arithmetic in 1/60-token steps, so results are exact and repeatable.
import Catalog

/// The outcome of asking a bucket for tokens.
public enum TokenBucketResult: Sendable, Equatable {
    /// Granted; `remaining` whole tokens are left.
    case ok(remaining: Int)
    /// Not enough right now; enough will have refilled after `retryAfter`.
    case throttled(retryAfter: VirtualDuration)
    /// More than the bucket can ever hold: no wait helps.
    case exceedsCapacity(capacity: Int)
}

/// Tokens per minute, refilled continuously (capacity / 60 per second), starting full.
public struct TokenBucket: Sendable, Equatable, Codable {
    /// Tokens the bucket holds when full: one minute's worth.
    public let capacity: Int
    /// Level in sixtieths of a token, so a one-second refill (capacity / 60 tokens) is an integer.
    private var level60: Int64
    private var updatedAt: VirtualTime

    public init(tokensPerMinute: Int, units: Int = 1, at time: VirtualTime) {
        capacity = max(0, tokensPerMinute * units)
        level60 = Int64(capacity) * 60
        updatedAt = time
    }

    /// Whole tokens available at `time`.
    public func available(at time: VirtualTime) -> Int { Int(level(at: time) / 60) }

    private func level(at time: VirtualTime) -> Int64 {
        let elapsed = max(0, (time - updatedAt).seconds)
        let full = Int64(capacity) * 60
        // elapsed × capacity can overflow only after centuries; clamp first.
        return elapsed >= 60 ? full : min(full, level60 + elapsed * Int64(capacity))
    }

    /// Whether `tokens` would be granted at `time`, without taking them.
    public func check(_ tokens: Int, at time: VirtualTime) -> TokenBucketResult {
        if tokens > capacity { return .exceedsCapacity(capacity: capacity) }
        let now = level(at: time)
        let need = Int64(max(0, tokens)) * 60
        if need <= now { return .ok(remaining: Int((now - need) / 60)) }
        // Whole seconds until the deficit has refilled (rounded up).
        let wait = (need - now + Int64(capacity) - 1) / Int64(capacity)
        return .throttled(retryAfter: .seconds(wait))
    }

    /// Takes `tokens` at `time` if available; otherwise leaves the bucket unchanged.
    @discardableResult
    public mutating func consume(_ tokens: Int, at time: VirtualTime) -> TokenBucketResult {
        let result = check(tokens, at: time)
        if case .ok = result {
            level60 = level(at: time) - Int64(max(0, tokens)) * 60
            updatedAt = max(updatedAt, time)
        }
        return result
    }
}

/// The input and output buckets of one provisioned booking.
public struct ThroughputLimiter: Sendable, Equatable, Codable {
    public let resource: String
    public private(set) var input: TokenBucket
    public private(set) var output: TokenBucket

    public init(resource: String, perUnit: ThroughputPerUnit, units: Int, at time: VirtualTime) {
        self.resource = resource
        input = TokenBucket(tokensPerMinute: perUnit.inputTokensPerMinute, units: units, at: time)
        output = TokenBucket(tokensPerMinute: perUnit.outputTokensPerMinute, units: units, at: time)
    }

    /// Takes input and output tokens together, or neither: ThrottlingException with the longer
    /// wait, or a ValidationException when one request can never fit.
    public mutating func consume(inputTokens: Int, outputTokens: Int, at time: VirtualTime) throws(BillingError) {
        let a = input.check(inputTokens, at: time)
        let b = outputTokens > 0 ? output.check(outputTokens, at: time) : .ok(remaining: 0)
        var wait = VirtualDuration.zero
        for (result, tokens) in [(a, inputTokens), (b, outputTokens)] {
            switch result {
            case .ok: break
            case let .exceedsCapacity(capacity):
                throw .exceedsCapacity(resource: resource, tokens: tokens, capacityPerMinute: capacity)
            case let .throttled(retryAfter): wait = max(wait, retryAfter)
            }
        }
        if wait > .zero { throw .throttled(resource: resource, retryAfter: wait) }
        input.consume(inputTokens, at: time)
        if outputTokens > 0 { output.consume(outputTokens, at: time) }
    }
}
