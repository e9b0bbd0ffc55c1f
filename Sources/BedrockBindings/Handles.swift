// The platform's objects as language values: model cards, bookings, price quotes and printed
// tables. Each prints readably and exposes its fields as members in snake_case.
import Billing
import BedrockInterpreter
import BedrockPlatform
import Catalog
import Foundation

/// A model card (`model "amazon.titan-text-express-v1"`).
struct ModelHandle: PlatformObject {
    let card: ModelCard
    let rendered: String

    var kind: String { "model" }
    var displayText: String { rendered }

    var members: [(String, Value)] {
        [("id", .string(card.id)), ("name", .string(card.name)), ("provider", .string(card.provider.rawValue)),
         ("input_modalities", .list(card.inputModalities.map { .string($0.rawValue) })),
         ("output_modalities", .list(card.outputModalities.map { .string($0.rawValue) })),
         ("context_window", card.contextWindow.map(Value.int) ?? .nil),
         ("max_output_tokens", .int(card.maxOutputTokens)), ("streaming", .bool(card.streaming)),
         ("customizations", .list(card.customizations.map { .string($0.rawValue) })),
         ("inference_types", .list(card.inferenceTypes.map { .string($0.rawValue) })),
         ("lifecycle", .string(card.lifecycle.rawValue)), ("arn", .string(card.arn)),
         ("use_case_form_required", .bool(card.useCaseFormRequired)), ("engine", .string(card.engine.label)),
         ("hyperparameters", .list(card.hyperparameters.map { spec in
             .record(Record([("name", .string(spec.name)), ("type", .string(spec.type.rawValue)),
                             ("default", spec.default.map(Value.double) ?? .nil),
                             ("min", .double(spec.min)), ("max", .double(spec.max))]))
         }))]
    }

    func member(_ name: String) -> Value? { members.first { $0.0 == name }?.1 }
    var memberNames: [String] { members.map(\.0) }
    func isSame(as other: any PlatformObject) -> Bool { (other as? ModelHandle)?.card.id == card.id }
}

/// A provisioned-throughput booking.
struct BookingHandle: PlatformObject {
    let booking: Booking
    let status: BookingStatus

    var kind: String { "booking" }
    var displayText: String {
        TextLayout.labelled([
            ("Provisioned throughput", booking.name), ("ARN", booking.arn), ("Model", booking.modelID),
            ("Model units", String(booking.modelUnits)), ("Commitment", booking.term.label),
            ("Status", status.rawValue), ("Hourly rate", Money.rate(booking.hourlyRate * Decimal(booking.modelUnits))),
            ("Created", booking.createdAt.display), ("In service", booking.inServiceAt.display),
            ("Expires", booking.expiresAt?.display),
        ])
    }

    func member(_ name: String) -> Value? {
        switch name {
        case "name": return .string(booking.name)
        case "arn": return .string(booking.arn)
        case "model": return .string(booking.modelID)
        case "units": return .int(booking.modelUnits)
        case "term": return .string(booking.term.label)
        case "status": return .string(status.rawValue)
        case "hourly_rate": return .decimal(booking.hourlyRate * Decimal(booking.modelUnits))
        case "expires": return booking.expiresAt.map { .string($0.display) } ?? .nil
        default: return nil
        }
    }
    var memberNames: [String] { ["name", "arn", "model", "units", "term", "status", "hourly_rate", "expires"] }
    func isSame(as other: any PlatformObject) -> Bool { (other as? BookingHandle)?.booking.arn == booking.arn }
}

/// A price answer: the arithmetic line by line and its exact total.
struct QuoteHandle: PlatformObject {
    let title: String
    let text: String
    let total: Decimal
    let lines: [PriceQuote.Line]

    init(_ quote: PriceQuote) {
        title = quote.title
        text = quote.render()
        total = quote.total
        lines = quote.lines
    }

    init(_ breakEven: BreakEven) {
        title = breakEven.title
        text = breakEven.render()
        total = breakEven.requestsPerDay
        lines = breakEven.lines
    }

    var kind: String { "quote" }
    var displayText: String { text }

    func member(_ name: String) -> Value? {
        switch name {
        case "total": return .decimal(total)
        case "title": return .string(title)
        case "lines":
            return .list(lines.map { line in
                .record(Record([("label", .string(line.label)), ("arithmetic", .string(line.arithmetic)),
                                ("amount", line.amount.map(Value.decimal) ?? .nil)]))
            })
        default: return nil
        }
    }
    var memberNames: [String] { ["total", "title", "lines"] }
}

/// Printed output that is also data: an aligned table with its rows as records.
struct TableHandle: PlatformObject {
    let kindName: String
    let text: String
    let rows: [Record]

    var kind: String { kindName }
    var displayText: String { text }

    func member(_ name: String) -> Value? {
        switch name {
        case "rows": return .list(rows.map(Value.record))
        case "count": return .int(rows.count)
        default: return nil
        }
    }
    var memberNames: [String] { ["rows", "count"] }
}
