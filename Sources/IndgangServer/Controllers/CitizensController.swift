import Foundation
import Hummingbird
import IndgangCore
import IndgangStore

/// `/v1/citizens/search`: find a citizen by CPR. The CPR travels in the body, never in a URL.
struct CitizensController {
    let cases: any CaseRepository

    struct SearchRequest: Decodable {
        let cpr: String?
    }

    struct SearchResponse: ResponseEncodable {
        let citizen_id: String
        let cases: [CaseDTO]
    }

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("citizens/search", use: search)
        return routes
    }

    func search(_ request: Request, context: AppRequestContext) async throws -> SearchResponse {
        let access = try context.authorize(request, .caseworker)
        let body = try await request.decode(as: SearchRequest.self, context: context)
        let cpr = try CPRField.parse(body.cpr)
        guard let found = try await cases.searchCitizen(cpr: cpr, access: access) else {
            throw AppError(.notFound, detail: "no citizen with a case visible to your actor has that CPR number")
        }
        return SearchResponse(citizen_id: found.citizenID.wire, cases: found.cases.map(CaseDTO.init))
    }
}

/// The `cpr` body field: required, and valid per `CPR(parsing:)`; the message never repeats the value.
enum CPRField {
    static func parse(_ value: String?) throws -> CPR {
        guard let value else { throw AppError.invalid(field: "cpr", "is required") }
        do {
            return try CPR(parsing: value)
        } catch {
            throw AppError.invalid(field: "cpr", error.message)
        }
    }
}
