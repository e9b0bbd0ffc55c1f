// Compiling expressions, loops over iterables and assignments into closures. Hot arithmetic and
// comparisons on ints have inline fast paths; everything else goes through Operators.
import BedrockSyntax

extension Compiler {
    func compileExpression(_ expr: Expr) -> Eval {
        let location = expr.location
        switch expr.kind {
        case .int(let i): let v = Value.int(i); return { _ in v }
        case .double(let d): let v = Value.double(d); return { _ in v }
        case .string(let s): let v = Value.string(s); return { _ in v }
        case .bool(let b): let v = Value.bool(b); return { _ in v }
        case .nil, .error: return { _ in .nil }
        case .interpolated(let parts): return compileInterpolation(parts, at: location)
        case .name(let name): return compileName(name, at: location)
        case .list(let items):
            let evals = items.map { Expression(eval: compileExpression($0)) }
            return { frame in
                var values: [Value] = []
                values.reserveCapacity(evals.count)
                for item in evals { values.append(try item.eval(frame)) }
                return .list(values)
            }
        case .record(let fields):
            let evals = fields.map { ($0.key, Expression(eval: compileExpression($0.value))) }
            return { frame in
                var record = Record()
                for (key, field) in evals { record[key] = try field.eval(frame) }
                return .record(record)
            }
        case .unary(let op, let operand): return compileUnary(op, compileExpression(operand), at: location)
        case .binary(let op, let left, let right): return compileBinary(op, compileExpression(left), compileExpression(right), at: location)
        case .logical(let op, let left, let right):
            let l = compileExpression(left), r = compileExpression(right)
            if op == .and { return { frame in let a = try l(frame); return a.isTruthy ? try r(frame) : a } }
            return { frame in let a = try l(frame); return a.isTruthy ? a : try r(frame) }
        case .call(let callee, let arguments): return compileCall(callee, arguments, at: location)
        case .command(let name, let arguments): return compileCommand(name, arguments, at: location)
        case .index(let base, let index):
            let b = compileExpression(base), i = compileExpression(index)
            return { frame in try Operators.index(try b(frame), try i(frame), at: location) }
        case .slice(let base, let from, let to):
            let b = compileExpression(base), f = from.map(compileExpression), t = to.map(compileExpression)
            return { frame in try Operators.slice(try b(frame), try f?(frame), try t?(frame), at: location) }
        case .member(let base, let name):
            let b = compileExpression(base)
            return { frame in try Operators.member(try b(frame), name, at: location) }
        case .function(let decl): return compileFunction(decl)
        }
    }

    /// At statement start and after `=`: command calls and bare command names are allowed.
    func compileCommandOrExpression(_ expr: Expr) -> Eval {
        if case .command(let name, let arguments) = expr.kind {
            return compileCommand(name, arguments, at: expr.location)
        }
        return compileExpression(expr)
    }

    func compileName(_ name: String, at location: SourceLocation) -> Eval {
        switch resolve(name) {
        case .slot(let s): return { frame in frame.slots[s] }
        case .box(let b): return { frame in frame.boxes[b].value }
        case .capture(let c): return { frame in frame.function!.captures[c].value }
        case .constant(let v): return { _ in v }
        case .global(let g):
            let values = globals.values, defined = globals.defined
            let interpreter = self.interpreter
            let visible = scope.visibleNames
            let declaredBelow = declaredHere.contains(name)
            return { _ in
                if defined[g] { return values[g] }
                if declaredBelow { throw RuntimeError(.usedBeforeDeclaration(name), at: location) }
                throw RuntimeError(.unknownName(name, suggestion: interpreter.suggestName(name, extra: visible)), at: location)
            }
        }
    }

    func compileInterpolation(_ parts: [InterpolationPart], at location: SourceLocation) -> Eval {
        let pieces: [(String?, Expression?)] = parts.map {
            switch $0 {
            case .text(let t): return (t, nil)
            case .expr(let e): return (nil, Expression(eval: compileExpression(e)))
            }
        }
        return { frame in
            var out = ""
            for (text, piece) in pieces {
                if let text { out += text } else if let piece { out += ValueFormatter.display(try piece.eval(frame)) }
            }
            if out.utf8.count > Limits.maxStringBytes { throw RuntimeError(.stringTooLong(Limits.maxStringBytes), at: location) }
            return .string(out)
        }
    }

    func compileUnary(_ op: UnaryOp, _ operand: @escaping Eval, at location: SourceLocation) -> Eval {
        if op == .not { return { frame in .bool(!(try operand(frame).isTruthy)) } }
        return { frame in try Operators.negate(try operand(frame), at: location) }
    }

    func compileBinary(_ op: BinaryOp, _ l: @escaping Eval, _ r: @escaping Eval, at location: SourceLocation) -> Eval {
        switch op {
        case .add:
            return { frame in
                let a = try l(frame), b = try r(frame)
                if case .int(let x) = a, case .int(let y) = b {
                    let (sum, overflow) = x.addingReportingOverflow(y)
                    if !overflow { return .int(sum) }
                }
                return try Operators.binary(op, a, b, at: location)
            }
        case .subtract:
            return { frame in
                let a = try l(frame), b = try r(frame)
                if case .int(let x) = a, case .int(let y) = b {
                    let (difference, overflow) = x.subtractingReportingOverflow(y)
                    if !overflow { return .int(difference) }
                }
                return try Operators.binary(op, a, b, at: location)
            }
        case .multiply:
            return { frame in
                let a = try l(frame), b = try r(frame)
                if case .int(let x) = a, case .int(let y) = b {
                    let (product, overflow) = x.multipliedReportingOverflow(by: y)
                    if !overflow { return .int(product) }
                }
                return try Operators.binary(op, a, b, at: location)
            }
        case .less:
            return { frame in
                let a = try l(frame), b = try r(frame)
                if case .int(let x) = a, case .int(let y) = b { return .bool(x < y) }
                return try Operators.binary(op, a, b, at: location)
            }
        case .lessEqual:
            return { frame in
                let a = try l(frame), b = try r(frame)
                if case .int(let x) = a, case .int(let y) = b { return .bool(x <= y) }
                return try Operators.binary(op, a, b, at: location)
            }
        case .equal:
            return { frame in
                let a = try l(frame), b = try r(frame)
                if case .int(let x) = a, case .int(let y) = b { return .bool(x == y) }
                return .bool(a == b)
            }
        default:
            return { frame in try Operators.binary(op, try l(frame), try r(frame), at: location) }
        }
    }

    // MARK: loops

    func compileFor(_ variable: String, _ iterable: Expr, _ body: [Stmt], at location: SourceLocation) -> Exec {
        let flag = interpreter.interruptFlag
        let rangeArguments = directRange(iterable)
        let source = rangeArguments == nil ? compileExpression(iterable) : nil
        loopDepth += 1
        defer { loopDepth -= 1 }
        return withBlock {
            let store = storeDeclaration(variable, mutable: false, at: location)
            let code = compileBlock(body)
            /// Runs the body once; returns nil to keep looping, or the flow that ends the loop.
            func step(_ frame: Frame, _ value: Value) throws -> Flow? {
                if flag.isSet { throw RuntimeError(.interrupted, at: location) }
                store(frame, value)
                switch try code(frame) {
                case .breakLoop: return .next
                case .returned: return .returned
                case .next, .continueLoop: return nil
                }
            }
            if let (start, end, stride) = rangeArguments {
                // `for i in range(…)` counts without building the list.
                return { frame in
                    let (from, to, by) = try Builtins.rangeBounds(try start?(frame), try end(frame), try stride?(frame), at: location)
                    var i = from
                    while by > 0 ? i < to : i > to {
                        if let flow = try step(frame, .int(i)) { return flow }
                        i += by
                    }
                    return .next
                }
            }
            return { frame in
                for value in try Operators.iterate(try source!(frame), at: location) {
                    if let flow = try step(frame, value) { return flow }
                }
                return .next
            }
        }
    }

    /// `range(n)` / `range(a, b)` / `range(a, b, step)` when `range` is the builtin.
    func directRange(_ iterable: Expr) -> (Eval?, Eval, Eval?)? {
        guard case .call(let callee, let arguments) = iterable.kind, case .name("range") = callee.kind,
              case .constant(.native(let native)) = resolve("range"), native.command.signature.name == "range",
              arguments.allSatisfy({ $0.label == nil }), (1...3).contains(arguments.count) else { return nil }
        let evals = arguments.map { compileExpression($0.value) }
        if evals.count == 1 { return (nil, evals[0], nil) }
        return (evals[0], evals[1], evals.count == 3 ? evals[2] : nil)
    }

    // MARK: assignment

    func compileAssignment(target: Expr, op: AssignOp, value: Expr, at location: SourceLocation) -> Exec {
        var path: [Expression] = []
        var root = target
        while true {
            switch root.kind {
            case .member(let base, let name):
                path.insert(Expression(eval: { _ in .string(name) }), at: 0); root = base; continue
            case .index(let base, let index):
                path.insert(Expression(eval: compileExpression(index)), at: 0); root = base; continue
            default: break
            }
            break
        }
        guard case .name(let name) = root.kind else {
            report(.invalidAssignmentTarget, at: location)
            return { _ in .next }
        }
        if !isMutable(name) { report(.assignToConstant(name), at: root.location) }
        let rhs = compileCommandOrExpression(value)
        let access = variableAccess(name, at: root.location)
        let binary: Numeric.Op? = [.add: .add, .subtract: .subtract, .multiply: .multiply, .divide: .divide][op]
        if path.isEmpty, let fast = simpleAssignment(name, binary, rhs, at: location, root: root.location) { return fast }
        return { frame in
            let newValue = try rhs(frame)
            var keys: [Value] = []
            keys.reserveCapacity(path.count)
            for key in path { keys.append(try key.eval(frame)) }
            try access(frame) { current in
                try Operators.update(&current, keys[...], at: location) { slot in
                    if let binary { try Operators.compound(binary, &slot, newValue, at: location) } else { slot = newValue }
                }
            }
            return .next
        }
    }

    /// `x = v` and `x += 1` on a plain local or global: no path machinery, ints added inline.
    func simpleAssignment(_ name: String, _ binary: Numeric.Op?, _ rhs: @escaping Eval, at location: SourceLocation,
                          root: SourceLocation) -> Exec? {
        let interpreter = self.interpreter
        let pointer: (Frame) -> UnsafeMutablePointer<Value>
        var defined: UnsafeMutablePointer<Bool>?
        var globalSlot = 0
        switch resolve(name) {
        case .slot(let s): pointer = { frame in frame.slots + s }
        case .global(let g):
            let values = globals.values
            defined = globals.defined
            globalSlot = g
            pointer = { _ in values + g }
        default: return nil
        }
        return { frame in
            let value = try rhs(frame)
            if let defined, !defined[globalSlot] {
                throw RuntimeError(.unknownName(name, suggestion: interpreter.suggestName(name, extra: [])), at: root)
            }
            let target = pointer(frame)
            guard let binary else { target.pointee = value; return .next }
            if binary == .add, case .int(let x) = target.pointee, case .int(let y) = value {
                let (sum, overflow) = x.addingReportingOverflow(y)
                if !overflow { target.pointee = .int(sum); return .next }
            }
            try Operators.compound(binary, &target.pointee, value, at: location)
            return .next
        }
    }

    /// Gives `body` the variable's value as uniquely owned `inout` (so in-place edits do not copy).
    func variableAccess(_ name: String, at location: SourceLocation) -> (Frame, (inout Value) throws -> Void) throws -> Void {
        switch resolve(name) {
        case .slot(let s):
            return { frame, body in
                var value = frame.slots[s]
                frame.slots[s] = .nil
                defer { frame.slots[s] = value }
                try body(&value)
            }
        case .box(let b): return { frame, body in try body(&frame.boxes[b].value) }
        case .capture(let c): return { frame, body in try body(&frame.function!.captures[c].value) }
        case .constant: return { _, _ in throw RuntimeError(.notAssignable("builtin"), at: location) }
        case .global(let g):
            let values = globals.values, defined = globals.defined
            let interpreter = self.interpreter
            return { _, body in
                guard defined[g] else {
                    throw RuntimeError(.unknownName(name, suggestion: interpreter.suggestName(name, extra: [])), at: location)
                }
                var value = values[g]
                values[g] = .nil
                defer { values[g] = value }
                try body(&value)
            }
        }
    }
}
