// Compiler: resolves every name to a slot (local, box, capture, global or builtin constant) and
// turns the AST into Swift closures ("closure compilation"), so running code never looks a
// variable up by name. This file holds scopes, declarations and statements; expressions and
// calls are in CompilerExpressions.swift and CompilerCalls.swift.
import BedrockSyntax

final class Compiler {
    let interpreter: Interpreter
    let globals: Globals
    let file: String
    /// REPL entries may redeclare a global; scripts may not.
    let allowRedeclare: Bool
    /// Prelude code defines builtins.
    let definesBuiltins: Bool
    var diagnostics: [Diagnostic] = []
    var scope: FunctionScope
    /// Globals declared by this unit so far (duplicate check in scripts).
    var declaredHere: Set<String> = []
    /// Loops around the code being compiled, within the current function: a captured variable
    /// declared inside a loop gets a fresh box per iteration; elsewhere its one box is reused, so
    /// a local function declared earlier in the block sees it.
    var loopDepth = 0

    enum LocalKind { case slot(Int), box(Int) }
    struct Local { var kind: LocalKind; var mutable: Bool }

    /// One function being compiled (the unit itself is the outermost).
    final class FunctionScope {
        let parent: FunctionScope?
        let isUnit: Bool
        var blocks: [[String: Local]] = [[:]]
        var slotCount = 0
        var boxCount = 0
        let capturedNames: Set<String>
        var captures: [(name: String, source: CaptureSource, mutable: Bool)] = []

        init(parent: FunctionScope?, isUnit: Bool, capturedNames: Set<String>) {
            self.parent = parent
            self.isUnit = isUnit
            self.capturedNames = capturedNames
        }

        func local(_ name: String) -> Local? {
            for block in blocks.reversed() { if let local = block[name] { return local } }
            return nil
        }

        var visibleNames: [String] { blocks.flatMap(\.keys) + captures.map(\.name) }
    }

    /// How compiled code reaches a name.
    enum Resolved {
        case slot(Int), box(Int), capture(Int), global(Int), constant(Value)
    }

    init(interpreter: Interpreter, file: String, allowRedeclare: Bool, definesBuiltins: Bool, statements: [Stmt]) {
        self.interpreter = interpreter
        self.globals = interpreter.globals
        self.file = file
        self.allowRedeclare = allowRedeclare
        self.definesBuiltins = definesBuiltins
        self.scope = FunctionScope(parent: nil, isUnit: true, capturedNames: CapturedNames.inNestedFunctions(of: statements))
    }

    func report(_ error: SyntaxError, at location: SourceLocation) {
        diagnostics.append(Diagnostic(error, at: location))
    }

    var atGlobalLevel: Bool { scope.isUnit && scope.blocks.count == 1 }

    // MARK: units

    /// Compiles a unit: top-level declarations are hoisted (so functions may be called before the
    /// line that defines them), then every statement. Returns the code and its frame size.
    func compileUnit(_ statements: [Stmt]) -> (code: Exec, slotCount: Int, boxCount: Int) {
        for statement in statements { hoist(statement) }
        var functions: [Step] = []
        var rest: [Step] = []
        for statement in statements {
            if case .function = statement.kind { functions.append(Step(run: compile(statement))) } else { rest.append(Step(run: compile(statement))) }
        }
        return (sequence(functions + rest), scope.slotCount, scope.boxCount)
    }

    /// Gives a top-level name its global slot before any code refers to it.
    func hoist(_ statement: Stmt) {
        let name: String
        let mutable: Bool
        switch statement.kind {
        case .declaration(let n, let m, _): name = n; mutable = m
        case .function(let decl): name = decl.name ?? ""; mutable = false
        default: return
        }
        if declaredHere.contains(name) && !allowRedeclare {
            report(.alreadyDeclared(name), at: statement.location)
            return
        }
        declaredHere.insert(name)
        if let slot = globals.slot(named: name), !globals.isBuiltin[slot] || definesBuiltins {
            globals.setMutable(slot, mutable)
        } else if globals.add(name, mutable: mutable, builtin: definesBuiltins) == nil {
            report(.tooManyGlobals(limit: Globals.maxGlobals), at: statement.location)
        }
    }

    // MARK: names

    func resolve(_ name: String) -> Resolved {
        if let local = scope.local(name) { return resolved(local) }
        if let capture = resolveCapture(in: scope, name) { return .capture(capture.index) }
        return resolveGlobal(name)
    }

    func resolved(_ local: Local) -> Resolved {
        switch local.kind {
        case .slot(let s): return .slot(s)
        case .box(let b): return .box(b)
        }
    }

    func resolveGlobal(_ name: String) -> Resolved {
        if let slot = globals.slot(named: name) {
            if globals.isBuiltin[slot] && globals.defined[slot] && !definesBuiltins { return .constant(globals.values[slot]) }
            return .global(slot)
        }
        // A name not defined yet: a later REPL entry or import may define it.
        guard let slot = globals.add(name, mutable: true, builtin: definesBuiltins) else {
            diagnostics.append(Diagnostic(.tooManyGlobals(limit: Globals.maxGlobals), at: SourceLocation(file: file, line: 1, column: 1)))
            return .constant(.nil)
        }
        return .global(slot)
    }

    /// Finds `name` in an enclosing function and threads it through each closure in between.
    func resolveCapture(in scope: FunctionScope, _ name: String) -> (index: Int, mutable: Bool)? {
        if let index = scope.captures.firstIndex(where: { $0.name == name }) { return (index, scope.captures[index].mutable) }
        guard let parent = scope.parent else { return nil }
        if let local = parent.local(name) {
            guard case .box(let box) = local.kind else { return nil }
            scope.captures.append((name, .box(box), local.mutable))
            return (scope.captures.count - 1, local.mutable)
        }
        guard let outer = resolveCapture(in: parent, name) else { return nil }
        scope.captures.append((name, .capture(outer.index), outer.mutable))
        return (scope.captures.count - 1, outer.mutable)
    }

    func isMutable(_ name: String) -> Bool {
        if let local = scope.local(name) { return local.mutable }
        if let capture = resolveCapture(in: scope, name) { return capture.mutable }
        if let slot = globals.slot(named: name) { return globals.isMutable[slot] && !globals.isBuiltin[slot] }
        return true
    }

    /// Declares a local in the innermost block; boxed when a nested function uses the name.
    func declareLocal(_ name: String, mutable: Bool, at location: SourceLocation) -> LocalKind {
        if scope.blocks[scope.blocks.count - 1][name] != nil { report(.alreadyDeclared(name), at: location) }
        let kind: LocalKind
        if scope.capturedNames.contains(name) {
            kind = .box(scope.boxCount)
            scope.boxCount += 1
        } else {
            kind = .slot(scope.slotCount)
            scope.slotCount += 1
        }
        scope.blocks[scope.blocks.count - 1][name] = Local(kind: kind, mutable: mutable)
        return kind
    }

    /// Code that stores into a freshly declared variable (a new box each time, so closures made
    /// in different loop iterations keep their own variable).
    func storeDeclaration(_ name: String, mutable: Bool, at location: SourceLocation) -> (Frame, Value) -> Void {
        if atGlobalLevel {
            guard let slot = globals.slot(named: name) else { return { _, _ in } }   // reported by hoist
            let values = globals.values, defined = globals.defined
            return { _, value in values[slot] = value; defined[slot] = true }
        }
        let kind = scope.blocks[scope.blocks.count - 1][name]?.kind ?? declareLocal(name, mutable: mutable, at: location)
        switch kind {
        case .slot(let s): return { frame, value in frame.slots[s] = value }
        case .box(let b):
            if loopDepth > 0 { return { frame, value in frame.boxes[b] = Box(value) } }
            return { frame, value in frame.boxes[b].value = value }
        }
    }

    func withBlock(_ body: () -> Exec) -> Exec {
        scope.blocks.append([:])
        defer { scope.blocks.removeLast() }
        return body()
    }

    // MARK: statements

    func compileBlock(_ statements: [Stmt]) -> Exec {
        withBlock {
            // Declare the block's names first, so a local function may use a variable declared
            // below it (it runs later, when the variable has its value).
            for statement in statements {
                switch statement.kind {
                case .declaration(let name, let mutable, _): _ = declareLocal(name, mutable: mutable, at: statement.location)
                case .function(let decl): _ = declareLocal(decl.name ?? "", mutable: false, at: statement.location)
                default: break
                }
            }
            var functions: [Step] = []
            var rest: [Step] = []
            // Local functions are declared first so they may call each other.
            for statement in statements {
                if case .function = statement.kind { functions.append(Step(run: compile(statement))) } else { rest.append(Step(run: compile(statement))) }
            }
            return sequence(functions + rest)
        }
    }

    /// Runs statements in order, stopping at break/continue/return. Built as a balanced tree of
    /// two-statement closures: closures kept in an array are called through reabstraction thunks,
    /// which cost a third of the time in the benchmark loop.
    func sequence(_ code: [Step]) -> Exec {
        switch code.count {
        case 0: return { _ in .next }
        case 1: return code[0].run
        default:
            let middle = code.count / 2
            let a = sequence(Array(code[..<middle])), b = sequence(Array(code[middle...]))
            return { frame in
                let flow = try a(frame)
                if case .next = flow { return try b(frame) }
                return flow
            }
        }
    }

    func compile(_ statement: Stmt) -> Exec {
        let location = statement.location
        switch statement.kind {
        case .expression(let expr):
            let eval = compileCommandOrExpression(expr)
            guard isNativeCommandCall(expr) else { return { frame in _ = try eval(frame); return .next } }
            // A command used as a statement shows its result, as a shell command does; assign it
            // (`let t = models`) to keep it quiet.
            let output = interpreter.options.output
            return { frame in
                let value = try eval(frame)
                if case .nil = value {} else { output(ValueFormatter.display(value) + "\n") }
                return .next
            }
        case .declaration(let name, let mutable, let value):
            let eval = compileCommandOrExpression(value)
            let store = storeDeclaration(name, mutable: mutable, at: location)
            return { frame in store(frame, try eval(frame)); return .next }
        case .assignment(let target, let op, let value):
            return compileAssignment(target: target, op: op, value: value, at: location)
        case .if(let branches, let elseBody):
            return compileIf(branches, elseBody)
        case .for(let variable, let iterable, let body):
            return compileFor(variable, iterable, body, at: location)
        case .while(let condition, let body):
            return compileWhile(condition, body, at: location)
        case .break: return { _ in .breakLoop }
        case .continue: return { _ in .continueLoop }
        case .return(let value):
            guard let value else { return { frame in frame.returnValue = .nil; return .returned } }
            let eval = compileCommandOrExpression(value)
            return { frame in frame.returnValue = try eval(frame); return .returned }
        case .function(let decl):
            let make = compileFunction(decl)
            let store = storeDeclaration(decl.name ?? "", mutable: false, at: location)
            return { frame in store(frame, try make(frame)); return .next }
        case .import(let path):
            let interpreter = self.interpreter, importer = file
            return { _ in try interpreter.importFile(path, from: importer, at: location); return .next }
        case .assert(let condition, let message, let text):
            return compileAssert(condition, message, text, at: location)
        }
    }

    /// `if … else if … else …` as a chain of two-way branches.
    func compileIf(_ branches: [ConditionalBranch], _ elseBody: [Stmt]?) -> Exec {
        guard let first = branches.first else {
            if let elseBody { return compileBlock(elseBody) }
            return { _ in .next }
        }
        let condition = compileExpression(first.condition)
        let body = compileBlock(first.body)
        if branches.count == 1 && elseBody == nil {
            return { frame in try condition(frame).isTruthy ? try body(frame) : .next }
        }
        let otherwise = compileIf(Array(branches.dropFirst()), elseBody)
        return { frame in try condition(frame).isTruthy ? try body(frame) : try otherwise(frame) }
    }

    func compileWhile(_ condition: Expr, _ body: [Stmt], at location: SourceLocation) -> Exec {
        let test = compileExpression(condition)
        loopDepth += 1
        let code = compileBlock(body)
        loopDepth -= 1
        let flag = interpreter.interruptFlag
        return { frame in
            while try test(frame).isTruthy {
                if flag.isSet { throw RuntimeError(.interrupted, at: location) }
                switch try code(frame) {
                case .breakLoop: return .next
                case .returned: return .returned
                case .next, .continueLoop: continue
                }
            }
            return .next
        }
    }

    func compileAssert(_ condition: Expr, _ message: Expr?, _ text: String, at location: SourceLocation) -> Exec {
        let test = compileExpression(condition)
        let describe = message.map(compileExpression)
        return { frame in
            if try test(frame).isTruthy { return .next }
            let text = try describe.map { ValueFormatter.display(try $0(frame)) } ?? text
            throw RuntimeError(.assertionFailed(text), at: location)
        }
    }
}
