import Foundation
import IndgangCore
import Logging
import PostgresNIO

/// A console session as a request finds it.
public struct ConsoleSession: Sendable {
    /// The hash of the API key the session logged in with: the principal is resolved from it on every request,
    /// so a revoked key ends the session.
    public let keyHash: Data
    public let csrfToken: String
    /// The flash the previous POST left (JSON), taken by this request.
    public let flash: String?
}

/// Console sessions in PostgreSQL (every replica knows them; migration 0014).
public struct ConsoleSessionStore: Sendable {
    let database: Database
    /// Idle and absolute limits (API.md: 30 minutes, 8 hours).
    public static let idleTimeout: TimeInterval = 30 * 60
    public static let absoluteTimeout: TimeInterval = 8 * 3600

    public init(database: Database) {
        self.database = database
    }

    private var logger: Logger { database.logger }

    /// A fresh session for the key (a new token at every login); expired sessions are swept on the way.
    public func create(keyHash: Data) async throws -> (token: String, csrfToken: String) {
        let token = APIKeyMaterial.randomToken()
        let csrf = APIKeyMaterial.randomToken()
        try await database.transaction { connection in
            try await connection.query(
                """
                DELETE FROM console_sessions
                WHERE last_seen_at < now() - make_interval(secs => \(Self.idleTimeout)) OR created_at < now() - make_interval(secs => \(Self.absoluteTimeout))
                """,
                logger: logger)
            try await connection.query(
                "INSERT INTO console_sessions (token_hash, key_hash, csrf_token) VALUES (\(APIKeyMaterial.hash(token)), \(keyHash), \(csrf))",
                logger: logger)
        }
        return (token, csrf)
    }

    /// The live session for `token`, touched; with `takeFlash` its flash is returned and cleared. Without a flash
    /// to take, the touch is written at most once a minute: every page asks for its session, and a write on each
    /// would make every page, however read-only, wait for a durable commit. The idle timeout is exact to a minute.
    public func resume(token: String, takeFlash: Bool) async throws -> ConsoleSession? {
        let hash = APIKeyMaterial.hash(token)
        let rows = try await database.client.query(
            """
            WITH found AS (
                SELECT token_hash, key_hash, csrf_token, flash IS NOT NULL AS has_flash, last_seen_at FROM console_sessions
                WHERE token_hash = \(hash) AND last_seen_at > now() - make_interval(secs => \(Self.idleTimeout))
                  AND created_at > now() - make_interval(secs => \(Self.absoluteTimeout))),
            touched AS (
                UPDATE console_sessions s SET last_seen_at = now()
                FROM found WHERE s.token_hash = found.token_hash AND found.last_seen_at < now() - make_interval(secs => \(Self.touchInterval)))
            SELECT key_hash, csrf_token, has_flash FROM found
            """,
            logger: logger)
        var session: ConsoleSession?
        var hasFlash = false
        for try await (keyHash, csrf, flashWaiting) in rows.decode((Data, String, Bool).self) {
            session = ConsoleSession(keyHash: keyHash, csrfToken: csrf, flash: nil)
            hasFlash = flashWaiting
        }
        guard let found = session, takeFlash, hasFlash else { return session }
        // Taken under the row's lock, so that two pages at once show it once, and a flash left meanwhile is never
        // cleared unseen.
        let taken = try await database.client.query(
            """
            UPDATE console_sessions s SET flash = NULL, last_seen_at = now()
            FROM (SELECT token_hash, flash FROM console_sessions WHERE token_hash = \(hash) FOR UPDATE) old
            WHERE s.token_hash = old.token_hash AND s.flash IS NOT NULL
            RETURNING old.flash::text
            """,
            logger: logger)
        for try await flash in taken.decode(String.self) { return ConsoleSession(keyHash: found.keyHash, csrfToken: found.csrfToken, flash: flash) }
        return found
    }

    /// How stale `last_seen_at` may get before a page refreshes it.
    static let touchInterval: TimeInterval = 60

    /// Whether the session is still live (not logged out, not idle or too old), without touching it: a live
    /// stream asks this, so it ends with the session.
    public func isLive(token: String) async throws -> Bool {
        let rows = try await database.client.query(
            """
            SELECT 1 FROM console_sessions
            WHERE token_hash = \(APIKeyMaterial.hash(token))
              AND last_seen_at > now() - make_interval(secs => \(Self.idleTimeout))
              AND created_at > now() - make_interval(secs => \(Self.absoluteTimeout))
            """,
            logger: logger)
        for try await _ in rows { return true }
        return false
    }

    /// Leaves a flash (JSON) for the next page the session shows.
    public func setFlash(token: String, _ flash: String) async throws {
        try await database.client.query(
            "UPDATE console_sessions SET flash = \(flash)::jsonb WHERE token_hash = \(APIKeyMaterial.hash(token))", logger: logger)
    }

    public func end(token: String) async throws {
        try await database.client.query("DELETE FROM console_sessions WHERE token_hash = \(APIKeyMaterial.hash(token))", logger: logger)
    }
}
