// A custom model's own weights on disk, and the model file the engine serves it from. The weights
// file is GGUF: LoRA adapters (`blk.N.<proj>.lora_a` (rank, in), `.lora_b` (out, rank), F32) or,
// after full fine-tuning, every trained tensor in F32, with the base file's SHA-256 in its metadata.
// The served file is a copy of the base GGUF whose changed matrices hold base + (alpha/rank)·B·A
// (or the fine-tuned values) in Q8_0, so the unchanged engine runs it. Both are written atomically.
import Foundation
import Numerics
import TextEngine
import Training
import Workspace

enum CustomWeightsFile {
    static let weightsName = "weights.gguf"
    /// The served copy's name says its encoding, so a change of encoding never reads a stale file.
    static let servedName = "served-q8_0.gguf"
    static let servedType = QuantType.q8_0

    /// Writes `model`'s trained tensors to `url` (atomically): adapters under LoRA, all weights under full.
    static func write(_ model: TrainingModel, baseSHA256: String, customizationType: String, to url: URL) throws {
        var meta: [(String, GGUFValue)] = [("general.type", .string("adapter")), ("general.architecture", .string("llama")),
                                           ("bedrock.base_sha256", .string(baseSHA256)),
                                           ("bedrock.customization_type", .string(customizationType))]
        switch model.mode {
        case .lora(let lc):
            meta += [("adapter.type", .string("lora")), ("adapter.lora.alpha", .float32(Float(lc.alpha))),
                     ("adapter.lora.rank", .uint32(UInt32(lc.rank)))]
        case .full:
            meta.append(("adapter.type", .string("full")))
        }
        let entries = model.trainedTensors
        let records = entries.map { GGUFTensorRecord(name: $0.name, dims: $0.shape.reversed(), type: .f32) }
        try AtomicFile.write(to: url) { handle in
            try GGUFWriter.write(metadata: meta, tensors: records, data: { i in
                try TensorEncoding.bytes(try model.tensor(named: entries[i].name), as: .f32)
            }, to: { bytes in try handle.write(contentsOf: bytes) })
        }
    }

    /// What a weights file says about itself.
    struct Header {
        var kind: String
        var rank: Int
        var alpha: Double
        var baseSHA256: String
    }

    static func header(_ weights: GGUFFile) throws -> Header {
        let kind = try weights.string("adapter.type")
        let rank = kind == "lora" ? try weights.int("adapter.lora.rank") : 0
        let alpha = kind == "lora" ? try weights.double("adapter.lora.alpha") : 0
        return Header(kind: kind, rank: rank, alpha: alpha, baseSHA256: try weights.string("bedrock.base_sha256"))
    }

    /// Builds (atomically) the engine file serving `weightsURL` on top of `base`, at `servedURL`.
    static func buildServed(base: GGUFFile, weightsURL: URL, servedURL: URL) throws {
        let weights = try GGUFFile(path: weightsURL.path)
        let h = try header(weights)
        let replaces: (String) -> Bool
        let values: (String) throws -> [Float]
        if h.kind == "lora" {
            func adapter(_ name: String, _ part: String) -> String { String(name.dropLast(".weight".count)) + "." + part }
            replaces = { name in name.hasSuffix(".weight") && weights.tensor(adapter(name, "lora_a")) != nil }
            values = { name in
                var w = try base.floats(name)
                LoRAMerge.merge(into: &w, a: try weights.floats(adapter(name, "lora_a")), b: try weights.floats(adapter(name, "lora_b")),
                                rank: h.rank, scale: Float(h.alpha / Double(h.rank)))
                return w
            }
        } else {
            replaces = { name in weights.tensor(name) != nil }
            values = { name in try weights.floats(name) }
        }
        try AtomicFile.write(to: servedURL) { handle in
            try base.writeCopy(replacing: replaces, values: values, as: servedType,
                               extraMetadata: [("bedrock.custom_weights", .string(weightsURL.lastPathComponent)),
                                               ("bedrock.base_sha256", .string(h.baseSHA256))],
                               to: { bytes in try handle.write(contentsOf: bytes) })
        }
    }
}
