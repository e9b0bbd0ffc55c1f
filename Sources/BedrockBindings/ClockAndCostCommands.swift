// `clock`, `advance`, `cost` and `budget`: virtual time and money.
import BedrockInterpreter
import BedrockPlatform
import Billing
import Catalog
import Foundation

extension PlatformLibrary {
    static let timeUnits = ["minute", "minutes", "hour", "hours", "day", "days", "month", "months"]

    func registerClockAndCost(into registry: inout NativeRegistry) {
        registry.register(
            "clock", doc: "The virtual clock's time (only `advance` moves it).",
            example: "clock", isCommand: true, category: "time"
        ) { _, _ in .string(try platform.now().display) }

        registry.register(
            "advance",
            positional: [NativeParameter("amount", .oneOf(.int, .string), doc: "a count, or text like \"2 hours\""),
                         NativeParameter("unit", .word(Self.timeUnits), default: .nil, doc: "minutes, hours, days or months")],
            doc: "Moves the virtual clock forward, billing provisioned throughput for the hours that pass.",
            example: "advance 30 days", isCommand: true, category: "time"
        ) { args, ctx in
            let text: String
            switch (args["amount"], args["unit"]) {
            case (.int(let n), .string(let unit)): text = "\(n) \(unit)"
            case (.int(let n), _): throw NativeError("advance \(n) needs a unit: minutes, hours, days or months")
            case (.string(let s), _): text = s
            default: throw NativeError("advance takes a count and a unit, e.g. advance 30 days")
            }
            let charges = try platform.advance(by: try VirtualDuration.parse(text))
            if !charges.isEmpty {
                let total = charges.reduce(Decimal(0)) { $0 + $1.amount }
                ctx.write("billed \(charges.reduce(0) { $0 + $1.hours }) model-unit-hour(s) of provisioned throughput: \(Money.format(total))\n")
            }
            return .string(try platform.now().display)
        }

        registry.register(
            "cost", doc: "What this session and the whole workspace have spent, by model, kind and day.",
            example: "cost", isCommand: true, category: "billing"
        ) { _, _ in
            let session = try platform.ledger(.session), all = try platform.ledger(.workspace)
            return .handle(CostHandle(text: try platform.costReport(), session: session.total, workspace: all.total))
        }

        registry.register(
            "budget",
            positional: [NativeParameter("limit", .oneOf(.number, .string), default: .nil,
                                         doc: "dollars, or \"off\" to remove the limit")],
            doc: "Sets a spending limit: an operation that would take the workspace's spend past it fails before it runs.",
            example: "budget 5.00", isCommand: true, category: "billing"
        ) { args, _ in
            switch args["limit"] {
            case .nil: break
            case .string("off"), .string("none"): try platform.setBudget(nil)
            case .int(let n): try platform.setBudget(Decimal(n))
            case .decimal(let d): try platform.setBudget(d)
            case .double(let d): try platform.setBudget(Decimal(string: String(d)))
            default: throw NativeError("budget takes an amount in dollars, or \"off\"")
            }
            return try platform.budget().map(Value.decimal) ?? .nil
        }
    }
}

/// The `cost` report.
struct CostHandle: PlatformObject {
    let text: String
    let session: Decimal
    let workspace: Decimal

    var kind: String { "cost" }
    var displayText: String { text }
    func member(_ name: String) -> Value? {
        switch name {
        case "session": return .decimal(session)
        case "workspace": return .decimal(workspace)
        default: return nil
        }
    }
    var memberNames: [String] { ["session", "workspace"] }
}
