import Foundation
import IndgangCore
import Testing

@testable import IndgangServer
@testable import IndgangStore

/// The outcome answers' hand-written JSON against what `JSONCoding.encoder` writes for the same values, byte for byte.
@Suite("JSON text")
struct JSONTextTests {
    private func written(_ value: JSONText.Value) -> String {
        var text = JSONText()
        text.append(value)
        return String(decoding: text.bytes, as: UTF8.self)
    }

    private func encoded(_ value: some Encodable) throws -> String {
        String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self)
    }

    @Test("strings: quotes, backslashes, every control character, NUL, slashes, combining marks and emoji as JSONEncoder writes them")
    func strings() throws {
        var samples = ["", "plain", "a\"b", #"back\slash"#, "a/b", "\u{0}", "æøå Ærø", "👩‍⚕️ 🇩🇰", "\"\u{301}", "line\nbreak\r\ttab"]
        samples += (0..<0x20).map { String(UnicodeScalar(UInt8($0))) } + ["\u{7F}", "\u{2028}\u{2029}"]
        var random = SeededRandom(seed: 11)
        for _ in 0..<300 {
            let scalars = (0..<Int.random(in: 0...12, using: &random)).compactMap { _ in
                UnicodeScalar([UInt32.random(in: 0...0x7F, using: &random), UInt32.random(in: 0...0x2FFF, using: &random)].randomElement(using: &random)!)
            }
            samples.append(String(String.UnicodeScalarView(scalars)))
        }
        for sample in samples {
            #expect(written(.string(sample)) == (try encoded(sample)), "\(Array(sample.unicodeScalars))")
            let parsed = try JSONSerialization.jsonObject(with: Data(written(.array([.string(sample)])).utf8)) as? [String]
            #expect(parsed == [sample])
        }
    }

    @Test("numbers: integers and doubles (rounded rates, whole numbers, tiny and huge ones) as JSONEncoder writes them")
    func numbers() throws {
        var doubles: [Double] = [0, 1, -1, 0.5, 0.1 + 0.2, 1e-5, 0.00001234, 123_456_789.25, 1e21, 1e22, 2.5e-7, Double(Int32.max), 17.0]
        var random = SeededRandom(seed: 5)
        for _ in 0..<500 {
            doubles.append(OutcomeGroupDTO.rounded(Double.random(in: 0...1, using: &random)))
            doubles.append(OutcomeGroupDTO.rounded(Double.random(in: 0...10_000, using: &random), places: 2))
        }
        for number in doubles {
            #expect(written(.double(number)) == (try encoded(number)), "\(number)")
        }
        for number in [0, 1, -1, Int.max, Int.min, 4_005] {
            #expect(written(.int(number)) == (try encoded(number)))
        }
        #expect(written(.null) == "null" && written(.bool(true)) == "true" && written(.bool(false)) == "false")
    }

    @Test("objects with sorted keys, nested, with nulls, as JSONEncoder writes a dictionary")
    func objects() throws {
        let value = JSONText.Value.object([
            ("rate", .double(0.25)), ("key", .string("2026-01")), ("ci95", .array([.double(0.1), .double(0.5)])), ("goal", .null),
            ("accepted_in_time", .int(3)), ("accepted", .int(4)), ("nested", .object([("b", .bool(true)), ("a", .string("x"))])),
        ])
        struct Nested: Encodable { let a = "x", b = true }
        struct Reference: Encodable {
            let rate = 0.25, key = "2026-01", ci95 = [0.1, 0.5], accepted_in_time = 3, accepted = 4, nested = Nested()
            let goal: String? = nil
            enum CodingKeys: String, CodingKey { case rate, key, ci95, accepted_in_time, accepted, nested, goal }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(rate, forKey: .rate)
                try container.encode(key, forKey: .key)
                try container.encode(ci95, forKey: .ci95)
                try container.encode(accepted_in_time, forKey: .accepted_in_time)
                try container.encode(accepted, forKey: .accepted)
                try container.encode(nested, forKey: .nested)
                try container.encodeNil(forKey: .goal)
            }
        }
        #expect(written(value) == (try encoded(Reference())))
    }

    @Test("an outcome group lists its members in key order, so the writer never sorts them")
    func outcomeGroupsAreListedInKeyOrder() {
        let figure = OutcomeFigure(key: "2026-01", numerator: 40, denominator: 50, censored: 3)
        let handoff = OutcomeGroupDTO.HandoffExtras(
            pathway: "p", fromActor: "a", toActor: "b", rejected: 5, overdue: 6, medianHoursToAccept: 1.5, p90HoursToAccept: 7.25)
        for group in [OutcomeGroupDTO(figure: figure, handoff: nil), OutcomeGroupDTO(figure: figure, handoff: handoff)] {
            guard case .object(let members) = group.json else {
                Issue.record("not an object")
                continue
            }
            let keys = members.map(\.0)
            #expect(keys == keys.sorted() && Set(keys).count == keys.count, "\(keys)")
        }
    }

    @Test("the JSON columns an ingested event writes: timeline and notification data as JSONEncoder's, results read back by Codable")
    func ingestColumns() throws {
        var random = SeededRandom(seed: 3)
        let texts = ["", "a/b", "\"quoted\"", "back\\slash", "tab\t", "æøå 👩‍⚕️", "2026-01-02T10:00:00Z"]
        for _ in 0..<200 {
            var data: [String: String?] = [:]
            for index in 0..<Int.random(in: 0...5, using: &random) {
                data["k\(index)\(texts.randomElement(using: &random)!)"] = Bool.random(using: &random) ? nil : texts.randomElement(using: &random)!
            }
            let written = try JSONSerialization.jsonObject(with: Data(ChangeSet.json(data).utf8)) as? NSDictionary
            let reference = try JSONSerialization.jsonObject(with: JSONEncoder.sorted.encode(data)) as? NSDictionary
            #expect(written == reference, "\(data)")
            let plain = data.compactMapValues { $0 }
            #expect(try JSONSerialization.jsonObject(with: Data(ChangeSet.json(plain).utf8)) as? NSDictionary
                == JSONSerialization.jsonObject(with: JSONEncoder.sorted.encode(plain)) as? NSDictionary)

            var effects: [EffectOutcome] = []
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                var effect = EffectOutcome(
                    effect: texts.randomElement(using: &random)!, pathway: "p", status: EffectStatus.allCases.randomElement(using: &random)!,
                    triggeredBy: UUID())
                effect.caseID = Bool.random(using: &random) ? UUID() : nil
                effect.handoffID = Bool.random(using: &random) ? UUID() : nil
                effect.actor = Bool.random(using: &random) ? texts.randomElement(using: &random)! : nil
                effect.flag = Bool.random(using: &random) ? "readmission" : nil
                effect.reason = Bool.random(using: &random) ? texts.randomElement(using: &random)! : nil
                effects.append(effect)
            }
            let result = IngestResult(eventID: UUID(), effects: effects)
            #expect(try JSONDecoder().decode(IngestResult.self, from: Data(ChangeSet.json(result).utf8)) == result)
            #expect(ChangeSet.json(result) == String(decoding: try JSONEncoder.sorted.encode(result), as: UTF8.self).replacingOccurrences(of: "\\/", with: "/"))
        }
    }
}
