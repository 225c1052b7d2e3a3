import Foundation
import Testing

@testable import IndgangCore

@Suite("JSON reading and writing")
struct JSONReaderTests {
    @Test("escapes, surrogate pairs, numbers and key order are read as written")
    func reads() throws {
        let value = try JSONReader.read(Data(#"{"b": "a\"\\\/\n\u00e6\ud83d\ude00", "a": [-1.5e3, 0, true, null]}"#.utf8))
        guard case .object(let object) = value else {
            Issue.record("an object")
            return
        }
        #expect(object.keys == ["b", "a"])
        #expect(object["b"] == .string("a\"\\/\næ😀"))
        #expect(object["a"] == .array([.number("-1.5e3"), .number("0"), .bool(true), .null]))
    }

    @Test("malformed input is an error with an offset", arguments: ["01", "[1,]", "{\"a\" 1}", "\"\u{01}\"", "tru", "[1] x", "\"\\x\"", "-", "1."])
    func malformed(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONReader.read(Data(text.utf8)) }
    }

    @Test("writing escapes control characters and keeps key order")
    func writes() throws {
        let object = JSONObject([("z", .string("line\nbreak\u{01}\"")), ("a", .number("1"))])
        let text = String(decoding: JSONValue.object(object).serialized(), as: UTF8.self)
        #expect(text == #"{"z":"line\nbreak\u0001\"","a":1}"#)
        #expect(try JSONReader.read(Data(text.utf8)) == .object(object))
    }
}
