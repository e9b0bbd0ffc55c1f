// Embedding models' native bodies: Titan Embeddings G1 and V2 ({"inputText", "dimensions",
// "normalize", "embeddingTypes"}) and Cohere Embed v3 ({"texts", "input_type", "truncate",
// "embedding_types"}). The local engine makes 384-dimension vectors; asking for another size is
// an error, never a silent change.

/// A validated embedding request.
public struct EmbeddingRequest: Sendable, Equatable {
    public var texts: [String]
    public var normalize: Bool
    /// Titan V2's "binary" embedding type: one 0/1 per dimension (the sign of the float).
    public var wantsBinary: Bool
    public var wantsFloat: Bool
    public var truncateStart: Bool
    public var inputType: String?
}

enum EmbeddingBodies {
    static let cohereInputTypes = ["search_document", "search_query", "classification", "clustering"]

    static func request(family: String, body: JSONValue, modelID: String, engineDimensions: Int) throws(BedrockError) -> EmbeddingRequest {
        switch family {
        case "cohere-embed":
            let top = try BodyReader(body, allowed: ["texts", "input_type", "truncate", "embedding_types", "images"])
            if top["images"] != nil { throw unsupportedContent("images", "image") }
            let texts = try top.require("texts") { (k) throws(BedrockError) in try top.strings(k, maxCount: 96) }
            guard !texts.isEmpty else { throw .validation("texts must hold 1 to 96 strings") }
            let inputType = try top.require("input_type") { (k) throws(BedrockError) in try top.choice(k, cohereInputTypes) }
            let truncate = try top.choice("truncate", ["NONE", "START", "END"]) ?? "END"
            let types = try top.strings("embedding_types", maxCount: 5) ?? ["float"]
            for t in types where t != "float" {
                throw .validation("embedding_types \(t) is not offered by the local engine; use float")
            }
            return EmbeddingRequest(texts: texts, normalize: true, wantsBinary: false, wantsFloat: true,
                                    truncateStart: truncate == "START", inputType: inputType)
        default:
            let v2 = modelID.contains("embed-text-v2")
            let allowed = ["inputText"] + (v2 ? ["dimensions", "normalize", "embeddingTypes"] : ["embeddingConfig"])
            let top = try BodyReader(body, allowed: allowed)
            let text = try top.require("inputText") { (k) throws(BedrockError) in try top.string(k) }
            if let asked = try top.int("dimensions", in: 1...4096), asked != engineDimensions {
                throw .validation("dimensions \(asked) cannot be served: the local engine (all-MiniLM-L6-v2) makes "
                                  + "\(engineDimensions)-dimension vectors; leave dimensions out or pass \(engineDimensions)")
            }
            if let config = try top.object("embeddingConfig", allowed: ["outputEmbeddingLength"]),
               let asked = try config.int("outputEmbeddingLength", in: 1...4096), asked != engineDimensions {
                throw .validation("embeddingConfig.outputEmbeddingLength \(asked) cannot be served: the local engine makes "
                                  + "\(engineDimensions)-dimension vectors")
            }
            let types = try top.strings("embeddingTypes", maxCount: 2) ?? ["float"]
            for t in types where t != "float" && t != "binary" {
                throw .validation("embeddingTypes must contain float and/or binary, got \(t)")
            }
            return EmbeddingRequest(texts: [text], normalize: try top.bool("normalize") ?? true,
                                    wantsBinary: types.contains("binary"), wantsFloat: types.contains("float"),
                                    truncateStart: false, inputType: nil)
        }
    }

    static func response(family: String, modelID: String, request: EmbeddingRequest, vectors: [[Float]], tokens: [Int],
                         responseID: String) -> JSONValue {
        let floats = vectors.map { JSONValue.array($0.map { .number(Double($0)) }) }
        if family == "cohere-embed" {
            return ["id": .string(responseID), "embeddings": .array(floats), "response_type": "embeddings_floats",
                    "texts": .array(request.texts.map(JSONValue.string))]
        }
        var members: [(String, JSONValue)] = [("embedding", floats[0]), ("inputTextTokenCount", .int(tokens[0]))]
        if modelID.contains("embed-text-v2") {
            var byType: [(String, JSONValue)] = []
            if request.wantsFloat { byType.append(("float", floats[0])) }
            if request.wantsBinary { byType.append(("binary", .array(vectors[0].map { .int($0 > 0 ? 1 : 0) }))) }
            members.append(("embeddingsByType", .object(byType)))
        }
        return .object(members)
    }

    /// A native body for texts and the language's options.
    static func body(family: String, modelID: String, texts: [String], normalize: Bool?, dimensions: Int?,
                     inputType: String?) -> JSONValue {
        if family == "cohere-embed" {
            return ["texts": .array(texts.map(JSONValue.string)), "input_type": .string(inputType ?? "search_document")]
        }
        return .compactObject([
            ("inputText", .string(texts.first ?? "")),
            ("dimensions", modelID.contains("embed-text-v2") ? dimensions.map(JSONValue.int) : nil),
            ("normalize", modelID.contains("embed-text-v2") ? normalize.map(JSONValue.bool) : nil),
        ])
    }
}
