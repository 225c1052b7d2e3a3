/// A JSON object with its keys in document order; a key occurs once (the reader rejects duplicates).
public struct JSONObject: Sendable, Equatable {
    public private(set) var keys: [String] = []
    private var values: [String: JSONValue] = [:]

    public init() {}

    /// Builds an object from pairs in order, for writing; a repeated key keeps its first position and last value.
    public init(_ pairs: [(String, JSONValue?)]) {
        for (key, value) in pairs {
            if let value { self[key] = value }
        }
    }

    public subscript(key: String) -> JSONValue? {
        get { values[key] }
        set {
            if newValue != nil, values[key] == nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            values[key] = newValue
        }
    }

    public func contains(_ key: String) -> Bool { values[key] != nil }
}
