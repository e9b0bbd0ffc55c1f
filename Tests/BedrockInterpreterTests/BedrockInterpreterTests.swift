import Testing
@testable import BedrockInterpreter
