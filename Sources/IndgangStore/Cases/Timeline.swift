import Foundation
import IndgangCore
import PostgresNIO

/// Appends entries to a case's timeline (the table refuses updates and deletes).
enum Timeline {
    static func append(
        caseID: UUID, kind: TimelineKind, actorID: UUID?, data: [String: String?] = [:], on connection: PostgresConnection, logger: Logger
    ) async throws {
        let json = String(decoding: try JSONEncoder.sorted.encode(data), as: UTF8.self)
        try await connection.query(
            "INSERT INTO case_timeline (case_id, kind, actor_id, data) VALUES (\(caseID), \(kind.rawValue), \(actorID), \(json)::jsonb)",
            logger: logger
        )
    }
}

extension JSONEncoder {
    /// Deterministic output (sorted keys), built once.
    static let sorted: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}
