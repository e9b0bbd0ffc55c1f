// Numeric: arithmetic and comparison over int, float and decimal values. Int stays Int (overflow is
// a runtime error, not a trap); `/` of ints that do not divide gives a float; decimal mixed with
// int stays decimal, with float becomes float. Not here: string and list `+` (Operators.swift).
import FoundationEssentials

enum Numeric {
    static func double(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .decimal(let d): return NSDecimalNumberless.double(d)
        default: return nil
        }
    }

    static func decimal(_ v: Value) -> Decimal? {
        switch v {
        case .int(let i): return Decimal(i)
        case .decimal(let d): return d
        default: return nil
        }
    }

    /// -1, 0, 1 for two numbers; nil when either is not a number.
    static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.decimal, .decimal), (.decimal, .int), (.int, .decimal):
            let x = decimal(a)!, y = decimal(b)!
            return x < y ? -1 : (x == y ? 0 : 1)
        default:
            guard let x = double(a), let y = double(b) else { return nil }
            if x.isNaN || y.isNaN { return x.isNaN && y.isNaN ? 0 : -1 }
            return x < y ? -1 : (x == y ? 0 : 1)
        }
    }

    enum Op: String { case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%" }

    /// nil when the operands are not both numbers.
    static func arithmetic(_ op: Op, _ a: Value, _ b: Value) throws(RuntimeErrorKind) -> Value? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return try ints(op, x, y)
        case (.decimal, .decimal), (.decimal, .int), (.int, .decimal):
            return try decimals(op, decimal(a)!, decimal(b)!)
        default:
            guard let x = double(a), let y = double(b) else { return nil }
            return try doubles(op, x, y)
        }
    }

    static func ints(_ op: Op, _ x: Int, _ y: Int) throws(RuntimeErrorKind) -> Value {
        let result: (partialValue: Int, overflow: Bool)
        switch op {
        case .add: result = x.addingReportingOverflow(y)
        case .subtract: result = x.subtractingReportingOverflow(y)
        case .multiply: result = x.multipliedReportingOverflow(by: y)
        case .divide:
            if y == 0 { throw .divisionByZero }
            if x == Int.min && y == -1 { throw .integerOverflow("/") }
            if x % y == 0 { return .int(x / y) }
            return .double(Double(x) / Double(y))
        case .modulo:
            if y == 0 { throw .divisionByZero }
            if y == -1 { return .int(0) }
            let r = x % y
            return .int(r != 0 && (r < 0) != (y < 0) ? r + y : r)
        }
        if result.overflow { throw .integerOverflow(op.rawValue) }
        return .int(result.partialValue)
    }

    static func doubles(_ op: Op, _ x: Double, _ y: Double) throws(RuntimeErrorKind) -> Value {
        switch op {
        case .add: return .double(x + y)
        case .subtract: return .double(x - y)
        case .multiply: return .double(x * y)
        case .divide:
            if y == 0 { throw .divisionByZero }
            return .double(x / y)
        case .modulo:
            if y == 0 { throw .divisionByZero }
            let r = x.truncatingRemainder(dividingBy: y)
            return .double(r != 0 && (r < 0) != (y < 0) ? r + y : r)
        }
    }

    static func decimals(_ op: Op, _ x: Decimal, _ y: Decimal) throws(RuntimeErrorKind) -> Value {
        switch op {
        case .add: return .decimal(x + y)
        case .subtract: return .decimal(x - y)
        case .multiply: return .decimal(x * y)
        case .divide:
            if y == 0 { throw .divisionByZero }
            return .decimal(x / y)
        case .modulo:
            if y == 0 { throw .divisionByZero }
            guard let a = double(.decimal(x)), let b = double(.decimal(y)) else { throw .divisionByZero }
            return try doubles(.modulo, a, b)
        }
    }
}

/// Decimal → Double without Foundation's NSDecimalNumber (not in FoundationEssentials).
enum NSDecimalNumberless {
    static func double(_ d: Decimal) -> Double {
        Double(d.description) ?? .nan
    }
}
