// AtomicFile: a reader (or a crash) sees the old bytes or the new bytes, never a mix. The kill
// test runs workspace-crash-writer in atomic mode (1 MiB versions streamed in 64 KiB chunks) and
// SIGKILLs it at seeded random moments.
import Foundation
import Testing
@testable import Workspace
#if canImport(Glibc)
import Glibc
#endif

@Suite struct AtomicFileTests {
    @Test func writesCreatesFoldersAndReplaces() throws {
        try withTemporaryHome { home in
            let file = home.appendingPathComponent("custom-models/cm-1/metrics/loss.csv")
            try AtomicFile.write(Data("step,loss\n1,2.5\n".utf8), to: file)
            #expect(try String(contentsOf: file, encoding: .utf8) == "step,loss\n1,2.5\n")
            try AtomicFile.write(Data("step,loss\n".utf8), to: file)
            #expect(try String(contentsOf: file, encoding: .utf8) == "step,loss\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path) == ["loss.csv"])
        }
    }

    @Test func aFailingProducerLeavesTheOldFileAndNoTemporary() throws {
        struct Boom: Error {}
        try withTemporaryHome { home in
            let file = home.appendingPathComponent("report.json")
            try AtomicFile.write(Data("old".utf8), to: file)
            #expect(throws: WorkspaceError.self) {
                try AtomicFile.write(to: file) { handle in
                    try handle.write(contentsOf: Data("half of the new".utf8))
                    throw Boom()
                }
            }
            #expect(try String(contentsOf: file, encoding: .utf8) == "old")
            #expect(try FileManager.default.contentsOfDirectory(atPath: home.path) == ["report.json"])
        }
    }

    @Test func aFileWhereAFolderShouldBeIsAClearError() throws {
        try withTemporaryHome { home in
            let blocker = home.appendingPathComponent("evaluations")
            try Data("x".utf8).write(to: blocker)
            let target = blocker.appendingPathComponent("e1/report.txt")
            #expect(throws: WorkspaceError.fileWriteFailed(path: target.path, step: "create folder",
                                                          reason: "\(blocker.path) is not a folder")) {
                try AtomicFile.write(Data("r".utf8), to: target)
            }
        }
    }

    @Test func killedWriterLeavesACompleteVersion() throws {
        let kills = 8
        var random = SplitMix64(state: 7)
        try withTemporaryHome { home in
            let file = home.appendingPathComponent("weights.bin")
            // One clean run (start-up plus one version) sets the time scale for the kills, so
            // they straddle start-up and writing even on a loaded machine.
            let started = Date()
            var versionsReported = try runAtomicWriter(file: file, first: 1, count: 1, killAfterMs: nil).count
            let baselineMs = min(400, max(10, Int(Date().timeIntervalSince(started) * 1000)))
            var checked = 0
            for run in 1...kills {
                // Each run writes its own version numbers (run 1: 51, 52, …; run 2: 101, …).
                let reported = try runAtomicWriter(file: file, first: run * 50 + 1, count: 1000,
                                                   killAfterMs: random.next(in: (baselineMs / 2)...(2 * baselineMs + 50)))
                versionsReported += reported.count
                guard FileManager.default.fileExists(atPath: file.path) else { continue }
                let bytes = try Data(contentsOf: file)
                #expect(bytes.count == 1 << 20)
                #expect(bytes == Data(repeating: bytes.first ?? 0, count: bytes.count), "a mix of two versions")
                checked += 1
                if let last = reported.last {
                    // The last reported version, or the next one if it was renamed but not yet reported.
                    #expect([UInt8(last % 256), UInt8((last + 1) % 256)].contains(bytes.first ?? 0))
                }
            }
            #expect(versionsReported > 1, "no version completed before a kill")
            // Leftover temporaries from killed writers are recognised and removed; the file stays.
            let removed = try AtomicFile.removeLeftovers(in: home)
            #expect(removed.allSatisfy { $0.hasPrefix(".weights.bin.tmp-") })
            #expect(try FileManager.default.contentsOfDirectory(atPath: home.path) == ["weights.bin"])
            if ProcessInfo.processInfo.environment["WORKSPACE_TEST_VERBOSE"] != nil {
                print("atomic kill loop: \(kills) kills, \(versionsReported) versions reported, \(checked) files "
                      + "checked whole, \(removed.count) leftovers removed, "
                      + String(format: "%.1f s", Date().timeIntervalSince(started)))
            }
        }
    }

    /// Runs the writer in atomic mode, SIGKILLed after `killAfterMs` (or left to finish); returns
    /// the versions it reported complete.
    private func runAtomicWriter(file: URL, first: Int, count: Int, killAfterMs: Int?) throws -> [Int] {
        let process = Process()
        process.executableURL = try CrashWriter.executable()
        process.arguments = ["--atomic", file.path, String(first), String(count)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        if let killAfterMs {
            usleep(UInt32(killAfterMs) * 1000)
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return CrashWriter.reported(output)
    }

    @Test func leftoversOfALiveWriterAreKept() throws {
        try withTemporaryHome { home in
            let mine = ".data.bin.tmp-\(getpid())-1"
            _ = FileManager.default.createFile(atPath: home.appendingPathComponent(mine).path, contents: Data())
            let removed = try AtomicFile.removeLeftovers(in: home)
            let names = try FileManager.default.contentsOfDirectory(atPath: home.path)
            #expect(removed.isEmpty)
            #expect(names == [mine])
        }
    }
}
