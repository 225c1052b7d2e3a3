import Foundation
import Hummingbird
import IndgangCore
import IndgangStore

/// `/v1/audit`: who read or changed a citizen's data, and what an actor's keys did (admin).
struct AuditController {
    let audit: any AuditRepository

    struct SearchRequest: Decodable {
        let cpr: String?
    }

    struct SearchResponse: ResponseEncodable {
        let citizen_id: String
        let items: [AuditEntryDTO]
        let next_cursor: String?
    }

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("audit", use: list)
        routes.post("audit/search", use: search)
        return routes
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> ListDTO<AuditEntryDTO> {
        _ = try context.authorize(request, .admin)
        let subject: AuditSubject
        switch (request.queryValue("citizen_id"), try request.querySlug("actor")) {
        case (let text?, nil):
            guard let citizenID = UUID(uuidString: text) else { throw AppError.invalid(field: "citizen_id", "must be a UUID") }
            subject = .citizen(citizenID)
        case (nil, let slug?):
            subject = .actor(slug: slug)
        case (.some, .some): throw AppError.invalid(field: "actor", "give either citizen_id or actor, not both")
        case (nil, nil): throw AppError.invalid(field: "citizen_id", "is required (or actor)")
        }
        let page = try await audit.entries(subject, cursor: try Cursor.decodeInt(request.queryValue("cursor")), limit: try request.pageLimit())
        return ListDTO(page, transform: AuditEntryDTO.init)
    }

    /// "Who looked at this citizen", found by CPR in the body (never in a URL); the search is audited itself.
    func search(_ request: Request, context: AppRequestContext) async throws -> SearchResponse {
        let access = try context.authorize(request, .admin)
        let body = try await request.decode(as: SearchRequest.self, context: context)
        let cpr = try CPRField.parse(body.cpr)
        guard let found = try await audit.search(
            cpr: cpr, cursor: try Cursor.decodeInt(request.queryValue("cursor")), limit: try request.pageLimit(), access: access)
        else { throw AppError(.notFound, detail: "no citizen with that CPR number is known") }
        let list = ListDTO(found.page, transform: AuditEntryDTO.init)
        return SearchResponse(citizen_id: found.citizenID.wire, items: list.items, next_cursor: list.next_cursor)
    }
}
