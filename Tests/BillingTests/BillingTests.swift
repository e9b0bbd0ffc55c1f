import Testing
@testable import Billing
