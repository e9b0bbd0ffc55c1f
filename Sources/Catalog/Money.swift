// The one place money is rounded and formatted for display. Amounts stay exact Decimals
// everywhere else (prices, quotes, the ledger); only the text a person reads is rounded here.
// Unit prices are shown exactly; amounts to the cent, with sub-cent amounts kept readable.
import Foundation

public enum Money {
    /// `value` rounded half-up (away from zero) to `places` decimals — for display and for
    /// comparisons "to the cent" in tests, never for storing.
    public static func rounded(_ value: Decimal, places: Int = 2) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, places, .plain)
        return result
    }

    /// An amount: "$1,234.50"; a non-zero amount under a cent keeps up to 6 decimals ("$0.00375")
    /// so a single cheap request is not shown as free.
    public static func format(_ value: Decimal) -> String {
        let magnitude = value < 0 ? -value : value
        let places = magnitude != 0 && magnitude < Decimal(string: "0.01")! ? 6 : 2
        let text = "$" + plain(rounded(magnitude, places: places), minimumFractionDigits: 2)
        return value < 0 ? "-" + text : text
    }

    /// An intermediate amount in a calculation: exact up to 6 decimals, at least 2 ("$1.875",
    /// "$3.75"), so the arithmetic shown adds up; totals use `format`.
    public static func detail(_ value: Decimal) -> String {
        let magnitude = value < 0 ? -value : value
        let text = "$" + plain(rounded(magnitude, places: 6), minimumFractionDigits: 2)
        return value < 0 ? "-" + text : text
    }

    /// A unit price, exactly as published: "$0.00025", "$20.50", "$1.95".
    public static func rate(_ value: Decimal) -> String { "$" + plain(value, minimumFractionDigits: 2) }

    /// A quantity with thousands separators: 15000000 → "15,000,000"; 2.5 → "2.5".
    public static func quantity(_ value: Decimal) -> String { plain(value, minimumFractionDigits: 0) }

    /// Decimal text with grouped integer digits and at least `minimumFractionDigits` decimals.
    static func plain(_ value: Decimal, minimumFractionDigits: Int) -> String {
        var text = value.description
        let negative = text.hasPrefix("-")
        if negative { text.removeFirst() }
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        var fraction = parts.count > 1 ? parts[1] : ""
        while fraction.count < minimumFractionDigits { fraction += "0" }
        let whole = grouped(parts[0])
        return (negative ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
    }

    private static func grouped(_ digits: String) -> String {
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return out
    }
}
