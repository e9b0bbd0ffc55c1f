// ROUGE-N, ROUGE-L and ROUGE-Lsum exactly as Google's rouge-score 0.1.2 computes them:
// tokenize → n-gram / LCS statistics → precision, recall, F. Multiple references follow
// `RougeScorer.score_multi`: per ROUGE type, the reference with the highest F (first on ties).
// Lsum splits both texts on "\n" and uses the summary-level union LCS with rouge-score's
// backtracking and double-count guard. Not nltk sentence splitting (`split_summaries=True`).

/// One ROUGE variant.
public enum RougeType: Sendable, Hashable, CustomStringConvertible {
    /// ROUGE-N over n-grams, n in 1…9 (rouge-score's `rouge1` … `rouge9`).
    case n(Int)
    /// Longest common subsequence over the whole text.
    case l
    /// Summary-level LCS over newline-separated sentences.
    case lsum

    public static let standard: [RougeType] = [.n(1), .n(2), .l, .lsum]

    /// rouge-score's name: `rouge1`, `rouge2`, `rougeL`, `rougeLsum`.
    public var description: String {
        switch self {
        case .n(let n): "rouge\(n)"
        case .l: "rougeL"
        case .lsum: "rougeLsum"
        }
    }

    /// Parses rouge-score's names.
    public init?(name: String) {
        switch name {
        case "rougeL": self = .l
        case "rougeLsum": self = .lsum
        default:
            guard name.hasPrefix("rouge"), name.count == 6, let n = Int(name.dropFirst(5)), n >= 1 else { return nil }
            self = .n(n)
        }
    }

    static let validNames = (1...9).map { "rouge\($0)" } + ["rougeL", "rougeLsum"]
}

/// How ROUGE is computed.
public struct RougeOptions: Sendable, Equatable {
    /// Which variants to compute, in output order.
    public var types: [RougeType]
    /// Porter-stem tokens longer than 3 characters (rouge-score's `use_stemmer`).
    public var stemming: Bool

    public init(types: [RougeType] = RougeType.standard, stemming: Bool = false) {
        self.types = types
        self.stemming = stemming
    }

    /// What a reader needs to reproduce the number.
    public var signature: String {
        "rouge-score:0.1.2|tok:default|stem:\(stemming ? "porter-nltk" : "no")|lsum-split:newline"
    }
}

/// Scores of every requested ROUGE type for one candidate (or the mean over a corpus).
public struct RougeScore: Sendable, Equatable, CustomStringConvertible {
    public let options: RougeOptions
    /// One entry per requested type, in `options.types` order.
    public let scores: [PrecisionRecallF]
    /// Number of pairs averaged (1 for a single candidate).
    public let pairs: Int

    public subscript(type: RougeType) -> PrecisionRecallF? {
        options.types.firstIndex(of: type).map { scores[$0] }
    }

    public var description: String {
        var lines = ["ROUGE (\(pairs) pair\(pairs == 1 ? "" : "s"), \(options.signature))"]
        for (t, s) in zip(options.types, scores) { lines.append("  \(t): \(s)") }
        return lines.joined(separator: "\n")
    }
}

/// The ROUGE family.
public enum Rouge {
    /// Scores `candidate` against one reference.
    public static func score(candidate: String, reference: String, options: RougeOptions = .init()) -> RougeScore {
        score(candidate: candidate, references: [reference], options: options)
    }

    /// Scores `candidate` against several references: per type, the reference with the best F.
    /// No references scores 0 (rouge-score would fail on `argmax` of nothing).
    public static func score(candidate: String, references: [String], options: RougeOptions = .init()) -> RougeScore {
        var tokenizer = RougeTokenizer(stemming: options.stemming)
        var best = Array(repeating: PrecisionRecallF.zero, count: options.types.count)
        for (k, reference) in references.enumerated() {
            let s = single(candidate, reference, options, &tokenizer)
            for i in best.indices where k == 0 || s[i].f > best[i].f { best[i] = s[i] }
        }
        return RougeScore(options: options, scores: best, pairs: 1)
    }

    /// Mean precision, recall and F over pairs (what rouge-score's aggregator reports as `mid`
    /// without bootstrap resampling). Each pair may carry several references.
    public static func corpus(candidates: [String], references: [[String]], options: RougeOptions = .init()) throws(MetricError) -> RougeScore {
        guard candidates.count == references.count else {
            throw .countMismatch(what: "references", expected: candidates.count, got: references.count)
        }
        var sum = Array(repeating: PrecisionRecallF.zero, count: options.types.count)
        for (c, refs) in zip(candidates, references) {
            let s = score(candidate: c, references: refs, options: options)
            for i in sum.indices {
                sum[i].precision += s.scores[i].precision
                sum[i].recall += s.scores[i].recall
                sum[i].f += s.scores[i].f
            }
        }
        let n = Double(max(candidates.count, 1))
        let mean = sum.map { PrecisionRecallF(precision: $0.precision / n, recall: $0.recall / n, f: $0.f / n) }
        return RougeScore(options: options, scores: mean, pairs: candidates.count)
    }

    /// The tokens rouge-score would produce, for display and checks.
    public static func tokens(_ text: String, stemming: Bool = false) -> [String] {
        var tokenizer = RougeTokenizer(stemming: stemming)
        return tokenizer.tokenStrings(text)
    }

    // MARK: one pair

    static func single(_ candidate: String, _ reference: String, _ options: RougeOptions,
                       _ tokenizer: inout RougeTokenizer) -> [PrecisionRecallF] {
        var interner = TokenInterner(expected: (candidate.utf8.count + reference.utf8.count) / 4)
        let ref = tokenizer.tokens(reference, &interner)
        let cand = tokenizer.tokens(candidate, &interner)
        var maxN = 0
        for case .n(let n) in options.types { maxN = max(maxN, n) }
        var index = NgramIndex(maxOrder: maxN, expected: ref.ids.count + cand.ids.count)
        let refNgrams = index.ngrams(ref.ids)
        let candNgrams = index.ngrams(cand.ids)
        var l: PrecisionRecallF? = nil
        var out: [PrecisionRecallF] = []
        out.reserveCapacity(options.types.count)
        for type in options.types {
            switch type {
            case .n(let n):
                out.append(ngramScore(refNgrams[n - 1], candNgrams[n - 1], idCount: index.count))
            case .l:
                l = l ?? lcsScore(ref.ids, cand.ids)
                out.append(l!)
            case .lsum:
                // A newline always ends a token, so tokenizing each line (as rouge-score does)
                // gives the whole text's tokens grouped by line; empty lines add nothing.
                if isSingleLine(ref.lines) && isSingleLine(cand.lines) {
                    // One sentence each: the union LCS is the LCS, and every LCS token passes the
                    // double-count guard, so Lsum equals L.
                    l = l ?? lcsScore(ref.ids, cand.ids)
                    out.append(l!)
                } else {
                    out.append(SummaryLCS.score(reference: byLine(ref.ids, ref.lines), candidate: byLine(cand.ids, cand.lines),
                                                vocabulary: interner.count))
                }
            }
        }
        return out
    }

    static func isSingleLine(_ lines: [Int32]) -> Bool {
        lines.isEmpty || lines.first == lines.last
    }

    /// Tokens grouped by line, dropping lines without tokens.
    static func byLine(_ ids: [Int32], _ lines: [Int32]) -> [[Int32]] {
        var out: [[Int32]] = []
        var last: Int32 = -1
        for (id, line) in zip(ids, lines) {
            if line != last { out.append([]); last = line }
            out[out.count - 1].append(id)
        }
        return out
    }

    /// Clipped n-gram overlap: Σ min(count in reference, count in candidate).
    static func ngramScore(_ ref: [Int32], _ cand: [Int32], idCount: Int) -> PrecisionRecallF {
        var counts = [Int32](repeating: 0, count: idCount)
        for id in cand { counts[Int(id)] += 1 }
        var overlap = 0
        for id in ref where counts[Int(id)] > 0 {
            overlap += 1
            counts[Int(id)] -= 1
        }
        let p = Double(overlap) / Double(max(cand.count, 1))
        let r = Double(overlap) / Double(max(ref.count, 1))
        return PrecisionRecallF(precision: p, recall: r)
    }

    static func lcsScore(_ ref: [Int32], _ cand: [Int32]) -> PrecisionRecallF {
        if ref.isEmpty || cand.isEmpty { return .zero }
        let lcs = lcsLength(ref, cand)
        return PrecisionRecallF(precision: Double(lcs) / Double(cand.count), recall: Double(lcs) / Double(ref.count))
    }

    /// Length of the longest common subsequence, one DP row at a time.
    static func lcsLength(_ a: [Int32], _ b: [Int32]) -> Int {
        var row = [Int32](repeating: 0, count: b.count + 1)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                row.withUnsafeMutableBufferPointer { row in
                    for i in 0..<a.count {
                        var diag: Int32 = 0   // row[j-1] of the previous i
                        let ai = a[i]
                        for j in 0..<b.count {
                            let up = row[j + 1]
                            row[j + 1] = ai == b[j] ? diag + 1 : max(up, row[j])
                            diag = up
                        }
                    }
                }
            }
        }
        return Int(row[b.count])
    }
}
