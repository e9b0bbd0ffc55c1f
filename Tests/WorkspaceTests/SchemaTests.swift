// Schema evolution on real files: a workspace left at an older schema migrates forward and keeps
// its rows; one written by a newer bedrock (unknown migration) is refused and left unchanged;
// a SQLite file of another program is refused and never converted to WAL.
import Foundation
import GRDB
import Testing
@testable import Workspace

@Suite struct SchemaTests {
    let t0 = VirtualTime.workspaceStart

    @Test func migrationsAreNamedAndOrdered() {
        #expect(Schema.identifiers == ["v1-account", "v2-customization", "v3-evaluation", "v4-model-import"])
    }

    @Test func newWorkspaceIsWALWithForeignKeysAndOurApplicationID() throws {
        try withTemporaryHome { home in
            let ws = try Workspace.open(home: home)
            let facts = try ws.writer.read { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                 try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
                 try Int32.fetchOne(db, sql: "PRAGMA application_id"))
            }
            #expect(facts.0 == "wal")
            #expect(facts.1 == 1)
            #expect(facts.2 == Schema.applicationID)
            #expect(ws.location == .file(home.appendingPathComponent("workspace.sqlite")))
            #expect(try ws.appliedMigrations() == Schema.identifiers)
        }
    }

    @Test func olderSchemaMigratesForwardAndKeepsItsData() throws {
        try withTemporaryHome { home in
            let file = home.appendingPathComponent("workspace.sqlite")
            // Build a workspace as the first release would have left it: only v1-account.
            let old = try DatabasePool(path: file.path)
            try Schema.migrator.migrate(old, upTo: "v1-account")
            let entry = LedgerEntry(kind: "invocation", modelID: "m", quantities: ["inputTokens": 42],
                                    amount: Decimal(string: "0.0042")!, time: t0, note: "old", sessionID: "s1")
            try old.write { db in
                let tx = WorkspaceTransaction(db: db)
                try tx.appendLedger(entry)
                try tx.saveAccess(ModelAccess(modelID: "m", state: .granted, requestedAt: t0, decidedAt: t0))
                try tx.advanceClock(seconds: 3600)
            }
            #expect(try old.read { db in try db.tableExists("custom_model") } == false)
            try old.close()

            let ws = try Workspace.open(home: home)
            #expect(try ws.appliedMigrations() == Schema.identifiers)
            var stored = entry
            stored.id = 1
            #expect(try ws.read { try $0.ledger() } == [stored])
            #expect(try ws.read { try $0.access(modelID: "m") }?.state == .granted)
            #expect(try ws.read { try $0.now() } == t0.adding(seconds: 3600))
            // The new tables work.
            try ws.write { try $0.insertEvaluationJob(EvaluationJob(id: "e", name: "e", taskType: "qa", modelIDs: ["m"],
                                                                    dataset: "builtin:quiz", metrics: [], createdAt: t0)) }
            #expect(try ws.read { try $0.evaluationJobs() }.count == 1)
        }
    }

    @Test func newerSchemaIsRefusedAndLeftUntouched() throws {
        try withTemporaryHome { home in
            let file = home.appendingPathComponent("workspace.sqlite")
            try Workspace.open(home: home).close()
            let raw = try DatabaseQueue(path: file.path)
            try raw.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v4-future')")
                try db.execute(sql: "CREATE TABLE future_thing (id INTEGER PRIMARY KEY)")
            }
            try raw.close()
            let before = try fileBytes(file)
            #expect(throws: WorkspaceError.newerSchema(path: file.path, unknownMigrations: ["v4-future"])) {
                try Workspace.open(home: home)
            }
            #expect(try fileBytes(file) == before)
            let message = WorkspaceError.newerSchema(path: file.path, unknownMigrations: ["v4-future"]).description
            #expect(message.contains(file.path) && message.contains("newer bedrock") && message.contains("left untouched"))
        }
    }

    @Test func foreignSQLiteDatabaseIsRefusedAndNotConvertedToWAL() throws {
        try withTemporaryHome { home in
            let file = home.appendingPathComponent("workspace.sqlite")
            let raw = try DatabaseQueue(path: file.path)  // rollback journal, no application id
            try raw.write { db in
                try db.execute(sql: "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('bread')")
            }
            try raw.close()
            let before = try fileBytes(file)
            do {
                _ = try Workspace.open(home: home)
                Issue.record("opened another program's database")
            } catch let error as WorkspaceError {
                guard case .notAWorkspace(let path, let reason) = error else {
                    Issue.record("wrong error \(error)")
                    return
                }
                #expect(path == file.path)
                #expect(reason.contains("recipes"))
            }
            #expect(try fileBytes(file) == before)
            #expect(before[18] == 1 && before[19] == 1)  // header still says rollback journal, not WAL (2)
        }
    }

    @Test func emptyFileBecomesAWorkspace() throws {
        try withTemporaryHome { home in
            let file = home.appendingPathComponent("workspace.sqlite")
            _ = FileManager.default.createFile(atPath: file.path, contents: Data())
            let ws = try Workspace.open(home: home)
            #expect(try ws.appliedMigrations() == Schema.identifiers)
        }
    }

    @Test func defaultHomeFollowsBEDROCK_HOME() {
        #expect(Workspace.defaultHome(environment: ["BEDROCK_HOME": "/srv/bedrock"]).path == "/srv/bedrock")
        #expect(Workspace.defaultHome(environment: ["BEDROCK_HOME": ""]).lastPathComponent == ".bedrock")
        #expect(Workspace.defaultHome(environment: [:]).path
                == FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".bedrock").path)
    }

    @Test func homeThatIsAFileIsRefused() throws {
        try withTemporaryHome { home in
            let notAFolder = home.appendingPathComponent("home-file")
            _ = FileManager.default.createFile(atPath: notAFolder.path, contents: Data("x".utf8))
            #expect(throws: WorkspaceError.cannotCreateHome(path: notAFolder.path, reason: "it exists and is not a folder")) {
                try Workspace.open(home: notAFolder)
            }
        }
    }
}
