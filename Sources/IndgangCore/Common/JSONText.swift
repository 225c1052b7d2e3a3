/// JSON written by appending, where `JSONEncoder` (which builds a tree of dictionaries, then sorts each object's
/// keys) showed in profiles: an outcome answer's groups (five years of handoffs by month is 4,005 groups and 1.9 MB;
/// JSONEncoder took 55 ms of the answer's 230) and the JSON columns a batch of events writes (timeline data, results:
/// 22 % of the server's CPU in a batch of acute admissions, perf 2026-12-04). Objects are written with sorted keys,
/// numbers and strings exactly as the API's encoder writes them (`JSONTextTests` compares the bytes).
public struct JSONText: Sendable {
    public indirect enum Value: Sendable {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        case null
        case array([Value])
        case object([(String, Value)])
    }

    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Text that is JSON already (a piece `JSONEncoder` wrote).
    public mutating func appendJSON(_ json: some Sequence<UInt8>) {
        bytes.append(contentsOf: json)
    }

    public mutating func appendJSON(_ json: StaticString) {
        json.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func append(_ value: Value) {
        switch value {
        case .string(let text): appendString(text)
        case .int(let number): bytes.append(contentsOf: String(number).utf8)
        case .double(let number): bytes.append(contentsOf: Self.format(number).utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: bytes.append(contentsOf: "null".utf8)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                append(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            let inOrder = zip(members, members.dropFirst()).allSatisfy { $0.0 < $1.0 }
            for (index, member) in (inOrder ? members : members.sorted { $0.0 < $1.0 }).enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                appendString(member.0)
                bytes.append(UInt8(ascii: ":"))
                append(member.1)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// As JSONEncoder writes a `Double`: its shortest round-tripping description, without a trailing ".0".
    public static func format(_ number: Double) -> String {
        let text = number.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// The value as JSON text.
    public static func string(_ value: Value) -> String {
        var text = JSONText()
        text.append(value)
        return String(decoding: text.bytes, as: UTF8.self)
    }

    /// Quotes, backslashes and control characters escaped (slashes not: `.withoutEscapingSlashes`), the rest as UTF-8.
    private mutating func appendString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: text.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
            case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
            case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
