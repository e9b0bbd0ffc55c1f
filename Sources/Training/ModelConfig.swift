// The shape of a llama-architecture model, the LoRA settings, and where every tensor sits in the
// flat parameter buffers (named views by GGUF tensor name). Pure values: no weights, no math.

/// Dimensions of a llama-architecture decoder (SmolLM2-135M values in the comments).
public struct ModelConfig: Sendable, Equatable, Hashable {
    /// Rows of `token_embd.weight`; the output projection is tied to it (49152).
    public var vocabSize: Int
    /// Model width d, the residual stream size (576).
    public var dim: Int
    /// Hidden width of the SwiGLU feed-forward block (1536).
    public var ffnDim: Int
    /// Number of transformer blocks (30).
    public var layers: Int
    /// Query heads (9); head size is dim / heads (64).
    public var heads: Int
    /// Key/value heads for grouped-query attention (3); must divide `heads`.
    public var kvHeads: Int
    /// RoPE frequency base (100000), applied to adjacent pairs.
    public var ropeBase: Double
    /// RMSNorm epsilon (1e-5).
    public var normEps: Double
    /// Longest sequence the RoPE table covers; longer records are rejected by data validation (8192).
    public var maxPositions: Int

    public init(vocabSize: Int, dim: Int, ffnDim: Int, layers: Int, heads: Int, kvHeads: Int,
                ropeBase: Double = 100_000, normEps: Double = 1e-5, maxPositions: Int = 8192) {
        precondition(dim % heads == 0 && heads % kvHeads == 0 && (dim / heads) % 2 == 0,
                     "dim must split into heads of even size and heads into kvHeads groups")
        self.vocabSize = vocabSize; self.dim = dim; self.ffnDim = ffnDim; self.layers = layers
        self.heads = heads; self.kvHeads = kvHeads; self.ropeBase = ropeBase; self.normEps = normEps
        self.maxPositions = maxPositions
    }

    /// Size of one attention head.
    public var headDim: Int { dim / heads }
    /// Width of the key and value projections.
    public var kvDim: Int { kvHeads * headDim }

    /// SmolLM2-135M-Instruct (DATA.md).
    public static let smolLM2_135M = ModelConfig(vocabSize: 49152, dim: 576, ffnDim: 1536, layers: 30,
                                                 heads: 9, kvHeads: 3, ropeBase: 100_000, normEps: 1e-5,
                                                 maxPositions: 8192)

    /// (out, in) of a projection's weight.
    func shape(of p: Projection) -> (out: Int, in: Int) {
        switch p {
        case .q: (dim, dim)
        case .k, .v: (kvDim, dim)
        case .o: (dim, dim)
        case .gate, .up: (ffnDim, dim)
        case .down: (dim, ffnDim)
        }
    }
}

/// The seven linear projections of a block, by their GGUF tensor name stem.
public enum Projection: String, CaseIterable, Sendable, Hashable, Comparable {
    case q = "attn_q", k = "attn_k", v = "attn_v", o = "attn_output"
    case gate = "ffn_gate", up = "ffn_up", down = "ffn_down"

    public static func < (a: Projection, b: Projection) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Low-rank adapters (Hu et al. 2021, "LoRA"): W·x + (alpha/rank)·B·A·x with A (rank, in), B (out, rank).
public struct LoRAConfig: Sendable, Equatable, Hashable {
    /// Inner size r of each adapter (8 is common).
    public var rank: Int
    /// Scale numerator: the adapter output is multiplied by alpha / rank.
    public var alpha: Double
    /// Projections that get an adapter; the rest stay frozen without one.
    public var targets: Set<Projection>

    public init(rank: Int = 8, alpha: Double = 16, targets: Set<Projection> = Set(Projection.allCases)) {
        self.rank = rank; self.alpha = alpha; self.targets = targets
    }
    public var scale: Double { alpha / Double(rank) }
}

/// What is trained: every weight of a dequantized copy, or adapters on a frozen base.
public enum TrainingMode: Sendable, Equatable, Hashable {
    case full
    case lora(LoRAConfig)
}

/// Named views into one flat buffer: each tensor's offset and shape, in a fixed order.
public struct ParameterLayout: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let name: String, offset: Int, shape: [Int]
        public var count: Int { shape.reduce(1, *) }
    }
    public private(set) var entries: [Entry] = []
    public private(set) var count = 0
    private var index: [String: Int] = [:]

    mutating func add(_ name: String, _ shape: [Int]) {
        index[name] = entries.count
        entries.append(Entry(name: name, offset: count, shape: shape))
        count += shape.reduce(1, *)
    }
    public func entry(_ name: String) -> Entry? { index[name].map { entries[$0] } }
    func offset(_ name: String) -> Int { entries[index[name]!].offset }

    /// Base weights in GGUF names and shapes ([out][in] for linear layers); the output is tied to token_embd.
    static func base(_ c: ModelConfig) -> ParameterLayout {
        var l = ParameterLayout()
        l.add("token_embd.weight", [c.vocabSize, c.dim])
        for b in 0..<c.layers {
            l.add("blk.\(b).attn_norm.weight", [c.dim])
            for p in [Projection.q, .k, .v, .o] { let s = c.shape(of: p); l.add("blk.\(b).\(p.rawValue).weight", [s.out, s.in]) }
            l.add("blk.\(b).ffn_norm.weight", [c.dim])
            for p in [Projection.gate, .up, .down] { let s = c.shape(of: p); l.add("blk.\(b).\(p.rawValue).weight", [s.out, s.in]) }
        }
        l.add("output_norm.weight", [c.dim])
        return l
    }

    /// Adapter tensors `blk.N.<proj>.lora_a` (rank, in) and `.lora_b` (out, rank), block by block.
    static func lora(_ c: ModelConfig, _ lc: LoRAConfig) -> ParameterLayout {
        var l = ParameterLayout()
        for b in 0..<c.layers {
            for p in Projection.allCases where lc.targets.contains(p) {
                let s = c.shape(of: p)
                l.add("blk.\(b).\(p.rawValue).lora_a", [lc.rank, s.in])
                l.add("blk.\(b).\(p.rawValue).lora_b", [s.out, lc.rank])
            }
        }
        return l
    }
}
