// The answer to a price question: a title, the arithmetic line by line, and an exact Decimal total.
// Quotes spend nothing; the platform records real charges in the Ledger. Amounts print through
// Money (Catalog), the one place money is rounded for display.
import Catalog
import Foundation

public struct PriceQuote: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public let label: String
        /// The calculation written out, e.g. "15,000K tokens × $0.00025 per 1K".
        public let arithmetic: String
        /// The line's result; nil for explanatory lines that add nothing.
        public let amount: Decimal?

        public init(label: String, arithmetic: String, amount: Decimal?) {
            self.label = label
            self.arithmetic = arithmetic
            self.amount = amount
        }
    }

    public let title: String
    public let modelID: String
    public let lines: [Line]
    /// Exact total (never rounded).
    public let total: Decimal
    /// Caveats: approximate prices, minimum terms applied.
    public let notes: [String]

    public func line(_ label: String) -> Line? { lines.first { $0.label == label } }

    /// The quote as aligned text, ending with the rounded total.
    public func render() -> String {
        var rows: [(String, String?)] = lines.map { line in
            (line.label, line.arithmetic + (line.amount.map { " = \(Money.detail($0))" } ?? ""))
        }
        rows.append(("total", Money.format(total)))
        if !notes.isEmpty { rows.append(("note", notes.joined(separator: "\n"))) }
        return title + "\n" + TextLayout.labelled(rows, indent: "  ")
    }
}

/// Numbers as quotes print them.
enum Show {
    static func count(_ n: Int) -> String { Money.quantity(Decimal(n)) }
    static func count(_ n: Decimal) -> String { Money.quantity(n) }
    /// Tokens in thousands: 15000000 → "15,000K".
    static func thousands(_ tokens: Decimal) -> String { Money.quantity(tokens / 1000) + "K" }
}
