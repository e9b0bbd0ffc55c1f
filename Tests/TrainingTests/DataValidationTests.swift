// Data validation: one file holding many kinds of bad records, every problem reported with its
// line, column and field; valid files in each of Bedrock's shapes decode to the right records;
// file-level limits; token limits through the tokenizer seam; the report's printed form.
import Testing
@testable import Training

@Suite("data validation")
struct DataValidationTests {
    let badFile = """
    {"prompt": "What is Zorn?", "completion": "A planet."}
    {"prompt": "Missing completion"}
    {"prompt": "x", "completion": "y", "extra": 1}
    {"prompt": 42, "completion": "   "}
    {"prompt": "unterminated

    [1, 2]
    {"question": "a", "answer": "b"}
    {"system": "s", "messages": [{"role": "assistant", "content": "hi"}, {"role": "user", "content": "q"}]}
    {"messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}, {"role": "assistant", "content": ""}]}
    {"messages": [{"role": "robot", "content": "a"}]}
    {"input": "continued pre-training text"}
    {"prompt": "a", "prompt": "b", "completion": "c"}
    {"prompt": "this one is far too long for the limit", "completion": "ok"}
    """

    func issues(_ text: String, shapes: Set<RecordShape> = [.promptCompletion, .conversation], limits: DataLimits = DataLimits(maxTokensPerRecord: 50)) -> ValidatedDataset {
        validateDataset(text, file: "train.jsonl", shapes: shapes, limits: limits, tokenizer: CharTokenizer(vocab: 40))
    }

    @Test func everyBadRecordIsReported() {
        let r = issues(badFile).report
        let found = Set(r.issues.map { "\($0.line ?? 0) \($0.field ?? "-") \($0.problem.message)" })
        let expected: [String] = [
            "2 - missing required key \"completion\"",
            "3 extra unexpected key \"extra\"; allowed keys: \"prompt\", \"completion\"",
            "4 prompt expected a string, found a number",
            "4 completion text must not be empty",
            "5 - malformed JSON: unterminated string",
            "7 - expected a JSON object per line, found an array",
            "8 - keys \"question\", \"answer\" match no record shape; expected {\"prompt\", \"completion\"} or {\"system\", \"messages\"}",
            "9 - record shape {\"system\", \"messages\"} differs from {\"prompt\", \"completion\"} used since line 1; use one shape per file",
            "9 messages[0].role the first message must come from \"user\", found \"assistant\"",
            "9 messages[1].role roles must alternate: expected \"assistant\", found \"user\"",
            "10 - record shape {\"system\", \"messages\"} differs from {\"prompt\", \"completion\"} used since line 1; use one shape per file",
            "11 - record shape {\"system\", \"messages\"} differs from {\"prompt\", \"completion\"} used since line 1; use one shape per file",
            "10 messages[1].role roles must alternate: expected \"assistant\", found \"user\"",
            "10 messages[2].role roles must alternate: expected \"user\", found \"assistant\"",
            "10 messages[2].content text must not be empty",
            "11 messages at least 2 messages are needed, found 1",
            "11 messages[0].role unknown role \"robot\"; expected \"user\" or \"assistant\"",
            "12 - record shape {\"input\"} is not accepted for this model; expected {\"prompt\", \"completion\"} or {\"system\", \"messages\"}",
            "13 prompt key \"prompt\" appears more than once",
            "14 - record has 60 tokens; the limit is 50",
        ]
        for e in expected { #expect(found.contains(e), "missing: \(e)\nreport:\n\(r)") }
        #expect(r.issues.count == expected.count, "\(r)")
        #expect(r.badLines == [2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14])
        #expect(r.recordCount == 13 && !r.isValid)
    }

    @Test func issuesCarryColumnsAndPrintReadably() {
        let r = issues(badFile).report
        let type = r.issues.first { $0.line == 4 && $0.field == "prompt" }!
        #expect(type.column == 12)
        #expect(type.description == "train.jsonl:4:12: error: field 'prompt': expected a string, found a number")
        #expect(r.description.hasPrefix("train.jsonl: 13 records, 20 problems in 12 records\ntrain.jsonl:2:1: error:"))
    }

    @Test func validFilesDecodeInEveryShape() {
        let pc = issues("{\"prompt\": \"Q\\u00e9?\", \"completion\": \"A\\n\"}\n\n{\"prompt\": \"b\", \"completion\": \"c\"}\n")
        #expect(pc.report.isValid && pc.records == [.promptCompletion(prompt: "Qé?", completion: "A\n"), .promptCompletion(prompt: "b", completion: "c")])
        #expect(pc.lines == [1, 3])
        let conv = issues(#"{"system": "Be brief.", "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}"#)
        #expect(conv.records == [.conversation(system: "Be brief.", messages: [ChatMessage(role: .user, content: "hi"), ChatMessage(role: .assistant, content: "yo")])])
        let nova = issues(#"{"schemaVersion": "bedrock-conversation-2024", "system": [{"text": "S"}], "messages": [{"role": "user", "content": [{"text": "q"}]}, {"role": "assistant", "content": [{"text": "a"}]}]}"#, shapes: [.novaConversation])
        #expect(nova.report.isValid && nova.records == [.conversation(system: "S", messages: [ChatMessage(role: .user, content: "q"), ChatMessage(role: .assistant, content: "a")])])
        let badNova = issues(#"{"schemaVersion": "v1", "messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": [{"txt": "a"}]}]}"#, shapes: [.novaConversation])
        #expect(badNova.report.issues.map(\.problem) == [.wrongValue(expected: "\"bedrock-conversation-2024\"", found: "\"v1\""),
                                                          .wrongType(expected: "an array of {\"text\"} blocks", found: "a string"),
                                                          .unexpectedKey("txt", allowed: ["text"]), .missingKey("text")])
        let cpt = issues("{\"input\": \"domain text\"}", shapes: [.text])
        #expect(cpt.records == [.text("domain text")])
    }

    @Test func fileLimits() {
        let text = String(repeating: "{\"input\": \"abc\"}\n", count: 5)
        let r = issues(text, shapes: [.text], limits: DataLimits(maxFileBytes: 50, minRecords: 8, maxRecords: 4, maxCharactersPerRecord: 2)).report
        #expect(r.issues.filter { $0.line == nil }.map(\.problem) == [.fileTooLarge(bytes: 85, limit: 50), .tooManyRecords(count: 5, limit: 4), .tooFewRecords(count: 5, minimum: 8)])
        #expect(r.issues.filter { $0.problem == .tooManyCharacters(count: 3, limit: 2) }.count == 5)
    }

    @Test func renderedExamplesMaskOnlyTheAnswer() {
        let ex = TrainingExample(record: .promptCompletion(prompt: "ab", completion: "cd"), tokenizer: CharTokenizer(vocab: 40), renderer: ChatMLRenderer())
        // <|im_start|>user\nab<|im_end|>\n<|im_start|>assistant\n = 1+5+2+1+1 + 1+10 = 21 context tokens, then c d <|im_end|>.
        #expect(ex.tokens.count == 24 && ex.trained == Array(repeating: false, count: 21) + [true, true, true])
        #expect(ex.tokens.last == 2 && ex.trainedTargets == 3)
        let cpt = TrainingExample(record: .text("xyz"), tokenizer: CharTokenizer(vocab: 40), renderer: ChatMLRenderer())
        let xyz: [Int32] = [3 + 120 % 37, 3 + 121 % 37, 3 + 122 % 37, 0]
        #expect(cpt.trained.allSatisfy { $0 } && cpt.tokens == xyz)
    }
}
