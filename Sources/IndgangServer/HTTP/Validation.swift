import Foundation
import Hummingbird
import IndgangCore

/// Collects every field problem of a request, so one 422 names them all.
struct Validation {
    private(set) var issues: [FieldIssue] = []

    mutating func fail(_ field: String, _ message: String) {
        issues.append(FieldIssue(field: field, message: message))
    }

    /// A trimmed string of at most `maxLength` characters; nil (with an issue if required) when empty.
    mutating func text(_ value: String?, field: String, required: Bool, maxLength: Int) -> String? {
        let trimmed = value.map { Self.mayNeedTrimming($0) ? $0.trimmingCharacters(in: .whitespacesAndNewlines) : $0 }
        guard let trimmed, !trimmed.isEmpty else {
            if required { fail(field, value == nil ? "is required" : "must not be empty") }
            return nil
        }
        if let problem = StoredText.problem(trimmed, maxLength: maxLength) {
            fail(field, problem)
            return nil
        }
        return trimmed
    }

    /// Whether `text` may begin or end with white space; only then is it trimmed (Foundation's trimming of every field
    /// of every event was ~2 % of a batch's CPU). Printable ASCII at both ends is not white space.
    private static func mayNeedTrimming(_ text: String) -> Bool {
        func printableASCII(_ byte: UInt8?) -> Bool { byte.map { $0 > 0x20 && $0 < 0x7F } ?? false }
        return !printableASCII(text.utf8.first) || !printableASCII(text.utf8.last)
    }

    mutating func oneOf<T: RawRepresentable & CaseIterable>(
        _ value: String?, field: String, required: Bool = true, among choices: [T] = Array(T.allCases)
    ) -> T? where T.RawValue == String {
        guard let value else {
            if required { fail(field, "is required") }
            return nil
        }
        guard let parsed = T(rawValue: value), choices.contains(where: { $0.rawValue == value }) else {
            fail(field, "must be one of \(choices.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return parsed
    }

    /// A pathway id of the catalog in force.
    mutating func pathway(_ value: String?, in catalog: PathwayCatalog, field: String = "pathway") -> String? {
        guard let value else {
            fail(field, "is required")
            return nil
        }
        guard catalog.definition(value) != nil else {
            fail(field, "must be one of \(catalog.definitions.map(\.id).joined(separator: ", "))")
            return nil
        }
        return value
    }

    func check() throws {
        guard issues.isEmpty else {
            throw AppError(.unprocessableContent, detail: issues.map { "\($0.field) \($0.message)" }.joined(separator: "; "), errors: issues)
        }
    }
}

/// Query-string parameters shared by list routes.
extension Request {
    func queryValue(_ name: String) -> String? {
        uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// An actor slug query parameter (`actor=`), or nil when absent; anything else is 422 before it reaches SQL.
    func querySlug(_ name: String) throws -> String? {
        guard let slug = queryValue(name) else { return nil }
        guard ActorSlug.isValid(slug) else { throw AppError.invalid(field: name, "must be an actor slug") }
        return slug
    }

    /// `limit`: 1–500, default 50 (API.md conventions).
    func pageLimit() throws -> Int {
        guard let text = queryValue("limit") else { return 50 }
        guard let limit = Int(text), (1...500).contains(limit) else { throw AppError.invalid(field: "limit", "must be a whole number from 1 to 500") }
        return limit
    }

    /// A boolean query parameter: `true`/`1`, `false`/`0`, or absent (false).
    func queryFlag(_ name: String) throws -> Bool {
        switch queryValue(name) {
        case nil, "false", "0": return false
        case "true", "1": return true
        default: throw AppError.invalid(field: name, "must be true or false")
        }
    }

    func queryEnum<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = queryValue(name) else { return nil }
        guard let value = T(rawValue: text) else {
            throw AppError.invalid(field: name, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

extension Parameters {
    /// A UUID path parameter; anything else cannot name an existing resource, so it is a 404.
    func uuid(_ name: String) throws -> UUID {
        guard let text = get(name), let id = UUID(uuidString: text) else { throw AppError(.notFound, detail: "no such resource") }
        return id
    }
}
