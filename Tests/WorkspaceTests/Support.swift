// Test support: temporary homes, a seeded generator, and launching workspace-crash-writer.
// The crash writer is built with the tests; it is found next to the test bundle in the build
// products folder (or at $BEDROCK_CRASH_WRITER). Nothing here touches ~/.bedrock.
import Foundation
import Testing
@testable import Workspace

/// A fresh folder under the system temp dir, removed when the test's closure returns.
func withTemporaryHome<T>(_ body: (URL) throws -> T) throws -> T {
    let home = FileManager.default.temporaryDirectory
        .appendingPathComponent("bedrock-workspace-test-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: home) }
    return try body(home)
}

/// SplitMix64: small, seeded, the same sequence on every machine.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func next(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
    mutating func bytes(_ count: Int) -> Data {
        Data((0..<count).map { _ in UInt8(truncatingIfNeeded: next()) })
    }
}

enum CrashWriter {
    static let name = "workspace-crash-writer"

    /// The built helper executable, looked for beside the test binary/bundle.
    static func executable() throws -> URL {
        var folders: [URL] = []
        if let override = ProcessInfo.processInfo.environment["BEDROCK_CRASH_WRITER"] {
            return URL(fileURLWithPath: override)
        }
        if let exe = Bundle.main.executableURL { folders.append(exe.deletingLastPathComponent()) }
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        for folder in folders {
            let candidate = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw WorkspaceTestError.crashWriterNotFound(searched: folders.map(\.path))
    }

    /// Starts the writer; its stdout (one committed number per line) is read after it ends.
    static func launch(home: URL, session: String, count: Int) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = [home.path, session, String(count)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, output)
    }

    /// The numbers a finished (or killed) writer reported as committed.
    static func reported(_ output: Pipe) -> [Int] {
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n").compactMap { Int($0) }
    }
}

enum WorkspaceTestError: Error {
    case crashWriterNotFound(searched: [String])
}

/// The numbers the crash writer stored for `session`, in commit order.
func storedNumbers(_ workspace: Workspace, session: String) throws -> [Int] {
    try workspace.read { tx in
        try tx.ledger(sessionID: session).map { entry in
            NSDecimalNumber(decimal: entry.quantities["n"] ?? -1).intValue
        }
    }
}

func fileBytes(_ url: URL) throws -> Data { try Data(contentsOf: url) }
