import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A tiny real-network HTTP client for tests against a child `indgang serve`.
enum HTTPProbe {
    struct Reply {
        let status: Int
        let body: Data
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
    }

    static func send(_ method: String, _ url: String, key: String? = nil, json: String? = nil) async throws -> Reply {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.timeoutInterval = 30  // a client limit, not a performance check: generous on a loaded machine
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(json.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
    }

    /// Polls `/readyz` until it answers 200 or the child exits.
    static func waitUntilReady(port: Int, child: ChildProcess, timeout: Duration = .seconds(90)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let reply = try? await send("GET", "http://127.0.0.1:\(port)/readyz"), reply.status == 200 { return true }
            var status: Int32 = 0
            if waitpid(child.pid, &status, WNOHANG) == child.pid { return false }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    /// Creates the hospital `nsh` and the municipality `kobenhavn` (101) on a running server.
    static func createStandardActors(base: String) async throws {
        _ = try await send("POST", "\(base)/actors", key: TestAPI.adminKey, json: #"{"slug": "nsh", "name": "NSH", "kind": "hospital"}"#)
        _ = try await send(
            "POST", "\(base)/actors", key: TestAPI.adminKey, json: #"{"slug": "kobenhavn", "name": "Kbh", "kind": "municipality", "municipality_code": "101"}"#)
    }

    /// A new API key for `slug` with `role` on a running server.
    static func issueKey(base: String, slug: String, role: String) async throws -> String {
        let reply = try await send("POST", "\(base)/actors/\(slug)/keys", key: TestAPI.adminKey, json: #"{"role": "\#(role)"}"#)
        guard let key = reply.json["key"] as? String else { throw POSIXError(.EINVAL) }
        return key
    }
}
