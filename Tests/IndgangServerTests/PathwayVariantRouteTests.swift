import Foundation
import IndgangCore
import IndgangStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import IndgangServer

/// Local variants over HTTP (issue 17): a variant loaded from INDGANG_PATHWAYS_DIR decides a real handoff's due
/// time and is recorded on the case; the catalogue and /readyz show what every replica must agree on.
@Suite("Pathway variants over HTTP")
struct PathwayVariantRouteTests {
    static let variant = """
        id: hillerod-subacute            # the variant's id
        title: Sub-akut forløb, Hillerød
        extends: subacute-elderly
        version: 1
        municipalities: ["219"]
        valid_from: 2026-01-01
        overrides:
          handoff_due: {working_days: 2, at: "12:00"}   # the due rule of every handoff the base requests
          escalation_actor: hillerod-visitation        # an actor slug
        goals:
          - {measure: readmissions, target: 0.15, direction: below, from: 2026-01-01}
        """

    static let adopting = """
        id: gribskov-subacute
        title: Gribskov tager Hillerøds forløb
        version: 1
        adopts: hillerod-subacute@1
        municipalities: ["270"]
        valid_from: 2026-03-01
        """

    static func folder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pathways-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return folder
    }

    @Test("a variant from INDGANG_PATHWAYS_DIR sets a real handoff's due_at; the case records it; other municipalities run the base")
    func variantDecidesHandoff() async throws {
        let folder = try Self.folder(["hillerod-subacute.yaml": Self.variant, "gribskov-subacute.yaml": Self.adopting])
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestAPI.run(configure: { $0.pathwaysFolder = folder }) { api in
            let keys = try await EventsTests.setUp(api)
            try await api.createActor("gribskov", code: "270")
            // Thursday 5 March 2026, 09:00 Copenhagen: two working days later is Monday 9 March, 12:00 (11:00 UTC).
            func admitAndDischarge(_ cpr: String, municipality: String) async throws -> [String: Any] {
                try #require(try await api.postEvent(key: keys.integration, id: "m\(cpr)", type: "citizen.moved", at: "2020-01-01T00:00:00Z", cpr: cpr,
                                                     attributes: #"{"municipality_code": "\#(municipality)"}"#).status == .created)
                try #require(try await api.postEvent(key: keys.integration, id: "a\(cpr)", type: "hospital.admitted", at: "2026-03-02T10:00:00Z", cpr: cpr,
                                                     attributes: #"{"episode_id": "e\#(cpr)", "admission": "acute", "actor": "nsh"}"#).status == .created)
                let discharged = try await api.postEvent(
                    key: keys.integration, id: "d\(cpr)", type: "hospital.discharged", at: "2026-03-05T08:00:00Z", cpr: cpr,
                    attributes: #"{"episode_id": "e\#(cpr)", "discharged_to": "home", "actor": "nsh"}"#)
                try #require(discharged.status == .created, "\(discharged.text)")
                let effects = try #require(discharged.json["effects"] as? [[String: Any]])
                let caseID = try #require(effects.compactMap { $0["case_id"] as? String }.first, "\(discharged.text)")
                let opened = try await api.call(.get, "/v1/cases/\(caseID)", key: keys.hospital)
                let pending = try #require(opened.json["pending_handoff"] as? [String: Any], "\(opened.text)")
                return ["due_at": pending["due_at"] ?? "", "variant": opened.json["pathway_variant"] ?? NSNull(), "version": opened.json["pathway_version"] ?? NSNull()]
            }
            let hillerod = try await admitAndDischarge("010140-1111", municipality: "219")
            #expect(hillerod["due_at"] as? String == "2026-03-09T11:00:00.000Z")
            #expect(hillerod["variant"] as? String == "hillerod-subacute" && hillerod["version"] as? Int == 1)
            let gribskov = try await admitAndDischarge("010140-2222", municipality: "270")
            #expect(gribskov["due_at"] as? String == "2026-03-09T11:00:00.000Z")
            #expect(gribskov["variant"] as? String == "hillerod-subacute", "the adopted variant is the one recorded")
            let esbjerg = try await admitAndDischarge("010140-3333", municipality: "561")
            #expect(esbjerg["due_at"] as? String == "2026-03-06T08:00:00.000Z", "the base: 24 hours after the discharge")
            #expect(esbjerg["variant"] is NSNull && esbjerg["version"] is NSNull)

            // A late citizen.moved that changes the variant of the event that opened a case corrects the case's record of it.
            for (id, type, at, attributes) in [
                ("lm1", "citizen.moved", "2020-01-01T00:00:00Z", #"{"municipality_code": "561"}"#),
                ("la1", "hospital.admitted", "2026-03-02T10:00:00Z", #"{"episode_id": "late", "admission": "acute", "actor": "nsh"}"#),
            ] {
                try #require(try await api.postEvent(key: keys.integration, id: id, type: type, at: at, cpr: "010140-2666", attributes: attributes).status == .created)
            }
            let lateCase = try #require(try await api.sql("SELECT c.id::text FROM cases c JOIN events e ON e.citizen_id = c.citizen_id WHERE e.external_id = 'la1'").first?[0] ?? nil)
            #expect(try await api.call(.get, "/v1/cases/\(lateCase)", key: keys.hospital).json["pathway_variant"] is NSNull)
            try #require(try await api.postEvent(key: keys.integration, id: "lm2", type: "citizen.moved", at: "2026-02-01T00:00:00Z", cpr: "010140-2666",
                                                 attributes: #"{"municipality_code": "219"}"#).status == .created)
            let corrected = try await api.call(.get, "/v1/cases/\(lateCase)", key: keys.hospital)
            #expect(corrected["pathway_variant"] == "hillerod-subacute" && corrected.json["pathway_version"] as? Int == 1, "\(corrected.text)")

            // A case a caseworker opens runs under the variant in force today for where the citizen lives.
            try #require(try await api.postEvent(key: keys.integration, id: "m-cw", type: "citizen.moved", at: "2020-01-01T00:00:00Z", cpr: "010140-4444",
                                                 attributes: #"{"municipality_code": "219"}"#).status == .created)
            let opened = try await api.call(.post, "/v1/cases", key: keys.kommune, json: #"{"cpr": "010140-4444", "pathway": "subacute-elderly", "summary": "s"}"#)
            #expect(opened.status == .created && opened["pathway_variant"] == "hillerod-subacute" && opened.json["pathway_version"] as? Int == 1, "\(opened.text)")
            let elsewhere = try await api.call(.post, "/v1/cases", key: keys.kommune, json: #"{"cpr": "010140-5555", "pathway": "subacute-elderly", "summary": "s"}"#)
            #expect(elsewhere.status == .created && elsewhere.json["pathway_variant"] is NSNull, "no citizen.moved known: the base")
        }
    }

    @Test("the catalogue lists bases and variant versions with adopters and goals; one shows definition, source and overrides; /readyz the digest")
    func catalogue() async throws {
        let folder = try Self.folder(["hillerod-subacute.yaml": Self.variant, "gribskov-subacute.yaml": Self.adopting])
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestAPI.run(configure: { $0.pathwaysFolder = folder }) { api in
            let keys = try await api.standardActors()
            let list = try await api.call(.get, "/v1/pathways", key: keys.kommune)
            #expect(list.status == .ok)
            #expect(list.items.compactMap { $0["id"] as? String } == ["mental-health-youth", "reentry-youth", "subacute-elderly", "gribskov-subacute", "hillerod-subacute"])
            let hillerod = try #require(list.items.first { $0["id"] as? String == "hillerod-subacute" })
            #expect(hillerod["adopted_by"] as? [String] == ["270"])
            #expect(hillerod["extends"] as? String == "subacute-elderly" && hillerod["version"] as? Int == 1)
            #expect((hillerod["goals"] as? [[String: Any]])?.first?["measure"] as? String == "readmissions")
            let base = try #require(list.items.first { $0["id"] as? String == "subacute-elderly" })
            #expect(base["version"] is NSNull)
            let digest = try #require(list["rule_set_digest"])
            #expect(digest.count == 64)

            let detail = try await api.call(.get, "/v1/pathways/hillerod-subacute", key: keys.kommune)
            #expect(detail.status == .ok)
            #expect(detail["source"] == Self.variant)
            let overrides = try #require(detail.json["overrides"] as? [String: Any])
            let parameters = try #require(overrides["parameters"] as? [[String: Any]])
            #expect(parameters.compactMap { $0["parameter"] as? String } == ["handoff_due", "escalation_actor"])
            #expect((parameters.first?["base"] as? [String: Any])?["hours_after_event"] as? Int == 24)
            #expect((parameters.first?["variant"] as? [String: Any])?["working_days"] as? Int == 2)
            let definition = try #require(detail.json["definition"] as? [String: Any])
            #expect(definition["escalation_actor"] as? String == "hillerod-visitation")
            let adopting = try await api.call(.get, "/v1/pathways/gribskov-subacute", key: keys.kommune)
            #expect(adopting["adopts"] == "hillerod-subacute@1" && adopting["extends"] == "subacute-elderly")
            #expect(try await api.call(.get, "/v1/pathways/hillerod-subacute?version=7", key: keys.kommune).fieldErrors == ["version"])
            #expect(try await api.call(.get, "/v1/pathways/hillerod-subacute?version=1%00", key: keys.kommune).fieldErrors == ["version"])
            #expect(try await api.call(.get, "/v1/pathways/subacute-elderly?version=1", key: keys.kommune).fieldErrors == ["version"])
            #expect(try await api.call(.get, "/v1/pathways/\(String(repeating: "%F0%9F%87%A9", count: 300))", key: keys.kommune).status == .notFound)
            // The catalogue is the same for every actor and role (it holds no personal data): another actor's key reads it alike.
            #expect(try await api.call(.get, "/v1/pathways", key: keys.prison).json["rule_set_digest"] as? String == digest)
            #expect(try await api.call(.get, "/v1/pathways/nowhere", key: keys.kommune).status == .notFound)
            #expect(try await api.call(.get, "/v1/pathways", key: nil).status == .unauthorized)
            let ready = try await api.call(.get, "/readyz", key: nil)
            #expect(ready["rule_set_digest"] == digest)
        }
    }

    @Test("a server whose extra rule files do not validate does not start, and says which file and line")
    func brokenFolderStopsStart() async throws {
        let folder = try Self.folder(["bad.yaml": Self.variant.replacingOccurrences(of: "extends: subacute-elderly", with: "extends: reentry-youth")])
        defer { try? FileManager.default.removeItem(at: folder) }
        var environment = ProcessLifecycleTests.baseEnvironment
        environment["DATABASE_URL"] = try await TestCluster.shared.freshDatabase()
        environment["INDGANG_DATA_KEY"] = Data(repeating: 9, count: 32).base64EncodedString()
        environment["INDGANG_PATHWAYS_DIR"] = folder.path
        let server = try ChildProcess(arguments: ["serve", "--port", "\(ChildProcess.freePort())"], environment: environment)
        #expect(await server.waitForExit(timeout: .seconds(60)) != 0)
        #expect(server.output.contains("bad.yaml:8: reentry-youth does not declare handoff_due overridable"), "\(server.output)")
    }
}

extension PathwayVariantRouteTests {
    @Test("each replica records its rule set digest; /metrics shows it and how many different ones live replicas run")
    func replicasAgree() async throws {
        let (server, root) = try await ChildProcess.serve()
        defer { server.signal(SIGTERM) }
        let ready = try await HTTPProbe.send("GET", root + "/readyz")
        let digest = try #require(ready.json["rule_set_digest"] as? String)
        var metrics = ""
        for _ in 0..<40 where !metrics.contains("indgang_rule_set_digests 1") {
            try await Task.sleep(for: .milliseconds(250))
            metrics = String(decoding: try await HTTPProbe.send("GET", root + "/metrics").body, as: UTF8.self)
        }
        #expect(metrics.contains("indgang_rule_set_digests 1"), "\(metrics)")
        #expect(metrics.contains(#"indgang_rule_set_info{digest="\#(digest)"} 1"#))
        #expect(metrics.contains(#"indgang_rule_set_replicas{digest="\#(digest)"} 1"#))
    }

    @Test("replicas that run different rule sets are counted apart; a replica gone quiet drops out")
    func registryCountsDigests() async throws {
        let databaseURL = try await TestCluster.shared.freshDatabase()
        try await TestSQL.withDatabase(databaseURL) { database in
            let registry = PostgresRuleSetRegistry(database: database)
            let (a, b) = (String(repeating: "a", count: 64), String(repeating: "b", count: 64))
            #expect(try await registry.announce(replica: "one", digest: a, recent: .seconds(60)) == [a: 1])
            #expect(try await registry.announce(replica: "two", digest: b, recent: .seconds(60)) == [a: 1, b: 1])
            #expect(try await registry.announce(replica: "three", digest: a, recent: .seconds(60)) == [a: 2, b: 1])
            _ = try await TestSQL.rows(databaseURL: databaseURL, query: "UPDATE rule_set_replicas SET seen_at = now() - interval '5 minutes' WHERE replica = 'two'")
            #expect(try await registry.announce(replica: "one", digest: a, recent: .seconds(60)) == [a: 2])
        }
    }
}
