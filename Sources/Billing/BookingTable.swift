// The `bookings` listing: one aligned row per provisioned booking with its status at a virtual time.
// Text only; the booking rules are in Bookings.swift.
import Catalog
import Foundation

public enum BookingTable {
    /// Bookings as a table at `time` (deleted ones included, so the history stays visible).
    public static func render(_ bookings: [Booking], at time: VirtualTime) -> String {
        guard !bookings.isEmpty else { return "no provisioned throughput" }
        let rows = bookings.map { b -> [String] in
            let model = b.servedModelID(at: time)
            let shown = b.desiredModelID.map { b.status(at: time) == .updating ? "\(model) → \($0)" : model } ?? model
            return [b.name, b.id, shown, "\(b.modelUnits)", b.term.label, b.status(at: time).rawValue,
                    b.expiresAt?.display ?? "-", Money.rate(b.hourlyRate)]
        }
        return TextLayout.table(header: ["name", "id", "model", "units", "term", "status", "commitment ends", "per unit-hour"],
                                rows: rows, rightAligned: [3, 7])
    }
}
