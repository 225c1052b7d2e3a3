import Foundation
import HTTPTypes
import IndgangCore
import IndgangServer
import Testing

/// Attacks on the trust boundaries (API.md, second wave): each route that posts for an actor or takes an id,
/// tried with another actor's key; refusals name the field and write nothing.
@Suite("Trust boundaries")
struct TrustBoundaryTests {
    static let admitted = #"{"episode_id": "e1", "admission": "acute", "actor": "nsh"}"#

    /// Hospitals nsh and rigshospitalet, prison kf, municipalities hillerod and kobenhavn, each with its own
    /// integration key (default grants), and caseworker keys.
    struct Keys {
        let nsh: String, rigs: String, prison: String, hillerod: String
        let nshCaseworker: String, hillerodCaseworker: String, kobenhavnCaseworker: String
    }

    static func setUp(_ api: TestAPI) async throws -> Keys {
        try await api.createActor("nsh", kind: "hospital", code: nil)
        try await api.createActor("rigshospitalet", kind: "hospital", code: nil)
        try await api.createActor("kf", kind: "prison", code: nil)
        try await api.createActor("hillerod", code: "219")
        try await api.createActor("kobenhavn", code: "101")
        return Keys(
            nsh: try await api.issueKey("nsh", role: "integration"), rigs: try await api.issueKey("rigshospitalet", role: "integration"),
            prison: try await api.issueKey("kf", role: "integration"), hillerod: try await api.issueKey("hillerod", role: "integration"),
            nshCaseworker: try await api.issueKey("nsh"), hillerodCaseworker: try await api.issueKey("hillerod"),
            kobenhavnCaseworker: try await api.issueKey("kobenhavn"))
    }

    static func count(_ api: TestAPI, _ table: String) async throws -> String? {
        try await TestSQL.scalar(api, "SELECT count(*)::text FROM \(table)")
    }

    @Test("an integration speaks only for itself: types not granted and other actors are 403 naming the field, nothing written")
    func eventAuthority() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            let attempts: [(key: String, type: String, attributes: String, field: String)] = [
                (keys.nsh, "prison.released", #"{"actor": "kf"}"#, "type"),
                (keys.nsh, "justice.convicted", #"{"offence_date": "2026-01-01", "sentence": "fine"}"#, "type"),
                (keys.nsh, "citizen.moved", #"{"municipality_code": "101"}"#, "type"),
                (keys.nsh, "hospital.admitted", #"{"episode_id": "e1", "admission": "acute", "actor": "rigshospitalet"}"#, "attributes.actor"),
                (keys.prison, "hospital.discharged", #"{"episode_id": "e1", "discharged_to": "home", "actor": "nsh"}"#, "type"),
                (keys.hillerod, "prison.release_planned", #"{"release_date": "2026-05-01", "actor": "kf"}"#, "type"),
            ]
            for attempt in attempts {
                let response = try await api.postEvent(key: attempt.key, id: "x", type: attempt.type, at: "2026-03-01T10:00:00Z", attributes: attempt.attributes)
                #expect(response.status == .forbidden, "\(attempt.type): \(response.text)")
                #expect(response["type"] == "urn:indgang:problem:event-not-granted")
                #expect(response.fieldErrors == [attempt.field], "\(attempt.type)")
                // The dry run is refused the same way.
                let dry = try await api.postEvent(
                    key: attempt.key, id: "x", type: attempt.type, at: "2026-03-01T10:00:00Z", attributes: attempt.attributes, query: "?dry_run=true")
                #expect(dry.status == .forbidden)
            }
            for table in ["events", "citizens", "cases", "audit_log"] { #expect(try await Self.count(api, table) == "0", "\(table)") }
            // What a kind is the system of record for is granted by default.
            #expect(try await api.postEvent(key: keys.hillerod, id: "m", type: "citizen.moved", at: "2026-01-01T10:00:00Z", attributes: #"{"municipality_code": "219"}"#).status == .created)
            #expect(try await api.postEvent(key: keys.nsh, id: "d", type: "citizen.died", at: "2026-01-02T10:00:00Z", cpr: "010150-9999").status == .created)

            // In a batch the refused line is rejected with the same problem, and the others go on.
            let lines = [
                #"{"source": "epj", "id": "b1", "type": "hospital.admitted", "occurred_at": "2026-03-01T10:00:00Z", "cpr": "010150-1234", "attributes": \#(Self.admitted)}"#,
                #"{"source": "epj", "id": "b2", "type": "prison.released", "occurred_at": "2026-03-01T10:00:00Z", "cpr": "010150-1234", "attributes": {"actor": "kf"}}"#,
            ]
            let batch = try await api.call(
                .post, "/v1/events/batch", key: keys.nsh, headers: [.contentType: "application/x-ndjson"], rawBody: Data(lines.joined(separator: "\n").utf8))
            #expect(batch.json["accepted"] as? Int == 1, "\(batch.text)")
            let rejected = try #require((batch.json["rejected"] as? [[String: Any]])?.first)
            #expect(rejected["line"] as? Int == 2)
            let problem = try #require(rejected["problem"] as? [String: Any])
            #expect(problem["status"] as? Int == 403 && problem["type"] as? String == "urn:indgang:problem:event-not-granted")
        }
    }

    @Test("an admin narrows or widens a key's grants; GET /v1/keys shows them; grants are for integration keys only")
    func explicitGrants() async throws {
        try await TestAPI.run { api in
            _ = try await Self.setUp(api)
            let issued = try await api.call(
                .post, "/v1/actors/nsh/keys", key: TestAPI.adminKey, json: #"{"role": "integration", "event_types": ["hospital.admitted"]}"#)
            #expect(issued.status == .created)
            let narrow = try #require(issued["key"])
            let keyID = try #require(issued["id"])
            #expect(try await api.postEvent(key: narrow, id: "a", type: "hospital.admitted", at: "2026-03-01T10:00:00Z", attributes: Self.admitted).status == .created)
            let discharge = try await api.postEvent(
                key: narrow, id: "d", type: "hospital.discharged", at: "2026-03-02T10:00:00Z",
                attributes: #"{"episode_id": "e1", "discharged_to": "home", "actor": "nsh"}"#)
            #expect(discharge.status == .forbidden && discharge.fieldErrors == ["type"])
            let shown = try await api.call(.get, "/v1/keys/\(keyID)", key: TestAPI.adminKey)
            #expect(shown.json["event_types"] as? [String] == ["hospital.admitted"] && shown.json["event_types_explicit"] as? Bool == true)
            #expect(shown.json["key"] == nil && !shown.text.contains(narrow))
            let listed = try await api.call(.get, "/v1/keys?actor=nsh", key: TestAPI.adminKey)
            #expect(listed.items.count == 3, "\(listed.text)")
            let defaults = listed.items.first { $0["event_types_explicit"] as? Bool == false }
            #expect((defaults?["event_types"] as? [String])?.contains("hospital.discharged") == true)
            let wrongRole = try await api.call(.post, "/v1/actors/nsh/keys", key: TestAPI.adminKey, json: #"{"role": "caseworker", "event_types": ["hospital.admitted"]}"#)
            #expect(wrongRole.status == .unprocessableContent && wrongRole.fieldErrors == ["event_types"])
            let unknown = try await api.call(.post, "/v1/actors/nsh/keys", key: TestAPI.adminKey, json: #"{"role": "integration", "event_types": ["event.retracted"]}"#)
            #expect(unknown.status == .unprocessableContent)
            #expect(try await api.call(.get, "/v1/keys/\(keyID)", key: narrow).status == .forbidden)
            // The admin routes refuse every other role, before looking at anything.
            try await api.createActor("statistik", kind: "other", code: nil)
            let coordinator = try await api.issueKey("statistik", role: "coordinator")
            let caseworker = try await api.issueKey("nsh")
            for key in [narrow, coordinator, caseworker] {
                for (method, path) in [(HTTPRequest.Method.get, "/v1/keys?actor=nsh"), (.get, "/v1/keys/\(keyID)"), (.delete, "/v1/keys/\(keyID)"),
                                       (.get, "/v1/audit?actor=statistik")] {
                    #expect(try await api.call(method, path, key: key).status == .forbidden, "\(method) \(path)")
                }
                #expect(try await api.call(.post, "/v1/audit/search", key: key, json: #"{"cpr": "0101501234"}"#).status == .forbidden)
            }
            #expect(try await api.call(.get, "/v1/keys/\(keyID)", key: TestAPI.adminKey).json["revoked_at"] == nil)
        }
    }

    @Test("idempotency is per posting actor: two actors never collide on, or claim, each other's keys")
    func idempotencyPerActor() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            let rigsAdmitted = #"{"episode_id": "e1", "admission": "acute", "actor": "rigshospitalet"}"#
            // Rigshospitalet posts first under the key nsh's system will use; nsh's real event still gets 201.
            #expect(try await api.postEvent(key: keys.rigs, id: "42", type: "hospital.admitted", at: "2026-03-01T10:00:00Z", attributes: rigsAdmitted).status == .created)
            #expect(try await api.postEvent(key: keys.nsh, id: "42", type: "hospital.admitted", at: "2026-03-01T10:00:00Z", attributes: Self.admitted).status == .created)
            #expect(try await api.postEvent(key: keys.nsh, id: "42", type: "hospital.admitted", at: "2026-03-01T10:00:00Z", attributes: Self.admitted).status == .ok)
            #expect(try await Self.count(api, "events") == "2")
            // Through a batch the same: rigshospitalet's key may neither speak for nsh nor replay nsh's event as its own.
            let batch = { (key: String, lines: [String]) in
                try await api.call(
                    .post, "/v1/events/batch", key: key, headers: [.contentType: "application/x-ndjson"], rawBody: Data(lines.joined(separator: "\n").utf8))
            }
            let nshLine = #"{"source": "epj", "id": "43", "type": "hospital.admitted", "occurred_at": "2026-03-01T10:00:00Z", "cpr": "010150-1234", "attributes": \#(Self.admitted)}"#
            #expect(try await batch(keys.nsh, [nshLine]).json["accepted"] as? Int == 1)
            let foreign = try await batch(keys.rigs, [nshLine, nshLine.replacingOccurrences(of: #""actor": "nsh""#, with: #""actor": "rigshospitalet""#)])
            #expect(foreign.status == .ok, "\(foreign.text)")
            #expect(foreign.json["accepted"] as? Int == 1 && foreign.json["replayed"] as? Int == 0, "\(foreign.text)")
            let problem = try #require((foreign.json["rejected"] as? [[String: Any]])?.first?["problem"] as? [String: Any])
            #expect(problem["status"] as? Int == 403 && problem["type"] as? String == "urn:indgang:problem:event-not-granted", "\(foreign.text)")
            #expect(try await Self.count(api, "events") == "4")
        }
    }

    @Test("a dry run answers from the caller's own events only, names no case, and is audited per citizen")
    func dryRunRevealsNothing() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            let discharge = #"{"episode_id": "e1", "discharged_to": "home", "actor": "rigshospitalet"}"#
            let probe = { (cpr: String) in
                try await api.postEvent(
                    key: keys.rigs, id: "probe", type: "hospital.discharged", at: "2026-03-05T10:00:00Z", cpr: cpr, attributes: discharge, query: "?dry_run=true")
            }
            // Citizen A has an open case that nsh holds (and a move); citizen B has nothing. Rigshospitalet probes both.
            for (id, cpr) in [("a", "010150-1111"), ("b", "010150-2222")] {
                _ = try await api.postEvent(key: keys.hillerod, id: "m\(id)", type: "citizen.moved", at: "2020-01-01T00:00:00Z", cpr: cpr, attributes: #"{"municipality_code": "219"}"#)
            }
            #expect(try await api.postEvent(key: keys.nsh, id: "a1", type: "hospital.admitted", at: "2026-03-01T10:00:00Z", cpr: "010150-1111", attributes: Self.admitted).status == .created)
            let withCase = try await probe("010150-1111")
            let without = try await probe("010150-2222")
            #expect(withCase.status == .ok && without.status == .ok)
            #expect(Self.effects(withCase) == Self.effects(without), "\(withCase.text)\n\(without.text)")
            #expect(!withCase.text.contains("case_id") && !withCase.text.contains("handoff_id"))
            #expect(Self.effects(without) == ["request_handoff skipped -"], "\(without.text)")
            // Its own earlier admission does count: then the discharge finds a case to hand over — but not where the
            // citizen lives, which only another actor's event (the move) says, so it would escalate.
            _ = try await api.postEvent(
                key: keys.rigs, id: "r1", type: "hospital.admitted", at: "2026-03-01T11:00:00Z", cpr: "010150-2222",
                attributes: #"{"episode_id": "e1", "admission": "acute", "actor": "rigshospitalet"}"#)
            let own = try await probe("010150-2222")
            #expect(Self.effects(own) == ["request_handoff escalated -"], "\(own.text)")
            // Audited against the citizen, without writing anything else.
            let citizen = try #require(try await TestSQL.scalar(api, "SELECT citizen_id::text FROM events WHERE external_id = 'a1'"))
            let audit = try await api.call(.get, "/v1/audit?citizen_id=\(citizen)", key: TestAPI.adminKey)
            #expect(audit.items.contains { $0["action"] as? String == "event.dry_run" && $0["actor"] as? String == "rigshospitalet" })
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM events WHERE external_id = 'probe'") == "0")
        }
    }

    static func effects(_ response: APIResponse) -> [String] {
        ((response.json["effects"] as? [[String: Any]]) ?? []).map { effect in
            ["effect", "status", "actor"].map { "\(effect[$0] ?? "-")" }.joined(separator: " ")
        }
    }

    @Test("the CPR behind a case is revealed on purpose and audited; notes go to the timeline; other actors get 404")
    func revealAndNotes() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            let caseID = try await api.openCase(key: keys.nshCaseworker, cpr: "010150-1234")
            let revealed = try await api.call(.get, "/v1/cases/\(caseID)/citizen", key: keys.nshCaseworker)
            #expect(revealed.status == .ok && revealed["cpr"] == "010150-1234" && revealed.headers[.cacheControl] == "no-store")
            #expect(try await api.call(.get, "/v1/cases/\(caseID)/citizen", key: keys.hillerodCaseworker).status == .notFound)
            #expect(try await api.call(.get, "/v1/cases/\(UUID())/citizen", key: keys.nshCaseworker).status == .notFound)

            let note = try await api.call(.post, "/v1/cases/\(caseID)/notes", key: keys.nshCaseworker, json: #"{"text": "talked to the daughter"}"#)
            #expect(note.status == .created && note["kind"] == "note", "\(note.text)")
            #expect(try await api.call(.post, "/v1/cases/\(caseID)/notes", key: keys.hillerodCaseworker, json: #"{"text": "x"}"#).status == .notFound)
            #expect(try await api.call(.post, "/v1/cases/\(caseID)/notes", key: keys.nshCaseworker, json: #"{"text": ""}"#).fieldErrors == ["text"])
            let timeline = try await api.call(.get, "/v1/cases/\(caseID)/timeline", key: keys.nshCaseworker)
            #expect(timeline.items.contains { ($0["data"] as? [String: Any])?["text"] as? String == "talked to the daughter" })

            // Handed over and accepted: the former holder still sees the case but may not add notes.
            let handoff = try await api.requestHandoff(caseID: caseID, key: keys.nshCaseworker, to: "hillerod")
            #expect(try await api.call(.post, "/v1/handoffs/\(handoff)/accept", key: keys.hillerodCaseworker).status == .ok)
            #expect(try await api.call(.post, "/v1/cases/\(caseID)/notes", key: keys.nshCaseworker, json: #"{"text": "x"}"#).status == .forbidden)
            // A repeated decision changes nothing but is a read, so it is audited too.
            #expect(try await api.call(.post, "/v1/handoffs/\(handoff)/accept", key: keys.hillerodCaseworker).status == .ok)

            let citizen = try #require(revealed["citizen_id"])
            let audit = try await api.call(.get, "/v1/audit?citizen_id=\(citizen)", key: TestAPI.adminKey)
            let actions = audit.items.compactMap { $0["action"] as? String }
            #expect(actions.filter { $0 == "citizen.reveal" }.count == 1)
            #expect(actions.contains("case.note") && actions.filter { $0 == "handoff.accept" }.count == 2, "\(actions)")

            // "Who looked at this citizen", found by CPR in the body; the search itself is in the log.
            let searched = try await api.call(.post, "/v1/audit/search", key: TestAPI.adminKey, json: #"{"cpr": "0101501234"}"#)
            #expect(searched.status == .ok && searched["citizen_id"] == citizen)
            #expect(searched.items.first?["action"] as? String == "audit.search")
            #expect(try await api.call(.post, "/v1/audit/search", key: TestAPI.adminKey, json: #"{"cpr": "020250-1234"}"#).status == .notFound)
            #expect(try await api.call(.post, "/v1/audit/search", key: keys.nshCaseworker, json: #"{"cpr": "0101501234"}"#).status == .forbidden)
        }
    }

    @Test("a notification marked read is audited; another actor's notification is 404")
    func notificationRead() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            let caseID = try await api.openCase(key: keys.nshCaseworker, cpr: "010150-1234")
            _ = try await api.requestHandoff(caseID: caseID, key: keys.nshCaseworker, to: "hillerod")
            let inbox = try await api.call(.get, "/v1/notifications", key: keys.hillerodCaseworker)
            let id = try #require(inbox.items.first?["id"] as? String)
            #expect(try await api.call(.post, "/v1/notifications/\(id)/read", key: keys.kobenhavnCaseworker).status == .notFound)
            #expect(try await api.call(.post, "/v1/notifications/\(id)/read", key: keys.hillerodCaseworker).status == .ok)
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM audit_log WHERE action = 'notification.read'") == "1")
        }
    }

    @Test("subscriptions belong to an actor: list, pause, change, delete; another actor's is 404; revoking its key lists it")
    func subscriptions() async throws {
        let receiver = try await WebhookReceiver()
        defer { receiver.stop() }
        try await TestAPI.run(configure: WebhooksTests.configure) { api in
            let keys = try await Self.setUp(api)
            let created = try await api.call(
                .post, "/v1/subscriptions", key: keys.hillerod, json: #"{"url": "\#(receiver.url("hook"))", "kinds": ["handoff.requested"]}"#)
            let id = try #require(created["id"])
            #expect(try await api.call(.get, "/v1/subscriptions", key: keys.hillerod).items.map { $0["id"] as? String } == [id])
            #expect(try await api.call(.get, "/v1/subscriptions", key: keys.nsh).items.isEmpty)
            for (method, path) in [(HTTPRequest.Method.get, "/v1/subscriptions/\(id)"), (.delete, "/v1/subscriptions/\(id)"),
                                   (.get, "/v1/subscriptions/\(id)/deliveries")] {
                #expect(try await api.call(method, path, key: keys.nsh).status == .notFound, "\(method) \(path)")
            }
            #expect(try await api.call(.patch, "/v1/subscriptions/\(id)", key: keys.nsh, json: #"{"active": false}"#).status == .notFound)
            #expect(try await api.call(.get, "/v1/subscriptions?actor=hillerod", key: TestAPI.adminKey).items.count == 1)

            // Paused: a notification queues nothing.
            let paused = try await api.call(.patch, "/v1/subscriptions/\(id)", key: keys.hillerod, json: #"{"active": false}"#)
            #expect(paused.status == .ok && paused.json["active"] as? Bool == false)
            let caseID = try await api.openCase(key: keys.nshCaseworker, cpr: "010150-1234")
            _ = try await api.requestHandoff(caseID: caseID, key: keys.nshCaseworker, to: "hillerod")
            #expect(try await Self.count(api, "deliveries") == "0")
            let changed = try await api.call(.patch, "/v1/subscriptions/\(id)", key: keys.hillerod, json: #"{"active": true, "kinds": ["handoff.cancelled"]}"#)
            #expect(changed.json["kinds"] as? [String] == ["handoff.cancelled"])
            #expect(try await api.call(.patch, "/v1/subscriptions/\(id)", key: keys.hillerod, json: #"{"kinds": ["nope"]}"#).fieldErrors == ["kinds"])
            #expect(try await api.call(.patch, "/v1/subscriptions/\(id)", key: keys.hillerod, json: #"{"url": "ftp://x"}"#).fieldErrors == ["url"])

            // Revoking the key that created it lists it, so the admin can pause it.
            let keyID = try #require(try await TestSQL.scalar(api, "SELECT owner_key_id::text FROM subscriptions"))
            let revoked = try await api.call(.delete, "/v1/keys/\(keyID)", key: TestAPI.adminKey)
            #expect(revoked.json["subscriptions"] as? [String] == [id], "\(revoked.text)")
            #expect(try await api.call(.delete, "/v1/subscriptions/\(id)", key: TestAPI.adminKey).status == .noContent)
            #expect(try await api.call(.get, "/v1/subscriptions/\(id)", key: TestAPI.adminKey).status == .notFound)
        }
    }

    @Test("a replica whose key listener died silently still refuses a revoked key within 5 seconds (bounded cache age)")
    func revocationWithoutNotifications() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            var config = AppConfiguration()
            config.databaseURL = api.databaseURL
            config.adminKey = TestAPI.adminKey
            config.dataKey = Data((0..<32).map { UInt8($0) }).base64EncodedString()
            config.port = 0
            // Listens, so it caches, but on a channel nobody notifies: a connection that died without an error.
            config.principalChangeChannel = "indgang_nobody_notifies"
            let replica = try await buildApplication(config: config, logger: TestCluster.logger)
            try await replica.test(.live) { client in
                let get = { try await client.execute(uri: "/v1/cases", method: .get, headers: [.authorization: "Bearer \(keys.hillerodCaseworker)"]) }
                for _ in 0..<5 {
                    #expect(try await get().status == .ok)
                    try await Task.sleep(for: .milliseconds(100))
                }
                let keyID = try #require(try await TestSQL.scalar(api, "SELECT k.id::text FROM api_keys k JOIN actors a ON a.id = k.actor_id WHERE a.slug = 'hillerod' AND k.role = 'caseworker'"))
                #expect(try await api.call(.delete, "/v1/keys/\(keyID)", key: TestAPI.adminKey).status == .ok)
                let revokedAt = ContinuousClock.now
                var refused = false
                while ContinuousClock.now - revokedAt < .seconds(10), !refused {
                    refused = try await get().status == .unauthorized
                    if !refused { try await Task.sleep(for: .milliseconds(100)) }
                }
                let elapsed = ContinuousClock.now - revokedAt
                // The contract's 5 seconds, with a margin for a loaded test machine.
                #expect(refused && elapsed < .seconds(6), "refused: \(refused) after \(elapsed)")
            }
        }
    }
}

extension TrustBoundaryTests {
    /// A random elderly history for one system: admissions (acute or planned) and discharges over a year.
    static func randomHospitalEvents(_ random: inout SeededRandom, actor: String, prefix: String) -> [(id: String, type: String, at: String, attributes: String)] {
        var events: [(String, String, String, String)] = []
        var day = 1 + Int(random.unit() * 20)
        for index in 0..<(1 + Int(random.unit() * 4)) {
            let admission = random.chance(0.7) ? "acute" : "planned"
            events.append(("\(prefix)a\(index)", "hospital.admitted", String(format: "2026-%02d-%02dT10:00:00Z", 1 + day / 28, 1 + day % 28),
                           #"{"episode_id": "\#(prefix)\#(index)", "admission": "\#(admission)", "actor": "\#(actor)"}"#))
            day += 1 + Int(random.unit() * 10)
            let destination = random.weighted([("home", 0.7), ("nursing_home", 0.2), ("other_hospital", 0.1)])
            events.append(("\(prefix)d\(index)", "hospital.discharged", String(format: "2026-%02d-%02dT10:00:00Z", 1 + day / 28, 1 + day % 28),
                           #"{"episode_id": "\#(prefix)\#(index)", "discharged_to": "\#(destination)", "actor": "\#(actor)"}"#))
            day += 2 + Int(random.unit() * 30)
        }
        return events
    }

    @Test("property: for random histories, a dry run answers the same with and without other actors' events for the citizen")
    func dryRunProperty() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            for seed in UInt64(1)...8 {
                var random = SeededRandom(seed: seed, stream: 11)
                let own = Self.randomHospitalEvents(&random, actor: "nsh", prefix: "own")
                let foreign = Self.randomHospitalEvents(&random, actor: "rigshospitalet", prefix: "foreign")
                let (with, without) = (String(format: "0101%02d-1%03d", 30 + Int(seed), seed), String(format: "0101%02d-2%03d", 30 + Int(seed), seed))
                for (cpr, includeForeign) in [(with, true), (without, false)] {
                    for event in own {
                        #expect(try await api.postEvent(key: keys.nsh, id: "\(cpr)\(event.id)", type: event.type, at: event.at, cpr: cpr, attributes: event.attributes).status == .created)
                    }
                    guard includeForeign else { continue }
                    _ = try await api.postEvent(key: keys.hillerod, id: "\(cpr)m", type: "citizen.moved", at: "2020-01-01T00:00:00Z", cpr: cpr, attributes: #"{"municipality_code": "219"}"#)
                    for event in foreign {
                        _ = try await api.postEvent(key: keys.rigs, id: "\(cpr)\(event.id)", type: event.type, at: event.at, cpr: cpr, attributes: event.attributes)
                    }
                }
                let probe = random.chance(0.5)
                    ? ("hospital.admitted", #"{"episode_id": "probe", "admission": "acute", "actor": "nsh"}"#)
                    : ("hospital.discharged", #"{"episode_id": "own0", "discharged_to": "home", "actor": "nsh"}"#)
                let answers = try await [with, without].asyncMap { cpr in
                    try await api.postEvent(key: keys.nsh, id: "probe", type: probe.0, at: "2026-12-01T10:00:00Z", cpr: cpr, attributes: probe.1, query: "?dry_run=true")
                }
                #expect(answers.allSatisfy { $0.status == .ok })
                #expect(Self.comparable(answers[0]) == Self.comparable(answers[1]), "seed \(seed): \(answers[0].text) vs \(answers[1].text)")
            }
        }
    }

    /// An answer's effects without the hypothetical event's own id.
    static func comparable(_ response: APIResponse) -> [String] {
        ((response.json["effects"] as? [[String: Any]]) ?? []).map { effect in
            effect.filter { $0.key != "triggered_by" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}

