// BERTScore's scoring step (bert-score 0.3.13 `greedy_cos_idf`) as a pure function over token
// embedding matrices supplied by the caller (the MiniLM encoder lives in EmbeddingEngine).
// Rows are L2-normalised; each candidate token takes its best cosine over all reference rows and
// vice versa. [CLS]/[SEP] rows stay in the matrices, as in bert-score, so they can be a token's
// best match, but weigh 0; idf weights are optional. Not the encoder, not the baseline files.

/// The contextual embeddings of one tokenized text, [CLS] and [SEP] included.
public struct TokenEmbeddings: Sendable, Equatable {
    /// Rows (tokens).
    public let count: Int
    public let dimension: Int
    /// Row-major: `values[i * dimension + k]`. (count, dimension)
    public let values: [Float]
    /// Special tokens ([CLS], [SEP]): matched against, weighted 0.
    public let isSpecial: [Bool]
    /// Importance of each row: idf or 1, and 0 for special rows.
    public let weights: [Double]

    /// Embeddings with explicit special-token flags and optional per-row weights (default 1).
    public init(values: [Float], dimension: Int, isSpecial: [Bool], weights: [Double]? = nil) throws(MetricError) {
        guard dimension > 0, values.count % dimension == 0 else {
            throw .shapeMismatch(what: "token embeddings", expected: "a multiple of dimension \(dimension) values", got: "\(values.count)")
        }
        let rows = values.count / dimension
        guard isSpecial.count == rows else {
            throw .shapeMismatch(what: "special-token flags", expected: "\(rows) flags", got: "\(isSpecial.count)")
        }
        if let w = weights, w.count != rows {
            throw .shapeMismatch(what: "token weights", expected: "\(rows) weights", got: "\(w.count)")
        }
        count = rows
        self.dimension = dimension
        self.values = values
        self.isSpecial = isSpecial
        self.weights = (0..<rows).map { isSpecial[$0] ? 0 : weights?[$0] ?? 1 }
    }

    /// A BERT sequence: the first row is [CLS] and the last is [SEP].
    public static func bertSequence(values: [Float], dimension: Int, weights: [Double]? = nil) throws(MetricError) -> TokenEmbeddings {
        let rows = dimension > 0 ? values.count / dimension : 0
        guard rows >= 2 else {
            throw .shapeMismatch(what: "BERT sequence", expected: "at least 2 rows ([CLS], [SEP])", got: "\(rows)")
        }
        return try TokenEmbeddings(values: values, dimension: dimension,
                                   isSpecial: (0..<rows).map { $0 == 0 || $0 == rows - 1 }, weights: weights)
    }

    /// True when no row is a real token (bert-score warns and scores 0).
    public var isEmpty: Bool { !isSpecial.contains(false) }
}

/// Document frequencies over reference texts: bert-score's `get_idf_dict`.
public struct IDFTable: Sendable, Equatable {
    public let documents: Int
    public let weights: [Int: Double]
    public let specialIDs: Set<Int>

    /// idf(w) = log((M + 1) / (df(w) + 1)) over the M documents' token-id sets.
    public init(documents docs: [[Int]], specialIDs: Set<Int>) {
        var df: [Int: Int] = [:]
        for d in docs { for id in Set(d) { df[id, default: 0] += 1 } }
        documents = docs.count
        weights = df.mapValues { cLog(Double(docs.count + 1) / Double($0 + 1)) }
        self.specialIDs = specialIDs
    }

    /// Weight of a token id: 0 for special tokens, log(M + 1) for ids no document has.
    public func weight(_ id: Int) -> Double {
        specialIDs.contains(id) ? 0 : weights[id] ?? cLog(Double(documents + 1))
    }
}

/// Which encoder, layer and weighting made a BERTScore.
public struct BERTScoreSettings: Sendable, Equatable {
    public var model: String
    public var layer: Int
    public var idf: Bool
    /// Baseline (P, R, F) to rescale with; nil for raw scores.
    public var baseline: PrecisionRecallF?
    /// The baseline came from the caller rather than bert-score's published files.
    public var customBaseline: Bool

    public init(model: String = "all-MiniLM-L6-v2", layer: Int = 6, idf: Bool = false,
                baseline: PrecisionRecallF? = nil, customBaseline: Bool = true) {
        self.model = model
        self.layer = layer
        self.idf = idf
        self.baseline = baseline
        self.customBaseline = customBaseline
    }

    /// bert-score's hash, with `(local)` for the transformers version: `all-MiniLM-L6-v2_L6_no-idf_version=0.3.13(local)`.
    public var signature: String {
        var s = "\(model)_L\(layer)\(idf ? "_idf" : "_no-idf")_version=0.3.13(local)"
        if baseline != nil { s += customBaseline ? "-custom-rescaled" : "-rescaled" }
        return s
    }
}

/// A BERTScore with its settings.
public struct BERTScoreResult: Sendable, Equatable, CustomStringConvertible {
    public let scores: PrecisionRecallF
    public let settings: BERTScoreSettings
    public var signature: String { settings.signature }
    public var description: String { "BERTScore \(scores) [\(signature)]" }
}

public enum BERTScore {
    /// Scores a candidate against references: P, R and F are each the max over references
    /// (bert-score's `ref_group_boundaries`), then rescaled when a baseline is set.
    public static func score(candidate: TokenEmbeddings, references: [TokenEmbeddings],
                             settings: BERTScoreSettings = .init()) throws(MetricError) -> BERTScoreResult {
        guard !references.isEmpty else { throw .empty(what: "references") }
        var best: PrecisionRecallF? = nil
        for ref in references {
            guard ref.dimension == candidate.dimension else {
                throw .shapeMismatch(what: "reference embedding dimension", expected: "\(candidate.dimension)", got: "\(ref.dimension)")
            }
            let s = greedyMatch(candidate: candidate, reference: ref)
            best = best.map { PrecisionRecallF(precision: max($0.precision, s.precision), recall: max($0.recall, s.recall), f: max($0.f, s.f)) } ?? s
        }
        var s = best!
        if let b = settings.baseline {
            s = PrecisionRecallF(precision: (s.precision - b.precision) / (1 - b.precision),
                                 recall: (s.recall - b.recall) / (1 - b.recall), f: (s.f - b.f) / (1 - b.f))
        }
        return BERTScoreResult(scores: s, settings: settings)
    }

    /// Raw greedy-matching P, R, F of one pair (`greedy_cos_idf`). Cosines are Float dot
    /// products of unit rows, as in bert-score (float32 torch); weights and sums are Double.
    static func greedyMatch(candidate c: TokenEmbeddings, reference r: TokenEmbeddings) -> PrecisionRecallF {
        if c.isEmpty || r.isEmpty { return .zero }
        let a = normalizedRows(c), b = normalizedRows(r), d = c.dimension
        var bestForCand = [Double](repeating: -.infinity, count: c.count)
        var bestForRef = [Double](repeating: -.infinity, count: r.count)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for i in 0..<c.count {
                    for j in 0..<r.count {
                        let sim = Double(dot(a.baseAddress! + i * d, b.baseAddress! + j * d, d))
                        bestForCand[i] = max(bestForCand[i], sim)
                        bestForRef[j] = max(bestForRef[j], sim)
                    }
                }
            }
        }
        let p = weightedMean(bestForCand, c.weights), rc = weightedMean(bestForRef, r.weights)
        let f = 2 * p * rc / (p + rc)
        return PrecisionRecallF(precision: p, recall: rc, f: f.isNaN ? 0 : f)
    }

    /// Dot product in eight Float lanes. (dimension,) · (dimension,)
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>()
        var k = 0
        while k + 8 <= n {
            let u = UnsafeRawPointer(x + k).loadUnaligned(as: SIMD8<Float>.self)
            let v = UnsafeRawPointer(y + k).loadUnaligned(as: SIMD8<Float>.self)
            acc += u * v
            k += 8
        }
        var sum = acc.sum()
        while k < n { sum += x[k] * y[k]; k += 1 }
        return sum
    }

    /// Rows scaled to unit length (computed in Double, stored as Float). (count, dimension)
    static func normalizedRows(_ e: TokenEmbeddings) -> [Float] {
        var out = e.values
        let d = e.dimension
        for i in 0..<e.count {
            var sq = 0.0
            for k in 0..<d { sq += Double(out[i * d + k]) * Double(out[i * d + k]) }
            let inv = sq > 0 ? 1 / cSqrt(sq) : 0
            for k in 0..<d { out[i * d + k] = Float(Double(out[i * d + k]) * inv) }
        }
        return out
    }

    static func weightedMean(_ x: [Double], _ w: [Double]) -> Double {
        var num = 0.0, den = 0.0
        for i in x.indices { num += x[i] * w[i]; den += w[i] }
        return num / den
    }
}
