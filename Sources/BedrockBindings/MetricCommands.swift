// The metrics as language functions: ROUGE, BLEU, chrF, QA exact match and F1, word error rate,
// classification accuracy (pure, from Metrics), and BERTScore and perplexity (which need the
// engines, through the platform). Options are labels in snake_case; results print with the
// settings that made them.
import BedrockInterpreter
import BedrockPlatform
import Metrics

/// A metric result: prints with its signature; its numbers are members.
struct MetricHandle: PlatformObject {
    let text: String
    let fields: [(String, Value)]

    var kind: String { "metric" }
    var displayText: String { text }
    func member(_ name: String) -> Value? { fields.first { $0.0 == name }?.1 }
    var memberNames: [String] { fields.map(\.0) }

    static func prf(_ s: PrecisionRecallF) -> Value {
        .record(Record([("precision", .double(s.precision)), ("recall", .double(s.recall)), ("f", .double(s.f))]))
    }

    init(text: String, fields: [(String, Value)]) {
        self.text = text
        self.fields = fields
    }

    init(_ result: TextMetricResult) {
        text = result.description
        switch result {
        case .rouge(let r):
            fields = zip(r.options.types, r.scores).map { ($0.0.description, Self.prf($0.1)) }
        case .bleu(let b):
            fields = [("score", .double(b.score)), ("precisions", .list(b.precisions.map(Value.double))),
                      ("brevity_penalty", .double(b.brevityPenalty)), ("ratio", .double(b.ratio)), ("signature", .string(b.signature))]
        case .chrf(let c):
            fields = [("score", .double(c.score)), ("signature", .string(c.signature))]
        case .qa(let q):
            fields = [("exact_match", .double(q.exactMatch)), ("f1", .double(q.f1))]
        case .wer(let w):
            fields = [("wer", .double(w.wer)), ("substitutions", .int(w.substitutions)), ("deletions", .int(w.deletions)),
                      ("insertions", .int(w.insertions))]
        }
    }
}

extension PlatformLibrary {
    /// `smoothValue` → `smooth_value`.
    static func snake(_ name: String) -> String {
        name.reduce(into: "") { out, c in out += c.isUppercase ? "_" + c.lowercased() : String(c) }
    }

    func registerMetrics(into registry: inout NativeRegistry) {
        let textMetrics: [(String, [String], String, String)] = [
            ("rouge", RougeOptions.optionNames, "ROUGE-1, -2, -L and -Lsum (precision, recall, F) as Google's rouge-score computes them.",
             #"print rouge("the cat sat on the mat", "a cat sat on a mat")"#),
            ("bleu", BLEUOptions.optionNames, "Sentence BLEU as sacrebleu computes it, with its signature.",
             #"print bleu("the cat sat on the mat", ["the cat is on the mat"])"#),
            ("chrf", CHRFOptions.optionNames, "chrF (character n-gram F-score) as sacrebleu computes it.",
             #"print chrf("the cat sat", "the cat sat down")"#),
            ("qa", [], "Question answering: exact match and token F1 after SQuAD normalisation.",
             #"print qa("Paris", ["paris", "Paris, France"]).exact_match"#),
            ("wer", [], "Word error rate of a hypothesis against a reference (substitutions, deletions, insertions).",
             #"print wer("the cat sat", "the cat sat down").wer"#),
        ]
        for (name, optionNames, doc, example) in textMetrics {
            registry.register(
                name,
                positional: [NativeParameter("candidate", .string, doc: "the generated text"),
                             NativeParameter("references", .oneOf(.string, .list), doc: "a reference or a list of them")],
                labelled: optionNames.map { NativeParameter(Self.snake($0), .any, default: .nil, doc: "see Docs/evaluation-metrics.md") },
                doc: doc, example: example, category: "metrics"
            ) { args, _ in
                var options: [String: OptionValue] = [:]
                for option in optionNames {
                    if let v = args.optional(Self.snake(option)) { options[option] = try optionValue(v, name: Self.snake(option)) }
                }
                let result = try TextMetric.score(name, candidate: try args.string("candidate"),
                                                  references: try strings(args["references"]), options: options)
                return .handle(MetricHandle(result))
            }
        }

        registry.register(
            "accuracy",
            positional: [NativeParameter("predictions", .list, doc: "predicted labels"),
                         NativeParameter("labels", .list, doc: "true labels")],
            doc: "Classification accuracy, with per-class and macro precision, recall and F1.",
            example: #"print accuracy(["pos", "neg", "pos"], ["pos", "pos", "pos"]).accuracy"#,
            category: "metrics"
        ) { args, _ in
            let s = try Classification.score(predictions: try strings(args["predictions"]), labels: try strings(args["labels"]))
            return .handle(MetricHandle(text: s.description, fields: [
                ("accuracy", .double(s.accuracy)), ("correct", .int(s.correct)), ("total", .int(s.total)),
                ("macro", MetricHandle.prf(s.macro)),
            ]))
        }

        registry.register(
            "bertscore",
            positional: [NativeParameter("candidate", .string, doc: "the generated text"),
                         NativeParameter("references", .oneOf(.string, .list), doc: "a reference or a list of them")],
            labelled: [NativeParameter("layer", .int, default: .int(6), doc: "which MiniLM layer's token vectors (0–6)")],
            doc: "BERTScore: greedy cosine matching of all-MiniLM-L6-v2 token vectors; rewards paraphrases n-gram metrics miss.",
            example: #"print bertscore("the weather is cold today", "it is freezing today")"#,
            category: "metrics"
        ) { args, _ in
            let r = try platform.bertScore(candidate: try args.string("candidate"), references: try strings(args["references"]),
                                           layer: try args.int("layer"))
            return .handle(MetricHandle(text: r.description, fields: [
                ("precision", .double(r.scores.precision)), ("recall", .double(r.scores.recall)), ("f1", .double(r.scores.f)),
                ("signature", .string(r.signature)),
            ]))
        }

        registry.register(
            "perplexity",
            positional: [NativeParameter("text", .string, doc: "the text to score")],
            labelled: [NativeParameter("model", modelParameter, default: .string("amazon.titan-text-express-v1"), doc: "a text model")],
            doc: "Perplexity of a text under a text model: exp of the mean negative log-likelihood per token.",
            example: #"print perplexity("The cat sat on the mat.").perplexity > 1"#,
            category: "metrics"
        ) { args, _ in
            let r = try platform.perplexity(of: try args.string("text"), modelID: try card(args["model"]).id)
            return .handle(MetricHandle(text: r.description, fields: [
                ("perplexity", .double(r.perplexity)), ("mean_nll", .double(r.meanNLL)),
                ("tokens", .list(r.tokens.map { .record(Record([("text", .string($0.text)), ("log_prob", .double($0.logProb))])) })),
            ]))
        }
    }

    private func strings(_ value: Value) throws -> [String] {
        switch value {
        case .string(let s): return [s]
        case .list(let items):
            return try items.map { item in
                guard case .string(let s) = item else { throw NativeError("expected a list of strings") }
                return s
            }
        default: throw NativeError("expected a string or a list of strings, got \(value.typeName)")
        }
    }

    private func optionValue(_ value: Value, name: String) throws -> OptionValue {
        switch value {
        case .bool(let b): return .bool(b)
        case .int(let i): return .number(Double(i))
        case .double(let d): return .number(d)
        case .string(let s): return .string(s)
        case .list: return .list(try strings(value))
        default: throw NativeError("option \(name) must be a bool, number, string or list of strings")
        }
    }
}
