// The card and table renderers: every field of a card appears, labels align, the table's columns
// line up. Exact text is checked for one small card so layout changes are deliberate.
import Testing
@testable import Catalog

@Suite struct RenderTests {
    let catalog = try! Catalog.standard()

    @Test func embeddingCardExactText() throws {
        let card = CardRenderer.render(try catalog.model(id: "cohere.embed-english-v3"), policies: catalog.policies, asOf: catalog.asOf)
        #expect(card == """
        Embed English v3  (cohere.embed-english-v3)
          provider:       Cohere
          ARN:            arn:aws:bedrock:us-east-1::foundation-model/cohere.embed-english-v3
          modalities:     TEXT → EMBEDDING
          context window: 512 tokens
          embedding size: 1024 dimensions (native)
          streaming:      no
          customization:  none
          inference:      ON_DEMAND
          lifecycle:      ACTIVE
          access:         request access (no form needed)
          request body:   cohere-embed
          served by:      all-MiniLM-L6-v2, 384 dimensions
          prices (USD, us-east-1, as of 2026-11-29):
            embedding input: $0.0001 per 1K input tokens (output is free)  [§1.2 [L]]
            batch embedding: $0.00005 per 1K input tokens (50% of on-demand, §7 Batch inference: ~50% of on-demand [~])
        """)
    }

    @Test func customizableCardShowsEverything() throws {
        let text = CardRenderer.render(try catalog.model(id: "amazon.titan-text-express-v1"), policies: catalog.policies)
        for needle in ["provider:", "TEXT → TEXT", "8,192 tokens", "FINE_TUNING, CONTINUED_PRE_TRAINING", "ON_DEMAND, PROVISIONED",
                       "request body:   titan", "SmolLM2-135M-Instruct (Q4_1 GGUF)", "$0.0002 per 1K tokens", "$0.0006 per 1K tokens",
                       "provisioned, no commitment: $20.50 per model unit per hour", "provisioned, 6 months:      $14.80",
                       "training:                   $0.008 per 1K tokens processed", "$1.95 per model per month",
                       "20,000 input / 4,000 output tokens per minute", "AWS publishes none",
                       "epochCount               epoch_count                 integer  5        [1–10]",
                       "amazon.titan-text-express-v1:0:8k"] {
            #expect(text.contains(needle), "card lacks \(needle)")
        }
    }

    @Test func anthropicCardNamesTheFormAndTheEngineLimit() throws {
        let text = CardRenderer.render(try catalog.model(id: "anthropic.claude-3-5-sonnet-20241022-v2:0"), policies: catalog.policies)
        #expect(text.contains("use-case form is required"))
        #expect(text.contains("image and video inputs are accepted by the API shape but not understood"))
        #expect(text.contains("distillation teacher: yes"))
    }

    @Test func tableColumnsAlign() throws {
        let table = ModelTable.render(catalog.models(matching: ModelFilter(provider: .mistral)))
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.count == 7)
        #expect(lines[0].hasPrefix("ID"))
        // Every row starts its provider column where the header's does.
        let column = lines[0].range(of: "provider")!.lowerBound.utf16Offset(in: lines[0])
        for line in lines.dropFirst(2) {
            #expect(Array(line)[column...].starts(with: "Mistral AI"), "\(line)")
        }
        #expect(lines[2].contains("32K") && lines[5].contains("128K"))
    }

    @Test func customCardShowsLineage() throws {
        let base = try catalog.model(id: "meta.llama3-1-8b-instruct-v1:0")
        let custom = try catalog.customModel(suffix: "x1", name: "tuned", base: base, customization: .fineTuning,
                                             hyperparameters: try base.resolveHyperparameters(["epochs": "1"]).get(), jobName: "j1")
        let text = CardRenderer.render(custom, policies: catalog.policies)
        #expect(text.contains("custom model of: meta.llama3-1-8b-instruct-v1:0"))
        #expect(text.contains("inference:      PROVISIONED"))
        #expect(text.contains("hyperparameters: batchSize=1, epochCount=1, learningRate=0.0001"))
        #expect(!text.contains("on-demand input"))
    }
}
