// WorkspaceError: every way opening or using a workspace can fail, one message per case.
// Each message names the file involved and says what happened to it (nothing, in every case
// that concerns an existing database: the workspace never repairs or replaces a file silently).
// This file also maps SQLite result codes onto these cases; it does not retry anything.
import Foundation
import GRDB

/// A workspace failure. Every case carries the path it concerns so the message can name it.
public enum WorkspaceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `$BEDROCK_HOME` could not be created or is not a folder.
    case cannotCreateHome(path: String, reason: String)
    /// Another process (or connection) holds a lock on the database longer than the busy timeout.
    case inUse(path: String, waitedMilliseconds: Int)
    /// The file is not a SQLite database, or is one that another program made.
    case notAWorkspace(path: String, reason: String)
    /// The file is a bedrock workspace but SQLite reports damage (failed integrity check, truncation).
    case damaged(path: String, reason: String)
    /// The file or its folder is read-only, so the workspace cannot record anything.
    case notWritable(path: String)
    /// The database was written by a newer bedrock: it holds migrations this build does not know.
    case newerSchema(path: String, unknownMigrations: [String])
    /// A row the caller referred to does not exist.
    case notFound(table: String, key: String)
    /// An insert collided with an existing row (primary key or unique name).
    case alreadyExists(table: String, key: String)
    /// A stored value could not be read back as its type (hand-edited or damaged row).
    case invalidStoredValue(table: String, column: String, value: String)
    /// A value the caller passed is outside what the column accepts.
    case invalidValue(field: String, value: String, expected: String)
    /// An atomic file write failed at one of its steps; the destination was left as it was.
    case fileWriteFailed(path: String, step: String, reason: String)
    /// Any other SQLite failure, with SQLite's own message.
    case sqlite(path: String, code: Int32, message: String)

    public var description: String {
        switch self {
        case let .cannotCreateHome(path, reason):
            return "cannot use \(path) as the bedrock home: \(reason)"
        case let .inUse(path, waited):
            return "\(path) is in use by another bedrock process (still locked after \(waited) ms); "
                + "it was left untouched; close the other session or try again"
        case let .notAWorkspace(path, reason):
            return "\(path) is not a bedrock workspace (\(reason)); it was left untouched; "
                + "move it away or restore it"
        case let .damaged(path, reason):
            return "\(path) is damaged (\(reason)); it was left untouched; move it away or restore it"
        case let .notWritable(path):
            return "\(path) cannot be written (read-only file or folder); it was left untouched; "
                + "fix its permissions or use --ephemeral"
        case let .newerSchema(path, unknown):
            return "\(path) was written by a newer bedrock (unknown schema migrations: "
                + "\(unknown.joined(separator: ", "))); it was left untouched; upgrade bedrock to use it"
        case let .notFound(table, key):
            return "no \(table) with key \(key) in the workspace"
        case let .alreadyExists(table, key):
            return "a \(table) with key \(key) already exists in the workspace"
        case let .invalidStoredValue(table, column, value):
            return "the workspace holds an unreadable value in \(table).\(column): \(value.debugDescription)"
        case let .invalidValue(field, value, expected):
            return "\(field) = \(value) is not valid: expected \(expected)"
        case let .fileWriteFailed(path, step, reason):
            return "could not write \(path) (\(step) failed: \(reason)); the previous file, if any, is unchanged"
        case let .sqlite(path, code, message):
            return "SQLite error \(code) on \(path): \(message)"
        }
    }
}

extension WorkspaceError {
    /// Maps an error thrown by GRDB to a workspace error; other errors pass through unchanged.
    /// `busyMilliseconds` is the timeout in force, quoted by `.inUse`.
    static func map(_ error: any Error, path: String, busyMilliseconds: Int, table: String? = nil) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return WorkspaceError.inUse(path: path, waitedMilliseconds: busyMilliseconds)
        case .SQLITE_READONLY:
            return WorkspaceError.notWritable(path: path)
        case .SQLITE_NOTADB:
            return WorkspaceError.notAWorkspace(path: path, reason: "not a SQLite database")
        case .SQLITE_CORRUPT:
            return WorkspaceError.damaged(path: path, reason: error.message ?? "SQLite reports corruption")
        case .SQLITE_CONSTRAINT where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
            || error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE:
            return WorkspaceError.alreadyExists(table: table ?? "row", key: error.message ?? "")
        default:
            return WorkspaceError.sqlite(path: path, code: error.resultCode.rawValue,
                                         message: error.message ?? "\(error)")
        }
    }
}
