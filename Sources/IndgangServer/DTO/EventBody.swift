import Foundation
import IndgangCore

/// The body of `POST /v1/events` and each line of an NDJSON batch, as posted: every field optional, so that
/// `EventsController.validate` can name each problem at once.
///
/// Read by `JSONReader` rather than `JSONDecoder`: the decoder was 15 % of the server's CPU in a batch of acute
/// admissions (perf, 2026-12-05), the reader a fifth of that. The problems are the ones `StrictJSONDecoder`
/// answers — 400 for text that is not JSON, 422 naming the first field of the wrong type, in field order — except
/// that a key given twice is not JSON here (RFC 8259 leaves its meaning open; the decoder silently took one).
struct EventBody {
    var source: String?
    var id: String?
    var type: String?
    var occurred_at: Date?
    var cpr: String?
    /// In document order.
    var attributes: [(name: String, value: JSONValue)]?

    static func read(_ data: Data) throws -> EventBody {
        let document: JSONValue
        do {
            document = try JSONReader.read(data)
        } catch {
            throw AppError(.badRequest, detail: "the body is not valid JSON: \(error.message) at byte \(error.offset)")
        }
        guard case .object(let object) = document else { throw AppError.invalid(field: "body", "must be an object") }
        var body = EventBody()
        body.source = try string(object, "source")
        body.id = try string(object, "id")
        body.type = try string(object, "type")
        if let text = try string(object, "occurred_at") {
            guard let time = RFC3339.parse(text) else {
                throw AppError.invalid(field: "occurred_at", "must be an RFC 3339 time with offset, e.g. 2026-11-24T12:00:00Z")
            }
            body.occurred_at = time
        }
        body.cpr = try string(object, "cpr")
        switch object["attributes"] {
        case nil, .null?: break
        case .object(let attributes)?: body.attributes = attributes.keys.map { ($0, attributes[$0]!) }
        case _?: throw AppError.invalid(field: "attributes", "must be an object")
        }
        return body
    }

    /// A string field; absent and `null` are both absent.
    private static func string(_ object: JSONObject, _ field: String) throws -> String? {
        switch object[field] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case _?: throw AppError.invalid(field: field, "must be a string")
        }
    }
}
