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
        // The default draws its random bits from the system: the same bits, the time first, and no two alike.
        let instant = Date(timeIntervalSince1970: 1_700_000_000.123)
        let drawn = (0..<10_000).map { _ in UUID.v7(at: instant) }
        #expect(Set(drawn).count == drawn.count)
        for id in drawn.prefix(100) {
            #expect(id.lowercasedString.hasPrefix("018bcfe5-687b-7"), "\(id)")
            #expect("89ab".contains(Array(id.lowercasedString)[19]))
        }
    }

    @Test("ids as text and the order of ids agree with Foundation's strings")
    func lowercasedStringsAndOrder() {
        var random = SystemRandomNumberGenerator()
        let ids = (0..<2_000).map { index in index.isMultiple(of: 2) ? UUID() : UUID.v7(at: Date(timeIntervalSince1970: Double(index)), using: &random) }
        for id in ids {
            #expect(id.lowercasedString == id.uuidString.lowercased())
            #expect(id.uppercasedString == id.uuidString)
        }
        for (a, b) in zip(ids, ids.dropFirst()) { #expect((a < b) == (a.uuidString < b.uuidString)) }
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

@Suite("RFC 3339 against Foundation")
struct RFC3339ReferenceTests {
    @Test("parsing and formatting agree with Foundation over many random instants and offsets", arguments: Array(UInt64(1)...20))
    func agreesWithFoundation(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        for _ in 0..<200 {
            let seconds = Double(Int.random(in: -2_000_000_000...4_000_000_000, using: &random))
            // Whole seconds compare exactly with Foundation; milliseconds round-trip within float precision.
            let whole = Date(timeIntervalSince1970: seconds)
            #expect(RFC3339.format(whole) == whole.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            let date = Date(timeIntervalSince1970: seconds + Double(Int.random(in: 0...999, using: &random)) / 1000)
            let parsed = try #require(RFC3339.parse(RFC3339.format(date)))
            #expect(abs(parsed.timeIntervalSince(date)) < 0.0015)  // truncated to the millisecond
            let offsetMinutes = Int.random(in: -14 * 60...14 * 60, using: &random) / 15 * 15
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(secondsFromGMT: offsetMinutes * 60)!
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let sign = offsetMinutes < 0 ? "-" : "+"
            let local = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!,
                sign, abs(offsetMinutes) / 60, abs(offsetMinutes) % 60)
            #expect(RFC3339.parse(local) == Date(timeIntervalSince1970: seconds), "\(local)")
        }
    }

    @Test("impossible values are refused", arguments: [
        "2026-02-29T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z", "2026-01-01T00:00:00+24:00",
        "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z", "2026-01-01T00:00:00Zjunk", "2026-01-01 00:00:00Z",
    ])
    func refused(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }
}
