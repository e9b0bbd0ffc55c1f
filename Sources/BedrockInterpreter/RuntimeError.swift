// RuntimeError: errors raised while a program runs: a closed enum of kinds (one message each), the
// location of the failing expression, and the call trace collected as the error unwinds through
// function calls (clox style). Rendering into the one diagnostic format happens in Session.
import Basics
import BedrockSyntax

/// Every kind of runtime error.
public enum RuntimeErrorKind: Error, Sendable, Equatable {
    case unknownName(String, suggestion: String?)
    case usedBeforeDeclaration(String)
    case binaryTypes(op: String, left: String, right: String)
    case unaryType(op: String, operand: String)
    case cannotCompare(left: String, right: String)
    case integerOverflow(String)
    case divisionByZero
    case notCallable(String)
    case notACommand(name: String, type: String)
    case arity(function: String, expected: String, got: Int)
    case unknownLabel(function: String, label: String, suggestion: String?)
    case duplicateArgument(function: String, label: String)
    case argumentType(function: String, parameter: String, expected: String, got: String)
    case indexOutOfRange(index: Int, count: Int)
    case indexType(container: String, index: String)
    case noMember(type: String, member: String, suggestion: String?)
    case notIndexable(String)
    case notIterable(String)
    case notAssignable(String)
    case recursionLimit(Int)
    case stringTooLong(Int)
    case listTooLong(Int)
    case interrupted
    case assertionFailed(String)
    case importFailed(path: String, reason: String)
    case native(String)

    public var message: String {
        switch self {
        case .unknownName(let name, let s): return "unknown name '\(name)'" + didYouMean(s)
        case .usedBeforeDeclaration(let name): return "'\(name)' is used before its declaration has run"
        case .binaryTypes(let op, let l, let r): return "cannot apply '\(op)' to \(l) and \(r)"
        case .unaryType(let op, let t): return "cannot apply '\(op)' to \(t)"
        case .cannotCompare(let l, let r): return "cannot compare \(l) with \(r)"
        case .integerOverflow(let op): return "integer overflow in '\(op)'"
        case .divisionByZero: return "division by zero"
        case .notCallable(let t): return "a \(t) cannot be called"
        case .notACommand(let name, let t): return "'\(name)' is a \(t), not a function or command, so it takes no arguments"
        case .arity(let f, let expected, let got): return "'\(f)' expects \(expected), got \(got)"
        case .unknownLabel(let f, let label, let s): return "'\(f)' has no parameter '\(label)'" + didYouMean(s)
        case .duplicateArgument(let f, let label): return "argument '\(label)' given twice to '\(f)'"
        case .argumentType(let f, let p, let expected, let got): return "argument '\(p)' of '\(f)' must be \(expected), got \(got)"
        case .indexOutOfRange(let i, let n): return "index \(i) is out of range for length \(n)"
        case .indexType(let c, let i): return "cannot index a \(c) with a \(i)"
        case .noMember(let t, let m, let s): return "\(t) has no member '\(m)'" + didYouMean(s)
        case .notIndexable(let t): return "a \(t) cannot be indexed"
        case .notIterable(let t): return "cannot iterate over a \(t)"
        case .notAssignable(let t): return "cannot assign into a \(t)"
        case .recursionLimit(let n): return "recursion deeper than \(n) calls (limit maxCallDepth)"
        case .stringTooLong(let n): return "string longer than \(n) bytes (limit maxStringBytes)"
        case .listTooLong(let n): return "list longer than \(n) elements (limit maxListCount)"
        case .interrupted: return "interrupted"
        case .assertionFailed(let m): return "assertion failed: \(m)"
        case .importFailed(let path, let reason): return "cannot import '\(path)': \(reason)"
        case .native(let m): return m
        }
    }

    private func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { "; did you mean '\($0)'?" } ?? ""
    }
}

/// One entry of a call trace: the function that was running and where it was called.
public struct TraceEntry: Sendable, Equatable {
    public var function: String
    public var callSite: SourceLocation
}

/// A runtime error with where it happened and the calls that led there (innermost first).
public struct RuntimeError: Error, Sendable {
    public var kind: RuntimeErrorKind
    public var location: SourceLocation
    public var trace: [TraceEntry] = []

    public init(_ kind: RuntimeErrorKind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    public var message: String { kind.message }
}

/// Limits, each a named constant with the reason it exists (each has its own golden test).
public enum Limits {
    /// Deep recursion would overflow the native stack and crash the process; 1000 calls is far more
    /// than workflow scripts need and fits the evaluator's 512 MiB stack with a wide margin.
    public static let maxCallDepth = 1000
    /// A runaway `s = s + s` loop would exhaust memory; 64 MiB is far above any prompt or file a
    /// script handles, and reaching it takes a few milliseconds, not minutes.
    public static let maxStringBytes = 64 << 20
    /// Same reason for lists (`range(10**12)`, doubling concatenations): 10 million elements is
    /// about 240 MB of values, well past real data sets here, still safe on a 24 GiB machine.
    public static let maxListCount = 10_000_000
}

/// Closest name within an edit distance that scales with the name's length.
enum Suggest {
    static func closest(to name: String, in candidates: some Sequence<String>) -> String? {
        let limit = max(1, min(3, (name.count + 1) / 3))
        var best: (String, Int)?
        for candidate in candidates where candidate != name {
            let d = editDistance(name, candidate, transpositions: true)
            if d <= limit, best == nil || d < best!.1 || (d == best!.1 && candidate < best!.0) { best = (candidate, d) }
        }
        return best?.0
    }
}
