import Foundation
import IndgangCore
import Testing

/// Builds histories for one citizen.
struct HistoryBuilder {
    var events: [CitizenEvent] = []
    var counter = 0

    mutating func add(_ type: EventType, at date: Date, _ attributes: [String: String] = [:], actorKind: ActorKind? = nil) -> CitizenEvent {
        counter += 1
        let kind = actorKind ?? (type.actorKinds.first)
        let event = CitizenEvent(
            id: UUID(), source: "test", externalID: String(format: "e%04d", counter), type: type, occurredAt: date,
            attributes: attributes, actorKind: attributes["actor"] == nil ? nil : kind)
        events.append(event)
        return event
    }

    /// Fourteen random events of the kinds the built-in pathways react to, and a birth date that makes some of
    /// them eligible.
    static func random(using random: inout SeededGenerator) -> (HistoryBuilder, CalendarDate) {
        var builder = HistoryBuilder()
        var clock = day("2026-01-01")
        for _ in 0..<14 {
            clock = clock.addingTimeInterval(Double(Int.random(in: 1...20, using: &random)) * 86_400 / 2)
            let episode = String(Int.random(in: 1...5, using: &random))
            switch Int.random(in: 0..<9, using: &random) {
            case 0: _ = builder.add(.citizenMoved, at: clock, ["municipality_code": ["101", "219", "561"].randomElement(using: &random)!])
            case 1, 2: _ = builder.add(.hospitalAdmitted, at: clock, ["episode_id": episode, "admission": ["acute", "planned"].randomElement(using: &random)!, "actor": "nsh"])
            case 3, 4:
                _ = builder.add(
                    .hospitalDischarged, at: clock,
                    ["episode_id": episode, "discharged_to": ["home", "nursing_home", "other_hospital"].randomElement(using: &random)!, "actor": "nsh"])
            case 5: _ = builder.add(.prisonReleasePlanned, at: clock, ["release_date": CalendarDate(clock).adding(days: 20).description, "actor": "kf"])
            case 6: _ = builder.add(.prisonReleased, at: clock, ["actor": "kf"])
            case 7:
                _ = builder.add(
                    .justiceConvicted, at: clock,
                    ["offence_date": CalendarDate(clock).adding(days: -Int.random(in: 0...60, using: &random)).description, "sentence": "fine"])
            default:
                _ = builder.add(.hospitalDischarged, at: clock, ["episode_id": episode, "discharged_to": "home", "actor": "psyk"], actorKind: .psychiatry)
            }
        }
        let born = [CalendarDate(year: 1950, month: 6, day: 15)!, CalendarDate(year: 2000, month: 6, day: 15)!, CalendarDate(year: 2005, month: 2, day: 28)!].randomElement(using: &random)!
        return (builder, born)
    }
}

func day(_ text: String, _ time: String = "12:00:00") -> Date { RFC3339.parse("\(text)T\(time)Z")! }

@Suite("Pathway rules engine")
struct PathwayEngineTests {
    let engine = PathwayEngine(pathways: BuiltInPathways.all)
    let born1950 = CalendarDate(year: 1950, month: 6, day: 15)!
    let born2000 = CalendarDate(year: 2000, month: 6, day: 15)!

    func actions(_ history: [CitizenEvent], born: CalendarDate, pathway: String? = nil) -> [PlannedAction] {
        engine.plan(birthDate: born, history: history).filter { pathway == nil || $0.pathway == pathway }.map(\.action)
    }

    @Test("sub-acute elderly: acute admission opens at the hospital; discharge home hands to the municipality, due 24 h later")
    func elderlyHappyPath() {
        var history = HistoryBuilder()
        _ = history.add(.citizenMoved, at: day("2020-01-01"), ["municipality_code": "219"])
        _ = history.add(.hospitalAdmitted, at: day("2026-03-01"), ["episode_id": "1", "admission": "acute", "actor": "nsh"])
        _ = history.add(.hospitalAdmitted, at: day("2026-03-02"), ["episode_id": "1", "admission": "planned", "actor": "nsh"])
        let discharge = history.add(.hospitalDischarged, at: day("2026-03-05"), ["episode_id": "1", "discharged_to": "home", "actor": "nsh"])
        #expect(
            actions(history.events, born: born1950) == [
                .openCase(responsible: .slug("nsh")),
                .requestHandoff(
                    to: .municipality(code: "219"), dueAt: discharge.occurredAt.addingTimeInterval(86_400),
                    reason: "discharged from hospital; sub-acute follow-up at home"),
            ])
    }

    @Test("age boundaries are reckoned on the birthday", arguments: [
        ("2015-06-14", 0), ("2015-06-15", 1),  // 64 the day before the 65th birthday, 65 on it
    ])
    func elderlyAgeBoundary(date: String, expected: Int) {
        var history = HistoryBuilder()
        _ = history.add(.hospitalAdmitted, at: day(date), ["episode_id": "1", "admission": "acute", "actor": "nsh"])
        #expect(actions(history.events, born: CalendarDate(year: 1950, month: 6, day: 15)!).count == expected)
    }

    static let readmissionGaps: [(TimeInterval, Bool)] = [
        (29 * 86_400, true), (30 * 86_400, true), (30 * 86_400 + 1, false), (4 * 3600, false), (4 * 3600 + 1, true),
    ]

    @Test("readmission: acute admission within 30 days of a discharge home, more than 4 hours after it", arguments: readmissionGaps)
    func readmissionWindow(gap: TimeInterval, flagged: Bool) {
        var history = HistoryBuilder()
        let discharge = history.add(.hospitalDischarged, at: day("2026-03-05"), ["episode_id": "1", "discharged_to": "home", "actor": "nsh"])
        _ = history.add(.hospitalAdmitted, at: discharge.occurredAt.addingTimeInterval(gap), ["episode_id": "2", "admission": "acute", "actor": "nsh"])
        #expect(actions(history.events, born: born1950).contains(.flag(.readmission)) == flagged)
    }

    @Test("no readmission after a transfer, a death or a planned admission")
    func notReadmissions() {
        var history = HistoryBuilder()
        _ = history.add(.hospitalDischarged, at: day("2026-03-05"), ["episode_id": "1", "discharged_to": "other_hospital", "actor": "nsh"])
        _ = history.add(.hospitalAdmitted, at: day("2026-03-06"), ["episode_id": "2", "admission": "acute", "actor": "nsh"])
        _ = history.add(.hospitalDischarged, at: day("2026-03-10"), ["episode_id": "2", "discharged_to": "home", "actor": "nsh"])
        _ = history.add(.hospitalAdmitted, at: day("2026-03-12"), ["episode_id": "3", "admission": "planned", "actor": "nsh"])
        #expect(!actions(history.events, born: born1950).contains(.flag(.readmission)))
    }

    @Test("re-entry: 18–29 on the day of the planned release", arguments: [
        (CalendarDate(year: 2008, month: 6, day: 16)!, false), (CalendarDate(year: 2008, month: 6, day: 15)!, true),  // 17 / 18
        (CalendarDate(year: 1996, month: 6, day: 15)!, false), (CalendarDate(year: 1996, month: 6, day: 16)!, true),  // 30 / 29
    ])
    func reentryAges(born: CalendarDate, eligible: Bool) {
        var history = HistoryBuilder()
        _ = history.add(.prisonReleasePlanned, at: day("2026-06-15"), ["release_date": "2026-08-01", "actor": "kf"])
        #expect(actions(history.events, born: born).contains(.openCase(responsible: .slug("kf"))) == eligible)
    }

    @Test("re-entry handoff is due the day before release, or on release day when it is too late for that")
    func reentryDue() {
        var early = HistoryBuilder()
        _ = early.add(.citizenMoved, at: day("2020-01-01"), ["municipality_code": "561"])
        _ = early.add(.prisonReleasePlanned, at: day("2026-06-15"), ["release_date": "2026-08-01", "actor": "kf"])
        // End of 31 July in Copenhagen (CEST, UTC+2) = 2026-07-31T22:00:00Z.
        #expect(
            actions(early.events, born: born2000).last
                == .requestHandoff(
                    to: .municipality(code: "561"), dueAt: day("2026-07-31", "22:00:00"),
                    reason: "release planned; housing, income and contact must be ready before release day"))
        var late = HistoryBuilder()
        _ = late.add(.prisonReleasePlanned, at: day("2026-08-01", "08:00:00"), ["release_date": "2026-08-01", "actor": "kf"])
        guard case .requestHandoff(let to, let due, _) = actions(late.events, born: born2000).last else {
            Issue.record("no handoff planned")
            return
        }
        #expect(to == .unknownMunicipality)
        #expect(due == day("2026-08-01", "22:00:00"))
    }

    @Test("re-offence: the offence date within 730 days after a release counts, acquittals and earlier offences do not", arguments: [
        ("2026-01-02", "unconditional", true), ("2027-12-31", "fine", true), ("2028-01-01", "conditional", true),
        ("2028-01-02", "unconditional", false), ("2025-12-31", "unconditional", false), ("2026-06-01", "acquittal", false),
    ])
    func reoffenceWindow(offence: String, sentence: String, flagged: Bool) {
        var history = HistoryBuilder()
        _ = history.add(.prisonReleased, at: day("2026-01-01", "09:00:00"), ["actor": "kf"])
        // The conviction comes long after the offence; the offence date is what counts.
        _ = history.add(.justiceConvicted, at: day("2028-09-01"), ["offence_date": offence, "sentence": sentence])
        #expect(actions(history.events, born: born2000).contains(.flag(.reoffence)) == flagged)
    }

    @Test("mental health: discharge from psychiatry (15–29) opens at the municipality; from a somatic hospital it does not")
    func mentalHealth() {
        var history = HistoryBuilder()
        _ = history.add(.citizenMoved, at: day("2020-01-01"), ["municipality_code": "101"])
        _ = history.add(.hospitalDischarged, at: day("2026-03-05"), ["episode_id": "1", "discharged_to": "home", "actor": "psyk"], actorKind: .psychiatry)
        _ = history.add(.hospitalDischarged, at: day("2026-04-05"), ["episode_id": "2", "discharged_to": "home", "actor": "nsh"], actorKind: .hospital)
        let planned = actions(history.events, born: CalendarDate(year: 2010, month: 1, day: 1)!, pathway: "mental-health-youth")
        #expect(planned == [.openCase(responsible: .municipality(code: "101"))])
        #expect(actions(history.events, born: CalendarDate(year: 2012, month: 1, day: 1)!, pathway: "mental-health-youth").isEmpty)  // 14
    }

    @Test("a death closes the case on every pathway")
    func death() {
        var history = HistoryBuilder()
        _ = history.add(.citizenDied, at: day("2026-03-05"))
        #expect(actions(history.events, born: born2000).filter { $0 == .closeCase(.deceased) }.count == 3)
    }

    @Test("the municipality is the latest move up to the event, else the first known")
    func municipalityAtTime() {
        var history = HistoryBuilder()
        _ = history.add(.citizenMoved, at: day("2020-01-01"), ["municipality_code": "101"])
        _ = history.add(.citizenMoved, at: day("2026-05-01"), ["municipality_code": "561"])
        let before = history.add(.hospitalDischarged, at: day("2019-01-01"), ["episode_id": "0", "discharged_to": "home", "actor": "nsh"])
        let between = history.add(.hospitalDischarged, at: day("2026-03-05"), ["episode_id": "1", "discharged_to": "home", "actor": "nsh"])
        let after = history.add(.hospitalDischarged, at: day("2026-06-05"), ["episode_id": "2", "discharged_to": "home", "actor": "nsh"])
        #expect(PathwayEngine.municipality(at: before, history: history.events) == "101")
        #expect(PathwayEngine.municipality(at: between, history: history.events) == "101")
        #expect(PathwayEngine.municipality(at: after, history: history.events) == "561")
    }

    /// Ingesting a history in any order, applying what each arrival adds (and replacing corrected values),
    /// ends with exactly the effects of the whole history read in order.
    @Test("any arrival order of a citizen's events yields the same effects", arguments: Array(UInt64(1)...60))
    func arrivalOrderDoesNotMatter(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let (builder, born) = HistoryBuilder.random(using: &random)
        let expected = Dictionary(uniqueKeysWithValues: engine.plan(birthDate: born, history: builder.events).map { ($0.slot, $0.value) })
        #expect(!expected.isEmpty)
        for _ in 0..<5 {
            var applied: [String: String] = [:]
            var arrived: [CitizenEvent] = []
            for event in builder.events.shuffled(using: &random) {
                for effect in engine.newEffects(birthDate: born, history: arrived, adding: [event]) { applied[effect.slot] = effect.value }
                arrived.append(event)
            }
            #expect(applied == expected)
        }
    }

    @Test("event attributes are validated per type, naming the field")
    func attributeValidation() {
        #expect(EventType.hospitalAdmitted.validate(["episode_id": "1", "admission": "acute", "actor": "nsh"]).isEmpty)
        #expect(EventType.hospitalAdmitted.validate(["episode_id": "1", "admission": "urgent", "actor": "nsh", "ward": "x"]).map(\.field) == [
            "attributes.admission", "attributes.ward",
        ])
        #expect(EventType.prisonReleasePlanned.validate(["release_date": "2026-02-30", "actor": "kf"]).map(\.field) == ["attributes.release_date"])
        #expect(EventType.citizenMoved.validate([:]).map(\.field) == ["attributes.municipality_code"])
        #expect(EventType.citizenDied.validate([:]).isEmpty)
    }
}
