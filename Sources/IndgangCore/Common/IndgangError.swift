import Foundation

/// What can go wrong with a command, in the domain's words. The HTTP layer maps each case to one status.
public enum IndgangError: Error, Equatable, Sendable {
    /// Well-formed but invalid input (422), naming each field.
    case invalid([FieldIssue])
    /// Unknown, or not visible to the caller (404): never reveal that it exists.
    case notFound(String)
    /// Visible, but the caller's actor may not do this (403).
    case forbidden(String)
    /// An integration posted an event its key may not (403, problem type `…:event-not-granted`), naming the field.
    case eventNotGranted(FieldIssue)
    /// The current state does not allow it (409).
    case conflict(String)
    /// The citizen already has an open case on the pathway (409): its id when the caller may see it, otherwise
    /// only that its holder was asked to make contact.
    case duplicateCase(String, visibleCaseID: UUID?)
    /// `If-Match` names an older version (412).
    case preconditionFailed(String)
    /// `If-Match` is required but missing (428).
    case preconditionRequired(String)

    public static func invalid(field: String, _ message: String) -> IndgangError {
        .invalid([FieldIssue(field: field, message: message)])
    }
}

/// One problem with one input field, as it appears in a problem document's `errors`.
public struct FieldIssue: Sendable, Equatable, Codable {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}
