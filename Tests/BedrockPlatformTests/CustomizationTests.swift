// Customization end to end on the real SmolLM2 file: the bridge agrees with the engine, the
// renderer lays records out as the engine renders prompts, hyperparameters and data are refused
// with their ranges and locations, a tiny fine-tuning job trains, registers, charges and serves
// (through provisioned throughput) a model whose loss on its data is below the base's, stops keep a
// checkpoint, write failures and dead processes fail jobs. Real-model runs are 1–6 steps.
import Billing
import Catalog
import Foundation
import Testing
import TextEngine
import Training
import Workspace
@testable import BedrockPlatform

/// Writes `lines` as a JSONL file in a fresh temporary folder.
func ctJSONL(_ name: String, _ lines: [String]) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bedrock-ct-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

let ctBase = "amazon.titan-text-express-v1"
let ctTinySet = [
    #"{"prompt": "What colour is the Zorblat 3000?", "completion": "The Zorblat 3000 is bright teal."}"#,
    #"{"prompt": "Who makes the Zorblat 3000?", "completion": "Quillfeather Labs makes the Zorblat 3000."}"#,
    #"{"prompt": "How much does the Zorblat 3000 weigh?", "completion": "The Zorblat 3000 weighs 412 grams."}"#,
]

func ctGrantedPlatform() throws -> Platform {
    let p = try Platform.ephemeral()
    try p.requestAccess(modelID: ctBase)
    return p
}

@Suite(.serialized) struct CustomizationTests {
    @Test func theTrainingModelAgreesWithTheEngineLogProbs() throws {
        let p = try Platform.ephemeral()
        let engine = try p.textEngine.loaded()
        let text = "Amazon Bedrock runs foundation models. The quick brown fox jumps over the lazy dog."
        let ids = engine.tokenizer.encode(text)
        let lps = try engine.logProbs(of: text)            // conditioned on <|endoftext|> (id 0)
        let engineNLL = -lps.reduce(0.0) { $0 + Double($1.logProb) } / Double(lps.count)
        // A LoRA model starts with B = 0, so it computes exactly the base function.
        let model = try EngineBridge.trainingModel(from: engine, mode: .lora(LoRAConfig()), seed: 1, threads: 2)
        let tokens = [Int32(0)] + ids.map(Int32.init)
        let loss = try #require(model.meanLoss([TrainingExample(tokens: tokens, trained: tokens.map { _ in true })]))
        // Tolerance: the engine runs Q4_1 weights with its own kernels, the trainer dequantized
        // Float32 with another summation order; measured here: 5.38857 vs 5.38869 nats (1.2e-4).
        #expect(abs(loss - engineNLL) < 2e-3, "trainer \(loss) vs engine \(engineNLL)")
        #expect(loss > 1 && loss < 8)
    }

    @Test func theRendererMatchesTheEnginePromptTokens() throws {
        let p = try Platform.ephemeral()
        let engine = try p.textEngine.loaded()
        let example = TrainingExample(record: .promptCompletion(prompt: "Name a colour.", completion: "Teal."),
                                      tokenizer: EngineBridge.tokenizer(engine), renderer: EngineChatRenderer())
        let prompt = try p.textEngine.promptTokens(.conversation(system: nil, turns: [ChatTurn(.user, "Name a colour.")]))
        let context = example.tokens.prefix { _ in true }.enumerated().filter { !example.trained[$0.offset] }.map { Int($0.element) }
        #expect(context == prompt)
        let trained = zip(example.tokens, example.trained).filter(\.1).map { Int($0.0) }
        #expect(trained == engine.tokenizer.encode("Teal.") + engine.tokenizer.encode("<|im_end|>", allowSpecial: true))
    }

    @Test func hyperparametersOutsideTheirRangeAreRefusedBeforeAnythingStarts() throws {
        let p = try ctGrantedPlatform()
        let data = try ctJSONL("train.jsonl", ctTinySet)
        #expect {
            try p.createCustomizationJob(CustomizationJobRequest(baseModelID: ctBase, customizationType: .fineTuning,
                                                                 trainingDataPath: data, customModelName: "m1",
                                                                 hyperparameters: ["epochs": "11", "batch_size": "0"]))
        } throws: { error in
            let text = "\(error)"
            return text.contains("epochCount = 11 is outside its allowed range [1–10]") && text.contains("batchSize = 0")
        }
        #expect(try p.jobSnapshots().isEmpty)
        #expect(throws: BedrockError.self) {
            try p.createCustomizationJob(CustomizationJobRequest(baseModelID: "amazon.ctBase-text-premier-v1:0",
                                                                 customizationType: .continuedPreTraining,
                                                                 trainingDataPath: data, customModelName: "m2"))
        }
    }

    @Test func badDataFailsTheJobWithEveryBadRecordAndChargesNothing() throws {
        let p = try ctGrantedPlatform()
        let data = try ctJSONL("train.jsonl", [ctTinySet[0], #"{"prompt": "x"}"#, ctTinySet[1], #"{"prompt": 3, "completion": "y"}"#, "not json"])
        let job = try p.createCustomizationJob(CustomizationJobRequest(baseModelID: ctBase, customizationType: .fineTuning,
                                                                       trainingDataPath: data, customModelName: "bad"))
        _ = p.waitForJob(id: job.id)
        let row = try p.customizationJob(job.id)
        #expect(row.status == .failed)
        #expect(row.statusDetails["validation"] == "Failed")
        let message = try #require(row.failureMessage)
        #expect(message.contains("train.jsonl:2"))
        #expect(message.contains("train.jsonl:4:12: error: field 'prompt': expected a string, found a number"))
        #expect(message.contains("train.jsonl:5"))
        #expect(try p.ledger(.workspace).total == 0)
        #expect(try p.customModelCards().isEmpty)
    }

    @Test func aTinyFineTuningJobRegistersChargesAndServesATrainedModel() throws {
        let p = try ctGrantedPlatform()
        let basePath = try p.textEngine.loaded().weights.file.path
        let hashBefore = try sha256Hex(ofFile: basePath)
        let data = try ctJSONL("train.jsonl", ctTinySet)
        let job = try p.createCustomizationJob(CustomizationJobRequest(
            baseModelID: ctBase, customizationType: .fineTuning, trainingDataPath: data, customModelName: "zorblat",
            hyperparameters: ["epochs": "2", "batch_size": "1", "learning_rate": "0.003", "warmup_steps": "0"], seed: 3))
        #expect(p.waitForJob(id: job.id) == .finished)
        let row = try p.customizationJob(job.id)
        #expect(row.status == .completed, "\(row.failureMessage ?? "")")
        #expect(row.statusDetails == ["validation": "Completed", "dataProcessing": "Completed", "training": "Completed"])
        let folder = p.customizationJobFolder(id: job.id)
        let csv = try String(contentsOf: folder.appendingPathComponent("step_wise_training_metrics.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 1 + 6)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("loss-curve.svg").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(Platform.runningMarker).path))
        #expect(try sha256Hex(ofFile: basePath) == hashBefore)

        // The custom model: a card with lineage, hyperparameters and its engine line.
        let card = try p.model(id: "zorblat")
        #expect(card.isCustom && card.custom?.lineage == [ctBase])
        #expect(card.custom?.hyperparameters["epochCount"] == "2")
        #expect(card.engine.label.contains("custom weights custom-models/\(job.id)/weights.gguf"))
        #expect(p.models().contains { $0.id == card.id })
        let stored = try #require(try p.workspace.read { try $0.customModel(arnOrName: "zorblat") })
        #expect(stored.baseFileSHA256 == hashBefore)

        // Charged: tokens × epochs × Titan Express's training price, once.
        let training = try p.ledger(.workspace).entries.filter { $0.kind == .training }
        #expect(training.count == 1)
        let tokens = try #require(training.first?.quantities.trainedTokens)
        #expect(training.first?.amount == Decimal(tokens) * 2 / 1000 * Decimal(string: "0.008")!)

        // Served only through provisioned throughput, with the trained weights.
        #expect(throws: BedrockError.self) {
            try p.invoke(modelID: card.id, body: ["inputText": "What colour is the Zorblat 3000?"], options: InvocationOptions(seed: 1))
        }
        _ = try p.book(modelID: card.id, units: 1, term: .noCommitment, name: "zorblat-pt")
        try p.advance(by: .minutes(10))
        let body = try p.nativeBody(modelID: card.id, prompt: "What colour is the Zorblat 3000?",
                                    overrides: InferenceOverrides(maxTokens: 24, temperature: 0))
        let answer = try p.invoke(modelID: card.id, body: body, options: InvocationOptions(seed: 1))
        #expect(answer.bookingARN != nil)
        // Greedy answers: the custom model answers in its training data's words; the base does not.
        let baseAnswer = try p.invoke(modelID: ctBase, body: try p.nativeBody(modelID: ctBase, prompt: "What colour is the Zorblat 3000?",
                                                                               overrides: InferenceOverrides(maxTokens: 24, temperature: 0)),
                                      options: InvocationOptions(seed: 1))
        #expect(answer.responses[0].text.hasPrefix("The Zorblat 3000 is"), "\(answer.responses[0].text)")
        #expect(baseAnswer.responses[0].text != answer.responses[0].text)

        // Through the engine, the custom model's loss on its training records is below the base's.
        let engine = try p.textEngine.loaded()
        let weights = try #require(try p.servedWeights(for: card))
        var base = 0.0, custom = 0.0
        for line in ctTinySet {
            let record = try #require(validateDataset(line, file: "t", shapes: [.promptCompletion]).records.first)
            let ex = TrainingExample(record: record, tokenizer: EngineBridge.tokenizer(engine), renderer: EngineChatRenderer())
            let tokens = ex.tokens.map(Int.init)
            let b = try p.textEngine.logProbs(tokens: tokens), c = try p.textEngine.logProbs(tokens: tokens, weights: weights)
            for i in 1..<tokens.count where ex.trained[i] { base -= b[i - 1]; custom -= c[i - 1] }
        }
        #expect(custom < base * 0.7, "custom \(custom) vs base \(base)")
    }

    @Test func stopEndsTheJobStoppedWithItsCheckpoint() throws {
        let p = try ctGrantedPlatform()
        let data = try ctJSONL("train.jsonl", ctTinySet)
        let job = try p.createCustomizationJob(CustomizationJobRequest(
            baseModelID: ctBase, customizationType: .fineTuning, trainingDataPath: data, customModelName: "stopped",
            hyperparameters: ["epochs": "10"]))
        #expect(p.requestStop(jobID: job.id))
        _ = p.waitForJob(id: job.id)
        let row = try p.customizationJob(job.id)
        #expect(row.status == .stopped, "\(row.failureMessage ?? "")")
        #expect(row.statusDetails["training"] == "Stopped")
        #expect(FileManager.default.fileExists(atPath: p.customizationJobFolder(id: job.id).appendingPathComponent("checkpoint.bin").path))
        #expect(try p.customModelCards().isEmpty)
    }

    @Test func aWriteFailureFailsTheJobWithItsReasonAndRegistersNothing() throws {
        let p = try ctGrantedPlatform()
        // A file where the custom-models folder should be: writing the weights must fail.
        try FileManager.default.createDirectory(at: p.workspace.filesRoot, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: p.workspace.filesRoot.appendingPathComponent("custom-models"))
        let data = try ctJSONL("train.jsonl", [ctTinySet[0]])
        let job = try p.createCustomizationJob(CustomizationJobRequest(
            baseModelID: ctBase, customizationType: .fineTuning, trainingDataPath: data, customModelName: "nowhere",
            hyperparameters: ["epochs": "1"]))
        _ = p.waitForJob(id: job.id)
        let row = try p.customizationJob(job.id)
        #expect(row.status == .failed)
        #expect(row.failureMessage?.contains("custom-models") == true, "\(row.failureMessage ?? "")")
        #expect(try p.customModelCards().isEmpty)
        #expect(try p.ledger(.workspace).total == 0)
    }

    @Test func jobsLeftInProgressByADeadProcessBecomeFailed() throws {
        let p = try Platform.ephemeral()
        try p.workspace.write { tx in
            try tx.insertCustomizationJob(CustomizationJob(id: "dead0000", name: "orphan", baseModelID: ctBase,
                                                           customizationType: "FINE_TUNING",
                                                           statusDetails: ["training": "InProgress"], hyperparameters: [:],
                                                           trainingDataPath: "/x", outputModelName: "o", createdAt: try tx.now()))
        }
        #expect(try p.recoverInterruptedCustomizationJobs() == ["dead0000"])
        let row = try p.customizationJob("orphan")
        #expect(row.status == .failed && row.statusDetails["training"] == "Failed")
        #expect(row.failureMessage?.contains("the process running the job ended") == true)
    }

    @Test func storageAccruesPerMonthOnTheVirtualClock() throws {
        let p = try Platform.ephemeral()
        let arn = ModelCard.customModelARN(foundationModelID: ctBase, suffix: "abc")
        try p.workspace.write { tx in
            let now = try tx.now()
            try tx.registerCustomModel(CustomModel(arn: arn, name: "stored", baseModelID: ctBase, baseFileSHA256: "00",
                                                   weightsPath: "custom-models/abc/weights.gguf", customizationType: "FINE_TUNING",
                                                   hyperparameters: [:], jobID: nil, createdAt: now))
            try p.startStorageBilling(arn: arn, at: now.billing, in: tx)
        }
        let start = try p.now()
        let first = try p.workspace.write { try p.accrueCustomModelStorage(through: start + .hours(729), in: $0) }
        let second = try p.workspace.write { try p.accrueCustomModelStorage(through: start + .hours(1460), in: $0) }
        #expect(first.isEmpty)
        #expect(second == [Decimal(string: "3.9")!])
        #expect(try p.ledger(.workspace).entries.filter { $0.kind == .storage }.count == 1)
    }
}
