import Testing
@testable import EmbeddingEngine
