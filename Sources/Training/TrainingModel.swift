// The public face of the differentiable model: build it from base weights through a loader closure
// (the seam the integrator connects to the GGUF reader, by GGUF tensor name), or randomly for tests
// and benchmarks; read back the trained tensors; measure loss on examples. Float only; the generic
// core is Transformer<T>. Owns no files.

/// Problems loading base weights.
public enum TrainingModelError: Error, Equatable, CustomStringConvertible {
    case wrongTensorSize(name: String, expected: Int, found: Int)
    case unknownTensor(name: String)

    public var description: String {
        switch self {
        case let .wrongTensorSize(name, expected, found):
            "tensor '\(name)' has \(found) values; the model configuration needs \(expected)"
        case .unknownTensor(let name): "no tensor named '\(name)' in this model"
        }
    }
}

public final class TrainingModel: @unchecked Sendable {
    let core: Transformer<Float>

    /// Loads every base tensor by its GGUF name (`token_embd.weight`, `blk.N.attn_q.weight`, …,
    /// `output_norm.weight`), dequantized to Float in GGUF order (linear weights [out][in]).
    /// The output layer is tied to `token_embd.weight`. Adapters start as A uniform, B zero.
    public init(config: ModelConfig, mode: TrainingMode, seed: UInt64 = 0, threads: Int = 1,
                loadTensor: (String) throws -> [Float]) throws {
        core = Transformer(config: config, mode: mode, threads: threads)
        for e in core.base.entries {
            let values = try loadTensor(e.name)
            guard values.count == e.count else {
                throw TrainingModelError.wrongTensorSize(name: e.name, expected: e.count, found: values.count)
            }
            core.weights.copy(from: values, at: e.offset)
        }
        core.initializeAdapters(seed: seed)
    }

    /// Random weights of the right shapes (uniform ±1/√in, norms near 1): tests and benchmarks.
    public init(randomWithConfig config: ModelConfig, mode: TrainingMode, seed: UInt64, threads: Int = 1) {
        core = Transformer(config: config, mode: mode, threads: threads)
        core.randomize(seed: seed)
    }

    public var config: ModelConfig { core.config }
    public var mode: TrainingMode { core.mode }
    /// Kernel threads; any value gives bit-identical results.
    public var threads: Int {
        get { core.threads }
        set { core.threads = max(1, newValue) }
    }
    /// Number of trained scalars (adapter entries under LoRA, every weight under full fine-tuning).
    public var trainableCount: Int { core.trainable.count }

    /// Names and shapes of the trained tensors: `blk.N.<proj>.lora_a/_b` under LoRA, the GGUF names under full.
    public var trainedTensors: [ParameterLayout.Entry] { (core.isFull ? core.base : core.adapterLayout).entries }

    /// Values of a base or adapter tensor by name.
    public func tensor(named name: String) throws -> [Float] {
        if let e = core.base.entry(name) { return Array(UnsafeBufferPointer(start: core.weights.p + e.offset, count: e.count)) }
        if let e = core.adapterLayout.entry(name) { return Array(UnsafeBufferPointer(start: core.adapters.p + e.offset, count: e.count)) }
        throw TrainingModelError.unknownTensor(name: name)
    }

    /// GGUF names of the base tensors the loader is asked for, in order.
    public static func baseTensorNames(config: ModelConfig) -> [String] { ParameterLayout.base(config).entries.map(\.name) }

    /// A base tensor as the custom model should serve it: under LoRA, linear weights with the adapter
    /// merged in, W + (alpha/rank)·B·A (out, in); otherwise the current (possibly fine-tuned) values.
    /// Load these through the engine's usual path to serve the custom model with no adapter code.
    public func mergedTensor(named name: String) throws -> [Float] {
        var w = try tensor(named: name)
        guard let lc = core.loraConfig, core.base.entry(name) != nil,
              let a = try? tensor(named: name.replacingSuffix(".weight", with: ".lora_a")),
              let b = try? tensor(named: name.replacingSuffix(".weight", with: ".lora_b")) else { return w }
        let r = lc.rank, inDim = a.count / r, outDim = b.count / r, s = Float(lc.scale)
        for o in 0..<outDim {
            for i in 0..<inDim {
                var acc: Float = 0
                for j in 0..<r { acc += b[o * r + j] * a[j * inDim + i] }
                w[o * inDim + i] += s * acc
            }
        }
        return w
    }

    /// Mean loss per counted token over `examples` (no gradient kept), evaluated in micro-batches of
    /// at most `microBatchTokens` tokens. Returns nil when no token is counted.
    public func meanLoss(_ examples: [TrainingExample], microBatchTokens: Int = 2048) -> Double? {
        let counted = examples.reduce(0) { $0 + $1.trainedTargets }
        guard counted > 0 else { return nil }
        var total = 0.0
        for mb in packMicroBatches(examples, weight: 1 / Double(counted), maxSequences: nil, maxTokens: microBatchTokens) {
            total += Double(core.loss(mb))
        }
        return total
    }
}

extension String {
    fileprivate func replacingSuffix(_ suffix: String, with other: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + other : self
    }
}

/// Groups examples, in order, into micro-batches of at most `maxSequences` sequences (or, when nil,
/// at most `maxTokens` tokens, always at least one sequence). Each counted target gets `weight`.
func packMicroBatches(_ examples: [TrainingExample], weight: Double, maxSequences: Int?, maxTokens: Int) -> [MicroBatch] {
    var out: [MicroBatch] = [], cur = MicroBatch()
    for ex in examples where ex.tokens.count >= 2 {
        let len = ex.tokens.count - 1
        let full = maxSequences.map { cur.lengths.count >= $0 } ?? (cur.tokenCount + len > maxTokens)
        if !cur.lengths.isEmpty && full { out.append(cur); cur = MicroBatch() }
        cur.inputs += ex.tokens.dropLast()
        cur.targets += ex.tokens.dropFirst()
        cur.weights += ex.trained.dropFirst().map { $0 ? weight : 0 }
        cur.lengths.append(len)
    }
    if !cur.lengths.isEmpty { out.append(cur) }
    return out
}
