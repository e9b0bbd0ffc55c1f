// Every notebook under the package's Docs/ folder must check clean: each Markdown file with at
// least one ```output cell is run with the notebook checker (not the binary), one test case per
// file, and a failure shows the same unified diff `bedrock notebook --check` prints.
import BedrockBindings
import BedrockPlatform
import Testing
import FoundationEssentials
@testable import BedrockREPL

enum DocsNotebooks {
    /// Docs/ beside Sources/ and Tests/, found from this file's path.
    static let folder: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url = url.deletingLastPathComponent() }
        // Resolved: listing a symlinked Docs/ (as in a helper's private package) would find nothing.
        return url.appendingPathComponent("Docs").resolvingSymlinksInPath().path
    }()

    /// Paths relative to Docs/ of the Markdown files with an output fence, sorted. Other Markdown
    /// (examples without recorded output, like architecture.md) is documentation, not a notebook.
    static let all: [String] = {
        let names = (try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []
        return names.filter { name in
            guard name.hasSuffix(".md"), let text = try? String(contentsOfFile: folder + "/" + name, encoding: .utf8) else {
                return false
            }
            return text.split(separator: "\n").contains { Notebook.openingFence(String($0))?.info == "output" }
        }.sorted()
    }()
}

@Suite struct NotebookDocsTests {
    /// Guards the discovery itself: if #filePath stopped leading to Docs/, the parameterized test
    /// below would silently have no cases.
    @Test func docsFolderIsFound() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: DocsNotebooks.folder)
        #expect(names.contains("architecture.md"))
        #expect(!DocsNotebooks.all.contains("architecture.md"))   // examples without output cells
    }

    @Test(arguments: DocsNotebooks.all)
    func notebookOutputsMatch(_ name: String) throws {
        // As `bedrock notebook` runs them: the platform's commands on an in-memory workspace.
        let run = try NotebookRun.run(path: DocsNotebooks.folder + "/" + name) { options in
            options.libraries = [PlatformLibrary(opening: { try Platform.ephemeral(sessionID: "notebook") })]
        }
        for mismatch in run.mismatches() {
            Issue.record("\(mismatch.summary)\n\(mismatch.diff)")
        }
    }
}
