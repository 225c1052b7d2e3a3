/// Decoding a value the database stored into one of the core's enums. A value the code does not know is an
/// error, never a silent default: an unknown handoff status must not read as `pending`, i.e. actionable.
public struct UnknownStoredValue: Error, Sendable, CustomStringConvertible {
    public let type: String
    public let value: String

    public init(type: String, value: String) {
        self.type = type
        self.value = value
    }

    public var description: String { "unknown \(type) value stored: \(value)" }
}

extension RawRepresentable where RawValue == String {
    public init(decoding value: String) throws(UnknownStoredValue) {
        guard let decoded = Self(rawValue: value) else { throw UnknownStoredValue(type: "\(Self.self)", value: value) }
        self = decoded
    }
}
