// `book`, `bookings`, `cancel booking`, `update booking`, `request quota`: provisioned throughput.
import BedrockInterpreter
import BedrockPlatform
import Billing
import Catalog
import Foundation

extension PlatformLibrary {
    func registerThroughput(into registry: inout NativeRegistry) {
        registry.register(
            "book",
            positional: [NativeParameter("model", modelParameter, doc: "the model (foundation or custom) to serve")],
            labelled: [NativeParameter("units", .int, default: .int(1), doc: "model units"),
                       NativeParameter("term", .string, default: .string("no commitment"),
                                       doc: "\"no commitment\", \"1 month\" or \"6 months\""),
                       NativeParameter("name", .string, doc: "a name for the booking")],
            doc: "Books provisioned throughput (CreateProvisionedModelThroughput): Creating, then InService.",
            example: #"request access "amazon.titan-text-express-v1"; book "amazon.titan-text-express-v1" units: 1 term: "no commitment" name: "support-bot""#,
            isCommand: true, category: "throughput"
        ) { args, _ in
            let m = try card(args["model"])
            let booking = try platform.book(modelID: m.id, units: try args.int("units"),
                                            term: try CommitmentTerm.parse(try args.string("term"), field: "term"),
                                            name: try args.string("name"))
            return .handle(BookingHandle(booking: booking, status: booking.status(at: try platform.now())))
        }

        registry.register(
            "bookings",
            doc: "Lists provisioned-throughput bookings with their status on the virtual clock.",
            example: "bookings", isCommand: true, category: "throughput"
        ) { _, _ in
            let all = try platform.bookings()
            let rows = all.map { b, status in
                [b.name, b.modelID, String(b.modelUnits), b.term.label, status.rawValue, b.expiresAt?.display ?? "-"]
            }
            let text = all.isEmpty ? "no bookings"
                : TextLayout.table(header: ["name", "model", "units", "term", "status", "expires"], rows: rows, rightAligned: [2])
            let records = all.map { b, status in
                Record([("name", .string(b.name)), ("arn", .string(b.arn)), ("status", .string(status.rawValue))])
            }
            return .handle(TableHandle(kindName: "bookings", text: text, rows: records))
        }

        registry.register(
            "cancel booking",
            positional: [NativeParameter("booking", .oneOf(.handle("booking"), .string), doc: "a booking, its name or ARN")],
            doc: "Deletes a no-commitment booking and bills its hours; committed bookings run to their expiry.",
            example: #"request access "amazon.titan-text-lite-v1"; book "amazon.titan-text-lite-v1" name: "demo"; cancel booking "demo""#, isCommand: true, category: "throughput"
        ) { args, _ in
            let charges = try platform.cancelBooking(try reference(args["booking"]))
            let total = charges.reduce(Decimal(0)) { $0 + $1.amount }
            return .string("cancelled; billed \(charges.reduce(0) { $0 + $1.hours }) model-unit-hour(s), \(Money.format(total))")
        }

        registry.register(
            "update booking",
            positional: [NativeParameter("booking", .oneOf(.handle("booking"), .string), doc: "a booking, its name or ARN")],
            labelled: [NativeParameter("model", modelParameter, doc: "the model it should serve")],
            doc: "Changes the model a booking serves (a custom model only for its base or a sibling).",
            example: #"request access "amazon.titan-text-lite-v1"; book "amazon.titan-text-lite-v1" name: "demo"; advance 10 minutes; update booking "demo" model: "amazon.titan-text-lite-v1""#,
            isCommand: true, category: "throughput"
        ) { args, _ in
            let booking = try platform.updateBooking(try reference(args["booking"]), modelID: try card(args["model"]).id)
            return .handle(BookingHandle(booking: booking, status: booking.status(at: try platform.now())))
        }

        registry.register(
            "request quota",
            positional: [NativeParameter("model", modelParameter, doc: "the base model")],
            labelled: [NativeParameter("units", .int, default: .int(1), doc: "commitment model units wanted")],
            doc: "Raises the commitment quota (model units under a 1- or 6-month term) for a model.",
            example: #"request quota "amazon.titan-text-express-v1" units: 1"#,
            isCommand: true, category: "throughput"
        ) { args, _ in
            .int(try platform.requestQuota(modelID: try card(args["model"]).id, units: try args.int("units")))
        }
    }

    private func reference(_ value: Value) throws -> String {
        switch value {
        case .handle(let h):
            guard let b = h.object as? BookingHandle else { throw NativeError("expected a booking, got a \(h.object.kind)") }
            return b.booking.arn
        case .string(let s): return s
        default: throw NativeError("expected a booking or its name, got \(value.typeName)")
        }
    }
}
