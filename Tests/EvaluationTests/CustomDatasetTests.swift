// Bedrock's custom prompt data set format: valid files load; a file with many bad records reports
// every one of them with its line and column and loads nothing; the 1,000-prompt limit; the
// strict JSON reader underneath.
import Foundation
import Testing
@testable import Evaluation

@Suite struct CustomDatasetTests {
    @Test func validFileLoads() throws {
        let text = """
        {"prompt": "Capital of Peru?", "referenceResponse": "Lima", "category": "Geography"}

        {"prompt": "Say hello.", "category": "Chat"}\r
        {"referenceResponse": "4", "prompt": "2 + 2 = ?"}
        """
        let items = try CustomDataset.parse("\u{FEFF}" + text, file: "my.jsonl")
        #expect(items == [
            DatasetItem(id: "line:1", prompt: "Capital of Peru?", referenceResponses: ["Lima"], category: "Geography"),
            DatasetItem(id: "line:3", prompt: "Say hello.", referenceResponses: [], category: "Chat"),
            DatasetItem(id: "line:4", prompt: "2 + 2 = ?", referenceResponses: ["4"], category: nil),
        ])
    }

    @Test func everyBadRecordIsReportedWithItsLine() {
        let text = """
        {"prompt": "fine", "referenceResponse": "ok"}
        {"prompt": "unterminated
        ["an", "array"]
        {"referenceResponse": "no prompt"}
        {"prompt": 42, "category": ["a"]}
        {"prompt": "  ", "referenceResponse": ""}
        {"prompt": "x", "referenceResponses": "typo", "colour": "red"}
        {"prompt": "x", "prompt": "twice"}
        {"prompt": "x",}
        {"prompt": "x", "modelResponses": [{"response": "y", "modelIdentifier": "m"}]}
        {"prompt": "fine again"} trailing
        {"prompt": null, "category": true}
        """
        do {
            _ = try CustomDataset.parse(text, file: "bad.jsonl")
            Issue.record("expected errors")
        } catch {
            #expect(error.problems.map(\.line) == [2, 3, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 12])
            #expect(error.problems[0].kind == .malformedJSON("unterminated string"))
            #expect(error.problems[1].kind == .notAnObject(found: "an array"))
            #expect(error.problems[2].kind == .missingPrompt)
            #expect(error.problems[3] == .init(line: 5, column: 2, kind: .wrongType(key: "prompt", found: "a number")))
            #expect(error.problems[4].kind == .wrongType(key: "category", found: "an array"))
            #expect(error.problems[5].kind == .emptyString(key: "prompt"))
            #expect(error.problems[6].kind == .emptyString(key: "referenceResponse"))
            #expect(error.problems[7] == .init(line: 7, column: 17, kind: .unknownKey("referenceResponses", suggestion: "referenceResponse")))
            #expect(error.problems[8].kind == .unknownKey("colour", suggestion: nil))
            #expect(error.problems[9] == .init(line: 8, column: 17, kind: .malformedJSON("duplicate key \"prompt\"")))
            #expect(error.problems[10] == .init(line: 9, column: 16, kind: .malformedJSON("expected a key in double quotes")))
            #expect(error.problems[11].kind == .modelResponsesUnsupported)
            #expect(error.problems[12] == .init(line: 11, column: 26, kind: .malformedJSON("unexpected text after the JSON value")))
            #expect(error.problems[13].kind == .wrongType(key: "prompt", found: "null"))
            #expect(error.problems[14].kind == .wrongType(key: "category", found: "a boolean"))
            let lines = error.description.split(separator: "\n")
            #expect(lines.count == 15)
            #expect(lines[7] == #"bad.jsonl:7:17: error: unknown key "referenceResponses"; did you mean "referenceResponse"? (allowed: prompt, referenceResponse, category)"#)
        }
    }

    @Test func referencesCanBeRequired() {
        #expect(throws: CustomDatasetError(file: "f", problems: [.init(line: 1, column: 1, kind: .missingReferenceResponse)])) {
            try CustomDataset.parse(#"{"prompt": "p"}"#, file: "f", requireReferences: true)
        }
    }

    @Test func atMostOneThousandPrompts() throws {
        let line = #"{"prompt": "p"}"# + "\n"
        #expect(try CustomDataset.parse(String(repeating: line, count: 1_000), file: "f").count == 1_000)
        #expect(throws: CustomDatasetError(file: "f", problems: [.init(line: 1_001, column: 1, kind: .tooManyPrompts(limit: 1_000))])) {
            try CustomDataset.parse(String(repeating: line, count: 1_001), file: "f")
        }
    }

    @Test func emptyFileIsAnError() {
        #expect(throws: CustomDatasetError(file: "f", problems: [.init(line: 1, column: 1, kind: .noRecords)])) {
            try CustomDataset.parse("\n  \n", file: "f")
        }
    }

    @Test func catalogLoadsCustomFiles() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("evaldata-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        try #"{"prompt": "Capital of Peru?", "referenceResponse": "Lima"}"#.write(to: url, atomically: true, encoding: .utf8)
        let set = try DatasetCatalog().loadCustom(path: url.path, taskType: .questionAndAnswer)
        #expect(set.items.count == 1 && set.taskType == .questionAndAnswer && set.provenance == nil)
        #expect(throws: DatasetError.unreadable(path: "/nonexistent/x.jsonl", reason: "no such file")) {
            try DatasetCatalog().loadCustom(path: "/nonexistent/x.jsonl")
        }
        let viaName = try DatasetCatalog().load(nameOrPath: url.path, taskType: .questionAndAnswer, requireReferences: true)
        #expect(viaName == set)
        #expect(throws: DatasetError.unknownDataset(name: "quizz", suggestion: "builtin:quiz", known: BuiltinDataset.allCases.map(\.name))) {
            try DatasetCatalog().load(nameOrPath: "quizz", taskType: .questionAndAnswer)
        }
        #expect(throws: DatasetError.unreadable(path: "notes.jsonl", reason: "no such file")) {
            try DatasetCatalog().load(nameOrPath: "notes.jsonl", taskType: .custom)
        }
    }
}

@Suite struct JSONLineTests {
    @Test func parsesValuesAndEscapes() throws {
        let value = try parseJSONLine(#" {"a": [1, -2.5e3, true, false, null], "b": "x\u00e9\ud83d\ude00\n\"/"} "#)
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["a", "b"])
        #expect(members[0].value == .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]))
        #expect(members[1].value == .string("xé😀\n\"/"))
    }

    @Test(arguments: [
        ("", 1, "expected a value, found the end of the line"),
        ("{\"a\" 1}", 6, "expected ':' after the key"),
        ("[1 2]", 4, "expected ',' or ']', found '2'"),
        ("\"\\q\"", 3, "unknown escape '\\q'"),
        ("01x", 2, "leading zeros are not allowed"),
        ("-", 2, "expected a digit"),
        ("tru", 1, "expected 'true'"),
    ])
    func errorsNameTheColumn(line: String, column: Int, message: String) {
        #expect(throws: JSONSyntaxError(column: column, message: message)) { try parseJSONLine(line) }
    }

    @Test func deepNestingIsRefused() {
        #expect(throws: JSONSyntaxError.self) { try parseJSONLine(String(repeating: "[", count: 100)) }
    }
}
