// Hyperparameter validation against §4.2 schemas: defaults filled, labels mapped, and every kind
// of error reported together with the parameter, its allowed range and the closest valid name.
import Testing
@testable import Catalog

@Suite struct HyperparameterTests {
    let catalog = try! Catalog.standard()

    func card(_ id: String) -> ModelCard { try! catalog.model(id: id) }

    @Test func defaultsAreFilledInSchemaOrder() throws {
        let resolved = try card("amazon.titan-text-express-v1").resolveHyperparameters(["epochCount": "2"]).get()
        #expect(resolved.entries.map(\.name) == ["epochCount", "batchSize", "learningRate", "learningRateWarmupSteps"])
        #expect(resolved["epochCount"] == .integer(2))
        #expect(resolved.entries.map(\.isDefault) == [false, true, true, true])
        #expect(resolved["learningRate"] == .float(0.00001))
        #expect(resolved.bedrockStrings == ["epochCount": "2", "batchSize": "1", "learningRate": "1e-5", "learningRateWarmupSteps": "5"])
    }

    @Test func snakeCaseLabelsMapToBedrockNames() throws {
        let resolved = try card("amazon.titan-text-express-v1")
            .resolveHyperparameters(["epochs": "2", "batch_size": "4", "learning_rate": "0.0001", "warmup_steps": "5"]).get()
        #expect(resolved.bedrockStrings == ["epochCount": "2", "batchSize": "4", "learningRate": "0.0001", "learningRateWarmupSteps": "5"])
        #expect(resolved.entries.allSatisfy { !$0.isDefault })
        let haiku = try card("anthropic.claude-3-haiku-20240307-v1:0").resolveHyperparameters(
            ["learning_rate_multiplier": "0.5", "early_stopping_threshold": "0.01", "early_stopping_patience": "3"]).get()
        #expect(haiku["learningRateMultiplier"] == .float(0.5))
        #expect(haiku["earlyStoppingPatience"] == .integer(3))
        let cohere = try card("cohere.command-light-text-v14").resolveHyperparameters(["eval_percentage": "10", "epoch_count": "3"]).get()
        #expect(cohere["evalPercentage"] == .float(10))
        #expect(HyperparameterLabels.bedrockName(for: "learning_rate_warmup_steps") == "learningRateWarmupSteps")
        #expect(HyperparameterLabels.label(for: "earlyStoppingThreshold") == "early_stopping_threshold")
    }

    @Test func allErrorsAreReportedTogether() {
        let result = card("amazon.titan-text-express-v1").resolveHyperparameters([
            "epochCount": "11",            // out of range
            "batchSize": "two",            // not a number
            "learningRateWarmupSteps": "2.5",  // not an integer
            "learningRat": "0.1",          // unknown, close to learningRate
        ])
        guard case let .failure(error) = result else { Issue.record("expected failure"); return }
        let valid = ["epochCount", "batchSize", "learningRate", "learningRateWarmupSteps"]
        #expect(error.issues == [
            .unknownName(name: "learningRat", closest: "learningRate", valid: valid),
            .outOfRange(name: "epochCount", value: "11", range: "[1–10]"),
            .notANumber(name: "batchSize", value: "two", expected: .integer, range: "[1–64]"),
            .notANumber(name: "learningRateWarmupSteps", value: "2.5", expected: .integer, range: "[0–250]"),
        ])
        #expect(error.exception == .validation)
        #expect(error.description == """
        ValidationException: invalid hyperparameters for amazon.titan-text-express-v1:
          - unknown hyperparameter "learningRat"; did you mean "learningRate"? (valid: epochCount, batchSize, learningRate, learningRateWarmupSteps)
          - epochCount = 11 is outside its allowed range [1–10]
          - batchSize must be a whole number in [1–64], got "two"
          - learningRateWarmupSteps must be a whole number in [0–250], got "2.5"
        """)
    }

    @Test func wrongParameterForThisModelSuggestsItsOwn() {
        // Claude 3 Haiku takes a learning-rate multiplier, not a learning rate.
        let result = card("anthropic.claude-3-haiku-20240307-v1:0").resolveHyperparameters(["learning_rate": "0.0001"])
        guard case let .failure(error) = result else { Issue.record("expected failure"); return }
        #expect(error.issues.count == 1)
        guard case let .unknownName(name, closest, _) = error.issues[0] else { Issue.record("\(error)"); return }
        #expect(name == "learning_rate")
        #expect(closest == "learning_rate_multiplier")
    }

    @Test func floatRangesUseTheirBounds() {
        let premier = card("amazon.titan-text-premier-v1:0")
        #expect(premier.resolveHyperparameters(["learningRate": "0.00001"]).map { $0["learningRate"] } == .success(.float(1e-5)))
        let result = premier.resolveHyperparameters(["learningRate": "0.001", "batchSize": "2"])
        guard case let .failure(error) = result else { Issue.record("expected failure"); return }
        // Unknown names first, then problems in schema order.
        #expect(error.issues == [.outOfRange(name: "batchSize", value: "2", range: "[1–1]"),
                                 .outOfRange(name: "learningRate", value: "0.001", range: "[1e-7–1e-5]")])
    }

    @Test func requiredParameterWithoutDefault() {
        let result = card("amazon.titan-embed-image-v1").resolveHyperparameters([:])
        #expect(result == .failure(HyperparameterError(modelID: "amazon.titan-embed-image-v1",
                                                       issues: [.missingRequired(name: "epochCount", range: "[1–100]")],
                                                       notCustomizable: false)))
    }

    @Test func duplicateSpellings() {
        let result = card("meta.llama2-13b-v1").resolveHyperparameters(["epochs": "2", "epochCount": "3"])
        guard case let .failure(error) = result else { Issue.record("expected failure"); return }
        #expect(error.issues == [.duplicate(name: "epochCount", spellings: ["epochCount", "epochs"])])
    }

    @Test func nonCustomizableModel() {
        let result = card("anthropic.claude-3-opus-20240229-v1:0").resolveHyperparameters(["epochs": "1"])
        guard case let .failure(error) = result else { Issue.record("expected failure"); return }
        #expect(error.notCustomizable)
        #expect(error.description == "ValidationException: anthropic.claude-3-opus-20240229-v1:0 cannot be customized (it has no hyperparameters)")
    }

    @Test func nonFiniteAndIntegralFloats() {
        let llama = card("meta.llama3-1-8b-instruct-v1:0")
        #expect(llama.resolveHyperparameters(["epochCount": "3.0"]).map { $0["epochCount"] } == .success(.integer(3)))
        guard case let .failure(error) = llama.resolveHyperparameters(["learningRate": "nan"]) else { Issue.record("expected failure"); return }
        #expect(error.issues == [.notANumber(name: "learningRate", value: "nan", expected: .float, range: "[5e-6–0.1]")])
    }
}
