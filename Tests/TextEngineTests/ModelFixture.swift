// The real SmolLM2 model, loaded once for all tests that need it (mapping it is cheap; the models
// share the process-wide worker pools). Reference values come from ../shared/oracles/smollm2_ref.py
// (numpy float32) as recorded in DATA.md.
import Testing
@testable import TextEngine

enum Fixture {
    /// Two-thread model with a small context window (keeps the KV cache small).
    static let model: TextModel = try! TextModel(threads: 2, contextWindow: 1024)
    static let referencePrompt = ChatTemplate.render([.user("What is the capital of France?")])
    /// smollm2_ref.py's token ids for the reference prompt (all 37).
    static let referenceIDs = [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018,
                               411, 407, 19712, 8182, 2, 198, 1, 4093, 198, 1780, 314, 260, 3575, 282, 4649, 47, 2,
                               198, 1, 520, 9531, 198]
}
