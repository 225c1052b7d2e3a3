import Foundation
import IndgangCore
import Testing

@Suite("Outcome definitions")
struct OutcomeDefinitionsTests {
    let readmission = ReadmissionDefinition()
    let recidivism = RecidivismDefinition()
    let born1950 = CalendarDate(year: 1950, month: 6, day: 15)!
    let born2000 = CalendarDate(year: 2000, month: 6, day: 15)!
    let later = day("2030-01-01")

    func statuses(_ episodes: [OutcomeEpisode], window: Int = 30, asOf: Date? = nil) -> [OutcomeEpisode.Status] {
        episodes.map { $0.status(windowDays: window, asOf: asOf ?? later) }
    }

    static let dischargeHome = ["episode_id": "1", "discharged_to": "home", "actor": "nsh"]
    static let acute = ["episode_id": "2", "admission": "acute", "actor": "nsh"]
    static let planned = ["episode_id": "2", "admission": "planned", "actor": "nsh"]

    static let gaps: [(TimeInterval, Bool)] = [(30 * 86_400, true), (30 * 86_400 + 1, false), (29 * 86_400, true), (4 * 3600 + 1, true)]

    @Test("an acute admission on day 30 readmits; one second later does not", arguments: gaps)
    func readmissionWindowEdge(gap: TimeInterval, readmitted: Bool) {
        var history = HistoryBuilder()
        let discharge = history.add(.hospitalDischarged, at: day("2026-03-05"), Self.dischargeHome)
        _ = history.add(.hospitalAdmitted, at: discharge.occurredAt.addingTimeInterval(gap), Self.acute)
        #expect(statuses(readmission.episodes(birthDate: born1950, history: history.events)) == [.counted(positive: readmitted)])
    }

    @Test("stays at most 4 h apart are one stay: only the last discharge is an index, and the return is no readmission")
    func mergedStays() {
        var history = HistoryBuilder()
        _ = history.add(.hospitalDischarged, at: day("2026-03-05", "10:00:00"), Self.dischargeHome)
        _ = history.add(.hospitalAdmitted, at: day("2026-03-05", "14:00:00"), Self.acute)
        let last = history.add(.hospitalDischarged, at: day("2026-03-09"), Self.dischargeHome)
        let episodes = readmission.episodes(birthDate: born1950, history: history.events)
        #expect(episodes.map(\.eventID) == [last.id])
        #expect(statuses(episodes) == [.counted(positive: false)])
    }

    @Test("a planned admission is not a readmission, but an acute one after it still is")
    func plannedThenAcute() {
        var history = HistoryBuilder()
        _ = history.add(.hospitalDischarged, at: day("2026-03-05"), Self.dischargeHome)
        _ = history.add(.hospitalAdmitted, at: day("2026-03-10"), Self.planned)
        _ = history.add(.hospitalDischarged, at: day("2026-03-12"), Self.dischargeHome)
        let episodes = readmission.episodes(birthDate: born1950, history: history.events)
        #expect(statuses(episodes) == [.counted(positive: false), .counted(positive: false)])
        _ = history.add(.hospitalAdmitted, at: day("2026-03-20"), Self.acute)
        #expect(statuses(readmission.episodes(birthDate: born1950, history: history.events)) == [.counted(positive: true), .counted(positive: true)])
    }

    @Test("in-hospital death and transfer to another hospital are not index discharges; a nursing home is")
    func nonIndexDischarges() {
        var history = HistoryBuilder()
        _ = history.add(.hospitalDischarged, at: day("2026-03-05"), ["episode_id": "1", "discharged_to": "other_hospital", "actor": "nsh"])
        let nursing = history.add(.hospitalDischarged, at: day("2026-04-05"), ["episode_id": "3", "discharged_to": "nursing_home", "actor": "nsh"])
        _ = history.add(.hospitalDischarged, at: day("2026-06-05"), ["episode_id": "4", "discharged_to": "deceased", "actor": "nsh"])
        #expect(readmission.episodes(birthDate: born1950, history: history.events).map(\.eventID) == [nursing.id])
    }

    @Test("death in follow-up without readmission censors; a readmission before death still counts")
    func deathInFollowUp() {
        var history = HistoryBuilder()
        _ = history.add(.hospitalDischarged, at: day("2026-03-05"), Self.dischargeHome)
        _ = history.add(.citizenDied, at: day("2026-03-05"))
        #expect(statuses(readmission.episodes(birthDate: born1950, history: history.events)) == [.censored])

        var readmitted = HistoryBuilder()
        _ = readmitted.add(.hospitalDischarged, at: day("2026-03-05"), Self.dischargeHome)
        _ = readmitted.add(.hospitalAdmitted, at: day("2026-03-15"), Self.acute)
        _ = readmitted.add(.citizenDied, at: day("2026-03-20"))
        #expect(statuses(readmission.episodes(birthDate: born1950, history: readmitted.events)) == [.counted(positive: true)])

        var diedLater = HistoryBuilder()
        _ = diedLater.add(.hospitalDischarged, at: day("2026-03-05"), Self.dischargeHome)
        _ = diedLater.add(.citizenDied, at: day("2026-04-05"))
        #expect(statuses(readmission.episodes(birthDate: born1950, history: diedLater.events)) == [.counted(positive: false)])
    }

    @Test("follow-up shorter than the window censors, readmitted or not; exactly the window counts")
    func censoringAtWindowEnd() {
        var history = HistoryBuilder()
        let discharge = history.add(.hospitalDischarged, at: day("2026-03-05"), Self.dischargeHome)
        _ = history.add(.hospitalAdmitted, at: day("2026-03-10"), Self.acute)
        let episodes = readmission.episodes(birthDate: born1950, history: history.events)
        let end = discharge.occurredAt.addingTimeInterval(30 * 86_400)
        #expect(statuses(episodes, asOf: end.addingTimeInterval(-1)) == [.censored])
        #expect(statuses(episodes, asOf: end) == [.counted(positive: true)])
    }

    @Test("an index discharge records municipality, age and actor at the time")
    func episodeAttributes() {
        var history = HistoryBuilder()
        _ = history.add(.citizenMoved, at: day("2020-01-01"), ["municipality_code": "219"])
        _ = history.add(.citizenMoved, at: day("2026-04-01"), ["municipality_code": "101"])
        let discharge = history.add(.hospitalDischarged, at: day("2015-06-15"), Self.dischargeHome)
        let episode = readmission.episodes(birthDate: born1950, history: history.events)[0]
        #expect(episode.eventID == discharge.id)
        #expect(episode.age == 65)
        #expect(episode.municipalityCode == "219")
        #expect(episode.actorSlug == "nsh")
        #expect(episode.actorKind == .hospital)
    }

    // MARK: - Recidivism

    func reoffence(offence: String, sentence: String = "unconditional", released: String = "2024-05-01", window: Int = 730) -> OutcomeEpisode.Status {
        var history = HistoryBuilder()
        _ = history.add(.prisonReleased, at: day(released, "10:00:00"), ["actor": "kf"])
        _ = history.add(.justiceConvicted, at: day("2027-06-01"), ["offence_date": offence, "sentence": sentence])
        return statuses(recidivism.episodes(birthDate: born2000, history: history.events), window: window)[0]
    }

    static let offences: [(String, Bool)] = [
        ("2024-05-02", true), ("2026-05-01", true), ("2026-05-02", false), ("2024-05-01", false), ("2024-04-01", false),
    ]

    @Test("the offence date counts: after the release day and within 730 days", arguments: offences)
    func recidivismWindow(offence: String, counts: Bool) {
        #expect(reoffence(offence: offence) == .counted(positive: counts))
    }

    @Test("acquittal never counts; unconditional, conditional and fine do", arguments: ["unconditional", "conditional", "fine", "acquittal"])
    func sentences(sentence: String) {
        #expect(reoffence(offence: "2024-08-01", sentence: sentence) == .counted(positive: sentence != "acquittal"))
    }

    @Test("a shorter window_days moves the edge; follow-up shorter than it censors")
    func recidivismWindowParameter() {
        #expect(reoffence(offence: "2025-01-01", window: 365) == .counted(positive: true))
        #expect(reoffence(offence: "2025-06-01", window: 365) == .counted(positive: false))
        var history = HistoryBuilder()
        _ = history.add(.prisonReleased, at: day("2029-06-01"), ["actor": "kf"])
        #expect(statuses(recidivism.episodes(birthDate: born2000, history: history.events), window: 730) == [.censored])
    }

    @Test("each release is an episode; one offence may count for both")
    func twoReleases() {
        var history = HistoryBuilder()
        _ = history.add(.prisonReleased, at: day("2023-01-10"), ["actor": "kf"])
        _ = history.add(.prisonReleased, at: day("2024-01-10"), ["actor": "kf"])
        _ = history.add(.justiceConvicted, at: day("2025-06-01"), ["offence_date": "2024-03-01", "sentence": "fine"])
        #expect(statuses(recidivism.episodes(birthDate: born2000, history: history.events), window: 730) == [
            .counted(positive: true), .counted(positive: true),
        ])
    }

    // MARK: - Statistics

    static let wilsonValues: [(Int, Int, Double, Double)] = [
        (0, 10, 0.0, 0.2775), (5, 10, 0.2366, 0.7634), (10, 10, 0.7225, 1.0), (1, 100, 0.0018, 0.0545), (81, 263, 0.2553, 0.3662),
    ]

    @Test("Wilson 95 % intervals match published values", arguments: wilsonValues)
    func wilson(numerator: Int, denominator: Int, low: Double, high: Double) throws {
        let interval = try #require(Proportion(numerator, of: denominator).wilson95)
        #expect(abs(interval.lowerBound - low) < 0.00005)
        #expect(abs(interval.upperBound - high) < 0.00005)
    }

    @Test("Newcombe's difference interval matches his worked example (56/70 vs 48/80)")
    func newcombe() throws {
        // Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 − 48/80 = 0.2, method 10: 0.0524 to 0.3339.
        let result = try #require(Proportion(48, of: 80).difference(to: Proportion(56, of: 70)))
        #expect(abs(result.estimate - 0.2) < 1e-9)
        #expect(abs(result.ci95.lowerBound - 0.0524) < 0.00005)
        #expect(abs(result.ci95.upperBound - 0.3339) < 0.00005)
    }

    static let cells: [(Int, Int, Bool)] = [
        (0, 10, false), (1, 10, true), (4, 10, true), (5, 10, false), (0, 4, true), (0, 0, false), (3, 3, true), (5, 5, false),
    ]

    @Test("counts 1–4 are suppressed with the rate and interval; 0 and 5 are shown", arguments: cells)
    func suppression(numerator: Int, denominator: Int, suppressed: Bool) {
        let figure = OutcomeFigure(key: "all", numerator: numerator, denominator: denominator, censored: 2)
        #expect(figure.suppressed == suppressed)
        #expect((figure.numerator == nil) == suppressed)
        #expect((figure.rate == nil) == (suppressed || denominator == 0))
        #expect((figure.ci95 == nil) == (suppressed || denominator == 0))
        #expect(figure.censored == nil)
    }

    @Test("a comparison with a suppressed cohort shows no difference")
    func comparisonSuppression() {
        let shown = OutcomeComparison(a: OutcomeFigure(key: "a", numerator: 10, denominator: 50, censored: 0),
                                      b: OutcomeFigure(key: "b", numerator: 20, denominator: 50, censored: 0))
        #expect(shown.difference.map { abs($0 - 0.2) < 1e-9 } == true)
        let hidden = OutcomeComparison(a: OutcomeFigure(key: "a", numerator: 3, denominator: 50, censored: 0),
                                       b: OutcomeFigure(key: "b", numerator: 20, denominator: 50, censored: 0))
        #expect(hidden.suppressed && hidden.difference == nil && hidden.ci95 == nil)
    }

    @Test("age bands cover every age and follow the pathway edges")
    func ageBands() {
        #expect(AgeBand(age: 14) == .under15 && AgeBand(age: 15) == .from15 && AgeBand(age: 17) == .from15)
        #expect(AgeBand(age: 18) == .from18 && AgeBand(age: 29) == .from18 && AgeBand(age: 30) == .from30)
        #expect(AgeBand(age: 64) == .from30 && AgeBand(age: 65) == .from65 && AgeBand(age: 85) == .from85 && AgeBand(age: 120) == .from85)
        for band in AgeBand.allCases { #expect(AgeBand(age: band.lowerAge) == band) }
    }

    @Test("a pathway's age range maps to whole bands, or to none when it cuts through one")
    func bandsCoveringAges() {
        #expect(AgeBand.covering(minimum: 65, maximum: nil) == [.from65, .from75, .from85])
        #expect(AgeBand.covering(minimum: 18, maximum: 29) == [.from18])
        #expect(AgeBand.covering(minimum: 15, maximum: 29) == [.from15, .from18])
        #expect(AgeBand.covering(minimum: 0, maximum: nil) == AgeBand.allCases)
        #expect(AgeBand.covering(minimum: 67, maximum: nil) == nil)
        #expect(AgeBand.covering(minimum: 18, maximum: 25) == nil)
    }

    // MARK: - Agreement with the live flags

    @Test("property: a readmitted index discharge is always followed by an admission the rule file flags", arguments: 0..<20)
    func figuresAgreeWithFlags(seed: UInt64) {
        let engine = PathwayEngine(pathways: BuiltInPathways.all)
        var simulator = PopulationSimulator(seed: seed, until: day("2026-11-01", "00:00:00"))
        for index in 0..<40 {
            let citizen = simulator.citizen(index)
            let history = citizen.events.map { event in
                CitizenEvent(
                    id: UUID(), source: event.source, externalID: event.id, type: event.type, occurredAt: event.occurredAt,
                    attributes: event.attributes, actorKind: event.attributes["actor"].flatMap(Self.kind))
            }
            let flagged = Set(
                engine.plan(birthDate: citizen.birthDate, history: history).filter { $0.action == .flag(.readmission) }.map(\.eventID))
            for episode in readmission.episodes(birthDate: citizen.birthDate, history: history) where episode.age >= 65 && episode.actorKind == .hospital {
                guard episode.status(windowDays: 30, asOf: later) == .counted(positive: true) else { continue }
                let readmittedBy = history.first { $0.type == .hospitalAdmitted && $0.occurredAt == episode.outcomeAt }
                #expect(readmittedBy.map { flagged.contains($0.id) } == true)
            }
        }
    }

    static func kind(_ slug: String) -> ActorKind? {
        SimulatedActors.all.first { $0.slug == slug }?.kind
    }
}
