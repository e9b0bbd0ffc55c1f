// Everything that can be wrong with a model file, one message per case, each naming the file and
// the place (byte offset, key or tensor) and what was expected. Thrown by GGUFFile, LlamaConfig and
// LlamaWeights; the message tells how to get a good file back (scripts/fetch-models).

public enum GGUFError: Error, Equatable, CustomStringConvertible {
    case modelNotFound(path: String)
    case cannotOpen(path: String, reason: String)
    case badMagic(path: String, found: [UInt8])
    case unsupportedVersion(path: String, version: UInt32)
    case truncated(path: String, offset: Int, needed: Int, what: String)
    case badValueType(path: String, key: String, typeID: UInt32)
    case badAlignment(path: String, alignment: Int)
    case unsupportedTensorType(path: String, tensor: String, typeID: UInt32)
    case tensorOutOfBounds(path: String, tensor: String, end: Int, fileSize: Int)
    case missingKey(path: String, key: String)
    case wrongKeyType(path: String, key: String, expected: String)
    case unsupportedArchitecture(path: String, architecture: String)
    case missingTensor(path: String, tensor: String)
    case badTensorShape(path: String, tensor: String, expected: [Int], found: [Int])

    static let fetchHint = "run scripts/fetch-models to fetch and verify the model files"

    public var description: String {
        switch self {
        case .modelNotFound(let path):
            "model file not found: \(path); \(Self.fetchHint)"
        case .cannotOpen(let path, let reason):
            "cannot open model file \(path): \(reason); \(Self.fetchHint)"
        case .badMagic(let path, let found):
            "\(path): not a GGUF file (first bytes \(found.map { String($0, radix: 16) }), expected 'GGUF'); \(Self.fetchHint)"
        case .unsupportedVersion(let path, let version):
            "\(path): GGUF version \(version) is not supported (expected 2 or 3)"
        case .truncated(let path, let offset, let needed, let what):
            "\(path): file ends inside \(what) at byte \(offset) (needs \(needed) more bytes); the file is truncated or corrupt; \(Self.fetchHint)"
        case .badValueType(let path, let key, let typeID):
            "\(path): metadata key '\(key)' has unknown value type \(typeID) (expected 0…12)"
        case .badAlignment(let path, let alignment):
            "\(path): general.alignment \(alignment) is not a positive power of two"
        case .unsupportedTensorType(let path, let tensor, let typeID):
            "\(path): tensor '\(tensor)' has type \(typeID), which this engine does not support (supported: F32, F16, Q4_0, Q4_1, Q8_0)"
        case .tensorOutOfBounds(let path, let tensor, let end, let fileSize):
            "\(path): tensor '\(tensor)' ends at byte \(end), past the end of the file (\(fileSize) bytes); the file is truncated; \(Self.fetchHint)"
        case .missingKey(let path, let key):
            "\(path): metadata key '\(key)' is missing"
        case .wrongKeyType(let path, let key, let expected):
            "\(path): metadata key '\(key)' is not \(expected)"
        case .unsupportedArchitecture(let path, let architecture):
            "\(path): architecture '\(architecture)' is not supported (supported: llama)"
        case .missingTensor(let path, let tensor):
            "\(path): tensor '\(tensor)' is missing"
        case .badTensorShape(let path, let tensor, let expected, let found):
            "\(path): tensor '\(tensor)' has shape \(found), expected \(expected)"
        }
    }
}
