// The BERT encoder (all-MiniLM-L6-v2: 6 layers, hidden 384, 12 heads, FFN 1536, GELU erf,
// post-LayerNorm eps 1e-12, learned position + token-type embeddings) over a right-padded batch
// with an attention mask given as per-sequence lengths. It returns hidden states of one layer;
// pooling and tokenization live elsewhere. Weights: embeddings are zero-copy views of the mapped
// safetensors file, linear layers are repacked once for the SIMD kernel.

import Foundation

/// Hyperparameters read from config.json (field comments give the HF names).
public struct BertConfig: Sendable, Equatable {
    public var vocabSize: Int            // vocab_size
    public var hidden: Int               // hidden_size
    public var layers: Int               // num_hidden_layers
    public var heads: Int                // num_attention_heads
    public var intermediate: Int         // intermediate_size
    public var maxPositions: Int         // max_position_embeddings
    public var typeVocabSize: Int        // type_vocab_size
    public var layerNormEps: Float       // layer_norm_eps
    public var headDim: Int { hidden / heads }
}

/// One transformer block's weights.
struct EncoderLayer: Sendable {
    let qkv: PackedLinear                // (3·hidden × hidden): query, key, value fused
    let attentionOut: PackedLinear       // (hidden × hidden)
    let ln1Gamma: [Float], ln1Beta: [Float]
    let ffnIn: PackedLinear              // (intermediate × hidden)
    let ffnOut: PackedLinear             // (hidden × intermediate)
    let ln2Gamma: [Float], ln2Beta: [Float]
}

/// A right-padded batch: `ids` is batch × paddedLength; positions past `lengths[b]` are masked.
struct EncoderBatch: Sendable {
    let ids: [Int32]
    let lengths: [Int]
    let paddedLength: Int
    var count: Int { lengths.count }

    init(sequences: [[Int32]], padID: Int32) {
        let t = sequences.map(\.count).max() ?? 0
        var ids = [Int32](repeating: padID, count: sequences.count * t)
        for (b, s) in sequences.enumerated() { for (i, id) in s.enumerated() { ids[b * t + i] = id } }
        self.ids = ids
        self.lengths = sequences.map(\.count)
        self.paddedLength = t
    }
}

struct BertEncoder: @unchecked Sendable {   // embedding views point into a read-only mapping kept by `file`
    let config: BertConfig
    let file: SafeTensorsFile            // keeps the zero-copy embedding views mapped
    let wordEmbeddings: UnsafeBufferPointer<Float>      // (vocab × hidden)
    let positionEmbeddings: UnsafeBufferPointer<Float>  // (maxPositions × hidden)
    let tokenTypeEmbeddings: UnsafeBufferPointer<Float> // (typeVocab × hidden); type 0 is used
    let embLNGamma: [Float], embLNBeta: [Float]
    let layers: [EncoderLayer]

    /// Hidden states (batch·paddedLength × hidden) after `layer` blocks (0 = embeddings output).
    /// Rows past a sequence's length hold values that callers must ignore.
    /// `threads` > 1 splits each GEMM's rows and the attention heads across threads (for one big batch;
    /// many small batches are better spread whole). The numbers do not depend on it.
    func forward(_ batch: EncoderBatch, throughLayer layer: Int, threads: Int = 1) -> [Float] {
        let h = config.hidden
        let rows = batch.count * batch.paddedLength
        var x = [Float](repeating: 0, count: rows * h)
        x.withUnsafeMutableBufferPointer { xp in
            embed(batch, xp.baseAddress!)
            var scratch = Scratch(rows: rows, config: config)
            for l in 0..<min(layer, layers.count) {
                block(layers[l], batch, xp.baseAddress!, &scratch, threads: threads)
            }
        }
        return x
    }

    /// x = LayerNorm(word[id] + position[i] + tokenType[0]).
    private func embed(_ batch: EncoderBatch, _ x: UnsafeMutablePointer<Float>) {
        let h = config.hidden, t = batch.paddedLength
        for b in 0..<batch.count {
            for i in 0..<t {
                let row = x + (b * t + i) * h
                let w = wordEmbeddings.baseAddress! + Int(batch.ids[b * t + i]) * h
                let p = positionEmbeddings.baseAddress! + i * h
                let y = tokenTypeEmbeddings.baseAddress!
                for j in 0..<h { row[j] = w[j] + p[j] + y[j] }
            }
        }
        EncoderKernels.layerNorm(x, rows: batch.count * t, n: h, gamma: embLNGamma, beta: embLNBeta,
                                 eps: config.layerNormEps)
    }

    /// Work buffers for one forward pass, sized once per batch.
    struct Scratch {
        var qkv: [Float], context: [Float], projected: [Float], ffn: [Float]
        init(rows: Int, config c: BertConfig) {
            qkv = .init(repeating: 0, count: rows * 3 * c.hidden)
            context = .init(repeating: 0, count: rows * c.hidden)
            projected = .init(repeating: 0, count: rows * c.hidden)
            ffn = .init(repeating: 0, count: rows * c.intermediate)
        }
    }

    /// One post-LN block: x = LN(x + Attn(x)); x = LN(x + FFN(x)).
    private func block(_ L: EncoderLayer, _ batch: EncoderBatch, _ x: UnsafeMutablePointer<Float>,
                       _ s: inout Scratch, threads: Int) {
        let h = config.hidden, rows = batch.count * batch.paddedLength, eps = config.layerNormEps
        s.qkv.withUnsafeMutableBufferPointer { L.qkv.apply(x, rows: rows, $0.baseAddress!, threads: threads) }
        s.qkv.withUnsafeBufferPointer { qkv in
            s.context.withUnsafeMutableBufferPointer { ctx in
                attention(qkv.baseAddress!, batch, ctx.baseAddress!, threads: threads)
            }
        }
        s.context.withUnsafeBufferPointer { ctx in
            s.projected.withUnsafeMutableBufferPointer {
                L.attentionOut.apply(ctx.baseAddress!, rows: rows, $0.baseAddress!, threads: threads)
            }
        }
        s.projected.withUnsafeBufferPointer { addInPlace(x, $0.baseAddress!, rows * h) }
        EncoderKernels.layerNorm(x, rows: rows, n: h, gamma: L.ln1Gamma, beta: L.ln1Beta, eps: eps)
        s.ffn.withUnsafeMutableBufferPointer { f in
            L.ffnIn.apply(x, rows: rows, f.baseAddress!, threads: threads)
            EncoderKernels.geluErf(f.baseAddress!, count: rows * config.intermediate)
            s.projected.withUnsafeMutableBufferPointer {
                L.ffnOut.apply(f.baseAddress!, rows: rows, $0.baseAddress!, threads: threads)
            }
        }
        s.projected.withUnsafeBufferPointer { addInPlace(x, $0.baseAddress!, rows * h) }
        EncoderKernels.layerNorm(x, rows: rows, n: h, gamma: L.ln2Gamma, beta: L.ln2Beta, eps: eps)
    }

    /// Multi-head self-attention per sequence; padded keys are skipped (softmax over real keys only),
    /// padded query rows get zeros. Heads are split across `threads` (each writes its own columns).
    private func attention(_ qkv: UnsafePointer<Float>, _ batch: EncoderBatch, _ out: UnsafeMutablePointer<Float>,
                           threads: Int) {
        let h = config.hidden, t = batch.paddedLength
        for b in 0..<batch.count {
            for i in batch.lengths[b]..<t { (out + (b * t + i) * h).update(repeating: 0, count: h) }
        }
        let workers = max(1, min(threads, config.heads))
        let q = SendablePointer(qkv), o = SendablePointer(out)
        Parallel.forEach(workers, threads: workers) { w in
            self.attend(q.pointer, batch, o.pointer, heads: Array(stride(from: w, to: self.config.heads, by: workers)))
        }
    }

    /// Attention for the given heads. Keys are transposed per head so scores vectorise across keys.
    private func attend(_ qkv: UnsafePointer<Float>, _ batch: EncoderBatch, _ out: UnsafeMutablePointer<Float>,
                        heads: [Int]) {
        let h = config.hidden, d = config.headDim, t = batch.paddedLength, stride3 = 3 * h
        let scale = 1 / Float(d).squareRoot()
        var scoreBuffer = [Float](repeating: 0, count: t + 8)
        var keyBuffer = [Float](repeating: 0, count: d * (t + 8))   // d × keys, padded to 8
        scoreBuffer.withUnsafeMutableBufferPointer { sb in
            keyBuffer.withUnsafeMutableBufferPointer { kb in
                let scores = sb.baseAddress!, kT = kb.baseAddress!
                for b in 0..<batch.count {
                    let n = batch.lengths[b], base = b * t, kStride = (n + 7) / 8 * 8
                    for head in heads {
                        for j in 0..<n {
                            let k = qkv + (base + j) * stride3 + h + head * d
                            for c in 0..<d { kT[c * kStride + j] = k[c] }
                        }
                        let v = qkv + base * stride3 + 2 * h + head * d
                        for i in 0..<n {
                            let q = qkv + (base + i) * stride3 + head * d
                            EncoderKernels.attentionScores(q, kT, stride: kStride, d: d, n: n, scale: scale, scores)
                            EncoderKernels.softmaxInPlace(scores, count: n)
                            EncoderKernels.weightedSum(scores, v, vStride: stride3, d: d, n: n, out + (base + i) * h + head * d)
                        }
                    }
                }
            }
        }
    }

    private func addInPlace(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) {
        for i in 0..<n { x[i] += y[i] }
    }
}
