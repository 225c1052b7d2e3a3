import Foundation
import Hummingbird
import IndgangConsole
import IndgangCore
import IndgangStore

/// `/console`: the web console (API.md, Web console). Pages are rendered from view models by `ConsoleRenderer`;
/// every read and write goes through the same repositories as `/v1`, with the same roles, visibility and audit.
/// Every action is a plain form POST answered with `303` to a page that shows the result (POST/redirect/GET).
struct ConsoleController {
    let renderer: ConsoleRenderer
    let sessions: ConsoleSessionStore
    let resolver: PrincipalResolver
    let bootstrapAdminKeyHash: Data?
    let cookies: ConsoleCookies
    let actors: any ActorRepository
    let cases: any CaseRepository
    let handoffs: any HandoffRepository
    let notifications: any NotificationRepository
    let pathways: PathwayCatalog
    let stream: NotificationStream
    let outcomes: OutcomesController
    let subscriptions: any SubscriptionRepository
    let audit: any AuditRepository

    func addRoutes(to router: Router<AppRequestContext>) {
        let console = router.group("console").add(
            middleware: ConsoleMiddleware(
                sessions: sessions, resolver: resolver, bootstrapAdminKeyHash: bootstrapAdminKeyHash, cookies: cookies, renderer: renderer))
        console.get("", use: home)
        console.get("login", use: loginPage)
        console.post("login", use: login)
        console.post("logout", use: logout)
        console.get("assets/{name}", use: asset)
        // The live stream ends with the session (logout, idle, too old), not only with the key.
        console.get("stream") { [stream, sessions] request, context in
            let token = context.console?.token ?? ""
            return try await stream.stream(request, context: context, alsoWhile: { try await sessions.isLive(token: token) })
        }
        addCaseworkerRoutes(to: console)
        addCaseRoutes(to: console)
        addOutcomeRoutes(to: console)
        addAdminRoutes(to: console)
        // Anything else under /console is a page that does not exist: answered as HTML with the console's headers.
        console.get("**") { _, _ -> Response in throw AppError(.notFound, detail: "no such page") }
        console.post("**") { _, _ -> Response in throw AppError(.notFound, detail: "no such page") }
    }

    // MARK: - Session

    func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        ConsoleResponses.seeOther(LayoutModel.home(for: context.principal?.role))
    }

    func loginPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.principal != nil { return ConsoleResponses.seeOther(LayoutModel.home(for: context.principal?.role)) }
        return try page(LoginPage(context: PageContext(csrfToken: context.console?.csrfToken ?? "", flash: context.console?.flash)))
    }

    /// The personal API key, checked like a Bearer key; a fresh session at every login.
    func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await ConsoleForm.read(request, context: context)
        let refused = { (message: String) throws -> Response in
            let flash = Flash.problem(FormProblem(field: "api_key", message: message, form: "login"))
            return try page(LoginPage(context: PageContext(csrfToken: context.console?.csrfToken ?? "", flash: flash)), status: .unauthorized)
        }
        guard let key = form["api_key"], key.count <= 256 else { return try refused("Skriv din personlige API-nøgle.") }
        let hash = APIKeyMaterial.hash(key)
        let role: Role?
        if let bootstrapAdminKeyHash, AuthMiddleware.constantTimeEqual(hash, bootstrapAdminKeyHash) {
            role = .admin
        } else if APIKeyMaterial.isWellFormed(key) {
            role = try await resolver.principal(forKeyHash: hash)?.role
        } else {
            role = nil
        }
        guard let role else { return try refused("Nøglen er ukendt eller tilbagekaldt.") }
        guard role != .integration else { return try refused("En integrationsnøgle kan ikke logge ind i konsollen.") }
        let created = try await sessions.create(keyHash: hash)
        context.logger.info("console login", metadata: ["role": "\(role.rawValue)"])
        var response = ConsoleResponses.seeOther(LayoutModel.home(for: role))
        response.setCookie(cookies.session(created.token))
        response.setCookie(cookies.expired(ConsoleCookies.presession))
        return response
    }

    func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await ConsoleForm.read(request, context: context)
        if let token = context.console?.token { try await sessions.end(token: token) }
        var response = ConsoleResponses.seeOther("/console/login")
        response.setCookie(cookies.expired(ConsoleCookies.session))
        return response
    }

    func asset(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let name = context.parameters.get("name"), let file = ConsoleAssets.file(named: name) else {
            throw AppError(.notFound, detail: "no such asset")
        }
        return Response(
            status: .ok, headers: [.contentType: file.contentType, .cacheControl: "no-cache"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: file.data)))
    }

    // MARK: - Shared

    /// The page's context: the viewer (with the actor's name), the unread count a caseworker's badge shows, the
    /// flash and the CSRF token.
    /// The header every page shows; `unread` when the caller has read it already (alongside its own reads).
    func pageContext(_ context: AppRequestContext, access: AccessContext, directory: [String: ActorRef]? = nil, unread known: Int? = nil) async throws
        -> PageContext
    {
        let principal = access.principal
        var names = directory ?? [:]
        if directory == nil { names = try await actorDirectory() }
        let viewer = Viewer(
            actorSlug: principal.actorSlug ?? "", actorName: principal.actorSlug.flatMap { names[$0]?.name } ?? "Systemadministrator",
            role: principal.role)
        var unread = known ?? 0
        if known == nil, principal.role == .caseworker {
            unread = try await notifications.unreadCount(limit: 100, access: access)
        }
        return PageContext(csrfToken: context.console?.csrfToken ?? "", viewer: viewer, unreadCount: unread, flash: context.console?.flash)
    }

    func actorDirectory() async throws -> [String: ActorRef] {
        Dictionary(uniqueKeysWithValues: try await actors.list().map { ($0.slug, ActorRef(slug: $0.slug, name: $0.name)) })
    }

    func pathwayChoices() -> [Choice] {
        pathways.definitions.map { Choice(value: $0.id, label: $0.title) }
    }

    func pathwayTitle(_ id: String?) -> String {
        guard let id else { return "" }
        return pathways.definitions.first { $0.id == id }?.title ?? id
    }

    func page(_ model: some ConsolePage, status: HTTPResponse.Status = .ok) throws -> Response {
        ConsoleResponses.html(try renderer.render(model), status: status)
    }

    func access(_ request: Request, _ context: AppRequestContext, _ roles: Role...) throws -> AccessContext {
        guard let principal = context.principal else { throw AppError.unauthorized }
        guard roles.contains(principal.role) else { throw AppError(.forbidden, detail: "not for this role") }
        return AccessContext(principal: principal, purpose: "console", requestID: context.id)
    }

    /// Runs a form action for `roles`: `303` to where it says, with its flash; a refusal (4xx) goes back to `back`
    /// with the problem named on the field of form `formID`.
    func act(
        _ request: Request, _ context: AppRequestContext, roles: [Role], back: String, formID: String? = nil,
        _ action: (ConsoleForm, AccessContext) async throws -> (location: String, flash: Flash)
    ) async throws -> Response {
        guard let principal = context.principal else { throw AppError.unauthorized }
        guard roles.contains(principal.role) else { throw AppError(.forbidden, detail: "not for this role") }
        let access = AccessContext(principal: principal, purpose: "console", requestID: context.id)
        let form = try await ConsoleForm.read(request, context: context)
        let location: String
        let flash: Flash
        do {
            (location, flash) = try await action(form, access)
        } catch {
            let problem = ProblemMiddleware<AppRequestContext>.problem(for: error, context: context)
            guard (400..<500).contains(problem.status.code), problem.status != .unauthorized else { throw error }
            location = back
            if let issue = problem.errors.first {
                flash = .problem(FormProblem(field: issue.field, message: ConsoleMessages.danish(issue.message), form: formID))
            } else {
                flash = .alert(ConsoleResponses.message(for: problem).1)
            }
        }
        if let token = context.console?.token {
            try await sessions.setFlash(token: token, String(decoding: try JSONEncoder().encode(StoredFlash(flash)), as: UTF8.self))
        }
        return ConsoleResponses.seeOther(location)
    }

    /// The page a form was posted from, when it is one of the console's own (else `fallback`).
    static func referringPage(_ request: Request, fallback: String) -> String {
        guard let referer = request.headers[.referer], let url = URL(string: referer), url.path.hasPrefix("/console/"),
            url.host == nil || url.host.map({ host in request.head.authority?.hasPrefix(host) == true }) == true
        else { return fallback }
        return url.path + (url.query.map { "?" + $0 } ?? "")
    }
}
