import Foundation
import HTTPTypes
import IndgangCore
import IndgangStore
import Testing

@testable import IndgangServer

/// Outcome figures over HTTP against a real database, checked against a plain computation in the test.
@Suite("Outcomes")
struct OutcomesTests {
    static let until = CalendarDate(year: 2026, month: 6, day: 1)!

    struct Keys {
        let integration: String
        let coordinator: String
        /// One integration key per simulated actor: an integration speaks only for its own actor.
        let byActor: [String: String]

        /// The key of the system that reports an event with these attributes (JSON object text) and type.
        func poster(_ type: String, _ attributes: String) -> String {
            let object = (try? JSONSerialization.jsonObject(with: Data(attributes.utf8))) as? [String: Any]
            let event = SimulatedEvent(
                source: "", id: "", type: EventType(rawValue: type)!, occurredAt: Date(), attributes: (object as? [String: String]) ?? [:])
            return byActor[event.postingActor]!
        }
    }

    /// Registers the simulated actors and posts a seeded population through `POST /v1/events/batch`.
    static func load(_ api: TestAPI, citizens: Int, seed: UInt64) async throws -> (Keys, [SimulatedCitizen]) {
        for actor in SimulatedActors.all {
            try await api.createActor(actor.slug, kind: actor.kind.rawValue, code: actor.municipalityCode)
        }
        try await api.createActor("statistik", kind: "other", code: nil)
        var byActor: [String: String] = [:]
        for actor in SimulatedActors.all {
            let grants = SimulatedActors.grants(of: actor).map { "[" + $0.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + "]" }
            byActor[actor.slug] = try await api.issueKey(actor.slug, role: "integration", eventTypes: grants)
        }
        let keys = Keys(
            integration: byActor["nordsjaellands-hospital"]!, coordinator: try await api.issueKey("statistik", role: "coordinator"), byActor: byActor)
        var simulator = PopulationSimulator(seed: seed, until: until.start())
        let population = (0..<citizens).map { simulator.citizen($0) }
        var lines: [String: [Data]] = [:]
        for citizen in population {
            for event in citizen.events { lines[event.postingActor, default: []].append(event.jsonLine(cpr: citizen.cpr)) }
        }
        for (actor, actorLines) in lines.sorted(by: { $0.key < $1.key }) {
            for start in stride(from: 0, to: actorLines.count, by: 2_000) {
                let body = actorLines[start..<min(start + 2_000, actorLines.count)].reduce(into: Data()) { $0.append($1); $0.append(0x0A) }
                let response = try await api.call(
                    .post, "/v1/events/batch", key: byActor[actor]!, headers: [.contentType: "application/x-ndjson"], rawBody: body)
                try #require(response.status == .ok, "\(response.text)")
                #expect((response.json["rejected"] as? [Any])?.isEmpty == true, "\(response.text)")
            }
        }
        return (keys, population)
    }

    // MARK: - The plain computation the API must agree with

    struct Tally: Equatable, CustomStringConvertible {
        var numerator = 0, denominator = 0, censored = 0
        var description: String { "\(numerator)/\(denominator) (censored \(censored))" }

        /// Counts one episode: out when its follow-up is cut short, else in the denominator (and numerator).
        static func record(_ tallies: inout [String: Tally], _ key: String, censored: Bool, positive: Bool) {
            var tally = tallies[key, default: Tally()]
            if censored {
                tally.censored += 1
            } else {
                tally.denominator += 1
                if positive { tally.numerator += 1 }
            }
            tallies[key] = tally
        }
    }

    static func copenhagenDate(_ instant: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Copenhagen")!
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    static func age(born: CalendarDate, on date: String) -> Int {
        let parts = date.split(separator: "-").map { Int($0)! }
        return parts[0] - born.year - ((parts[1], parts[2]) < (born.month, born.day) ? 1 : 0)
    }

    static func municipality(of citizen: SimulatedCitizen, at instant: Date) -> String {
        let moves = citizen.events.filter { $0.type == .citizenMoved }.sorted { $0.occurredAt < $1.occurredAt }
        return (moves.last { $0.occurredAt <= instant } ?? moves.first)?.attributes["municipality_code"] ?? "unknown"
    }

    /// 30-day readmissions, straight from API.md: key → tally, for index discharges dated from…to.
    static func readmissions(
        _ population: [SimulatedCitizen], from: String, to: String, now: Date, elderlyOnly: Bool = false, key: (SimulatedCitizen, SimulatedEvent) -> String
    ) -> [String: Tally] {
        var tallies: [String: Tally] = [:]
        for citizen in population {
            let admissions = citizen.events.filter { $0.type == .hospitalAdmitted }
            let death = citizen.events.first { $0.type == .citizenDied }?.occurredAt
            for discharge in citizen.events where discharge.type == .hospitalDischarged {
                guard ["home", "nursing_home"].contains(discharge.attributes["discharged_to"]!) else { continue }
                let date = copenhagenDate(discharge.occurredAt)
                guard date >= from, date <= to else { continue }
                if elderlyOnly {
                    let kind = SimulatedActors.all.first { $0.slug == discharge.attributes["actor"] }!.kind
                    guard age(born: citizen.birthDate, on: date) >= 65, kind == .hospital else { continue }
                }
                let gaps = admissions.map { $0.occurredAt.timeIntervalSince(discharge.occurredAt) }
                if gaps.contains(where: { $0 >= 0 && $0 <= 4 * 3600 }) { continue }  // the stay goes on: not an index discharge
                let end = discharge.occurredAt.addingTimeInterval(30 * 86_400)
                let readmitted = admissions.contains {
                    let gap = $0.occurredAt.timeIntervalSince(discharge.occurredAt)
                    return $0.attributes["admission"] == "acute" && gap > 4 * 3600 && gap <= 30 * 86_400
                }
                Tally.record(
                    &tallies, key(citizen, discharge), censored: end > now || (!readmitted && death.map { $0 <= end } == true), positive: readmitted)
            }
        }
        return tallies
    }

    /// Recidivism, straight from API.md: releases dated from…to, offences after the release within `window` days.
    static func recidivism(
        _ population: [SimulatedCitizen], from: String, to: String, window: Int, now: Date, key: (SimulatedCitizen, SimulatedEvent) -> String
    ) -> [String: Tally] {
        var tallies: [String: Tally] = [:]
        for citizen in population {
            let death = citizen.events.first { $0.type == .citizenDied }?.occurredAt
            for release in citizen.events where release.type == .prisonReleased {
                let date = copenhagenDate(release.occurredAt)
                guard date >= from, date <= to else { continue }
                let end = release.occurredAt.addingTimeInterval(Double(window) * 86_400)
                let reoffended = citizen.events.contains { event in
                    guard event.type == .justiceConvicted, event.attributes["sentence"] != "acquittal" else { return false }
                    let offence = CalendarDate(iso: event.attributes["offence_date"]!)!.start()
                    return offence > release.occurredAt && offence <= end
                }
                Tally.record(
                    &tallies, key(citizen, release), censored: end > now || (!reoffended && death.map { $0 <= end } == true), positive: reoffended)
            }
        }
        return tallies
    }

    /// The API's groups as tallies (suppressed counts read as nil, so they compare only when shown).
    static func groups(_ response: APIResponse) -> [String: (Int?, Int?, Int?)] {
        let groups = (response.json["groups"] as? [[String: Any]]) ?? []
        return Dictionary(uniqueKeysWithValues: groups.map { ($0["key"] as! String, ($0["numerator"] as? Int, $0["denominator"] as? Int, $0["censored"] as? Int)) })
    }

    /// The API agrees with the plain computation: every count it shows is exact; every count from 1 to 4 is
    /// hidden (and a numerator whose denominator is); and no column's hidden cells can be recovered by
    /// subtraction — never exactly one hidden cell among visible ones, never hidden cells adding up to 1–4.
    static func expectAgreement(_ response: APIResponse, _ expected: [String: Tally], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == .ok, "\(response.text)", sourceLocation: sourceLocation)
        let actual = groups(response)
        for (key, tally) in expected where tally.denominator + tally.censored > 0 {
            let shown = actual[key]
            let exact = shown.map { ($0.0 ?? tally.numerator, $0.1 ?? tally.denominator, $0.2 ?? tally.censored) }
            #expect(
                exact.map { $0 == (tally.numerator, tally.denominator, tally.censored) } == true,
                "group \(key): API \(String(describing: shown)), plain computation \(tally)", sourceLocation: sourceLocation)
            let small = SmallCells.hides(tally.numerator) || SmallCells.hides(tally.denominator)
            #expect(!small || shown?.0 == nil, "group \(key) shows a numerator next to a small cell", sourceLocation: sourceLocation)
            #expect(!SmallCells.hides(tally.denominator) || shown?.1 == nil, "group \(key) shows a small denominator", sourceLocation: sourceLocation)
            #expect(!SmallCells.hides(tally.censored) || shown?.2 == nil, "group \(key) shows a small censored count", sourceLocation: sourceLocation)
        }
        for (key, shown) in actual where expected[key] == nil {
            #expect(shown.0 ?? 0 == 0 && shown.1 ?? 0 == 0 && shown.2 ?? 0 == 0, "group \(key) only in the API", sourceLocation: sourceLocation)
        }
        guard actual.count > 1 else { return }
        let columns: [(String, (Tally) -> Int, ((Int?, Int?, Int?)) -> Int?)] = [
            ("numerator", { $0.numerator }, { $0.0 }), ("denominator", { $0.denominator }, { $0.1 }), ("censored", { $0.censored }, { $0.2 }),
        ]
        for (name, value, cell) in columns {
            let hidden = actual.filter { cell($0.value) == nil }.map { expected[$0.key].map(value) ?? 0 }
            guard !hidden.isEmpty else { continue }
            #expect(hidden.count > 1, "one hidden \(name) among visible ones: total − visible recovers it", sourceLocation: sourceLocation)
            #expect(!SmallCells.hides(hidden.reduce(0, +)), "hidden \(name)s add up to a small count", sourceLocation: sourceLocation)
        }
    }

    @Test("a simulated population posted through the events API: every figure equals the plain computation")
    func simulatedPopulation() async throws {
        try await TestAPI.run { api in
            let (keys, population) = try await Self.load(api, citizens: 600, seed: 42)
            let now = Date()
            let get = { (path: String) in try await api.call(.get, "/v1/outcomes/\(path)", key: keys.coordinator) }

            let all = try await get("readmissions?from=2021-06-01&to=2026-05-31")
            Self.expectAgreement(all, Self.readmissions(population, from: "2021-06-01", to: "2026-05-31", now: now) { _, _ in "all" })
            let overall = try #require(Self.groups(all)["all"])
            let rate = Double(overall.0!) / Double(overall.1!)
            #expect((0.10...0.22).contains(rate), "readmission rate \(rate)")

            let byMonth = try await get("readmissions?from=2024-01-01&to=2024-12-31&group_by=month&pathway=subacute-elderly")
            Self.expectAgreement(byMonth, Self.readmissions(population, from: "2024-01-01", to: "2024-12-31", now: now, elderlyOnly: true) {
                _, event in String(Self.copenhagenDate(event.occurredAt).prefix(7))
            })
            #expect(Self.groups(byMonth).count == 12)

            let byMunicipality = try await get("readmissions?from=2021-06-01&to=2026-05-31&group_by=municipality")
            Self.expectAgreement(byMunicipality, Self.readmissions(population, from: "2021-06-01", to: "2026-05-31", now: now) {
                citizen, event in Self.municipality(of: citizen, at: event.occurredAt)
            })

            let byAge = try await get("readmissions?from=2021-06-01&to=2026-05-31&group_by=age_band&pathway=subacute-elderly")
            Self.expectAgreement(byAge, Self.readmissions(population, from: "2021-06-01", to: "2026-05-31", now: now, elderlyOnly: true) {
                citizen, event in AgeBand(age: Self.age(born: citizen.birthDate, on: Self.copenhagenDate(event.occurredAt))).rawValue
            })

            let byActor = try await get("readmissions?from=2021-06-01&to=2026-05-31&group_by=actor")
            Self.expectAgreement(byActor, Self.readmissions(population, from: "2021-06-01", to: "2026-05-31", now: now) { _, event in
                event.attributes["actor"]!
            })

            let recidivism = try await get("recidivism?from=2021-06-01&to=2026-05-31")
            Self.expectAgreement(recidivism, Self.recidivism(population, from: "2021-06-01", to: "2026-05-31", window: 730, now: now) { _, _ in "all" })
            let shorter = try await get("recidivism?from=2021-06-01&to=2026-05-31&window_days=365&group_by=actor")
            Self.expectAgreement(shorter, Self.recidivism(population, from: "2021-06-01", to: "2026-05-31", window: 365, now: now) { _, event in
                event.attributes["actor"]!
            })
            let recidivismRate = try #require(Self.groups(recidivism)["all"]).0.map { Double($0) / Double(Self.groups(recidivism)["all"]!.1!) }
            #expect(recidivismRate.map { (0.15...0.45).contains($0) } == true, "recidivism rate \(String(describing: recidivismRate))")

            // Before / after a date: both cohorts as the plain computation has them, and the difference b − a.
            let compared = try await get("readmissions?from=2021-06-01&to=2026-05-31&compare=period:2024-01-01")
            let periods = Self.readmissions(population, from: "2021-06-01", to: "2026-05-31", now: now) { _, event in
                Self.copenhagenDate(event.occurredAt) < "2024-01-01" ? "before 2024-01-01" : "from 2024-01-01"
            }
            Self.expectAgreement(compared, periods)
            let comparison = try #require(compared.json["comparison"] as? [String: Any])
            let (before, after) = (periods["before 2024-01-01"]!, periods["from 2024-01-01"]!)
            let difference = Double(after.numerator) / Double(after.denominator) - Double(before.numerator) / Double(before.denominator)
            #expect(abs((comparison["difference"] as? Double ?? 9) - difference) < 0.0001)
            let interval = try #require(comparison["ci95"] as? [Double])
            #expect(interval[0] < difference && difference < interval[1])

            // Windows and periods are whole months (disclosure control): a date inside a month is refused.
            let midMonth = try await get("readmissions?from=2021-06-01&to=2026-05-31&compare=period:2024-02-14")
            #expect(midMonth.status == .unprocessableContent && midMonth.fieldErrors == ["compare"])

            // The live flags agree with the figures: every readmitted index discharge of an elderly citizen at a
            // hospital was followed by an admission the rules flagged on the citizen's case.
            let unflagged = try await TestSQL.scalar(
                api,
                """
                SELECT count(*)::text FROM outcome_episodes o
                WHERE o.measure = 'readmission' AND o.age >= 65 AND o.actor_kind = 'hospital' AND o.outcome_at <= o.at + interval '30 days'
                  AND NOT EXISTS (
                      SELECT 1 FROM events e JOIN case_timeline t ON t.kind = 'readmission_flagged' AND t.data->>'event_id' = e.id::text
                      WHERE e.citizen_id = o.citizen_id AND e.type = 'hospital.admitted' AND e.occurred_at = o.outcome_at)
                """)
            #expect(unflagged == "0")

            // Folding the pre-aggregated delta rows changes no figure.
            // Folded now (or already by the server's own compactor): one row per group is left, whoever folded.
            _ = try await TestSQL.withDatabase(api.databaseURL) { try await PostgresOutcomeRepository(database: $0).compact() }
            #expect(try await TestSQL.scalar(
                api, "SELECT count(*)::text FROM (SELECT 1 FROM outcome_counts GROUP BY measure, grain, on_date, actor_id, actor_kind, municipality_code, age_band HAVING count(*) > 1) g") == "0")
            // The month rows add up to the day rows of their month, group by group.
            #expect(try await TestSQL.scalar(
                api, """
                SELECT count(*)::text FROM (
                    SELECT 1 FROM outcome_counts
                    GROUP BY measure, outcome_grain_date('month', on_date), actor_id, actor_kind, municipality_code, age_band
                    HAVING sum(episodes) FILTER (WHERE grain = 'day') IS DISTINCT FROM sum(episodes) FILTER (WHERE grain = 'month')
                        OR sum(positive) FILTER (WHERE grain = 'day') IS DISTINCT FROM sum(positive) FILTER (WHERE grain = 'month')
                        OR sum(died_first) FILTER (WHERE grain = 'day') IS DISTINCT FROM sum(died_first) FILTER (WHERE grain = 'month')) g
                """) == "0")
            for (path, before) in [("readmissions?from=2021-06-01&to=2026-05-31&group_by=municipality", byMunicipality.text),
                                   ("recidivism?from=2021-06-01&to=2026-05-31", recidivism.text)] {
                let after = try await get(path)
                #expect(Self.groups(after).mapValues { "\($0)" } == Self.groups(APIResponse(status: .ok, headers: [:], body: Data(before.utf8))).mapValues { "\($0)" })
            }

            // Rebuilding every citizen's facts from the stored events gives the same facts and figures.
            _ = try await api.sql("DELETE FROM outcome_episodes")
            _ = try await api.sql("DELETE FROM outcome_counts")
            let rebuilt = try await TestSQL.withDatabase(api.databaseURL) {
                try await PostgresOutcomeRepository(database: $0).rebuild(batchSize: 97) { _ in }
            }
            #expect(rebuilt == population.count)
            let again = try await get("readmissions?from=2021-06-01&to=2026-05-31&group_by=municipality")
            #expect(Self.groups(again).mapValues { "\($0)" } == Self.groups(byMunicipality).mapValues { "\($0)" })

            // Nothing personal in any answer: no CPR number of the population appears, in JSON or CSV.
            let csv = try await api.call(.get, "/v1/outcomes/readmissions?group_by=municipality", key: keys.coordinator, headers: [.accept: "text/csv"])
            for text in [all.text, byMunicipality.text, byAge.text, recidivism.text, csv.text] {
                #expect(!population.contains { text.contains($0.cpr) || text.contains($0.cpr.replacingOccurrences(of: "-", with: "")) })
            }
        }
    }

    @Test("a late event corrects the figures: a conviction posted after the release, a discharge before its admission")
    func lateEvents() async throws {
        try await TestAPI.run { api in
            let (keys, _) = try await Self.load(api, citizens: 0, seed: 1)
            let post = { (id: String, type: String, at: String, cpr: String, attributes: String) in
                let response = try await api.postEvent(
                    key: keys.poster(type, attributes), id: id, type: type, at: at, cpr: cpr, attributes: attributes, source: "late")
                #expect(response.status == .created, "\(response.text)")
            }
            // Five young people released in 2023; three reoffend, two of those convictions arrive first, one last.
            for index in 0..<5 {
                try await post("r\(index)", "prison.released", "2023-03-0\(index + 1)T10:00:00Z", "01019\(index)-1234", #"{"actor": "kf-nyborg"}"#)
            }
            for index in 0..<2 {
                try await post("c\(index)", "justice.convicted", "2024-06-01T10:00:00Z", "01019\(index)-1234",
                               #"{"offence_date": "2023-09-01", "sentence": "conditional"}"#)
            }
            let url = "/v1/outcomes/recidivism?from=2023-01-01&to=2023-12-31"
            var groups = Self.groups(try await api.call(.get, url, key: keys.coordinator))
            #expect(groups["all"]!.1 == 5 && groups["all"]!.0 == nil)  // 2 of 5: the numerator is suppressed
            try await post("c2", "justice.convicted", "2025-01-01T10:00:00Z", "010192-1234", #"{"offence_date": "2024-12-01", "sentence": "fine"}"#)
            groups = Self.groups(try await api.call(.get, url, key: keys.coordinator))
            #expect(groups["all"]!.1 == 5 && groups["all"]!.0 == nil)  // 3 of 5, still suppressed
            try await post("c3", "justice.convicted", "2025-01-01T10:00:00Z", "010193-1234", #"{"offence_date": "2023-04-01", "sentence": "fine"}"#)
            try await post("c4", "justice.convicted", "2025-01-01T10:00:00Z", "010194-1234", #"{"offence_date": "2023-04-01", "sentence": "unconditional"}"#)
            let answer = try await api.call(.get, url, key: keys.coordinator)
            #expect(Self.groups(answer)["all"]!.0 == 5 && Self.groups(answer)["all"]!.1 == 5)
            #expect((answer.json["groups"] as? [[String: Any]])?.first?["rate"] as? Double == 1.0)

            // A discharge that arrives before its admission: one index discharge, once the admission shows it was one stay.
            let hospital = #"{"episode_id": "e1", "admission": "acute", "actor": "nordsjaellands-hospital"}"#
            try await post("d1", "hospital.discharged", "2024-02-10T10:00:00Z", "010150-4321",
                           #"{"episode_id": "e1", "discharged_to": "home", "actor": "nordsjaellands-hospital"}"#)
            try await post("d2", "hospital.discharged", "2024-02-20T10:00:00Z", "010150-4321",
                           #"{"episode_id": "e2", "discharged_to": "home", "actor": "nordsjaellands-hospital"}"#)
            let indexes = { try await TestSQL.scalar(api, "SELECT count(*)::text FROM outcome_episodes WHERE measure = 'readmission'") }
            #expect(try await indexes() == "2")
            try await post("a2", "hospital.admitted", "2024-02-10T12:00:00Z", "010150-4321", hospital)
            #expect(try await indexes() == "1")
        }
    }

    @Test("small cells: counts from 1 to 4 are null with the rate and interval, in JSON and CSV")
    func suppression() async throws {
        try await TestAPI.run { api in
            let (keys, _) = try await Self.load(api, citizens: 0, seed: 1)
            for index in 0..<3 {
                let response = try await api.postEvent(
                    key: keys.integration, id: "d\(index)", type: "hospital.discharged", at: "2024-02-1\(index)T10:00:00Z", cpr: "01015\(index)-4321",
                    attributes: #"{"episode_id": "e", "discharged_to": "home", "actor": "nordsjaellands-hospital"}"#)
                #expect(response.status == .created)
            }
            let answer = try await api.call(.get, "/v1/outcomes/readmissions?from=2024-01-01&to=2024-12-31", key: keys.coordinator)
            let group = try #require((answer.json["groups"] as? [[String: Any]])?.first)
            #expect(group["suppressed"] as? Bool == true)
            for field in ["numerator", "denominator", "rate", "ci95"] {
                #expect(group[field] is NSNull, "\(field) must be an explicit null")
            }
            let csv = try await api.call(
                .get, "/v1/outcomes/readmissions?from=2024-01-01&to=2024-12-31", key: keys.coordinator, headers: [.accept: "text/csv"])
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            // Plain RFC 4180: the header row first, one row per group; the definition is linked, not inlined.
            #expect(csv.text == "key,numerator,denominator,rate,ci95_low,ci95_high,suppressed,censored,goal_target,goal_direction,goal_status\r\nall,,,,,,true,0,,,\r\n")
            #expect(csv.headers[HTTPField.Name("Link")!] == #"</v1/outcomes/readmissions?from=2024-01-01&to=2024-12-31>; rel="describedby"; type="application/json""#)
            #expect(csv.headers[HTTPField.Name("Indgang-Definition")!] == "urn:indgang:outcome:readmission:v1")
            let parsed = try Self.parseCSV(csv.text)
            #expect(parsed.first?.count == 11 && parsed.allSatisfy { $0.count == 11 })
        }
    }

    @Test("handoff performance per actor pair: counts, acceptance rate, median and p90 hours to accept")
    func handoffs() async throws {
        try await TestAPI.run { api in
            let (keys, _) = try await Self.load(api, citizens: 0, seed: 1)
            let hospital = try await api.issueKey("nordsjaellands-hospital")
            let kommune = try await api.issueKey("hillerod")
            var accepted: [String] = []
            for index in 0..<8 {
                let caseID = try await api.openCase(key: hospital, cpr: "0101\(40 + index)-1111")
                let handoff = try await api.requestHandoff(caseID: caseID, key: hospital, to: "hillerod")
                if index < 6 {
                    #expect(try await api.call(.post, "/v1/handoffs/\(handoff)/accept", key: kommune).status == .ok)
                    accepted.append(handoff)
                } else if index == 6 {
                    #expect(try await api.call(.post, "/v1/handoffs/\(handoff)/reject", key: kommune, json: #"{"reason": "not ours"}"#).status == .ok)
                }
            }
            // Spread the acceptance times: 1, 2, …, 6 hours after the request.
            for (offset, id) in accepted.enumerated() {
                _ = try await api.sql("UPDATE handoffs SET requested_at = decided_at - interval '\(offset + 1) hours' WHERE id = '\(id)'")
            }
            // One of the six was accepted a minute after it fell due: five of eight requested were accepted in time.
            _ = try await api.sql("UPDATE handoffs SET due_at = decided_at - interval '1 minute' WHERE id = '\(accepted[0])'")
            let today = CalendarDate(Date())
            let answer = try await api.call(.get, "/v1/outcomes/handoffs?from=\(today.firstOfMonth)&to=\(today.lastOfMonth)", key: keys.coordinator)
            #expect(answer.status == .ok, "\(answer.text)")
            let group = try #require((answer.json["groups"] as? [[String: Any]])?.first)
            #expect(group["from_actor"] as? String == "nordsjaellands-hospital" && group["to_actor"] as? String == "hillerod")
            #expect(group["pathway"] as? String == "subacute-elderly")
            #expect(group["requested"] as? Int == 8 && group["accepted"] as? Int == 6)
            #expect(group["rejected"] is NSNull)  // 1: suppressed
            #expect(group["overdue"] as? Int == 0)
            #expect(group["accepted_in_time"] as? Int == 5 && group["accepted_in_time_rate"] as? Double == 0.625)
            let inTime = try #require(Proportion(5, of: 8).wilson95)
            #expect(group["accepted_in_time_ci95"] as? [Double] == [OutcomeGroupDTO.rounded(inTime.lowerBound), OutcomeGroupDTO.rounded(inTime.upperBound)])
            #expect(group["goal"] is NSNull, "the base pathway declares no handoff goal")
            // Read from the histogram as the core reads it, and near the exact 3.5 and 5.5 hours.
            var times = AcceptanceTimeHistogram()
            (1...6).forEach { times.add(seconds: Double($0) * 3600) }
            let median = try #require(group["median_hours_to_accept"] as? Double)
            let p90 = try #require(group["p90_hours_to_accept"] as? Double)
            #expect(abs(median - times.percentile(0.5)! / 3600) < 0.005 && abs(median / 3.5 - 1) < 0.19)
            #expect(abs(p90 - times.percentile(0.9)! / 3600) < 0.005 && abs(p90 / 5.5 - 1) < 0.19)
            // Working time: the same handoffs' times counted on Danish working days only, as the core counts them.
            var working = AcceptanceTimeHistogram()
            for row in try await api.sql("SELECT requested_at::text, decided_at::text FROM handoffs WHERE status = 'accepted'") {
                let parse = { (text: String?) in RFC3339.parse((text ?? "").replacingOccurrences(of: " ", with: "T") + ":00")! }
                working.add(seconds: try DanishCalendar.workingSeconds(from: parse(row[0]), to: parse(row[1])))
            }
            #expect(group["median_working_hours_to_accept"] as? Double == working.percentile(0.5).map { OutcomeGroupDTO.rounded($0 / 3600, places: 2) })
            #expect(group["p90_working_hours_to_accept"] as? Double == working.percentile(0.9).map { OutcomeGroupDTO.rounded($0 / 3600, places: 2) })
            let definition = try #require(answer.json["definition"] as? [String: Any])
            #expect(definition["id"] as? String == "urn:indgang:outcome:handoffs:v2")
            let parameters = try #require(definition["parameters"] as? [String: Any])
            #expect(parameters["buckets_per_doubling"] as? Int == 4 && parameters["first_bucket_seconds"] as? Int == 60)

            // Month rows add up to day rows, histograms included; folding the deltas changes no figure.
            let unequal = """
                SELECT count(*)::text FROM (
                    SELECT 1 FROM handoff_counts
                    GROUP BY outcome_grain_date('month', on_date), pathway, from_actor_id, to_actor_id, municipality_code, age_band
                    HAVING sum(requested) FILTER (WHERE grain = 'day') IS DISTINCT FROM sum(requested) FILTER (WHERE grain = 'month')
                        OR sum(accepted) FILTER (WHERE grain = 'day') IS DISTINCT FROM sum(accepted) FILTER (WHERE grain = 'month')
                        OR sum(accepted_in_time) FILTER (WHERE grain = 'day') IS DISTINCT FROM sum(accepted_in_time) FILTER (WHERE grain = 'month')
                        OR int_array_sum(accepted_within) FILTER (WHERE grain = 'day')
                           IS DISTINCT FROM int_array_sum(accepted_within) FILTER (WHERE grain = 'month')) g
                """
            #expect(try await TestSQL.scalar(api, unequal) == "0")
            // The rows over all places (migration 0025) add up the month's rows of every municipality and age band.
            let sums = ["requested", "accepted", "rejected", "overdue", "accepted_in_time"].map { "sum(\($0))" }
                + ["int_array_sum(accepted_within)", "int_array_sum(accepted_within_working)"]
            let unequalPlaces = """
                SELECT count(*)::text FROM (
                    SELECT 1 FROM handoff_counts WHERE grain IN ('month', 'month_all')
                    GROUP BY on_date, pathway, from_actor_id, to_actor_id
                    HAVING \(sums.map { "\($0) FILTER (WHERE grain = 'month') IS DISTINCT FROM \($0) FILTER (WHERE grain = 'month_all')" }
                        .joined(separator: " OR "))) g
                """
            #expect(try await TestSQL.scalar(api, unequalPlaces) == "0")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM handoff_counts WHERE grain = 'month_all'") != "0")
            // … and answer what the rows by municipality answer when a filter needs those.
            let municipality = try #require(try await TestSQL.scalar(api, "SELECT municipality_code FROM actors WHERE slug = 'hillerod'"))
            let filtered = try await api.call(
                .get, "/v1/outcomes/handoffs?from=\(today.firstOfMonth)&to=\(today.lastOfMonth)&municipality=\(municipality)", key: keys.coordinator)
            let byMunicipality = try #require((filtered.json["groups"] as? [[String: Any]])?.first)
            for field in ["requested", "accepted", "overdue", "median_hours_to_accept", "p90_working_hours_to_accept", "accepted_in_time"] {
                #expect("\(byMunicipality[field] ?? "missing")" == "\(group[field] ?? "missing")", "\(field)")
            }
            let folded = """
                SELECT (count(*) = count(DISTINCT (grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band)))::text
                FROM handoff_counts
                """
            #expect(try await TestSQL.scalar(api, folded) == "false")
            _ = try await TestSQL.withDatabase(api.databaseURL) { try await PostgresOutcomeRepository(database: $0).compact() }
            #expect(try await TestSQL.scalar(api, folded) == "true")
            #expect(try await TestSQL.scalar(api, unequal) == "0")
            #expect(try await TestSQL.scalar(api, unequalPlaces) == "0")
            let compacted = try await api.call(.get, "/v1/outcomes/handoffs?from=\(today.firstOfMonth)&to=\(today.lastOfMonth)", key: keys.coordinator)
            let after = try #require((compacted.json["groups"] as? [[String: Any]])?.first)
            for field in ["requested", "accepted", "overdue", "median_hours_to_accept", "p90_hours_to_accept", "rate", "accepted_in_time"] {
                #expect("\(after[field] ?? "missing")" == "\(group[field] ?? "missing")", "\(field)")
            }
            #expect(group["rate"] as? Double == 0.75)
        }
    }

    @Test("the SQL age bands are the core's")
    func ageBandsAgree() async throws {
        try await TestAPI.run { api in
            let rows = try await api.sql("SELECT a::text, outcome_age_band(a) FROM generate_series(0, 120) AS a ORDER BY a")
            #expect(rows.count == 121)
            for row in rows { #expect(row[1] == AgeBand(age: Int(row[0]!)!).rawValue) }
        }
    }

    @Test("the SQL acceptance-time buckets are the core's, on both sides of every bucket edge")
    func waitBucketsAgree() async throws {
        try await TestAPI.run { api in
            let edges = (1..<AcceptanceTimeHistogram.bucketCount).map { AcceptanceTimeHistogram.bounds($0).lower }
            let values: [Double] = [0, 0.5, 59.999, 3600, 1e9] + edges.flatMap { [$0.nextDown, $0, $0.nextUp] }
            let rows = try await api.sql(
                """
                SELECT i::text, handoff_wait_bucket(v)::text
                FROM unnest('{\(values.map(\.description).joined(separator: ","))}'::float8[]) WITH ORDINALITY AS t(v, i) ORDER BY i
                """)
            #expect(rows.count == values.count)
            for row in rows {
                let value = values[Int(row[0]!)! - 1]
                #expect(Int(row[1]!)! - 1 == AcceptanceTimeHistogram.bucket(seconds: value), "\(value) seconds")
            }
        }
    }

    @Test("coordinators only; every bad parameter is a 422 naming it")
    func accessAndValidation() async throws {
        try await TestAPI.run { api in
            let (keys, _) = try await Self.load(api, citizens: 0, seed: 1)
            let caseworker = try await api.issueKey("hillerod")
            for path in ["readmissions", "recidivism", "handoffs"] {
                #expect(try await api.call(.get, "/v1/outcomes/\(path)").status == .unauthorized)
                for key in [caseworker, keys.integration, TestAPI.adminKey] {
                    #expect(try await api.call(.get, "/v1/outcomes/\(path)?group_by=nonsense", key: key).status == .forbidden)
                }
                #expect(try await api.call(.get, "/v1/outcomes/\(path)", key: keys.coordinator).status == .ok)
            }
            let cases: [(String, String)] = [
                ("readmissions?from=2024-13-01", "from"), ("readmissions?from=2024-05-01&to=2024-04-01", "to"),
                ("readmissions?group_by=week", "group_by"), ("readmissions?pathway=reentry-youth", "pathway"),
                ("readmissions?pathway=nowhere", "pathway"), ("readmissions?actor=nobody", "actor"), ("readmissions?municipality=12", "municipality"),
                ("readmissions?window_days=60", "window_days"), ("recidivism?window_days=0", "window_days"),
                ("recidivism?window_days=abc", "window_days"), ("readmissions?compare=municipality:101", "compare"),
                ("readmissions?compare=municipality:101,147&group_by=month", "compare"), ("readmissions?compare=age_band:65-74,65-74", "compare"),
                ("readmissions?compare=period:yesterday", "compare"), ("readmissions?compare=actor:kobenhavn,nobody", "compare"),
                ("handoffs?compare=municipality:101,147", "compare"),
            ]
            for (path, field) in cases {
                let response = try await api.call(.get, "/v1/outcomes/\(path)", key: keys.coordinator)
                #expect(response.status == .unprocessableContent, "\(path): \(response.text)")
                #expect(response.fieldErrors.contains(field), "\(path): \(response.text)")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            let compared = try await api.call(.get, "/v1/outcomes/readmissions?compare=age_band:65-74,85%2B", key: keys.coordinator)
            #expect(compared.status == .ok, "\(compared.text)")
        }
    }
}

extension OutcomesTests {
    /// Parses CSV with Python's `csv` module (a real CSV library, as spreadsheets read it), not by splitting.
    static func parseCSV(_ text: String) throws -> [[String]] {
        let file = "/tmp/indgang-csv-\(UUID().uuidString).csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='')))))", file]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (try JSONSerialization.jsonObject(with: data) as? [[String]]) ?? []
    }
}
