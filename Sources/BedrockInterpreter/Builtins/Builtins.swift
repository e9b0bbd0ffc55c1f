// Builtins: the natives every session has, registered family by family (one file each). This file
// holds the registration entry point and the core family: output, seed and randomness, types and
// conversions, and list/record basics. Functions that can be written in bedrock live in stdlib/.
import FoundationEssentials
import BedrockSyntax

enum Builtins {
    static func register(into registry: inout NativeRegistry) {
        registerCore(into: &registry)
        registerConversions(into: &registry)
        registerCollections(into: &registry)
        registerStrings(into: &registry)
        registerJSON(into: &registry)
        registerFiles(into: &registry)
        registerTable(into: &registry)
    }

    static func registerCore(into r: inout NativeRegistry) {
        r.register("print", variadic: NativeParameter("values", .any), doc: "Prints values separated by a space, then a new line.",
                   example: #"print "total:", 3, [1, 2]"#, isCommand: true, category: "core") { args, ctx in
            ctx.write(args.rest.map(ValueFormatter.display).joined(separator: " ") + "\n")
            return .nil
        }
        r.register("seed", positional: [NativeParameter("n", .int, doc: "any integer")],
                   doc: "Sets the session's seed: random numbers, shuffles and model sampling repeat exactly.",
                   example: "seed 42", isCommand: true, category: "core") { args, ctx in
            ctx.setSeed(UInt64(bitPattern: Int64(try args.int("n"))))
            return .nil
        }
        r.register("random", doc: "A uniform float in [0, 1) from the seeded SplitMix64 generator.",
                   example: "seed 1\nprint random() < 1", category: "core") { _, ctx in
            .double(Double(ctx.nextRandom() >> 11) * 0x1.0p-53)
        }
        r.register("random_int", positional: [NativeParameter("low", .int), NativeParameter("high", .int)],
                   doc: "A uniform integer in [low, high], both included (seeded).",
                   example: "seed 1\nlet d = random_int(1, 6)\nassert d >= 1 and d <= 6", category: "core") { args, ctx in
            let low = try args.int("low"), high = try args.int("high")
            guard low <= high else { throw NativeError("low (\(low)) must not exceed high (\(high))") }
            let span = UInt64(bitPattern: Int64(high &- low)) &+ 1
            return .int(low &+ Int(truncatingIfNeeded: span == 0 ? ctx.nextRandom() : ctx.nextRandom() % span))
        }
        r.register("shuffle", positional: [NativeParameter("items", .list)],
                   doc: "A new list with the items in a seeded random order (Fisher–Yates).",
                   example: "seed 3\nprint len(shuffle([1, 2, 3]))", category: "core") { args, ctx in
            var items = try args.list("items")
            if items.count > 1 {
                for i in stride(from: items.count - 1, to: 0, by: -1) {
                    items.swapAt(i, Int(ctx.nextRandom() % UInt64(i + 1)))
                }
            }
            return .list(items)
        }
        r.register("type", positional: [NativeParameter("value", .any)],
                   doc: "The type name: nil, bool, int, float, decimal, string, list, record, function, or a handle kind.",
                   example: #"print type(3), type("a"), type([1])"#, category: "core") { args, _ in
            .string(args["value"].typeName)
        }
    }

    static func registerConversions(into r: inout NativeRegistry) {
        r.register("str", positional: [NativeParameter("value", .any)], doc: "The value as text, as print shows it.",
                   example: #"print str(42) + "!""#, category: "conversions") { args, _ in
            .string(ValueFormatter.display(args["value"]))
        }
        r.register("int", positional: [NativeParameter("value", .oneOf(.number, .string))],
                   doc: "An integer from a number (truncated toward zero) or from text.",
                   example: #"print int(3.9), int("12")"#, category: "conversions") { args, _ in
            switch args["value"] {
            case .int(let i): return .int(i)
            case .string(let s):
                if let i = Int(s.trimmedSpace) { return .int(i) }
                throw NativeError("\(ValueFormatter.quoted(s)) is not an integer")
            default:
                let d = try args.double("value")
                guard d.isFinite, d.magnitude < 9.2e18 else { throw NativeError("\(d) does not fit in an int") }
                return .int(Int(d))
            }
        }
        r.register("float", positional: [NativeParameter("value", .oneOf(.number, .string))],
                   doc: "A float from a number or from text.", example: #"print float(2), float("1e-3")"#,
                   category: "conversions") { args, _ in
            if case .string(let s) = args["value"] {
                guard let d = Double(s.trimmedSpace) else { throw NativeError("\(ValueFormatter.quoted(s)) is not a number") }
                return .double(d)
            }
            return .double(try args.double("value"))
        }
        r.register("decimal", positional: [NativeParameter("value", .oneOf(.number, .string))],
                   doc: "An exact decimal (for money) from text or an int; floats go through their shortest text.",
                   example: #"print decimal("0.10") + decimal("0.20")"#, category: "conversions") { args, _ in
            switch args["value"] {
            case .decimal(let d): return .decimal(d)
            case .int(let i): return .decimal(Decimal(i))
            case .double(let d): return .decimal(Decimal(string: d.description) ?? Decimal(d))
            case .string(let s):
                guard let d = Decimal(string: s.trimmedSpace), !s.isEmpty else {
                    throw NativeError("\(ValueFormatter.quoted(s)) is not a decimal number")
                }
                return .decimal(d)
            default: return .nil
            }
        }
    }

    static func registerCollections(into r: inout NativeRegistry) {
        r.register("len", positional: [NativeParameter("value", .oneOf(.oneOf(.string, .list), .record))],
                   doc: "Number of characters, items or keys.", example: #"print len("héllo"), len([1, 2]), len({a: 1})"#,
                   category: "lists") { args, _ in
            switch args["value"] {
            case .string(let s): return .int(s.count)
            case .list(let l): return .int(l.count)
            case .record(let r): return .int(r.count)
            default: return .nil
            }
        }
        r.register("range", positional: [NativeParameter("bounds", .int)], variadic: NativeParameter("more", .int),
                   doc: "range(n) is [0, …, n-1]; range(a, b) is [a, …, b-1]; range(a, b, step) counts by step.",
                   example: "print range(3), range(2, 5), range(10, 0, -3)", category: "lists") { args, ctx in
            let rest = args.rest
            guard rest.count <= 2 else { throw NativeError("takes 1 to 3 integers") }
            let values = [args["bounds"]] + rest
            let (from, to, by) = try rangeBounds(values.count > 1 ? values[0] : nil, values.count > 1 ? values[1] : values[0],
                                                 values.count > 2 ? values[2] : nil, at: ctx.location)
            let count = by > 0 ? max(0, (to - from + by - 1) / by) : max(0, (from - to - by - 1) / -by)
            if count > Limits.maxListCount { throw RuntimeErrorKind.listTooLong(Limits.maxListCount) }
            return .list(stride(from: from, to: to, by: by).map(Value.int))
        }
        r.register("keys", positional: [NativeParameter("record", .oneOf(.record, .any))],
                   doc: "The keys of a record (or member names of a handle), in order.", example: "print keys({a: 1, b: 2})",
                   category: "records") { args, _ in
            switch args["record"] {
            case .record(let rec): return .list(rec.keys.map(Value.string))
            case .handle(let h): return .list(h.object.memberNames.map(Value.string))
            case let other: throw NativeError("expects a record, got \(other.typeName)")
            }
        }
        r.register("values", positional: [NativeParameter("record", .record)], doc: "The values of a record, in key order.",
                   example: "print values({a: 1, b: 2})", category: "records") { args, _ in
            .list(try args.record("record").values)
        }
        r.register("has", positional: [NativeParameter("record", .record), NativeParameter("key", .string)],
                   doc: "Whether the record has the key.", example: #"print has({a: 1}, "a"), has({a: 1}, "b")"#,
                   category: "records") { args, _ in
            .bool(try args.record("record")[try args.string("key")] != nil)
        }
        r.register("remove", positional: [NativeParameter("record", .record), NativeParameter("key", .string)],
                   doc: "A copy of the record without the key.", example: #"print remove({a: 1, b: 2}, "a")"#,
                   category: "records") { args, _ in
            var record = try args.record("record")
            record[try args.string("key")] = nil
            return .record(record)
        }
        r.register("append", positional: [NativeParameter("items", .list), NativeParameter("item", .any)],
                   doc: "A new list with the item added at the end (the original is unchanged).",
                   example: "print append([1, 2], 3)", category: "lists") { args, _ in
            var items = try args.list("items")
            if items.count >= Limits.maxListCount { throw RuntimeErrorKind.listTooLong(Limits.maxListCount) }
            items.append(args["item"])
            return .list(items)
        }
        r.register("push", positional: [NativeParameter("items", .list), NativeParameter("item", .any)],
                   doc: "Same as append: a new list with the item at the end.", example: #"print push(["a"], "b")"#,
                   category: "lists") { args, _ in
            var items = try args.list("items")
            if items.count >= Limits.maxListCount { throw RuntimeErrorKind.listTooLong(Limits.maxListCount) }
            items.append(args["item"])
            return .list(items)
        }
        r.register("sort", positional: [NativeParameter("items", .list)],
                   labelled: [NativeParameter("key", .function, default: .nil, doc: "maps each item to what is compared"),
                              NativeParameter("reverse", .bool, default: .bool(false), doc: "largest first")],
                   doc: "A sorted copy (stable); numbers, strings or lists compare; `key:` picks what to compare.",
                   example: #"print sort([3, 1, 2]), sort(["bb", "a"], key: len, reverse: true)"#, category: "lists") { args, ctx in
            let items = try args.list("items")
            let keys = try args.optional("key").map { key in try items.map { try ctx.call(key, [$0]) } } ?? items
            let descending = try args.bool("reverse")
            var failure: Error?
            let order = items.indices.sorted { a, b in
                guard failure == nil else { return a < b }
                do {
                    let c = try Operators.compare(keys[a], keys[b])
                    return c == 0 ? a < b : (descending ? c > 0 : c < 0)
                } catch { failure = error; return a < b }
            }
            if let failure { throw failure }
            return .list(order.map { items[$0] })
        }
    }

    /// Checks and unpacks range arguments (start defaults to 0, step to 1; step 0 is an error).
    static func rangeBounds(_ start: Value?, _ end: Value, _ step: Value?, at location: SourceLocation) throws -> (Int, Int, Int) {
        func int(_ v: Value?, _ fallback: Int, _ what: String) throws -> Int {
            guard let v else { return fallback }
            guard case .int(let i) = v else {
                throw RuntimeError(.argumentType(function: "range", parameter: what, expected: "int", got: v.typeName), at: location)
            }
            return i
        }
        let from = try int(start, 0, "start"), to = try int(end, 0, "end"), by = try int(step, 1, "step")
        if by == 0 { throw RuntimeError(.native("range: step must not be 0"), at: location) }
        return (from, to, by)
    }
}
