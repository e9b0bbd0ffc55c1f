// `finetune`, `continue_pretraining` and `custom_models` through a real session: snake_case labels
// reach the base model's schema (and its range errors reach the script), a one-step job on the real
// model completes, and its custom model is listed and shown with the engine that serves it.
import BedrockBindings
import BedrockInterpreter
import BedrockPlatform
import Foundation
import Synchronization
import Testing

/// Runs `source` with `files` written into a fresh base directory.
func runWithFiles(_ source: String, files: [String: String]) throws -> (output: String, outcome: RunOutcome) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bedrock-cc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
    let text = Mutex("")
    let platform = try Platform.ephemeral()
    let session = Session(options: SessionOptions(baseDirectory: dir.path, libraries: [PlatformLibrary(platform: platform)],
                                                  output: { chunk in text.withLock { $0 += chunk } }))
    let outcome = session.runSource(source, name: "test.bedrock")
    return (text.withLock { $0 }, outcome)
}

let ccTrain = #"{"prompt": "Who makes the Zorblat 3000?", "completion": "Quillfeather Labs."}"# + "\n"
    + #"{"prompt": "What colour is the Zorblat 3000?", "completion": "Bright teal."}"# + "\n"

@Suite(.serialized) struct CustomizationCommandTests {
    @Test func aRangeErrorNamesTheRangeAndRecordsNoJob() throws {
        let (out, outcome) = try runWithFiles(#"""
            request access "amazon.titan-text-lite-v1"
            finetune "amazon.titan-text-lite-v1" data: "train.jsonl" name: "x" warmup_steps: 300
            """#, files: ["train.jsonl": ccTrain])
        guard case .runtimeError(let message) = outcome else { Issue.record("expected an error, got \(out)"); return }
        #expect(message.contains("learningRateWarmupSteps = 300 is outside its allowed range [0–250]"))
    }

    @Test func finetuneReturnsAJobThatCompletesIntoAListedCustomModel() throws {
        let (out, outcome) = try runWithFiles(#"""
            request access "amazon.titan-text-lite-v1"
            let j = finetune "amazon.titan-text-lite-v1" data: "train.jsonl" name: "zorblat-lite" epochs: 1 batch_size: 2 learning_rate: 0.001 warmup_steps: 0
            wait j
            print j.status, j.hyperparameters.epochCount, j.hyperparameters.batchSize
            print custom_models
            print model("zorblat-lite")
            """#, files: ["train.jsonl": ccTrain])
        #expect(outcome == .ok, "\(outcome)")
        #expect(out.contains("Completed 1 2"), "\(out)")
        #expect(out.contains("zorblat-lite") && out.contains("FINE_TUNING"))
        #expect(out.contains("custom weights custom-models/"))
        #expect(out.contains("lineage"))
    }
}
