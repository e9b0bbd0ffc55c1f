// The account side of the platform on a real in-memory workspace: the access flow and its
// Anthropic form, access checks, bookings on the virtual clock with hourly billing, and budgets.
import Billing
import Catalog
import Foundation
import Testing
@testable import BedrockPlatform

private let titan = "amazon.titan-text-express-v1"
private let haiku = "anthropic.claude-3-haiku-20240307-v1:0"

@Suite struct AccountTests {
    @Test func accessGoesFromAvailableThroughInProgressToGranted() throws {
        let p = try Platform.ephemeral()
        let start = try p.now()
        let trail = try p.requestAccess(modelID: titan)
        #expect(trail.map(\.label) == ["Available to request", "In progress", "Access granted"])
        #expect(try p.now() - start == p.policy.accessApprovalDelay)
        try p.checkAccess(try p.model(id: titan))
    }

    @Test func aRequestLeftInProgressIsDecidedWhenTheClockPassesTheDelay() throws {
        let p = try Platform.ephemeral()
        _ = try p.requestAccess(modelID: titan, wait: false)
        #expect(try p.accessTable().first { $0.modelID == titan }?.state == .inProgress)
        #expect(throws: BedrockError.self) { try p.checkAccess(try p.model(id: titan)) }
        try p.advance(by: .minutes(2))
        try p.checkAccess(try p.model(id: titan))
    }

    @Test func anthropicNeedsAUseCaseForm() throws {
        let p = try Platform.ephemeral()
        #expect(throws: BedrockError.self) { try p.requestAccess(modelID: haiku) }
        #expect(try p.accessTable().first { $0.modelID == haiku }?.state == .availableToRequest)
        let trail = try p.requestAccess(modelID: haiku, useCase: "A tutoring bot for the AWS AI Practitioner exam")
        #expect(trail.last?.state == .granted)
    }

    @Test func usingAModelWithoutAccessIsDeniedWithAHint() throws {
        let p = try Platform.ephemeral()
        let error = #expect(throws: BedrockError.self) { try p.checkAccess(try p.model(id: haiku)) }
        #expect(error?.exceptionName == "AccessDeniedException")
        #expect(error?.description.contains("request access \"\(haiku)\" use_case:") == true)
    }

    @Test func unknownModelSuggestsTheClosestIDs() throws {
        let p = try Platform.ephemeral()
        let error = #expect(throws: BedrockError.self) { try p.model(id: "amazon.titan-text-expres-v1") }
        #expect(error?.description.contains("did you mean \"amazon.titan-text-express-v1\"") == true)
    }

    @Test func aBookingGoesInServiceAndBillsEachModelUnitHour() throws {
        let p = try Platform.ephemeral()
        try p.requestAccess(modelID: titan)
        let booking = try p.book(modelID: titan, units: 1, term: .noCommitment, name: "support-bot")
        #expect(try p.bookings().first?.status == .creating)
        try p.advance(by: .minutes(10))
        #expect(try p.bookings().first?.status == .inService)
        try p.advance(by: .hours(3))
        let charged = try p.ledger(.workspace).entries.filter { $0.kind == .provisionedThroughput }
        #expect(charged.reduce(Decimal(0)) { $0 + $1.amount } == booking.hourlyRate * 3)
        try p.cancelBooking("support-bot")
        #expect(try p.bookings().first?.status == .deleted)
    }

    @Test func aCommittedBookingNeedsQuotaAndCannotBeCancelled() throws {
        let p = try Platform.ephemeral()
        try p.requestAccess(modelID: titan)
        #expect(throws: BillingError.self) { try p.book(modelID: titan, units: 1, term: .oneMonth, name: "monthly") }
        #expect(try p.requestQuota(modelID: titan, units: 1) == 1)
        _ = try p.book(modelID: titan, units: 1, term: .oneMonth, name: "monthly")
        let refusal = #expect(throws: BillingError.self) { try p.cancelBooking("monthly") }
        #expect(refusal?.description.contains("2025-") == true)
    }

    @Test func theBudgetRefusesAnOperationThatWouldExceedIt() throws {
        let p = try Platform.ephemeral()
        try p.setBudget(Decimal(string: "1.00"))
        try p.workspace.write { tx in
            try p.checkBudget(estimate: Decimal(string: "0.40")!, in: tx)
            try p.charge(.onDemandInference, modelID: titan, quantities: ChargeQuantities(inputTokens: 10),
                         amount: Decimal(string: "0.90")!, note: "test", at: try tx.now().billing, in: tx)
        }
        #expect(throws: BillingError.self) {
            try p.workspace.write { tx in try p.checkBudget(estimate: Decimal(string: "0.20")!, in: tx) }
        }
        #expect(try p.costReport().contains("Budget: $1.00"))
    }
}
