// NativeRegistry: how Swift code adds functions and commands to the language. A native declares
// its signature (positional, variadic and labelled parameters with types and defaults, doc,
// example, category); the interpreter checks arity, labels and types before the body runs, so
// bodies read typed arguments without re-checking. Platform bindings register here from their own files.
import BedrockSyntax

/// The type a native parameter accepts.
public indirect enum ParamType: Sendable, Equatable, CustomStringConvertible {
    case any, string, int, number, bool, list, record, function
    /// A platform handle of the given kind ("model", "job", …).
    case handle(String)
    /// A word from a fixed set; a bare identifier in this slot is taken as the word (`advance 30 days`).
    case word([String])
    /// Either of two types (e.g. `.oneOf(.string, .list)`).
    case oneOf(ParamType, ParamType)

    public var description: String {
        switch self {
        case .any: return "any value"
        case .string: return "string"
        case .int: return "int"
        case .number: return "number"
        case .bool: return "bool"
        case .list: return "list"
        case .record: return "record"
        case .function: return "function"
        case .handle(let kind): return kind
        case .word(let words): return "one of " + words.joined(separator: ", ")
        case .oneOf(let a, let b): return "\(a) or \(b)"
        }
    }

    /// Whether `value` fits. Ints are accepted where numbers are expected.
    public func accepts(_ value: Value) -> Bool {
        switch (self, value) {
        case (.any, _): return true
        case (.string, .string), (.int, .int), (.bool, .bool), (.list, .list), (.record, .record): return true
        case (.number, .int), (.number, .double), (.number, .decimal): return true
        case (.function, .function), (.function, .native): return true
        case (.handle(let kind), .handle(let h)): return h.object.kind == kind
        case (.word(let words), .string(let s)): return words.contains(s)
        case (.oneOf(let a, let b), _): return a.accepts(value) || b.accepts(value)
        default: return false
        }
    }
}

/// One parameter of a native.
public struct NativeParameter: Sendable {
    public var name: String
    public var type: ParamType
    /// Labelled parameters have a default (nil default → `.nil` is also accepted).
    public var defaultValue: Value?
    public var doc: String

    public init(_ name: String, _ type: ParamType, default defaultValue: Value? = nil, doc: String = "") {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.doc = doc
    }
}

/// Everything the interpreter, `:help` and completion need to know about a native.
public struct NativeSignature: Sendable {
    /// One or more words: "len", "request access", "json.parse".
    public var name: String
    public var positional: [NativeParameter]
    /// Takes any number of further positional arguments of this type (`print a, b, c`).
    public var variadic: NativeParameter?
    public var labelled: [NativeParameter]
    /// One line.
    public var doc: String
    /// A runnable example; a test runs every builtin's example.
    public var example: String
    /// True for shell-style commands: a bare `name` statement calls it with no arguments.
    public var isCommand: Bool
    /// Groups natives in `:help` ("strings", "lists", "files", …).
    public var category: String

    public init(_ name: String, positional: [NativeParameter] = [], variadic: NativeParameter? = nil,
                labelled: [NativeParameter] = [], doc: String, example: String,
                isCommand: Bool = false, category: String) {
        self.name = name
        self.positional = positional
        self.variadic = variadic
        self.labelled = labelled
        self.doc = doc
        self.example = example
        self.isCommand = isCommand
        self.category = category
    }

    /// `name(a, b, label: default)` as shown by help.
    public var usage: String {
        var parts = positional.map { "\($0.name): \($0.type)" }
        if let v = variadic { parts.append("\(v.name)…") }
        parts += labelled.map { "\($0.name): \($0.defaultValue.map(ValueFormatter.repr) ?? "nil")" }
        return "\(name)(\(parts.joined(separator: ", ")))"
    }
}

/// The body of a native: typed arguments in, a value out; throw `NativeError` (or any error) to fail.
public typealias NativeBody = @Sendable (NativeArguments, NativeContext) throws -> Value

public struct NativeCommand: Sendable {
    public var signature: NativeSignature
    public var body: NativeBody
    public init(_ signature: NativeSignature, body: @escaping NativeBody) {
        self.signature = signature
        self.body = body
    }
}

/// A failure raised by a native body; becomes a runtime error at the call's location.
public struct NativeError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Natives by name, in registration order. Later registrations of a name replace earlier ones.
public struct NativeRegistry: Sendable {
    public private(set) var commands: [String: NativeCommand] = [:]
    public private(set) var names: [String] = []

    public init() {}

    public mutating func register(_ command: NativeCommand) {
        let name = command.signature.name
        if commands.updateValue(command, forKey: name) == nil { names.append(name) }
    }

    /// Shorthand: `registry.register("len", positional: […], doc: …, example: …, category: …) { args, ctx in … }`.
    public mutating func register(_ name: String, positional: [NativeParameter] = [], variadic: NativeParameter? = nil,
                                  labelled: [NativeParameter] = [], doc: String, example: String,
                                  isCommand: Bool = false, category: String, body: @escaping NativeBody) {
        register(NativeCommand(NativeSignature(name, positional: positional, variadic: variadic, labelled: labelled,
                                               doc: doc, example: example, isCommand: isCommand, category: category),
                               body: body))
    }

    public func command(named name: String) -> NativeCommand? { commands[name] }

    /// Names with more than one word, e.g. "request access".
    var multiWordNames: [String] { names.filter { $0.contains(" ") } }
}

/// A set of natives added to every session created with it (e.g. the platform bindings).
public protocol NativeLibrary: Sendable {
    func register(into registry: inout NativeRegistry)
    /// Words completed inside a string literal in the REPL (the platform's model IDs).
    var completionWords: [String] { get }
    /// Called by `Session.reset()` so per-session state can be cleared.
    func sessionDidReset()
}

extension NativeLibrary {
    public func sessionDidReset() {}
    public var completionWords: [String] { [] }
}

/// The checked arguments of one native call, by parameter name.
public struct NativeArguments {
    /// Every positional and labelled parameter (defaults filled in).
    public var named: [String: Value]
    /// The variadic arguments, in order.
    public var rest: [Value]

    public subscript(name: String) -> Value { named[name] ?? .nil }

    public func string(_ name: String) throws -> String {
        guard case .string(let s) = self[name] else { throw NativeError("'\(name)' must be a string") }
        return s
    }
    public func int(_ name: String) throws -> Int {
        guard case .int(let i) = self[name] else { throw NativeError("'\(name)' must be an int") }
        return i
    }
    /// A number as Double (ints and decimals convert).
    public func double(_ name: String) throws -> Double {
        guard let d = Numeric.double(self[name]) else { throw NativeError("'\(name)' must be a number") }
        return d
    }
    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let b) = self[name] else { throw NativeError("'\(name)' must be a bool") }
        return b
    }
    public func list(_ name: String) throws -> [Value] {
        guard case .list(let l) = self[name] else { throw NativeError("'\(name)' must be a list") }
        return l
    }
    public func record(_ name: String) throws -> Record {
        guard case .record(let r) = self[name] else { throw NativeError("'\(name)' must be a record") }
        return r
    }
    /// The platform object of a `handle(kind)` parameter, cast to its Swift type.
    public func handle<T: PlatformObject>(_ name: String, as type: T.Type) throws -> T {
        guard case .handle(let h) = self[name], let object = h.object as? T else {
            throw NativeError("'\(name)' must be a \(T.self)")
        }
        return object
    }
    /// nil when the argument is `nil` (optional labelled parameters).
    public func optional(_ name: String) -> Value? {
        if case .nil = self[name] { return nil }
        return self[name]
    }
}
