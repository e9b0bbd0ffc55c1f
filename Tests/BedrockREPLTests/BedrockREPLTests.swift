import Testing
@testable import BedrockREPL
