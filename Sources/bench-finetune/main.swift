// bench-finetune: a real fine-tuning job through the platform, as Docs/fine-tuning.md runs it
// (Titan Text Lite served by SmolLM2-135M, LoRA rank 8, 3 epochs, batch 4, learning rate 0.001,
// 2 warm-up steps, validation after each epoch), timed for each thread count. Prints seconds per
// epoch, trained tokens per second and the job's losses. The data files come from the notebook's
// own data cell (scripts/bench-finetune extracts them). `full` instead trains every weight (the
// notebook's job, full fine-tuning). Not a test: numbers depend on the load.
// Usage: bench-finetune train.jsonl validation.jsonl [threads,…] [lora|full]
import BedrockPlatform
import Foundation

let args = CommandLine.arguments.dropFirst().map { $0 }
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: bench-finetune train.jsonl validation.jsonl [1,2] [lora|full]\n".utf8))
    exit(2)
}
let threadText = args.count > 2 ? args[2] : "1,2"
let threadCounts = threadText.split(separator: ",").compactMap { Int($0) }.filter { $0 >= 1 }
guard !threadCounts.isEmpty, threadCounts.count == threadText.split(separator: ",").count else {
    FileHandle.standardError.write(Data("bench-finetune: thread counts must be whole numbers ≥ 1 separated by commas, got \"\(threadText)\"\n".utf8))
    exit(2)
}
let base = "amazon.titan-text-lite-v1", epochs = 3
let method = args.count > 3 ? args[3] : "lora"
guard method == "lora" || method == "full" else {
    FileHandle.standardError.write(Data("bench-finetune: the method must be lora or full, got \"\(method)\"\n".utf8))
    exit(2)
}
let full = method == "full"

for threads in threadCounts {
    let platform = try Platform.ephemeral(sessionID: "bench-finetune")
    _ = try platform.requestAccess(modelID: base)
    _ = try platform.countTokens(text: "warm up")   // loads the model: job start is bench-train load
    let start = Date()
    let job = try platform.createCustomizationJob(CustomizationJobRequest(
        baseModelID: base, customizationType: .fineTuning, trainingDataPath: args[0], validationDataPath: args[1],
        customModelName: "bench-\(threads)", hyperparameters: ["epochs": "\(epochs)", "batch_size": "4",
                                                               "learning_rate": "0.001", "warmup_steps": "2"],
        method: full ? .full : .standard, seed: 7, threads: threads))
    _ = platform.waitForJob(id: job.id)
    let seconds = Date().timeIntervalSince(start)
    let row = try platform.customizationJob(job.id)
    let tokens = row.metrics["trainedTokens"] ?? 0
    let metrics = try platform.customizationMetrics(job.id)
    let losses = metrics.validation.map { String(format: "%.3f", $0.loss) }.joined(separator: " → ")
    print("\(full ? "full" : "lora") threads \(threads): \(row.status.rawValue) in \(String(format: "%.1f", seconds)) s = "
          + "\(String(format: "%.1f", seconds / Double(epochs))) s per epoch; \(Int(tokens)) tokens trained, "
          + "\(String(format: "%.0f", tokens / seconds)) tok/s including 3 validation passes; validation loss \(losses)")
}
