// JSON parsing and printing: round trips, key order, numbers, escapes, and errors with positions.
import Testing
@testable import BedrockPlatform

@Suite struct JSONTests {
    @Test func parsesAndPrintsKeepingKeyOrder() throws {
        let text = #"{"b":1,"a":[true,false,null],"c":{"x":"y\n\"z\""},"d":-0.5,"e":1e-4}"#
        let value = try JSONValue.parse(text)
        #expect(value.compactText == #"{"b":1,"a":[true,false,null],"c":{"x":"y\n\"z\""},"d":-0.5,"e":0.0001}"#)
        #expect(value["a"] == [true, false, nil])
        #expect(value["b"]?.intValue == 1)
    }

    @Test func prettyPrintsWithIndentation() throws {
        let value: JSONValue = ["inputText": "hi", "textGenerationConfig": ["maxTokenCount": 64]]
        #expect(value.prettyText() == """
        {
          "inputText": "hi",
          "textGenerationConfig": {
            "maxTokenCount": 64
          }
        }
        """)
    }

    @Test func decodesUnicodeEscapesAndSurrogatePairs() throws {
        #expect(try JSONValue.parse(#""caf\u00e9 \ud83d\ude00""#) == .string("café 😀"))
        #expect(JSONValue.string("tab\there\u{1}").compactText == #""tab\there\u0001""#)
    }

    @Test(arguments: [
        ("{\"a\": }", 1, 7, "unexpected character '}', expected a value"),
        ("{\"a\": 1,\n \"b\" 2}", 2, 6, "expected ':' after the key \"b\""),
        ("[1, 2", 1, 6, "expected ',' or ']' in an array"),
        ("\"abc", 1, 5, "unterminated string"),
        ("01", 1, 2, "leading zeros are not allowed"),
        ("{} x", 1, 4, "unexpected text after the JSON value"),
        ("tru", 1, 1, "unexpected text, expected 'true'"),
    ])
    func reportsErrorsWithLineAndColumn(text: String, line: Int, column: Int, message: String) {
        #expect(throws: JSONSyntaxError(line: line, column: column, message: message)) { try JSONValue.parse(text) }
    }

    @Test func refusesAbsurdNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(deep) }
    }
}
