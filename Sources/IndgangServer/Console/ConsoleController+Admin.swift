import Foundation
import Hummingbird
import IndgangConsole
import IndgangCore
import IndgangStore

/// The admin's page: actors, keys (a new key shown once, in the answer to its POST), webhook subscriptions with
/// their recent deliveries and redelivery, and "who looked at this citizen" found by CPR (posted, audited).
extension ConsoleController {
    func addAdminRoutes(to console: RouterGroup<AppRequestContext>) {
        console.get("admin", use: adminPage)
        console.post("admin/actors", use: createActor)
        console.post("admin/keys", use: createKey)
        console.post("admin/keys/{id}/revoke", use: revokeKey)
        console.post("admin/deliveries/{id}/redeliver", use: redeliver)
        console.post("admin/audit", use: auditSearch)
    }

    func adminPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try access(request, context, .admin)
        return try page(try await adminModel(context, access: access))
    }

    func adminModel(
        _ context: AppRequestContext, access: AccessContext, flash: Flash? = nil, createdKey: CreatedKey? = nil, audit: AuditLookup? = nil
    ) async throws -> AdminPage {
        var pageContext = try await pageContext(context, access: access)
        if let flash { pageContext.flash = flash }
        let actorList = try await actors.list().map {
            AdminActor(slug: $0.slug, name: $0.name, kind: $0.kind.rawValue, municipalityCode: $0.municipalityCode)
        }
        let keys = try await actors.keys(actorSlug: nil, id: nil).filter { $0.revokedAt == nil }.map {
            AdminKey(id: $0.id.wire, actor: $0.actorSlug, role: $0.role, label: $0.label, createdAt: $0.createdAt, lastUsedAt: $0.lastUsedAt)
        }
        var subscriptionViews: [AdminSubscription] = []
        for subscription in try await subscriptions.list(actorSlug: nil, access: access) {
            let deliveries = try await subscriptions.deliveries(subscriptionID: subscription.id, status: nil, cursor: nil, limit: 10, access: access)
            subscriptionViews.append(
                AdminSubscription(
                    id: subscription.id.wire, actor: subscription.actor, url: subscription.url, kinds: subscription.kinds, active: subscription.active,
                    createdAt: subscription.createdAt,
                    deliveries: deliveries.map {
                        AdminDelivery(
                            id: $0.id.wire, kind: $0.kind, status: $0.status, attempts: $0.attempts, lastStatusCode: $0.lastStatusCode,
                            lastError: $0.lastError, createdAt: $0.createdAt, deliveredAt: $0.deliveredAt, nextAttemptAt: $0.nextAttemptAt)
                    }))
        }
        return AdminPage(
            context: pageContext, actors: actorList, keys: keys, subscriptions: subscriptionViews, createdKey: createdKey, audit: audit)
    }

    func createActor(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(request, context, roles: [.admin], back: "/console/admin", formID: "create-actor") { form, _ in
            var validation = Validation()
            let slug = validation.text(form["slug"], field: "slug", required: true, maxLength: 63)
            if let slug, !ActorSlug.isValid(slug) { validation.fail("slug", "must be 2–63 lower-case letters, digits or hyphens") }
            let name = validation.text(form["name"], field: "name", required: true, maxLength: 200)
            let kind: ActorKind? = validation.oneOf(form["kind"], field: "kind")
            let code = form["municipality_code"]
            if let code, !MunicipalityCode.isValid(code) {
                validation.fail("municipality_code", "must be three digits")
            } else if kind == .municipality, code == nil {
                validation.fail("municipality_code", "is required for a municipality")
            }
            try validation.check()
            _ = try await actors.create(NewActor(slug: slug!, name: name!, kind: kind!, municipalityCode: kind == .municipality ? code : nil))
            return ("/console/admin", .status("Aktøren \(name!) er oprettet."))
        }
    }

    /// The new key is shown in this answer only (never stored in the session, never in a URL).
    func createKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try access(request, context, .admin)
        let form = try await ConsoleForm.read(request, context: context)
        var validation = Validation()
        let actor = validation.text(form["actor"], field: "actor", required: true, maxLength: 63)
        let role: Role? = validation.oneOf(form["role"], field: "role")
        let label = validation.text(form["label"], field: "label", required: false, maxLength: 200)
        do {
            try validation.check()
            let issued = try await actors.issueKey(actorSlug: actor!, role: role!, label: label, eventTypes: nil)
            let created = CreatedKey(id: issued.id.wire, key: issued.key, role: issued.role, actor: issued.actorSlug)
            return try page(try await adminModel(context, access: access, flash: .status("Nøglen er oprettet. Den vises kun denne ene gang."), createdKey: created))
        } catch {
            let problem = ProblemMiddleware<AppRequestContext>.problem(for: error, context: context)
            guard (400..<500).contains(problem.status.code) else { throw error }
            let issue = problem.errors.first ?? FieldIssue(field: "actor", message: problem.detail)
            return try page(
                try await adminModel(context, access: access, flash: .problem(FormProblem(field: issue.field, message: ConsoleMessages.danish(issue.message), form: "create-key"))),
                status: problem.status)
        }
    }

    func revokeKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await act(request, context, roles: [.admin], back: "/console/admin") { _, _ in
            guard try await actors.revokeKey(id: id) != nil else { throw IndgangError.notFound("no such key") }
            // At once on this replica; the others hear it through the key-change notification.
            resolver.cache.invalidate()
            return ("/console/admin", .status("Nøglen er tilbagekaldt. Dens sessioner er afsluttet."))
        }
    }

    func redeliver(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await act(request, context, roles: [.admin], back: "/console/admin") { _, access in
            guard try await subscriptions.redeliver(id: id, access: access) else { throw IndgangError.notFound("no such delivery") }
            return ("/console/admin", .status("Leveringen er sat i kø igen."))
        }
    }

    /// Who looked at a citizen, found by the CPR posted (never an internal id); the search itself is audited.
    func auditSearch(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try access(request, context, .admin)
        let form = try await ConsoleForm.read(request, context: context)
        let cpr: CPR
        do {
            cpr = try CPRField.parse(form["cpr"])
        } catch let error as AppError {
            let flash = Flash.problem(FormProblem(field: "cpr", message: ConsoleMessages.danish(error.errors.first?.message ?? error.detail), form: "audit"))
            return try page(try await adminModel(context, access: access, flash: flash), status: .unprocessableContent)
        }
        let lookup: AuditLookup
        if let found = try await audit.search(cpr: cpr, cursor: nil, limit: 200, access: access) {
            lookup = .found(
                found.page.items.map {
                    AuditRecord(at: $0.at, actor: $0.actor, role: $0.role, action: $0.action, purpose: $0.purpose, caseID: $0.caseID?.wire)
                })
        } else {
            lookup = .notFound
        }
        return try page(try await adminModel(context, access: access, audit: lookup))
    }
}
