// The update rule: AdamW written out step by step, the learning-rate schedule (linear warmup, then
// linear decay), and gradient clipping by global norm. All element-wise work is split into fixed
// ranges, and the norm is summed per range in Double then across ranges in order, so the result is
// the same for any thread count. No model or data knowledge here: flat buffers in, flat buffers out.

/// AdamW's constants. Defaults are PyTorch's `torch.optim.AdamW` (β 0.9/0.999, ε 1e-8, decay 0.01).
public struct AdamWSettings: Sendable, Equatable {
    /// Decay of the first-moment (mean) estimate.
    public var beta1: Double = 0.9
    /// Decay of the second-moment (uncentred variance) estimate.
    public var beta2: Double = 0.999
    /// Added to √v̂ so steps stay finite where the gradient has been zero.
    public var epsilon: Double = 1e-8
    /// Decoupled weight decay λ: each step multiplies θ by (1 − lr·λ), independent of the gradient.
    public var weightDecay: Double = 0.01
    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0.01) {
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.weightDecay = weightDecay
    }
}

/// AdamW: Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019, Algorithm 2
/// (Adam of Kingma & Ba 2015 with the decay taken out of the gradient), in the order PyTorch uses:
///   θ ← θ − lr·λ·θ
///   m ← β1·m + (1 − β1)·g
///   v ← β2·v + (1 − β2)·g²
///   m̂ ← m / (1 − β1ᵗ),  v̂ ← v / (1 − β2ᵗ)
///   θ ← θ − lr·m̂ / (√v̂ + ε)
struct AdamW {
    let settings: AdamWSettings
    let m: FlatBuffer<Float>, v: FlatBuffer<Float>
    /// Steps taken so far (t of the bias corrections).
    var t = 0

    init(count: Int, settings: AdamWSettings) {
        self.settings = settings
        m = FlatBuffer(count: count); v = FlatBuffer(count: count)
    }

    /// One update. Each gradient is first multiplied by `gradientScale` (clipping's factor, see
    /// `clipScale`), inside this pass rather than in one of its own over the buffer; `grads` itself
    /// is left as it was. A scale of 1 changes no bit.
    mutating func step(_ params: FlatBuffer<Float>, _ grads: FlatBuffer<Float>, learningRate lr: Double,
                       gradientScale scale: Float = 1, threads: Int) {
        t += 1
        let s = settings
        let c1 = Float(1 - pow(s.beta1, Double(t))), c2 = Float(1 - pow(s.beta2, Double(t)))
        let b1 = Float(s.beta1), b2 = Float(s.beta2), eps = Float(s.epsilon)
        let lrf = Float(lr), decay = Float(1 - lr * s.weightDecay)
        let p = SendablePointer(params.p), g = SendablePointer(grads.p), m = SendablePointer(m.p), v = SendablePointer(v.p)
        let count = params.count, parts = max(1, min(threads, count / 4096))
        parallelFor(parts: parts, threads: threads) { part in
            let range = fixedRange(count, part: part, of: parts)
            var i = range.lowerBound
            // 16 lanes at a time: the same IEEE operations in the same order as the scalar tail
            // (division and square root are correctly rounded either way), so the bits match.
            while i + 16 <= range.upperBound {
                let gi = SIMD16(p: g.p + i) * scale
                let mi = b1 * SIMD16(p: m.p + i) + (1 - b1) * gi
                let vi = b2 * SIMD16(p: v.p + i) + (1 - b2) * gi * gi
                let mhat = mi / c1, vhat = vi / c2
                (p.p + i).store(SIMD16(p: p.p + i) * decay - lrf * mhat / (vhat.squareRoot() + eps))
                (m.p + i).store(mi); (v.p + i).store(vi)
                i += 16
            }
            while i < range.upperBound {
                let gi = g.p[i] * scale
                m.p[i] = b1 * m.p[i] + (1 - b1) * gi
                v.p[i] = b2 * v.p[i] + (1 - b2) * gi * gi
                let mhat = m.p[i] / c1, vhat = v.p[i] / c2
                p.p[i] = p.p[i] * decay - lrf * mhat / (vhat.squareRoot() + eps)
                i += 1
            }
        }
    }
}

extension SIMD16<Float> {
    @inline(__always) init(p: UnsafeMutablePointer<Float>) { self = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
}

extension UnsafeMutablePointer<Float> {
    @inline(__always) func store(_ v: SIMD16<Float>) { UnsafeMutableRawPointer(self).storeBytes(of: v, as: SIMD16<Float>.self) }
}

/// √(Σ g²) over the whole buffer, summed in Double over fixed ranges, then the ranges in order.
func globalNorm(_ grads: FlatBuffer<Float>, threads: Int) -> Double {
    let parts = 16, count = grads.count, g = SendablePointer(grads.p)
    let partial = FlatBuffer<Double>(count: parts), sp = SendablePointer(partial.p)
    parallelFor(parts: parts, threads: threads) { part in
        var s = 0.0
        for i in fixedRange(count, part: part, of: parts) { let x = Double(g.p[i]); s += x * x }
        sp.p[part] = s
    }
    var total = 0.0
    for i in 0..<parts { total += partial[i] }
    return total.squareRoot()
}

/// The factor gradient clipping multiplies every gradient by (PyTorch's clip_grad_norm_ rule,
/// maxNorm / (norm + 1e-6)), or nil when the norm is within `maxNorm`.
func clipScale(norm: Double, maxNorm: Double) -> Float? {
    norm > maxNorm ? Float(maxNorm / (norm + 1e-6)) : nil
}

/// Learning rate per optimizer step: linear warmup over `warmupSteps`, then the chosen decay.
///
/// Bedrock does not publish its schedule. The default, linear decay to zero after warmup, is the
/// Hugging Face Trainer's default (`get_linear_schedule_with_warmup`) used by most fine-tuning
/// recipes; it ends at a small rate, so the last weights are not taken at the peak step size.
/// Steps are numbered from 1: step s ≤ W gets peak·s/W; after that, linear decay gives
/// peak·(total − s + 1)/(total − W), reaching peak/(total − W) on the last step.
public struct LearningRateSchedule: Sendable, Equatable {
    public enum Decay: String, Sendable, Equatable { case linear, cosine, constant }
    public var peak: Double
    public var warmupSteps: Int
    public var totalSteps: Int
    public var decay: Decay

    public init(peak: Double, warmupSteps: Int, totalSteps: Int, decay: Decay = .linear) {
        self.peak = peak; self.warmupSteps = warmupSteps; self.totalSteps = totalSteps; self.decay = decay
    }

    /// The rate for 1-based step `s`.
    public func rate(atStep s: Int) -> Double {
        if s <= warmupSteps { return peak * Double(s) / Double(warmupSteps) }
        let span = max(1, totalSteps - warmupSteps)
        let remaining = Double(max(0, totalSteps - s + 1)) / Double(span)     // 1 right after warmup
        switch decay {
        case .constant: return peak
        case .linear: return peak * remaining
        case .cosine: return peak * 0.5 * (1 + cos(Double.pi * (1 - remaining)))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
