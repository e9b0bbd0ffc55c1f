// bench-text: tokens per second of the text engine on SmolLM2-135M-Instruct, shaped like
// `llama-bench -p 128 -n 64`: prompt processing of 128 tokens (one batched forward, last logits) and
// generation of 64 tokens one at a time (greedy), for each thread count; plus model load time and
// peak resident memory. Prints best and range over repetitions. Not a test; scripts/bench-text runs it.
import Foundation
import Numerics
import TextEngine

struct Options {
    var threads = [1, 2]
    var promptTokens = 128
    var genTokens = 64
    var reps = 3
    var isa: KernelISA?

    init(_ args: [String]) {
        var i = 0
        while i < args.count {
            let value = i + 1 < args.count ? args[i + 1] : ""
            switch args[i] {
            case "--threads": threads = value.split(separator: ",").compactMap { Int($0) }
            case "--prompt": promptTokens = Int(value) ?? promptTokens
            case "--gen": genTokens = Int(value) ?? genTokens
            case "--reps": reps = Int(value) ?? reps
            case "--kernels": isa = KernelISA(rawValue: value)
            default: fatalError("unknown option \(args[i]); use --threads 1,2 --prompt 128 --gen 64 --reps 3 --kernels baseline|avx512")
            }
            i += 2
        }
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let t = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9
}

/// CPU seconds used by the calling thread (with 1 thread: the work itself, excluding time the
/// scheduler gave to other processes on a busy machine).
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024            // KiB on Linux
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / 1024 / 1024     // bytes on Darwin
    #endif
}

func summary(_ rates: [Double]) -> String {
    let s = rates.sorted()
    return String(format: "%7.1f tok/s (range %.1f–%.1f)", s.last!, s.first!, s.last!)
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
do {   // the load phases separately (CPU seconds of this thread)
    var c = threadCPUSeconds()
    let file = try GGUFFile(path: ModelLocator.smolLM2Path)
    let tFile = threadCPUSeconds() - c; c = threadCPUSeconds()
    _ = try LlamaWeights(gguf: file)
    let tWeights = threadCPUSeconds() - c; c = threadCPUSeconds()
    _ = try Tokenizer(gguf: file)
    let tTok = threadCPUSeconds() - c
    print(String(format: "load phases (CPU s): GGUF parse %.3f, weights %.3f, tokenizer %.3f", tFile, tWeights, tTok))
}
var model: TextModel!
let loadTime = try seconds { model = try TextModel(threads: 1, isa: options.isa) }
print(String(format: "model load: %.3f s (map + metadata + tokenizer)  kernels: %@  AVX-512 available: %@",
             loadTime, (options.isa ?? CPU.defaultISA).rawValue, CPU.hasAVX512 ? "yes" : "no"))

let text = "The quick brown fox jumps over the lazy dog. Amazon Bedrock is a fully managed service that "
    + "offers a choice of high-performing foundation models through a single API. "
var prompt = model.encode(String(repeating: text, count: 20))
prompt = Array(prompt.prefix(options.promptTokens))

for threads in options.threads {
    let session = LlamaSession(weights: model.weights, threads: threads, capacity: 1024, isa: options.isa)
    var pp: [Double] = [], tg: [Double] = [], ppCPU: [Double] = [], tgCPU: [Double] = []
    for _ in 0..<options.reps {
        session.reset()
        var c0 = threadCPUSeconds()
        pp.append(Double(prompt.count) / (try seconds { try session.append(prompt) }))
        ppCPU.append(Double(prompt.count) / (threadCPUSeconds() - c0))
        session.reset()
        var logits = try session.append([1])
        c0 = threadCPUSeconds()
        tg.append(Double(options.genTokens) / (try seconds {
            for _ in 0..<options.genTokens { logits = try session.append([Sampler.argmax(logits)]) }
        }))
        tgCPU.append(Double(options.genTokens) / (threadCPUSeconds() - c0))
    }
    print("threads \(threads): prompt \(prompt.count) tokens \(summary(pp)) | generation \(options.genTokens) tokens \(summary(tg))")
    if threads == 1 {
        // Calling-thread CPU time: on a shared machine this estimates the quiet-machine rate.
        print("          per CPU-second: prompt \(summary(ppCPU)) | generation \(summary(tgCPU))")
    }
}
do {   // one layer's ffn_up (1536 × 576 Q4_1, 553 KB: fits in L2) again and again, 1 thread
    let w = try model.weights.file.matrix("blk.0.ffn_up.weight")
    let x = FloatMatrix(rows: 1, cols: w.cols), out = FloatMatrix(rows: 1, cols: w.rows)
    for i in 0..<w.cols { x[0, i] = Float(i % 7) * 0.1 }
    let mm = MatMul(threads: 1, isa: options.isa), reps = 400
    let c0 = threadCPUSeconds()
    for _ in 0..<reps { mm.multiply(x, rows: 1, by: w, into: out) }
    let cpu = threadCPUSeconds() - c0
    print(String(format: "mat-vec in cache (ffn_up, 1 thread): %.1f GB/s of Q4_1 weights, %.1f GFLOP/s per CPU-second",
                 Double(reps * w.rows * w.rowBytes) / cpu / 1e9, Double(reps * 2 * w.rows * w.cols) / cpu / 1e9))
}
do {   // an imported file's load-time conversion (Q5_0/Q5_1, K-quants): rows dequantized and re-encoded as Q8_0
    let cols = 2048, rows = 1024
    var state: UInt64 = 1
    for type in ConvertedType.allCases {
        var bytes = (0..<type.byteCount(rows * cols)).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        for b in 0..<rows * cols / type.blockSize {   // ordinary f16 scales, not random NaNs
            for offset in type == .q6_K ? [208] : type == .q5_0 ? [0] : [0, 2] {
                bytes[b * type.blockBytes + offset] = 0x00; bytes[b * type.blockBytes + offset + 1] = 0x10
            }
        }
        var values = [Float](repeating: 0, count: cols)
        let c0 = threadCPUSeconds()
        bytes.withUnsafeBytes { raw in
            for r in 0..<rows {
                dequantize(type, raw.baseAddress! + r * type.byteCount(cols), count: cols, into: &values)
                _ = try? TensorEncoding.bytes(values, as: .q8_0)
            }
        }
        let rate = Double(rows * cols) / (threadCPUSeconds() - c0)
        print(String(format: "%@ → Q8_0 at load (1 thread): %.0f M values per CPU-second (1 B parameters: %.1f s)",
                     type.name, rate / 1e6, 1e9 / rate))
    }
}
print(String(format: "peak RSS: %.0f MB", peakRSSMegabytes()))
