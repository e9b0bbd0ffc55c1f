// Weighted cross-entropy over the vocabulary, forward and backward in one pass, on logits stored
// transposed (V, N) as the tied output projection produces them. A token's weight is its loss-mask
// bit divided by the number of counted tokens in the whole batch, so micro-batches add up to the
// batch mean. Token columns are split between threads in fixed ranges; the loss is summed in order.

/// loss = Σ_n w_n·(logsumexp(z_n) − z_n[target_n]); logitsT is overwritten with
/// dz = w_n·(softmax(z_n) − onehot(target_n)).  logitsT: (V, N), targets, weights: (N) → losses: (N)
func crossEntropyForwardBackward<T: TrainScalar>(_ logitsT: UnsafeMutablePointer<T>, vocab: Int, tokens n: Int,
                                                 targets: [Int32], weights: [T],
                                                 losses: UnsafeMutablePointer<T>, threads: Int) -> T {
    let parts = max(1, min(threads, n / 16))
    let sl = SendablePointer(logitsT), so = SendablePointer(losses)
    parallelFor(parts: parts, threads: threads) { part in
        let cols = fixedRange(n, part: part, of: parts, align: 16)
        crossEntropyColumns(sl.p, vocab: vocab, n: n, cols: cols, targets: targets, weights: weights, losses: so.p)
    }
    var total: T = 0
    for i in 0..<n { total += losses[i] }
    return total
}

private func crossEntropyColumns<T: TrainScalar>(_ z: UnsafeMutablePointer<T>, vocab: Int, n: Int, cols: Range<Int>,
                                                 targets: [Int32], weights: [T], losses: UnsafeMutablePointer<T>) {
    if cols.isEmpty { return }
    let width = cols.count, c0 = cols.lowerBound
    var mx = [T](repeating: -T.infinity, count: width), sum = [T](repeating: 0, count: width)
    for v in 0..<vocab {
        let row = z + v * n + c0
        for j in 0..<width { mx[j] = max(mx[j], row[j]) }
    }
    for j in 0..<width {
        let col = c0 + j
        losses[col] = z[Int(targets[col]) * n + col]              // the target logit, before z is overwritten
    }
    for v in 0..<vocab {
        let row = z + v * n + c0
        for j in 0..<width { row[j] -= mx[j] }
        T.expInPlace(row, count: width)
        for j in 0..<width { sum[j] += row[j] }
    }
    for j in 0..<width {
        let col = c0 + j, w = weights[col]
        losses[col] = w == 0 ? 0 : w * (mx[j] + T.log(sum[j]) - losses[col])
        sum[j] = w / sum[j]                                        // now the scale from exp to gradient
    }
    for v in 0..<vocab {
        let row = z + v * n + c0
        for j in 0..<width { row[j] *= sum[j] }
    }
    for j in 0..<width {
        let col = c0 + j
        z[Int(targets[col]) * n + col] -= weights[col]
    }
}
