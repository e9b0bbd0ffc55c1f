// `embed`, `similarity` and `nearest`: embedding models through their native bodies, and the
// vector arithmetic built on them.
import BedrockInterpreter
import BedrockPlatform
import Catalog
import Foundation

/// The result of `embed`: vectors, usage and cost.
struct EmbeddingHandle: PlatformObject {
    let invocation: EmbeddingInvocation

    var kind: String { "embedding" }
    var displayText: String {
        let v = invocation.vectors.first ?? []
        let head = v.prefix(4).map { String(format: "%.5f", $0) }.joined(separator: ", ")
        return "\(invocation.vectors.count) vector(s) of \(v.count) dimensions [\(head), …]\n"
            + "[\(invocation.modelID) · \(invocation.inputTokens) input tokens · \(Money.format(invocation.cost))]"
    }

    func member(_ name: String) -> Value? {
        switch name {
        case "vector": return .list((invocation.vectors.first ?? []).map { .double(Double($0)) })
        case "vectors": return .list(invocation.vectors.map { .list($0.map { .double(Double($0)) }) })
        case "dimensions": return .int(invocation.vectors.first?.count ?? 0)
        case "input_tokens": return .int(invocation.inputTokens)
        case "cost": return .decimal(invocation.cost)
        case "body": return invocation.body.value
        case "model": return .string(invocation.modelID)
        default: return nil
        }
    }
    var memberNames: [String] { ["vector", "vectors", "dimensions", "input_tokens", "cost", "body", "model"] }
}

extension PlatformLibrary {
    static let defaultEmbeddingModel = "amazon.titan-embed-text-v2:0"

    func registerEmbeddings(into registry: inout NativeRegistry) {
        registry.register(
            "embed",
            positional: [NativeParameter("model", modelParameter, doc: "an embedding model")],
            variadic: NativeParameter("text", .oneOf(.string, .list), doc: "a text, or a list of texts (Cohere)"),
            labelled: [NativeParameter("body", .record, default: .nil, doc: "the native request body"),
                       NativeParameter("normalize", .bool, default: .nil, doc: "unit-length vectors (Titan V2)"),
                       NativeParameter("dimensions", .int, default: .nil, doc: "vector size (the local engine makes 384)"),
                       NativeParameter("input_type", .string, default: .nil, doc: "Cohere: search_document, search_query, classification, clustering")],
            doc: "Embeds text with an embedding model's native body; charges input tokens only.",
            example: #"request access "amazon.titan-embed-text-v2:0"; print embed("amazon.titan-embed-text-v2:0", "Hello").dimensions"#,
            isCommand: true, category: "embeddings"
        ) { args, _ in
            let m = try card(args["model"])
            let body: JSONValue
            if let record = args.optional("body") {
                body = try JSONValue(value: record)
            } else {
                guard args.rest.count == 1 else { throw NativeError("embed needs one text (or a list of texts), or body: {…}") }
                let texts: [String]
                switch args.rest[0] {
                case .string(let s): texts = [s]
                case .list(let items):
                    texts = try items.map { item in
                        guard case .string(let s) = item else { throw NativeError("embed: every text must be a string") }
                        return s
                    }
                default: throw NativeError("embed: expected a text or a list of texts")
                }
                body = try platform.embeddingBody(modelID: m.id, texts: texts,
                                                  normalize: args.optional("normalize").map { $0 == .bool(true) },
                                                  dimensions: try args.optionalInt("dimensions"),
                                                  inputType: try args.optionalString("input_type"))
            }
            return .handle(EmbeddingHandle(invocation: try platform.embed(modelID: m.id, body: body)))
        }

        registry.register(
            "similarity",
            positional: [NativeParameter("a", .any, doc: "a text, a vector or an embedding"),
                         NativeParameter("b", .any, doc: "a text, a vector or an embedding")],
            labelled: [NativeParameter("model", modelParameter, default: .string(Self.defaultEmbeddingModel),
                                       doc: "the embedding model for texts")],
            doc: "Cosine similarity of two texts (embedded with `model`), vectors or embeddings.",
            example: #"print similarity([1, 0], [0.6, 0.8])"#,
            category: "embeddings"
        ) { args, _ in
            let m = try card(args["model"])
            let a = try vector(args["a"], model: m.id), b = try vector(args["b"], model: m.id)
            return .double(try cosine(a, b))
        }

        registry.register(
            "nearest",
            positional: [NativeParameter("query", .string, doc: "the query text"),
                         NativeParameter("texts", .list, doc: "the texts to search")],
            labelled: [NativeParameter("k", .int, default: .int(3), doc: "how many to return"),
                       NativeParameter("model", modelParameter, default: .string(Self.defaultEmbeddingModel),
                                       doc: "the embedding model")],
            doc: "The k texts most similar to the query, best first, as {text, score} records.",
            example: #"request access "amazon.titan-embed-text-v2:0"; print nearest("fruit", ["apple", "car", "pear"], k: 2)"#,
            category: "embeddings"
        ) { args, _ in
            let m = try card(args["model"])
            let query = try vector(.string(try args.string("query")), model: m.id)
            let texts = try args.list("texts")
            let scored = try texts.map { t -> (Value, Double) in (t, try cosine(query, try vector(t, model: m.id))) }
            let best = scored.enumerated().sorted { $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset }
            return .list(best.prefix(max(0, try args.int("k"))).map { item in
                .record(Record([("text", item.element.0), ("score", .double(item.element.1))]))
            })
        }
    }

    /// A vector from a list of numbers, an `embed` result, or a text (embedded, and charged).
    private func vector(_ value: Value, model: String) throws -> [Double] {
        switch value {
        case .list(let items):
            return try items.map { item in
                switch item {
                case .int(let i): return Double(i)
                case .double(let d): return d
                default: throw NativeError("a vector must hold numbers only")
                }
            }
        case .handle(let h):
            guard let e = h.object as? EmbeddingHandle, let v = e.invocation.vectors.first else {
                throw NativeError("expected an embedding, got a \(h.object.kind)")
            }
            return v.map(Double.init)
        case .string(let text):
            let body = try platform.embeddingBody(modelID: model, texts: [text])
            return try platform.embed(modelID: model, body: body).vectors[0].map(Double.init)
        default:
            throw NativeError("expected a text, a vector or an embedding, got \(value.typeName)")
        }
    }

    private func cosine(_ a: [Double], _ b: [Double]) throws -> Double {
        guard a.count == b.count, !a.isEmpty else {
            throw NativeError("vectors must have the same, non-zero length (got \(a.count) and \(b.count))")
        }
        var dot = 0.0, na = 0.0, nb = 0.0
        for i in a.indices { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i] }
        guard na > 0, nb > 0 else { throw NativeError("a zero vector has no direction") }
        return dot / (na.squareRoot() * nb.squareRoot())
    }
}
