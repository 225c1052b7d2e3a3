import Foundation
import Hummingbird
import IndgangCore
import IndgangStore

/// `/v1/actors` and `/v1/keys`: organisation units and their API keys (admin), and the actor directory (any role).
struct ActorsController {
    let actors: any ActorRepository
    /// Emptied on revocation here and now, so this replica does not wait for the change notification.
    let principals: PrincipalCache

    struct CreateActorRequest: Decodable {
        let slug: String?
        let name: String?
        let kind: String?
        let municipality_code: String?
    }

    struct CreateKeyRequest: Decodable {
        let role: String?
        let label: String?
    }

    struct IssuedKeyResponse: ResponseEncodable {
        let id: String
        let key: String
        let role: String
        let actor: String
        let label: String?
    }

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("actors", use: create)
        routes.get("actors", use: list)
        routes.post("actors/{slug}/keys", use: issueKey)
        routes.delete("keys/{id}", use: revokeKey)
        return routes
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<ActorDTO> {
        _ = try context.authorize(request, .admin)
        let body = try await request.decode(as: CreateActorRequest.self, context: context)
        var validation = Validation()
        let slug = validation.text(body.slug, field: "slug", required: true, maxLength: 63)
        if let slug, !ActorSlug.isValid(slug) {
            validation.fail("slug", "must be 2–63 lower-case letters, digits or hyphens, not starting with a hyphen")
        }
        let name = validation.text(body.name, field: "name", required: true, maxLength: 200)
        let kind: ActorKind? = validation.oneOf(body.kind, field: "kind")
        let code = body.municipality_code
        if let code, !MunicipalityCode.isValid(code) {
            validation.fail("municipality_code", "must be three digits, e.g. \"101\"")
        } else if kind == .municipality, code == nil {
            validation.fail("municipality_code", "is required for a municipality")
        }
        try validation.check()
        let actor = try await actors.create(NewActor(slug: slug!, name: name!, kind: kind!, municipalityCode: code))
        context.logger.info("actor created", metadata: ["actor_slug": "\(actor.slug)"])
        return EditedResponse(status: .created, headers: [.location: "/v1/actors/\(actor.slug)"], response: ActorDTO(actor))
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> ListDTO<ActorDTO> {
        _ = try context.authorize(request, .caseworker, .coordinator, .integration, .admin)
        return ListDTO(items: try await actors.list().map(ActorDTO.init))
    }

    func issueKey(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<IssuedKeyResponse> {
        _ = try context.authorize(request, .admin)
        let slug = try context.parameters.require("slug")
        let body = try await request.decode(as: CreateKeyRequest.self, context: context)
        var validation = Validation()
        let role: Role? = validation.oneOf(body.role, field: "role")
        let label = validation.text(body.label, field: "label", required: false, maxLength: 200)
        try validation.check()
        let issued = try await actors.issueKey(actorSlug: slug, role: role!, label: label)
        context.logger.info("api key issued", metadata: ["key_id": "\(issued.id)", "actor_slug": "\(slug)", "key_role": "\(issued.role.rawValue)"])
        return EditedResponse(
            status: .created,
            response: IssuedKeyResponse(id: issued.id.wire, key: issued.key, role: issued.role.rawValue, actor: issued.actorSlug, label: issued.label))
    }

    func revokeKey(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        _ = try context.authorize(request, .admin)
        let id = try context.parameters.uuid("id")
        guard try await actors.revokeKey(id: id) else { throw AppError(.notFound, detail: "no such key") }
        principals.invalidate()
        context.logger.info("api key revoked", metadata: ["key_id": "\(id)"])
        return .noContent
    }
}
