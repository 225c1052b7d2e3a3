import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import IndgangConsole
import IndgangCore
import IndgangStore

/// Every `/console` request: the security headers (API.md, Web console), the cross-site checks on unsafe
/// requests, and the session cookie resolved to a principal through the same resolver as `/v1` keys — so a
/// revoked key ends its sessions within the resolver's bounded age. `/console` never reads a Bearer key.
struct ConsoleMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let sessions: ConsoleSessionStore
    let resolver: PrincipalResolver
    let bootstrapAdminKeyHash: Data?
    let cookies: ConsoleCookies
    let renderer: ConsoleRenderer

    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
        .xContentTypeOptions: "nosniff", HTTPField.Name("Referrer-Policy")!: "same-origin", .cacheControl: "no-store",
        HTTPField.Name("X-Frame-Options")!: "DENY",
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var response: Response
        do {
            context = try await resolve(request, context: context)
            response = try await next(request, context)
        } catch {
            // With the session resolved (when it was), so an error page keeps the viewer's navigation and token.
            response = ConsoleResponses.errorPage(error, request: request, context: context, renderer: renderer)
        }
        if let fresh = context.console?.newPresession { response.setCookie(cookies.presession(fresh)) }
        for field in Self.securityHeaders where response.headers[field.name] == nil || field.name == .cacheControl {
            response.headers[field.name] = field.value
        }
        return response
    }

    /// The request's console state: its session (resolved to a principal like a Bearer key) or a pre-session.
    private func resolve(_ request: Request, context: Context) async throws -> Context {
        if request.method != .get && request.method != .head, let refusal = Self.crossSiteRefusal(request) {
            throw AppError(.forbidden, detail: refusal)
        }
        var context = context
        var state = ConsoleState(token: nil, csrfToken: "", flash: nil, newPresession: nil)
        if let token = request.cookies[ConsoleCookies.session]?.value, !token.isEmpty, token.count <= 100,
            let session = try await sessions.resume(token: token, takeFlash: Self.showsFlash(request))
        {
            if let bootstrapAdminKeyHash, AuthMiddleware.constantTimeEqual(session.keyHash, bootstrapAdminKeyHash) {
                context.principal = .bootstrapAdmin
            } else if let principal = try await resolver.principal(forKeyHash: session.keyHash), principal.role != .integration {
                context.principal = principal
                context.keyHash = session.keyHash
            }
            if context.principal != nil {
                state.token = token
                state.csrfToken = session.csrfToken
                state.flash = session.flash.flatMap { try? JSONDecoder().decode(StoredFlash.self, from: Data($0.utf8)).flash }
            } else {
                // The key was revoked: the session ends now.
                try await sessions.end(token: token)
            }
        }
        if state.token == nil {
            let presession = request.cookies[ConsoleCookies.presession]?.value ?? ""
            if cookies.isPresession(presession) {
                state.csrfToken = cookies.csrfToken(forPresession: presession)
            } else {
                let fresh = APIKeyMaterial.randomToken()
                state.newPresession = fresh
                state.csrfToken = cookies.csrfToken(forPresession: fresh)
            }
        }
        context.console = state
        if let actor = context.principal?.actorSlug { context.logger[metadataKey: "actor"] = "\(actor)" }
        return context
    }

    /// Only a page takes the flash: not an asset, the live stream or a fragment the script fetches, which could
    /// otherwise swallow a result before the page that shows it is loaded.
    static func showsFlash(_ request: Request) -> Bool {
        let path = request.uri.path
        return request.method == .get && !path.hasPrefix("/console/assets/") && path != "/console/stream"
            && request.uri.queryParameters.get("fragment") == nil
    }

    /// API.md: an unsafe request that a browser marks as coming from elsewhere is refused before anything else.
    static func crossSiteRefusal(_ request: Request) -> String? {
        if let site = request.headers[.secFetchSite], site != "same-origin" {
            return "the request comes from another site (Sec-Fetch-Site: \(site))"
        }
        if let origin = request.headers[.origin], origin != "null" {
            let host = URL(string: origin)?.host.map { host in URL(string: origin)?.port.map { "\(host):\($0)" } ?? host }
            guard let host, host == request.head.authority else { return "the request comes from another origin" }
        } else if request.headers[.origin] == "null" {
            return "the request comes from an opaque origin"
        }
        return nil
    }
}

/// The console's cookies: the session (after login) and the pre-session that binds the login form's CSRF token.
struct ConsoleCookies: Sendable {
    static let session = "indgang_session"
    static let presession = "indgang_presession"
    /// Derived from the data key, so every replica computes the same login-form tokens.
    let presessionKey: Data
    let secure: Bool

    init(dataKey: Data, secure: Bool) {
        presessionKey = DataKey.derive(dataKey, purpose: "indgang console presession v1")
        self.secure = secure
    }

    /// A value this server could have made (43 base64url characters: 32 random bytes).
    func isPresession(_ value: String) -> Bool {
        value.utf8.count == 43 && value.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }

    func csrfToken(forPresession value: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: SymmetricKey(data: presessionKey))).base64URLEncoded
    }

    func presession(_ value: String) -> Cookie {
        Cookie(name: Self.presession, value: value, path: "/console", secure: secure, httpOnly: true, sameSite: .strict)
    }

    func session(_ token: String) -> Cookie {
        Cookie(name: Self.session, value: token, path: "/console", secure: secure, httpOnly: true, sameSite: .strict)
    }

    func expired(_ name: String) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/console", secure: secure, httpOnly: true, sameSite: .strict)
    }
}
