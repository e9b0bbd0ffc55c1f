// Operators: the runtime meaning of operators, indexing, slicing, member access, iteration and
// updates through paths (`r.items[0].name = …`), with their errors. Numbers are in Numeric.swift.
import BedrockSyntax

enum Operators {
    static func binary(_ op: BinaryOp, _ a: Value, _ b: Value, at location: SourceLocation) throws -> Value {
        do {
            switch op {
            case .add: return try add(a, b, at: location)
            case .subtract: return try arithmetic(.subtract, a, b)
            case .multiply: return try arithmetic(.multiply, a, b)
            case .divide: return try arithmetic(.divide, a, b)
            case .modulo: return try arithmetic(.modulo, a, b)
            case .equal: return .bool(a == b)
            case .notEqual: return .bool(a != b)
            case .less: return .bool(try compare(a, b) < 0)
            case .lessEqual: return .bool(try compare(a, b) <= 0)
            case .greater: return .bool(try compare(a, b) > 0)
            case .greaterEqual: return .bool(try compare(a, b) >= 0)
            case .in: return .bool(try contains(b, a))
            }
        } catch let kind as RuntimeErrorKind {
            throw RuntimeError(kind, at: location)
        }
    }

    static func arithmetic(_ op: Numeric.Op, _ a: Value, _ b: Value) throws -> Value {
        if let result = try Numeric.arithmetic(op, a, b) { return result }
        throw RuntimeErrorKind.binaryTypes(op: op.rawValue, left: a.typeName, right: b.typeName)
    }

    static func add(_ a: Value, _ b: Value, at location: SourceLocation) throws -> Value {
        switch (a, b) {
        case (.string(let x), .string(let y)):
            if x.utf8.count + y.utf8.count > Limits.maxStringBytes { throw RuntimeErrorKind.stringTooLong(Limits.maxStringBytes) }
            return .string(x + y)
        case (.list(let x), .list(let y)):
            if x.count + y.count > Limits.maxListCount { throw RuntimeErrorKind.listTooLong(Limits.maxListCount) }
            return .list(x + y)
        default: return try arithmetic(.add, a, b)
        }
    }

    /// Total order for sorting and `<`: numbers with numbers, strings with strings, lists
    /// element-wise; anything else is an error.
    static func compare(_ a: Value, _ b: Value) throws -> Int {
        if let order = Numeric.compare(a, b) { return order }
        switch (a, b) {
        case (.string(let x), .string(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        case (.list(let x), .list(let y)):
            for (p, q) in zip(x, y) {
                let order = try compare(p, q)
                if order != 0 { return order }
            }
            return x.count < y.count ? -1 : (x.count == y.count ? 0 : 1)
        default: throw RuntimeErrorKind.cannotCompare(left: a.typeName, right: b.typeName)
        }
    }

    static func contains(_ container: Value, _ item: Value) throws -> Bool {
        switch container {
        case .list(let items): return items.contains(item)
        case .record(let r):
            guard case .string(let key) = item else { return false }
            return r[key] != nil
        case .string(let s):
            guard case .string(let part) = item else { throw RuntimeErrorKind.binaryTypes(op: "in", left: item.typeName, right: "string") }
            return part.isEmpty || s.contains(part)
        default: throw RuntimeErrorKind.binaryTypes(op: "in", left: item.typeName, right: container.typeName)
        }
    }

    static func negate(_ v: Value, at location: SourceLocation) throws -> Value {
        switch v {
        case .int(let i):
            if i == Int.min { throw RuntimeError(.integerOverflow("-"), at: location) }
            return .int(-i)
        case .double(let d): return .double(-d)
        case .decimal(let d): return .decimal(-d)
        default: throw RuntimeError(.unaryType(op: "-", operand: v.typeName), at: location)
        }
    }

    /// `xs[i]` (negative counts from the end), `r["key"]`, `s[i]` (a character).
    static func index(_ base: Value, _ index: Value, at location: SourceLocation) throws -> Value {
        switch (base, index) {
        case (.list(let items), .int(let i)): return items[try position(i, count: items.count, at: location)]
        case (.string(let s), .int(let i)):
            let characters = Array(s)
            return .string(String(characters[try position(i, count: characters.count, at: location)]))
        case (.record(let r), .string(let key)):
            if let value = r[key] { return value }
            throw RuntimeError(.noMember(type: "record", member: key, suggestion: Suggest.closest(to: key, in: r.keys)), at: location)
        case (.handle, .string(let key)): return try member(base, key, at: location)
        case (.list, _), (.string, _), (.record, _):
            throw RuntimeError(.indexType(container: base.typeName, index: index.typeName), at: location)
        default: throw RuntimeError(.notIndexable(base.typeName), at: location)
        }
    }

    static func position(_ i: Int, count: Int, at location: SourceLocation) throws -> Int {
        let p = i < 0 ? count + i : i
        guard p >= 0 && p < count else { throw RuntimeError(.indexOutOfRange(index: i, count: count), at: location) }
        return p
    }

    /// `xs[a:b]`: bounds may be negative or missing and are clamped, like Python.
    static func slice(_ base: Value, _ from: Value?, _ to: Value?, at location: SourceLocation) throws -> Value {
        func bound(_ v: Value?, _ count: Int, _ fallback: Int) throws -> Int {
            guard let v, !(v == .nil) else { return fallback }
            guard case .int(let i) = v else { throw RuntimeError(.indexType(container: base.typeName, index: v.typeName), at: location) }
            return min(max(i < 0 ? count + i : i, 0), count)
        }
        switch base {
        case .list(let items):
            let a = try bound(from, items.count, 0), b = try bound(to, items.count, items.count)
            return .list(a < b ? Array(items[a..<b]) : [])
        case .string(let s):
            let characters = Array(s)
            let a = try bound(from, characters.count, 0), b = try bound(to, characters.count, characters.count)
            return .string(a < b ? String(characters[a..<b]) : "")
        default: throw RuntimeError(.notIndexable(base.typeName), at: location)
        }
    }

    static func member(_ base: Value, _ name: String, at location: SourceLocation) throws -> Value {
        switch base {
        case .record(let r):
            if let value = r[name] { return value }
            throw RuntimeError(.noMember(type: "record", member: name, suggestion: Suggest.closest(to: name, in: r.keys)), at: location)
        case .handle(let h):
            if let value = h.object.member(name) { return value }
            throw RuntimeError(.noMember(type: h.object.kind, member: name,
                                         suggestion: Suggest.closest(to: name, in: h.object.memberNames)), at: location)
        default:
            throw RuntimeError(.noMember(type: base.typeName, member: name, suggestion: nil), at: location)
        }
    }

    /// The elements a `for` loop visits: list items, record keys, string characters.
    static func iterate(_ value: Value, at location: SourceLocation) throws -> [Value] {
        switch value {
        case .list(let items): return items
        case .record(let r): return r.keys.map(Value.string)
        case .string(let s): return s.map { .string(String($0)) }
        default: throw RuntimeError(.notIterable(value.typeName), at: location)
        }
    }

    /// Applies `body` to the element at `path` inside `value`, in place.
    static func update(_ value: inout Value, _ path: ArraySlice<Value>, at location: SourceLocation,
                       _ body: (inout Value) throws -> Void) throws {
        guard let key = path.first else { return try body(&value) }
        let rest = path.dropFirst()
        switch (value, key) {
        case (.list(var items), .int(let i)):
            let p = try position(i, count: items.count, at: location)
            value = .nil
            defer { value = .list(items) }
            try update(&items[p], rest, at: location, body)
        case (.record(var record), .string(let k)):
            guard record[k] != nil || rest.isEmpty else {
                throw RuntimeError(.noMember(type: "record", member: k, suggestion: Suggest.closest(to: k, in: record.keys)), at: location)
            }
            value = .nil
            var inner = record[k] ?? .nil
            record[k] = Value.nil   // drop the record's reference so `inner` is uniquely owned
            defer { record[k] = inner; value = .record(record) }
            try update(&inner, rest, at: location, body)
        case (.list, _), (.record, _):
            throw RuntimeError(.indexType(container: value.typeName, index: key.typeName), at: location)
        default:
            throw RuntimeError(.notAssignable(value.typeName), at: location)
        }
    }

    /// `+=` and friends; lists and strings grow in place (no copy of the whole value).
    static func compound(_ op: Numeric.Op, _ slot: inout Value, _ operand: Value, at location: SourceLocation) throws {
        if op == .add {
            switch (slot, operand) {
            case (.list(var items), .list(let more)):
                if items.count + more.count > Limits.maxListCount { throw RuntimeError(.listTooLong(Limits.maxListCount), at: location) }
                slot = .nil
                items.append(contentsOf: more)
                slot = .list(items)
                return
            case (.string(var text), .string(let more)):
                if text.utf8.count + more.utf8.count > Limits.maxStringBytes { throw RuntimeError(.stringTooLong(Limits.maxStringBytes), at: location) }
                slot = .nil
                text += more
                slot = .string(text)
                return
            default: break
            }
        }
        do {
            slot = try arithmetic(op, slot, operand)
        } catch let kind as RuntimeErrorKind {
            throw RuntimeError(kind, at: location)
        }
    }
}
