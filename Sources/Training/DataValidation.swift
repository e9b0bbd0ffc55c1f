// Validation of a JSONL customization data set before any training: every problem of every record
// is collected with file:line:col and the field's JSON path, plus file-level limits (size, record
// count) the catalog passes in. Pure: text in, records and a report out; a data set with any issue
// must not be trained on. The record shapes are Bedrock's (reference §4.3); the decoding of each
// shape is in RecordDecoding.swift.

/// Limits from the catalog for one base model and customization type; nil means no limit.
public struct DataLimits: Sendable, Equatable {
    public var maxFileBytes: Int?
    public var minRecords: Int?
    public var maxRecords: Int?
    /// Input + output tokens of one rendered record, counted with the real tokenizer.
    public var maxTokensPerRecord: Int?
    /// Characters of one record's text fields (Bedrock: token limit × 6).
    public var maxCharactersPerRecord: Int?
    public init(maxFileBytes: Int? = nil, minRecords: Int? = nil, maxRecords: Int? = nil,
                maxTokensPerRecord: Int? = nil, maxCharactersPerRecord: Int? = nil) {
        self.maxFileBytes = maxFileBytes; self.minRecords = minRecords; self.maxRecords = maxRecords
        self.maxTokensPerRecord = maxTokensPerRecord; self.maxCharactersPerRecord = maxCharactersPerRecord
    }
}

/// One problem in a data set, located as precisely as the problem allows.
public struct DataIssue: Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        case malformedJSON(String)
        case notAnObject(found: String)
        case unknownShape(keys: [String], allowed: [RecordShape])
        case shapeNotAllowed(found: RecordShape, allowed: [RecordShape])
        case mixedShapes(found: RecordShape, expected: RecordShape, firstLine: Int)
        case missingKey(String)
        case unexpectedKey(String, allowed: [String])
        case duplicateKey(String)
        case wrongType(expected: String, found: String)
        case wrongValue(expected: String, found: String)
        case emptyText
        case unknownRole(String)
        case firstRoleNotUser(found: String)
        case rolesNotAlternating(expected: String, found: String)
        case lastRoleNotAssistant(found: String)
        case tooFewMessages(count: Int, minimum: Int)
        case tooManyTokens(count: Int, limit: Int)
        case tooManyCharacters(count: Int, limit: Int)
        case fileTooLarge(bytes: Int, limit: Int)
        case tooManyRecords(count: Int, limit: Int)
        case tooFewRecords(count: Int, minimum: Int)

        public var message: String {
            switch self {
            case .malformedJSON(let m): "malformed JSON: \(m)"
            case .notAnObject(let t): "expected a JSON object per line, found \(t)"
            case let .unknownShape(keys, allowed):
                "keys \(keys.map { "\"\($0)\"" }.joined(separator: ", ")) match no record shape; expected \(list(allowed))"
            case let .shapeNotAllowed(found, allowed): "record shape \(found) is not accepted for this model; expected \(list(allowed))"
            case let .mixedShapes(found, expected, first):
                "record shape \(found) differs from \(expected) used since line \(first); use one shape per file"
            case .missingKey(let k): "missing required key \"\(k)\""
            case let .unexpectedKey(k, allowed): "unexpected key \"\(k)\"; allowed keys: \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))"
            case .duplicateKey(let k): "key \"\(k)\" appears more than once"
            case let .wrongType(expected, found): "expected \(expected), found \(found)"
            case let .wrongValue(expected, found): "expected \(expected), found \(found)"
            case .emptyText: "text must not be empty"
            case .unknownRole(let r): "unknown role \"\(r)\"; expected \"user\" or \"assistant\""
            case .firstRoleNotUser(let r): "the first message must come from \"user\", found \"\(r)\""
            case let .rolesNotAlternating(expected, found): "roles must alternate: expected \"\(expected)\", found \"\(found)\""
            case .lastRoleNotAssistant(let r): "the last message must come from \"assistant\", found \"\(r)\""
            case let .tooFewMessages(count, minimum): "at least \(minimum) messages are needed, found \(count)"
            case let .tooManyTokens(count, limit): "record has \(count) tokens; the limit is \(limit)"
            case let .tooManyCharacters(count, limit): "record has \(count) characters; the limit is \(limit)"
            case let .fileTooLarge(bytes, limit): "file is \(bytes) bytes; the limit is \(limit)"
            case let .tooManyRecords(count, limit): "file has \(count) records; the limit is \(limit)"
            case let .tooFewRecords(count, minimum): "file has \(count) records; at least \(minimum) are needed"
            }
        }

        private func list(_ shapes: [RecordShape]) -> String { shapes.map(\.description).joined(separator: " or ") }
    }

    public let file: String
    /// 1-based line; nil for problems of the whole file.
    public let line: Int?
    /// 1-based column of the offending value, when known.
    public let column: Int?
    /// JSON path of the field, e.g. `messages[2].role`.
    public let field: String?
    public let problem: Problem

    public var description: String {
        var loc = file
        if let line { loc += ":\(line)" }
        if let column { loc += ":\(column)" }
        let f = field.map { "field '\($0)': " } ?? ""
        return "\(loc): error: \(f)\(problem.message)"
    }
}

/// Every issue found in one file; prints one line per issue under a summary line.
public struct ValidationReport: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let recordCount: Int
    public let issues: [DataIssue]
    public var isValid: Bool { issues.isEmpty }
    /// Lines (1-based) that hold at least one problem.
    public var badLines: [Int] { Array(Set(issues.compactMap(\.line))).sorted() }

    public var description: String {
        if isValid { return "\(file): \(recordCount) records, valid" }
        let head = "\(file): \(recordCount) records, \(issues.count) problem\(issues.count == 1 ? "" : "s") in \(badLines.count) record\(badLines.count == 1 ? "" : "s")"
        return ([head] + issues.map(\.description)).joined(separator: "\n")
    }
}

/// Decoded records with their line numbers, and the report.
public struct ValidatedDataset: Sendable {
    public let records: [TrainingRecord]
    public let lines: [Int]
    public let report: ValidationReport
}

/// Validates JSONL `text` read from `file`. Blank lines are skipped; every other line is a record.
/// With a tokenizer, each record is rendered and counted against `limits.maxTokensPerRecord`.
public func validateDataset(_ text: String, file: String, shapes: Set<RecordShape>, limits: DataLimits = DataLimits(),
                            tokenizer: (any TrainingTokenizer)? = nil,
                            renderer: any RecordRenderer = ChatMLRenderer()) -> ValidatedDataset {
    var issues: [DataIssue] = [], records: [TrainingRecord] = [], lines: [Int] = []
    let bytes = text.utf8.count
    if let max = limits.maxFileBytes, bytes > max {
        issues.append(DataIssue(file: file, line: nil, column: nil, field: nil, problem: .fileTooLarge(bytes: bytes, limit: max)))
    }
    let allowed = RecordShape.allCases.filter(shapes.contains)
    var firstShape: (RecordShape, Int)?
    var count = 0
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
        if line.allSatisfy(\.isWhitespace) { continue }
        count += 1
        var r = RecordDecoder(file: file, line: index + 1)
        let record = r.decode(line, allowed: allowed)
        if let shape = r.shape, allowed.contains(shape) {
            if let (first, firstLine) = firstShape, first != shape {
                r.report(.mixedShapes(found: shape, expected: first, firstLine: firstLine), column: 1, field: nil)
            } else if firstShape == nil {
                firstShape = (shape, index + 1)
            }
        }
        guard let record else { issues += r.issues; continue }
        checkSize(record, &r, limits: limits, tokenizer: tokenizer, renderer: renderer)
        issues += r.issues
        if r.issues.isEmpty { records.append(record); lines.append(index + 1) }
    }
    if let max = limits.maxRecords, count > max {
        issues.append(DataIssue(file: file, line: nil, column: nil, field: nil, problem: .tooManyRecords(count: count, limit: max)))
    }
    if let min = limits.minRecords, count < min {
        issues.append(DataIssue(file: file, line: nil, column: nil, field: nil, problem: .tooFewRecords(count: count, minimum: min)))
    }
    return ValidatedDataset(records: records, lines: lines,
                            report: ValidationReport(file: file, recordCount: count, issues: issues))
}

private func checkSize(_ record: TrainingRecord, _ r: inout RecordDecoder, limits: DataLimits,
                       tokenizer: (any TrainingTokenizer)?, renderer: any RecordRenderer) {
    if let max = limits.maxCharactersPerRecord {
        let chars: Int
        switch record {
        case let .promptCompletion(p, c): chars = p.count + c.count
        case let .conversation(s, m): chars = (s?.count ?? 0) + m.reduce(0) { $0 + $1.content.count }
        case let .text(t): chars = t.count
        }
        if chars > max { r.report(.tooManyCharacters(count: chars, limit: max), column: 1, field: nil) }
    }
    if let max = limits.maxTokensPerRecord, let tokenizer {
        let n = TrainingExample(record: record, tokenizer: tokenizer, renderer: renderer).tokens.count
        if n > max { r.report(.tooManyTokens(count: n, limit: max), column: 1, field: nil) }
    }
}
