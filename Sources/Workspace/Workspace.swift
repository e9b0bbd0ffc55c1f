// Workspace: bedrock's persistent state, one SQLite database reached through GRDB.
// `open(home:)` uses `$BEDROCK_HOME/workspace.sqlite` (WAL, busy timeout, foreign keys);
// `ephemeral()` an in-memory database for tests, notebooks and `--ephemeral`. Every read and write
// goes through `read`/`write`, which map SQLite failures to `WorkspaceError`. The table operations
// live in the Workspace+*.swift files; the checks made before a file is touched live in Inspection.
import Foundation
import GRDB

/// An open workspace. Thread-safe: share one instance per process.
public final class Workspace: Sendable {
    /// Where the database lives.
    public enum Location: Sendable, Equatable {
        case file(URL)
        case memory
    }

    public static let databaseFileName = "workspace.sqlite"
    /// Default time to wait for another process's lock before failing with `.inUse`.
    public static let defaultBusyTimeout: Duration = .seconds(5)

    public let location: Location
    /// Root of the workspace's files (`custom-models/`, `evaluations/`): `$BEDROCK_HOME` for a file
    /// workspace; for an ephemeral one, a private temporary folder removed when it is released.
    public let filesRoot: URL
    let writer: any DatabaseWriter
    let busyMilliseconds: Int
    private let removesFilesRoot: Bool

    private init(location: Location, filesRoot: URL, removesFilesRoot: Bool, writer: any DatabaseWriter,
                 busyMilliseconds: Int) {
        self.location = location
        self.filesRoot = filesRoot
        self.removesFilesRoot = removesFilesRoot
        self.writer = writer
        self.busyMilliseconds = busyMilliseconds
    }

    deinit {
        if removesFilesRoot { try? FileManager.default.removeItem(at: filesRoot) }
    }

    /// `custom-models/<id>/` under `filesRoot` (not created until something is written there).
    public func customModelFolder(id: String) -> URL {
        filesRoot.appendingPathComponent("custom-models", isDirectory: true).appendingPathComponent(id, isDirectory: true)
    }

    /// `evaluations/<id>/` under `filesRoot`.
    public func evaluationFolder(id: String) -> URL {
        filesRoot.appendingPathComponent("evaluations", isDirectory: true).appendingPathComponent(id, isDirectory: true)
    }

    /// The path quoted in error messages.
    public var displayPath: String {
        switch location {
        case .file(let url): return url.path
        case .memory: return ":memory:"
        }
    }

    /// `$BEDROCK_HOME` if set and non-empty, else `~/.bedrock`. Only computes the path.
    public static func defaultHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let home = environment["BEDROCK_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home, isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".bedrock", isDirectory: true)
    }

    /// Opens (creating if needed) `home/workspace.sqlite` and migrates it to the current schema.
    ///
    /// An existing file is inspected read-only first: a non-SQLite, foreign, damaged or newer file
    /// throws and is left byte-for-byte as it was.
    public static func open(home: URL, busyTimeout: Duration = defaultBusyTimeout) throws -> Workspace {
        let busyMs = Int(busyTimeout.components.seconds * 1000
                         + busyTimeout.components.attoseconds / 1_000_000_000_000_000)
        try createHome(home)
        let file = home.appendingPathComponent(databaseFileName)
        try Inspection.inspectExisting(file: file, busyMilliseconds: busyMs)
        let pool: DatabasePool
        do {
            pool = try openPool(file: file, busyMs: busyMs)
        } catch {
            throw WorkspaceError.map(error, path: file.path, busyMilliseconds: busyMs)
        }
        let workspace = Workspace(location: .file(file), filesRoot: home, removesFilesRoot: false, writer: pool,
                                  busyMilliseconds: busyMs)
        try workspace.migrate()
        return workspace
    }

    /// An empty in-memory workspace at the current schema. The database never touches disk; files
    /// (weights, reports) go to a fresh temporary folder that is removed with the workspace.
    public static func ephemeral() throws -> Workspace {
        let files = FileManager.default.temporaryDirectory
            .appendingPathComponent("bedrock-ephemeral-\(UUID().uuidString)", isDirectory: true)
        do {
            let queue = try DatabaseQueue(configuration: configuration(busyMs: 0))
            let workspace = Workspace(location: .memory, filesRoot: files, removesFilesRoot: true, writer: queue,
                                      busyMilliseconds: 0)
            try workspace.migrate()
            return workspace
        } catch {
            throw WorkspaceError.map(error, path: ":memory:", busyMilliseconds: 0)
        }
    }

    /// Opens the pool, which switches a new file to WAL, and sets synchronous=FULL.
    ///
    /// SQLite answers `PRAGMA journal_mode = WAL` with SQLITE_BUSY at once, without calling the
    /// busy handler, while another connection holds the write lock of a file still in rollback
    /// mode: what a second process meets when a first one is creating the same new workspace. So
    /// that case is waited out here, up to the same busy timeout SQLite applies everywhere else.
    private static func openPool(file: URL, busyMs: Int) throws -> DatabasePool {
        let deadline = ContinuousClock.now + .milliseconds(busyMs)
        var pause = Duration.milliseconds(1)
        while true {
            do {
                let pool = try DatabasePool(path: file.path, configuration: configuration(busyMs: busyMs))
                // GRDB's WAL set-up chooses synchronous=NORMAL; FULL also survives power loss, not
                // only a killed process, for the price of one fsync per commit.
                try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
                return pool
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                let now = ContinuousClock.now
                guard now < deadline else { throw error }
                let wait = min(pause, deadline - now).components
                Thread.sleep(forTimeInterval: Double(wait.seconds) + Double(wait.attoseconds) / 1e18)
                pause = min(pause * 2, .milliseconds(50))
            }
        }
    }

    static func configuration(busyMs: Int) -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(TimeInterval(busyMs) / 1000)
        config.label = "bedrock.workspace"
        return config
    }

    private static func createHome(_ home: URL) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: home.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw WorkspaceError.cannotCreateHome(path: home.path, reason: "it exists and is not a folder")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        } catch {
            throw WorkspaceError.cannotCreateHome(path: home.path, reason: error.localizedDescription)
        }
    }

    /// Applies pending migrations in one transaction each; refuses a database from a newer bedrock.
    ///
    /// GRDB reads the applied list outside each migration's transaction, so two processes opening a
    /// new workspace at once can both try the same step; the loser's step rolls back, and it
    /// re-reads and goes on (or finds the other process finished the work).
    func migrate() throws {
        try mapped {
            let migrator = Schema.migrator
            for attempt in 1...Self.migrationAttempts {
                let unknown = try writer.read { db in try Inspection.unknownMigrations(db) }
                if !unknown.isEmpty {
                    throw WorkspaceError.newerSchema(path: displayPath, unknownMigrations: unknown)
                }
                do {
                    try migrator.migrate(writer)
                    return
                } catch let error as DatabaseError where attempt < Self.migrationAttempts {
                    if error.resultCode == .SQLITE_BUSY { throw error }
                    continue
                }
            }
        }
    }

    /// Bounded so a migration that fails for a real reason reports it instead of looping.
    static let migrationAttempts = 4

    // MARK: Access

    /// Runs `body` in one IMMEDIATE transaction: all its changes commit together or none do.
    ///
    /// IMMEDIATE takes the write lock up front, so a read-then-write body never fails half-way
    /// because another process committed in between (WAL's SQLITE_BUSY_SNAPSHOT).
    public func write<T>(_ body: (WorkspaceTransaction) throws -> T) throws -> T {
        try mapped {
            try writer.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(WorkspaceTransaction(db: db))
                    return .commit
                }
                return result!
            }
        }
    }

    /// Runs `body` on a consistent snapshot; writing inside it fails.
    public func read<T>(_ body: (WorkspaceTransaction) throws -> T) throws -> T {
        try mapped {
            do {
                return try writer.read { db in try body(WorkspaceTransaction(db: db)) }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY {
                // Read connections are read-only by design: this is a misuse, not a file problem.
                throw WorkspaceError.sqlite(path: displayPath, code: error.resultCode.rawValue,
                                            message: "a change was attempted inside Workspace.read; use write")
            }
        }
    }

    /// SQLite's `PRAGMA integrity_check`: `["ok"]` for a healthy database, else its findings.
    public func integrityCheck() throws -> [String] {
        try mapped { try writer.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") } }
    }

    /// The migrations applied to this database, oldest first.
    public func appliedMigrations() throws -> [String] {
        try mapped { try writer.read { db in try Schema.migrator.completedMigrations(db) } }
    }

    /// Closes the database; later calls fail. Closing is optional: deinit closes too.
    ///
    /// First copies the WAL into the main file and empties it (when no other process is reading),
    /// so a closed workspace is one self-contained file: GRDB closes the pool's writer before its
    /// read-only readers, and the last connection out, a reader, cannot checkpoint.
    public func close() throws {
        try mapped {
            if case .file = location {
                do {
                    _ = try writer.writeWithoutTransaction { try $0.checkpoint(.truncate) }
                } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                    // Another process is reading: the WAL stays, complete, for it or the next open.
                }
            }
            try writer.close()
        }
    }

    private func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw WorkspaceError.map(error, path: displayPath, busyMilliseconds: busyMilliseconds)
        }
    }
}

/// The handle a `read`/`write` body receives; the table operations are its methods.
/// Valid only inside the body that received it.
public struct WorkspaceTransaction {
    let db: Database
}
