import Crypto
import Foundation
import Hummingbird
import IndgangCore
import IndgangStore

/// Resolves `Authorization: Bearer <key>` to a principal on every `/v1` route; a missing, unknown or
/// revoked key is 401. Keys are looked up by hash, in `PrincipalCache` first, which every change to keys or
/// actors empties, so a revoked key stops working at once.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let resolver: PrincipalResolver
    let bootstrapAdminKeyHash: Data?

    init(resolver: PrincipalResolver, bootstrapAdminKey: String?) {
        self.resolver = resolver
        self.bootstrapAdminKeyHash = bootstrapAdminKey.map(APIKeyMaterial.hash)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { throw AppError.unauthorized }
        let key = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, key.count <= 256 else { throw AppError.unauthorized }
        let hash = APIKeyMaterial.hash(key)
        var context = context
        let principal: Principal
        if let bootstrapAdminKeyHash, Self.constantTimeEqual(hash, bootstrapAdminKeyHash) {
            principal = .bootstrapAdmin
        } else if APIKeyMaterial.isWellFormed(key), let found = try await resolver.principal(forKeyHash: hash) {
            principal = found
            context.keyHash = hash
        } else {
            throw AppError.unauthorized
        }
        context.principal = principal
        context.logger[metadataKey: "role"] = "\(principal.role.rawValue)"
        if let actor = principal.actorSlug { context.logger[metadataKey: "actor"] = "\(actor)" }
        return try await next(request, context)
    }

    static func constantTimeEqual(_ lhs: Data, _ rhs: Data) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
