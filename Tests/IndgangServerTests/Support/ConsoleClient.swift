import Foundation
import HTTPTypes
import Testing

/// A browser's view of `/console` for HTTP tests: keeps the cookies, reads each page's CSRF token and posts
/// forms as a browser would (same-origin fetch metadata), without following redirects.
final class ConsoleClient: @unchecked Sendable {
    let api: TestAPI
    private(set) var cookies: [String: String] = [:]
    private(set) var csrfToken = ""

    init(_ api: TestAPI) {
        self.api = api
    }

    @discardableResult
    func get(_ path: String) async throws -> APIResponse {
        let response = try await api.call(.get, path, headers: cookieHeader())
        remember(response)
        return response
    }

    /// Posts `fields` (plus the last page's `csrf_token` unless `csrf` says otherwise).
    @discardableResult
    func post(_ path: String, _ fields: [String: String], csrf: String? = nil, extraHeaders: HTTPFields = [:]) async throws -> APIResponse {
        var all = fields
        all["csrf_token"] = csrf ?? csrfToken
        let body = all.sorted { $0.key < $1.key }.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        var headers = cookieHeader()
        headers[.contentType] = "application/x-www-form-urlencoded"
        headers[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
        for field in extraHeaders { headers[field.name] = field.value }
        let response = try await api.call(.post, path, headers: headers, rawBody: Data(body.utf8))
        remember(response)
        return response
    }

    /// Logs in with `key` (the login page first, for its pre-session cookie and token); answers the redirect.
    @discardableResult
    func login(_ key: String) async throws -> APIResponse {
        try await get("/console/login")
        return try await post("/console/login", ["api_key": key])
    }

    private func cookieHeader() -> HTTPFields {
        guard !cookies.isEmpty else { return [:] }
        return [.cookie: cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
    }

    private func remember(_ response: APIResponse) {
        for line in response.headers[values: .setCookie] {
            guard let pair = line.split(separator: ";").first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
            let value = String(pair[pair.index(after: equals)...])
            if value.isEmpty || line.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        if let match = response.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/) { csrfToken = String(match.output.1) }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
