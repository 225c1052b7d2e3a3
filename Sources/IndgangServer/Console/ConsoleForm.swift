import Foundation
import Hummingbird
import IndgangCore

/// A posted console form (`application/x-www-form-urlencoded`), read only after its CSRF token is checked
/// against the session's (or, for the login form, the pre-session's): a form without the right token changes
/// nothing (403).
struct ConsoleForm: Sendable {
    let fields: [String: String]

    /// Console forms are small; a larger body is refused (413).
    static let maxSize = 64 * 1024

    static func read(_ request: Request, context: AppRequestContext) async throws -> ConsoleForm {
        let contentType = request.headers[.contentType].flatMap(MediaType.init(from:))
        guard contentType?.type == .application, contentType?.subType == "x-www-form-urlencoded" else {
            throw AppError(.unsupportedMediaType, detail: "a console form is application/x-www-form-urlencoded")
        }
        let body = try await request.body.collect(upTo: maxSize)
        let text = String(buffer: body)
        let fields: [String: String]
        do {
            fields = try URLEncodedFormDecoder().decode([String: String].self, from: text)
        } catch {
            throw AppError(.badRequest, detail: "the form could not be read")
        }
        guard let expected = context.console?.csrfToken, !expected.isEmpty, let sent = fields["csrf_token"],
            AuthMiddleware.constantTimeEqual(Data(sent.utf8), Data(expected.utf8))
        else {
            throw AppError(.forbidden, detail: "the form's csrf_token is missing or does not belong to this session; reload the page and try again")
        }
        return ConsoleForm(fields: fields)
    }

    /// A trimmed text field, or nil when absent or blank.
    subscript(_ name: String) -> String? {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}
