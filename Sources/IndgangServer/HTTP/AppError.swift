import Foundation
import Hummingbird
import IndgangCore

/// An error answered as an RFC 9457 `application/problem+json` document.
public struct AppError: Error, HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let detail: String
    public var errors: [FieldIssue] = []
    public var existingCaseID: UUID?
    /// A refused duplicate whose holder the caller may not see: the holder was asked to make contact.
    public var contactRequested: Bool?
    /// Overrides the status's problem type (e.g. `urn:indgang:problem:event-not-granted`).
    public var problemType: String?
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, detail: String, errors: [FieldIssue] = []) {
        self.status = status
        self.detail = detail
        self.errors = errors
    }

    public static let unauthorized: AppError = {
        var error = AppError(.unauthorized, detail: "a valid API key is required: Authorization: Bearer igk_…")
        error.headers[.wwwAuthenticate] = "Bearer"
        return error
    }()

    public static func invalid(field: String, _ message: String) -> AppError {
        AppError(.unprocessableContent, detail: "\(field) \(message)", errors: [FieldIssue(field: field, message: message)])
    }

    /// The HTTP form of a domain error.
    public init(_ error: IndgangError) {
        switch error {
        case .invalid(let issues):
            self.init(.unprocessableContent, detail: issues.map { "\($0.field) \($0.message)" }.joined(separator: "; "), errors: issues)
        case .notFound(let detail): self.init(.notFound, detail: detail)
        case .forbidden(let detail): self.init(.forbidden, detail: detail)
        case .eventNotGranted(let issue):
            self.init(.forbidden, detail: "\(issue.field) \(issue.message)", errors: [issue])
            problemType = "urn:indgang:problem:event-not-granted"
        case .conflict(let detail): self.init(.conflict, detail: detail)
        case .duplicateCase(let detail, let visible):
            self.init(.conflict, detail: detail)
            existingCaseID = visible
            contactRequested = visible == nil ? true : nil
        case .preconditionFailed(let detail): self.init(.preconditionFailed, detail: detail)
        case .preconditionRequired(let detail): self.init(.preconditionRequired, detail: detail)
        }
    }

    /// A stable, absolute problem type per status, so clients can switch on it.
    var type: String {
        if let problemType { return problemType }
        switch status.code {
        case 400: return "urn:indgang:problem:malformed-request"
        case 401: return "urn:indgang:problem:unauthenticated"
        case 403: return "urn:indgang:problem:forbidden"
        case 404: return "urn:indgang:problem:not-found"
        case 405: return "urn:indgang:problem:method-not-allowed"
        case 409: return "urn:indgang:problem:conflict"
        case 412: return "urn:indgang:problem:precondition-failed"
        case 413: return "urn:indgang:problem:payload-too-large"
        case 415: return "urn:indgang:problem:unsupported-media-type"
        case 422: return "urn:indgang:problem:validation"
        case 428: return "urn:indgang:problem:precondition-required"
        case 429: return "urn:indgang:problem:rate-limited"
        default: return status.code >= 500 ? "urn:indgang:problem:internal" : "about:blank"
        }
    }

    struct Document: Encodable, Sendable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let errors: [FieldIssue]?
        let existing_case_id: String?
        let contact_requested: Bool?
        let request_id: String?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response(requestID: context.id)
    }

    func document(requestID: String?) -> Document {
        Document(
            type: type, title: status.reasonPhrase, status: status.code, detail: detail, errors: errors.isEmpty ? nil : errors,
            existing_case_id: existingCaseID?.wire, contact_requested: contactRequested, request_id: requestID)
    }

    func response(requestID: String?) -> Response {
        let document = document(requestID: requestID)
        let body = (try? JSONCoding.encoder.encode(document)) ?? Data()
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
