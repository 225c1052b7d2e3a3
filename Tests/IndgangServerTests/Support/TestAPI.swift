import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IndgangServer
import Logging
import Testing

/// A JSON answer from the API under test.
struct APIResponse: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object (empty when it is not one).
    var json: [String: Any] {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:]
    }

    subscript(_ key: String) -> String? { json[key] as? String }

    var items: [[String: Any]] {
        ((json["items"] as? [Any]) ?? []).compactMap { $0 as? [String: Any] }
    }

    var fieldErrors: [String] {
        ((json["errors"] as? [Any]) ?? []).compactMap { ($0 as? [String: Any])?["field"] as? String }
    }
}

/// Drives one application instance (on its own fresh database) through HummingbirdTesting's router client.
struct TestAPI: Sendable {
    static let adminKey = "test-admin-key-0123456789abcdef0123456789abcdef"

    let client: any TestClientProtocol
    let databaseURL: String

    /// Builds the real application on a fresh database and runs `body` against it.
    /// With `databaseURL`, on that (already migrated) database instead of a fresh one.
    static func run<T: Sendable>(
        databaseURL given: String? = nil, logger: Logger? = nil, configure: (inout AppConfiguration) -> Void = { _ in },
        _ body: @Sendable (TestAPI) async throws -> T
    ) async throws -> T {
        let databaseURL: String
        if let given { databaseURL = given } else { databaseURL = try await TestCluster.shared.freshDatabase() }
        var config = AppConfiguration()
        config.databaseURL = databaseURL
        config.adminKey = adminKey
        config.dataKey = Data((0..<32).map { UInt8($0) }).base64EncodedString()
        // The deadline sweeper stays out of the way unless a test asks for it: handoffs due in the past (fixed
        // dates) would otherwise turn overdue whenever a slow machine lets its first sweep come round.
        config.schedulerInterval = .seconds(3600)
        configure(&config)
        let app = try await buildApplication(config: config, logger: logger ?? TestCluster.logger)
        return try await app.test(.router) { client in
            try await body(TestAPI(client: client, databaseURL: databaseURL))
        }
    }

    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ path: String, key: String? = nil, json: String? = nil, headers: HTTPFields = [:],
        rawBody: Data? = nil
    ) async throws -> APIResponse {
        var fields = headers
        if let key { fields[.authorization] = "Bearer \(key)" }
        var body: ByteBuffer?
        if let json {
            if fields[.contentType] == nil { fields[.contentType] = "application/json" }
            body = ByteBuffer(string: json)
        } else if let rawBody {
            body = ByteBuffer(bytes: rawBody)
        }
        return try await client.execute(uri: path, method: method, headers: fields, body: body) { response in
            APIResponse(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }

    // MARK: - Fixtures

    func createActor(_ slug: String, kind: String = "municipality", code: String? = "101") async throws {
        let codeField = code.map { #", "municipality_code": "\#($0)""# } ?? ""
        let response = try await call(
            .post, "/v1/actors", key: Self.adminKey, json: #"{"slug": "\#(slug)", "name": "Actor \#(slug)", "kind": "\#(kind)"\#(codeField)}"#)
        try #require(response.status == .created, "creating actor \(slug): \(response.text)")
    }

    /// Every event type an admin can grant: for tests whose one integration key reports what several systems would.
    static let allEventTypes = #"["hospital.admitted", "hospital.discharged", "hospital.leave_started", "hospital.leave_ended", "prison.admitted", "prison.release_planned", "prison.released", "justice.convicted", "municipality.service_started", "municipality.service_ended", "citizen.moved", "citizen.died"]"#

    /// A key for `slug`; `eventTypes` (a JSON array) widens or narrows an integration key's grants.
    func issueKey(_ slug: String, role: String = "caseworker", eventTypes: String? = nil) async throws -> String {
        let grants = eventTypes.map { #", "event_types": \#($0)"# } ?? ""
        let response = try await call(.post, "/v1/actors/\(slug)/keys", key: Self.adminKey, json: #"{"role": "\#(role)"\#(grants)}"#)
        try #require(response.status == .created, "issuing key: \(response.text)")
        return try #require(response["key"])
    }

    /// Creates a municipality, a hospital and a prison with one caseworker key each.
    func standardActors() async throws -> (kommune: String, hospital: String, prison: String) {
        try await createActor("kobenhavn")
        try await createActor("nsh", kind: "hospital", code: nil)
        try await createActor("kriminalforsorgen", kind: "prison", code: nil)
        return (try await issueKey("kobenhavn"), try await issueKey("nsh"), try await issueKey("kriminalforsorgen"))
    }

    func openCase(key: String, cpr: String = "010150-1234", pathway: String = "subacute-elderly") async throws -> String {
        let response = try await call(.post, "/v1/cases", key: key, json: #"{"cpr": "\#(cpr)", "pathway": "\#(pathway)", "summary": "s"}"#)
        try #require(response.status == .created, "opening case: \(response.text)")
        return try #require(response["id"])
    }

    func requestHandoff(caseID: String, key: String, to: String) async throws -> String {
        let response = try await call(.post, "/v1/cases/\(caseID)/handoffs", key: key, json: #"{"to_actor": "\#(to)", "reason": "discharged"}"#)
        try #require(response.status == .created, "requesting handoff: \(response.text)")
        return try #require(response["id"])
    }

    /// Posts one event; `attributes` is a JSON object literal.
    @discardableResult
    func postEvent(
        key: String, id: String, type: String, at occurredAt: String, cpr: String = "010150-1234", attributes: String = "{}",
        source: String = "epj", query: String = ""
    ) async throws -> APIResponse {
        try await call(
            .post, "/v1/events\(query)", key: key,
            json: #"{"source": "\#(source)", "id": "\#(id)", "type": "\#(type)", "occurred_at": "\#(occurredAt)", "cpr": "\#(cpr)", "attributes": \#(attributes)}"#)
    }

    /// Runs one SQL query on this test's database and returns the rows as strings.
    func sql(_ query: String) async throws -> [[String?]] {
        try await TestSQL.rows(databaseURL: databaseURL, query: query)
    }
}
