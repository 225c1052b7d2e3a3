import Foundation
import Hummingbird
import IndgangCore

/// `GET /v1/pathways` and `GET /v1/pathways/{id}` (any role): every base pathway and every version of every
/// local variant, who runs or adopted it, its goals, and for one its rules, source text and what it changes.
/// No personal data: this is the rule files, as loaded.
struct PathwaysController {
    let catalog: PathwayCatalog

    struct ListDTO: ResponseEncodable {
        let items: [PathwayDTO]
        /// SHA-256 of the rule files this replica decides by (as `/readyz` shows).
        let rule_set_digest: String
    }

    struct DetailDTO: ResponseEncodable {
        let pathway: PathwayDTO
        let rule_set_digest: String

        func encode(to encoder: any Encoder) throws {
            try pathway.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(rule_set_digest, forKey: .digest)
        }

        enum Key: String, CodingKey { case digest = "rule_set_digest" }
    }

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("pathways", use: list)
        routes.get("pathways/:id", use: detail)
        return routes
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> ListDTO {
        _ = try context.authorize(request, .caseworker, .coordinator, .integration, .admin)
        let ruleSet = catalog.ruleSet
        let items = ruleSet.bases.map { PathwayDTO(base: $0, ruleSet: ruleSet) } + ruleSet.variants.map { PathwayDTO(variant: $0, ruleSet: ruleSet) }
        return ListDTO(items: items, rule_set_digest: catalog.digest)
    }

    func detail(_ request: Request, context: AppRequestContext) async throws -> DetailDTO {
        _ = try context.authorize(request, .caseworker, .coordinator, .integration, .admin)
        let id = try context.parameters.require("id")
        let ruleSet = catalog.ruleSet
        var requestedVersion: Int?
        if let text = request.queryValue("version") {
            guard let number = Int(text), number >= 1 else { throw AppError.invalid(field: "version", "must be a whole number from 1") }
            requestedVersion = number
        }
        if let base = catalog.definition(id) {
            if requestedVersion != nil { throw AppError.invalid(field: "version", "\(id) is a base pathway: it has no versions") }
            var dto = PathwayDTO(base: base, ruleSet: ruleSet)
            dto.definition = PathwayDefinitionDTO(base)
            dto.source = catalog.sources[base.id]
            return DetailDTO(pathway: dto, rule_set_digest: catalog.digest)
        }
        let versions = ruleSet.variants.filter { $0.id == id }.sorted { $0.version < $1.version }
        guard let latest = versions.last else { throw AppError(.notFound, detail: "no such pathway or variant") }
        var chosen = latest
        if let number = requestedVersion {
            guard let found = versions.first(where: { $0.version == number }) else {
                throw AppError.invalid(field: "version", "must be one of \(versions.map { String($0.version) }.joined(separator: ", "))")
            }
            chosen = found
        }
        var dto = PathwayDTO(variant: chosen, ruleSet: ruleSet)
        dto.versions = versions.map { PathwayDTO.VersionDTO(version: $0.version, valid_from: $0.validFrom.description, municipalities: $0.municipalities) }
        if let (_, rules) = ruleSet.resolution(of: chosen.reference), let governing = ruleSet.governing(rules: rules) {
            dto.definition = PathwayDefinitionDTO(governing.definition)
        }
        dto.source = catalog.sources[chosen.reference.description]
        dto.overrides = PathwayDTO.overrides(of: chosen, ruleSet: ruleSet)
        return DetailDTO(pathway: dto, rule_set_digest: catalog.digest)
    }
}
