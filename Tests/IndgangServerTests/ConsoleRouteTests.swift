import Foundation
import HTTPTypes
import IndgangCore
import IndgangStore
import Testing

/// `/console` over HTTP (API.md, Web console): sessions, CSRF, headers, and the caseworker's flow. The same flow
/// in a real browser is in `Tests/console/`.
@Suite("Web console routes")
struct ConsoleRouteTests {
    static let cpr = "010150-1234"

    @Test("login sets a strict session cookie; pages carry the security headers; /v1 ignores the cookie and /console the Bearer key")
    func sessionAndHeaders() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let browser = ConsoleClient(api)
            let anonymous = try await browser.get("/console/inbox")
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/console/login")
            let login = try await browser.login(keys.hospital)
            #expect(login.status == .seeOther && login.headers[.location] == "/console/inbox", "\(login.text)")
            let cookie = try #require(login.headers[values: .setCookie].first { $0.hasPrefix("indgang_session=") })
            for attribute in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/console"] { #expect(cookie.contains(attribute), "\(cookie)") }

            let inbox = try await browser.get("/console/inbox")
            #expect(inbox.status == .ok && inbox.text.contains(#"lang="da""#) && inbox.text.contains("Indbakke"), "\(inbox.text.prefix(300))")
            let csp = inbox.headers[.contentSecurityPolicy] ?? ""
            #expect(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"))
            #expect(inbox.headers[.xContentTypeOptions] == "nosniff" && inbox.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            #expect(inbox.headers[.cacheControl] == "no-store")
            #expect(try await browser.get("/console/assets/console.js").status == .ok)
            // A page that does not exist is HTML with the same headers, and keeps the viewer's navigation.
            let missing = try await browser.get("/console/nope")
            #expect(missing.status == .notFound && missing.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(missing.headers[.contentSecurityPolicy] != nil && missing.text.contains("Log ud"), "\(missing.text.prefix(600))")
            let unknownCase = try await browser.get("/console/cases/\(UUID().uuidString.lowercased())")
            #expect(unknownCase.status == .notFound && unknownCase.text.contains("/console/inbox"))
            // A method a documented path does not offer: 405 with Allow (an empty trailing segment as the router reads it).
            let put = try await api.call(.put, "/v1/cases/", key: keys.hospital)
            #expect(put.status == .methodNotAllowed && put.headers[.allow] == "GET, HEAD, POST", "\(put.headers)")

            let session = "indgang_session=\(browser.cookies["indgang_session"] ?? "")"
            #expect(try await api.call(.get, "/v1/cases", headers: [.cookie: session]).status == .unauthorized)
            let bearer = try await api.call(.get, "/console/inbox", key: keys.hospital)
            #expect(bearer.status == .seeOther && bearer.headers[.location] == "/console/login")
            // The coordinator's and the admin's homes.
            let admin = ConsoleClient(api)
            #expect(try await admin.login(TestAPI.adminKey).headers[.location] == "/console/admin")
            let integration = ConsoleClient(api)
            #expect(try await integration.login(keys.integration).status == .unauthorized)
        }
    }

    @Test("a caseworker opens a case and hands it off; the receiver rejects without a reason (refused), then accepts")
    func handoffFlow() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let hospital = ConsoleClient(api)
            try await hospital.login(keys.hospital)
            try await hospital.get("/console/cases/new")
            let opened = try await hospital.post("/console/cases", ["cpr": Self.cpr, "pathway": "subacute-elderly", "summary": "faldet i hjemmet"])
            #expect(opened.status == .seeOther, "\(opened.text)")
            let casePath = try #require(opened.headers[.location])
            #expect(!casePath.contains("0101501234") && !casePath.contains(Self.cpr))
            let casePage = try await hospital.get(casePath)
            #expect(casePage.status == .ok && casePage.text.contains("Sagen er oprettet."), "\(casePage.text.prefix(500))")
            #expect(!casePage.text.contains(Self.cpr) && !casePage.text.contains("0101501234"))
            let caseID = String(casePath.dropFirst("/console/cases/".count))

            let handedOff = try await hospital.post("\(casePath)/handoffs", ["to_actor": "hillerod", "reason": "udskrevet til eget hjem"])
            #expect(handedOff.status == .seeOther && handedOff.headers[.location] == casePath)
            // An asset or the script's fragment fetched first does not swallow the result the page shows.
            try await hospital.get("/console/assets/console.css")
            #expect(try await hospital.get(casePath).text.contains("Overdragelsen er sendt."))

            let kommune = ConsoleClient(api)
            try await kommune.login(keys.kommune)
            let inbox = try await kommune.get("/console/inbox")
            let handoffID = try #require(try await TestSQL.scalar(api, "SELECT id::text FROM handoffs"))
            #expect(inbox.text.contains("/console/handoffs/\(handoffID)/accept"), "\(inbox.text.prefix(800))")
            // The unread badge is a count: no notification (and no case) is read for it, so nothing is audited.
            #expect(inbox.text.contains(#"data-unread="1""#))
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM audit_log WHERE action = 'notification.list'") == "0")
            let fragment = try await kommune.get("/console/inbox?fragment=incoming")
            #expect(fragment.status == .ok && fragment.text.contains(handoffID) && !fragment.text.contains("<html"))

            let refused = try await kommune.post("/console/handoffs/\(handoffID)/reject", ["reason": "  "])
            #expect(refused.status == .seeOther)
            let alert = try await kommune.get("/console/inbox")
            #expect(alert.text.contains(#"role="alert""#), "\(alert.text.prefix(1500))")
            #expect(alert.text.contains("skal udfyldes"), "the field's message is in Danish")
            #expect(try await TestSQL.scalar(api, "SELECT status FROM handoffs") == "pending")

            let accepted = try await kommune.post("/console/handoffs/\(handoffID)/accept", [:])
            #expect(accepted.status == .seeOther)
            #expect(try await kommune.get("/console/inbox").text.contains("Overdragelsen er accepteret"))
            let viaAPI = try await api.call(.get, "/v1/cases/\(caseID)", key: keys.kommune)
            #expect(viaAPI["responsible_actor"] == "hillerod", "\(viaAPI.text)")
            // The console's reads are audited like the API's.
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM audit_log WHERE purpose = 'console'") != "0")
        }
    }

    @Test("reading pages costs no session write within a minute, and the inbox's three lists are one audited read")
    func readsAreCheap() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            for index in 1...3 {
                let caseID = try await api.openCase(key: keys.hospital, cpr: String(format: "%02d0150-1234", index))
                _ = try await api.requestHandoff(caseID: caseID, key: keys.hospital, to: "hillerod")
            }
            let kommune = ConsoleClient(api)
            try await kommune.login(keys.kommune)
            // Ten seconds ago: fresh enough that pages within the minute leave it as it is.
            _ = try await api.sql("UPDATE console_sessions SET last_seen_at = now() - interval '10 seconds'")
            let before = try await TestSQL.scalar(api, "SELECT last_seen_at::text FROM console_sessions")
            let audited = try await TestSQL.scalar(api, "SELECT count(*)::text FROM audit_log WHERE action = 'handoff.list'")
            #expect(try await kommune.get("/console/inbox").status == .ok)
            #expect(try await kommune.get("/console/inbox").status == .ok)
            #expect(try await TestSQL.scalar(api, "SELECT last_seen_at::text FROM console_sessions") == before)
            // Each page audits each case it shows once (three incoming handoffs, three cases), not once per list.
            let after = try await TestSQL.scalar(api, "SELECT count(*)::text FROM audit_log WHERE action = 'handoff.list'")
            #expect((Int(after ?? "") ?? 0) - (Int(audited ?? "") ?? 0) == 6, "\(audited ?? "-") → \(after ?? "-")")
            // An older touch is refreshed.
            _ = try await api.sql("UPDATE console_sessions SET last_seen_at = now() - interval '5 minutes'")
            #expect(try await kommune.get("/console/inbox").status == .ok)
            #expect(try await TestSQL.scalar(api, "SELECT (last_seen_at > now() - interval '1 minute')::text FROM console_sessions") == "true")
            // Another municipality's session: its inbox shows none of these handoffs and audits none of their cases.
            let esbjerg = ConsoleClient(api)
            try await esbjerg.login(keys.esbjerg)
            let ids = try await api.sql("SELECT id::text FROM handoffs").compactMap { $0.first ?? nil }
            let strangerInbox = try await esbjerg.get("/console/inbox")
            #expect(strangerInbox.status == .ok && ids.allSatisfy { !strangerInbox.text.contains($0) })
            #expect(try await TestSQL.scalar(
                api, "SELECT count(*)::text FROM audit_log a JOIN actors x ON x.id = a.actor_id WHERE x.slug = 'esbjerg' AND a.action = 'handoff.list'") == "0")
        }
    }

    @Test("CSRF: without the session's token, or from another site, a form changes nothing (403)")
    func csrf() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let caseID = try await api.openCase(key: keys.hospital)
            let hospital = ConsoleClient(api)
            try await hospital.login(keys.hospital)
            try await hospital.get("/console/cases/\(caseID)")
            let close = ["outcome": "completed", "note": "færdig"]
            #expect(try await hospital.post("/console/cases/\(caseID)/close", close, csrf: "forged").status == .forbidden)
            #expect(try await hospital.post("/console/cases/\(caseID)/close", close, csrf: "").status == .forbidden)
            let crossSite = try await hospital.post(
                "/console/cases/\(caseID)/close", close, extraHeaders: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.status == .forbidden)
            let otherOrigin = try await hospital.post("/console/cases/\(caseID)/close", close, extraHeaders: [.origin: "https://evil.example"])
            #expect(otherOrigin.status == .forbidden)
            let typedIn = try await hospital.post("/console/cases/\(caseID)/close", close, extraHeaders: [HTTPField.Name("Sec-Fetch-Site")!: "none"])
            #expect(typedIn.status == .forbidden, "API.md: anything but same-origin")
            #expect(try await TestSQL.scalar(api, "SELECT status FROM cases") == "open")
            #expect(try await hospital.post("/console/cases/\(caseID)/close", close).status == .seeOther)
            #expect(try await TestSQL.scalar(api, "SELECT status FROM cases") == "closed")

            // The login form's token is bound to the pre-session cookie: another browser's token does not work.
            let stranger = ConsoleClient(api)
            #expect(try await stranger.post("/console/login", ["api_key": keys.hospital], csrf: hospital.csrfToken).status == .forbidden)
        }
    }

    @Test("revoking the key ends its console session")
    func revocationEndsSession() async throws {
        try await TestAPI.run { api in
            _ = try await EventsTests.setUp(api)
            let key = try await api.issueKey("hillerod")
            let kommune = ConsoleClient(api)
            try await kommune.login(key)
            #expect(try await kommune.get("/console/inbox").status == .ok)
            let listed = try await api.call(.get, "/v1/keys?actor=hillerod", key: TestAPI.adminKey)
            let keyID = try #require(listed.items.first?["id"] as? String)  // newest first
            #expect(try await api.call(.delete, "/v1/keys/\(keyID)", key: TestAPI.adminKey).status == .ok)
            let after = try await kommune.get("/console/inbox")
            #expect(after.status == .seeOther && after.headers[.location] == "/console/login")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM console_sessions") == "0")
        }
    }

    @Test("the CPR is shown only on purpose (a POST, audited) and searched by a POST, never in a URL")
    func cprOnPurpose() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let caseID = try await api.openCase(key: keys.hospital)
            let hospital = ConsoleClient(api)
            try await hospital.login(keys.hospital)
            try await hospital.get("/console/cases/\(caseID)")
            let revealed = try await hospital.post("/console/cases/\(caseID)/citizen", [:])
            #expect(revealed.status == .ok && revealed.text.contains(Self.cpr), "\(revealed.text.prefix(400))")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM audit_log WHERE action = 'citizen.reveal'") == "1")
            try await hospital.get("/console/search")
            let found = try await hospital.post("/console/search", ["cpr": Self.cpr])
            #expect(found.status == .ok && found.text.contains("/console/cases/\(caseID)"), "\(found.text.prefix(400))")
            let unknown = try await hospital.post("/console/search", ["cpr": "020202-2222"])
            #expect(unknown.status == .ok)
            let bad = try await hospital.post("/console/search", ["cpr": "nonsense"])
            #expect(bad.status == .unprocessableContent && bad.text.contains(#"role="alert""#))
        }
    }

    @Test("the coordinator's page shows a chart and a table with the API's figures, <5 for suppressed cells, and a CSV of the same; no personal data")
    func coordinatorPage() async throws {
        try await TestAPI.run { api in
            let (keys, population) = try await OutcomesTests.load(api, citizens: 300, seed: 5)
            let coordinator = ConsoleClient(api)
            #expect(try await coordinator.login(keys.coordinator).headers[.location] == "/console/outcomes/readmissions")
            let query = "from=2021-06-01&to=2026-05-31&group_by=municipality"
            let page = try await coordinator.get("/console/outcomes/readmissions?\(query)")
            #expect(page.status == .ok, "\(page.text.prefix(500))")
            #expect(page.text.contains("<svg") && page.text.contains(#"role="img""#) && page.text.contains("<table"))
            let json = try await api.call(.get, "/v1/outcomes/readmissions?\(query)", key: keys.coordinator)
            let groups = try #require(json.json["groups"] as? [[String: Any]])
            #expect(!groups.isEmpty)
            for group in groups {
                if group["suppressed"] as? Bool == true {
                    #expect(page.text.contains("&lt;5"))
                } else if let numerator = group["numerator"] as? Int {
                    #expect(page.text.contains(">\(numerator.formatted(.number.grouping(.never)))<") || numerator >= 1000, "numerator \(numerator)")
                }
            }
            for citizen in population.prefix(50) {
                #expect(!page.text.contains(citizen.cpr) && !page.text.contains(citizen.cpr.replacingOccurrences(of: "-", with: "")))
            }
            let link = try #require(page.text.firstMatch(of: /href="(\/console\/outcomes\/readmissions\.csv\?[^"]+)"/)?.output.1)
            let csv = try await coordinator.get(String(link).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true, "\(link) \(csv.status) \(csv.text.suffix(1500))")
            let rows = try OutcomesTests.parseCSV(csv.text)
            #expect(rows.count == groups.count + 1 && rows.first?.first == "key")
            #expect(Set(rows.dropFirst().map { $0[0] }) == Set(groups.compactMap { $0["key"] as? String }))
            // A caseworker may not see it.
            let caseworker = ConsoleClient(api)
            try await caseworker.login(try await api.issueKey("statistik"))
            #expect(try await caseworker.get("/console/outcomes/readmissions").status == .forbidden)
        }
    }

    @Test("the admin creates an actor and a key (shown once), revokes it, and finds who looked at a citizen by CPR")
    func admin() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            _ = try await api.openCase(key: keys.hospital)
            let admin = ConsoleClient(api)
            try await admin.login(TestAPI.adminKey)
            #expect(try await admin.get("/console/admin").status == .ok)
            let actor = try await admin.post(
                "/console/admin/actors", ["slug": "odense", "name": "Odense Kommune", "kind": "municipality", "municipality_code": "461"])
            #expect(actor.status == .seeOther)
            #expect(try await admin.get("/console/admin").text.contains("Odense Kommune"))
            let created = try await admin.post("/console/admin/keys", ["actor": "odense", "role": "caseworker", "label": "sagsbehandler"])
            let key = try #require(created.text.firstMatch(of: /igk_[A-Za-z0-9_-]{43}/)?.output, "\(created.text.prefix(600))")
            #expect(try await api.call(.get, "/v1/cases", key: String(key)).status == .ok)
            #expect(!(try await admin.get("/console/admin").text.contains(String(key))), "a key is shown once")
            let keyID = try #require(try await TestSQL.scalar(api, "SELECT k.id::text FROM api_keys k JOIN actors a ON a.id = k.actor_id WHERE a.slug = 'odense'"))
            #expect(try await admin.post("/console/admin/keys/\(keyID)/revoke", [:]).status == .seeOther)
            #expect(try await api.call(.get, "/v1/cases", key: String(key)).status == .unauthorized)
            let audit = try await admin.post("/console/admin/audit", ["cpr": Self.cpr])
            #expect(audit.status == .ok && audit.text.contains("registreringer, nyeste først"), "\(audit.text.suffix(1500))")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM audit_log WHERE action = 'audit.search'") == "1")
            // Admin pages are not for caseworkers.
            let caseworker = ConsoleClient(api)
            try await caseworker.login(keys.hospital)
            #expect(try await caseworker.get("/console/admin").status == .forbidden)
        }
    }

    @Test("another organisation's session: another's case page is 404, another's handoff cannot be decided, and text PostgreSQL could not store is refused")
    func otherActorAndHostileText() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let caseID = try await api.openCase(key: keys.hospital)
            let handoffID = try await api.requestHandoff(caseID: caseID, key: keys.hospital, to: "hillerod")
            let esbjerg = ConsoleClient(api)
            try await esbjerg.login(keys.esbjerg)
            #expect(try await esbjerg.get("/console/cases/\(caseID)").status == .notFound)
            try await esbjerg.get("/console/inbox")
            #expect(try await esbjerg.post("/console/handoffs/\(handoffID)/accept", [:]).status == .seeOther)
            #expect(try await esbjerg.post("/console/cases/\(caseID)/notes", ["note": "x"]).status == .seeOther)
            #expect(try await TestSQL.scalar(api, "SELECT status FROM handoffs") == "pending")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM case_timeline WHERE kind = 'note'") == "0")

            let hospital = ConsoleClient(api)
            try await hospital.login(keys.hospital)
            try await hospital.get("/console/cases/\(caseID)")
            for note in ["a\u{0}b", String(repeating: "🇩🇰", count: 2_001)] {
                let refused = try await hospital.post("/console/cases/\(caseID)/notes", ["note": note])
                #expect(refused.status == .seeOther)
                #expect(try await hospital.get("/console/cases/\(caseID)").text.contains(#"role="alert""#))
            }
            let summary = try await hospital.post("/console/cases/\(caseID)/summary", ["summary": "a\u{0}b", "version": "1"])
            #expect(summary.status == .unprocessableContent)
            let actor = ConsoleClient(api)
            try await actor.login(TestAPI.adminKey)
            try await actor.get("/console/admin")
            #expect(try await actor.post("/console/admin/actors", ["slug": "odense", "name": String(repeating: "🇩🇰", count: 101), "kind": "other"]).status == .seeOther)
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM actors WHERE slug = 'odense'") == "0")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM case_timeline WHERE kind = 'note'") == "0")
        }
    }
}

extension ConsoleRouteTests {
    @Test("the inbox shows the most urgent open handoffs a page at a time, overdue first, with the totals of all of them")
    func inboxPages() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            // 30 handoffs to København, due from 10 days ago to 19 days ahead, sent in shuffled order.
            var due: [String: Int] = [:]
            for index in [7, 23, 0, 15, 29, 3, 11, 19, 26, 1, 8, 14, 21, 5, 28, 2, 17, 9, 24, 12, 4, 27, 16, 6, 20, 10, 25, 13, 22, 18] {
                let caseID = try await api.openCase(key: keys.hospital, cpr: "01015\(index % 10)-\(1000 + index)")
                let handoffID = try await api.requestHandoff(caseID: caseID, key: keys.hospital, to: "kobenhavn")
                // A due time in the past cannot be asked for; the clock has moved on for these.
                _ = try await api.sql("UPDATE handoffs SET due_at = now() + interval '\(index - 10) days' + interval '1 hour' WHERE id = '\(handoffID)'")
                due[handoffID] = index
            }
            let console = ConsoleClient(api)
            _ = try await console.login(keys.kommune)
            func shown(_ html: String) -> [Int] {
                html.components(separatedBy: "id=\"overdragelse-").dropFirst().compactMap { due[String($0.prefix(36))] }
            }
            let first = try await console.get("/console/inbox")
            #expect(first.status == .ok)
            #expect(shown(first.text) == Array(0..<25), "most urgent first: \(shown(first.text))")
            #expect(first.text.contains("Til jer <span class=\"count\">(30)</span>"))
            #expect(first.text.contains("10 af dem er over fristen"))
            #expect(first.text.contains("href=\"/console/inbox?incoming_page=2#inkommende\" rel=\"next\""))
            let second = try await console.get("/console/inbox?incoming_page=2")
            #expect(shown(second.text) == Array(25..<30))
            #expect(second.text.contains("rel=\"prev\"") && !second.text.contains("rel=\"next\""))
            #expect(try await console.get("/console/inbox?incoming_page=nonsense").status == .ok)
            // The totals are counted up to a cap plus one, which stands for "more than the cap".
            let kobenhavn = try #require(UUID(uuidString: try await TestSQL.scalar(api, "SELECT id::text FROM actors WHERE slug = 'kobenhavn'") ?? ""))
            let access = AccessContext(principal: Principal(keyID: nil, actorID: kobenhavn, actorSlug: "kobenhavn", role: .caseworker))
            let capped = try await DeadlineSweeperTests.withRepository(databaseURL: api.databaseURL, escalation: [:]) { repository in
                (try await repository.openCounts(upTo: 20, access: access), try await repository.openCounts(upTo: 1000, access: access))
            }
            #expect(capped.0 == OpenHandoffCounts(incoming: 21, incomingOverdue: 10, outgoing: 0))
            #expect(capped.1 == OpenHandoffCounts(incoming: 30, incomingOverdue: 10, outgoing: 0))

            // Another actor's session sees none of them, on any page, and its totals are its own.
            let prison = ConsoleClient(api)
            _ = try await prison.login(keys.prison)
            for path in ["/console/inbox", "/console/inbox?incoming_page=2&outgoing_page=2"] {
                let other = try await prison.get(path)
                #expect(other.status == .ok && shown(other.text).isEmpty && !other.text.contains("discharged"))
                #expect(other.text.contains("Til jer <span class=\"count\">(0)</span>"), "\(path)")
            }
        }
    }
}
