// bench-metrics: times ROUGE (rouge1, rouge2, rougeL, rougeLsum) and sentence BLEU in Swift on
// the pairs that scripts/metrics-reference/bench_reference.py scored with rouge-score and
// sacrebleu, prints pairs/s and the speed-up, and checks every score against Python's.
// Run through scripts/bench-metrics (release build). Not a test: nothing here is timed in CI.
import Foundation
import Metrics

struct Pair: Decodable { let candidate: String; let references: [String] }
struct PythonRun: Decodable {
    let pairs: [Pair]
    let rouge: [[Double]]
    let bleu: [Double]
    let seconds: [String: Double]
}

/// CPU seconds of this process spent in `body`: the machine is shared, and CPU time (unlike
/// wall time) does not count the time other processes held the cores.
func seconds(_ body: () -> Void) -> Double {
    func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
    let start = now()
    body()
    return now() - start
}

// `bench-metrics --profile bleu|rouge FILE`: only that metric, 20 rounds, for perf.
if CommandLine.arguments.count == 4 && CommandLine.arguments[1] == "--profile" {
    let run = try JSONDecoder().decode(PythonRun.self, from: Data(contentsOf: URL(fileURLWithPath: CommandLine.arguments[3])))
    let bleuOnly = CommandLine.arguments[2] == "bleu"
    let rounds = CommandLine.arguments[2] == "none" ? 0 : 20   // "none": the decoding cost alone
    var checksum = 0.0
    let t = seconds {
        for _ in 0..<rounds {
            for p in run.pairs {
                checksum += bleuOnly ? BLEU.sentence(hypothesis: p.candidate, references: p.references).score
                    : Rouge.score(candidate: p.candidate, references: p.references).scores[0].f
            }
        }
    }
    print("\(CommandLine.arguments[2]): \(String(format: "%.2f", t / Double(20 * run.pairs.count) * 1e6)) µs per pair (checksum \(checksum))")
    exit(0)
}
guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write("usage: bench-metrics PYTHON_RUN.json\n".data(using: .utf8)!)
    exit(64)
}
let run = try JSONDecoder().decode(PythonRun.self, from: Data(contentsOf: URL(fileURLWithPath: CommandLine.arguments[1])))
let n = run.pairs.count
let repeats = 3   // best of three: the machine is shared

var rouge: [RougeScore] = []
var bleu: [BLEUScore] = []
var tRouge = Double.infinity, tBleu = Double.infinity
for _ in 0..<repeats {
    tRouge = min(tRouge, seconds {
        rouge = run.pairs.map { Rouge.score(candidate: $0.candidate, references: $0.references) }
    })
    tBleu = min(tBleu, seconds {
        bleu = run.pairs.map { BLEU.sentence(hypothesis: $0.candidate, references: $0.references) }
    })
}

var rougeDiff = 0.0, bleuDiff = 0.0
for i in 0..<n {
    let mine = rouge[i].scores.flatMap { [$0.precision, $0.recall, $0.f] }
    for (a, b) in zip(mine, run.rouge[i]) { rougeDiff = max(rougeDiff, abs(a - b)) }
    bleuDiff = max(bleuDiff, abs(bleu[i].score - run.bleu[i]))
}

func line(_ name: String, _ t: Double, _ python: Double) -> String {
    let rate = Double(n) / t
    return "swift   \(name): \(String(format: "%10.0f", rate)) pairs/s (\(String(format: "%.3f", t)) CPU s, best of \(repeats)), "
        + "\(String(format: "%.0f", python / t))× faster than Python"
}
print(line("ROUGE (4 types)             ", tRouge, run.seconds["rouge"]!))
print(line("sentence BLEU               ", tBleu, run.seconds["bleu"]!))
print("agreement over all \(n) pairs: ROUGE max |Δ| = \(rougeDiff), BLEU max |Δ| = \(bleuDiff)")
// BERTScore's matching step alone (the encoder is EmbeddingEngine's): seeded MiniLM-shaped
// matrices, 384 dimensions, 16–32 tokens per side including [CLS]/[SEP].
func sequence(_ rows: Int, seed: UInt64) -> TokenEmbeddings {
    var state = seed
    let values = (0..<(rows * 384)).map { _ -> Float in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
    }
    return try! TokenEmbeddings.bertSequence(values: values, dimension: 384)
}
let bertPairs = (0..<1000).map { k in
    (sequence(16 + k % 17, seed: UInt64(2 * k + 1)), sequence(16 + (k * 7) % 17, seed: UInt64(2 * k + 2)))
}
var bertSum = 0.0
let tBert = seconds {
    for (c, r) in bertPairs { bertSum += try! BERTScore.score(candidate: c, references: [r]).scores.f }
}
print("swift   BERTScore matching (384-d, 16–32 tokens): \(String(format: "%.0f", Double(bertPairs.count) / tBert)) pairs/s (checksum \(String(format: "%.6f", bertSum)))")
if rougeDiff > 1e-6 || bleuDiff > 1e-6 {
    print("DISAGREEMENT above 1e-6")
    exit(1)
}
