// Tests of the notebook reader: which fences are cells, which output cell belongs to which cell,
// info-string masks, and the errors for unclosed fences and bad attributes.
import Testing
@testable import BedrockREPL

@Suite struct NotebookParsingTests {
    static let sample = """
        # Title

        ```bedrock
        print 1
        ```

        ```output
        1
        ```

        Text between.

        ```bedrock mask="\\d+ ms" mask='x'
        print 2
        ```
        Not blank, so the next output cell belongs to nobody.
        ```output
        2
        ```

        ~~~~bedrock
        print "```"
        ~~~~
        ```python
        print(3)
        ```

        """

    @Test func findsCellsAndTheirOutputs() throws {
        let notebook = try Notebook(text: Self.sample, file: "n.md")
        #expect(notebook.cells.count == 3)
        let first = notebook.cells[0]
        #expect(first.source == "print 1")
        #expect(first.openLine == 2 && first.closeLine == 4)
        #expect(first.output?.lines == ["1"])
        #expect(first.output?.openLine == 6)
        #expect(notebook.cells[1].masks == [#"\d+ ms"#, "x"])
        #expect(notebook.cells[1].output == nil)
        #expect(notebook.cells[2].source == "print \"```\"")
        #expect(notebook.text == Self.sample)
    }

    @Test func unclosedFenceIsAnError() {
        #expect(throws: NotebookError.unclosedFence(file: "n.md", line: 2)) {
            _ = try Notebook(text: "x\n```bedrock\nprint 1\n", file: "n.md")
        }
    }

    @Test func badInfoStringNamesTheLine() {
        #expect(throws: NotebookError.self) { _ = try Notebook(text: "```bedrock mask=oops\n```\n", file: "n.md") }
        do {
            _ = try Notebook(text: "\n```bedrock mask=\"(\"\n```\n", file: "n.md")
            Issue.record("an invalid regex was accepted")
        } catch {
            #expect("\(error)".hasPrefix("n.md:2: error: mask \"(\" is not a valid regular expression"))
        }
    }

    @Test func fenceRules() {
        #expect(Notebook.openingFence("```bedrock")?.info == "bedrock")
        #expect(Notebook.openingFence("   ```") != nil)
        #expect(Notebook.openingFence("    ```") == nil)      // four spaces: indented code
        #expect(Notebook.openingFence("``` a`b") == nil)
        #expect(Notebook.isClosingFence("`````", for: "````"))
        #expect(!Notebook.isClosingFence("```", for: "````"))
        #expect(!Notebook.isClosingFence("~~~", for: "```"))
    }
}
