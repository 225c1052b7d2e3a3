import Foundation
import IndgangCore
import IndgangMedCom
import Logging
import PostgresNIO

/// What receiving one MedCom message came to.
public struct MedComReceipt: Sendable {
    /// The Acknowledgement Bundle to answer with; nil when the message was itself an acknowledgement.
    public let acknowledgement: Data?
    public let code: MedComAcknowledgement.Code?
    /// The message's code as decided with its episode (`STIN`, `AN_STIN` …), when it was accepted.
    public let messageCode: String?
    public let eventsIngested: Int
}

/// A message refused after its events were tried: the transaction rolls back, nothing is stored.
private struct MedComRefusal: Error {
    let code: MedComAcknowledgement.Code
    let issue: MedComIssue
}

extension PostgresEventRepository {
    /// Receives a HospitalNotification (API.md, "MedCom HospitalNotification") in one transaction: the sender
    /// must be the key's actor; the same message again gets its first acknowledgement; the episode's earlier
    /// messages decide the mapping (`MedComMapper`); the events go through the same ingest session as
    /// `/v1/events` (grants, rules, audit), all or none; then the episode entry and the acknowledgement are kept.
    public func receive(_ message: MedComMessage, access: AccessContext) async throws -> MedComReceipt {
        let now = Date()
        @Sendable func answer(_ code: MedComAcknowledgement.Code, _ issues: [MedComIssue], messageCode: String? = nil, events: Int = 0) -> MedComReceipt {
            MedComReceipt(
                acknowledgement: MedComAcknowledgement.make(for: message, code: code, issues: issues, timestamp: now), code: code,
                messageCode: messageCode, eventsIngested: events)
        }
        do {
            return try await database.transaction { connection in
                guard let actor = try await senderActor(access.principal, on: connection), actor.sor == message.sender.sor else {
                    return answer(
                        .fatalError,
                        [
                            MedComIssue(
                                severity: .error, code: "security",
                                text: "\(message.sender.path): SOR code \(message.sender.sor) is not this key's organisation's", expression: message.sender.path)
                        ])
                }
                let episode = MedComEpisodeKey(message)
                let lock = episode.map { "medcom|\($0.senderSOR)|\($0.system)|\($0.value)" } ?? "medcom|\(message.sender.sor)|\(message.header.id)"
                try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(lock), 0))", logger: logger)
                if let earlier = try await storedAcknowledgement(sender: message.sender.sor, messageID: message.header.id, on: connection) {
                    return MedComReceipt(acknowledgement: earlier, code: .ok, messageCode: nil, eventsIngested: 0)
                }
                var history: [MedComEpisodeEntry] = []
                if let episode { history = try await entries(of: episode, on: connection) }
                let minimisation = DataMinimisation(pathways: engine.ruleSet.everyDefinition)
                let outcome = MedComMapper.map(message, history: history) { born, day in
                    minimisation.mayKeep(birthDate: born, on: day, actorKind: actor.kind)
                }
                switch outcome {
                case .ignored(.acknowledgement):
                    return MedComReceipt(acknowledgement: nil, code: nil, messageCode: nil, eventsIngested: 0)
                case .ignored:
                    let receipt = answer(.ok, [])
                    try await keep(receipt, of: message, on: connection)
                    return receipt
                case .notReceivedYet(let issue):
                    return answer(.transientError, [issue])
                case .rejected(let issue):
                    return answer(.fatalError, [issue])
                case .accepted(let acceptance):
                    let events = try acceptance.events.map { try Self.incoming($0, cpr: acceptance.cpr, actor: actor.slug, now: now) }
                    let outcomes = try await session(connection).run(events.map { pending($0, access: access) })
                    for (event, outcome) in zip(events, outcomes) {
                        if case .rejected(let error) = outcome { throw Self.refusal(error, event: event) }
                    }
                    try await append(acceptance.entry, to: acceptance.key, position: history.count, on: connection)
                    let receipt = answer(.ok, [], messageCode: acceptance.code, events: events.count)
                    try await keep(receipt, of: message, on: connection)
                    return receipt
                }
            }
        } catch let refusal as MedComRefusal {
            return answer(refusal.code, [refusal.issue])
        }
    }

    /// The Indgang event a draft stands for, posted for the key's actor; checked as `/v1/events` checks a body.
    private static func incoming(_ draft: MedComEventDraft, cpr: CPR, actor: String, now: Date) throws -> IncomingEvent {
        var attributes = draft.attributes
        var corrected = draft.correctedAttributes
        if draft.needsActor {
            if draft.type.amendsAnEvent { corrected?["actor"] = actor } else { attributes["actor"] = actor }
        }
        var issues = draft.type.amendsAnEvent ? [] : draft.type.validate(attributes)
        if let problem = StoredText.problem(draft.source, maxLength: 100) { issues.append(FieldIssue(field: "source", message: problem)) }
        if let problem = StoredText.problem(draft.id, maxLength: 200) { issues.append(FieldIssue(field: "id", message: problem)) }
        if draft.occurredAt > now.addingTimeInterval(300) { issues.append(FieldIssue(field: "occurred_at", message: "is in the future")) }
        if let issue = issues.first {
            throw MedComRefusal(
                code: .fatalError,
                issue: MedComIssue(severity: .error, code: "invalid", text: "\(draft.type.rawValue) \(issue.field) \(issue.message)", expression: nil))
        }
        return IncomingEvent(
            source: draft.source, externalID: draft.id, type: draft.type, occurredAt: draft.occurredAt, cpr: cpr, attributes: attributes,
            correctedAttributes: corrected)
    }

    /// An event of the message that the ingest refused: the whole message is refused.
    private static func refusal(_ error: IndgangError, event: IncomingEvent) -> MedComRefusal {
        let what = "\(event.type.rawValue) \(event.externalID)"
        switch error {
        case .notFound(let detail):
            // The event it amends has not arrived: the sender resends later.
            return MedComRefusal(code: .transientError, issue: MedComIssue(severity: .error, code: "not-found", text: "\(what): \(detail)", expression: nil))
        case .eventNotGranted(let issue):
            return MedComRefusal(
                code: .fatalError, issue: MedComIssue(severity: .error, code: "security", text: "\(what): \(issue.field) \(issue.message)", expression: nil))
        case .invalid(let issues):
            let text = issues.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
            return MedComRefusal(code: .fatalError, issue: MedComIssue(severity: .error, code: "invalid", text: "\(what): \(text)", expression: nil))
        case .conflict(let detail), .forbidden(let detail), .duplicateCase(let detail, _), .preconditionFailed(let detail),
            .preconditionRequired(let detail):
            return MedComRefusal(code: .fatalError, issue: MedComIssue(severity: .error, code: "conflict", text: "\(what): \(detail)", expression: nil))
        }
    }

    private func senderActor(_ principal: Principal, on connection: PostgresConnection) async throws -> (slug: String, kind: ActorKind, sor: String?)? {
        guard let id = principal.actorID else { return nil }
        let rows = try await connection.query("SELECT slug, kind, sor_code FROM actors WHERE id = \(id)", logger: logger)
        for try await (slug, kind, sor) in rows.decode((String, String, String?).self) { return (slug, try ActorKind(decoding: kind), sor) }
        return nil
    }

    private func storedAcknowledgement(sender: String, messageID: String, on connection: PostgresConnection) async throws -> Data? {
        let rows = try await connection.query(
            "SELECT acknowledgement FROM medcom_acknowledgements WHERE sender_sor = \(sender) AND message_id = \(messageID)", logger: logger)
        for try await text in rows.decode(String.self) { return Data(text.utf8) }
        return nil
    }

    private func entries(of episode: MedComEpisodeKey, on connection: PostgresConnection) async throws -> [MedComEpisodeEntry] {
        let rows = try await connection.query(
            """
            SELECT entry::text FROM medcom_episode_entries
            WHERE sender_sor = \(episode.senderSOR) AND episode_system = \(episode.system) AND episode_value = \(episode.value) ORDER BY position
            """,
            logger: logger)
        var entries: [MedComEpisodeEntry] = []
        for try await text in rows.decode(String.self) { entries.append(try JSONDecoder().decode(MedComEpisodeEntry.self, from: Data(text.utf8))) }
        return entries
    }

    private func append(_ entry: MedComEpisodeEntry, to episode: MedComEpisodeKey, position: Int, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO medcom_episode_entries (sender_sor, episode_system, episode_value, position, message_id, entry)
            VALUES (\(episode.senderSOR), \(episode.system), \(episode.value), \(position), \(entry.messageID), \(ChangeSet.json(entry))::jsonb)
            """,
            logger: logger)
    }

    private func keep(_ receipt: MedComReceipt, of message: MedComMessage, on connection: PostgresConnection) async throws {
        guard let acknowledgement = receipt.acknowledgement else { return }
        try await connection.query(
            """
            INSERT INTO medcom_acknowledgements (sender_sor, message_id, acknowledgement)
            VALUES (\(message.sender.sor), \(message.header.id), \(String(decoding: acknowledgement, as: UTF8.self)))
            """,
            logger: logger)
    }
}
