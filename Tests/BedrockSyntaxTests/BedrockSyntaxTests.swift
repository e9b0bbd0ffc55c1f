import Testing
@testable import BedrockSyntax
