import Foundation
import IndgangCore

/// A freshly created API key: the only moment its plain text exists outside the client.
public struct IssuedKey: Sendable {
    public let id: UUID
    public let key: String
    public let role: Role
    public let actorSlug: String
    public let label: String?
}
