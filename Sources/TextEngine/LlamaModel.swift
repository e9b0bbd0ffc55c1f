// The llama architecture's hyper-parameters and weights, read from a GGUF file. Weights stay in the
// memory map as quantized views (QuantMatrix); only the small F32 norm vectors are copied. The
// output projection is tied to token_embd when the file has no output.weight (SmolLM2).
// The forward pass is in LlamaSession.swift.
import Numerics

/// Shapes and constants of a llama-architecture decoder.
public struct LlamaConfig: Sendable, Equatable {
    /// Transformer blocks (llama.block_count): 30 for SmolLM2-135M.
    public var layers: Int
    /// Width of the residual stream, C (llama.embedding_length): 576.
    public var dim: Int
    /// Hidden width of the SwiGLU feed-forward, F (llama.feed_forward_length): 1536.
    public var ffnDim: Int
    /// Query heads, H (llama.attention.head_count): 9.
    public var heads: Int
    /// Key/value heads shared by groups of query heads (llama.attention.head_count_kv): 3.
    public var kvHeads: Int
    /// Width of one head, D = C / H: 64.
    public var headDim: Int
    /// Vocabulary size, V (llama.vocab_size or the token list's length): 49152.
    public var vocabSize: Int
    /// Longest sequence the model was trained for (llama.context_length): 8192.
    public var contextLength: Int
    /// RoPE frequency base (llama.rope.freq_base): 100000.
    public var ropeBase: Double
    /// RMSNorm epsilon (llama.attention.layer_norm_rms_epsilon): 1e-5.
    public var rmsEps: Float

    /// Reads the config; the architecture must be llama.
    public init(gguf: GGUFFile) throws(GGUFError) {
        let arch = try gguf.string("general.architecture")
        guard arch == "llama" else { throw .unsupportedArchitecture(path: gguf.path, architecture: arch) }
        layers = try gguf.int("llama.block_count")
        dim = try gguf.int("llama.embedding_length")
        ffnDim = try gguf.int("llama.feed_forward_length")
        heads = try gguf.int("llama.attention.head_count")
        kvHeads = (try? gguf.int("llama.attention.head_count_kv")) ?? heads
        headDim = dim / max(heads, 1)
        vocabSize = (try? gguf.int("llama.vocab_size")) ?? gguf.metadata["tokenizer.ggml.tokens"]?.arrayValue?.count ?? 0
        contextLength = try gguf.int("llama.context_length")
        ropeBase = (try? gguf.double("llama.rope.freq_base")) ?? 10000
        rmsEps = Float(try gguf.double("llama.attention.layer_norm_rms_epsilon"))
        guard heads > 0, kvHeads > 0, heads % kvHeads == 0, dim % heads == 0, headDim % 16 == 0 else {
            throw .wrongKeyType(path: gguf.path, key: "llama.attention.head_count",
                                expected: "a head count dividing the width into heads of a multiple of 16 (got \(heads) heads, \(kvHeads) KV heads, width \(dim))")
        }
    }
}

/// One transformer block's weights.
struct LayerWeights: Sendable {
    let attnNorm: [Float]    // (C)
    let wq: QuantMatrix      // (C, C): rows = outputs
    let wk: QuantMatrix      // (KVH·D, C)
    let wv: QuantMatrix      // (KVH·D, C)
    let wo: QuantMatrix      // (C, C)
    let ffnNorm: [Float]     // (C)
    let gate: QuantMatrix    // (F, C)
    let up: QuantMatrix      // (F, C)
    let down: QuantMatrix    // (C, F)
}

/// All weights of a llama model, viewed in place in its mapped GGUF file.
public final class LlamaWeights: Sendable {
    public let config: LlamaConfig
    public let file: GGUFFile
    let tokenEmbedding: QuantMatrix  // (V, C)
    let layers: [LayerWeights]
    let outputNorm: [Float]          // (C)
    let output: QuantMatrix          // (V, C), token_embd when tied
    /// Q8_0 copies of the file's tensors in converted types, which the matrices above view.
    private let converted: ConvertedTensors
    /// rope_freqs (D/2): per-pair divisors of the RoPE frequencies (Llama 3.1+), when the file has them.
    let ropeFrequencyFactors: [Float]?

    /// Views the weights of `gguf` in place.
    public init(gguf: GGUFFile) throws(GGUFError) {
        let c = try LlamaConfig(gguf: gguf)
        config = c
        file = gguf
        let kv = c.kvHeads * c.headDim
        let storage = ConvertedTensors()
        converted = storage
        func matrix(_ name: String, _ shape: [Int]) throws(GGUFError) -> QuantMatrix {
            try gguf.servedMatrix(name, shape: shape, storage: storage)
        }
        tokenEmbedding = try matrix("token_embd.weight", [c.dim, c.vocabSize])
        var blocks: [LayerWeights] = []
        for l in 0..<c.layers {
            let p = "blk.\(l)."
            blocks.append(LayerWeights(
                attnNorm: try gguf.floats(p + "attn_norm.weight", shape: [c.dim]),
                wq: try matrix(p + "attn_q.weight", [c.dim, c.dim]),
                wk: try matrix(p + "attn_k.weight", [c.dim, kv]),
                wv: try matrix(p + "attn_v.weight", [c.dim, kv]),
                wo: try matrix(p + "attn_output.weight", [c.dim, c.dim]),
                ffnNorm: try gguf.floats(p + "ffn_norm.weight", shape: [c.dim]),
                gate: try matrix(p + "ffn_gate.weight", [c.dim, c.ffnDim]),
                up: try matrix(p + "ffn_up.weight", [c.dim, c.ffnDim]),
                down: try matrix(p + "ffn_down.weight", [c.ffnDim, c.dim])))
        }
        layers = blocks
        outputNorm = try gguf.floats("output_norm.weight", shape: [c.dim])
        output = gguf.tensor("output.weight") == nil ? tokenEmbedding
            : try matrix("output.weight", [c.dim, c.vocabSize])
        ropeFrequencyFactors = gguf.tensor(Self.ropeFrequencyFactorsName) == nil ? nil
            : try gguf.floats(Self.ropeFrequencyFactorsName, shape: [c.headDim / 2])
    }

    /// The GGUF tensor of RoPE frequency factors.
    public static let ropeFrequencyFactorsName = "rope_freqs.weight"
}
