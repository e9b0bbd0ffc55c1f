// bench-embed: sentences per second of EmbeddingModel.embed on short sentences (batches of 256)
// with 1 and 2 threads, plus load time, the 512-token case and peak RSS. Numbers only; correctness
// lives in the tests. Usage: bench-embed [--rounds N] [--batch N]  (scripts/bench-embed builds release).

@_spi(Benchmark) import EmbeddingEngine
import Foundation

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
}

/// CPU seconds used by the whole process: on a shared machine, work per CPU-second is steadier than wall time.
func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Peak and current resident set size in MiB from /proc/self/status (Linux).
func rss() -> (peak: Double, now: Double) {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Double {
        guard let line = s.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
        return Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0")! / 1024
    }
    return (field("VmHWM:"), field("VmRSS:"))
}

func argument(_ name: String, default value: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return value }
    return v
}

let rounds = argument("--rounds", default: 3)
let batchSize = argument("--batch", default: 256)
let subjects = ["A man", "The woman", "A child", "The old dog", "Our team", "A small robot", "The chef", "My neighbour"]
let verbs = ["is eating", "plays", "is reading", "watches", "builds", "paints", "is cooking", "repairs"]
let objects = ["food.", "a guitar.", "the newspaper.", "a movie.", "a wooden table.", "the fence.", "pasta.", "an old bicycle."]
let sentences = (0..<batchSize).map { i in "\(subjects[i % 8]) \(verbs[(i / 8) % 8]) \(objects[(i / 64 + i) % 8])" }

var model: EmbeddingModel!
let load = try seconds { model = try EmbeddingModel.load() }
let tokens = sentences.map { model.countTokens($0) }.reduce(0, +)
print("load: \(String(format: "%.1f", load * 1000)) ms (map + validate + pack weights)")
print("batch: \(batchSize) sentences, \(tokens) tokens (mean \(String(format: "%.1f", Double(tokens) / Double(batchSize))))")
_ = model.embed(Array(sentences.prefix(16)))   // warm the page cache and code paths

for threads in [1, 2] {
    model.threads = threads
    var times: [Double] = []
    let cpu0 = cpuSeconds()
    for _ in 0..<rounds { times.append(seconds { _ = model.embed(sentences) }) }
    let perCPUSecond = Double(batchSize * rounds) / (cpuSeconds() - cpu0)
    let rates = times.map { Double(batchSize) / $0 }.sorted()
    let range = rates.map { String(format: "%.0f", $0) }.joined(separator: ", ")
    print("threads \(threads): \(String(format: "%.0f", rates.last!)) sentences/s best " +
          "(\(String(format: "%.0f", rates.last! * Double(tokens) / Double(batchSize))) tokens/s); runs: \(range); " +
          "\(String(format: "%.0f", perCPUSecond)) sentences per CPU-second")
}

let long = String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 60)
for threads in [1, 2] {
    model.threads = threads
    let cpu0 = cpuSeconds()
    let wall = seconds { _ = model.embed(long) }
    print("one 512-token text, threads \(threads): \(String(format: "%.1f", wall * 1000)) ms wall, " +
          "\(String(format: "%.1f", (cpuSeconds() - cpu0) * 1000)) ms CPU")
}
let r = rss()
print("RSS: peak \(String(format: "%.0f", r.peak)) MiB, now \(String(format: "%.0f", r.now)) MiB")

// The FFN-in GEMM alone (640 rows × 384 → 1536), as GFLOP per CPU-second and per wall-second.
let gemmFlops = 2.0 * 640 * 384 * 1536
let gemmCPU0 = cpuSeconds()
let gemmWall = seconds { for _ in 0..<10 { model.benchmarkFFNGEMM(rows: 640) } }
let gemmCPU = cpuSeconds() - gemmCPU0
print("GEMM 640x384x1536: \(String(format: "%.1f", 10 * gemmFlops / gemmWall / 1e9)) GFLOP/s wall, " +
      "\(String(format: "%.1f", 10 * gemmFlops / gemmCPU / 1e9)) GFLOP per CPU-second (1 thread)")
