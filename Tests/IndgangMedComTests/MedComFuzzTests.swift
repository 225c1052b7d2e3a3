import Foundation
import IndgangCore
import Testing

@testable import IndgangMedCom

/// Random damage to the official examples must end in a message or a typed error, never a trap; whatever is
/// read must map and be acknowledged, and whatever is not must still get an acknowledgement.
@Suite("Fuzzing the reader")
struct MedComFuzzTests {
    static let rounds = 40

    @Test("byte-level damage: truncation, flipped bytes, inserted bytes", arguments: Fixtures.allFiles)
    func bytes(name: String) throws {
        let original = [UInt8](try Fixtures.data(name))
        var random = SeededRandom(seed: 0x4D45_4443_4F4D, stream: UInt64(name.utf8.count))
        var outcomes = (read: 0, refused: 0)
        for round in 0..<Self.rounds {
            var bytes = original
            switch round % 3 {
            case 0: bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count))))
            case 1:
                for _ in 0..<(1 + random.next() % 4) { bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next()) }
            default:
                let at = Int(random.next() % UInt64(bytes.count))
                bytes.insert(contentsOf: ["\"", "{", "]", ",", "\\", "\u{00}", "é"].map { Array($0.utf8) }[Int(random.next() % 7)], at: at)
            }
            exercise(Data(bytes), counting: &outcomes)
        }
        #expect(outcomes.read + outcomes.refused == Self.rounds)
        #expect(outcomes.refused > 0)
    }

    @Test("structural damage: elements removed, retyped, emptied or repeated", arguments: Fixtures.allFiles)
    func structure(name: String) throws {
        let original = try JSONSerialization.jsonObject(with: Fixtures.data(name))
        var random = SeededRandom(seed: 0x5354_5255_4354, stream: UInt64(name.utf8.count))
        var outcomes = (read: 0, refused: 0)
        for _ in 0..<Self.rounds {
            var root: Any = original
            for _ in 0..<(1 + random.next() % 3) { root = Self.mutate(root, random: &random, depth: 0) }
            exercise(try JSONSerialization.data(withJSONObject: root), counting: &outcomes)
        }
        #expect(outcomes.read + outcomes.refused == Self.rounds)
    }

    @Test("pathological JSON: deep nesting, invalid UTF-8, lone surrogates, huge numbers")
    func pathological() {
        let bodies: [Data] = [
            Data(String(repeating: "[", count: 100_000).utf8), Data(String(repeating: "{\"a\":", count: 50_000).utf8),
            Data([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D]), Data("{\"a\": \"\\ud800\"}".utf8),
            Data("{\"resourceType\": \"Bundle\", \"id\": 1e999999}".utf8), Data([0xEF, 0xBB, 0xBF]) + Data("{}".utf8),
        ]
        for body in bodies {
            let error = #expect(throws: MedComParseError.self) { try MedComMessage(json: body) }
            #expect(error?.isNotAFHIRBundle == true || error?.path.hasPrefix("Bundle") == true)
            #expect(!MedComAcknowledgement.make(forUnreadable: body, issues: [], timestamp: Date(timeIntervalSince1970: 0)).isEmpty)
        }
    }

    private func exercise(_ body: Data, counting outcomes: inout (read: Int, refused: Int)) {
        let at = Date(timeIntervalSince1970: 1_700_000_000)
        do {
            let message = try MedComMessage(json: body)
            outcomes.read += 1
            let outcome = MedComMapper.map(message, history: [], mayKeep: Fixtures.keepAll)
            if let code = outcome.acknowledgementCode {
                #expect(
                    (try? JSONSerialization.jsonObject(
                        with: MedComAcknowledgement.make(for: message, code: code, issues: outcome.issues, timestamp: at))) != nil)
            }
        } catch {
            outcomes.refused += 1
            #expect(!error.path.isEmpty)
            #expect(
                (try? JSONSerialization.jsonObject(with: MedComAcknowledgement.make(forUnreadable: body, issues: [error.issue], timestamp: at)))
                    != nil)
        }
    }

    private static func mutate(_ node: Any, random: inout SeededRandom, depth: Int) -> Any {
        let replacements: [Any] = [NSNull(), 42, "", "x", true, [Any](), [String: Any](), ["resourceType": "Basic"], "2023-13-45T99:00:00Z"]
        if var object = node as? [String: Any], !object.isEmpty {
            let keys = object.keys.sorted()
            let key = keys[Int(random.next() % UInt64(keys.count))]
            switch random.next() % 4 {
            case 0 where depth > 0: object[key] = nil
            case 1: object[key] = replacements[Int(random.next() % UInt64(replacements.count))]
            default: object[key] = mutate(object[key] as Any, random: &random, depth: depth + 1)
            }
            return object
        }
        if var array = node as? [Any], !array.isEmpty {
            let index = Int(random.next() % UInt64(array.count))
            switch random.next() % 4 {
            case 0: array.remove(at: index)
            case 1: array.append(array[index])
            default: array[index] = mutate(array[index], random: &random, depth: depth + 1)
            }
            return array
        }
        return random.next() % 2 == 0 ? replacements[Int(random.next() % UInt64(replacements.count))] : node
    }
}
