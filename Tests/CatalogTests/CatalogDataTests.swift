// The shipped catalog data: it loads, the embedded copy matches Data/*.json on disk, and its
// invariants hold (checked here independently of the loader's own validation).
import Foundation
import Testing
@testable import Catalog

@Suite struct CatalogDataTests {
    let catalog = try! Catalog.standard()

    @Test func embeddedCopyMatchesTheFilesOnDisk() throws {
        let dataDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/Catalog/Data").standardized
        let names = try FileManager.default.contentsOfDirectory(atPath: dataDir.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names == EmbeddedCatalogData.files.keys.sorted(), "embedded files differ from \(dataDir.path): run scripts/embed-resources")
        for name in names {
            let disk = try String(contentsOf: dataDir.appendingPathComponent(name), encoding: .utf8)
            #expect(EmbeddedCatalogData.files[name] == disk, "\(name) changed on disk since it was embedded: run scripts/embed-resources")
        }
    }

    @Test func standardIsDecodedOnceAndSharedAcrossTasks() async throws {
        let ids = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try Catalog.standard().models.count } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(ids == Array(repeating: 57, count: 8))
    }

    @Test func headerFacts() {
        #expect(catalog.asOf == "2026-11-29")
        #expect(catalog.region == "us-east-1")
        #expect(catalog.currency == "USD")
        #expect(catalog.policies.batchFactor.value == Decimal(string: "0.5")!)
        #expect(catalog.policies.batchFactor.approximate)
        #expect(catalog.policies.hoursPerMonth == 730)
        #expect(catalog.policies.throughputNote.contains("AWS publishes no"))
    }

    @Test func modelCountsByProvider() {
        var counts: [Provider: Int] = [:]
        for m in catalog.models { counts[m.provider, default: 0] += 1 }
        #expect(counts == [.ai21: 5, .anthropic: 10, .amazon: 13, .cohere: 6, .meta: 13, .mistral: 5, .stability: 5])
        #expect(catalog.models.count == 57)
    }

    /// The models issue 3 names, by their real Bedrock IDs.
    @Test(arguments: [
        "ai21.j2-mid-v1", "ai21.j2-ultra-v1", "ai21.jamba-instruct-v1:0",
        "anthropic.claude-instant-v1", "anthropic.claude-v2", "anthropic.claude-v2:1",
        "anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-sonnet-20240229-v1:0",
        "anthropic.claude-3-opus-20240229-v1:0", "anthropic.claude-3-5-sonnet-20240620-v1:0",
        "stability.stable-diffusion-xl-v1", "stability.sd3-large-v1:0",
        "amazon.titan-text-lite-v1", "amazon.titan-text-express-v1", "amazon.titan-text-premier-v1:0",
        "amazon.titan-embed-text-v1", "amazon.titan-embed-text-v2:0", "amazon.titan-image-generator-v1",
        "amazon.nova-micro-v1:0", "amazon.nova-lite-v1:0", "amazon.nova-pro-v1:0",
        "cohere.command-text-v14", "cohere.command-light-text-v14", "cohere.command-r-v1:0",
        "cohere.command-r-plus-v1:0", "cohere.embed-english-v3",
        "meta.llama2-13b-chat-v1", "meta.llama3-8b-instruct-v1:0", "meta.llama3-1-8b-instruct-v1:0",
        "meta.llama3-2-1b-instruct-v1:0", "mistral.mistral-7b-instruct-v0:2",
        "mistral.mixtral-8x7b-instruct-v0:1", "mistral.mistral-large-2402-v1:0",
    ])
    func requiredModelIsPresent(id: String) throws {
        #expect(try catalog.model(id: id).id == id)
    }

    @Test func idsAndAliasesAreUnique() {
        let all = catalog.models.flatMap { [$0.id] + $0.aliases }
        #expect(Set(all).count == all.count)
    }

    @Test func everyCustomizableModelHasASchemaWithDefaultsInRange() {
        for m in catalog.models where m.customizations.contains(.fineTuning) || m.customizations.contains(.continuedPreTraining) {
            #expect(!m.hyperparameters.isEmpty, "\(m.id) is customizable but has no hyperparameters")
            #expect(m.hyperparameters.contains { $0.name == "epochCount" || $0.name == "stepCount" }, "\(m.id)")
            for s in m.hyperparameters {
                #expect(s.min <= s.max, "\(m.id).\(s.name)")
                if let d = s.default { #expect(d >= s.min && d <= s.max, "\(m.id).\(s.name) default \(d) outside \(s.rangeText)") }
            }
        }
        for m in catalog.models where !m.isCustomizable { #expect(m.hyperparameters.isEmpty, "\(m.id)") }
    }

    @Test func everyPriceTheInferenceTypesNeedIsPresent() {
        for m in catalog.models {
            let out = m.outputModalities.first
            if m.supportsOnDemand {
                switch out {
                case .text?: #expect(m.prices.onDemand != nil, "\(m.id) on-demand text price")
                case .embedding?: #expect(m.prices.embedding != nil, "\(m.id) embedding price")
                case .image?: #expect(!(m.prices.images ?? []).isEmpty, "\(m.id) image prices")
                default: Issue.record("\(m.id) has an unexpected output modality")
                }
            }
            if m.supportsProvisioned {
                let terms = m.prices.provisioned?.offeredTerms ?? []
                #expect(!terms.isEmpty, "\(m.id) provisioned rates")
                #expect(m.throughputPerModelUnit != nil, "\(m.id) capacity per model unit")
            }
            if m.isCustomizable {
                #expect(m.prices.trainingPer1KTokens != nil || m.prices.trainingPerImage != nil, "\(m.id) training price")
                #expect(m.prices.storagePerMonth?.usd == Decimal(string: "1.95")!, "\(m.id) storage")
                #expect(m.supportsProvisioned, "\(m.id): custom models need provisioned throughput")
            }
            for (field, price) in m.prices.allPrices {
                #expect(price.usd > 0, "\(m.id).\(field)")
                #expect(price.source.contains("§") || price.source.hasPrefix("estimate"), "\(m.id).\(field) source \(price.source)")
                if price.source.contains("[~]") || price.source.hasPrefix("estimate") {
                    #expect(price.approximate, "\(m.id).\(field) is [~] or an estimate but not marked approximate")
                }
            }
        }
    }

    @Test func accessFormsEnginesAndBodyFamilies() throws {
        for m in catalog.models {
            #expect(m.useCaseFormRequired == (m.provider == .anthropic), "\(m.id)")
            switch m.engine.kind {
            case .text: #expect(m.engine.label.hasPrefix("SmolLM2-135M-Instruct (Q4_1 GGUF) on the CPU, speaking this provider's"), "\(m.id)")
            case .embedding: #expect(m.engine.label == "all-MiniLM-L6-v2, 384 dimensions", "\(m.id)")
            case .image: #expect(m.engine.label == "the project's own small diffusion model", "\(m.id)")
            }
            if m.inputModalities.count > 1, m.engine.kind != .image { #expect(m.engine.limitations != nil, "\(m.id) should say images are not understood") }
        }
        #expect(try catalog.model(id: "anthropic.claude-v2").bodyFamily == .claudeText)
        #expect(try catalog.model(id: "anthropic.claude-3-opus-20240229-v1:0").bodyFamily == .claudeMessages)
        #expect(try catalog.model(id: "cohere.command-r-plus-v1:0").bodyFamily == .cohereCommandR)
        #expect(try catalog.model(id: "amazon.nova-canvas-v1:0").bodyFamily == .titanImage)
        #expect(Set(catalog.models.map(\.bodyFamily)) == Set(BodyFamily.allCases))
    }

    @Test func referenceFigures() throws {
        let express = try catalog.model(id: "amazon.titan-text-express-v1")
        #expect(express.contextWindow == 8192 && express.maxOutputTokens == 8192)
        #expect(express.customizations == [.fineTuning, .continuedPreTraining])
        #expect(express.prices.provisioned?.noCommitment?.usd == Decimal(string: "20.50")!)
        #expect(express.prices.provisioned?.sixMonths?.usd == Decimal(string: "14.80")!)
        let j2 = try catalog.model(id: "ai21.j2-ultra-v1")
        #expect(j2.lifecycle == .legacy && !j2.streaming)
        #expect(j2.prices.onDemand?.inputPer1K.usd == Decimal(string: "0.0188")!)
        let v2 = try catalog.model(id: "amazon.titan-embed-text-v2:0")
        #expect(v2.embeddingDimensions == [1024, 512, 256])
        #expect(v2.prices.embedding?.inputPer1K.usd == Decimal(string: "0.00002")!)
        let haiku = try catalog.model(id: "anthropic.claude-3-haiku-20240307-v1:0")
        #expect(haiku.prices.onDemand?.inputPer1K.approximate == true)
        #expect(haiku.hyperparameters.map(\.name) == ["epochCount", "batchSize", "learningRateMultiplier", "earlyStoppingThreshold", "earlyStoppingPatience"])
        let nova = try catalog.model(id: "amazon.nova-lite-v1:0")
        #expect(nova.inputModalities == [.text, .image, .video])
        #expect(try catalog.model(id: "meta.llama2-13b-v1").inferenceTypes == [.provisioned])
        #expect(catalog.models.filter { $0.lifecycle == .legacy }.map(\.id) == ["ai21.j2-mid-v1", "ai21.j2-ultra-v1"])
    }
}
