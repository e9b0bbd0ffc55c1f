// The virtual clock (epoch, advance, parsing, formatting) and token buckets on it.
import Catalog
import Testing
@testable import Billing

@Suite struct ClockTests {
    @Test func startsAtTheDocumentedEpoch() {
        let clock = VirtualClock()
        #expect(clock.now == .epoch)
        #expect(clock.now.iso8601 == "2025-01-01T00:00:00Z")
        #expect(clock.formatted == "2025-01-01 00:00 UTC (virtual; 0 seconds after the epoch)")
    }

    @Test func advanceAcrossMonthsAndALeapDay() throws {
        var clock = VirtualClock()
        try clock.advance("30 days")
        #expect(clock.now.day == "2025-01-31")
        try clock.advance(by: .days(29) + .hours(25) + .minutes(5))
        #expect(clock.now.display == "2025-03-02 01:05 UTC")
        var leap = VirtualClock(now: VirtualTime(secondsSince1970: 951_782_400))  // 2000-02-29
        #expect(leap.now.day == "2000-02-29")
        try leap.advance("1 day")
        #expect(leap.now.day == "2000-03-01")
    }

    @Test(arguments: [
        ("30 days", Int64(2_592_000)), ("90 minutes", 5400), ("1.5 hours", 5400), ("2h", 7200),
        ("1 day 6 hours", 108_000), ("45 s", 45), ("1 week", 604_800), ("0 minutes", 0),
    ])
    func durationsParse(text: String, seconds: Int64) throws {
        #expect(try VirtualDuration.parse(text).seconds == seconds)
    }

    @Test func badDurations() {
        #expect(throws: BillingError.invalidDuration(text: "3 fortnights", reason: "unknown unit \"fortnights\" (use seconds, minutes, hours, days or weeks)")) {
            try VirtualDuration.parse("3 fortnights")
        }
        #expect(throws: BillingError.invalidDuration(text: "2 hors", reason: "unknown unit \"hors\"; did you mean \"hours\"? (use seconds, minutes, hours, days or weeks)")) {
            try VirtualDuration.parse("2 hors")
        }
        #expect(throws: BillingError.invalidDuration(text: "days", reason: "expected a number and a unit, such as \"30 days\" or \"2 hours\"")) {
            try VirtualDuration.parse("days")
        }
        #expect(throws: BillingError.invalidDuration(text: "2 months", reason: "months have no fixed length here; write days or hours (a billing month is 730 hours)")) {
            try VirtualDuration.parse("2 months")
        }
        var clock = VirtualClock()
        #expect(throws: BillingError.self) { try clock.advance(by: .seconds(-1)) }
        #expect(clock.now == .epoch)
    }

    @Test func durationDescriptions() {
        #expect(VirtualDuration.days(30).description == "30 days")
        #expect((VirtualDuration.days(1) + .hours(2) + .minutes(1)).description == "1 day 2 hours 1 minute")
        #expect(VirtualDuration.seconds(45).description == "45 seconds")
    }
}

@Suite struct TokenBucketTests {
    let t0 = VirtualTime.epoch

    @Test func drainsThenThrottlesWithTheWait() {
        var bucket = TokenBucket(tokensPerMinute: 6000, units: 2, at: t0)  // 12,000 per minute, 200 per second
        #expect(bucket.capacity == 12_000)
        #expect(bucket.consume(10_000, at: t0) == .ok(remaining: 2000))
        #expect(bucket.consume(3000, at: t0) == .throttled(retryAfter: .seconds(5)))  // 1,000 short at 200/s
        #expect(bucket.available(at: t0) == 2000)  // a throttled request takes nothing
        #expect(bucket.consume(3000, at: t0 + .seconds(5)) == .ok(remaining: 0))
        #expect(bucket.available(at: t0 + .minutes(10)) == 12_000)  // refills to capacity, no further
    }

    @Test func partialSecondsRoundUp() {
        var bucket = TokenBucket(tokensPerMinute: 100, at: t0)  // 100/60 tokens per second
        #expect(bucket.consume(100, at: t0) == .ok(remaining: 0))
        #expect(bucket.check(1, at: t0) == .throttled(retryAfter: .seconds(1)))
        #expect(bucket.check(2, at: t0) == .throttled(retryAfter: .seconds(2)))  // 120/100 → 2 s
        #expect(bucket.check(50, at: t0) == .throttled(retryAfter: .seconds(30)))
    }

    @Test func requestLargerThanCapacityNeverFits() {
        var bucket = TokenBucket(tokensPerMinute: 1000, at: t0)
        #expect(bucket.consume(1001, at: t0) == .exceedsCapacity(capacity: 1000))
    }

    @Test func limiterTakesBothOrNeither() throws {
        let perUnit = ThroughputPerUnit(inputTokensPerMinute: 20_000, outputTokensPerMinute: 4000)
        var limiter = ThroughputLimiter(resource: "pm-1", perUnit: perUnit, units: 1, at: t0)
        try limiter.consume(inputTokens: 15_000, outputTokens: 3000, at: t0)
        #expect(throws: BillingError.throttled(resource: "pm-1", retryAfter: .seconds(30))) {
            // Input fits (5,000 left); output needs 3,000 with 1,000 left: 2,000 short at 4,000/min → 30 s.
            try limiter.consume(inputTokens: 1000, outputTokens: 3000, at: t0)
        }
        #expect(limiter.input.available(at: t0) == 5000)
        #expect(throws: BillingError.exceedsCapacity(resource: "pm-1", tokens: 25_000, capacityPerMinute: 20_000)) {
            try limiter.consume(inputTokens: 25_000, outputTokens: 1, at: t0)
        }
        try limiter.consume(inputTokens: 1000, outputTokens: 3000, at: t0 + .seconds(30))
        #expect(BillingError.throttled(resource: "pm-1", retryAfter: .seconds(30)).exception == .throttling)
    }
}
