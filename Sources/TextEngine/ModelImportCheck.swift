// Checks a GGUF file someone wants to serve as an imported model, before anything is copied: the
// container, the architecture, every tensor's type, the required tensors and their shapes against
// the metadata, the tokenizer and the head layout. Every problem of a kind is listed at once, each
// naming the tensor or key, what was found and what this engine runs. It reads only (no copy, no
// workspace); the platform decides the rest.
import Numerics

/// What is wrong with a file offered for import; one message per case.
public enum ImportCheckError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notGGUF(path: String, reason: String)
    case truncated(path: String, reason: String)
    case unsupportedArchitecture(path: String, found: String)
    case missingMetadata(path: String, keys: [String])
    case unsupportedTensorTypes(path: String, tensors: [(name: String, type: String)])
    case missingTensors(path: String, tensors: [String])
    case unexpectedTensors(path: String, tensors: [String])
    case badShapes(path: String, tensors: [(name: String, expected: [Int], found: [Int])])
    case unsupportedTokenizer(path: String, reason: String)
    case unsupportedLayout(path: String, reason: String)

    public static func == (a: ImportCheckError, b: ImportCheckError) -> Bool { a.description == b.description }

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "cannot read \(path): \(reason)"
        case let .notGGUF(path, reason): "\(path) is not a GGUF model file: \(reason)"
        case let .truncated(path, reason): "\(path) is truncated or corrupt: \(reason)"
        case let .unsupportedArchitecture(path, found):
            "\(path): architecture '\(found)' is not supported; this engine runs 'llama' (general.architecture = llama)"
        case let .missingMetadata(path, keys):
            "\(path): metadata \(keys.count == 1 ? "key" : "keys") \(keys.map { "'\($0)'" }.joined(separator: ", ")) missing"
        case let .unsupportedTensorTypes(path, tensors):
            "\(path): \(tensors.count) tensor\(tensors.count == 1 ? " has a type" : "s have types") this engine does not run: "
                + Self.list(tensors.map { "\($0.name) (\($0.type))" })
                + "; supported: " + QuantType.allCases.map(\.name).joined(separator: ", ")
                + ", and for weight matrices, converted to Q8_0 at load: " + ConvertedType.allCases.map(\.name).joined(separator: ", ")
                + " (pick the model's Q8_0 or F16 file, or convert this one with llama.cpp's llama-quantize --allow-requantize … Q8_0)"
        case let .missingTensors(path, tensors):
            "\(path): \(tensors.count) required tensor\(tensors.count == 1 ? " is" : "s are") missing: " + Self.list(tensors)
        case let .unexpectedTensors(path, tensors):
            "\(path): \(tensors.count == 1 ? "tensor" : "tensors") " + Self.list(tensors)
                + " \(tensors.count == 1 ? "is" : "are") not part of the llama layout this engine runs (it would ignore them and answer wrongly)"
        case let .badShapes(path, tensors):
            "\(path): \(tensors.count == 1 ? "tensor has" : "tensors have") shapes that disagree with the metadata: "
                + Self.list(tensors.map { "\($0.name) is \($0.found), expected \($0.expected)" })
        case let .unsupportedTokenizer(path, reason): "\(path): \(reason)"
        case let .unsupportedLayout(path, reason): "\(path): \(reason)"
        }
    }

    /// The first eight items, then how many more.
    static func list(_ items: [String]) -> String {
        items.prefix(8).joined(separator: ", ") + (items.count > 8 ? " and \(items.count - 8) more" : "")
    }
}

/// What an accepted file is.
public struct ImportInspection: Sendable, Equatable {
    public var architecture: String
    /// general.name, if the file has one.
    public var modelName: String?
    public var config: LlamaConfig
    /// Elements of every tensor.
    public var parameterCount: Int
    /// Tensor type name → number of tensors of that type, most used first.
    public var tensorTypes: [(type: String, count: Int)]
    /// The entries of tensorTypes the engine converts to Q8_0 at load ("Q4_K ×112").
    public var convertedTensorTypes: [String] {
        let converted = Set(ConvertedType.allCases.map(\.name))
        return tensorTypes.filter { converted.contains($0.type) }.map { "\($0.type) ×\($0.count)" }
    }
    public var chatFormat: ChatFormat
    public var defaultSystem: String?
    public var fileBytes: Int
    /// The pre-tokenizer's name (tokenizer.ggml.pre).
    public var preTokenizer: String

    public static func == (a: ImportInspection, b: ImportInspection) -> Bool {
        a.config == b.config && a.parameterCount == b.parameterCount && a.fileBytes == b.fileBytes
    }
}

public enum ModelImportCheck {
    /// Pre-tokenizers the engine's PreTokenizer reproduces exactly (tokenizer.ggml.pre).
    public static let supportedPreTokenizers = PreTokenizer.allCases.map(\.rawValue)

    /// ggml's type names by id, so an unsupported type is named rather than numbered.
    static let ggmlTypeNames: [UInt32: String] = [
        0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 8: "Q8_0", 9: "Q8_1", 10: "Q2_K", 11: "Q3_K",
        12: "Q4_K", 13: "Q5_K", 14: "Q6_K", 15: "Q8_K", 16: "IQ2_XXS", 17: "IQ2_XS", 18: "IQ3_XXS", 19: "IQ1_S",
        20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS", 24: "I8", 25: "I16", 26: "I32", 27: "I64", 28: "F64",
        29: "IQ1_M", 30: "BF16",
    ]

    public static func typeName(_ id: UInt32) -> String { ggmlTypeNames[id] ?? "type \(id)" }

    /// Checks the file at `path`; returns what it is, or the first kind of problem with every instance listed.
    public static func inspect(path: String) throws(ImportCheckError) -> ImportInspection {
        let file = try open(path)
        let arch = file.metadata["general.architecture"]?.stringValue ?? "(none)"
        guard arch == "llama" else { throw .unsupportedArchitecture(path: path, found: arch) }
        let required = ["llama.block_count", "llama.embedding_length", "llama.feed_forward_length",
                        "llama.attention.head_count", "llama.context_length", "llama.attention.layer_norm_rms_epsilon"]
        let missing = required.filter { file.metadata[$0]?.intValue == nil && file.metadata[$0]?.doubleValue == nil }
        if !missing.isEmpty { throw .missingMetadata(path: path, keys: missing) }
        let config: LlamaConfig
        do { config = try LlamaConfig(gguf: file) } catch { throw .unsupportedLayout(path: path, reason: layoutReason(file)) }
        try checkTypes(file)
        try checkTensors(file, config)
        let pre = try checkTokenizer(file, config)
        var counts: [String: Int] = [:]
        for t in file.tensors { counts[typeName(t.typeID), default: 0] += 1 }
        let template = file.metadata["tokenizer.chat_template"]?.stringValue
        return ImportInspection(
            architecture: arch, modelName: file.metadata["general.name"]?.stringValue, config: config,
            parameterCount: file.tensors.reduce(0) { $0 + $1.elementCount },
            tensorTypes: counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ($0.key, $0.value) },
            chatFormat: ChatFormat.detect(template: template), defaultSystem: ChatFormat.defaultSystem(template: template),
            fileBytes: file.file.count, preTokenizer: pre)
    }

    private static func open(_ path: String) throws(ImportCheckError) -> GGUFFile {
        do { return try GGUFFile(path: path) } catch {
            switch error {
            case .cannotOpen(_, let reason): throw .unreadable(path: path, reason: reason)
            case .modelNotFound: throw .unreadable(path: path, reason: "no such file")
            case .badMagic(_, let found):
                let bytes = found.map { b in b < 16 ? "0" + String(b, radix: 16) : String(b, radix: 16) }.joined(separator: " ")
                throw .notGGUF(path: path, reason: "it starts with the bytes \(bytes), not 'GGUF'")
            case .unsupportedVersion(_, let v): throw .notGGUF(path: path, reason: "GGUF version \(v) (versions 2 and 3 are supported)")
            case let .truncated(_, offset, needed, what):
                throw .truncated(path: path, reason: "it ends inside \(what) at byte \(offset) (\(needed) more bytes needed)")
            case let .tensorOutOfBounds(_, tensor, end, size):
                throw .truncated(path: path, reason: "tensor '\(tensor)' ends at byte \(end) but the file has \(size) bytes")
            default: throw .notGGUF(path: path, reason: error.description)
            }
        }
    }

    private static func layoutReason(_ file: GGUFFile) -> String {
        let heads = file.metadata["llama.attention.head_count"]?.intValue ?? 0
        let kv = file.metadata["llama.attention.head_count_kv"]?.intValue ?? heads
        let dim = file.metadata["llama.embedding_length"]?.intValue ?? 0
        return "\(heads) attention heads, \(kv) key/value heads and width \(dim) are not a layout this engine runs "
            + "(it needs heads dividing the width into heads of a multiple of 16 values, and key/value heads dividing the heads)"
    }

    /// Every tensor in a type the engine runs, or in one it converts to Q8_0 at load (weight
    /// matrices only: norms and RoPE factors are read as plain floats).
    private static func checkTypes(_ file: GGUFFile) throws(ImportCheckError) {
        let bad = file.tensors.filter { t in t.type == nil && (t.convertedType == nil || t.dims.count < 2) }
            .map { ($0.name, typeName($0.typeID)) }
        if !bad.isEmpty { throw .unsupportedTensorTypes(path: file.path, tensors: bad) }
    }

    /// Every tensor the engine reads, with its GGUF shape (fastest dimension first).
    static func expectedShapes(_ c: LlamaConfig) -> [(String, [Int])] {
        let kv = c.kvHeads * c.headDim
        var out: [(String, [Int])] = [("token_embd.weight", [c.dim, c.vocabSize])]
        for l in 0..<c.layers {
            let p = "blk.\(l)."
            out += [(p + "attn_norm.weight", [c.dim]), (p + "attn_q.weight", [c.dim, c.dim]), (p + "attn_k.weight", [c.dim, kv]),
                    (p + "attn_v.weight", [c.dim, kv]), (p + "attn_output.weight", [c.dim, c.dim]), (p + "ffn_norm.weight", [c.dim]),
                    (p + "ffn_gate.weight", [c.dim, c.ffnDim]), (p + "ffn_up.weight", [c.dim, c.ffnDim]),
                    (p + "ffn_down.weight", [c.ffnDim, c.dim])]
        }
        out.append(("output_norm.weight", [c.dim]))
        return out
    }

    private static func checkTensors(_ file: GGUFFile, _ c: LlamaConfig) throws(ImportCheckError) {
        var expected = expectedShapes(c)
        if file.tensor("output.weight") != nil { expected.append(("output.weight", [c.dim, c.vocabSize])) }
        let factorsName = LlamaWeights.ropeFrequencyFactorsName
        if file.tensor(factorsName) != nil { expected.append((factorsName, [c.headDim / 2])) }
        let missing = expected.filter { file.tensor($0.0) == nil }.map(\.0)
        if !missing.isEmpty { throw .missingTensors(path: file.path, tensors: missing) }
        let known = Set(expected.map(\.0))
        let extra = file.tensors.map(\.name).filter { !known.contains($0) }
        if !extra.isEmpty { throw .unexpectedTensors(path: file.path, tensors: extra) }
        var bad: [(name: String, expected: [Int], found: [Int])] = []
        var misfits: [String] = []
        for (name, shape) in expected {
            guard let t = file.tensor(name) else { continue }
            if t.dims != shape { bad.append((name, shape, t.dims)); continue }
            let (block, typeName) = t.type.map { ($0.blockSize, $0.name) } ?? t.convertedType.map { ($0.blockSize, $0.name) } ?? (1, "")
            if (t.dims.first ?? 1) % block != 0 { misfits.append("\(name) (\(typeName), rows of \(t.dims.first ?? 1))") }
        }
        if !bad.isEmpty { throw .badShapes(path: file.path, tensors: bad) }
        if !misfits.isEmpty {
            throw .unsupportedLayout(path: file.path, reason: "rows that do not fill their type's blocks (32 values; 256 for K-quants): "
                                     + ImportCheckError.list(misfits))
        }
        if let rope = file.metadata["llama.rope.dimension_count"]?.intValue, rope != c.headDim {
            throw .unsupportedLayout(path: file.path, reason: "RoPE covers \(rope) of each head's \(c.headDim) values; this engine rotates whole heads")
        }
        if let scaling = file.metadata["llama.rope.scaling.type"]?.stringValue, scaling != "none" {
            throw .unsupportedLayout(path: file.path, reason: "RoPE scaling '\(scaling)' is not implemented by this engine "
                                     + "(it applies per-pair frequency factors from a \(factorsName) tensor, as Llama 3.1 and later ship them)")
        }
        if file.tensor(factorsName) != nil {
            let factors: [Float]
            do { factors = try file.floats(factorsName) } catch {
                throw .unsupportedLayout(path: file.path, reason: "\(factorsName) cannot be read: \(error)")
            }
            if let i = factors.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
                throw .unsupportedLayout(path: file.path, reason: "\(factorsName) value \(i) is \(factors[i]); "
                                         + "RoPE frequency factors must be positive and finite")
            }
        }
    }

    /// The tokenizer must be one the engine builds and pre-tokenizes exactly; returns the pre-tokenizer's name.
    private static func checkTokenizer(_ file: GGUFFile, _ c: LlamaConfig) throws(ImportCheckError) -> String {
        let model = file.metadata["tokenizer.ggml.model"]?.stringValue ?? "(none)"
        guard model == "gpt2" else {
            let kind = model == "llama" ? " (SentencePiece)" : ""
            throw .unsupportedTokenizer(path: file.path, reason: "tokenizer '\(model)'\(kind) is not supported; this engine runs "
                                        + "gpt2-style byte-level BPE tokenizers (tokenizer.ggml.model = gpt2)")
        }
        let pre = file.metadata["tokenizer.ggml.pre"]?.stringValue ?? "(none)"
        guard supportedPreTokenizers.contains(pre) else {
            throw .unsupportedTokenizer(path: file.path, reason: "pre-tokenizer '\(pre)' is not supported; this engine splits text as "
                                        + "smollm (GPT-2's pattern with single digits) or llama-bpe (Llama 3's pattern) does")
        }
        let tokenizer: Tokenizer
        do { tokenizer = try Tokenizer(gguf: file) } catch {
            throw .unsupportedTokenizer(path: file.path, reason: "its tokenizer cannot be built: \(error)")
        }
        guard tokenizer.vocabularySize == c.vocabSize else {
            throw .unsupportedTokenizer(path: file.path, reason: "the tokenizer has \(tokenizer.vocabularySize) tokens but the model's vocabulary is \(c.vocabSize)")
        }
        return pre
    }
}
