import Foundation
import HTTPTypes
import Hummingbird
import IndgangCore

/// The per-request context: Hummingbird's core storage plus the authenticated principal.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` on every `/v1` route.
    public var principal: Principal?
    /// The hash of the request's API key (not for the bootstrap admin key): lets a live stream re-check it.
    var keyHash: Data?
    /// The console session of a `/console` request (set by `ConsoleMiddleware`).
    var console: ConsoleState?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
        self.keyHash = nil
        self.console = nil
    }

    /// API.md: bodies over 1 MiB are refused with 413 (the NDJSON batch route raises its own limit).
    public var maxUploadSize: Int { 1 << 20 }
    public var requestDecoder: StrictJSONDecoder { StrictJSONDecoder() }
    public var responseEncoder: JSONEncoder { JSONCoding.encoder }

    /// Checks the caller's role (403 otherwise) and returns what the audit log records about the request.
    /// Called first in every handler, so a wrong role is 403 even when the body is also bad.
    public func authorize(_ request: Request, _ roles: Role...) throws -> AccessContext {
        guard let principal else { throw AppError.unauthorized }
        guard roles.contains(principal.role) else {
            throw AppError(.forbidden, detail: "this route needs the role \(roles.map(\.rawValue).joined(separator: " or ")); the key has \(principal.role.rawValue)")
        }
        return AccessContext(principal: principal, purpose: Self.purpose(from: request), requestID: id)
    }

    /// `X-Purpose`, trimmed to printable ASCII and 200 characters, because it is stored verbatim.
    static func purpose(from request: Request) -> String? {
        guard let header = request.headers[.xPurpose] else { return nil }
        let printable = header.unicodeScalars.filter { scalar in scalar.value >= 0x20 && scalar.value < 0x7F }
        let cleaned = String(String.UnicodeScalarView(printable.prefix(200))).trimmingCharacters(in: .whitespaces)
        return cleaned.isEmpty ? nil : cleaned
    }
}
