import Foundation
import Hummingbird
import IndgangCore
import IndgangStore

/// `/v1/cases`: one case per citizen and pathway, its timeline, closing it, and requesting a warm handoff.
struct CasesController {
    let cases: any CaseRepository
    let handoffs: any HandoffRepository
    let pathways: PathwayCatalog

    struct OpenCaseRequest: Decodable {
        let cpr: String?
        let pathway: String?
        let summary: String?
        let external_ref: String?
    }

    struct UpdateCaseRequest: Decodable {
        let summary: String?
    }

    struct CloseCaseRequest: Decodable {
        let outcome: String?
        let note: String?
    }

    struct RequestHandoffRequest: Decodable {
        let to_actor: String?
        let reason: String?
        let due_at: Date?
    }

    struct NoteRequest: Decodable {
        let text: String?
    }

    struct CitizenResponse: ResponseEncodable {
        let citizen_id: String
        let cpr: String
    }

    static let maxSummaryLength = 10_000

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("cases", use: open)
        routes.get("cases", use: list)
        routes.get("cases/{id}", use: get)
        routes.patch("cases/{id}", use: update)
        routes.get("cases/{id}/timeline", use: timeline)
        routes.post("cases/{id}/close", use: close)
        routes.post("cases/{id}/handoffs", use: requestHandoff)
        routes.get("cases/{id}/citizen", use: revealCitizen)
        routes.post("cases/{id}/notes", use: addNote)
        return routes
    }

    func open(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try context.authorize(request, .caseworker)
        let body = try await request.decode(as: OpenCaseRequest.self, context: context)
        var validation = Validation()
        var cpr: CPR?
        do { cpr = try CPRField.parse(body.cpr) } catch let error as AppError { error.errors.forEach { validation.fail($0.field, $0.message) } }
        let pathway = validation.pathway(body.pathway, in: pathways)
        let summary = validation.text(body.summary, field: "summary", required: false, maxLength: Self.maxSummaryLength) ?? ""
        let externalRef = validation.text(body.external_ref, field: "external_ref", required: false, maxLength: 200)
        try validation.check()
        let record = try await cases.open(OpenCaseCommand(cpr: cpr!, pathway: pathway!, summary: summary, externalRef: externalRef), access: access)
        context.logger.info("case opened", metadata: ["case_id": "\(record.id)", "pathway": "\(record.pathway)"])
        return try respond(with: record, status: .created, request: request, context: context, location: true)
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> ListDTO<CaseDTO> {
        let access = try context.authorize(request, .caseworker)
        var query = CaseListQuery(limit: try request.pageLimit())
        query.status = try request.queryEnum("status", as: CaseStatus.self)
        if let pathway = request.queryValue("pathway") {
            var validation = Validation()
            query.pathway = validation.pathway(pathway, in: pathways)
            try validation.check()
        }
        query.cursor = try Cursor.decodeUUID(request.queryValue("cursor"))
        switch request.queryValue("responsible") {
        case nil: break
        case "me": query.responsible = .me
        case let slug?:
            guard ActorSlug.isValid(slug) else { throw AppError.invalid(field: "responsible", "must be me or an actor slug") }
            query.responsible = .actor(slug: slug)
        }
        return ListDTO(try await cases.list(query, access: access), transform: CaseDTO.init)
    }

    func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try context.authorize(request, .caseworker)
        let record = try await cases.get(id: try context.parameters.uuid("id"), access: access)
        return try respond(with: record, status: .ok, request: request, context: context)
    }

    func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try context.authorize(request, .caseworker)
        let id = try context.parameters.uuid("id")
        guard let ifMatch = request.headers[.ifMatch] else {
            throw AppError(.preconditionRequired, detail: "send If-Match with the case's ETag to update it")
        }
        let expectedVersion = try Self.version(fromIfMatch: ifMatch)
        let body = try await request.decode(as: UpdateCaseRequest.self, context: context)
        var validation = Validation()
        if body.summary == nil { validation.fail("summary", "is required") }
        let summary = validation.text(body.summary, field: "summary", required: false, maxLength: Self.maxSummaryLength) ?? ""
        try validation.check()
        let record = try await cases.updateSummary(id: id, summary: summary, expectedVersion: expectedVersion, access: access)
        return try respond(with: record, status: .ok, request: request, context: context)
    }

    func timeline(_ request: Request, context: AppRequestContext) async throws -> ListDTO<TimelineEntryDTO> {
        let access = try context.authorize(request, .caseworker)
        let id = try context.parameters.uuid("id")
        let page = try await cases.timeline(
            caseID: id, cursor: try Cursor.decodeInt(request.queryValue("cursor")), limit: try request.pageLimit(), access: access)
        return ListDTO(page, transform: TimelineEntryDTO.init)
    }

    func close(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try context.authorize(request, .caseworker)
        let id = try context.parameters.uuid("id")
        let body = try await request.decode(as: CloseCaseRequest.self, context: context)
        var validation = Validation()
        let outcome: CloseOutcome? = validation.oneOf(body.outcome, field: "outcome", among: CloseOutcome.chosen)
        let note = validation.text(body.note, field: "note", required: false, maxLength: Self.maxSummaryLength)
        try validation.check()
        guard let outcome else { throw AppError.invalid(field: "outcome", "is required") }
        let record = try await cases.close(id: id, outcome: outcome, note: note, access: access)
        context.logger.info("case closed", metadata: ["case_id": "\(id)", "outcome": "\(outcome.rawValue)"])
        return try respond(with: record, status: .ok, request: request, context: context)
    }

    func requestHandoff(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<HandoffDTO> {
        let access = try context.authorize(request, .caseworker)
        let caseID = try context.parameters.uuid("id")
        let body = try await request.decode(as: RequestHandoffRequest.self, context: context)
        var validation = Validation()
        let toActor = validation.text(body.to_actor, field: "to_actor", required: true, maxLength: 63)
        let reason = validation.text(body.reason, field: "reason", required: true, maxLength: 2000)
        if let due = body.due_at, due <= Date() { validation.fail("due_at", "must be in the future") }
        try validation.check()
        let handoff = try await handoffs.request(caseID: caseID, toActor: toActor!, reason: reason!, dueAt: body.due_at, access: access)
        context.logger.info("handoff requested", metadata: ["case_id": "\(caseID)", "handoff_id": "\(handoff.id)"])
        return EditedResponse(status: .created, headers: [.location: "/v1/handoffs/\(handoff.id.lowercasedString)"], response: HandoffDTO(handoff))
    }

    /// The CPR behind a case, on purpose and audited (`citizen.reveal`); never cached.
    func revealCitizen(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try context.authorize(request, .caseworker)
        let found = try await cases.revealCitizen(caseID: try context.parameters.uuid("id"), access: access)
        var response = try context.responseEncoder.encode(
            CitizenResponse(citizen_id: found.citizenID.wire, cpr: found.cpr.formatted), from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func addNote(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<TimelineEntryDTO> {
        let access = try context.authorize(request, .caseworker)
        let caseID = try context.parameters.uuid("id")
        let body = try await request.decode(as: NoteRequest.self, context: context)
        var validation = Validation()
        let text = validation.text(body.text, field: "text", required: true, maxLength: Self.maxSummaryLength)
        try validation.check()
        let entry = try await cases.addNote(caseID: caseID, text: text!, access: access)
        context.logger.info("note added", metadata: ["case_id": "\(caseID)"])
        return EditedResponse(status: .created, response: TimelineEntryDTO(entry))
    }

    /// A case answer carries its version as a strong ETag.
    private func respond(with record: CaseRecord, status: HTTPResponse.Status, request: Request, context: AppRequestContext, location: Bool = false)
        throws -> Response
    {
        let dto = CaseDTO(record)
        var response = try context.responseEncoder.encode(dto, from: request, context: context)
        response.status = status
        response.headers[.eTag] = dto.etag
        if location { response.headers[.location] = "/v1/cases/\(record.id.lowercasedString)" }
        return response
    }

    /// `If-Match: "3"` (or `*`, meaning any version). Weak validators cannot be used for updates.
    static func version(fromIfMatch header: String) throws -> Int? {
        let value = header.trimmingCharacters(in: .whitespaces)
        if value == "*" { return nil }
        guard value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 3, let version = Int(value.dropFirst().dropLast()) else {
            throw AppError(.preconditionFailed, detail: "If-Match must be the case's ETag, e.g. \"3\"")
        }
        return version
    }
}
