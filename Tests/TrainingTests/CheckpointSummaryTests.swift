// CheckpointSummary: a checkpoint's header read without its tensors gives the step and the length
// the whole file must have (what `resume job` checks before restarting a job on it), and rejects
// bytes that are not a checkpoint.
import Testing
@testable import Training

struct CheckpointSummaryTests {
    @Test func theHeaderGivesTheStepAndTheFileLength() throws {
        let t = trainer(mode: lora, epochs: 2)
        for _ in 0..<3 { t.step() }
        let bytes = t.checkpoint()
        let length = try CheckpointSummary.prefixLength(Array(bytes.prefix(16)))
        let summary = try CheckpointSummary(prefix: Array(bytes.prefix(length)))
        #expect(summary.step == 3)
        #expect(summary.trainableCount == t.model.trainableCount)
        #expect(summary.fileLength == bytes.count)
    }

    @Test func otherBytesAreRejected() {
        #expect(throws: CheckpointError.notACheckpoint) { try CheckpointSummary.prefixLength(Array(repeating: 0, count: 16)) }
        #expect(throws: CheckpointError.notACheckpoint) { try CheckpointSummary.prefixLength(Array("BDRK".utf8)) }
        let t = trainer(mode: lora)
        let bytes = t.checkpoint()
        #expect(throws: CheckpointError.truncated) { try CheckpointSummary(prefix: Array(bytes.prefix(20))) }
    }
}
