// The `models` listing as an aligned text table: ID, name, provider, modalities, context,
// streaming, customization, inference types and lifecycle, one row per model. The full card of one
// model is CardRenderer.swift.
import Foundation

public enum ModelTable {
    /// The `models` listing: one aligned row per model.
    public static func render(_ models: [ModelCard]) -> String {
        let rows = models.map { m -> [String] in
            [m.id, m.name, m.provider.rawValue,
             m.inputModalities.map(short).joined(separator: "+") + "→" + m.outputModalities.map(short).joined(separator: "+"),
             m.contextWindow.map(compactTokens) ?? "-",
             m.streaming ? "yes" : "no",
             m.customizations.isEmpty ? "-" : m.customizations.map(short).joined(separator: ","),
             m.inferenceTypes.map { $0 == .onDemand ? "on-demand" : "provisioned" }.joined(separator: ","),
             m.lifecycle.rawValue]
        }
        return TextLayout.table(header: ["ID", "name", "provider", "in→out", "context", "stream", "customization", "inference", "lifecycle"],
                                rows: rows, rightAligned: [4])
    }

    static func short(_ m: Modality) -> String {
        switch m {
        case .text: "T"
        case .image: "Img"
        case .embedding: "Emb"
        case .video: "Vid"
        }
    }

    static func short(_ c: CustomizationType) -> String {
        switch c {
        case .fineTuning: "FT"
        case .continuedPreTraining: "CPT"
        case .distillation: "DIST"
        case .imported: "IMPORTED"
        }
    }

    /// 8192 → "8K", 8191 → "8,191", 1000000 → "1M", 128000 → "128K".
    static func compactTokens(_ n: Int) -> String {
        if n >= 1_000_000, n % 1_000_000 == 0 { return "\(n / 1_000_000)M" }
        if n % 1000 == 0 { return "\(n / 1000)K" }
        if n % 1024 == 0 { return "\(n / 1024)K" }
        return Money.quantity(Decimal(n))
    }
}
