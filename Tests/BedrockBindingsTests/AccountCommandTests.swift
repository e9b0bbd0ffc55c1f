// The account commands run through a real Session on an in-memory workspace: what a script
// prints, and the errors it gets, for the catalog, access, pricing, throughput and cost commands.
import BedrockBindings
import BedrockInterpreter
import BedrockPlatform
import Synchronization
import Testing

/// Runs `source` in a fresh session bound to a fresh platform; returns the output and the outcome.
func run(_ source: String) throws -> (output: String, outcome: RunOutcome) {
    let text = Mutex("")
    let platform = try Platform.ephemeral()
    let session = Session(options: SessionOptions(baseDirectory: "/tmp", libraries: [PlatformLibrary(platform: platform)],
                                                  output: { chunk in text.withLock { $0 += chunk } }))
    let outcome = session.runSource(source, name: "test.bedrock")
    return (text.withLock { $0 }, outcome)
}

@Suite struct AccountCommandTests {
    @Test func modelsFiltersByProviderAndPrintsATable() throws {
        let (out, outcome) = try run(#"print models(provider: "Meta", customization: "FINE_TUNING")"#)
        #expect(outcome == .ok)
        #expect(out.contains("meta.llama2-13b-v1") || out.contains("meta.llama3-1-8b-instruct-v1:0"))
        #expect(!out.contains("amazon.titan"))
    }

    @Test func aModelCardNamesTheEngineThatServesIt() throws {
        let (out, outcome) = try run(#"""
            let m = model "amazon.titan-text-express-v1"
            print m
            print m.provider, m.max_output_tokens
            """#)
        #expect(outcome == .ok)
        #expect(out.contains("SmolLM2-135M-Instruct"))
        #expect(out.contains("Amazon 8192"))
    }

    @Test func anUnknownModelSuggestsTheClosest() throws {
        let (_, outcome) = try run(#"model "amazon.titan-text-expres-v1""#)
        guard case .runtimeError(let message) = outcome else { Issue.record("expected an error"); return }
        #expect(message.contains("did you mean \"amazon.titan-text-express-v1\""))
    }

    @Test func requestAccessShowsTheTransitionsAndAnthropicNeedsTheForm() throws {
        let (out, outcome) = try run(#"""
            request access "amazon.titan-text-lite-v1"
            request access "anthropic.claude-3-haiku-20240307-v1:0" use_case: "Study helper for the AIF-C01 exam"
            let t = access provider: "Anthropic"
            print t.count > 0
            """#)
        #expect(outcome == .ok)
        #expect(out.contains("amazon.titan-text-lite-v1: Available to request → In progress → Access granted"))
        #expect(out.contains("anthropic.claude-3-haiku-20240307-v1:0: Available to request → In progress → Access granted"))
        let (_, refused) = try run(#"request access "anthropic.claude-3-haiku-20240307-v1:0""#)
        guard case .runtimeError(let message) = refused else { Issue.record("expected a refusal"); return }
        #expect(message.contains("use-case form"))
    }

    @Test func priceShowsItsArithmetic() throws {
        let (out, outcome) = try run(#"""
            let q = price "amazon.titan-text-express-v1" input: 1500 output: 300 requests: 10000
            print q
            print q.total
            """#)
        #expect(outcome == .ok)
        #expect(out.contains("1500") || out.contains("1,500"))
        #expect(out.contains("$"))
    }

    @Test func bookingsBillHourlyAsTheClockAdvances() throws {
        let (out, outcome) = try run(#"""
            request access "amazon.titan-text-express-v1"
            let b = book "amazon.titan-text-express-v1" units: 1 term: "no commitment" name: "demo"
            print b.status
            advance 10 minutes
            advance 2 hours
            print bookings()
            cancel booking b
            let c = cost
            print c.workspace > 0
            """#)
        #expect(outcome == .ok, "\(outcome)")
        #expect(out.contains("Creating"))
        #expect(out.contains("billed 2 model-unit-hour(s)"))
        #expect(out.contains("InService"))
        #expect(out.hasSuffix("true\n"))
    }

    @Test func aCommittedBookingCannotBeCancelled() throws {
        let (_, outcome) = try run(#"""
            request access "amazon.titan-text-express-v1"
            request quota "amazon.titan-text-express-v1" units: 1
            book "amazon.titan-text-express-v1" units: 1 term: "1 month" name: "monthly"
            cancel booking "monthly"
            """#)
        guard case .runtimeError(let message) = outcome else { Issue.record("expected a refusal"); return }
        #expect(message.contains("2025-"))
    }
}

@Suite struct CompletionTests {
    @Test func modelIDsCompleteInsideAString() throws {
        let platform = try Platform.ephemeral()
        let session = Session(options: SessionOptions(baseDirectory: "/tmp", libraries: [PlatformLibrary(platform: platform)],
                                                      output: { _ in }))
        let line = #"let m = model "amazon.titan-text-l"#
        let (from, candidates) = session.completions(line: line, cursor: line.count)
        #expect(from == 15)
        #expect(candidates.contains("amazon.titan-text-lite-v1"))
        #expect(!candidates.contains("amazon.titan-text-express-v1"))
    }

    @Test func aCommandStatementPrintsItsResultAndAnAssignmentDoesNot() throws {
        let (out, outcome) = try run(#"""
            clock
            let t = clock
            print "quiet above"
            """#)
        #expect(outcome == .ok)
        #expect(out == "2025-01-01 00:00 UTC\nquiet above\n")
    }
}
