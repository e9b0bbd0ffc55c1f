// End-to-end tests of `bedrock notebook`: a failing --check prints a unified diff and exits 1,
// --update rewrites the output cells (keeping `…` masks, inserting missing cells) so that the next
// --check passes, and a cell's error is that cell's output.
import Foundation
import Testing

@Suite struct NotebookCLITests {
    static let stale = """
        # A notebook

        ```bedrock
        let n = 20
        print n + 1
        print "took 17 ms"
        ```

        ```output
        20
        took … ms
        ```

        A cell without an output cell:

        ```bedrock
        print "new"
        ```

        ```bedrock
        print nosuch
        ```

        """

    @Test func checkFailsWithADiffAndUpdateFixesIt() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("nb.md", Self.stale)

        let check = try BedrockProcess.run(["notebook", path, "--check"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("nb.md: cell 1 (line 3): output differs"))
        #expect(check.stdout.contains("@@ -10,2 +10,2 @@\n-20\n+21\n took … ms\n"))
        #expect(check.stdout.contains("nb.md: cell 2 (line 16) printed output but has no ```output cell"))
        #expect(check.stderr.contains("3 of 3 cells differ"))

        let update = try BedrockProcess.run(["notebook", path, "--update"])
        #expect(update.status == 0, "\(update.stderr)")
        let updated = try String(contentsOfFile: path, encoding: .utf8)
        #expect(updated.contains("```output\n21\ntook … ms\n```"))          // the mask survived
        #expect(updated.contains("```bedrock\nprint \"new\"\n```\n\n```output\nnew\n```\n"))
        #expect(updated.contains("nb.md#3:1:7: error:"))                     // the error is the output
        #expect(updated.hasPrefix("# A notebook\n\n```bedrock\nlet n = 20\n"))

        let recheck = try BedrockProcess.run(["notebook", path, "--check"])
        #expect(recheck.status == 0, "\(recheck.stdout)")
        #expect(recheck.stdout == "\(path): 3 cells, every output matches\n")

        let again = try BedrockProcess.run(["notebook", path, "--update"])
        #expect(again.stdout == "\(path): up to date\n")
    }

    @Test func plainRunPrintsEachCellsOutput() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("nb.md", "```bedrock\nprint 1\n```\n\ntext\n\n```bedrock\nprint 2\n```\n")
        let result = try BedrockProcess.run(["notebook", path])
        #expect(result.status == 0)
        #expect(result.stdout == "── cell 1, line 1 ──\n1\n── cell 2, line 7 ──\n2\n")
    }

    @Test func cellsShareOneSessionAndReadFilesBesideTheNotebook() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("data.txt", "from a file\n")
        let path = try folder.write("nb.md", "```bedrock\nlet t = read_text(\"data.txt\")\n```\n\n```bedrock\nprint trim(t)\n```\n")
        let result = try BedrockProcess.run(["notebook", path], directory: "/")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasSuffix("from a file\n"))
    }

    @Test func unclosedFenceIsASyntaxError() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("nb.md", "intro\n\n```bedrock\nprint 1\n")
        let result = try BedrockProcess.run(["notebook", path, "--check"])
        #expect(result.status == 65)
        #expect(result.stderr == "nb.md:3: error: this code fence is never closed (add a line of ``` after the cell)\n")
    }
}
