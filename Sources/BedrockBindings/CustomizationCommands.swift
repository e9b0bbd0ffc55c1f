// `finetune`, `continue_pretraining`, `custom_models` and `loss_curve`: model customization as commands. The two
// job commands read the data paths (relative to the script), the custom model's name and Bedrock's
// hyperparameters under snake_case labels, call Platform.createCustomizationJob and return the job
// (JobCommands.swift: `wait`, `jobs`, `stop job`). Every check is the platform's.
import BedrockInterpreter
import BedrockPlatform
import Catalog
import Foundation

extension PlatformLibrary {
    /// Labels for every hyperparameter some base model accepts (each base checks its own set).
    static let hyperparameterLabels: [(label: String, doc: String)] = [
        ("epochs", "passes over the training data (epochCount)"), ("epoch_count", "same as epochs"),
        ("batch_size", "records per optimizer step (batchSize)"), ("learning_rate", "peak learning rate (learningRate)"),
        ("warmup_steps", "linear warmup steps (learningRateWarmupSteps)"),
        ("learning_rate_warmup_steps", "same as warmup_steps"),
        ("learning_rate_multiplier", "Claude 3 Haiku: scales the learning rate (learningRateMultiplier)"),
        ("early_stopping_threshold", "least validation-loss improvement that counts (earlyStoppingThreshold)"),
        ("early_stopping_patience", "evaluations without improvement before stopping (earlyStoppingPatience)"),
        ("eval_percentage", "Cohere: percent of the data held out when no validation file is given (evalPercentage)"),
    ]

    static var customizationParameters: [NativeParameter] {
        [NativeParameter("data", .string, doc: "training data, JSONL"),
         NativeParameter("validation", .string, default: .nil, doc: "validation data, JSONL"),
         NativeParameter("name", .string, doc: "the custom model's name"),
         NativeParameter("job_name", .string, default: .nil, doc: "the job's name (default: <name>-job)"),
         NativeParameter("method", .string, default: .string("lora"), doc: "\"lora\" (adapters on the frozen base) or \"full\""),
         NativeParameter("rank", .int, default: .int(8), doc: "LoRA rank"),
         NativeParameter("alpha", .number, default: .int(16), doc: "LoRA alpha (adapter scale alpha/rank)")]
            + hyperparameterLabels.map { NativeParameter($0.label, .number, default: .nil, doc: $0.doc) }
    }

    func registerCustomization(into registry: inout NativeRegistry) {
        registerCustomizationMetrics(into: &registry)
        registry.register(
            "finetune",
            positional: [NativeParameter("base", modelParameter, doc: "the base model")],
            labelled: Self.customizationParameters,
            doc: "Starts a fine-tuning job (CreateModelCustomizationJob, FINE_TUNING) on labelled JSONL data; returns the job.",
            example: #"request access "amazon.titan-text-lite-v1"; write_jsonl(temp_dir() + "/train.jsonl", [{prompt: "Who runs bedrock?", completion: "You do, locally."}]); let j = finetune "amazon.titan-text-lite-v1" data: temp_dir() + "/train.jsonl" name: "support-bot" epochs: 1; wait j"#,
            isCommand: true, category: "customization"
        ) { args, ctx in
            try startCustomization(.fineTuning, args, ctx)
        }

        registry.register(
            "continue_pretraining",
            positional: [NativeParameter("base", modelParameter, doc: "the base model")],
            labelled: Self.customizationParameters,
            doc: "Starts a continued pre-training job (CONTINUED_PRE_TRAINING) on unlabeled {\"input\"} JSONL text; returns the job.",
            example: #"request access "amazon.titan-text-lite-v1"; write_jsonl(temp_dir() + "/domain.jsonl", [{input: "A kluge is a clever but clumsy fix."}]); let j = continue_pretraining "amazon.titan-text-lite-v1" data: temp_dir() + "/domain.jsonl" name: "jargon"; wait j"#,
            isCommand: true, category: "customization"
        ) { args, ctx in
            try startCustomization(.continuedPreTraining, args, ctx)
        }

        registry.register(
            "custom_models",
            doc: "Lists this workspace's custom models (ListCustomModels): base, customization, hyperparameters.",
            example: "custom_models", isCommand: true, category: "customization"
        ) { _, _ in
            let cards = try platform.customModelCards()
            let rows = cards.map { c in
                [c.name, c.custom?.foundationModelID ?? "", c.custom?.customizationType.rawValue ?? "",
                 (c.custom?.hyperparameters ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")]
            }
            let text = cards.isEmpty ? "no custom models"
                : TextLayout.table(header: ["name", "base", "customization", "hyperparameters"], rows: rows)
            let records = cards.map { c in
                Record([("name", .string(c.name)), ("arn", .string(c.id)),
                        ("base", .string(c.custom?.foundationModelID ?? "")),
                        ("lineage", .list((c.custom?.lineage ?? []).map(Value.string)))])
            }
            return .handle(TableHandle(kindName: "custom models", text: text, rows: records))
        }
    }

    private func startCustomization(_ type: CustomizationType, _ args: NativeArguments, _ ctx: NativeContext) throws -> Value {
        let p = try platform
        let base = try card(args["base"])
        var hyper: [String: String] = [:]
        for (label, _) in Self.hyperparameterLabels {
            guard let value = args.optional(label) else { continue }
            hyper[label] = Self.hyperparameterText(value)
        }
        let method: TuningMethod
        switch try args.string("method").lowercased() {
        case "lora": method = .lora(rank: try args.int("rank"), alpha: try args.double("alpha"))
        case "full": method = .full
        case let other: throw NativeError("method must be \"lora\" or \"full\", got \"\(other)\"")
        }
        let request = CustomizationJobRequest(
            baseModelID: base.id, customizationType: type, trainingDataPath: ctx.resolvePath(try args.string("data")),
            validationDataPath: try args.optionalString("validation").map(ctx.resolvePath),
            customModelName: try args.string("name"), jobName: try args.optionalString("job_name"),
            hyperparameters: hyper, method: method, seed: ctx.seed)
        let job = try p.createCustomizationJob(request)
        return .handle(JobHandle(id: job.id, platform: p))
    }

    /// A number as Bedrock's hyperparameter text (`{"epochCount": "2"}`).
    static func hyperparameterText(_ value: Value) -> String {
        switch value {
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)"
        case .decimal(let d): return "\(d)"
        default: return "\(value)"
        }
    }
}

extension PlatformLibrary {
    func registerCustomizationMetrics(into registry: inout NativeRegistry) {
        registry.register(
            "loss_curve",
            positional: [NativeParameter("job", .oneOf(.handle("job"), .string), doc: "a customization job, its ID or name")],
            doc: "A customization job's loss per step (step_wise_training_metrics.csv) and validation loss, drawn for the terminal.",
            example: "jobs", isCommand: true, category: "customization"
        ) { args, _ in
            let m = try platform.customizationMetrics(try jobKey(args["job"]))
            func list(_ rows: [(step: Int, epoch: Int, loss: Double)]) -> Value {
                .list(rows.map { .record(Record([("step", .int($0.step)), ("epoch", .int($0.epoch)), ("loss", .double($0.loss))])) })
            }
            return .record(Record([("text", .string(m.curveText)), ("training", list(m.training)),
                                   ("validation", list(m.validation)), ("svg", .string(m.svgPath))]))
        }
    }
}
