import Foundation
import Hummingbird
import IndgangCore
import IndgangMedCom
import IndgangStore

/// `POST /v1/integrations/medcom` (integration): a hospital posts MedCom HospitalNotifications unchanged and gets a
/// MedCom Acknowledgement back (API.md, "MedCom HospitalNotification"). Every refusal about the message itself is
/// an acknowledgement (`fatal-error`, or `transient-error` for what the sender should resend later); only a
/// missing key, a wrong role and a body that is not a FHIR JSON Bundle are HTTP problems.
struct MedComController {
    let events: any EventRepository

    static let mediaTypes: Set<String> = ["fhir+json", "json"]

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("integrations/medcom", use: receive)
        return routes
    }

    func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try context.authorize(request, .integration)
        let contentType = request.headers[.contentType].flatMap(MediaType.init(from:))
        guard let contentType, contentType.type == .application, Self.mediaTypes.contains(contentType.subType) else {
            throw AppError(.unsupportedMediaType, detail: "the body must be a FHIR message Bundle as application/fhir+json")
        }
        let body = Data(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        let message: MedComMessage
        do {
            message = try MedComMessage(json: body)
        } catch let error where error.isNotAFHIRBundle {
            throw AppError(.badRequest, detail: "the body is not a FHIR JSON Bundle: \(error.issue.text)")
        } catch {
            // Invalid content: a fatal-error acknowledgement naming the element; nothing is stored.
            context.logger.info("medcom message refused", metadata: ["medcom_code": "fatal-error"])
            return Self.respond(MedComAcknowledgement.make(forUnreadable: body, issues: [error.issue], timestamp: Date()))
        }
        let receipt = try await events.receive(message, access: access)
        context.logger.info(
            "medcom message received",
            metadata: [
                "medcom_message_id": "\(message.header.id)", "medcom_event": "\(receipt.messageCode ?? "-")",
                "medcom_code": "\(receipt.code?.rawValue ?? "none")", "events": "\(receipt.eventsIngested)",
            ])
        // An acknowledgement is never acknowledged (MedCom KR2).
        guard let acknowledgement = receipt.acknowledgement else { return Response(status: .noContent) }
        return Self.respond(acknowledgement)
    }

    static func respond(_ acknowledgement: Data) -> Response {
        Response(
            status: .ok, headers: [.contentType: MedComAcknowledgement.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: acknowledgement)))
    }
}
