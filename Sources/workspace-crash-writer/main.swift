// workspace-crash-writer: a test helper for WorkspaceTests, not part of the bedrock command line.
// Ledger mode appends numbered charges to a workspace, one transaction each; atomic mode rewrites
// one file again and again with AtomicFile. Each completed step's number goes to stdout (flushed)
// only after it is durable, so a test that kills this process with SIGKILL at a random moment
// can check that nothing it was told about is missing.
//
// usage: workspace-crash-writer <bedrock-home> <session-id> <count>
//        workspace-crash-writer --atomic <file> <first-version> <count>
import Foundation
import Workspace

let usage = """
    usage: workspace-crash-writer <bedrock-home> <session-id> <count>
           workspace-crash-writer --atomic <file> <first-version> <count>

    """

/// Appends `count` numbered operations (ledger entry + invocation linked to it, one transaction
/// each), continuing after the highest number `session` already has.
func writeLedger(home: URL, session: String, count: Int) throws {
    let workspace = try Workspace.open(home: home)
    let start = try workspace.read { tx in
        try tx.ledger(sessionID: session).compactMap { $0.quantities["n"] }.max() ?? 0
    }
    for step in 0..<count {
        let n = start + Decimal(step + 1)
        try workspace.write { tx in
            let now = try tx.now()
            let charge = LedgerEntry(kind: "invocation", modelID: "crash.writer", quantities: ["n": n],
                                     amount: Decimal(string: "0.000125")!, time: now, note: "crash-writer #\(n)",
                                     sessionID: session)
            let record = InvocationRecord(modelID: "crash.writer", inputTokens: 10, outputTokens: 5,
                                          latencyMilliseconds: 1, cost: charge.amount, stopReason: "end_turn",
                                          time: now, sessionID: session)
            try tx.logInvocation(record, charge: charge)
        }
        report(n.description)
    }
}

/// Rewrites `file` `count` times with versions first, first+1, …; version v is `atomicFileSize`
/// bytes all equal to v % 256, streamed in chunks so a kill can land mid-file.
func writeAtomically(file: URL, first: Int, count: Int) throws {
    let chunk = 64 * 1024
    for version in first..<(first + count) {
        let block = Data(repeating: UInt8(version % 256), count: chunk)
        try AtomicFile.write(to: file) { handle in
            for _ in 0..<(atomicFileSize / chunk) { try handle.write(contentsOf: block) }
        }
        report(String(version))
    }
}

/// Size of each atomic-mode version; WorkspaceTests checks for exactly this size.
let atomicFileSize = 1 << 20

func report(_ line: String) {
    print(line)
    fflush(nil)  // every stream: `stdout` itself is a C global Swift 6 will not touch
}

let arguments = CommandLine.arguments
do {
    if arguments.count == 5, arguments[1] == "--atomic", let first = Int(arguments[3]),
       let count = Int(arguments[4]), count >= 0 {
        try writeAtomically(file: URL(fileURLWithPath: arguments[2]), first: first, count: count)
    } else if arguments.count == 4, let count = Int(arguments[3]), count >= 0 {
        try writeLedger(home: URL(fileURLWithPath: arguments[1], isDirectory: true), session: arguments[2], count: count)
    } else {
        FileHandle.standardError.write(Data(usage.utf8))
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("workspace-crash-writer: \(error)\n".utf8))
    exit(70)
}
