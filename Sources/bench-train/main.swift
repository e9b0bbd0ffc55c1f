// bench-train: training throughput of the Training module on the real SmolLM2-135M shapes with
// random weights (the GGUF reader is not a dependency of Training). Prints tokens/s per step and
// peak RSS. Usage: bench-train [lora|full] [threads] [steps] [seq] [batch] [microBatch] [layers]
// Not a test: numbers depend on the machine and its load. scripts/bench-train runs the matrix.
import Basics
import Training
#if canImport(Glibc)
import Glibc
#endif

let args = CommandLine.arguments.dropFirst().map { $0 }
if args.first == "gemm" {
    // The shapes of one block at 128 tokens: forward (W·Xᵀ; X^ = B packed from X untransposed),
    // dX = dY·W, dW = dYᵀ·X, and the LM head.
    let threads = args.count > 1 ? Int(args[1]) ?? 1 : 1
    for (name, m, n, k, t, tb) in [("fwd ffn  W·Xᵀ", 1536, 128, 576, false, false), ("fwd ffn  W·X^", 1536, 128, 576, false, true),
                                   ("dX  ffn  dY·W", 128, 576, 1536, false, false), ("dW  ffn dYᵀ·X", 1536, 576, 128, true, false),
                                   ("fwd head E·X^", 49152, 128, 576, false, true), ("dX  head  dZ·E", 128, 576, 49152, true, false)] {
        let g = TrainingKernelBenchmark.gemmGFLOPS(M: m, N: n, K: k, transposedA: t, transposedB: tb, threads: threads,
                                                   repeats: m > 10000 || k > 10000 ? 2 : 20)
        print("\(name) M \(m) N \(n) K \(k): \(format1(g.wall)) GFLOP/s wall, \(format1(g.cpu)) per CPU-second"
              + " (\(TrainingKernelBenchmark.kernelBuild))")
    }
    print("parallel region (2 parts, \(threads) threads): \(format2(TrainingKernelBenchmark.parallelRegionMicroseconds(threads: threads))) µs")
    exit(0)
}
func arg(_ i: Int, _ d: Int) -> Int { i < args.count ? Int(args[i]) ?? d : d }
if args.first == "load" {
    // Job start: TrainingModel(config:mode:loadTensor:) plus the Trainer (optimizer state), from
    // tensors already dequantized to [Float] (what the engine's GGUF reader hands over; its own
    // dequantization time is not part of this number).
    let full = args.count > 1 && args[1] == "full"
    let config = ModelConfig.smolLM2_135M
    var source: [String: [Float]] = [:]
    for name in TrainingModel.baseTensorNames(config: config) {
        let (d, kv, f) = (config.dim, config.kvDim, config.ffnDim)
        let count = name == "token_embd.weight" ? config.vocabSize * d
            : name.hasSuffix("norm.weight") ? d
            : name.contains("attn_k") || name.contains("attn_v") ? kv * d
            : name.contains("ffn_") ? f * d : d * d
        source[name] = [Float](repeating: 0.01, count: count)
    }
    let clock = ContinuousClock(), t0 = clock.now, c0 = TrainingKernelBenchmark.processCPUSeconds()
    let model = try TrainingModel(config: config, mode: full ? .full : .lora(LoRAConfig(rank: 8, alpha: 16)), seed: 1,
                                  threads: 2) { source[$0]! }
    let ex = [TrainingExample(tokens: [1, 2, 3], trained: [true, true, true])]
    var h = TrainingHyperparameters()
    h.batchSize = 4
    let trainer = Trainer(model: model, training: ex, hyperparameters: h)
    let dt = clock.now - t0
    print("job start (\(full ? "full" : "lora")): \(dt) wall, \(format2(TrainingKernelBenchmark.processCPUSeconds() - c0)) CPU-s;"
          + " \(trainer.totalSteps) step(s) planned")
    exit(0)
}
let full = args.first == "full"
let threads = arg(1, 1), steps = arg(2, 3), seq = arg(3, 128), batch = arg(4, 4), micro = arg(5, 1)
var config = ModelConfig.smolLM2_135M
config.layers = arg(6, config.layers)          // fewer blocks only for profiling
let mode: TrainingMode = full ? .full : .lora(LoRAConfig(rank: 8, alpha: 16))

let clock = ContinuousClock()

var t0 = clock.now
let model = TrainingModel(randomWithConfig: config, mode: mode, seed: 1, threads: threads)
let buildSeconds = (clock.now - t0).inSeconds

var rng = SplitMix64(seed: 7)
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
print("warm-up step: \(format2((clock.now - t0).inSeconds)) s, loss \(format2(warm.trainingLoss))")
var rates: [Double] = [], cpuRates: [Double] = []
for _ in 0..<steps {
    let s0 = clock.now, c0 = TrainingKernelBenchmark.processCPUSeconds()
    let m = trainer.step()
    let dt = (clock.now - s0).inSeconds, cpu = TrainingKernelBenchmark.processCPUSeconds() - c0
    rates.append(Double(m.tokens - batch) / dt)        // predicted tokens: seq per record
    cpuRates.append(Double(m.tokens - batch) / cpu)
    print("step \(m.step): \(format2(dt)) s, \(format2(rates.last!)) tok/s, \(format2(cpu)) CPU-s"
          + " (\(format2(cpuRates.last!)) tok per CPU-s), loss \(format2(m.trainingLoss))")
}
print("tokens/s min \(format2(rates.min()!)) max \(format2(rates.max()!)); tok per CPU-s min \(format2(cpuRates.min()!))"
      + " max \(format2(cpuRates.max()!)); peak RSS \(peakRSS()); kernels \(TrainingKernelBenchmark.kernelBuild)")
// The host is shared: the same binary runs 1.5× slower in some minutes than in others. The GEMM on
// a block that stays in cache, right after the steps, tells which kind of minute this was.
let pace = TrainingKernelBenchmark.gemmGFLOPS(M: 384, N: 128, K: 256, transposedA: false, threads: 1, repeats: 1000)
print("machine pace now: in-cache GEMM \(format1(pace.cpu)) GFLOP/s per CPU-second (1 thread)")

func format2(_ x: Double) -> String { String(Double(Int((x * 100).rounded())) / 100) }
func format1(_ x: Double) -> String { String(Double(Int((x * 10).rounded())) / 10) }
