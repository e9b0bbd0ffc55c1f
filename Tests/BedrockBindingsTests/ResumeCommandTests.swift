// `resume job` and `stop job … after_step:` through a real session: a job stopped before its first
// step is resumed in the background and `wait` sees it complete; a misspelt name is refused with its
// closest match; after_step stops exactly there. (The platform's refusals — Completed, changed data,
// no checkpoint — are CustomizationResumeTests'.)
import BedrockBindings
import BedrockInterpreter
import BedrockPlatform
import Foundation
import Testing

@Suite(.serialized) struct ResumeCommandTests {
    @Test func resumeJobContinuesAStoppedJobAndRefusesWhatCannotResume() throws {
        let (out, outcome) = try runWithFiles(#"""
            request access "amazon.titan-text-lite-v1"
            let j = finetune "amazon.titan-text-lite-v1" data: "train.jsonl" name: "resumable" epochs: 2 batch_size: 2
            stop job j
            wait j
            print "after stop:", j.status
            let again = resume job j
            print "after resume:", again.status, again.id == j.id
            wait again
            print "at the end:", j.status, j.custom_model != nil
            resume job "resumable-jbo"
            """#, files: ["train.jsonl": ccTrain])
        #expect(out.contains("after stop: Stopped"), "\(out)")
        #expect(out.contains("after resume: InProgress true"), "\(out)")
        #expect(out.contains("at the end: Completed true"), "\(out)")
        guard case .runtimeError(let message) = outcome else { Issue.record("expected an error, got \(outcome)"); return }
        #expect(message.contains("no job named resumable-jbo; did you mean \"resumable-job\"?"), "\(message)")
    }

    /// `stop job … after_step:` stops a customization job exactly there; it refuses a step below 1.
    @Test func stopAfterAStepStopsThereAndRefusesAStepBelowOne() throws {
        let (out, outcome) = try runWithFiles(#"""
            request access "amazon.titan-text-lite-v1"
            let j = finetune "amazon.titan-text-lite-v1" data: "train.jsonl" name: "stepwise" epochs: 2 batch_size: 2
            stop job j after_step: 1
            wait j
            print "stopped:", j.status, len(loss_curve(j).training)
            let k = finetune "amazon.titan-text-lite-v1" data: "train.jsonl" name: "stepwise-2" epochs: 2 batch_size: 2
            stop job k after_step: 0
            """#, files: ["train.jsonl": ccTrain])
        #expect(out.contains("stopped: Stopped 1"), "\(out)")
        guard case .runtimeError(let message) = outcome else { Issue.record("expected an error, got \(outcome)"); return }
        #expect(message.contains("after_step: must be at least 1, got 0"), "\(message)")
    }
}
