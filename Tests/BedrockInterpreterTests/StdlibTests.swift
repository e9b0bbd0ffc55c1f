// The prelude: the embedded copy must match stdlib/*.bedrock on disk, it must load without
// errors, and every builtin (native or prelude) must have a doc and a runnable example.
import Foundation
import Testing
@testable import BedrockInterpreter

@Suite struct StdlibTests {
    static let stdlibFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("stdlib").path

    @Test func embeddedCopyIsFresh() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.stdlibFolder).filter { $0.hasSuffix(".bedrock") }.sorted()
        #expect(files == EmbeddedStdlib.files.keys.sorted(), "stdlib files differ from the embedded set: run scripts/embed-resources")
        for file in files {
            let disk = try String(contentsOfFile: Self.stdlibFolder + "/" + file, encoding: .utf8)
            #expect(EmbeddedStdlib.files[file] == disk, "stdlib/\(file) is stale in EmbeddedStdlib.swift: run scripts/embed-resources")
        }
    }

    @Test func preludeLoadsCleanly() {
        let interpreter = Interpreter(options: SessionOptions(baseDirectory: "/tmp", output: { _ in }))
        #expect(interpreter.preludeErrors.isEmpty)
        #expect(interpreter.preludeDocs.count >= 15)
    }

    static var allExamples: [String] {
        let interpreter = Interpreter(options: SessionOptions(baseDirectory: "/tmp", libraries: [TestPlatform()], output: { _ in }))
        return interpreter.registry.names + interpreter.preludeDocs.keys.sorted()
    }

    @Test("every builtin's example runs", arguments: allExamples)
    func exampleRuns(_ name: String) {
        let output = OutputCollector()
        let session = makeSession(output)
        let interpreter = session.interpreter
        let example: String
        if let command = interpreter.registry.command(named: name) {
            #expect(!command.signature.doc.isEmpty)
            example = command.signature.example
        } else {
            example = interpreter.preludeDocs[name]!.example
        }
        #expect(!example.isEmpty, "\(name) has no example")
        let outcome = session.runSource(example, name: "example of \(name)")
        #expect(outcome == .ok, "example of \(name): \(outcome)")
    }
}
