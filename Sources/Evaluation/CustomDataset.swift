// Bedrock's custom prompt data set: JSONL, one record per line, keys `prompt` (required),
// `referenceResponse` (the ground truth) and `category`, at most 1,000 prompts (reference §5).
// Every bad record is reported with its line and column, and nothing loads while any is bad.
// It does not read files (DatasetCatalog does) and knows nothing of the models that answer.

/// The problems of one custom file, all of them, in line order.
public struct CustomDatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var problems: [CustomDatasetProblem]

    /// One `file:line:col: error: message` line per problem.
    public var description: String {
        problems.map { "\(file):\($0.line):\($0.column): error: \($0.kind.message)" }.joined(separator: "\n")
    }
}

/// One problem at a place in the file (1-based line and column).
public struct CustomDatasetProblem: Equatable, Sendable {
    public var line: Int
    public var column: Int
    public var kind: Kind

    public enum Kind: Equatable, Sendable {
        case malformedJSON(String)
        case notAnObject(found: String)
        case missingPrompt
        case missingReferenceResponse
        case wrongType(key: String, found: String)
        case emptyString(key: String)
        case unknownKey(String, suggestion: String?)
        case modelResponsesUnsupported
        case tooManyPrompts(limit: Int)
        case noRecords

        public var message: String {
            switch self {
            case .malformedJSON(let why): "malformed JSON: \(why)"
            case .notAnObject(let found): "expected a JSON object per line, found \(found)"
            case .missingPrompt: "missing \"prompt\" (required)"
            case .missingReferenceResponse: "missing \"referenceResponse\" (required for this task's accuracy and robustness metrics)"
            case .wrongType(let key, let found): "\"\(key)\" must be a string, found \(found)"
            case .emptyString(let key): "\"\(key)\" is empty"
            case .unknownKey(let key, let suggestion):
                "unknown key \"\(key)\"" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "")
                    + " (allowed: \(CustomDataset.allowedKeys.joined(separator: ", ")))"
            case .modelResponsesUnsupported: "\"modelResponses\" (bring your own responses) is not supported yet"
            case .tooManyPrompts(let limit): "more than \(limit) prompts: a custom prompt data set holds at most \(limit)"
            case .noRecords: "the file holds no records"
            }
        }
    }
}

public enum CustomDataset {
    /// Bedrock's limit per evaluation job (reference §5).
    public static let maxPrompts = 1_000
    public static let allowedKeys = ["prompt", "referenceResponse", "category"]

    /// Parses the whole text; returns items only when every record is valid. Blank lines are
    /// skipped; a UTF-8 byte-order mark at the start is ignored. Item ids are "line:N".
    public static func parse(_ text: String, file: String, requireReferences: Bool = false) throws(CustomDatasetError) -> [DatasetItem] {
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        var items: [DatasetItem] = []
        var problems: [CustomDatasetProblem] = []
        var records = 0
        for (offset, raw) in body.lines().enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            records += 1
            if records == maxPrompts + 1 {
                problems.append(.init(line: offset + 1, column: 1, kind: .tooManyPrompts(limit: maxPrompts)))
            }
            switch record(line, number: offset + 1, requireReferences: requireReferences) {
            case .success(let item): items.append(item)
            case .failure(let found): problems += found.problems
            }
        }
        if records == 0 { problems.append(.init(line: 1, column: 1, kind: .noRecords)) }
        guard problems.isEmpty else { throw CustomDatasetError(file: file, problems: problems) }
        return items
    }

    /// One record: every problem it has, not just the first.
    static func record(_ line: String, number: Int, requireReferences: Bool) -> Result<DatasetItem, CustomDatasetError> {
        func failure(_ problems: [CustomDatasetProblem]) -> Result<DatasetItem, CustomDatasetError> {
            .failure(CustomDatasetError(file: "", problems: problems))
        }
        let value: JSONValue
        do { value = try parseJSONLine(line) } catch {
            return failure([.init(line: number, column: error.column, kind: .malformedJSON(error.message))])
        }
        guard case .object(let members) = value else {
            return failure([.init(line: number, column: 1, kind: .notAnObject(found: value.typeName))])
        }
        var problems: [CustomDatasetProblem] = []
        var strings: [String: String] = [:]
        for member in members {
            let at = { (kind: CustomDatasetProblem.Kind) in CustomDatasetProblem(line: number, column: member.column, kind: kind) }
            if member.key == "modelResponses" { problems.append(at(.modelResponsesUnsupported)); continue }
            guard allowedKeys.contains(member.key) else {
                problems.append(at(.unknownKey(member.key, suggestion: closestName(to: member.key, in: allowedKeys))))
                continue
            }
            guard case .string(let text) = member.value else {
                problems.append(at(.wrongType(key: member.key, found: member.value.typeName)))
                continue
            }
            if text.allSatisfy(\.isWhitespace) { problems.append(at(.emptyString(key: member.key))); continue }
            strings[member.key] = text
        }
        let keys = Set(members.map(\.key))
        if !keys.contains("prompt") { problems.append(.init(line: number, column: 1, kind: .missingPrompt)) }
        if requireReferences, !keys.contains("referenceResponse") {
            problems.append(.init(line: number, column: 1, kind: .missingReferenceResponse))
        }
        guard problems.isEmpty, let prompt = strings["prompt"] else { return failure(problems) }
        return .success(DatasetItem(id: "line:\(number)", prompt: prompt,
                                    referenceResponses: strings["referenceResponse"].map { [$0] } ?? [],
                                    category: strings["category"]))
    }
}
