/// A JSON object with its keys in document order; a key occurs once (the reader rejects duplicates).
struct JSONObject: Sendable, Equatable {
    private(set) var keys: [String] = []
    private var values: [String: JSONValue] = [:]

    init() {}

    /// Builds an object from pairs in order, for writing; a repeated key keeps its first position and last value.
    init(_ pairs: [(String, JSONValue?)]) {
        for (key, value) in pairs {
            if let value { self[key] = value }
        }
    }

    subscript(key: String) -> JSONValue? {
        get { values[key] }
        set {
            if newValue != nil, values[key] == nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            values[key] = newValue
        }
    }

    func contains(_ key: String) -> Bool { values[key] != nil }
}
