// bench-train: training throughput of the Training module on the real SmolLM2-135M shapes with
// random weights (the GGUF reader is not a dependency of Training). Prints tokens/s per step and
// peak RSS. Usage: bench-train [lora|full] [threads] [steps] [seq] [batch] [microBatch] [layers]
// Not a test: numbers depend on the machine and its load. scripts/bench-train runs the matrix.
import Training
#if canImport(Glibc)
import Glibc
#endif

let args = CommandLine.arguments.dropFirst().map { $0 }
if args.first == "gemm" {
    // The shapes of one block at 128 tokens: forward (W·Xᵀ), dX = dY·W, dW = dYᵀ·X, and the LM head.
    let threads = args.count > 1 ? Int(args[1]) ?? 1 : 1
    for (name, m, n, k, t) in [("fwd ffn  W·Xᵀ", 1536, 128, 576, false), ("dX  ffn  dY·W", 128, 576, 1536, false),
                               ("dW  ffn dYᵀ·X", 1536, 576, 128, true), ("fwd head E·Xᵀ", 49152, 128, 576, false),
                               ("dX  head  dZ·E", 128, 576, 49152, true)] {
        let g = TrainingKernelBenchmark.gemmGFLOPS(M: m, N: n, K: k, transposedA: t, threads: threads, repeats: m > 10000 || k > 10000 ? 2 : 20)
        print("\(name) M \(m) N \(n) K \(k): \(Double(Int(g * 10)) / 10) GFLOP/s")
    }
    exit(0)
}
func arg(_ i: Int, _ d: Int) -> Int { i < args.count ? Int(args[i]) ?? d : d }
let full = args.first == "full"
let threads = arg(1, 1), steps = arg(2, 3), seq = arg(3, 128), batch = arg(4, 4), micro = arg(5, 1)
var config = ModelConfig.smolLM2_135M
config.layers = arg(6, config.layers)          // fewer blocks only for profiling
let mode: TrainingMode = full ? .full : .lora(LoRAConfig(rank: 8, alpha: 16))

let clock = ContinuousClock()
func secs(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

var t0 = clock.now
let model = TrainingModel(randomWithConfig: config, mode: mode, seed: 1, threads: threads)
let buildSeconds = secs(clock.now - t0)

var rng = SeededRandom(seed: 7)
let examples = (0..<(batch * (steps + 1))).map { _ in
    TrainingExample(tokens: (0...seq).map { _ in Int32(rng.next() % UInt64(config.vocabSize)) },
                    trained: Array(repeating: true, count: seq + 1))
}
var h = TrainingHyperparameters()
h.batchSize = batch; h.learningRate = 1e-4; h.microBatchSize = micro; h.epochs = 1
let trainer = Trainer(model: model, training: examples, hyperparameters: h)

func peakRSS() -> String {
    guard let f = fopen("/proc/self/status", "r") else { return "?" }
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, 256, f) != nil {
        let s = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if s.hasPrefix("VmHWM:") { return s.dropFirst(6).trimmingCharacters(in: " \t\n") }
    }
    return "?"
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}

print("mode \(full ? "full" : "lora r8 all 7 projections") threads \(threads) seq \(seq) batch \(batch) micro \(micro)"
      + " trainable \(model.trainableCount) (random init \(String(format2(buildSeconds))) s)")
t0 = clock.now
let warm = trainer.step()
print("warm-up step: \(format2(secs(clock.now - t0))) s, loss \(format2(warm.trainingLoss))")
var rates: [Double] = []
for _ in 0..<steps {
    let s0 = clock.now
    let m = trainer.step()
    let dt = secs(clock.now - s0)
    rates.append(Double(m.tokens - batch) / dt)        // predicted tokens: seq per record
    print("step \(m.step): \(format2(dt)) s, \(format2(rates.last!)) tok/s, loss \(format2(m.trainingLoss))")
}
print("tokens/s min \(format2(rates.min()!)) max \(format2(rates.max()!)); peak RSS \(peakRSS())")

func format2(_ x: Double) -> String { String(Double(Int((x * 100).rounded())) / 100) }
