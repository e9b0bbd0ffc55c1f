// ROUGE-Lsum's summary-level LCS (Lin 2004, §3.2) as rouge-score 0.1.2 implements it: for each
// reference sentence, the union of the LCS positions found by rouge-score's own backtracking
// against every candidate sentence, counted at most as often as each token occurs in both texts
// (ROUGE-1.5.5's double-count guard). The backtracking tie rule matters and is copied exactly.

enum SummaryLCS {
    static func score(reference: [[Int32]], candidate: [[Int32]], vocabulary: Int) -> PrecisionRecallF {
        if reference.isEmpty || candidate.isEmpty { return .zero }
        let m = reference.reduce(0) { $0 + $1.count }
        let n = candidate.reduce(0) { $0 + $1.count }
        if m == 0 || n == 0 { return .zero }
        var refCounts = [Int32](repeating: 0, count: vocabulary)
        var candCounts = [Int32](repeating: 0, count: vocabulary)
        for s in reference { for t in s { refCounts[Int(t)] += 1 } }
        for s in candidate { for t in s { candCounts[Int(t)] += 1 } }
        var hits = 0
        for r in reference {
            var inUnion = [Bool](repeating: false, count: r.count)
            for c in candidate { for i in lcsPositions(r, c) { inUnion[i] = true } }
            for i in r.indices where inUnion[i] {
                let t = Int(r[i])
                if candCounts[t] > 0 && refCounts[t] > 0 {
                    hits += 1
                    candCounts[t] -= 1
                    refCounts[t] -= 1
                }
            }
        }
        return PrecisionRecallF(precision: Double(hits) / Double(n), recall: Double(hits) / Double(m))
    }

    /// Positions in `ref` of one LCS with `can`, chosen by rouge-score's `_backtrack_norec`:
    /// on a mismatch, step left only when the left cell is strictly larger than the upper one.
    static func lcsPositions(_ ref: [Int32], _ can: [Int32]) -> [Int] {
        let rows = ref.count, cols = can.count
        if rows == 0 || cols == 0 { return [] }
        let width = cols + 1
        var t = [Int32](repeating: 0, count: (rows + 1) * width)
        for i in 1...rows {
            for j in 1...cols {
                t[i * width + j] = ref[i - 1] == can[j - 1]
                    ? t[(i - 1) * width + j - 1] + 1
                    : max(t[(i - 1) * width + j], t[i * width + j - 1])
            }
        }
        var positions: [Int] = []
        var i = rows, j = cols
        while i > 0 && j > 0 {
            if ref[i - 1] == can[j - 1] {
                positions.append(i - 1)
                i -= 1
                j -= 1
            } else if t[i * width + j - 1] > t[(i - 1) * width + j] {
                j -= 1
            } else {
                i -= 1
            }
        }
        return positions
    }
}
