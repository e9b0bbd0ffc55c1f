// `price`: answers cost questions without spending anything, showing the arithmetic line by line.
// Which question is asked follows from the labels: tokens (on-demand, or batch with `batch: true`),
// images, model units (provisioned throughput); `price finetune`, `price storage` and
// `price breakeven` ask the rest.
import BedrockInterpreter
import BedrockPlatform
import Billing
import Catalog
import Foundation

extension PlatformLibrary {
    func registerPricing(into registry: inout NativeRegistry) {
        let int = { (name: String, doc: String) in NativeParameter(name, .int, default: .nil, doc: doc) }
        registry.register(
            "price",
            positional: [NativeParameter("model", modelParameter, doc: "the model to price")],
            labelled: [int("input", "input tokens per request"), int("output", "output tokens per request"),
                       int("requests", "how many requests"), int("days", "repeat the load for this many days"),
                       NativeParameter("batch", .bool, default: .bool(false), doc: "price it as a batch job"),
                       int("images", "how many images"), int("steps", "diffusion steps per image"),
                       NativeParameter("size", .string, default: .nil, doc: "image size, e.g. \"1024x1024\""),
                       NativeParameter("quality", .string, default: .nil, doc: "\"standard\" or \"premium\""),
                       int("units", "provisioned model units"),
                       NativeParameter("term", .string, default: .nil, doc: "\"no commitment\", \"1 month\" or \"6 months\""),
                       int("hours", "hours of provisioned throughput")],
            doc: "What a load would cost, line by line, without running it: on-demand, batch, embeddings, images or provisioned throughput.",
            example: #"price "amazon.titan-text-express-v1" input: 1500 output: 300 requests: 10000"#,
            isCommand: true, category: "pricing"
        ) { args, _ in
            .handle(QuoteHandle(try quote(args)))
        }

        registry.register(
            "price finetune",
            positional: [NativeParameter("model", modelParameter, doc: "the base model")],
            labelled: [NativeParameter("tokens", .int, doc: "training tokens in the data set"),
                       NativeParameter("epochs", .int, default: .int(1), doc: "passes over the data")],
            doc: "The cost of a customization job: tokens × epochs × the base model's training price.",
            example: #"price finetune "amazon.titan-text-express-v1" tokens: 800000 epochs: 3"#,
            isCommand: true, category: "pricing"
        ) { args, _ in
            .handle(QuoteHandle(try platform.pricing.training(try card(args["model"]), tokens: try args.int("tokens"),
                                                              epochs: try args.int("epochs"))))
        }

        registry.register(
            "price storage",
            positional: [NativeParameter("model", modelParameter, doc: "the base model of the custom model")],
            labelled: [NativeParameter("months", .int, default: .int(1), doc: "months of storage")],
            doc: "The monthly storage cost of a custom model.",
            example: #"price storage "amazon.titan-text-express-v1" months: 6"#,
            isCommand: true, category: "pricing"
        ) { args, _ in
            .handle(QuoteHandle(try platform.pricing.storage(try card(args["model"]), months: try args.int("months"))))
        }

        registry.register(
            "price breakeven",
            positional: [NativeParameter("model", modelParameter, doc: "the model")],
            labelled: [NativeParameter("input", .int, doc: "input tokens per request"),
                       NativeParameter("output", .int, doc: "output tokens per request"),
                       NativeParameter("units", .int, default: .int(1), doc: "model units"),
                       NativeParameter("term", .string, default: .string("no commitment"), doc: "commitment term")],
            doc: "The load at which provisioned throughput costs the same as on-demand requests.",
            example: #"price breakeven "amazon.titan-text-express-v1" input: 1000 output: 200"#,
            isCommand: true, category: "pricing"
        ) { args, _ in
            .handle(QuoteHandle(try platform.pricing.breakEven(
                try card(args["model"]), inputTokensPerRequest: try args.int("input"),
                outputTokensPerRequest: try args.int("output"), units: try args.int("units"),
                term: try CommitmentTerm.parse(try args.string("term"), field: "term"))))
        }
    }

    private func quote(_ args: NativeArguments) throws -> PriceQuote {
        let m = try card(args["model"])
        let requests = try args.optionalInt("requests") ?? 1
        let days = try args.optionalInt("days")
        if let units = try args.optionalInt("units") {
            let term = try CommitmentTerm.parse(try args.optionalString("term") ?? "no commitment", field: "term")
            return try platform.pricing.provisioned(m, units: units, term: term, hours: try args.optionalInt("hours"))
        }
        if let images = try args.optionalInt("images") {
            let (width, height) = try imageSize(try args.optionalString("size"))
            let quality = try args.optionalString("quality").map { (q) throws(CatalogError) in try ImageQuality.parse(q, field: "quality") }
            if m.outputModalities.contains(.embedding) {
                return try platform.pricing.embeddings(m, inputTokens: try args.optionalInt("input") ?? 0, requests: requests,
                                                       images: images, days: days)
            }
            return try platform.pricing.images(m, count: images, width: width, height: height,
                                               steps: try args.optionalInt("steps"), quality: quality)
        }
        let input = try args.optionalInt("input") ?? 0
        if m.outputModalities.contains(.embedding) {
            return try platform.pricing.embeddings(m, inputTokens: input, requests: requests, days: days)
        }
        let output = try args.optionalInt("output") ?? 0
        if try args.bool("batch") {
            return try platform.pricing.batch(m, inputTokens: input, outputTokens: output, requests: requests, days: days)
        }
        return try platform.pricing.onDemand(m, inputTokens: input, outputTokens: output, requests: requests, days: days)
    }

    /// "1024x1024" → (1024, 1024); nil → the default 1024².
    private func imageSize(_ text: String?) throws -> (Int, Int) {
        guard let text else { return (1024, 1024) }
        let parts = text.lowercased().split(separator: "x").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, parts[0] > 0, parts[1] > 0 else {
            throw NativeError("size must look like \"1024x1024\" (width x height), got \"\(text)\"")
        }
        return (parts[0], parts[1])
    }
}
