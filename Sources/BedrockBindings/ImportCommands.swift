// `import_model`, `imported_models`, `delete_model` and `model_file`: Custom Model Import as
// commands. `import_model` reads the file path (relative to the script) and the names, calls
// Platform.createModelImportJob and returns the job (JobCommands.swift: `wait`, `jobs`). Every
// check is the platform's; `model_file` finds a file in the model cache, as `data_file` does.
import BedrockInterpreter
import BedrockPlatform
import Catalog
import Foundation

extension PlatformLibrary {
    func registerImport(into registry: inout NativeRegistry) {
        registry.register(
            "import_model",
            positional: [NativeParameter("file", .string, doc: "a llama-architecture GGUF file (F32, F16, Q4_0, Q4_1, Q8_0; Q5_0, Q5_1 and K-quant matrices run as Q8_0)")],
            labelled: [NativeParameter("name", .string, doc: "the imported model's name (1–63 letters, digits, - _ .)"),
                       NativeParameter("job_name", .string, default: .nil, doc: "the job's name (default: <name>-import)")],
            doc: "Imports a llama-architecture GGUF as a custom model served on demand (CreateModelImportJob, Custom Model Import); returns the job.",
            example: #"let j = import_model model_file("smollm2/SmolLM2-135M-Instruct.Q4_1.gguf") name: "my-smollm"; wait j"#,
            isCommand: true, category: "customization"
        ) { args, ctx in
            let p = try platform
            let job = try p.createModelImportJob(path: ctx.resolvePath(try args.string("file")), name: try args.string("name"),
                                                 jobName: try args.optionalString("job_name"))
            return .handle(JobHandle(id: job.id, platform: p))
        }

        registry.register(
            "imported_models",
            doc: "Lists this workspace's imported models (ListImportedModels): architecture, parameters, context, CMUs, file.",
            example: "imported_models", isCommand: true, category: "customization"
        ) { _, _ in
            let cards = try platform.importedModelCards()
            let rows = cards.compactMap { c -> [String]? in
                guard let i = c.custom?.imported else { return nil }
                return [c.name, i.architecture, Money.quantity(Decimal(i.parameterCount)), String(i.servedContext),
                        i.quantization.first ?? "", String(i.customModelUnits), i.servedFile]
            }
            let text = cards.isEmpty ? "no imported models"
                : TextLayout.table(header: ["name", "architecture", "parameters", "context", "quantization", "CMUs", "file"], rows: rows)
            let records = cards.map { c in
                Record([("name", .string(c.name)), ("arn", .string(c.id)),
                        ("parameters", .int(c.custom?.imported?.parameterCount ?? 0)),
                        ("custom_model_units", .int(c.custom?.imported?.customModelUnits ?? 0)),
                        ("sha256", .string(c.custom?.imported?.sha256 ?? ""))])
            }
            return .handle(TableHandle(kindName: "imported models", text: text, rows: records))
        }

        registry.register(
            "delete_model",
            positional: [NativeParameter("model", modelParameter, doc: "an imported model, its name or ARN")],
            doc: "Deletes an imported model and its file (DeleteImportedModel); returns its ARN.",
            example: #"let j = import_model model_file("smollm2/SmolLM2-135M-Instruct.Q4_1.gguf") name: "short-lived"; wait j; delete_model "short-lived""#,
            isCommand: true, category: "customization"
        ) { args, _ in
            let key: String
            switch args["model"] {
            case .handle(let h) where h.object is ModelHandle: key = (h.object as! ModelHandle).card.id
            case .string(let s): key = s
            default: throw NativeError("delete_model takes an imported model or its name")
            }
            return .string(try platform.deleteImportedModel(key))
        }

        registry.register(
            "model_file",
            positional: [NativeParameter("name", .string, doc: "a path inside the model cache, e.g. \"smollm2/SmolLM2-135M-Instruct.Q4_1.gguf\"")],
            doc: "The path of a file in the model cache that scripts/fetch-models fills (smollm2/, minilm/).",
            example: #"model_file("smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")"#, category: "data"
        ) { args, _ in .string(try platform.modelFile(try args.string("name"))) }
    }
}
