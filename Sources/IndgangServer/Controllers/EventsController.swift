import Foundation
import Hummingbird
import IndgangCore
import IndgangStore
import NIOCore

/// `/v1/events`: integrations post what happened; the pathway rules do the rest.
struct EventsController {
    let events: any EventRepository

    /// API.md: an NDJSON batch may be up to 32 MiB.
    static let maxBatchSize = 32 << 20
    /// At most this many events per batch (413 beyond): a body of short bad lines cannot make the answer, or the
    /// work, unbounded.
    static let maxBatchLines = 10_000
    /// Problem documents listed per answer; `rejected_count` has the total.
    static let maxRejectedListed = 100

    struct IngestResponse: ResponseEncodable {
        let event_id: String
        let effects: [EffectOutcome]
        let dry_run: Bool?
    }

    struct BatchResponse: ResponseEncodable {
        struct Rejected: Encodable, Sendable {
            let line: Int
            let problem: AppError.Document
        }

        let accepted: Int
        let replayed: Int
        /// The first `maxRejectedListed` refused lines, by line number.
        let rejected: [Rejected]
        let rejected_count: Int
    }

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("events", use: ingest)
        routes.post("events/batch", use: batch)
        return routes
    }

    func ingest(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<IngestResponse> {
        let access = try context.authorize(request, .integration)
        let dryRun = try request.queryFlag("dry_run")
        try StrictJSONDecoder.requireJSONContentType(request)
        let event = try await Self.validate(EventBody.read(Data(buffer: request.body.collect(upTo: context.maxUploadSize))))
        if dryRun && event.type.amendsAnEvent {
            throw AppError.invalid(field: "dry_run", "is not available for \(event.type.rawValue)")
        }
        let result = try await events.ingest(event, dryRun: dryRun, access: access)
        if !result.replayed && !dryRun {
            context.logger.info("event ingested", metadata: ["event_id": "\(result.eventID)", "event_type": "\(event.type.rawValue)", "effects": "\(result.effects.count)"])
        }
        let status: HTTPResponse.Status = result.replayed || dryRun ? .ok : .created
        return EditedResponse(
            status: status, response: IngestResponse(event_id: result.eventID.wire, effects: result.effects, dry_run: dryRun ? true : nil))
    }

    func batch(_ request: Request, context: AppRequestContext) async throws -> BatchResponse {
        let access = try context.authorize(request, .integration)
        let contentType = request.headers[.contentType].flatMap(MediaType.init(from:))
        guard let contentType, contentType.type == .application, contentType.subType == "x-ndjson" || contentType.subType == "jsonl" else {
            throw AppError(.unsupportedMediaType, detail: "the body must be application/x-ndjson: one JSON event per line")
        }
        let body = try await request.body.collect(upTo: Self.maxBatchSize)
        // Split as an array of bytes: Data's generic byte access made the split ~4 % of a batch's CPU.
        let lines = Array(body.readableBytesView).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let eventLines = lines.count { line in !line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }
        guard eventLines <= Self.maxBatchLines else {
            throw AppError(.contentTooLarge, detail: "a batch holds at most \(Self.maxBatchLines) events; this one has \(eventLines): split it")
        }
        var parsed: [(line: Int, event: IncomingEvent)] = []
        var rejected: [BatchResponse.Rejected] = []
        for (line, read) in await Self.read(lines) {
            switch read {
            case .success(let event): parsed.append((line, event))
            case .failure(let error):
                rejected.append(.init(line: line, problem: ProblemMiddleware<AppRequestContext>.problem(for: error, context: context).document(requestID: nil)))
            }
        }
        let ingested = try await events.ingestBatch(parsed.map(\.event), access: access)
        let results = zip(parsed.map(\.line), ingested)
        var accepted = 0
        var replayed = 0
        for (line, result) in results {
            switch result {
            case .success(let ingested): if ingested.replayed { replayed += 1 } else { accepted += 1 }
            case .failure(let error):
                rejected.append(.init(line: line, problem: ProblemMiddleware<AppRequestContext>.problem(for: error, context: context).document(requestID: nil)))
            }
        }
        context.logger.info("event batch ingested", metadata: ["accepted": "\(accepted)", "replayed": "\(replayed)", "rejected": "\(rejected.count)"])
        let listed = rejected.sorted { $0.line < $1.line }.prefix(Self.maxRejectedListed)
        return BatchResponse(accepted: accepted, replayed: replayed, rejected: Array(listed), rejected_count: rejected.count)
    }

    /// Reads and validates a batch's lines, skipping blank ones, each with its 1-based line number. Reading is a third of
    /// a batch's CPU in Swift and needs nothing but the line: the lines are read in slices on all cores at once, rather
    /// than on one while the other waits for the database (at 1,000 lines, 20 ms of each batch had one core idle).
    static func read(_ lines: [ArraySlice<UInt8>]) async -> [(line: Int, event: Result<IncomingEvent, any Error>)] {
        @Sendable func read(_ range: Range<Int>) -> [(line: Int, event: Result<IncomingEvent, any Error>)] {
            range.compactMap { offset in
                let raw = lines[offset]
                let line = raw.last == UInt8(ascii: "\r") ? raw.dropLast() : raw
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return nil }  // blank lines, e.g. the final newline
                return (offset + 1, Result { try validate(EventBody.read(Data(line))) })
            }
        }
        let slices = lines.count < 2 * minimumSlice ? 1 : min(System.coreCount, lines.count / minimumSlice)
        guard slices > 1 else { return read(lines.indices) }
        let bounds = (0...slices).map { $0 * lines.count / slices }
        return await withTaskGroup(of: (Int, [(line: Int, event: Result<IncomingEvent, any Error>)]).self) { group in
            for slice in 0..<slices {
                group.addTask { (slice, read(bounds[slice]..<bounds[slice + 1])) }
            }
            var results = [[(line: Int, event: Result<IncomingEvent, any Error>)]](repeating: [], count: slices)
            for await (slice, read) in group { results[slice] = read }
            return results.flatMap { $0 }
        }
    }

    /// Lines below which a batch is read on one core: a task costs more than reading a few lines.
    static let minimumSlice = 100

    /// Field by field, naming each problem: the same checks for single events and batch lines.
    static func validate(_ body: EventBody) throws -> IncomingEvent {
        var validation = Validation()
        let source = validation.text(body.source, field: "source", required: true, maxLength: 100)
        let externalID = validation.text(body.id, field: "id", required: true, maxLength: 200)
        var type: EventType?
        if let text = body.type {
            type = EventType(rawValue: text)
            if type == nil { validation.fail("type", "unknown event type \(text); known: \(EventType.allCases.map(\.rawValue).joined(separator: ", "))") }
        } else {
            validation.fail("type", "is required")
        }
        if body.occurred_at == nil { validation.fail("occurred_at", "is required") }
        if let occurredAt = body.occurred_at, occurredAt > Date().addingTimeInterval(300) {
            validation.fail("occurred_at", "is in the future")
        }
        var cpr: CPR?
        do { cpr = try CPRField.parse(body.cpr) } catch let error as AppError { error.errors.forEach { validation.fail($0.field, $0.message) } }
        var attributes: [String: String] = [:]
        var correctedAttributes: [String: String]?
        if let raw = body.attributes {
            for (name, value) in raw {
                switch value {
                case .string(let text): attributes[name] = text
                case .object(let replacement) where type == .eventCorrected && name == "attributes":
                    // The corrected event's new attributes, checked against its type once it is found.
                    correctedAttributes = [:]
                    for inner in replacement.keys {
                        guard case .string(let text)? = replacement[inner] else {
                            validation.fail("attributes.attributes.\(inner)", "must be a string")
                            continue
                        }
                        correctedAttributes?[inner] = text
                    }
                default: validation.fail("attributes.\(name)", name == "attributes" && type == .eventCorrected ? "must be an object" : "must be a string")
                }
            }
        } else {
            validation.fail("attributes", "is required (an object; {} for events without attributes)")
        }
        if let type {
            // An attribute already reported as not a string is not reported again as missing.
            let reported = Set(validation.issues.map(\.field))
            type.validate(attributes).filter { !reported.contains($0.field) }.forEach { validation.fail($0.field, $0.message) }
        }
        try validation.check()
        return IncomingEvent(
            source: source!, externalID: externalID!, type: type!, occurredAt: body.occurred_at!, cpr: cpr!, attributes: attributes,
            correctedAttributes: correctedAttributes)
    }
}
