import Foundation
import IndgangCore
import Testing

@Suite("Identifiers, cursors and time formats")
struct FormatTests {
    @Test("UUIDv7 carries version and variant bits and sorts by time")
    func uuidV7() {
        var random = SystemRandomNumberGenerator()
        let earlier = UUID.v7(at: Date(timeIntervalSince1970: 1_700_000_000), using: &random)
        let later = UUID.v7(at: Date(timeIntervalSince1970: 1_700_000_001), using: &random)
        #expect(earlier.uuidString.lowercased() < later.uuidString.lowercased())
        #expect(Array(earlier.uuidString)[14] == "7")
        #expect("89AB".contains(Array(earlier.uuidString)[19]))
    }

    @Test("cursors round-trip and reject garbage")
    func cursors() throws {
        let id = UUID()
        #expect(try Cursor.decodeUUID(Cursor.encode(id.uuidString)) == id)
        #expect(try Cursor.decodeInt(Cursor.encode("42")) == 42)
        #expect(throws: IndgangError.self) { try Cursor.decodeUUID("not-a-cursor!") }
        #expect(throws: IndgangError.self) { try Cursor.decodeInt(Cursor.encode("x")) }
        #expect(try Cursor.decodeUUID(nil) == nil)
    }

    @Test("RFC 3339 needs an offset and accepts fractional seconds", arguments: [
        ("2026-11-24T12:00:00Z", true), ("2026-11-24T13:00:00+01:00", true), ("2026-11-24T12:00:00.123456Z", true),
        ("2026-11-24t12:00:00z", true), ("2026-11-24T12:00:00", false), ("2026-11-24", false), ("yesterday", false),
        ("2026-13-24T12:00:00Z", false),
    ])
    func rfc3339(text: String, valid: Bool) {
        #expect((RFC3339.parse(text) != nil) == valid)
    }

    @Test("offsets are converted to UTC")
    func offsets() throws {
        let utc = try #require(RFC3339.parse("2026-11-24T12:00:00Z"))
        #expect(RFC3339.parse("2026-11-24T13:00:00+01:00") == utc)
        #expect(RFC3339.format(utc) == "2026-11-24T12:00:00.000Z")
    }

    @Test("slugs and municipality codes")
    func identifiers() {
        #expect(ActorSlug.isValid("kobenhavn"))
        #expect(ActorSlug.isValid("region-h-2"))
        #expect(!ActorSlug.isValid("København"))
        #expect(!ActorSlug.isValid("-x"))
        #expect(!ActorSlug.isValid("a"))
        #expect(MunicipalityCode.isValid("101"))
        #expect(!MunicipalityCode.isValid("1010"))
        #expect(!MunicipalityCode.isValid("1a1"))
    }
}
