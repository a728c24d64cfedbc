import Testing
@testable import GatehouseTransport
@Test func smoke() { #expect(true) }
