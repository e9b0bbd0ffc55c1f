// Value types the workspace stores: virtual time, and the exact text forms of money and JSON maps.
// Money is Foundation `Decimal` written as canonical decimal TEXT, never REAL, so a value reads
// back bit-for-bit; sums are taken in Swift, never by SQL (SQLite would add them as doubles).
// This file knows nothing of prices or clocks' rules: Billing owns those.
import Foundation

/// A point on the virtual clock: whole seconds since 1970-01-01T00:00:00Z (the Unix epoch), UTC.
///
/// Only `advance` moves the virtual clock, so scripts print the same times on every run.
/// Stored as an SQLite INTEGER.
public struct VirtualTime: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    /// Where a new workspace's clock starts: 2025-01-01T00:00:00Z. Fixed so runs reproduce.
    public static let workspaceStart = VirtualTime(seconds: 1_735_689_600)

    public func adding(seconds delta: Int64) -> VirtualTime { VirtualTime(seconds: seconds + delta) }

    public static func < (a: VirtualTime, b: VirtualTime) -> Bool { a.seconds < b.seconds }

    /// ISO 8601 in UTC, e.g. `2025-01-01T00:00:00Z`.
    public var description: String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
    }
}

/// Exact text codecs used by the tables. Internal: callers see `Decimal` and dictionaries.
enum Codec {
    static let posix = Locale(identifier: "en_US_POSIX")

    /// Canonical decimal text: `Decimal.description` is locale-free ("1234.5678", "-0.0001").
    static func text(_ value: Decimal) -> String { value.description }

    static func decimal(_ text: String, table: String, column: String) throws -> Decimal {
        guard let value = Decimal(string: text, locale: posix), text.isEmpty == false else {
            throw WorkspaceError.invalidStoredValue(table: table, column: column, value: text)
        }
        return value
    }

    /// JSON text with sorted keys, so equal values store as equal bytes.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, table: String, column: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw WorkspaceError.invalidStoredValue(table: table, column: column, value: text)
        }
    }

    /// Decimal maps are stored as JSON objects of decimal *strings* ({"hours":"730"}): JSON
    /// numbers would pass through Double on the way back.
    static func json(_ map: [String: Decimal]) throws -> String {
        try json(map.mapValues { text($0) })
    }

    static func decimalMap(_ text: String, table: String, column: String) throws -> [String: Decimal] {
        let strings = try decode([String: String].self, text, table: table, column: column)
        return try strings.mapValues { try decimal($0, table: table, column: column) }
    }

    static func enumValue<E: RawRepresentable>(_ type: E.Type, _ raw: String, table: String,
                                                column: String) throws -> E where E.RawValue == String {
        guard let value = E(rawValue: raw) else {
            throw WorkspaceError.invalidStoredValue(table: table, column: column, value: raw)
        }
        return value
    }
}
