// The evaluation commands in a real session on the real model: datasets and show_dataset, a
// two-model classification job waited for and reported, ratings given as a list, and the errors a
// script sees for bad metric names and bad rating records.
import BedrockBindings
import BedrockInterpreter
import BedrockPlatform
import Synchronization
import Testing

private func session(_ source: String) throws -> (output: String, outcome: RunOutcome) {
    let text = Mutex("")
    let platform = try Platform.ephemeral()
    let session = Session(options: SessionOptions(baseDirectory: "/tmp", maskVolatile: true, libraries: [PlatformLibrary(platform: platform)],
                                                  output: { chunk in text.withLock { $0 += chunk } }))
    let outcome = session.runSource(source, name: "eval.bedrock")
    return (text.withLock { $0 }, outcome)
}

@Suite(.serialized) struct EvaluationCommandTests {
    @Test func datasetsAreListedAndShown() throws {
        let (out, outcome) = try session(#"""
            datasets
            show_dataset "builtin:sentiment" limit: 1
            print len(show_dataset("builtin:quiz", limit: 3).rows)
            """#)
        #expect(outcome == .ok, "\(out)")
        #expect(out.contains("builtin:quiz") && out.contains("builtin:summaries") && out.contains("MIT"))
        #expect(out.contains("builtin:sentiment · classification · 100 items"))
        #expect(out.hasSuffix("3\n"))
    }

    @Test func twoModelsAreComparedReportedAndRated() throws {
        let (out, outcome) = try session(#"""
            request access "amazon.titan-text-express-v1"
            request access "amazon.titan-text-lite-v1"
            let j = evaluate "amazon.titan-text-express-v1" "amazon.titan-text-lite-v1" task: "classification" dataset: "builtin:sentiment" limit: 2 max_tokens: 4 perturbations: 1 name: "sentiment-ab"
            wait j
            let r = report j
            print r
            print r.status, len(r.results) > 0, keys(r.by_model)
            let first = show_dataset("builtin:sentiment", limit: 1).rows[0].id
            rate j method: "ComparisonChoice" ratings: [{item: first, rater: "ana", rating: "B"}]
            let again = report j
            print again.ratings[1].win_rate
            ratings "sentiment-ab"
            """#)
        #expect(outcome == .ok, "\(out)")
        #expect(out.contains("classification on builtin:sentiment · Completed"))
        #expect(out.contains("model B: amazon.titan-text-lite-v1"))
        #expect(out.contains("accuracy_perturbed") && out.contains("delta_accuracy"))
        #expect(out.contains("classification: the label is the first word of the answer"))
        #expect(out.contains("Completed true [amazon.titan-text-express-v1, amazon.titan-text-lite-v1]")
                || out.contains("Completed true [\"amazon.titan-text-express-v1\", \"amazon.titan-text-lite-v1\"]"))
        #expect(out.contains("1 rating recorded, $0.21 of human tasks"))
        #expect(out.contains("\n1.0\n"))
        #expect(out.contains("ComparisonChoice") && out.contains("amazon.titan-text-express-v1 vs amazon.titan-text-lite-v1"))
    }

    @Test func badNamesAndRecordsAreClearErrors() throws {
        let (out, outcome) = try session(#"""
            request access "amazon.titan-text-lite-v1"
            evaluate "amazon.titan-text-lite-v1" task: "qa" dataset: "builtin:quiz" metrics: ["acuracy"] limit: 1
            """#)
        guard case .runtimeError(let message) = outcome else { Issue.record("expected an error: \(out)"); return }
        #expect(message.contains("ValidationException") && message.contains("did you mean 'accuracy'?"))

        let (out2, outcome2) = try session(#"""
            request access "amazon.titan-text-lite-v1"
            let j = evaluate "amazon.titan-text-lite-v1" task: "qa" dataset: "builtin:quiz" metrics: ["accuracy"] limit: 1 max_tokens: 2
            rate j method: "IndividualLikertScale" ratings: [{item: "africa:44", rater: "ana", rating: 9}]
            """#)
        guard case .runtimeError(let message2) = outcome2 else { Issue.record("expected an error: \(out2)"); return }
        #expect(message2.contains("ratings record 1:") && message2.contains("from 1 (poor) to 5 (excellent)"))
    }
}
