import Testing
@testable import BedrockPlatform
