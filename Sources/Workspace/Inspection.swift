// Inspection: decides, before any write, whether an existing workspace.sqlite may be opened.
// It reads the file header itself, then opens the database READ-ONLY to check it is ours
// (application_id), undamaged (quick_check) and not from a newer bedrock. It never repairs,
// converts or deletes anything: a file that fails a check stays byte-for-byte as it was. The one
// write it allows is SQLite's own crash recovery (see inspectExisting), which restores a commit.
import Foundation
import GRDB

enum Inspection {
    static let sqliteMagic = Array("SQLite format 3\0".utf8)
    static let headerSize = 100

    /// Throws a `WorkspaceError` when `file` exists and must not be opened for writing.
    /// A missing or empty file passes: SQLite will create the database.
    static func inspectExisting(file: URL, busyMilliseconds: Int) throws {
        let path = file.path
        guard let size = fileSize(path), size > 0 else { return }
        try checkHeader(path: path, size: size)
        do {
            do {
                try probe(path: path, busyMilliseconds: busyMilliseconds, readonly: true)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY {
                // A process was killed mid-transaction: a hot rollback journal or an unrecovered
                // WAL index needs SQLite's own crash recovery, which a read-only connection may not
                // run. Recovery restores the last committed state (it is not guesswork), so let a
                // read-write connection do it, then check the contents as before.
                try probe(path: path, busyMilliseconds: busyMilliseconds, readonly: false)
            }
        } catch {
            throw WorkspaceError.map(error, path: path, busyMilliseconds: busyMilliseconds)
        }
    }

    /// Opens a plain connection (no journal-mode change: GRDB leaves a DatabaseQueue's alone) and
    /// runs `checkContents`, which only reads.
    private static func probe(path: String, busyMilliseconds: Int, readonly: Bool) throws {
        var config = Workspace.configuration(busyMs: busyMilliseconds)
        config.readonly = readonly
        let queue = try DatabaseQueue(path: path, configuration: config)
        defer { try? queue.close() }
        try queue.read { db in try checkContents(db, path: path) }
    }

    /// The first 100 bytes must be a SQLite header; this catches foreign and cut-short files
    /// without handing them to SQLite at all.
    static func checkHeader(path: String, size: Int) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw WorkspaceError.notAWorkspace(path: path, reason: "it cannot be read")
        }
        defer { try? handle.close() }
        let header = Array((try? handle.read(upToCount: headerSize)) ?? Data())
        let magicLength = min(header.count, sqliteMagic.count)
        guard Array(header.prefix(magicLength)) == Array(sqliteMagic.prefix(magicLength)) else {
            throw WorkspaceError.notAWorkspace(path: path, reason: "not a SQLite database")
        }
        guard header.count == headerSize else {
            throw WorkspaceError.damaged(path: path, reason: "truncated to \(size) bytes, shorter than a SQLite header")
        }
    }

    /// Runs inside the read-only connection.
    static func checkContents(_ db: Database, path: String) throws {
        let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            .filter { !$0.hasPrefix("sqlite_") }
        if appID != Schema.applicationID {
            // No tables, or only GRDB's still-empty migration list (created just before the first
            // migration's transaction): a new workspace whose creation was interrupted, or that
            // another process is creating now. Nothing in it can be lost.
            if tables.isEmpty { return }
            if tables == ["grdb_migrations"],
               try Int.fetchOne(db, sql: "SELECT count(*) FROM grdb_migrations") == 0 { return }
            throw WorkspaceError.notAWorkspace(path: path, reason: appID == 0
                ? "a SQLite database without bedrock's application id, holding tables \(tables.prefix(5).joined(separator: ", "))"
                : "a SQLite database of another application (application_id \(appID))")
        }
        let findings = try String.fetchAll(db, sql: "PRAGMA quick_check")
        if findings != ["ok"] {
            throw WorkspaceError.damaged(path: path, reason: "integrity check: " + findings.prefix(3).joined(separator: "; "))
        }
        let unknown = try unknownMigrations(db)
        if !unknown.isEmpty { throw WorkspaceError.newerSchema(path: path, unknownMigrations: unknown) }
    }

    /// Applied migrations this build does not know, oldest first.
    static func unknownMigrations(_ db: Database) throws -> [String] {
        guard try db.tableExists("grdb_migrations") else { return [] }
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        let known = Set(Schema.identifiers)
        return applied.filter { !known.contains($0) }
    }

    static func fileSize(_ path: String) -> Int? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return (attributes[.size] as? NSNumber)?.intValue
    }
}
