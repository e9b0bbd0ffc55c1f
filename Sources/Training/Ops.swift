// The token-wise ops of the llama forward pass, each forward next to its backward (llm.c style):
// embedding lookup, RMSNorm, RoPE on adjacent pairs, SwiGLU and the linear layer Y = X·Wᵀ.
// Attention and the loss live in AttentionOps.swift and LossOps.swift. Shapes: N tokens of a
// micro-batch, d = model width, W stored [out][in] as in GGUF. Backward functions ACCUMULATE into
// their gradient outputs (callers zero them), so branches that meet simply add.

// MARK: - Embedding

/// x[n] = table[tokens[n]].   tokens: (N), table: (V, d) → x: (N, d)
func embeddingForward<T: TrainScalar>(_ tokens: [Int32], _ table: UnsafePointer<T>, _ x: UnsafeMutablePointer<T>, d: Int) {
    for (n, t) in tokens.enumerated() { (x + n * d).update(from: table + Int(t) * d, count: d) }
}

/// dtable[tokens[n]] += dx[n], tokens in order, for the table rows in `rows` (all by default;
/// disjoint row ranges may run at once).   dx: (N, d) → dtable: (V, d)
func embeddingBackward<T: TrainScalar>(_ tokens: [Int32], _ dx: UnsafePointer<T>, _ dtable: UnsafeMutablePointer<T>, d: Int,
                                       rows: Range<Int> = 0..<Int.max) {
    for (n, t) in tokens.enumerated() where rows.contains(Int(t)) {
        let row = dtable + Int(t) * d, g = dx + n * d
        for j in 0..<d { row[j] += g[j] }
    }
}

// MARK: - RMSNorm

/// y = x · rstd · w with rstd = 1/√(mean(x²) + eps) per token.   x: (N, d), w: (d) → y: (N, d), rstd: (N)
func rmsnormForward<T: TrainScalar>(_ x: UnsafePointer<T>, _ w: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>,
                                    _ rstd: UnsafeMutablePointer<T>, n: Int, d: Int, eps: T, threads: Int = 1) {
    let p = (SendablePointer(UnsafeMutablePointer(mutating: x)), SendablePointer(UnsafeMutablePointer(mutating: w)),
             SendablePointer(y), SendablePointer(rstd))
    parallelRanges(n, threads: threads, minimum: 8) { rows in rmsnormRows(p.0.p, p.1.p, p.2.p, p.3.p, rows: rows, d: d, eps: eps) }
}

private func rmsnormRows<T: TrainScalar>(_ x: UnsafePointer<T>, _ w: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>,
                                         _ rstd: UnsafeMutablePointer<T>, rows: Range<Int>, d: Int, eps: T) {
    for i in rows {
        let xi = x + i * d, yi = y + i * d
        let r = 1 / (T.dot(xi, xi, d) / T(d) + eps).squareRoot()
        rstd[i] = r
        for j in 0..<d { yi[j] = xi[j] * r * w[j] }
    }
}

/// The input's gradient: with x̂ = x·rstd and g = dy⊙w, dx += rstd·(g − x̂·mean(g⊙x̂)) (the
/// weight's is `rmsnormWeightGradient`). Tokens of dx are split between threads.
/// dy, x: (N, d), w: (d), rstd: (N) → dx: (N, d)
func rmsnormBackward<T: TrainScalar>(_ dy: UnsafePointer<T>, _ x: UnsafePointer<T>, _ w: UnsafePointer<T>,
                                     _ rstd: UnsafePointer<T>, _ dx: UnsafeMutablePointer<T>,
                                     n: Int, d: Int, threads: Int = 1) {
    let p = (SendablePointer(UnsafeMutablePointer(mutating: dy)), SendablePointer(UnsafeMutablePointer(mutating: x)),
             SendablePointer(UnsafeMutablePointer(mutating: w)), SendablePointer(UnsafeMutablePointer(mutating: rstd)),
             SendablePointer(dx))
    parallelRanges(n, threads: threads, minimum: 8) { rows in
        rmsnormBackwardRows(p.0.p, p.1.p, p.2.p, p.3.p, p.4.p, rows: rows, d: d)
    }
}

/// dw += Σ_n dy⊙x̂, summed over tokens in order (one thread: every element is one chain).
func rmsnormWeightGradient<T: TrainScalar>(_ dy: UnsafePointer<T>, _ x: UnsafePointer<T>, _ rstd: UnsafePointer<T>,
                                           _ dw: UnsafeMutablePointer<T>, n: Int, d: Int) {
    for i in 0..<n {
        let xi = x + i * d, dyi = dy + i * d, r = rstd[i]
        for j in 0..<d { dw[j] += dyi[j] * xi[j] * r }
    }
}

private func rmsnormBackwardRows<T: TrainScalar>(_ dy: UnsafePointer<T>, _ x: UnsafePointer<T>, _ w: UnsafePointer<T>,
                                                 _ rstd: UnsafePointer<T>, _ dx: UnsafeMutablePointer<T>,
                                                 rows: Range<Int>, d: Int) {
    for i in rows {
        let xi = x + i * d, dyi = dy + i * d, dxi = dx + i * d, r = rstd[i]
        var m: T = 0
        for j in 0..<d { m += dyi[j] * w[j] * xi[j] * r }
        m /= T(d)
        for j in 0..<d {
            let xh = xi[j] * r
            dxi[j] += r * (dyi[j] * w[j] - xh * m)
        }
    }
}

// MARK: - RoPE

/// cos/sin of position·base^(−2i/hd) for positions 0..<maxPositions and pairs i in 0..<hd/2:
/// the "NORM" (adjacent pairs) convention of llama.cpp and oracles/smollm2_ref.py.  → (maxPositions, hd/2) each
struct RopeTable<T: TrainScalar> {
    let cos: [T], sin: [T], half: Int
    init(headDim: Int, base: Double, maxPositions: Int) {
        half = headDim / 2
        var c = [T](repeating: 0, count: maxPositions * half), s = c
        for p in 0..<maxPositions {
            for i in 0..<half {
                let angle = Double(p) * Double.exp(-Double(2 * i) / Double(headDim) * Double.log(base))
                c[p * half + i] = T(Double.cos(angle)); s[p * half + i] = T(Double.sin(angle))
            }
        }
        cos = c; sin = s
    }
}

/// Rotates each head's pairs (2i, 2i+1) in place: (a, b) → (a·c − b·s, a·s + b·c).
/// x: (N, heads·hd), positions: (N)
func ropeForward<T: TrainScalar>(_ x: UnsafeMutablePointer<T>, positions: [Int32], heads: Int, table: RopeTable<T>) {
    let half = table.half, width = heads * half * 2
    for (n, pos) in positions.enumerated() {
        let row = x + n * width, base = Int(pos) * half
        for h in 0..<heads {
            let v = row + h * half * 2
            for i in 0..<half {
                let c = table.cos[base + i], s = table.sin[base + i], a = v[2 * i], b = v[2 * i + 1]
                v[2 * i] = a * c - b * s
                v[2 * i + 1] = a * s + b * c
            }
        }
    }
}

/// The rotation is orthogonal, so the gradient is rotated back: (da, db) = (d0·c + d1·s, −d0·s + d1·c).
/// dx: (N, heads·hd) in place
func ropeBackward<T: TrainScalar>(_ dx: UnsafeMutablePointer<T>, positions: [Int32], heads: Int, table: RopeTable<T>) {
    let half = table.half, width = heads * half * 2
    for (n, pos) in positions.enumerated() {
        let row = dx + n * width, base = Int(pos) * half
        for h in 0..<heads {
            let v = row + h * half * 2
            for i in 0..<half {
                let c = table.cos[base + i], s = table.sin[base + i], d0 = v[2 * i], d1 = v[2 * i + 1]
                v[2 * i] = d0 * c + d1 * s
                v[2 * i + 1] = -d0 * s + d1 * c
            }
        }
    }
}

// MARK: - SwiGLU

/// h = silu(g)·u with silu(g) = g·σ(g).   g, u: (N, F) → h: (N, F)
func swigluForward<T: TrainScalar>(_ g: UnsafePointer<T>, _ u: UnsafePointer<T>, _ h: UnsafeMutablePointer<T>,
                                   count: Int, threads: Int = 1) {
    let p = (SendablePointer(UnsafeMutablePointer(mutating: g)), SendablePointer(UnsafeMutablePointer(mutating: u)), SendablePointer(h))
    parallelRanges(count, threads: threads, minimum: 4096) { range in T.swigluForward(p.0.p, p.1.p, p.2.p, range) }
}

/// dg = dh·u·σ(g)·(1 + g·(1 − σ(g))), du = dh·silu(g).   dh, g, u: (N, F) → dg, du: (N, F), overwritten
func swigluBackward<T: TrainScalar>(_ dh: UnsafePointer<T>, _ g: UnsafePointer<T>, _ u: UnsafePointer<T>,
                                    _ dg: UnsafeMutablePointer<T>, _ du: UnsafeMutablePointer<T>, count: Int, threads: Int = 1) {
    let p = (SendablePointer(UnsafeMutablePointer(mutating: dh)), SendablePointer(UnsafeMutablePointer(mutating: g)),
             SendablePointer(UnsafeMutablePointer(mutating: u)), SendablePointer(dg), SendablePointer(du))
    parallelRanges(count, threads: threads, minimum: 4096) { range in T.swigluBackward(p.0.p, p.1.p, p.2.p, p.3.p, p.4.p, range) }
}

// MARK: - Linear

/// Y = X·Wᵀ, computed as Yᵀ = W·Xᵀ so the kernel streams W rows in place and vectorises over
/// tokens; Xᵀ is transposed while the kernel packs it. x: (N, in), w: (out, in) → y: (N, out);
/// scratch: ≥ N·out
func linearForward<T: TrainScalar>(_ x: UnsafePointer<T>, _ w: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>,
                                   n: Int, inDim: Int, outDim: Int, scratch: UnsafeMutablePointer<T>, threads: Int) {
    let yt = scratch
    T.gemm(outDim, n, inDim, w, sam: inDim, sak: 1, x, ldb: inDim, transposedB: true, yt, ldc: n,
           accumulate: false, threads: threads)
    transpose(yt, rows: outDim, cols: n, into: y, threads: threads)              // yt: (out, N) → y
}

/// dX += dY·W, the input's gradient (the weight's is `linearWeightGradient`).
/// dy: (N, out), w: (out, in) → dx: (N, in)
func linearBackward<T: TrainScalar>(_ dy: UnsafePointer<T>, _ w: UnsafePointer<T>, _ dx: UnsafeMutablePointer<T>,
                                    n: Int, inDim: Int, outDim: Int, threads: Int) {
    T.gemm(n, inDim, outDim, dy, sam: outDim, sak: 1, w, ldb: inDim, dx, ldc: inDim, accumulate: true, threads: threads)
}

/// dW[rows] += dY[:, rows]ᵀ·X: each element one chain over the tokens in order, so disjoint row
/// ranges may run at once with the bits of the whole product.
/// dy: (N, out), x: (N, in) → dw: (out, in)
func linearWeightGradient<T: TrainScalar>(_ dy: UnsafePointer<T>, _ x: UnsafePointer<T>, _ dw: UnsafeMutablePointer<T>,
                                          n: Int, inDim: Int, outDim: Int, rows: Range<Int>, threads: Int) {
    T.gemm(rows.count, inDim, n, dy + rows.lowerBound, sam: 1, sak: outDim, x, ldb: inDim, dw + rows.lowerBound * inDim,
           ldc: inDim, accumulate: true, threads: threads)
}
