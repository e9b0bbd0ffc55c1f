// Choosing the next token from logits: greedy at temperature 0, otherwise temperature, top-k and
// top-p (nucleus) sampling driven by a seeded SplitMix64 generator, so a seed fixes every choice.
// Ties break toward the lower token id. Also the log-softmax used for log-probs and perplexity.
import Basics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How to pick tokens and when to stop (Bedrock's inference parameters).
public struct SamplingParameters: Sendable, Equatable {
    /// Softmax temperature; 0 means greedy (always the most likely token).
    public var temperature: Double
    /// Keep only the k most likely tokens before sampling; nil or 0 = no limit.
    public var topK: Int?
    /// Keep the smallest set of most likely tokens whose probability reaches topP (0 < topP ≤ 1).
    public var topP: Double
    /// Most tokens to generate.
    public var maxTokens: Int
    /// Generation stops when the text contains one of these; the stop text is left out of the output.
    public var stopSequences: [String]
    /// Seed of the sampling generator.
    public var seed: UInt64

    public init(temperature: Double = 1, topK: Int? = nil, topP: Double = 1, maxTokens: Int = 256,
                stopSequences: [String] = [], seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.maxTokens = maxTokens
        self.stopSequences = stopSequences
        self.seed = seed
    }

    /// Greedy decoding.
    public static func greedy(maxTokens: Int = 256, stopSequences: [String] = []) -> SamplingParameters {
        SamplingParameters(temperature: 0, maxTokens: maxTokens, stopSequences: stopSequences)
    }
}

public struct Sampler: Sendable {
    public let parameters: SamplingParameters
    private var rng: SplitMix64

    public init(_ parameters: SamplingParameters) {
        self.parameters = parameters
        rng = SplitMix64(seed: parameters.seed)
    }

    /// Candidates whose probability is below e^−30 of the best one's are dropped before top-k/top-p
    /// (their total mass is < 49152·e^−30 ≈ 5e−9), which keeps the sort small.
    static let negligibleLogit = 30.0

    /// The next token id for these logits.  logits: (V)
    public mutating func sample(_ logits: [Float]) -> Int {
        let best = Self.argmax(logits)
        let t = parameters.temperature
        if t <= 0 { return best }
        let maxLogit = Double(logits[best])
        var candidates = logits.indices.filter { (maxLogit - Double(logits[$0])) / t < Self.negligibleLogit }
        candidates.sort { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
        if let k = parameters.topK, k > 0, candidates.count > k { candidates.removeSubrange(k...) }
        var weights = candidates.map { exp((Double(logits[$0]) - maxLogit) / t) }
        let total = weights.reduce(0, +)
        if parameters.topP < 1 {
            var cumulative = 0.0, keep = weights.count
            for (i, w) in weights.enumerated() {
                cumulative += w / total
                if cumulative >= parameters.topP { keep = i + 1; break }
            }
            weights.removeSubrange(keep...)
        }
        let u = rng.unit() * weights.reduce(0, +)
        var acc = 0.0
        for (i, w) in weights.enumerated() {
            acc += w
            if u < acc { return candidates[i] }
        }
        return candidates[weights.count - 1]
    }

    /// Index of the largest logit (lowest index on ties).  logits: (V)
    public static func argmax(_ logits: [Float]) -> Int {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        return best
    }
}

/// log softmax(logits)[i] for every i, with the normalizer summed in Double in index order.  logits: (V)
public func logSoftmax(_ logits: [Float]) -> [Float] {
    let m = logits.max() ?? 0
    var sum = 0.0
    for v in logits { sum += exp(Double(v - m)) }
    let logZ = Double(m) + log(sum)
    return logits.map { Float(Double($0) - logZ) }
}
