// Test support: finds the `bedrock` binary that SwiftPM built next to this test bundle and runs
// it as a child process with files (not pipes) for its streams, so large outputs cannot deadlock.
// Each run gets a private $BEDROCK_HOME unless the test passes its own.
import Foundation
import Testing

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum BedrockProcess {
    /// $BEDROCK_BIN, else `bedrock` beside the running test bundle (.build/<triple>/<config>/),
    /// else the debug or release build under the package root found from this file's path.
    static func binary() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["BEDROCK_BIN"], !path.isEmpty { return path }
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((exe as NSString).deletingLastPathComponent + "/bedrock")
        }
        candidates.append(Bundle.main.bundlePath + "/bedrock")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        candidates += [root + "/.build/debug/bedrock", root + "/.build/release/bedrock"]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw LocateError(tried: candidates)
        }
        return found
    }

    struct LocateError: Error, CustomStringConvertible {
        var tried: [String]
        var description: String { "bedrock binary not found; tried \(tried.joined(separator: ", ")) (set BEDROCK_BIN)" }
    }

    /// Runs `bedrock arguments…` with `stdin` as its standard input (empty when nil).
    static func run(_ arguments: [String], stdin: String = "", home: String? = nil,
                    environment extra: [String: String] = [:], directory: String? = nil) throws -> ProcessResult {
        let scratch = try TemporaryFolder()
        let input = scratch.path + "/stdin", output = scratch.path + "/stdout", errors = scratch.path + "/stderr"
        try stdin.write(toFile: input, atomically: false, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binary())
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["BEDROCK_HOME"] = home ?? scratch.path + "/home"
        environment.merge(extra) { $1 }
        process.environment = environment
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardInput = FileHandle(forReadingAtPath: input)
        process.standardOutput = FileHandle(forWritingAtPath: output)
        process.standardError = FileHandle(forWritingAtPath: errors)
        try process.run()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus,
                             stdout: try String(contentsOfFile: output, encoding: .utf8),
                             stderr: try String(contentsOfFile: errors, encoding: .utf8))
    }
}

/// A fresh folder under the system temp folder, removed when the value goes away.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/bedrock-cli-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
