// Value: every value a bedrock program can hold. Lists and records are Swift value types, so the
// language has value semantics for free (copy on write). Functions, natives and platform handles
// are references. Printing rules (display vs. quoted repr) live in ValueFormatting.swift.
import FoundationEssentials

/// A bedrock value. Values belong to one session's thread; `@unchecked Sendable` only lets
/// natives' default values and errors carry them.
public enum Value: @unchecked Sendable {
    case `nil`
    case bool(Bool)
    case int(Int)
    case double(Double)
    /// Exact decimal numbers (money from the platform); prints without float noise.
    case decimal(Decimal)
    case string(String)
    case list([Value])
    case record(Record)
    /// A function written in bedrock (a closure).
    case function(Function)
    /// A native function or command from the registry.
    case native(NativeFunction)
    /// An opaque platform object (model card, job, booking, report).
    case handle(Handle)

    /// The language-level type name, as `type(x)` returns it and errors name it.
    public var typeName: String {
        switch self {
        case .nil: return "nil"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .decimal: return "decimal"
        case .string: return "string"
        case .list: return "list"
        case .record: return "record"
        case .function, .native: return "function"
        case .handle(let h): return h.object.kind
        }
    }

    /// Only `false` and `nil` are false; everything else (0, "", []) is true.
    public var isTruthy: Bool {
        switch self {
        case .nil: return false
        case .bool(let b): return b
        default: return true
        }
    }
}

/// A record: string keys in insertion order, each with a value.
public struct Record: Sendable, Equatable {
    public private(set) var keys: [String] = []
    private var storage: [String: Value] = [:]

    public init() {}
    public init(_ pairs: [(String, Value)]) {
        for (key, value) in pairs { self[key] = value }
    }

    public var count: Int { keys.count }
    public var values: [Value] { keys.map { storage[$0]! } }
    public var pairs: [(key: String, value: Value)] { keys.map { ($0, storage[$0]!) } }

    public subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }
}

/// A bedrock function value: compiled code plus the variables it captured.
public final class Function: @unchecked Sendable {
    let proto: FunctionProto
    let captures: [Box]

    init(proto: FunctionProto, captures: [Box]) {
        self.proto = proto
        self.captures = captures
    }

    public var name: String { proto.name }
}

/// A registered native command wrapped as a value (so it can be passed, e.g. to `map`).
public final class NativeFunction: @unchecked Sendable {
    public let command: NativeCommand
    init(_ command: NativeCommand) { self.command = command }
}

/// A mutable cell for a variable captured by a closure, so every closure sees the same variable.
final class Box {
    var value: Value
    init(_ value: Value) { self.value = value }
}

extension Value: Equatable {
    /// Structural equality; numbers compare by value across int/float/decimal; functions and
    /// handles by identity.
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.nil, .nil): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.list(let a), .list(let b)): return a == b
        case (.record(let a), .record(let b)): return a == b
        case (.function(let a), .function(let b)): return a === b
        case (.native(let a), .native(let b)): return a.command.signature.name == b.command.signature.name
        case (.handle(let a), .handle(let b)): return a === b || a.object.isSame(as: b.object)
        default:
            if let order = Numeric.compare(lhs, rhs) { return order == 0 }
            return false
        }
    }
}
