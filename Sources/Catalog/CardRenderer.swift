// Renders one model card as aligned "label: value" text: identity, modalities, limits, access,
// engine, every price with its unit and source, capacity and hyperparameters. Text only; the
// `models` listing table is ModelTable.swift and quote arithmetic lives in Billing.
import Foundation

public enum CardRenderer {
    /// The full card. `policies` supplies the batch discount and the month length.
    public static func render(_ m: ModelCard, policies: CatalogPolicies, asOf: String? = nil) -> String {
        var out = ["\(m.name)  (\(m.id))", TextLayout.labelled(identityRows(m), indent: "  ")]
        let priceRows = self.priceRows(m, policies: policies)
        if !priceRows.isEmpty {
            out.append("  prices (USD, \(Region.name)\(asOf.map { ", as of \($0)" } ?? "")):")
            out.append(TextLayout.labelled(priceRows, indent: "    "))
        }
        if let t = m.throughputPerModelUnit {
            var text = "\(Money.quantity(Decimal(t.inputTokensPerMinute))) input / \(Money.quantity(Decimal(t.outputTokensPerMinute))) output tokens per minute"
            if let images = t.imagesPerMinute { text += ", \(images) images per minute" }
            out.append(TextLayout.labelled([("capacity per model unit", text + " (a configurable project figure: AWS publishes none)")], indent: "  "))
        }
        if !m.hyperparameters.isEmpty { out.append(hyperparameterBlock(m.hyperparameters)) }
        if let c = m.custom, let i = c.imported {
            out.append(TextLayout.labelled(importedRows(c, i), indent: "  "))
        } else if let c = m.custom {
            out.append(TextLayout.labelled(customRows(c), indent: "  "))
        }
        if !m.notes.isEmpty { out.append(TextLayout.labelled([("notes", m.notes.joined(separator: "\n"))], indent: "  ")) }
        return out.joined(separator: "\n")
    }

    static func identityRows(_ m: ModelCard) -> [(String, String?)] {
        let approx = Set(m.approximateFields)
        func mark(_ field: String) -> String { approx.contains(field) ? " (approximate)" : "" }
        let context = m.contextWindow.map { "\(Money.quantity(Decimal($0))) tokens\(mark("contextWindow"))" } ?? "n/a"
        let access = m.isImported ? "none needed: you imported it"
            : m.useCaseFormRequired
            ? "request access; a one-time use-case form is required (Anthropic)"
            : "request access (no form needed)"
        return [
            ("provider", m.provider.rawValue),
            ("ARN", m.arn),
            ("modalities", m.inputModalities.map(\.rawValue).joined(separator: " + ") + " → " + m.outputModalities.map(\.rawValue).joined(separator: ", ")),
            ("context window", context),
            ("max output", m.maxOutputTokens > 0 ? "\(Money.quantity(Decimal(m.maxOutputTokens))) tokens\(mark("maxOutputTokens"))" : nil),
            ("embedding size", m.embeddingDimensions.map { $0.map(String.init).joined(separator: " / ") + " dimensions (native)\(mark("embeddingDimensions"))" }),
            ("streaming", m.streaming ? "yes" : "no"),
            ("customization", m.customizations.isEmpty ? "none" : m.customizations.map(\.rawValue).joined(separator: ", ")),
            ("distillation teacher", m.distillationTeacher ? "yes" : nil),
            ("inference", m.inferenceTypes.map(\.rawValue).joined(separator: ", ")),
            ("lifecycle", m.lifecycle.rawValue),
            ("access", access),
            ("request body", m.bodyFamily.rawValue),
            ("served by", m.engine.label + (m.engine.limitations.map { "\n(\($0))" } ?? "")),
            ("aliases", m.aliases.isEmpty ? nil : m.aliases.joined(separator: ", ")),
        ]
    }

    static func priced(_ p: SourcedPrice, _ unit: String) -> String {
        "\(Money.rate(p.usd)) \(unit)  [\(p.source)\(p.approximate && !p.source.contains("[~]") && !p.source.hasPrefix("estimate") ? "; approximate" : "")]"
    }

    static func priceRows(_ m: ModelCard, policies: CatalogPolicies) -> [(String, String?)] {
        let p = m.prices
        var rows: [(String, String?)] = []
        let factor = policies.batchFactor
        let batchNote = "(\(Money.quantity(factor.value * 100))% of on-demand, \(factor.source))"
        if let od = p.onDemand {
            rows.append(("on-demand input", priced(od.inputPer1K, "per 1K tokens")))
            rows.append(("on-demand output", priced(od.outputPer1K, "per 1K tokens")))
            rows.append(("batch input / output", "\(Money.rate(od.inputPer1K.usd * factor.value)) / \(Money.rate(od.outputPer1K.usd * factor.value)) per 1K tokens \(batchNote)"))
        }
        if let e = p.embedding {
            rows.append(("embedding input", priced(e.inputPer1K, "per 1K input tokens (output is free)")))
            if let img = e.perImage { rows.append(("embedding image", priced(img, "per input image"))) }
            rows.append(("batch embedding", "\(Money.rate(e.inputPer1K.usd * factor.value)) per 1K input tokens \(batchNote)"))
        }
        for tier in p.images ?? [] { rows.append(("image, \(tier.label)", priced(tier.price, "per image"))) }
        if let rates = p.provisioned {
            for term in CommitmentTerm.allCases {
                if let r = rates.rate(for: term) {
                    rows.append(("provisioned, \(term.label)", priced(r, "per model unit per hour")))
                } else {
                    rows.append(("provisioned, \(term.label)", "not offered"))
                }
            }
        }
        if let t = p.trainingPer1KTokens { rows.append(("training", priced(t, "per 1K tokens processed (tokens × epochs)"))) }
        if let t = p.trainingPerImage { rows.append(("training", priced(t, "per image seen"))) }
        if let s = p.storagePerMonth { rows.append(("custom model storage", priced(s, "per model per month"))) }
        return rows
    }

    static func hyperparameterBlock(_ specs: [HyperparameterSpec]) -> String {
        let rows = specs.map { s in
            [s.name, HyperparameterLabels.label(for: s.name), s.type.rawValue,
             s.default.map { formatHyperparameter($0, s.type) } ?? "(required)", s.rangeText,
             s.source + (s.note.map { "; \($0)" } ?? "")]
        }
        let table = TextLayout.table(header: ["name", "label", "type", "default", "range", "source"], rows: rows)
        return "  hyperparameters:\n" + table.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
    }

    static func customRows(_ c: CustomModelInfo) -> [(String, String?)] {
        [("custom model of", c.foundationModelID),
         ("trained from", c.parentModelID),
         ("lineage", c.lineage.joined(separator: " → ")),
         ("customization", c.customizationType.rawValue),
         ("job", c.jobName),
         ("hyperparameters", c.hyperparameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))]
    }
}
