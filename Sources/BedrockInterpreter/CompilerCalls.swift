// Compiling calls: ordinary `f(a, label: v)`, shell-style command calls (`invoke m "hi"
// max_tokens: 64`, multi-word `request access m`, word parameters `advance 30 days`), and
// function literals with their captures. The calls themselves run in Interpreter+Calls.swift.
import BedrockSyntax

extension Compiler {
    /// The signature when `callee` is, at compile time, a builtin native (for word parameters).
    /// Whether a statement is a shell-style call of a native command (`models`, `price m …`),
    /// whose result the statement prints.
    func isNativeCommandCall(_ expr: Expr) -> Bool {
        guard case .command(let name, let arguments) = expr.kind else { return false }
        if multiWordCommand(name, arguments) != nil { return true }
        return knownSignature(Expr(.name(name), expr.location))?.isCommand == true
    }

    func knownSignature(_ callee: Expr) -> NativeSignature? {
        guard case .name(let name) = callee.kind, case .constant(.native(let native)) = resolve(name) else { return nil }
        return native.command.signature
    }

    func compileArguments(_ arguments: [Argument], signature: NativeSignature?) -> (positional: [Expression], labelled: [(String, Expression)]) {
        var positional: [Expression] = []
        var labelled: [(String, Expression)] = []
        for argument in arguments {
            if let label = argument.label {
                labelled.append((label, Expression(eval: compileExpression(argument.value))))
                continue
            }
            let index = positional.count
            let parameter = signature.flatMap { index < $0.positional.count ? $0.positional[index] : $0.variadic }
            if case .word? = parameter?.type, case .name(let word) = argument.value.kind {
                let value = Value.string(word)
                positional.append(Expression(eval: { _ in value }))
            } else {
                positional.append(Expression(eval: compileExpression(argument.value)))
            }
        }
        return (positional, labelled)
    }

    func compileCall(_ calleeExpr: Expr, _ arguments: [Argument], at location: SourceLocation) -> Eval {
        let callee = compileExpression(calleeExpr)
        let (positional, labelled) = compileArguments(arguments, signature: knownSignature(calleeExpr))
        return makeCall(callee, positional, labelled, name: nil, at: location)
    }

    /// The call itself. Positional-only calls of bedrock functions take a fast path that evaluates
    /// the arguments straight into the new frame.
    func makeCall(_ callee: @escaping Eval, _ positional: [Expression], _ labelled: [(String, Expression)], name: String?,
                  at location: SourceLocation) -> Eval {
        let interpreter = self.interpreter
        let count = positional.count
        // Fast paths: positional-only calls with up to two arguments, evaluated straight into the
        // callee's frame (no argument array, no closure array).
        if labelled.isEmpty && count <= 2 {
            let first = count > 0 ? positional[0].eval : { _ in .nil }
            let second = count > 1 ? positional[1].eval : { _ in .nil }
            let general = generalCall(callee, positional, labelled, name: name, at: location)
            return { frame in
                let function = try callee(frame)
                guard case .function(let f) = function, f.proto.positionalCount == count, f.proto.labelled.isEmpty else {
                    return try general(frame, function)
                }
                let callFrame = Frame(slotCount: f.proto.slotCount, boxCount: f.proto.boxCount, function: f)
                if count > 0 { callFrame.slots[0] = try first(frame) }
                if count > 1 { callFrame.slots[1] = try second(frame) }
                return try interpreter.invoke(f, callFrame, at: location)
            }
        }
        let general = generalCall(callee, positional, labelled, name: name, at: location)
        return { frame in try general(frame, try callee(frame)) }
    }

    /// The general call with the callee already evaluated.
    func generalCall(_ callee: @escaping Eval, _ positional: [Expression], _ labelled: [(String, Expression)], name: String?,
                     at location: SourceLocation) -> (Frame, Value) throws -> Value {
        let interpreter = self.interpreter
        let count = positional.count
        return { frame, function in
            var values: [Value] = []
            values.reserveCapacity(count)
            for argument in positional { values.append(try argument.eval(frame)) }
            var labels: [(String, Value)] = []
            for (label, argument) in labelled { labels.append((label, try argument.eval(frame))) }
            if let name, !labels.isEmpty || !values.isEmpty {
                switch function {
                case .function, .native: break
                default: throw RuntimeError(.notACommand(name: name, type: function.typeName), at: location)
                }
            }
            return try interpreter.callValue(function, positional: values, labelled: labels, at: location)
        }
    }

    /// `name args…` at statement start or after `=`. With no arguments: a native command is
    /// called, anything else is just evaluated.
    func compileCommand(_ name: String, _ arguments: [Argument], at location: SourceLocation) -> Eval {
        var arguments = arguments
        var callee: Eval
        var signature: NativeSignature?
        if let (command, used) = multiWordCommand(name, arguments) {
            arguments.removeFirst(used)
            let value = Value.native(NativeFunction(command))
            callee = { _ in value }
            signature = command.signature
        } else {
            callee = compileName(name, at: location)
            signature = knownSignature(Expr(.name(name), location))
        }
        if arguments.isEmpty {
            let interpreter = self.interpreter
            return { frame in
                let value = try callee(frame)
                if case .native(let native) = value, native.command.signature.isCommand {
                    return try interpreter.callNative(native.command, positional: [], labelled: [], at: location)
                }
                return value
            }
        }
        let (positional, labelled) = compileArguments(arguments, signature: signature)
        return makeCall(callee, positional, labelled, name: name, at: location)
    }

    /// The longest registered multi-word command formed by `name` and the leading bare-word
    /// arguments (`request access m` → "request access"), unless `name` is a user variable.
    func multiWordCommand(_ name: String, _ arguments: [Argument]) -> (NativeCommand, Int)? {
        if scope.local(name) != nil { return nil }
        if let slot = globals.slot(named: name), !globals.isBuiltin[slot], globals.defined[slot] { return nil }
        let registry = interpreter.registry
        guard registry.multiWordNames.contains(where: { $0.hasPrefix(name + " ") }) else { return nil }
        var words = name
        var best: (NativeCommand, Int)?
        for (i, argument) in arguments.enumerated() {
            guard argument.label == nil, case .name(let word) = argument.value.kind else { break }
            words += " " + word
            if let command = registry.command(named: words) { best = (command, i + 1) }
        }
        return best
    }

    // MARK: functions

    func compileFunction(_ decl: FunctionDecl) -> Eval {
        let name = decl.name ?? "fn"
        let parameters = decl.parameters
        let proto = FunctionProto(name: name, location: decl.location,
                                  positionalCount: parameters.filter { $0.defaultValue == nil }.count)
        let bodyStatements: [Stmt]
        switch decl.body {
        case .block(let statements): bodyStatements = statements
        case .expression(let expr): bodyStatements = [Stmt(.expression(expr), expr.location)]
        }
        let functionScope = FunctionScope(parent: scope, isUnit: false,
                                          capturedNames: CapturedNames.inNestedFunctions(of: bodyStatements))
        let savedScope = scope, savedLoops = loopDepth
        scope = functionScope
        loopDepth = 0
        defer { scope = savedScope; loopDepth = savedLoops }
        for parameter in parameters {
            let slot = functionScope.slotCount
            functionScope.slotCount += 1
            var kind = LocalKind.slot(slot)
            if functionScope.capturedNames.contains(parameter.name) {
                kind = .box(functionScope.boxCount)
                proto.boxedParameters.append((slot, functionScope.boxCount))
                functionScope.boxCount += 1
            }
            functionScope.blocks[0][parameter.name] = Local(kind: kind, mutable: true)
        }
        for (i, parameter) in parameters.enumerated() {
            if let defaultValue = parameter.defaultValue {
                proto.labelled.append((parameter.name, i, compileExpression(defaultValue)))
            }
        }
        switch decl.body {
        case .block(let statements): proto.body = compileBlock(statements)
        case .expression(let expr):
            proto.expressionBody = compileExpression(expr)
            proto.hasExpressionBody = true
        }
        proto.slotCount = functionScope.slotCount
        proto.boxCount = functionScope.boxCount
        proto.captureSources = functionScope.captures.map(\.source)
        let sources = proto.captureSources
        if sources.isEmpty {
            return { _ in .function(Function(proto: proto, captures: [])) }
        }
        return { frame in
            var captures: [Box] = []
            captures.reserveCapacity(sources.count)
            for source in sources {
                switch source {
                case .box(let b): captures.append(frame.boxes[b])
                case .capture(let c): captures.append(frame.function!.captures[c])
                }
            }
            return .function(Function(proto: proto, captures: captures))
        }
    }
}

/// Names used inside nested function literals: a conservative over-approximation of the locals
/// that closures capture (those get boxes; over-boxing only costs a little speed).
enum CapturedNames {
    static func inNestedFunctions(of statements: [Stmt]) -> Set<String> {
        var names: Set<String> = []
        for statement in statements { visit(statement, inFunction: false, &names) }
        return names
    }

    static func visit(_ statement: Stmt, inFunction: Bool, _ names: inout Set<String>) {
        func expr(_ e: Expr) { visit(e, inFunction: inFunction, &names) }
        func block(_ b: [Stmt]) { for s in b { visit(s, inFunction: inFunction, &names) } }
        switch statement.kind {
        case .expression(let e): expr(e)
        case .declaration(let name, _, let e): if inFunction { names.insert(name) }; expr(e)
        case .assignment(let t, _, let v): expr(t); expr(v)
        case .if(let branches, let elseBody):
            for b in branches { expr(b.condition); block(b.body) }
            if let elseBody { block(elseBody) }
        case .for(let variable, let iterable, let body): if inFunction { names.insert(variable) }; expr(iterable); block(body)
        case .while(let c, let body): expr(c); block(body)
        case .return(let e): if let e { expr(e) }
        case .function(let decl):
            if let name = decl.name { names.insert(name) }
            visitFunction(decl, &names)
        case .assert(let c, let m, _): expr(c); if let m { expr(m) }
        case .break, .continue, .import: break
        }
    }

    static func visitFunction(_ decl: FunctionDecl, _ names: inout Set<String>) {
        for p in decl.parameters {
            names.insert(p.name)
            if let d = p.defaultValue { visit(d, inFunction: true, &names) }
        }
        switch decl.body {
        case .block(let statements): for s in statements { visit(s, inFunction: true, &names) }
        case .expression(let e): visit(e, inFunction: true, &names)
        }
    }

    static func visit(_ e: Expr, inFunction: Bool, _ names: inout Set<String>) {
        func sub(_ x: Expr) { visit(x, inFunction: inFunction, &names) }
        switch e.kind {
        case .name(let n): if inFunction { names.insert(n) }
        case .command(let n, let args): if inFunction { names.insert(n) }; args.forEach { sub($0.value) }
        case .interpolated(let parts): for case .expr(let x) in parts { sub(x) }
        case .list(let items): items.forEach(sub)
        case .record(let fields): fields.forEach { sub($0.value) }
        case .unary(_, let x): sub(x)
        case .binary(_, let a, let b), .logical(_, let a, let b), .index(let a, let b): sub(a); sub(b)
        case .call(let c, let args): sub(c); args.forEach { sub($0.value) }
        case .slice(let b, let f, let t): sub(b); if let f { sub(f) }; if let t { sub(t) }
        case .member(let b, _): sub(b)
        case .function(let decl): visitFunction(decl, &names)
        case .int, .double, .string, .bool, .nil, .error: break
        }
    }
}
