// Robustness on real files and real processes: concurrent writer processes, a held lock, damaged
// and foreign files (left byte-for-byte unchanged), and a writer killed with SIGKILL at seeded
// random moments. Serialized: the process tests time their kills and should not share the CPU
// with each other. Set WORKSPACE_TEST_VERBOSE=1 to print the counts the report quotes.
import Foundation
import GRDB
import Testing
@testable import Workspace
#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized) struct RobustnessTests {
    let t0 = VirtualTime.workspaceStart
    let verbose = ProcessInfo.processInfo.environment["WORKSPACE_TEST_VERBOSE"] != nil

    // MARK: Two processes

    @Test func twoWriterProcessesOnOneNewWorkspaceLoseAndDuplicateNothing() throws {
        let perWriter = 150
        try withTemporaryHome { home in
            // Both start on a home with no database yet, so they also race to create and migrate it.
            let a = try CrashWriter.launch(home: home, session: "A", count: perWriter)
            let b = try CrashWriter.launch(home: home, session: "B", count: perWriter)
            a.0.waitUntilExit()
            b.0.waitUntilExit()
            #expect(a.0.terminationStatus == 0)
            #expect(b.0.terminationStatus == 0)
            #expect(CrashWriter.reported(a.1) == Array(1...perWriter))
            #expect(CrashWriter.reported(b.1) == Array(1...perWriter))
            let ws = try Workspace.open(home: home)
            #expect(try ws.integrityCheck() == ["ok"])
            #expect(try storedNumbers(ws, session: "A") == Array(1...perWriter))
            #expect(try storedNumbers(ws, session: "B") == Array(1...perWriter))
            #expect(try ws.read { try $0.invocations() }.count == 2 * perWriter)
            if verbose {
                let sessions = try ws.read { try $0.ledger() }.map(\.sessionID)
                let switches = zip(sessions, sessions.dropFirst()).filter { $0 != $1 }.count
                print("two processes: \(2 * perWriter) entries, each present exactly once; "
                      + "commit order switched writer \(switches) times")
            }
        }
    }

    // MARK: Locks

    /// Another connection in EXCLUSIVE locking mode keeps everyone else out, readers included.
    @Test func lockedDatabaseGivesAClearErrorAndIsNotOverwritten() throws {
        try withTemporaryHome { home in
            let file = home.appendingPathComponent("workspace.sqlite")
            let ws = try Workspace.open(home: home)
            try ws.write { try $0.setSetting("marker", to: "kept") }
            try ws.close()

            var config = Configuration()
            config.allowsUnsafeTransactions = true
            let holder = try DatabaseQueue(path: file.path, configuration: config)
            try holder.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE")
                try db.execute(sql: "BEGIN EXCLUSIVE")
                try db.execute(sql: "INSERT INTO setting (key, value) VALUES ('holder', 'pending')")
            }
            let started = Date()
            #expect(throws: WorkspaceError.inUse(path: file.path, waitedMilliseconds: 300)) {
                try Workspace.open(home: home, busyTimeout: .milliseconds(300))
            }
            let waited = Date().timeIntervalSince(started)
            #expect(waited >= 0.25 && waited < 5, "waited \(waited) s for a 300 ms timeout")
            let message = WorkspaceError.inUse(path: file.path, waitedMilliseconds: 300).description
            #expect(message.contains(file.path) && message.contains("in use"))

            try holder.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
            try holder.close()
            let reopened = try Workspace.open(home: home)
            #expect(try reopened.read { try $0.setting("marker") } == "kept")
            #expect(try reopened.read { try $0.setting("holder") } == nil)
            #expect(try reopened.integrityCheck() == ["ok"])
        }
    }

    /// The moment two processes race to create a workspace: one holds the write lock of the new,
    /// still empty file. SQLite refuses the other's switch to WAL at once, without its busy
    /// handler; opening must wait for the lock like any other, then find the workspace ready.
    @Test func openingWaitsForAnotherProcessCreatingTheWorkspace() throws {
        try withTemporaryHome { home in
            let file = home.appendingPathComponent("workspace.sqlite")
            FileManager.default.createFile(atPath: file.path, contents: nil)
            var config = Configuration()
            config.allowsUnsafeTransactions = true
            let holder = try DatabaseQueue(path: file.path, configuration: config)
            try holder.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }

            // Held past the timeout: a clear error after waiting it out, the file still empty.
            let started = Date()
            #expect(throws: WorkspaceError.inUse(path: file.path, waitedMilliseconds: 300)) {
                try Workspace.open(home: home, busyTimeout: .milliseconds(300))
            }
            let waited = Date().timeIntervalSince(started)
            #expect(waited >= 0.25 && waited < 5, "waited \(waited) s for a 300 ms timeout")
            #expect(try fileBytes(file).isEmpty)

            // Released within the timeout: the open succeeds and migrates.
            let release = Thread {
                usleep(200_000)
                try? holder.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
            }
            release.start()
            let ws = try Workspace.open(home: home, busyTimeout: .seconds(5))
            #expect(try ws.appliedMigrations() == Schema.identifiers)
            #expect(try ws.integrityCheck() == ["ok"])
            try ws.close()
            try holder.close()
        }
    }

    /// A writer lock taken after we opened: our write waits out the timeout, then fails cleanly.
    @Test func writeBlockedByAnotherWriterFailsWithInUse() throws {
        try withTemporaryHome { home in
            let file = home.appendingPathComponent("workspace.sqlite")
            let ws = try Workspace.open(home: home, busyTimeout: .milliseconds(200))
            var config = Configuration()
            config.allowsUnsafeTransactions = true
            let holder = try DatabaseQueue(path: file.path, configuration: config)
            try holder.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                try db.execute(sql: "INSERT INTO setting (key, value) VALUES ('holder', 'pending')")
            }
            #expect(throws: WorkspaceError.inUse(path: file.path, waitedMilliseconds: 200)) {
                try ws.write { try $0.setSetting("mine", to: "1") }
            }
            // Readers are not blocked in WAL mode.
            #expect(try ws.read { try $0.setting("holder") } == nil)
            try holder.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
            try ws.write { try $0.setSetting("mine", to: "1") }
            #expect(try ws.read { try $0.setting("holder") } == "pending")
            try holder.close()
        }
    }

    // MARK: Damaged and foreign files

    /// A closed workspace with enough rows to span several pages.
    private func makeWorkspace(_ home: URL, entries: Int = 300) throws -> URL {
        let ws = try Workspace.open(home: home)
        try ws.write { tx in
            for i in 0..<entries {
                try tx.appendLedger(LedgerEntry(kind: "invocation", modelID: "m", quantities: ["n": Decimal(i)],
                                                amount: Decimal(i) / 1000, time: t0, note: String(repeating: "x", count: 40),
                                                sessionID: "s"))
            }
        }
        try ws.close()
        return home.appendingPathComponent("workspace.sqlite")
    }

    private func expectRefused(_ home: URL, file: URL, damaged: Bool) throws {
        let before = try fileBytes(file)
        do {
            _ = try Workspace.open(home: home)
            Issue.record("a bad file was opened")
        } catch let error as WorkspaceError {
            switch (error, damaged) {
            case (.damaged(let path, _), true), (.notAWorkspace(let path, _), false):
                #expect(path == file.path)
            default:
                Issue.record("unexpected error: \(error)")
            }
            #expect(error.description.contains(file.path))
            #expect(error.description.contains("left untouched; move it away or restore it"))
            if verbose { print(error.description) }
        }
        #expect(try fileBytes(file) == before, "the file's bytes changed")
        // A second attempt says the same: nothing was "repaired" in between.
        #expect(throws: WorkspaceError.self) { try Workspace.open(home: home) }
        #expect(try fileBytes(file) == before)
    }

    @Test func garbageOverPagesIsReportedAsDamaged() throws {
        try withTemporaryHome { home in
            let file = try makeWorkspace(home)
            var bytes = try fileBytes(file)
            #expect(bytes.count >= 8 * 4096)
            var random = SplitMix64(state: 42)
            bytes.replaceSubrange(4096..<(3 * 4096), with: random.bytes(2 * 4096))  // pages 2 and 3
            try bytes.write(to: file)
            try expectRefused(home, file: file, damaged: true)
        }
    }

    @Test func truncatedWorkspaceIsReportedAsDamaged() throws {
        try withTemporaryHome { home in
            let file = try makeWorkspace(home)
            let bytes = try fileBytes(file)
            try bytes.prefix(bytes.count / 2).write(to: file)
            try expectRefused(home, file: file, damaged: true)
        }
    }

    @Test func workspaceCutInsideItsHeaderIsReportedAsDamaged() throws {
        try withTemporaryHome { home in
            let file = try makeWorkspace(home)
            try fileBytes(file).prefix(60).write(to: file)
            try expectRefused(home, file: file, damaged: true)
        }
    }

    @Test func nonSQLiteFileIsNotAWorkspace() throws {
        try withTemporaryHome { home in
            let file = home.appendingPathComponent("workspace.sqlite")
            try Data(String(repeating: "these are my notes, not a database\n", count: 200).utf8).write(to: file)
            try expectRefused(home, file: file, damaged: false)
        }
    }

    // MARK: Killed mid-write

    /// Kills that land while a new workspace is being created and migrated: the next open works.
    @Test func creationKilledAtRandomMomentsLeavesAnOpenableWorkspace() throws {
        var random = SplitMix64(state: 11)
        let runs = 6
        var openedAfterKill = 0
        for _ in 0..<runs {
            try withTemporaryHome { home in
                let (process, output) = try CrashWriter.launch(home: home, session: "c", count: 5)
                usleep(UInt32(random.next(in: 5...60)) * 1000)
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                let reported = CrashWriter.reported(output)
                let ws = try Workspace.open(home: home)
                #expect(try ws.integrityCheck() == ["ok"])
                #expect(try ws.appliedMigrations() == Schema.identifiers)
                #expect(Set(reported).isSubset(of: Set(try storedNumbers(ws, session: "c"))))
                openedAfterKill += 1
            }
        }
        #expect(openedAfterKill == runs)
    }

    @Test func writerKilledAtRandomMomentsLosesNoCommittedEntry() throws {
        let kills = 15
        var random = SplitMix64(state: 2026)
        try withTemporaryHome { home in
            // One clean run (start-up, create, migrate, one commit) sets the time scale, so kills
            // still straddle start-up and writing on a loaded machine.
            let started = Date()
            let first = try CrashWriter.launch(home: home, session: "crash", count: 1)
            first.0.waitUntilExit()
            var reported = CrashWriter.reported(first.1)
            #expect(reported == [1])
            let baselineMs = min(400, max(10, Int(Date().timeIntervalSince(started) * 1000)))
            var runsThatCommitted = 0
            for _ in 0..<kills {
                let (process, output) = try CrashWriter.launch(home: home, session: "crash", count: 1_000_000)
                usleep(UInt32(random.next(in: (baselineMs / 2)...(baselineMs + 150))) * 1000)
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                #expect(process.terminationReason == .uncaughtSignal)
                let numbers = CrashWriter.reported(output)
                if !numbers.isEmpty { runsThatCommitted += 1 }
                reported += numbers
            }
            let elapsed = Date().timeIntervalSince(started)
            let ws = try Workspace.open(home: home)
            #expect(try ws.integrityCheck() == ["ok"])
            let stored = try storedNumbers(ws, session: "crash")
            // Gap-free and duplicate-free: each run continued exactly where the last commit ended.
            #expect(stored == (0..<stored.count).map { $0 + 1 })
            // Everything a writer said was committed is there; at most one commit per kill went
            // unreported (committed, killed before printing).
            #expect(Set(reported).isSubset(of: Set(stored)))
            #expect(stored.count - reported.count <= kills)
            #expect(runsThatCommitted >= 1, "no kill landed while writing")
            // Every operation is whole: one invocation row per ledger row, linked.
            let invocations = try ws.read { try $0.invocations(sessionID: "crash") }
            let ledgerIDs = try ws.read { try $0.ledger(sessionID: "crash") }.compactMap(\.id)
            #expect(invocations.compactMap(\.ledgerID) == ledgerIDs)
            if verbose {
                print("crash loop: \(kills) kills in \(String(format: "%.1f", elapsed)) s, "
                      + "baseline \(baselineMs) ms, \(runsThatCommitted) runs committed, "
                      + "\(reported.count) reported, \(stored.count) stored")
            }
        }
    }
}
