import Foundation

/// What can go wrong with a command, in the domain's words. The HTTP layer maps each case to one status.
public enum IndgangError: Error, Equatable, Sendable {
    /// Well-formed but invalid input (422), naming each field.
    case invalid([FieldIssue])
    /// Unknown, or not visible to the caller (404): never reveal that it exists.
    case notFound(String)
    /// Visible, but the caller's actor may not do this (403).
    case forbidden(String)
    /// The current state does not allow it (409); `existingCaseID` names the case a duplicate collides with.
    case conflict(String, existingCaseID: UUID? = nil)
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
