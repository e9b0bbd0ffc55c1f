// Virtual time: instants, durations ("30 days"), and the clock that only `advance` moves.
// The epoch is fixed (2025-01-01T00:00:00Z) so scripts print the same dates every run; nothing
// here reads the wall clock. Calendar arithmetic is done by hand (UTC, proleptic Gregorian).
import Catalog

/// An instant on the virtual timeline, in whole seconds since 1970-01-01T00:00:00Z.
public struct VirtualTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let secondsSince1970: Int64

    public init(secondsSince1970: Int64) { self.secondsSince1970 = secondsSince1970 }

    /// Where every virtual clock starts: 2025-01-01 00:00:00 UTC.
    public static let epoch = VirtualTime(secondsSince1970: 1_735_689_600)

    public static func < (a: VirtualTime, b: VirtualTime) -> Bool { a.secondsSince1970 < b.secondsSince1970 }
    public static func + (t: VirtualTime, d: VirtualDuration) -> VirtualTime { VirtualTime(secondsSince1970: t.secondsSince1970 + d.seconds) }
    public static func - (a: VirtualTime, b: VirtualTime) -> VirtualDuration { VirtualDuration(seconds: a.secondsSince1970 - b.secondsSince1970) }

    /// (year, month, day, hour, minute, second) in UTC.
    public var components: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let days = Int(secondsSince1970.floorDiv(86_400))
        let rest = Int(secondsSince1970 - Int64(days) * 86_400)
        let (y, m, d) = civil(fromDays: days)
        return (y, m, d, rest / 3600, rest % 3600 / 60, rest % 60)
    }

    /// "2025-01-31" — the day an amount is totalled under.
    public var day: String {
        let c = components
        return "\(c.year)-\(pad(c.month))-\(pad(c.day))"
    }

    /// "2025-01-31 14:05 UTC".
    public var display: String {
        let c = components
        return "\(day) \(pad(c.hour)):\(pad(c.minute)) UTC"
    }

    /// "2025-01-31T14:05:00Z".
    public var iso8601: String {
        let c = components
        return "\(day)T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))Z"
    }

    public var description: String { display }
}

/// A span of virtual time in whole seconds.
public struct VirtualDuration: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }
    public static func seconds(_ n: Int64) -> VirtualDuration { .init(seconds: n) }
    public static func minutes(_ n: Int64) -> VirtualDuration { .init(seconds: n * 60) }
    public static func hours(_ n: Int64) -> VirtualDuration { .init(seconds: n * 3600) }
    public static func days(_ n: Int64) -> VirtualDuration { .init(seconds: n * 86_400) }
    public static let zero = VirtualDuration(seconds: 0)

    public static func < (a: VirtualDuration, b: VirtualDuration) -> Bool { a.seconds < b.seconds }
    public static func + (a: VirtualDuration, b: VirtualDuration) -> VirtualDuration { .init(seconds: a.seconds + b.seconds) }

    /// Units a duration may be written in, with their length in seconds.
    static let units: [(names: [String], seconds: Int64)] = [
        (["s", "sec", "secs", "second", "seconds"], 1),
        (["m", "min", "mins", "minute", "minutes"], 60),
        (["h", "hr", "hrs", "hour", "hours"], 3600),
        (["d", "day", "days"], 86_400),
        (["w", "week", "weeks"], 604_800),
    ]

    /// Reads "30 days", "90 minutes", "1.5 hours", "2h", "1 day 6 hours". Months are not accepted
    /// (their length is ambiguous); write days. A fractional result is rounded down to the second.
    public static func parse(_ text: String) throws(BillingError) -> VirtualDuration {
        let tokens = splitNumberAndUnits(text)
        guard !tokens.isEmpty, tokens.count % 2 == 0 else {
            throw .invalidDuration(text: text, reason: "expected a number and a unit, such as \"30 days\" or \"2 hours\"")
        }
        var total: Int64 = 0
        for i in stride(from: 0, to: tokens.count, by: 2) {
            guard let number = Double(tokens[i]), number.isFinite, number >= 0 else {
                throw .invalidDuration(text: text, reason: "\"\(tokens[i])\" is not a non-negative number")
            }
            let unitName = tokens[i + 1].lowercased()
            if ["month", "months", "mo", "year", "years"].contains(unitName) {
                throw .invalidDuration(text: text, reason: "\(tokens[i + 1]) have no fixed length here; write days or hours (a billing month is 730 hours)")
            }
            guard let unit = units.first(where: { $0.names.contains(unitName) }) else {
                let all = units.flatMap(\.names)
                let closest = ClosestNames.suggest(unitName, among: all, limit: 1).first.map { "; did you mean \"\($0)\"?" } ?? ""
                throw .invalidDuration(text: text, reason: "unknown unit \"\(tokens[i + 1])\"\(closest) (use seconds, minutes, hours, days or weeks)")
            }
            total += Int64((number * Double(unit.seconds)).rounded(.down))
        }
        return VirtualDuration(seconds: total)
    }

    /// "30 days", "1 day 2 hours 5 minutes", "45 seconds", "0 seconds".
    public var description: String {
        if seconds == 0 { return "0 seconds" }
        var rest = abs(seconds)
        var parts: [String] = []
        for (name, size) in [("day", Int64(86_400)), ("hour", 3600), ("minute", 60), ("second", 1)] where rest >= size {
            let n = rest / size
            rest -= n * size
            parts.append("\(n) \(name)\(n == 1 ? "" : "s")")
        }
        return (seconds < 0 ? "-" : "") + parts.joined(separator: " ")
    }
}

/// The virtual clock a workspace keeps. A value: the platform persists `now`.
public struct VirtualClock: Sendable, Equatable, Codable {
    public private(set) var now: VirtualTime

    public init(now: VirtualTime = .epoch) { self.now = now }

    /// Moves time forward; time never goes back.
    public mutating func advance(by duration: VirtualDuration) throws(BillingError) {
        guard duration.seconds >= 0 else {
            throw .invalidDuration(text: duration.description, reason: "the virtual clock only moves forward")
        }
        now = now + duration
    }

    /// `advance(by: VirtualDuration.parse(text))`.
    public mutating func advance(_ text: String) throws(BillingError) {
        try advance(by: VirtualDuration.parse(text))
    }

    /// "2025-01-31 14:05 UTC (virtual; 30 days 14 hours 5 minutes after the epoch)".
    public var formatted: String { "\(now.display) (virtual; \(now - .epoch) after the epoch)" }
}

/// Splits "1.5hours 30 min" into ["1.5", "hours", "30", "min"].
private func splitNumberAndUnits(_ text: String) -> [String] {
    var tokens: [String] = []
    var current = ""
    var currentIsNumber = false
    for ch in text {
        if ch == " " || ch == "," || ch == "\t" {
            if !current.isEmpty { tokens.append(current); current = "" }
            continue
        }
        let isNumber = ch.isNumber || ch == "."
        if !current.isEmpty, isNumber != currentIsNumber { tokens.append(current); current = "" }
        current.append(ch)
        currentIsNumber = isNumber
    }
    if !current.isEmpty { tokens.append(current) }
    return tokens
}

private func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

/// Days since 1970-01-01 → (year, month, day); Howard Hinnant's civil_from_days.
private func civil(fromDays z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
}

extension Int64 {
    /// Division rounding toward minus infinity.
    func floorDiv(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
