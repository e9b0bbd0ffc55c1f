// Tests of the REPL's small helpers: completion re-basing onto libedit's word, script-file
// checks, atomic writes, session transcript files and meta-command suggestions.
import Testing
import FoundationEssentials
@testable import BedrockREPL

@Suite struct SupportTests {
    @Test func completionRebasing() {
        let line = Array("print json.pa".utf8)
        // The provider replaces from "pa" (character 11); libedit's word starts at "json" (byte 6).
        #expect(CompletionRebase.rebase(candidates: ["parse"], replaceFromCharacter: 11, lineBytes: line, wordStartByte: 6)
                == ["json.parse"])
        // The provider's word starts before libedit's: the shared head is dropped.
        #expect(CompletionRebase.rebase(candidates: ["json.parse", "xjson"], replaceFromCharacter: 6, lineBytes: line, wordStartByte: 11)
                == ["parse"])
        #expect(CompletionRebase.commonPrefix(["max_tokens:", "max_length:"]) == "max_")
    }

    @Test func completionRebasingCountsCharactersNotBytes() {
        let line = Array("let é = pr".utf8)   // é is two bytes
        #expect(CompletionRebase.rebase(candidates: ["print"], replaceFromCharacter: 8, lineBytes: line, wordStartByte: 9)
                == ["print"])
    }

    @Test func scriptFileProblems() throws {
        let folder = try TemporaryFolder()
        #expect(ScriptFile.check(folder.path + "/none.bedrock") == .failure(.missing(path: folder.path + "/none.bedrock")))
        #expect(ScriptFile.check(folder.path) == .failure(.isDirectory(path: folder.path)))
        let bad = folder.path + "/bad.bedrock"
        try Data([0x61, 0x0A, 0x62, 0x63, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: bad))
        #expect(ScriptFile.check(bad) == .failure(.invalidUTF8(path: bad, line: 2, column: 3)))
        #expect("\(ScriptFileProblem.invalidUTF8(path: "x", line: 2, column: 3))" == "x:2:3: error: invalid UTF-8")
    }

    @Test func atomicWriteReplacesAndLeavesNoTemp() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/out.md"
        try AtomicFile.write("one\n", to: path)
        try AtomicFile.write("two\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.md"])
        #expect(throws: AtomicFileError.self) { try AtomicFile.write("x", to: folder.path + "/no/such/dir/f") }
    }

    @Test func sessionLogAppendsAndLatestFindsIt() throws {
        let folder = try TemporaryFolder()
        let log = SessionLog(directory: folder.path)
        #expect(log.path == nil)                       // nothing written yet: no file
        #expect(SessionLog.latest(in: folder.path) == nil)
        log.append("let a = 1")
        log.append("if a {\n}\n")
        let path = try #require(log.path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "let a = 1\nif a {\n}\n")
        #expect(SessionLog.latest(in: folder.path) == path)
        log.startOver()
        #expect(log.path == nil)
    }

    @Test func editDistanceSuggestions() {
        #expect(editDistance("hlep", "help") == 2)
        #expect(editDistance("", "save") == 4)
        #expect(editDistance("quit", "quit") == 0)
        #expect(shellQuoted("it's") == #"'it'\''s'"#)
    }
}

/// A fresh folder under the system temp folder, removed when the value goes away.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/bedrock-repl-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
