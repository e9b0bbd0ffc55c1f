// Calling: bedrock functions (frames, labelled defaults, depth limit, call trace) and natives
// (arity, labels with did-you-mean, and parameter types checked before the body runs).
import BedrockSyntax

extension Interpreter {
    /// Runs `function` in `frame`, whose positional parameter slots are already filled.
    func invoke(_ function: Function, _ frame: Frame, at location: SourceLocation) throws -> Value {
        let proto = function.proto
        depth += 1
        defer { depth -= 1 }
        if depth > Limits.maxCallDepth { throw RuntimeError(.recursionLimit(Limits.maxCallDepth), at: location) }
        if interruptFlag.isSet { throw RuntimeError(.interrupted, at: location) }
        do {
            for (slot, box) in proto.boxedParameters { frame.boxes[box].value = frame.slots[slot] }
            if proto.hasExpressionBody { return try proto.expressionBody(frame) }
            if case .returned = try proto.body(frame) { return frame.returnValue }
            return .nil
        } catch var error as RuntimeError {
            error.trace.append(TraceEntry(function: proto.name, callSite: location))
            throw error
        }
    }

    /// Any call with evaluated arguments (the general path, also used by natives like `map`).
    func callValue(_ callee: Value, positional: [Value], labelled: [(String, Value)], at location: SourceLocation) throws -> Value {
        switch callee {
        case .function(let function): return try callFunction(function, positional: positional, labelled: labelled, at: location)
        case .native(let native): return try callNative(native.command, positional: positional, labelled: labelled, at: location)
        default: throw RuntimeError(.notCallable(callee.typeName), at: location)
        }
    }

    func callFunction(_ function: Function, positional: [Value], labelled: [(String, Value)], at location: SourceLocation) throws -> Value {
        let proto = function.proto
        guard positional.count == proto.positionalCount else {
            throw RuntimeError(.arity(function: proto.name, expected: plural(proto.positionalCount, "positional argument"),
                                      got: positional.count), at: location)
        }
        let frame = Frame(slotCount: proto.slotCount, boxCount: proto.boxCount, function: function)
        for (i, value) in positional.enumerated() { frame.slots[i] = value }
        var given = Set<String>()
        for (label, value) in labelled {
            guard let parameter = proto.labelled.first(where: { $0.name == label }) else {
                throw RuntimeError(.unknownLabel(function: proto.name, label: label,
                                                 suggestion: Suggest.closest(to: label, in: proto.parameterNames)), at: location)
            }
            if !given.insert(label).inserted { throw RuntimeError(.duplicateArgument(function: proto.name, label: label), at: location) }
            frame.slots[parameter.slot] = value
        }
        for parameter in proto.labelled where !given.contains(parameter.name) {
            frame.slots[parameter.slot] = try parameter.defaultValue(frame)
        }
        return try invoke(function, frame, at: location)
    }

    func callNative(_ command: NativeCommand, positional: [Value], labelled: [(String, Value)], at location: SourceLocation) throws -> Value {
        let arguments = try checkArguments(command.signature, positional: positional, labelled: labelled, at: location)
        depth += 1
        defer { depth -= 1 }
        if depth > Limits.maxCallDepth { throw RuntimeError(.recursionLimit(Limits.maxCallDepth), at: location) }
        if interruptFlag.isSet { throw RuntimeError(.interrupted, at: location) }
        do {
            return try command.body(arguments, NativeContext(interpreter: self, location: location))
        } catch var error as RuntimeError {
            if error.location != location { error.trace.append(TraceEntry(function: command.signature.name, callSite: location)) }
            throw error
        } catch let kind as RuntimeErrorKind {
            throw RuntimeError(kind, at: location)
        } catch let error as NativeError {
            throw RuntimeError(.native("\(command.signature.name): \(error.message)"), at: location)
        } catch {
            throw RuntimeError(.native("\(command.signature.name): \(error)"), at: location)
        }
    }

    /// Arity, labels and types, in that order; the first problem is the error.
    func checkArguments(_ signature: NativeSignature, positional: [Value], labelled: [(String, Value)],
                        at location: SourceLocation) throws -> NativeArguments {
        let name = signature.name
        let required = signature.positional.count
        if positional.count < required || (signature.variadic == nil && positional.count > required) {
            let expected = signature.variadic == nil ? plural(required, "argument") : "at least " + plural(required, "argument")
            throw RuntimeError(.arity(function: name, expected: expected, got: positional.count), at: location)
        }
        var named: [String: Value] = [:]
        func check(_ parameter: NativeParameter, _ value: Value) throws {
            if case .nil = value, case .nil? = parameter.defaultValue { return }
            guard parameter.type.accepts(value) else {
                throw RuntimeError(.argumentType(function: name, parameter: parameter.name, expected: parameter.type.description,
                                                 got: describe(value)), at: location)
            }
        }
        for (parameter, value) in zip(signature.positional, positional) {
            try check(parameter, value)
            named[parameter.name] = value
        }
        var rest: [Value] = []
        if let variadic = signature.variadic {
            for value in positional.dropFirst(required) { try check(variadic, value); rest.append(value) }
        }
        for (label, value) in labelled {
            guard let parameter = signature.labelled.first(where: { $0.name == label }) else {
                throw RuntimeError(.unknownLabel(function: name, label: label,
                                                 suggestion: Suggest.closest(to: label, in: signature.labelled.map(\.name))), at: location)
            }
            if named[label] != nil { throw RuntimeError(.duplicateArgument(function: name, label: label), at: location) }
            try check(parameter, value)
            named[label] = value
        }
        for parameter in signature.labelled where named[parameter.name] == nil { named[parameter.name] = parameter.defaultValue ?? .nil }
        return NativeArguments(named: named, rest: rest)
    }

    /// `string "abc"`, `int 3`: the type and a short look at the value.
    func describe(_ value: Value) -> String {
        let text = ValueFormatter.repr(value)
        let short = text.count > 24 ? String(text.prefix(21)) + "…" : text
        switch value {
        case .function, .native, .handle: return value.typeName
        default: return "\(value.typeName) \(short)"
        }
    }

    func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
}
