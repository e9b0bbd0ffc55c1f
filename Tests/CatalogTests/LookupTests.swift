// Lookup by ID and alias, closest-ID suggestions, listing filters and their parsing.
import Foundation
import Testing
@testable import Catalog

@Suite struct LookupTests {
    let catalog = try! Catalog.standard()

    @Test func aliasResolvesToTheModel() throws {
        #expect(try catalog.model(id: "amazon.titan-text-express-v1:0:8k").id == "amazon.titan-text-express-v1")
    }

    @Test func typoSuggestsTheClosestID() {
        #expect(throws: CatalogError.unknownModel(id: "amazon.titan-text-expres-v1",
                                                  suggestions: ["amazon.titan-text-express-v1", "amazon.titan-text-lite-v1", "amazon.titan-text-premier-v1:0"])) {
            try catalog.model(id: "amazon.titan-text-expres-v1")
        }
    }

    @Test func partialIDSuggestsModelsContainingIt() {
        let s = catalog.closestIDs(to: "claude-3-haiku")
        #expect(s == ["anthropic.claude-3-haiku-20240307-v1:0"])
        #expect(catalog.closestIDs(to: "mistral.mistral-large").first?.hasPrefix("mistral.mistral-large-") == true)
    }

    @Test func modelNameSuggestsItsID() {
        #expect(catalog.closestIDs(to: "Claude 3 Opus").first == "anthropic.claude-3-opus-20240229-v1:0")
    }

    @Test func nonsenseSuggestsNothing() {
        #expect(catalog.closestIDs(to: "zzzz") == [])
        let error = CatalogError.unknownModel(id: "zzzz", suggestions: [])
        #expect(error.description == "ResourceNotFoundException: no model with ID \"zzzz\"")
        #expect(error.exception == .resourceNotFound)
    }

    @Test func filtersCombine() throws {
        let anthropicFT = catalog.models(matching: ModelFilter(provider: .anthropic, customization: .fineTuning))
        #expect(anthropicFT.map(\.id) == ["anthropic.claude-3-haiku-20240307-v1:0"])
        let cpt = catalog.models(matching: ModelFilter(customization: .continuedPreTraining)).map(\.id)
        #expect(cpt == ["amazon.titan-text-lite-v1", "amazon.titan-text-express-v1"])
        let embeddings = catalog.models(matching: ModelFilter(outputModality: .embedding))
        #expect(embeddings.count == 5)
        let imageIn = catalog.models(matching: ModelFilter(inputModality: .image, outputModality: .text))
        #expect(imageIn.allSatisfy { $0.inputModalities.contains(.image) && $0.outputModalities == [.text] })
        #expect(imageIn.count == 11)  // 6 Claude, 3 Nova, Llama 3.2 11B and 90B
        let video = catalog.models(matching: ModelFilter(modality: .video)).map(\.id)
        #expect(video == ["amazon.nova-lite-v1:0", "amazon.nova-pro-v1:0", "amazon.nova-premier-v1:0"])
        let provisionedOnly = catalog.models(matching: ModelFilter(inference: .provisioned)).filter { !$0.supportsOnDemand }
        #expect(provisionedOnly.map(\.id) == ["meta.llama2-13b-v1", "meta.llama2-70b-v1"])
        #expect(catalog.models(matching: ModelFilter()).count == catalog.models.count)
    }

    @Test func filterOptionsParseLooseSpellings() throws {
        let f = try ModelFilter.parse(["provider": "mistral", "modality": "text", "customization": "fine-tuning", "inference": "on demand"])
        #expect(f == ModelFilter(provider: .mistral, modality: .text, customization: .fineTuning, inference: .onDemand))
        #expect(try Provider.parse("Stability AI", field: "provider") == .stability)
        #expect(try CommitmentTerm.parse("6 months", field: "term") == .sixMonths)
        #expect(try CommitmentTerm.parse("no commitment", field: "term") == .noCommitment)
        #expect(try CommitmentTerm.parse("OneMonth", field: "term") == .oneMonth)
    }

    @Test func badFilterValueNamesAllowedValuesAndClosest() {
        #expect(throws: CatalogError.invalidValue(field: "provider", value: "antropic",
                                                  allowed: Provider.allCases.map(\.rawValue), closest: "Anthropic")) {
            try ModelFilter.parse(["provider": "antropic"])
        }
        do {
            _ = try ModelFilter.parse(["modalty": "text"])
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("did you mean \"modality\"?"))
        }
    }

    @Test func identifiersForCompletion() {
        #expect(catalog.identifiers.contains("meta.llama3-1-70b-instruct-v1:0"))
        #expect(catalog.identifiers.contains("amazon.titan-text-lite-v1:0:4k"))
        #expect(catalog.identifiers == catalog.identifiers.sorted())
    }

    @Test func customModelIsProvisionedOnlyWithLineage() throws {
        let base = try catalog.model(id: "amazon.titan-text-express-v1")
        let hp = try base.resolveHyperparameters(["epochs": "2"]).get()
        let custom = try catalog.customModel(suffix: "abc123", name: "support-bot", base: base, customization: .fineTuning,
                                             hyperparameters: hp, jobName: "job-1")
        #expect(custom.id == "arn:aws:bedrock:us-east-1:000000000000:custom-model/amazon.titan-text-express-v1/abc123")
        #expect(custom.arn == custom.id)
        #expect(custom.inferenceTypes == [.provisioned])
        #expect(custom.foundationModelID == base.id)
        #expect(custom.custom?.lineage == [base.id])
        #expect(custom.custom?.hyperparameters == ["epochCount": "2", "batchSize": "1", "learningRate": "1e-5", "learningRateWarmupSteps": "5"])
        #expect(custom.prices.provisioned == base.prices.provisioned)
        #expect(custom.prices.onDemand == nil)
        #expect(custom.bodyFamily == .titan && custom.engine == base.engine)
        // A custom model of a custom model keeps the whole lineage.
        let second = try catalog.customModel(suffix: "def456", name: "support-bot-2", base: custom, customization: .fineTuning,
                                             hyperparameters: hp)
        #expect(second.custom?.lineage == [base.id, custom.id])
        #expect(second.foundationModelID == base.id)
        // Custom cards survive the workspace's Codable round trip.
        let data = try JSONEncoder().encode(second)
        #expect(try JSONDecoder().decode(ModelCard.self, from: data) == second)
    }

    @Test func customizationTypeMustBeSupported() throws {
        let premier = try catalog.model(id: "amazon.titan-text-premier-v1:0")
        let hp = try premier.resolveHyperparameters([:]).get()
        #expect(throws: CatalogError.customizationNotSupported(modelID: premier.id, type: .continuedPreTraining, supported: [.fineTuning])) {
            try catalog.customModel(suffix: "x", name: "x", base: premier, customization: .continuedPreTraining, hyperparameters: hp)
        }
    }
}
