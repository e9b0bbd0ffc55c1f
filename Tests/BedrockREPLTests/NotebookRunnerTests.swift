// Tests of running notebooks with the real interpreter: shared session across cells, errors as
// output, mask="regex" cells and `…` wildcards through check and update, and update idempotence.
import Testing
import FoundationEssentials
@testable import BedrockREPL

@Suite struct NotebookRunnerTests {
    private func notebook(_ text: String) throws -> (TemporaryFolder, String) {
        let folder = try TemporaryFolder()
        let path = folder.path + "/nb.md"
        try AtomicFile.write(text, to: path)
        return (folder, path)
    }

    @Test func cellsShareStateAndErrorsAreOutput() throws {
        let (folder, path) = try notebook("```bedrock\nlet n = 6\n```\n\n```bedrock\nprint n * 7\nprint missing\n```\n")
        _ = folder
        let run = try NotebookRun.run(path: path)
        #expect(run.results.map(\.output).first == "")
        let second = run.results[1].output
        #expect(second.hasPrefix("42\nnb.md#2:2:7: error: unknown name 'missing'\n"))
    }

    @Test func maskedCellsCheckCleanAndUpdateKeepsTheMasks() throws {
        let text = """
            ```bedrock mask="\\d+ ms"
            print "took " + str(17) + " ms"
            print "id", 12345
            print "same"
            ```

            ```output
            took …
            id …
            old line
            ```

            """
        let (folder, path) = try notebook(text)
        _ = folder
        let run = try NotebookRun.run(path: path)
        #expect(run.results[0].output == "took …\nid 12345\nsame\n")   // the mask ate "17 ms"
        let mismatches = run.mismatches()
        #expect(mismatches.count == 1)
        #expect(mismatches.first?.diff.contains("-old line\n+same\n") == true)
        #expect(mismatches.first?.diff.contains(" took …\n id …\n") == true)

        let updated = run.updatedText()
        #expect(updated == text.replacing("old line", with: "same"))
        try AtomicFile.write(updated, to: path)
        let again = try NotebookRun.run(path: path)
        #expect(again.mismatches().isEmpty)
        #expect(again.updatedText() == updated)     // a second update changes nothing
    }

    @Test func updateInsertsMissingOutputCellsAndLeavesProseAlone() throws {
        let text = "Intro.\n\n```bedrock\nprint 1\n```\nMore prose.\n\n```bedrock\nlet quiet = 1\n```\n"
        let (folder, path) = try notebook(text)
        _ = folder
        let run = try NotebookRun.run(path: path)
        #expect(run.mismatches().map(\.cell.number) == [1])
        #expect(run.updatedText() == "Intro.\n\n```bedrock\nprint 1\n```\n\n```output\n1\n```\nMore prose.\n\n```bedrock\nlet quiet = 1\n```\n")
    }

    @Test func outputContainingAFenceGetsALongerFence() throws {
        let (folder, path) = try notebook("```bedrock\nprint \"```\"\n```\n")
        _ = folder
        let updated = try NotebookRun.run(path: path).updatedText()
        #expect(updated.hasSuffix("\n````output\n```\n````\n"))
        try AtomicFile.write(updated, to: path)
        #expect(try NotebookRun.run(path: path).mismatches().isEmpty)
    }
}
