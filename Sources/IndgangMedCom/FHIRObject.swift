import Foundation
import IndgangCore

/// A JSON object being read as a FHIR element, which knows its own path so that every error names the element.
/// FHIR JSON allows no `null`, no empty strings, arrays or objects; those are errors here too.
struct FHIRObject {
    let fields: JSONObject
    let path: String

    /// Elements every resource may carry without this model reading them.
    static let resourceBasics: Set<String> = ["resourceType", "id", "meta", "text", "language"]

    init(_ value: JSONValue, at path: String) throws(MedComParseError) {
        guard case .object(let fields) = value else {
            throw MedComParseError(path: path, problem: .wrongType(expected: "an object", found: value.kind))
        }
        guard !fields.keys.isEmpty else { throw MedComParseError(path: path, problem: .invalidValue("must not be empty")) }
        self.fields = fields
        self.path = path
    }

    func path(_ key: String) -> String { "\(path).\(key)" }

    /// Rejects the first element (in document order) outside `allowed`; `forbidden` gives the reason for
    /// elements a profile explicitly excludes.
    func allowOnly(_ allowed: Set<String>, forbidden: [String: String] = [:], in context: String) throws(MedComParseError) {
        for key in fields.keys where !allowed.contains(key) {
            let reason = forbidden[key] ?? (key.hasPrefix("_") ? "primitive extensions are not accepted here" : "is not an element of \(context)")
            throw MedComParseError(path: path(key), problem: .notAllowed(reason))
        }
    }

    /// `meta` and `text` are read only for their shape.
    func checkResourceBasics() throws(MedComParseError) {
        if let meta = try object("meta") {
            try meta.allowOnly(["id", "versionId", "lastUpdated", "source", "profile", "security", "tag"], in: "Meta")
            _ = try meta.strings("profile")
            _ = try meta.string("versionId")
            _ = try meta.string("lastUpdated")
        }
        if let text = try object("text") {
            try text.allowOnly(["id", "status", "div"], in: "Narrative")
            _ = try text.requiredString("status")
            _ = try text.requiredString("div")
        }
        _ = try string("language")
    }

    func string(_ key: String) throws(MedComParseError) -> String? {
        guard let value = fields[key] else { return nil }
        guard case .string(let text) = value else {
            throw MedComParseError(path: path(key), problem: .wrongType(expected: "a string", found: value.kind))
        }
        guard !text.isEmpty else { throw MedComParseError(path: path(key), problem: .invalidValue("must not be empty")) }
        return text
    }

    func requiredString(_ key: String) throws(MedComParseError) -> String {
        guard let text = try string(key) else { throw MedComParseError(path: path(key), problem: .missing) }
        return text
    }

    /// A `code` bound to a value set: one of `allowed`.
    func code(_ key: String, in allowed: [String]) throws(MedComParseError) -> String? {
        guard let text = try string(key) else { return nil }
        guard allowed.contains(text) else { throw MedComParseError(path: path(key), problem: .unknownCode(text, allowed: allowed)) }
        return text
    }

    func requiredCode(_ key: String, in allowed: [String]) throws(MedComParseError) -> String {
        guard let text = try code(key, in: allowed) else { throw MedComParseError(path: path(key), problem: .missing) }
        return text
    }

    /// A FHIR `id`: 1–64 of `A–Z a–z 0–9 - .`. Not a UUID check: MedCom's examples use ids like `hefc6d95-…`.
    func id(_ key: String, required: Bool) throws(MedComParseError) -> String? {
        guard let text = try string(key) else {
            if required { throw MedComParseError(path: path(key), problem: .missing) }
            return nil
        }
        guard Self.isValidID(text) else {
            throw MedComParseError(path: path(key), problem: .invalidValue("must be a FHIR id: 1–64 letters, digits, '-' or '.'"))
        }
        return text
    }

    static func isValidID(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x2E
            }
    }

    func bool(_ key: String) throws(MedComParseError) -> Bool? {
        guard let value = fields[key] else { return nil }
        guard case .bool(let flag) = value else {
            throw MedComParseError(path: path(key), problem: .wrongType(expected: "a boolean", found: value.kind))
        }
        return flag
    }

    /// A `dateTime`/`instant` down to the second with a zone; the text is kept for faithful copies.
    func dateTime(_ key: String) throws(MedComParseError) -> FHIRDateTime? {
        guard let text = try string(key) else { return nil }
        guard let date = RFC3339.parse(text) else {
            throw MedComParseError(path: path(key), problem: .invalidValue("must be a date and time with seconds and a time zone"))
        }
        return FHIRDateTime(text: text, date: date)
    }

    func requiredDateTime(_ key: String) throws(MedComParseError) -> FHIRDateTime {
        guard let value = try dateTime(key) else { throw MedComParseError(path: path(key), problem: .missing) }
        return value
    }

    func object(_ key: String) throws(MedComParseError) -> FHIRObject? {
        guard let value = fields[key] else { return nil }
        return try FHIRObject(value, at: path(key))
    }

    func requiredObject(_ key: String) throws(MedComParseError) -> FHIRObject {
        guard let object = try object(key) else { throw MedComParseError(path: path(key), problem: .missing) }
        return object
    }

    /// The elements of an array, each with its path (`key[i]`).
    func array(_ key: String) throws(MedComParseError) -> [(value: JSONValue, path: String)]? {
        guard let value = fields[key] else { return nil }
        guard case .array(let values) = value else {
            throw MedComParseError(path: path(key), problem: .wrongType(expected: "an array", found: value.kind))
        }
        guard !values.isEmpty else { throw MedComParseError(path: path(key), problem: .invalidValue("must not be an empty array")) }
        return values.enumerated().map { (value: $0.element, path: "\(path(key))[\($0.offset)]") }
    }

    func objects(_ key: String) throws(MedComParseError) -> [FHIRObject]? {
        guard let elements = try array(key) else { return nil }
        var objects: [FHIRObject] = []
        for element in elements { objects.append(try FHIRObject(element.value, at: element.path)) }
        return objects
    }

    func requiredObjects(_ key: String) throws(MedComParseError) -> [FHIRObject] {
        guard let objects = try objects(key) else { throw MedComParseError(path: path(key), problem: .missing) }
        return objects
    }

    func strings(_ key: String) throws(MedComParseError) -> [String]? {
        guard let elements = try array(key) else { return nil }
        var strings: [String] = []
        for element in elements {
            guard case .string(let text) = element.value, !text.isEmpty else {
                throw MedComParseError(path: element.path, problem: .wrongType(expected: "a non-empty string", found: element.value.kind))
            }
            strings.append(text)
        }
        return strings
    }
}
