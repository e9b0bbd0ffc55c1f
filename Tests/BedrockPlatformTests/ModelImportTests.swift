// Custom Model Import end to end with real files: the cached SmolLM2 GGUF imported and served on
// demand answers exactly as the base model does; a tiny random llama written here (other dims,
// untied output, F16/F32/Q8_0, SmolLM2's tokenizer) imports and generates what the engine computes
// from the source file, or as plain text when its template is unknown; bad files fail their job
// with the exact reason and leave nothing behind; CMU windows bill on the virtual clock; a dead
// process's import job is failed on open.
import Billing
import Catalog
import Foundation
import Numerics
import Testing
import TextEngine
import Workspace
@testable import BedrockPlatform

/// Writes small llama-architecture GGUF files with SmolLM2's tokenizer, seeded.
enum TinyLlama {
    static let dim = 64, heads = 4, kvHeads = 2, ffn = 96, layers = 2, context = 256

    /// SmolLM2's tokenizer.* metadata (vocabulary, merges, template), sorted by key.
    static let tokenizerMetadata: [(String, GGUFValue)] = {
        guard let file = try? GGUFFile(path: ModelLocator.smolLM2Path) else { return [] }
        return file.metadata.keys.filter { $0.hasPrefix("tokenizer.") }.sorted().map { ($0, file.metadata[$0]!) }
    }()

    /// The tensors and their types: F16 embeddings, Q8_0 untied output and K/V/FFN, F16 Q/O, F32 norms.
    static func tensors(vocab: Int) -> [GGUFTensorRecord] {
        let kv = kvHeads * dim / heads
        var out = [GGUFTensorRecord(name: "token_embd.weight", dims: [dim, vocab], type: .f16)]
        for l in 0..<layers {
            let p = "blk.\(l)."
            out += [GGUFTensorRecord(name: p + "attn_norm.weight", dims: [dim], type: .f32),
                    GGUFTensorRecord(name: p + "attn_q.weight", dims: [dim, dim], type: .f16),
                    GGUFTensorRecord(name: p + "attn_k.weight", dims: [dim, kv], type: .q8_0),
                    GGUFTensorRecord(name: p + "attn_v.weight", dims: [dim, kv], type: .q8_0),
                    GGUFTensorRecord(name: p + "attn_output.weight", dims: [dim, dim], type: .f16),
                    GGUFTensorRecord(name: p + "ffn_norm.weight", dims: [dim], type: .f32),
                    GGUFTensorRecord(name: p + "ffn_gate.weight", dims: [dim, ffn], type: .q8_0),
                    GGUFTensorRecord(name: p + "ffn_up.weight", dims: [dim, ffn], type: .q8_0),
                    GGUFTensorRecord(name: p + "ffn_down.weight", dims: [ffn, dim], type: .q8_0)]
        }
        out += [GGUFTensorRecord(name: "output_norm.weight", dims: [dim], type: .f32),
                GGUFTensorRecord(name: "output.weight", dims: [dim, vocab], type: .q8_0)]
        return out
    }

    /// The standard tiny model, written once per test process (imports copy it; nothing changes it).
    static let shared: Result<String, any Error> = Result { try write() }

    /// Writes the model to a fresh temporary file and returns its path. `metadata` replaces or adds
    /// keys; `ropeFactors` adds a rope_freqs tensor (F32) holding them.
    static func write(architecture: String = "llama", omitting: Set<String> = [], withTemplate: Bool = true,
                      seed: UInt64 = 42, ropeBase: Float = 10000, metadata extra: [(String, GGUFValue)] = [],
                      ropeFactors: [Float]? = nil) throws -> String {
        let vocab = tokenizerMetadata.first { $0.0 == "tokenizer.ggml.tokens" }?.1.arrayValue?.count ?? 0
        let meta: [(String, GGUFValue)] = [
            ("general.architecture", .string(architecture)), ("general.name", .string("tiny-random-llama")),
            ("\(architecture).block_count", .uint32(UInt32(layers))), ("\(architecture).context_length", .uint32(UInt32(context))),
            ("\(architecture).embedding_length", .uint32(UInt32(dim))), ("\(architecture).feed_forward_length", .uint32(UInt32(ffn))),
            ("\(architecture).attention.head_count", .uint32(UInt32(heads))),
            ("\(architecture).attention.head_count_kv", .uint32(UInt32(kvHeads))),
            ("\(architecture).rope.freq_base", .float32(ropeBase)),
            ("\(architecture).attention.layer_norm_rms_epsilon", .float32(1e-5)),
        ] + tokenizerMetadata.filter { key, _ in (withTemplate || key != "tokenizer.chat_template") && !extra.contains { $0.0 == key } }
            + extra
        var records = tensors(vocab: vocab).filter { !omitting.contains($0.name) }
        if let ropeFactors { records.append(GGUFTensorRecord(name: "rope_freqs.weight", dims: [ropeFactors.count], type: .f32)) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bedrock-import-\(UUID().uuidString).gguf")
        var bytes: [UInt8] = []
        try GGUFWriter.write(metadata: meta, tensors: records, data: { i in
            let r = records[i]
            if r.name == "rope_freqs.weight", let ropeFactors { return try TensorEncoding.bytes(ropeFactors, as: .f32) }
            var state = seed &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15
            let values: [Float] = (0..<r.elementCount).map { _ in
                if r.dims.count == 1 { return 1 }
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return (Float(state >> 40) / Float(1 << 24) - 0.5) * 0.2
            }
            return try TensorEncoding.bytes(values, as: r.type!, tensor: r.name)
        }, to: { bytes += $0 })
        try Data(bytes).write(to: url)
        return url.path
    }
}

/// A llama whose rows fill K-quant super-blocks (256 values), its matrices in the types the engine
/// converts at load (Q5_0, Q5_1, Q4_K, Q5_K, Q6_K), made of seeded random bytes with ordinary f16
/// scales; the embedding is Q8_0, the norms F32.
enum ConvertedLlama {
    static let dim = 256, heads = 4, kvHeads = 2, ffn = 256, context = 128
    static let kinds: [String: ConvertedType] = ["attn_q": .q4_K, "attn_k": .q5_K, "attn_v": .q6_K, "attn_output": .q5_0,
                                                 "ffn_gate": .q5_1, "ffn_up": .q6_K, "ffn_down": .q4_K]

    /// Seeded random super-blocks with each f16 scale field set to an ordinary value.
    static func blocks(_ type: ConvertedType, count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        var bytes = (0..<type.byteCount(count)).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        let scales: [(offset: Int, value: Float)] = switch type {
        case .q5_0: [(0, 5e-3)]
        case .q5_1: [(0, 5e-3), (2, -0.08)]
        case .q4_K, .q5_K: [(0, 2e-4), (2, 1.5e-3)]
        case .q6_K: [(208, 2.5e-5)]
        }
        for b in 0..<count / type.blockSize {
            for (offset, value) in scales {
                let h = halfBits(value)
                bytes[b * type.blockBytes + offset] = UInt8(h & 0xFF); bytes[b * type.blockBytes + offset + 1] = UInt8(h >> 8)
            }
        }
        return bytes
    }

    /// Writes the model with its matrices as K-quants (`matricesAs` nil), or as those K-quants'
    /// dequantized values encoded in `matricesAs`.
    static func write(matricesAs plain: QuantType?) throws -> String {
        let vocab = TinyLlama.tokenizerMetadata.first { $0.0 == "tokenizer.ggml.tokens" }?.1.arrayValue?.count ?? 0
        let meta: [(String, GGUFValue)] = [
            ("general.architecture", .string("llama")), ("general.name", .string("tiny-k-quant-llama")),
            ("llama.block_count", .uint32(1)), ("llama.context_length", .uint32(UInt32(context))),
            ("llama.embedding_length", .uint32(UInt32(dim))), ("llama.feed_forward_length", .uint32(UInt32(ffn))),
            ("llama.attention.head_count", .uint32(UInt32(heads))), ("llama.attention.head_count_kv", .uint32(UInt32(kvHeads))),
            ("llama.rope.freq_base", .float32(10000)), ("llama.attention.layer_norm_rms_epsilon", .float32(1e-5)),
        ] + TinyLlama.tokenizerMetadata
        let kv = kvHeads * dim / heads
        let shapes: [(String, [Int])] = [("attn_q", [dim, dim]), ("attn_k", [dim, kv]), ("attn_v", [dim, kv]),
                                         ("attn_output", [dim, dim]), ("ffn_gate", [dim, ffn]), ("ffn_up", [dim, ffn]),
                                         ("ffn_down", [ffn, dim])]
        var records = [GGUFTensorRecord(name: "token_embd.weight", dims: [dim, vocab], type: .q8_0),
                       GGUFTensorRecord(name: "blk.0.attn_norm.weight", dims: [dim], type: .f32),
                       GGUFTensorRecord(name: "blk.0.ffn_norm.weight", dims: [dim], type: .f32),
                       GGUFTensorRecord(name: "output_norm.weight", dims: [dim], type: .f32)]
        for (kind, dims) in shapes {
            let name = "blk.0.\(kind).weight"
            records.append(plain.map { GGUFTensorRecord(name: name, dims: dims, type: $0) }
                           ?? GGUFTensorRecord(name: name, dims: dims, converted: kinds[kind]!))
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bedrock-import-\(UUID().uuidString).gguf")
        var bytes: [UInt8] = []
        try GGUFWriter.write(metadata: meta, tensors: records, data: { i in
            let r = records[i]
            if r.dims.count == 1 { return try TensorEncoding.bytes(Array(repeating: 1, count: r.elementCount), as: .f32) }
            if i == 0 {
                var state: UInt64 = 7
                let values: [Float] = (0..<r.elementCount).map { _ in
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    return (Float(state >> 40) / Float(1 << 24) - 0.5) * 0.2
                }
                return try TensorEncoding.bytes(values, as: .q8_0)
            }
            let kind = kinds[String(r.name.dropFirst("blk.0.".count).dropLast(".weight".count))]!
            let k = blocks(kind, count: r.elementCount, seed: UInt64(i))
            guard let plain else { return k }
            var values = [Float](repeating: 0, count: r.elementCount)
            k.withUnsafeBytes { dequantize(kind, $0.baseAddress!, count: r.elementCount, into: &values) }
            return try TensorEncoding.bytes(values, as: plain)
        }, to: { bytes += $0 })
        try Data(bytes).write(to: url)
        return url.path
    }
}

/// The largest difference between two lists of scores.
func largestGap(_ a: [Float], _ b: [Float]) -> Float {
    a.count == b.count ? zip(a, b).map { abs($0 - $1) }.max() ?? 0 : .infinity
}

/// Imports `path` as `name` and waits for the job; returns the job's final row.
func importAndWait(_ p: Platform, _ path: String, _ name: String) throws -> ModelImportJob {
    let job = try p.createModelImportJob(path: path, name: name)
    _ = p.waitForJob(id: job.id)
    return try p.modelImportJob(job.id)
}

/// A temporary file holding `bytes`.
func importScratchFile(_ name: String, _ bytes: [UInt8]) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bedrock-import-\(UUID().uuidString)-\(name)")
    try Data(bytes).write(to: url)
    return url.path
}

@Suite(.serialized) struct ModelImportTests {
    @Test func theImportedSmolLM2AnswersExactlyAsTheBaseModel() throws {
        let p = try Platform.ephemeral()
        let row = try importAndWait(p, ModelLocator.smolLM2Path, "smol-copy")
        #expect(row.status == .completed, "\(row.failureMessage ?? "")")
        let card = try p.model(id: "smol-copy")
        #expect(card.id == "arn:aws:bedrock:us-east-1:000000000000:imported-model/\(row.id)" && row.importedModelARN == card.id)
        let info = try #require(card.custom?.imported)
        let source = try GGUFFile(path: ModelLocator.smolLM2Path)
        #expect(info.parameterCount == source.tensors.reduce(0) { $0 + $1.elementCount })
        #expect(info.architecture == "llama" && info.fileContextLength == 8192 && info.servedContext == 8192)
        #expect(info.sha256 == (try sha256Hex(ofFile: ModelLocator.smolLM2Path)) && info.customModelUnits == 1)
        #expect(info.chatFormat.hasPrefix("ChatML") && card.supportsOnDemand && card.customizations.isEmpty)
        let copy = p.workspace.filesRoot.appendingPathComponent(info.servedFile)
        #expect(try sha256Hex(ofFile: copy.path) == info.sha256)
        #expect(try p.models().contains { $0.id == card.id } && p.customModelCards().isEmpty)
        #expect(p.models(filter: ModelFilter(customization: .imported)).map(\.id) == [card.id])

        let base = "meta.llama3-8b-instruct-v1:0"
        try p.requestAccess(modelID: base)
        let overrides = InferenceOverrides(maxTokens: 32, temperature: 0)
        let prompt = "Name three uses of a kettle."
        let imported = try p.invoke(modelID: card.id, body: try p.nativeBody(modelID: card.id, prompt: prompt, overrides: overrides),
                                    options: InvocationOptions(seed: 1))
        let reference = try p.invoke(modelID: base, body: try p.nativeBody(modelID: base, prompt: prompt, overrides: overrides),
                                     options: InvocationOptions(seed: 1))
        #expect(imported.responses[0].text == reference.responses[0].text && !imported.responses[0].text.isEmpty)
        #expect(imported.inputTokens == reference.inputTokens && imported.outputTokens == reference.outputTokens)
        let tokens = try p.countTokens(modelID: card.id, body: try p.nativeBody(modelID: card.id, prompt: prompt, overrides: overrides))
        #expect(tokens == reference.inputTokens)
        let ppl = try p.perplexity(of: "The quick brown fox jumps over the lazy dog.", modelID: card.id)
        let basePPL = try p.perplexity(of: "The quick brown fox jumps over the lazy dog.", modelID: base)
        #expect(ppl.perplexity == basePPL.perplexity)
    }

    @Test func aTinyRandomLlamaImportsAndGeneratesWhatTheEngineComputes() throws {
        let path = try TinyLlama.shared.get()
        let p = try Platform.ephemeral()
        let row = try importAndWait(p, path, "tiny")
        #expect(row.status == .completed, "\(row.failureMessage ?? "")")
        let card = try p.model(id: "tiny")
        let info = try #require(card.custom?.imported)
        #expect(info.servedContext == TinyLlama.context && card.contextWindow == TinyLlama.context)
        #expect(info.quantization == ["Q8_0 ×11", "F16 ×5", "F32 ×5"])
        let vocab = 49152, d = TinyLlama.dim
        let perLayer = 2 * d + 2 * d * d + 2 * d * 32 + 3 * d * TinyLlama.ffn
        #expect(info.parameterCount == 2 * vocab * d + TinyLlama.layers * perLayer + d)

        let overrides = InferenceOverrides(maxTokens: 12, temperature: 0)
        let body = try p.nativeBody(modelID: card.id, prompt: "Hello there", overrides: overrides)
        let first = try p.invoke(modelID: card.id, body: body, options: InvocationOptions(seed: 3))
        let second = try p.invoke(modelID: card.id, body: body, options: InvocationOptions(seed: 9))
        #expect(first.responses[0].text == second.responses[0].text && first.outputTokens > 0)
        // The same greedy decode straight from the source file, prompt rendered in its ChatML.
        let direct = try TextModel(path: path, contextWindow: TinyLlama.context)
        let promptIDs = try p.textEngine.promptTokens(.conversation(system: nil, turns: [ChatTurn(.user, "Hello there")]),
                                                      weights: try p.servedWeights(for: card))
        let expected = try direct.generate(promptTokens: promptIDs, parameters: SamplingParameters(temperature: 0, maxTokens: 12, seed: 0))
        #expect(first.responses[0].text == expected.text && first.outputTokens == expected.outputTokens)
        #expect(first.inputTokens == promptIDs.count)
    }

    /// Llama 3's conventions on the tiny model: the llama-bpe split, a BOS the tokenizer adds, and
    /// per-pair RoPE frequency factors (rope_freqs). Factors 50^(2i/D) on base 10 000 give base
    /// 500 000's frequencies, so the model must score text as the same weights with base 500 000
    /// do, and not as base 10 000 without factors does.
    @Test func aLlama3StyleFileImportsWithItsSplitBOSAndFrequencyFactors() throws {
        let headDim = TinyLlama.dim / TinyLlama.heads
        let factors = (0..<headDim / 2).map { Float(pow(50, Double(2 * $0) / Double(headDim))) }
        let path = try TinyLlama.write(metadata: [("tokenizer.ggml.pre", .string("llama-bpe")),
                                                  ("tokenizer.ggml.add_bos_token", .bool(true))], ropeFactors: factors)
        let p = try Platform.ephemeral()
        let row = try importAndWait(p, path, "tiny3")
        #expect(row.status == .completed, "\(row.failureMessage ?? "")")
        let card = try p.model(id: "tiny3")
        let weights = try p.servedWeights(for: card)

        let direct = try TextModel(path: path, contextWindow: TinyLlama.context)
        let t = direct.tokenizer
        #expect(t.preTokenizer == .llamaBPE && t.addsBOS)
        let text = "Numbers 12345 and I'M here"
        #expect(try p.textEngine.promptTokens(.continuation(text), weights: weights) == [t.bosID] + t.encode(text))
        // Served on demand: the greedy answer is the source file's own.
        let overrides = InferenceOverrides(maxTokens: 8, temperature: 0)
        let answer = try p.invoke(modelID: card.id, body: try p.nativeBody(modelID: card.id, prompt: "Hello there", overrides: overrides),
                                  options: InvocationOptions(seed: 1))
        let promptIDs = try p.textEngine.promptTokens(.conversation(system: nil, turns: [ChatTurn(.user, "Hello there")]), weights: weights)
        let expected = try direct.generate(promptTokens: promptIDs, parameters: SamplingParameters(temperature: 0, maxTokens: 8, seed: 0))
        #expect(answer.responses[0].text == expected.text)

        // The factors reach the attention: scores follow base 500 000's frequencies.
        let ids = t.encode(String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 6))
        func scores(_ model: TextModel) throws -> [Float] { try model.logProbs(tokens: ids).map(\.logProb) }
        let withFactors = try scores(direct)
        let sameFrequencies = try scores(TextModel(path: TinyLlama.write(ropeBase: 500_000), contextWindow: TinyLlama.context))
        let withoutFactors = try scores(TextModel(path: TinyLlama.shared.get(), contextWindow: TinyLlama.context))
        #expect(largestGap(withFactors, sameFrequencies) < 1e-4, "\(largestGap(withFactors, sameFrequencies))")
        #expect(largestGap(withFactors, withoutFactors) > 1e-2, "\(largestGap(withFactors, withoutFactors))")
    }

    /// Q5_0, Q5_1, Q4_K, Q5_K and Q6_K matrices import, and the engine serves their Q8_0
    /// re-encoding: the same bits as a file holding that encoding of the dequantized values, and
    /// close to those values in F32.
    @Test func convertedTypesImportAndAreServedAsTheirQ8_0Encoding() throws {
        let path = try ConvertedLlama.write(matricesAs: nil)
        let p = try Platform.ephemeral()
        let row = try importAndWait(p, path, "kq")
        #expect(row.status == .completed, "\(row.failureMessage ?? "")")
        let card = try p.model(id: "kq")
        #expect(card.custom?.imported?.quantization == ["F32 ×3", "Q4_K ×2", "Q6_K ×2", "Q5_0 ×1", "Q5_1 ×1", "Q5_K ×1", "Q8_0 ×1"])
        #expect(card.engine.label.hasSuffix("; its Q4_K ×2, Q6_K ×2, Q5_0 ×1, Q5_1 ×1, Q5_K ×1 tensors run as Q8_0, converted at load"))
        let overrides = InferenceOverrides(maxTokens: 6, temperature: 0)
        let answer = try p.invoke(modelID: card.id, body: try p.nativeBody(modelID: card.id, prompt: "Hello", overrides: overrides),
                                  options: InvocationOptions(seed: 1))
        #expect(answer.outputTokens > 0)

        let served = try TextModel(path: path, contextWindow: ConvertedLlama.context)
        let ids = served.tokenizer.encode(String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 4))
        func scores(_ model: TextModel) throws -> [Float] { try model.logProbs(tokens: ids).map(\.logProb) }
        let kScores = try scores(served)
        let q8Scores = try scores(TextModel(path: ConvertedLlama.write(matricesAs: .q8_0), contextWindow: ConvertedLlama.context))
        let f32Scores = try scores(TextModel(path: ConvertedLlama.write(matricesAs: .f32), contextWindow: ConvertedLlama.context))
        #expect(kScores.map(\.bitPattern) == q8Scores.map(\.bitPattern))
        #expect(largestGap(kScores, f32Scores) < 0.05, // measured 0.016
                "\(largestGap(kScores, f32Scores))")
    }

    @Test func aModelWithoutAKnownTemplateIsServedAsPlainTextAndSaysSo() throws {
        let path = try TinyLlama.write(withTemplate: false)
        let p = try Platform.ephemeral()
        #expect(try importAndWait(p, path, "plain").status == .completed)
        let card = try p.model(id: "plain")
        #expect(card.custom?.imported?.chatFormat == ChatFormat.plain.label && card.engine.label.hasSuffix(ChatFormat.plain.label))
        let body = try JSONValue.parse(#"""
            {"system": [{"text": "Be brief."}], "messages": [{"role": "user", "content": [{"text": "Hello"}]}],
             "inferenceConfig": {"maxTokens": 3, "temperature": 0}}
            """#)
        let r = try p.converse(modelID: card.id, body: body, options: InvocationOptions(seed: 1))
        let direct = try TextModel(path: path, contextWindow: TinyLlama.context)
        #expect(r.inputTokens == direct.encode("System: Be brief.\nUser: Hello\nAssistant:").count && r.outputTokens > 0)
    }

    @Test(arguments: ["not-gguf", "truncated", "qwen2", "iq4_xs", "q4_k-rows", "missing", "rope-factors", "pre-tokenizer"])
    func aBadFileFailsItsJobWithTheReasonAndLeavesNothing(_ kind: String) throws {
        let tiny = try TinyLlama.shared.get()
        let path: String, expected: String
        switch kind {
        case "not-gguf":
            path = try importScratchFile("notes.gguf", Array("hello world\n".utf8))
            expected = "\(path) is not a GGUF model file: it starts with the bytes 68 65 6c 6c, not 'GGUF'"
        case "truncated":
            let full = try GGUFFile(path: tiny)
            let size = full.dataOffset + full.tensors[3].offset + 100
            path = try importScratchFile("cut.gguf", Array(try Data(contentsOf: URL(fileURLWithPath: tiny)).prefix(size)))
            let t = full.tensors[3]
            let end = full.dataOffset + t.offset + t.type!.byteCount(t.elementCount)
            expected = "\(path) is truncated or corrupt: tensor '\(t.name)' ends at byte \(end) but the file has \(size) bytes"
        case "qwen2":
            // The architecture is checked first, so the tensors need not be there.
            path = try TinyLlama.write(architecture: "qwen2", omitting: Set(TinyLlama.tensors(vocab: 49152).map(\.name)))
            expected = "\(path): architecture 'qwen2' is not supported; this engine runs 'llama' (general.architecture = llama)"
        case "iq4_xs":
            path = try importScratchFile("iq4xs.gguf", try patchType(of: "blk.0.attn_k.weight", in: tiny, to: 23))
            expected = "\(path): 1 tensor has a type this engine does not run: blk.0.attn_k.weight (IQ4_XS); supported: F32, F16, Q4_0, "
                + "Q4_1, Q8_0, and for weight matrices, converted to Q8_0 at load: Q5_0, Q5_1, Q4_K, Q5_K, Q6_K"
                + " (pick the model's Q8_0 or F16 file, or convert this one with llama.cpp's llama-quantize --allow-requantize … Q8_0)"
        case "q4_k-rows":
            // The tiny model's rows are 64 values: too short for a K-quant's 256-value super-blocks.
            path = try importScratchFile("q4k.gguf", try patchType(of: "blk.0.attn_k.weight", in: tiny, to: 12))
            expected = "\(path): rows that do not fill their type's blocks (32 values; 256 for K-quants): blk.0.attn_k.weight (Q4_K, rows of 64)"
        case "rope-factors":
            path = try TinyLlama.write(ropeFactors: [1, 1, 1, 0, 1, 1, 1, 1])
            expected = "\(path): rope_freqs.weight value 3 is 0.0; RoPE frequency factors must be positive and finite"
        case "pre-tokenizer":
            path = try TinyLlama.write(metadata: [("tokenizer.ggml.pre", .string("qwen2"))])
            expected = "\(path): pre-tokenizer 'qwen2' is not supported; this engine splits text as smollm (GPT-2's pattern "
                + "with single digits) or llama-bpe (Llama 3's pattern) does"
        default:
            path = try TinyLlama.write(omitting: ["blk.1.ffn_down.weight", "output_norm.weight"])
            expected = "\(path): 2 required tensors are missing: blk.1.ffn_down.weight, output_norm.weight"
        }
        let p = try Platform.ephemeral()
        let row = try importAndWait(p, path, "bad-\(kind)")
        #expect(row.status == .failed && row.importedModelARN == nil && row.endedAt != nil)
        #expect(row.failureMessage == "the file was not imported: " + expected)
        #expect(try p.importedModelCards().isEmpty && (try p.ledger(.workspace).total) == 0)
        #expect(!FileManager.default.fileExists(atPath: p.importFolder(jobID: row.id).path))
        #expect(try p.jobSnapshot("bad-\(kind)-import").status == "Failed")
    }

    /// `tiny`'s bytes with `tensor`'s type id replaced (the tensor table entry ends with u32 type, u64 offset).
    func patchType(of tensor: String, in path: String, to type: UInt32) throws -> [UInt8] {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let name = Array(tensor.utf8)
        let at = try #require((0..<bytes.count - name.count).first { i in bytes[i..<i + name.count].elementsEqual(name) && bytes[i + name.count] == 2 })
        let typeAt = at + name.count + 4 + 2 * 8
        for k in 0..<4 { bytes[typeAt + k] = UInt8((type >> (8 * UInt32(k))) & 0xFF) }
        return bytes
    }

    @Test func badNamesAndMissingFilesAreRefusedBeforeAJobExists() throws {
        let p = try Platform.ephemeral()
        let tiny = try TinyLlama.shared.get()
        #expect(throws: BedrockError.validation("importedModelName must be 1–63 letters, digits, '-', '_' or '.', got \"bad name!\"")) {
            try p.createModelImportJob(path: tiny, name: "bad name!")
        }
        #expect(throws: BedrockError.validation("importedModelName must be 1–63 letters, digits, '-', '_' or '.', got \"\(String(repeating: "a", count: 64))\"")) {
            try p.createModelImportJob(path: tiny, name: String(repeating: "a", count: 64))
        }
        let folder = URL(fileURLWithPath: tiny).deletingLastPathComponent().path
        let typo = folder + "/" + URL(fileURLWithPath: tiny).lastPathComponent.replacingOccurrences(of: ".gguf", with: ".ggfu")
        #expect(throws: BedrockError.validation("cannot read \(typo): no such file; did you mean \(tiny)?")) {
            try p.createModelImportJob(path: typo, name: "typo")
        }
        #expect(try p.modelImportJobs().isEmpty)
        #expect(try importAndWait(p, tiny, "tiny").status == .completed)
        #expect(throws: BedrockError.conflict("an imported model named tiny already exists; choose another name or delete it first (delete_model \"tiny\")")) {
            try p.createModelImportJob(path: tiny, name: "tiny")
        }
        #expect(throws: BedrockError.conflict("a job named tiny-import already exists; pass another job name")) {
            try p.createModelImportJob(path: tiny, name: "tiny2", jobName: "tiny-import")
        }
        #expect(try p.importedModelCards().count == 1 && p.modelImportJobs().count == 1)
    }

    @Test func invocationsAreBilledInFiveMinuteCMUWindowsOnTheVirtualClock() throws {
        let p = try Platform.ephemeral()
        let tiny = try TinyLlama.shared.get()
        #expect(try importAndWait(p, tiny, "tiny").status == .completed)
        let card = try p.model(id: "tiny")
        let body = try p.nativeBody(modelID: card.id, prompt: "Hi", overrides: InferenceOverrides(maxTokens: 2, temperature: 0))
        let window = Decimal(string: "0.3925")!          // 1 CMU × 5 minutes × $0.0785
        let first = try p.invoke(modelID: card.id, body: body, options: InvocationOptions(seed: 1))
        let second = try p.invoke(modelID: card.id, body: body, options: InvocationOptions(seed: 1))
        #expect(first.cost == window && second.cost == 0)
        try p.advance(by: .minutes(4))
        #expect(try p.invoke(modelID: card.id, body: body, options: InvocationOptions(seed: 1)).cost == 0)
        try p.advance(by: .minutes(2))
        #expect(try p.invoke(modelID: card.id, body: body, options: InvocationOptions(seed: 1)).cost == window)
        let charges = try p.ledger(.workspace).entries.filter { $0.kind == .customModelUnits }
        #expect(charges.count == 2 && charges.allSatisfy { $0.amount == window && $0.quantities.minutes == 5 && $0.modelID == card.id })
        #expect(charges[0].note.hasPrefix("tiny: 1 CMU × 5 min × $0.0785 [~], window "))
        let logged = try p.workspace.read { try $0.invocations(modelID: card.id) }
        #expect(logged.count == 4 && logged.filter { $0.ledgerID != nil }.count == 2)
        // A budget below the next window refuses the call before anything runs.
        try p.advance(by: .minutes(10))
        try p.setBudget(Decimal(string: "1.00")!)
        let refused = #expect(throws: BillingError.self) { try p.invoke(modelID: card.id, body: body, options: InvocationOptions(seed: 1)) }
        #expect(refused?.description.contains("would cost about $0.39") == true, "\(String(describing: refused))")
        #expect(try p.workspace.read { try $0.invocations(modelID: card.id) }.count == 4)
        try p.setBudget(nil)
        // Storage: $1.95 per CMU for each whole month.
        try p.advance(by: .days(31))
        let storage = try p.ledger(.workspace).entries.filter { $0.kind == .storage && $0.modelID == card.id }
        #expect(storage.count == 1 && storage[0].amount == Decimal(string: "1.95")!)
    }

    @Test func deletingAnImportedModelRemovesItsRowAndFile() throws {
        let p = try Platform.ephemeral()
        let tiny = try TinyLlama.shared.get()
        let row = try importAndWait(p, tiny, "tiny")
        let folder = p.importFolder(jobID: row.id)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("model.gguf").path))
        #expect(try p.deleteImportedModel("tiny") == row.importedModelARN)
        #expect(try p.importedModelCards().isEmpty && !FileManager.default.fileExists(atPath: folder.path))
        #expect(throws: BedrockError.resourceNotFound("no imported model tiny (none imported yet)")) { try p.deleteImportedModel("tiny") }
        #expect(throws: BedrockError.validation("amazon.titan-text-lite-v1 is a catalog model; only imported models can be deleted")) {
            try p.deleteImportedModel("amazon.titan-text-lite-v1")
        }
    }

    @Test func importJobsLeftInProgressByADeadProcessBecomeFailed() throws {
        let p = try Platform.ephemeral()
        try p.workspace.write { tx in
            try tx.insertModelImportJob(ModelImportJob(id: "dead0000", name: "orphan", modelName: "o", sourcePath: "/x.gguf",
                                                       processID: 999_999_999, createdAt: try tx.now()))
        }
        try FileManager.default.createDirectory(at: p.importFolder(jobID: "dead0000"), withIntermediateDirectories: true)
        #expect(try p.recoverInterruptedImportJobs() == ["dead0000"])
        let row = try p.modelImportJob("orphan")
        #expect(row.status == .failed && row.failureMessage?.contains("the process running the import ended") == true)
        #expect(!FileManager.default.fileExists(atPath: p.importFolder(jobID: "dead0000").path))
    }
}
