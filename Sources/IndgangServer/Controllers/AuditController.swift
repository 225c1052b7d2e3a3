import Foundation
import Hummingbird
import IndgangCore
import IndgangStore

/// `/v1/audit`: who read or changed a citizen's data (admin).
struct AuditController {
    let audit: any AuditRepository

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("audit", use: list)
        return routes
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> ListDTO<AuditEntryDTO> {
        _ = try context.authorize(request, .admin)
        guard let text = request.queryValue("citizen_id") else { throw AppError.invalid(field: "citizen_id", "is required") }
        guard let citizenID = UUID(uuidString: text) else { throw AppError.invalid(field: "citizen_id", "must be a UUID") }
        let page = try await audit.entries(
            citizenID: citizenID, cursor: try Cursor.decodeInt(request.queryValue("cursor")), limit: try request.pageLimit())
        return ListDTO(page, transform: AuditEntryDTO.init)
    }
}
