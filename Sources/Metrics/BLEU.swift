// BLEU exactly as sacrebleu 2.6.0 computes it: tokenize (13a or none) → sufficient statistics
// (hypothesis length, closest reference length, clipped matches and totals per n-gram order) →
// score from the statistics (brevity penalty, smoothing, effective order) → signature.
// Corpus BLEU sums the statistics first, so it is not the mean of sentence BLEUs. Scores are on
// sacrebleu's 0–100 scale. Not the deprecated `sacrebleu.compat` quirks of older versions.

/// sacrebleu's smoothing methods (Chen & Cherry 2014).
public enum BLEUSmoothing: Sendable, Equatable {
    /// No smoothing: a zero precision gives BLEU 0.
    case none
    /// Zero-match orders get precision `value / total` (default 0.1).
    case floor(Double)
    /// Orders above 1 add `value` to matches and totals (default 1).
    case addK(Double)
    /// NIST geometric smoothing of zero-match orders (mteval-v13a), sacrebleu's default.
    case exp

    public static let floorDefault = BLEUSmoothing.floor(0.1)
    public static let addKDefault = BLEUSmoothing.addK(1)

    /// sacrebleu's signature form: `exp`, `none`, `floor[0.10]`, `add-k[1.00]`.
    public var signature: String {
        switch self {
        case .none: "none"
        case .exp: "exp"
        case .floor(let v): "floor[\(fixed(v, 2))]"
        case .addK(let v): "add-k[\(fixed(v, 2))]"
        }
    }

    static let names = ["exp", "floor", "add-k", "none"]
}

/// How BLEU is computed.
public struct BLEUOptions: Sendable, Equatable {
    public var tokenizer: BLEUTokenizer
    public var lowercase: Bool
    public var smoothing: BLEUSmoothing
    /// Average only over orders the hypothesis has n-grams of (sacrebleu `effective_order`).
    public var effectiveOrder: Bool
    public var maxNgramOrder: Int

    public init(tokenizer: BLEUTokenizer = .thirteenA, lowercase: Bool = false, smoothing: BLEUSmoothing = .exp,
                effectiveOrder: Bool = false, maxNgramOrder: Int = 4) {
        self.tokenizer = tokenizer
        self.lowercase = lowercase
        self.smoothing = smoothing
        self.effectiveOrder = effectiveOrder
        self.maxNgramOrder = maxNgramOrder
    }

    /// `sacrebleu.corpus_bleu`'s defaults.
    public static let corpus = BLEUOptions()
    /// `sacrebleu.sentence_bleu`'s defaults: as corpus, with effective order.
    public static let sentence = BLEUOptions(effectiveOrder: true)

    /// sacrebleu's signature, e.g. `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0`.
    public func signature(nrefs: String) -> String {
        "nrefs:\(nrefs)|case:\(lowercase ? "lc" : "mixed")|eff:\(effectiveOrder ? "yes" : "no")"
            + "|tok:\(tokenizer.rawValue)|smooth:\(smoothing.signature)|version:2.6.0"
    }
}

/// BLEU's sufficient statistics; add them to aggregate a corpus.
public struct BLEUStatistics: Sendable, Equatable {
    public var hypothesisLength: Int
    public var referenceLength: Int
    /// Clipped n-gram matches per order 1…N.
    public var matches: [Int]
    /// Hypothesis n-grams per order 1…N.
    public var totals: [Int]

    public init(order: Int) {
        hypothesisLength = 0
        referenceLength = 0
        matches = Array(repeating: 0, count: order)
        totals = Array(repeating: 0, count: order)
    }

    public static func + (a: BLEUStatistics, b: BLEUStatistics) -> BLEUStatistics {
        var s = a
        s.hypothesisLength += b.hypothesisLength
        s.referenceLength += b.referenceLength
        for i in s.matches.indices {
            s.matches[i] += b.matches[i]
            s.totals[i] += b.totals[i]
        }
        return s
    }
}

/// A BLEU score with everything that made it.
public struct BLEUScore: Sendable, Equatable, CustomStringConvertible {
    /// BLEU on sacrebleu's 0–100 scale.
    public let score: Double
    /// n-gram precisions (0–100) after smoothing.
    public let precisions: [Double]
    public let brevityPenalty: Double
    public let statistics: BLEUStatistics
    public let options: BLEUOptions
    /// Reference count for the signature: a number, or `var` when segments differ.
    public let nrefs: String

    public var signature: String { options.signature(nrefs: nrefs) }

    /// Hypothesis length over reference length (0 when the reference is empty).
    public var ratio: Double {
        statistics.referenceLength > 0 ? Double(statistics.hypothesisLength) / Double(statistics.referenceLength) : 0
    }

    /// sacrebleu's format: `BLEU = 22.38 55.6/25.0/14.3/8.3 (BP = 1.000 ratio = 1.000 hyp_len = 9 ref_len = 9)`.
    public var description: String {
        let prec = precisions.map { fixed($0, 1) }.joined(separator: "/")
        return "BLEU = \(fixed(score, 2)) \(prec) (BP = \(fixed(brevityPenalty, 3)) ratio = \(fixed(ratio, 3)) "
            + "hyp_len = \(statistics.hypothesisLength) ref_len = \(statistics.referenceLength)) [\(signature)]"
    }
}

/// sacrebleu's BLEU.
public enum BLEU {
    /// Sentence BLEU of one hypothesis against its references (`sacrebleu.sentence_bleu`).
    public static func sentence(hypothesis: String, references: [String], options: BLEUOptions = .sentence) -> BLEUScore {
        score(statistics(hypothesis: hypothesis, references: references, options: options),
              options: options, nrefs: String(references.count))
    }

    /// Corpus BLEU from summed statistics (`sacrebleu.corpus_bleu`); `references[i]` are the
    /// references of `hypotheses[i]`. Differing reference counts sign as `nrefs:var`.
    public static func corpus(hypotheses: [String], references: [[String]], options: BLEUOptions = .corpus) throws(MetricError) -> BLEUScore {
        guard hypotheses.count == references.count else {
            throw .countMismatch(what: "reference lists", expected: hypotheses.count, got: references.count)
        }
        var total = BLEUStatistics(order: options.maxNgramOrder)
        for (h, refs) in zip(hypotheses, references) {
            total = total + statistics(hypothesis: h, references: refs, options: options)
        }
        let counts = Set(references.map(\.count))
        let nrefs = counts.count == 1 ? String(counts.first!) : counts.isEmpty ? "0" : "var"
        return score(total, options: options, nrefs: nrefs)
    }

    /// The sufficient statistics of one segment.
    public static func statistics(hypothesis: String, references: [String], options: BLEUOptions) -> BLEUStatistics {
        if options.tokenizer == .thirteenA && !options.lowercase,
           let stats = byteStatistics(hypothesis: hypothesis, references: references, order: options.maxNgramOrder) {
            return stats   // the fast path (BLEUBytes.swift) for the common case
        }
        return generalStatistics(hypothesis: hypothesis, references: references, options: options)
    }

    /// The statistics for any options, through code points and interned n-gram ids.
    static func generalStatistics(hypothesis: String, references: [String], options: BLEUOptions) -> BLEUStatistics {
        var interner = TokenInterner(expected: 64)
        let refIDs = references.map { tokenIDs($0, options, &interner) }
        let hypIDs = tokenIDs(hypothesis, options, &interner)
        var stats = BLEUStatistics(order: options.maxNgramOrder)
        stats.hypothesisLength = hypIDs.count
        stats.referenceLength = closestLength(hypIDs.count, refIDs.map(\.count))
        for n in 0..<options.maxNgramOrder { stats.totals[n] = max(0, hypIDs.count - n) }
        stats.matches = clippedMatches(hypIDs, refIDs, order: options.maxNgramOrder)
        return stats
    }

    /// Clipped matches per order through n-gram ids: Σ min(hypothesis count, max reference count).
    static func clippedMatches(_ hypIDs: [Int32], _ refIDs: [[Int32]], order: Int) -> [Int] {
        var index = NgramIndex(maxOrder: order, expected: 32)
        // Max count of each n-gram over the references (all orders share one id space).
        var refMax: [Int32] = [], counts: [Int32] = []
        for ids in refIDs {
            let grams = index.flatNgrams(ids)
            if refMax.count < index.count {
                refMax.append(contentsOf: repeatElement(0, count: index.count - refMax.count))
                counts.append(contentsOf: repeatElement(0, count: index.count - counts.count))
            }
            counts.withUnsafeMutableBufferPointer { counts in
                refMax.withUnsafeMutableBufferPointer { refMax in
                    for id in grams { counts[Int(id)] += 1 }
                    for id in grams where counts[Int(id)] > 0 {
                        refMax[Int(id)] = max(refMax[Int(id)], counts[Int(id)])
                        counts[Int(id)] = 0
                    }
                }
            }
        }
        let hypGrams = index.flatNgrams(hypIDs, insert: false)   // −1: in no reference
        var matches = [Int](repeating: 0, count: order)
        for n in 0..<order {
            let from = NgramIndex.start(order: n + 1, length: hypIDs.count)
            let to = NgramIndex.start(order: n + 2, length: hypIDs.count)
            counts.withUnsafeMutableBufferPointer { counts in
                for k in from..<to {
                    let id = hypGrams[k]
                    if id >= 0 && counts[Int(id)] < refMax[Int(id)] {   // counts is all zero here
                        counts[Int(id)] += 1
                        matches[n] += 1
                    }
                }
            }
        }
        return matches
    }

    /// The score from (possibly summed) statistics: sacrebleu's `compute_bleu`.
    public static func score(_ stats: BLEUStatistics, options: BLEUOptions, nrefs: String = "1") -> BLEUScore {
        let order = options.maxNgramOrder
        let sys = stats.hypothesisLength, ref = stats.referenceLength
        var bp = 1.0
        if sys < ref { bp = sys > 0 ? cExp(1 - Double(ref) / Double(sys)) : 0 }
        var precisions = [Double](repeating: 0, count: order)
        func result(_ s: Double) -> BLEUScore {
            BLEUScore(score: s, precisions: precisions, brevityPenalty: bp, statistics: stats, options: options, nrefs: nrefs)
        }
        if !stats.matches.contains(where: { $0 != 0 }) { return result(0) }
        var smoothMteval = 1.0
        var effOrder = order
        for n in 1...order {
            var correct = Double(stats.matches[n - 1]), total = Double(stats.totals[n - 1])
            if case .addK(let k) = options.smoothing, n > 1 { correct += k; total += k }
            if total == 0 { break }
            if options.effectiveOrder { effOrder = n }
            if correct == 0 {
                switch options.smoothing {
                case .exp:
                    smoothMteval *= 2
                    precisions[n - 1] = 100 / (smoothMteval * total)
                case .floor(let v):
                    precisions[n - 1] = 100 * v / total
                default: break
                }
            } else {
                precisions[n - 1] = 100 * correct / total
            }
        }
        var logSum = 0.0
        for p in precisions[0..<effOrder] { logSum += p == 0 ? -9_999_999_999 : cLog(p) }
        return result(bp * cExp(logSum / Double(effOrder)))
    }

    // MARK: helpers

    static func tokenIDs(_ text: String, _ options: BLEUOptions, _ interner: inout TokenInterner) -> [Int32] {
        if options.tokenizer == .thirteenA && !options.lowercase, let ids = asciiTokenIDs(text, &interner) {
            return ids
        }
        if options.tokenizer == .thirteenA {
            // The fused 13a stream (same tokens as the four passes, no intermediate strings).
            var cps = PythonText.codePoints(text)
            if options.lowercase { cps = PythonText.lower(cps) }
            cps.removeSubrange(PythonText.rstripCount(cps)...)
            cps = Tokenizer13a.preReplace(cps)
            var ids: [Int32] = []
            ids.reserveCapacity(cps.count / 3)
            cps.withUnsafeBufferPointer { buf in Tokenizer13aStream.run(buf) { ids.append(interner.id($0)) } }
            return ids
        }
        let (cps, ranges) = options.tokenizer.tokenize(text, lowercase: options.lowercase)
        return ranges.map { interner.id(cps[$0]) }
    }

    /// 13a token ids straight from the UTF-8 bytes, for ASCII text without `<`, newline or `&`
    /// (no pre-replacement can apply); nil otherwise.
    static func asciiTokenIDs(_ text: String, _ interner: inout TokenInterner) -> [Int32]? {
        text.utf8.withContiguousStorageIfAvailable { bytes -> [Int32]? in
            // Sixteen bytes at a time: any non-ASCII byte, '<', '\n' or '&' sends the text the slow way.
            var i = 0
            var hit = SIMDMask<SIMD16<UInt8>.MaskStorage>(repeating: false)
            while i + 16 <= bytes.count {
                let v = UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: SIMD16<UInt8>.self)
                hit .|= (v .>= SIMD16(repeating: 0x80)) .| (v .== SIMD16(repeating: 0x3C))
                    .| (v .== SIMD16(repeating: 0x0A)) .| (v .== SIMD16(repeating: 0x26))
                i += 16
            }
            if any(hit) { return nil }
            while i < bytes.count {
                let b = bytes[i]
                if b >= 0x80 || b == 0x3C || b == 0x0A || b == 0x26 { return nil }
                i += 1
            }
            var end = bytes.count
            while end > 0 && PythonText.isSpace(UInt32(bytes[end - 1])) { end -= 1 }
            var ids: [Int32] = []
            ids.reserveCapacity(end / 3)
            Tokenizer13aStream.runASCII(bytes, count: end) { ids.append(interner.id($0)) }
            return ids
        } ?? nil
    }

    /// sacrebleu's `_get_closest_ref_len`: nearest length, the shorter one on ties.
    static func closestLength(_ hyp: Int, _ refs: [Int]) -> Int {
        var bestDiff = -1, best = -1
        for r in refs {
            let d = abs(hyp - r)
            if bestDiff == -1 || d < bestDiff { bestDiff = d; best = r } else if d == bestDiff && r < best { best = r }
        }
        return refs.isEmpty ? 0 : best
    }
}
