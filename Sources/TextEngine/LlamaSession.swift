// The llama forward pass with a KV cache: one session is one growing sequence. Prompt tokens are
// processed as a matrix (GEMM over tiles of dequantized weights) in chunks of `maxBatch`; generated
// tokens one at a time (quantized matrix-vector kernels). Block: x += Wo·attn(rope(Wq·n(x)),
// rope(Wk·n(x)), Wv·n(x)); x += Wdown·(silu(Wgate·n(x)) ⊙ Wup·n(x)); logits = Wout·n(x).
// A session is used by one caller at a time; it is not thread-safe.
import Numerics

public enum SessionError: Error, Equatable, CustomStringConvertible {
    /// The sequence would exceed the context window.
    case contextWindowExceeded(needed: Int, limit: Int)
    /// A token id outside the vocabulary.
    case tokenOutOfRange(id: Int, vocabularySize: Int)

    public var description: String {
        switch self {
        case .contextWindowExceeded(let needed, let limit):
            "the sequence needs \(needed) tokens but the context window is \(limit) tokens"
        case .tokenOutOfRange(let id, let size): "token id \(id) is outside the vocabulary (0..<\(size))"
        }
    }
}

public final class LlamaSession: @unchecked Sendable {
    public let weights: LlamaWeights
    public var config: LlamaConfig { weights.config }
    /// Positions the cache holds (≤ config.contextLength).
    public let capacity: Int
    /// Tokens processed so far (the next token's position).
    public private(set) var position = 0
    /// Largest number of tokens processed per forward step.
    public let maxBatch: Int
    let matmul: MatMul
    private let kCache: [KeyCache]                             // per layer, transposed in 64-position blocks
    private let vCache: [FloatMatrix]                          // per layer: (capacity, KVH·D)
    // Activations, (maxBatch, ·):
    private let x, xn, q, att, proj: FloatMatrix               // (B, C)
    private let k, v: FloatMatrix                              // (B, KVH·D)
    private let gate, up: FloatMatrix                          // (B, F)
    private let lastHidden: FloatMatrix                        // (1, C)
    private let lastLogits: FloatMatrix                        // (1, V)

    /// - Parameters: threads: kernel threads (results are identical for any count); capacity: cache
    ///   positions (default: the model's context length); isa: kernel build (nil = best for this CPU).
    public init(weights: LlamaWeights, threads: Int = 2, capacity: Int? = nil, maxBatch: Int = 128,
                isa: KernelISA? = nil) {
        self.weights = weights
        let c = weights.config
        let cap = min(capacity ?? c.contextLength, c.contextLength)
        self.capacity = cap
        self.maxBatch = max(1, maxBatch)
        matmul = MatMul(threads: threads, isa: isa)
        let kvWidth = c.kvHeads * c.headDim, b = self.maxBatch
        kCache = (0..<c.layers).map { _ in KeyCache(capacity: cap, kvHeads: c.kvHeads, headDim: c.headDim) }
        vCache = (0..<c.layers).map { _ in FloatMatrix(rows: cap, cols: kvWidth) }
        x = FloatMatrix(rows: b, cols: c.dim); xn = FloatMatrix(rows: b, cols: c.dim)
        q = FloatMatrix(rows: b, cols: c.dim); att = FloatMatrix(rows: b, cols: c.dim)
        proj = FloatMatrix(rows: b, cols: c.dim)
        k = FloatMatrix(rows: b, cols: kvWidth); v = FloatMatrix(rows: b, cols: kvWidth)
        gate = FloatMatrix(rows: b, cols: c.ffnDim); up = FloatMatrix(rows: b, cols: c.ffnDim)
        lastHidden = FloatMatrix(rows: 1, cols: c.dim)
        lastLogits = FloatMatrix(rows: 1, cols: c.vocabSize)
    }

    /// Threads the kernels use.
    public var threads: Int { matmul.pool.threads }

    /// Forgets the sequence (the cache is overwritten from position 0).
    public func reset() { position = 0 }

    /// Drops cached positions from `newPosition` on (to reuse a shared prefix).
    public func truncate(to newPosition: Int) { position = min(position, max(0, newPosition)) }

    /// Appends `tokens` to the sequence and returns the next-token logits after the last one.
    /// logits: (V)
    @discardableResult
    public func append(_ tokens: [Int]) throws(SessionError) -> [Float] {
        try check(tokens)
        var start = 0
        while start < tokens.count {
            let n = min(maxBatch, tokens.count - start)
            forwardChunk(Array(tokens[start..<start + n]))
            start += n
        }
        guard !tokens.isEmpty else { return lastLogits.row(0) }
        copyRows(xn, from: lastChunkRows - 1, rows: 1, into: lastHidden, at: 0)
        matmul.multiply(lastHidden, rows: 1, by: weights.output, into: lastLogits)
        return lastLogits.row(0)
    }

    /// Appends `tokens` and returns the logits after every one of them, chunk by chunk through
    /// `body(firstIndex, logits)` where logits is (n, V) for tokens firstIndex..<firstIndex+n.
    public func appendAll(_ tokens: [Int], _ body: (Int, FloatMatrix) -> Void) throws(SessionError) {
        try check(tokens)
        let logits = FloatMatrix(rows: maxBatch, cols: config.vocabSize)
        var start = 0
        while start < tokens.count {
            let n = min(maxBatch, tokens.count - start)
            forwardChunk(Array(tokens[start..<start + n]))
            matmul.multiply(xn, rows: n, by: weights.output, into: logits)
            body(start, logits)
            start += n
        }
    }

    private var lastChunkRows = 0

    private func check(_ tokens: [Int]) throws(SessionError) {
        if position + tokens.count > capacity {
            throw .contextWindowExceeded(needed: position + tokens.count, limit: capacity)
        }
        if let bad = tokens.first(where: { $0 < 0 || $0 >= config.vocabSize }) {
            throw .tokenOutOfRange(id: bad, vocabularySize: config.vocabSize)
        }
    }

    /// Runs n ≤ maxBatch tokens at positions position..<position+n; leaves the final-norm hidden
    /// states in xn (n, C) and advances the position.
    private func forwardChunk(_ tokens: [Int]) {
        let c = config, n = tokens.count, pos0 = position
        for (i, t) in tokens.enumerated() { weights.tokenEmbedding.dequantizeRow(t, into: x, row: i) }
        let rope = RoPETable(firstPosition: pos0, rows: n, headDim: c.headDim, base: c.ropeBase,
                             frequencyFactors: weights.ropeFrequencyFactors)
        for (l, w) in weights.layers.enumerated() {
            rmsNorm(x, rows: n, weight: w.attnNorm, eps: c.rmsEps, into: xn, pool: matmul.pool)
            matmul.multiply(xn, rows: n, by: [w.wq, w.wk, w.wv], into: [q, k, v])
            applyRoPE(q, rows: n, heads: c.heads, headDim: c.headDim, table: rope)
            applyRoPE(k, rows: n, heads: c.kvHeads, headDim: c.headDim, table: rope)
            kCache[l].store(k, rows: n, at: pos0)
            copyRows(v, rows: n, into: vCache[l], at: pos0)
            causalAttention(q: q, rows: n, keys: kCache[l], vCache: vCache[l], firstPosition: pos0,
                            heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim, into: att, pool: matmul.pool)
            matmul.multiply(att, rows: n, by: w.wo, into: proj)
            addInPlace(x, proj, rows: n)
            rmsNorm(x, rows: n, weight: w.ffnNorm, eps: c.rmsEps, into: xn, pool: matmul.pool)
            matmul.multiply(xn, rows: n, by: [w.gate, w.up], into: [gate, up])
            swiGLU(gate, up, rows: n, pool: matmul.pool)
            matmul.multiply(gate, rows: n, by: w.down, into: proj)
            addInPlace(x, proj, rows: n)
        }
        rmsNorm(x, rows: n, weight: weights.outputNorm, eps: c.rmsEps, into: xn)
        position += n
        lastChunkRows = n
    }
}
