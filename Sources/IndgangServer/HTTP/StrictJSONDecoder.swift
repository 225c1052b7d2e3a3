import Foundation
import Hummingbird
import IndgangCore

/// Decodes JSON request bodies with the API's error contract: wrong content type 415, body over the
/// limit 413, unparsable JSON 400, and a well-formed body with a missing or mistyped field 422 naming it.
public struct StrictJSONDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        try Self.requireJSONContentType(request)
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return try Self.decode(type, from: Data(buffer: buffer))
    }

    static func requireJSONContentType(_ request: Request) throws {
        let contentType = request.headers[.contentType].flatMap(MediaType.init(from:))
        guard let contentType, contentType.type == .application, contentType.subType == "json" || contentType.subType.hasSuffix("+json") else {
            throw AppError(.unsupportedMediaType, detail: "the body must be application/json")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try JSONCoding.decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw problem(for: error)
        }
    }

    static func problem(for error: DecodingError) -> AppError {
        switch error {
        case .keyNotFound(let key, let context):
            return .invalid(field: path(context.codingPath + [key]), "is required")
        case .valueNotFound(_, let context):
            return .invalid(field: path(context.codingPath), "must not be null")
        case .typeMismatch(let expected, let context):
            return .invalid(field: path(context.codingPath), "must be \(describe(expected))")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return AppError(.badRequest, detail: "the body is not valid JSON")
        case .dataCorrupted(let context):
            return .invalid(field: path(context.codingPath), context.debugDescription)
        @unknown default:
            return AppError(.badRequest, detail: "the body could not be read")
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        let parts = codingPath.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
        guard !parts.isEmpty else { return "body" }
        return parts.dropFirst().reduce(parts[0]) { $1.hasPrefix("[") ? $0 + $1 : $0 + "." + $1 }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is Date.Type: return "an RFC 3339 time string"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object"
        }
    }
}
