// Golden scripts: every Golden/<feature>/*.bedrock file is one test case. Expectations live in the
// script's comments: `# expect: <output line>` (in order), `# expect error LINE:COL: <message>`
// (every syntax error, in order) and `# expect runtime error: <message>`. Files under a folder
// named `support` are helpers (imported by other scripts), not tests.
import Foundation
import Synchronization
import Testing
@testable import BedrockInterpreter

/// Collects everything a session prints.
final class OutputCollector: Sendable {
    private let buffer = Mutex<String>("")
    var text: String { buffer.withLock { $0 } }
    func append(_ s: String) { buffer.withLock { $0 += s } }
    var lines: [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

enum Golden {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path

    static var scripts: [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        return walker.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".bedrock") && !$0.split(separator: "/").contains("support") }
            .sorted()
    }

    struct Expectations {
        var output: [String] = []
        var syntaxErrors: [String] = []
        var runtimeError: String?
    }

    static func expectations(in text: String) -> Expectations {
        var e = Expectations()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let hash = line.range(of: "# expect") else { continue }
            let rest = line[hash.upperBound...]
            if rest.hasPrefix(": ") { e.output.append(String(rest.dropFirst(2))) } else if rest.hasPrefix(":") { e.output.append("") } else if rest.hasPrefix(" error ") { e.syntaxErrors.append(String(rest.dropFirst(7))) } else if rest.hasPrefix(" runtime error: ") { e.runtimeError = String(rest.dropFirst(16)) }
        }
        return e
    }

    /// `L:C: message` for each `path:L:C: error: message` line of a rendering.
    static func errorLines(_ rendered: String, path: String) -> [String] {
        rendered.split(separator: "\n").compactMap { line in
            guard line.hasPrefix(path + ":"), let marker = line.range(of: ": error: ") else { return nil }
            let position = line[line.index(line.startIndex, offsetBy: path.count + 1)..<marker.lowerBound]
            return "\(position): \(line[marker.upperBound...])"
        }
    }
}

@Suite("Golden scripts")
struct GoldenTests {
    @Test("golden script", arguments: Golden.scripts)
    func golden(_ script: String) throws {
        let path = Golden.root + "/" + script
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let expected = Golden.expectations(in: text)
        let output = OutputCollector()
        let session = Session(options: SessionOptions(baseDirectory: Golden.root, libraries: [TestPlatform()],
                                                      output: { output.append($0) }))
        let outcome = session.runFile(path: path)
        #expect(output.lines == expected.output, "output of \(script)")
        switch outcome {
        case .ok:
            #expect(expected.syntaxErrors.isEmpty && expected.runtimeError == nil, "\(script) ran without the expected error")
        case .syntaxErrors(let rendered, let count):
            #expect(Golden.errorLines(rendered, path: path) == expected.syntaxErrors, "syntax errors of \(script):\n\(rendered)")
            #expect(count == expected.syntaxErrors.count)
        case .runtimeError(let rendered):
            let first = rendered.split(separator: "\n").first.map(String.init) ?? ""
            let message = first.range(of: ": error: ").map { String(first[$0.upperBound...]) }
            #expect(expected.runtimeError != nil && message == expected.runtimeError, "runtime error of \(script):\n\(rendered)")
        }
    }

    @Test func goldenFolderIsFound() {
        #expect(Golden.scripts.count > 30)
    }
}
