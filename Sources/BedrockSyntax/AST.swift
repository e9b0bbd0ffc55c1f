// AST: the parser's output. Every node carries the SourceLocation of its first token (operators:
// the operator's token), so any later error can point at it. The tree is plain Sendable values;
// name resolution and evaluation happen in BedrockInterpreter.

public struct Expr: Sendable {
    public var kind: ExprKind
    public var location: SourceLocation
    public init(_ kind: ExprKind, _ location: SourceLocation) {
        self.kind = kind
        self.location = location
    }
}

public enum BinaryOp: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case `in` = "in"
}

public enum LogicalOp: String, Sendable { case and, or }
public enum UnaryOp: String, Sendable { case negate = "-", not }

/// A call argument: positional (label nil) or `label: value`.
public struct Argument: Sendable {
    public var label: String?
    public var value: Expr
    public var location: SourceLocation
    public init(label: String?, value: Expr, location: SourceLocation) {
        self.label = label
        self.value = value
        self.location = location
    }
}

public struct RecordField: Sendable {
    public var key: String
    public var value: Expr
    public var location: SourceLocation
}

/// A piece of an interpolated string.
public enum InterpolationPart: Sendable {
    case text(String)
    case expr(Expr)
}

public indirect enum ExprKind: Sendable {
    case int(Int)
    case double(Double)
    case string(String)
    case interpolated([InterpolationPart])
    case bool(Bool)
    case `nil`
    case name(String)
    case list([Expr])
    case record([RecordField])
    case unary(UnaryOp, Expr)
    case binary(BinaryOp, Expr, Expr)
    case logical(LogicalOp, Expr, Expr)
    /// `callee(args)`.
    case call(callee: Expr, arguments: [Argument])
    /// A shell-style call at the start of a statement or after `=`: `name arg arg label: v`.
    /// With no arguments it is a bare name that calls a native command or just evaluates.
    case command(name: String, arguments: [Argument])
    case index(Expr, Expr)
    case slice(Expr, from: Expr?, to: Expr?)
    case member(Expr, String)
    case function(FunctionDecl)
    /// A syntax error was reported here; the node stands in so parsing can continue.
    case error
}

public struct Parameter: Sendable {
    public var name: String
    /// Parameters with a default are labelled at call sites.
    public var defaultValue: Expr?
    public var location: SourceLocation
}

public enum FunctionBody: Sendable {
    case block([Stmt])
    case expression(Expr)
}

public struct FunctionDecl: Sendable {
    /// nil for closures (`fn(x) => x * 2`).
    public var name: String?
    public var parameters: [Parameter]
    public var body: FunctionBody
    public var location: SourceLocation
}

public struct Stmt: Sendable {
    public var kind: StmtKind
    public var location: SourceLocation
    public init(_ kind: StmtKind, _ location: SourceLocation) {
        self.kind = kind
        self.location = location
    }
}

public enum AssignOp: String, Sendable {
    case assign = "=", add = "+=", subtract = "-=", multiply = "*=", divide = "/="
}

public struct ConditionalBranch: Sendable {
    public var condition: Expr
    public var body: [Stmt]
}

public indirect enum StmtKind: Sendable {
    case expression(Expr)
    case declaration(name: String, mutable: Bool, value: Expr)
    case assignment(target: Expr, op: AssignOp, value: Expr)
    case `if`(branches: [ConditionalBranch], elseBody: [Stmt]?)
    case `for`(variable: String, iterable: Expr, body: [Stmt])
    case `while`(condition: Expr, body: [Stmt])
    case `break`
    case `continue`
    case `return`(Expr?)
    case function(FunctionDecl)
    case `import`(path: String)
    /// `assert cond, "message"`; `conditionText` is the condition's source, shown when no message.
    case assert(condition: Expr, message: Expr?, conditionText: String)
}
