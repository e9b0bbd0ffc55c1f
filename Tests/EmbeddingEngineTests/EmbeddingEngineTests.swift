// Shared helpers for the EmbeddingEngine tests: the real model loaded once, a max-difference check
// in the style of llm.c's check_tensor, and temporary files. The model tests need
// ~/.bedrock/models/minilm (scripts/fetch-models); they fail with the loader's message if it is missing.

import Foundation
import Testing
@testable import EmbeddingEngine

/// The real all-MiniLM-L6-v2, loaded once for every test.
let sharedModel: Result<EmbeddingModel, EmbeddingModelError> = Result { () throws(EmbeddingModelError) in
    try EmbeddingModel.load()
}

func model() throws -> EmbeddingModel { try sharedModel.get() }

/// Largest absolute element difference; records an issue naming the index when it exceeds `tolerance`.
@discardableResult
func checkVector(_ actual: [Float], _ expected: [Float], tolerance: Float, _ label: String,
                 sourceLocation: SourceLocation = #_sourceLocation) -> Float {
    #expect(actual.count == expected.count, "\(label): length", sourceLocation: sourceLocation)
    var worst: Float = 0, at = 0
    for i in 0..<min(actual.count, expected.count) where abs(actual[i] - expected[i]) > worst {
        worst = abs(actual[i] - expected[i]); at = i
    }
    #expect(worst <= tolerance, "\(label): max |diff| \(worst) at [\(at)] > \(tolerance)", sourceLocation: sourceLocation)
    return worst
}

/// A fresh temporary directory for one test.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("embed-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
