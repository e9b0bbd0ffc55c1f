// Provisioned-throughput bookings on the virtual clock: life cycle, commitment quota, delete
// refusal with the expiry date, Bedrock's update rule, and hourly accrual into the ledger.
import Catalog
import Foundation
import Testing
@testable import Billing

@Suite struct BookingTests {
    let catalog = try! Catalog.standard()
    let t0 = VirtualTime.epoch

    func model(_ id: String) -> ModelCard { try! catalog.model(id: id) }

    func custom(_ suffix: String, of baseID: String) -> ModelCard {
        let base = model(baseID)
        return try! catalog.customModel(suffix: suffix, name: suffix, base: base, customization: .fineTuning,
                                        hyperparameters: try! base.resolveHyperparameters([:]).get())
    }

    @Test func lifeCycleOnTheVirtualClock() throws {
        var pt = ProvisionedThroughput()
        let b = try pt.book(model: model("amazon.titan-text-express-v1"), name: "express-pt", units: 1, term: .noCommitment, at: t0)
        #expect(b.arn == "arn:aws:bedrock:us-east-1:000000000000:provisioned-model/\(b.id)")
        #expect(b.id.count == 12 && b.id.allSatisfy { $0.isLowercase || $0.isNumber })
        #expect(b.status(at: t0) == .creating)
        #expect(b.status(at: t0 + .minutes(9)) == .creating)
        #expect(b.status(at: t0 + .minutes(10)) == .inService)
        #expect(b.expiresAt == nil && b.hourlyRate == usd("20.50"))
        // IDs are a function of name and sequence: the same script books the same ARN.
        var again = ProvisionedThroughput()
        #expect(try again.book(model: model("amazon.titan-text-express-v1"), name: "express-pt", units: 1, term: .noCommitment, at: t0).arn == b.arn)
        #expect(try pt.booking("express-pt") == b)
        #expect(try pt.booking(b.arn) == b)
    }

    @Test func commitmentNeedsQuotaFirst() throws {
        var pt = ProvisionedThroughput()
        let lite = model("amazon.titan-text-lite-v1")
        #expect(pt.quota(for: lite.id) == 0)
        let refusal = BillingError.quotaExceeded(modelID: lite.id, term: .oneMonth, requested: 1, inUse: 0, quota: 0)
        #expect(throws: refusal) { try pt.book(model: lite, name: "a", units: 1, term: .oneMonth, at: t0) }
        #expect(refusal.exception == .serviceQuotaExceeded)
        #expect(refusal.description == "ServiceQuotaExceededException: 1 month model units for amazon.titan-text-lite-v1: 1 requested, 0 in use, quota 0; request quota (e.g. `request quota \"amazon.titan-text-lite-v1\" units: 1`) first")
        #expect(try pt.requestCommitmentQuota(for: lite.id, units: 2) == 2)
        _ = try pt.book(model: lite, name: "a", units: 1, term: .oneMonth, at: t0)
        _ = try pt.book(model: lite, name: "b", units: 1, term: .sixMonths, at: t0)
        #expect(throws: BillingError.quotaExceeded(modelID: lite.id, term: .oneMonth, requested: 1, inUse: 2, quota: 2)) {
            try pt.book(model: lite, name: "c", units: 1, term: .oneMonth, at: t0)
        }
        // A custom model counts against its base model's quota.
        #expect(throws: BillingError.quotaExceeded(modelID: lite.id, term: .sixMonths, requested: 1, inUse: 2, quota: 2)) {
            try pt.book(model: custom("c1", of: lite.id), name: "c", units: 1, term: .sixMonths, at: t0)
        }
    }

    @Test func noCommitmentUnitsAreLimitedPerModel() throws {
        var pt = ProvisionedThroughput()
        let express = model("amazon.titan-text-express-v1")
        _ = try pt.book(model: express, name: "one", units: 2, term: .noCommitment, at: t0)
        #expect(throws: BillingError.quotaExceeded(modelID: express.id, term: .noCommitment, requested: 1, inUse: 2, quota: 2)) {
            try pt.book(model: express, name: "two", units: 1, term: .noCommitment, at: t0)
        }
        _ = try pt.delete("one", at: t0 + .hours(1))
        _ = try pt.book(model: express, name: "two", units: 1, term: .noCommitment, at: t0 + .hours(1))
    }

    @Test func cancelRefusedUntilTheCommitmentExpires() throws {
        var pt = ProvisionedThroughput()
        let lite = model("amazon.titan-text-lite-v1")
        try pt.requestCommitmentQuota(for: lite.id, units: 1)
        let b = try pt.book(model: lite, name: "monthly", units: 1, term: .oneMonth, at: t0)
        // In service at 00:10; 730 hours later is 30 days 10 hours on.
        #expect(b.expiresAt?.display == "2025-01-31 10:10 UTC")
        let refusal = BillingError.cancelRefused(arn: b.arn, term: .oneMonth, expires: b.expiresAt!)
        #expect(throws: refusal) { try pt.delete("monthly", at: t0 + .days(3)) }
        #expect(refusal.description == "ValidationException: \(b.arn) has a 1 month commitment and cannot be deleted before it expires on 2025-01-31 10:10 UTC")
        // Billed for the whole term by the time it can be deleted.
        var ledger = Ledger()
        for charge in pt.accrue(through: b.expiresAt!) { charge.record(in: &ledger) }
        let final = try pt.delete("monthly", at: b.expiresAt!)
        #expect(final == [])
        #expect(ledger.total == b.committedCost())
        #expect(ledger.totalsByDay().count == 31)  // Jan 1 … Jan 31, one charge per day
        #expect(ledger.total == usd("4672"))  // 730 h × $6.40
        #expect(try pt.booking("monthly").status(at: b.expiresAt!) == .deleted)
    }

    @Test func accrualInWholeHoursAndFinalHourRoundedUp() throws {
        var pt = ProvisionedThroughput()
        let b = try pt.book(model: model("amazon.titan-text-express-v1"), name: "hourly", units: 2, term: .noCommitment, at: t0)
        #expect(pt.accrue(through: t0 + .minutes(5)) == [])  // still Creating: nothing billed
        let charges = pt.accrue(through: t0 + .minutes(10) + .hours(3) + .minutes(30))
        #expect(charges.count == 1)
        #expect(charges[0].hours == 3 && charges[0].amount == usd("123"))  // 2 × 3 × $20.50
        #expect(charges[0].from == b.inServiceAt && charges[0].to == b.inServiceAt + .hours(3))
        let last = try pt.delete("hourly", at: t0 + .minutes(10) + .hours(3) + .minutes(31))
        #expect(last.map(\.hours) == [1] && last.map(\.amount) == [usd("41")])  // the started hour is billed whole
        #expect(pt.accrue(through: t0 + .days(10)) == [])  // nothing after deletion
        var ledger = Ledger()
        charges[0].record(in: &ledger)
        #expect(ledger.entries[0].kind == .provisionedThroughput)
        #expect(ledger.entries[0].quantities == ChargeQuantities(modelUnits: 2, hours: 3))
    }

    @Test func updateFollowsBedrocksRule() throws {
        var pt = ProvisionedThroughput()
        let express = model("amazon.titan-text-express-v1")
        let a = custom("a", of: express.id), b = custom("b", of: express.id), other = custom("x", of: "amazon.titan-text-lite-v1")
        let booking = try pt.book(model: a, name: "custom-pt", units: 1, term: .noCommitment, at: t0)
        #expect(booking.hourlyRate == usd("20.50"))  // the base model's rate
        #expect(throws: BillingError.notInService(arn: booking.arn, status: .creating)) {
            try pt.update("custom-pt", to: b, at: t0)
        }
        let ready = t0 + .minutes(10)
        let updating = try pt.update("custom-pt", to: b, at: ready)
        #expect(updating.status(at: ready) == .updating)
        #expect(updating.servedModelID(at: ready) == a.id)
        #expect(updating.servedModelID(at: ready + .minutes(10)) == b.id)
        #expect(updating.status(at: ready + .minutes(10)) == .inService)
        // Swapping to the base model is allowed too; another base's custom model is not.
        let later = ready + .hours(1)
        #expect(throws: BillingError.self) { try pt.update("custom-pt", to: other, at: later) }
        let toBase = try pt.update("custom-pt", to: express, at: later)
        #expect(toBase.modelID == b.id && toBase.desiredModelID == express.id)
        // Once it serves the base model it can no longer change.
        let baseBooking = try pt.book(model: express, name: "base-pt", units: 1, term: .noCommitment, at: t0)
        do {
            _ = try pt.update(baseBooking.name, to: a, at: later)
            Issue.record("expected refusal")
        } catch {
            #expect(error == .updateRefused(arn: baseBooking.arn, reason: "it serves the base model amazon.titan-text-express-v1; only a booking for a custom model can change its model"))
        }
    }

    @Test func refusalsForBadRequests() throws {
        var pt = ProvisionedThroughput()
        #expect(throws: BillingError.invalidBookingName(name: "", reason: "must be 1 to 63 characters")) {
            try pt.book(model: model("amazon.titan-text-express-v1"), name: "", units: 1, term: .noCommitment, at: t0)
        }
        #expect(throws: BillingError.invalidBookingName(name: "bad name!", reason: "may hold only letters, digits, '-' and '_', starting with a letter or digit")) {
            try pt.book(model: model("amazon.titan-text-express-v1"), name: "bad name!", units: 1, term: .noCommitment, at: t0)
        }
        #expect(throws: BillingError.termNotOffered(modelID: "anthropic.claude-instant-v1", term: .noCommitment, offered: [.oneMonth, .sixMonths])) {
            try pt.book(model: model("anthropic.claude-instant-v1"), name: "x", units: 1, term: .noCommitment, at: t0)
        }
        #expect(throws: BillingError.notProvisionable(modelID: "mistral.mistral-7b-instruct-v0:2")) {
            try pt.book(model: model("mistral.mistral-7b-instruct-v0:2"), name: "x", units: 1, term: .noCommitment, at: t0)
        }
        _ = try pt.book(model: model("amazon.titan-text-express-v1"), name: "express-pt", units: 1, term: .noCommitment, at: t0)
        #expect(throws: BillingError.invalidBookingName(name: "express-pt", reason: "is already used by a live booking")) {
            try pt.book(model: model("amazon.titan-text-lite-v1"), name: "express-pt", units: 1, term: .noCommitment, at: t0)
        }
        #expect(throws: BillingError.bookingNotFound(reference: "expres-pt", suggestions: ["express-pt"])) { try pt.booking("expres-pt") }
        #expect(BillingError.bookingNotFound(reference: "x", suggestions: []).exception == .resourceNotFound)
    }

    @Test func accrualSplitsAtMidnight() throws {
        var pt = ProvisionedThroughput()
        _ = try pt.book(model: model("amazon.titan-text-express-v1"), name: "days", units: 1, term: .noCommitment, at: t0)
        var ledger = Ledger()
        // In service 00:10; 47 hours later: 24 hours start on Jan 1 (00:10 … 23:10), 23 on Jan 2.
        for charge in pt.accrue(through: t0 + .minutes(10) + .hours(47)) { charge.record(in: &ledger) }
        #expect(ledger.totalsByDay() == [LedgerTotal(key: "2025-01-01", amount: usd("492"), entries: 1),
                                         LedgerTotal(key: "2025-01-02", amount: usd("471.50"), entries: 1)])
        #expect(ledger.entries[1].note.contains("2025-01-02 00:10 UTC – 2025-01-02 23:10 UTC"))
    }

    @Test func limiterUsesCatalogCapacityOrTheOverride() throws {
        var pt = ProvisionedThroughput()
        let express = model("amazon.titan-text-express-v1")
        let b = try pt.book(model: express, name: "limited", units: 2, term: .noCommitment, at: t0)
        let limiter = try #require(try pt.limiter(for: b.arn, model: express, at: t0))
        #expect(limiter.input.capacity == 40_000 && limiter.output.capacity == 8000)  // 2 × (20,000 / 4,000)
        pt.policy.capacityOverrides[express.id] = ThroughputPerUnit(inputTokensPerMinute: 1000, outputTokensPerMinute: 100)
        let small = try #require(try pt.limiter(for: "limited", model: express, at: t0))
        #expect(small.input.capacity == 2000 && small.output.capacity == 200)
    }

    @Test func failedBookingStopsAccruing() throws {
        var pt = ProvisionedThroughput()
        _ = try pt.book(model: model("amazon.titan-text-express-v1"), name: "flaky", units: 1, term: .noCommitment, at: t0)
        let charges = try pt.markFailed("flaky", reason: "engine could not load", at: t0 + .minutes(10) + .hours(2))
        #expect(charges.map(\.hours) == [2])
        #expect(try pt.booking("flaky").status(at: t0 + .days(1)) == .failed)
        #expect(pt.accrue(through: t0 + .days(3)) == [])
        // A failed booking frees its units.
        #expect(pt.unitsInUse(foundationModelID: "amazon.titan-text-express-v1", committed: false, at: t0 + .days(1)) == 0)
    }

    @Test func bookingTableShowsStatusAtTheGivenTime() throws {
        var pt = ProvisionedThroughput()
        try pt.requestCommitmentQuota(for: "amazon.titan-text-lite-v1", units: 1)
        _ = try pt.book(model: model("amazon.titan-text-lite-v1"), name: "six", units: 1, term: .sixMonths, at: t0)
        #expect(BookingTable.render(pt.bookings, at: t0).contains("Creating"))
        let table = BookingTable.render(pt.bookings, at: t0 + .hours(1))
        // 4,380 h = 182.5 days after 00:10 on Jan 1.
        #expect(table.contains("\nsix   ") && table.contains("InService") && table.contains("2025-07-02 12:10 UTC") && table.contains("$5.10"))
        #expect(BookingTable.render([], at: t0) == "no provisioned throughput")
    }

    @Test func stateSurvivesCodableRoundTrip() throws {
        var pt = ProvisionedThroughput()
        try pt.requestCommitmentQuota(for: "amazon.titan-text-lite-v1", units: 1)
        _ = try pt.book(model: model("amazon.titan-text-lite-v1"), name: "six", units: 1, term: .sixMonths, at: t0)
        _ = pt.accrue(through: t0 + .days(2))
        let copy = try JSONDecoder().decode(ProvisionedThroughput.self, from: JSONEncoder().encode(pt))
        #expect(copy == pt)
        #expect(copy.bookings[0].billedThrough == pt.bookings[0].billedThrough)
        let rebuilt = ProvisionedThroughput(bookings: pt.bookings, commitmentQuota: pt.commitmentQuota, sequence: pt.bookingCount)
        #expect(rebuilt == pt)
    }
}
