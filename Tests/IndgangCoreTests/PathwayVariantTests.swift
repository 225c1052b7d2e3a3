import Foundation
import IndgangCore
import Testing

/// Local variants (issue 17): which rules govern (municipality × date × version, adoption), what a variant
/// changes in the engine, and what the rule set refuses.
@Suite("Pathway variants")
struct PathwayVariantTests {
    static let twoWorkingDays = WorkingDayDue(workingDays: 2, at: LocalTimeOfDay(parsing: "12:00")!)!

    static func hillerod(version: Int = 1, from: String = "2026-01-01", municipalities: [String] = ["219"], due: DueRule? = .workingDays(twoWorkingDays))
        -> PathwayVariant
    {
        PathwayVariant(
            id: "hillerod-subacute", title: "Sub-akut forløb, Hillerød", version: version, municipalities: municipalities,
            validFrom: CalendarDate(iso: from)!,
            content: .extends(base: "subacute-elderly", overrides: VariantOverrides(handoffDue: due, escalationActor: "hillerod-visitation"), rules: []))
    }

    static func adopting(_ id: String, _ target: String, municipalities: [String], from: String = "2026-03-01") -> PathwayVariant {
        PathwayVariant(
            id: id, title: id, version: 1, municipalities: municipalities, validFrom: CalendarDate(iso: from)!,
            content: .adopts(VariantReference(parsing: target)!))
    }

    static func ruleSet(_ variants: [PathwayVariant]) throws -> PathwayRuleSet {
        try PathwayRuleSet.check(bases: BuiltInPathways.all, variants: variants).get()
    }

    static func problems(_ variants: [PathwayVariant]) -> [RuleSetProblem] {
        guard case .failure(let errors) = PathwayRuleSet.check(bases: BuiltInPathways.all, variants: variants) else { return [] }
        return errors.problems
    }

    @Test("the variant in force is found by municipality and date; versions supersede from their valid_from; others run the base")
    func resolution() throws {
        let two = PathwayVariant(
            id: "hillerod-subacute", title: "v2", version: 2, municipalities: ["219"], validFrom: CalendarDate(iso: "2027-01-01")!,
            content: .extends(base: "subacute-elderly", overrides: VariantOverrides(handoffDue: .hoursAfterEvent(12)), rules: []))
        let set = try Self.ruleSet([Self.hillerod(), two, Self.adopting("gribskov-subacute", "hillerod-subacute@1", municipalities: ["270"])])
        func variant(_ municipality: String?, _ date: String) -> String? {
            set.governing("subacute-elderly", municipality: municipality, on: CalendarDate(iso: date)!)?.variant?.description
        }
        #expect(variant("219", "2025-12-31") == nil)
        #expect(variant("219", "2026-01-01") == "hillerod-subacute@1")
        #expect(variant("219", "2026-12-31") == "hillerod-subacute@1")
        #expect(variant("219", "2027-01-01") == "hillerod-subacute@2")
        #expect(variant("101", "2027-06-01") == nil)
        #expect(variant(nil, "2027-06-01") == nil)
        // Adoption takes the adopted version as it is, from the adopter's own date, also after the original moved on.
        #expect(variant("270", "2026-02-28") == nil)
        #expect(variant("270", "2026-03-01") == "hillerod-subacute@1")
        #expect(variant("270", "2027-06-01") == "hillerod-subacute@1")
        #expect(set.adopters(of: "hillerod-subacute") == ["270"])
        #expect(set.governing("reentry-youth", municipality: "219", on: CalendarDate(iso: "2026-06-01")!)?.variant == nil)
        // An adoption chain resolves to the variant that has the rules.
        let chained = try Self.ruleSet([
            Self.hillerod(), Self.adopting("gribskov-subacute", "hillerod-subacute@1", municipalities: ["270"]),
            Self.adopting("halsnaes-subacute", "gribskov-subacute@1", municipalities: ["260"]),
        ])
        #expect(chained.governing("subacute-elderly", municipality: "260", on: CalendarDate(iso: "2026-06-01")!)?.variant?.description == "hillerod-subacute@1")
        #expect(EscalationActors(chained).slug(pathway: "subacute-elderly", variant: VariantReference(id: "hillerod-subacute", version: 1)) == "hillerod-visitation")
        #expect(EscalationActors(chained).slug(pathway: "subacute-elderly", variant: nil) == nil)
    }

    @Test("every rejection: a parameter the base does not allow, an unknown base, unknown adoption, overlap, a cycle, a duplicate")
    func rejections() {
        let notOverridable = PathwayVariant(
            id: "x-reentry", title: "x", version: 1, municipalities: ["101"], validFrom: CalendarDate(iso: "2026-01-01")!,
            content: .extends(base: "reentry-youth", overrides: VariantOverrides(handoffDue: .hoursAfterEvent(4)), rules: []))
        #expect(Self.problems([notOverridable]).map(\.field) == ["overrides.handoff_due"])
        let unknownBase = PathwayVariant(
            id: "x", title: "x", version: 1, municipalities: ["101"], validFrom: CalendarDate(iso: "2026-01-01")!,
            content: .extends(base: "no-such-pathway", overrides: VariantOverrides(), rules: []))
        #expect(Self.problems([unknownBase]).map(\.message) == ["no base pathway no-such-pathway"])
        #expect(Self.problems([Self.adopting("a", "nobody@1", municipalities: ["101"])]).map(\.message) == ["no variant nobody"])
        #expect(
            Self.problems([Self.hillerod(), Self.adopting("a", "hillerod-subacute@3", municipalities: ["101"])]).map(\.message)
                == ["hillerod-subacute has no version 3 (it has 1)"])
        let overlapping = PathwayVariant(
            id: "other-subacute", title: "o", version: 1, municipalities: ["219"], validFrom: CalendarDate(iso: "2026-06-01")!,
            content: .extends(base: "subacute-elderly", overrides: VariantOverrides(handoffDue: .hoursAfterEvent(48)), rules: []))
        #expect(Self.problems([Self.hillerod(), overlapping]).map(\.field) == ["municipalities"])
        let cycle = Self.problems([Self.adopting("a", "b@1", municipalities: ["101"]), Self.adopting("b", "a@1", municipalities: ["147"])])
        #expect(cycle.count == 2 && cycle.allSatisfy { $0.message.hasPrefix("adoption cycle") })
        #expect(Self.problems([Self.hillerod(), Self.hillerod()]).map(\.field) == ["version"])
        #expect(Self.problems([Self.hillerod(), Self.hillerod(version: 2)]).map(\.field) == ["valid_from"])
        // A later version of the same variant for the same municipality is no overlap: it supersedes.
        #expect(Self.problems([Self.hillerod(), Self.hillerod(version: 2, from: "2027-01-01")]).isEmpty)
        // A variant that dropped a municipality from its next version leaves room for another there.
        let narrowed = Self.hillerod(version: 2, from: "2027-01-01", municipalities: ["250"])
        let next = PathwayVariant(
            id: "other-subacute", title: "o", version: 1, municipalities: ["219"], validFrom: CalendarDate(iso: "2027-01-01")!,
            content: .extends(base: "subacute-elderly", overrides: VariantOverrides(handoffDue: .hoursAfterEvent(48)), rules: []))
        #expect(Self.problems([Self.hillerod(), narrowed, next]).isEmpty)
    }

    @Test("a variant gives the base's effects except the overridden due times, for citizens it governs; elsewhere exactly the base's", arguments: 0..<40)
    func variantChangesOnlyItsParameters(seed: Int) throws {
        var random = SeededGenerator(seed: UInt64(seed))
        let (builder, born) = HistoryBuilder.random(using: &random)
        let base = PathwayEngine(pathways: BuiltInPathways.all).plan(birthDate: born, history: builder.events)
        let variant = PathwayEngine(ruleSet: try Self.ruleSet([Self.hillerod()])).plan(birthDate: born, history: builder.events)
        #expect(base.map(\.slot) == variant.map(\.slot))
        for (plain, local) in zip(base, variant) {
            let governed = local.variant != nil
            #expect(governed == (local.pathway == "subacute-elderly" && PathwayEngine.municipality(
                at: builder.events.first { $0.id == local.eventID }!, history: builder.events) == "219"))
            switch (plain.action, local.action) {
            case (.requestHandoff(let to, let baseDue, let reason), .requestHandoff(let localTo, let localDue, let localReason)) where governed:
                #expect(to == localTo && reason == localReason)
                #expect(localDue == (try Self.twoWorkingDays.dueAt(after: local.occurredAt)))
                #expect(baseDue == local.occurredAt.addingTimeInterval(86_400))
            default:
                #expect(plain.action == local.action)
            }
        }
    }

    @Test("a late citizen.moved re-decides: the discharge's handoff moves to the variant's due time")
    func lateMoveRedecides() throws {
        let engine = PathwayEngine(ruleSet: try Self.ruleSet([Self.hillerod()]))
        let born = CalendarDate(year: 1940, month: 1, day: 1)!
        var history = HistoryBuilder()
        _ = history.add(.citizenMoved, at: day("2020-01-01"), ["municipality_code": "101"])
        _ = history.add(.hospitalAdmitted, at: day("2026-03-02"), ["episode_id": "1", "admission": "acute", "actor": "nsh"])
        let discharge = history.add(.hospitalDischarged, at: day("2026-03-05"), ["episode_id": "1", "discharged_to": "home", "actor": "nsh"])
        let before = engine.plan(birthDate: born, history: history.events)
        let late = history.add(.citizenMoved, at: day("2026-03-01"), ["municipality_code": "219"])
        let revision = engine.revise(birthDate: born, from: history.events.filter { $0.id != late.id }, to: history.events)
        #expect(before.compactMap(\.variant).isEmpty)
        let handoff = try #require(revision.changed.first { if case .requestHandoff = $0.action { return true } else { return false } })
        #expect(handoff.variant == VariantReference(id: "hillerod-subacute", version: 1))
        guard case .requestHandoff(let to, let due, _) = handoff.action else { return }
        #expect(to == .municipality(code: "219"))
        // Thursday 5 March 2026 is day 0; two working days later is Monday 9 March, 12:00 Copenhagen (11:00 UTC).
        #expect(RFC3339.format(due) == RFC3339.format(day("2026-03-09", "11:00:00")))
        _ = discharge
    }

    @Test("a version never decides events dated before its valid_from")
    func versionsDoNotReachBack() throws {
        let engine = PathwayEngine(ruleSet: try Self.ruleSet([Self.hillerod(from: "2026-04-01")]))
        let born = CalendarDate(year: 1940, month: 1, day: 1)!
        var history = HistoryBuilder()
        _ = history.add(.citizenMoved, at: day("2020-01-01"), ["municipality_code": "219"])
        _ = history.add(.hospitalAdmitted, at: day("2026-03-02"), ["episode_id": "1", "admission": "acute", "actor": "nsh"])
        _ = history.add(.hospitalDischarged, at: day("2026-03-05"), ["episode_id": "1", "discharged_to": "home", "actor": "nsh"])
        _ = history.add(.hospitalAdmitted, at: day("2026-04-02"), ["episode_id": "2", "admission": "acute", "actor": "nsh"])
        _ = history.add(.hospitalDischarged, at: day("2026-04-06"), ["episode_id": "2", "discharged_to": "home", "actor": "nsh"])
        let handoffs = engine.plan(birthDate: born, history: history.events).filter { if case .requestHandoff = $0.action { true } else { false } }
        #expect(handoffs.map { $0.variant?.description } == [nil, "hillerod-subacute@1"])
    }

    @Test("a variant's own rules take slots of their own; eligibility ages are overridden")
    func ownRulesAndAges() throws {
        let own = PathwayVariant(
            id: "young-elderly", title: "y", version: 1, municipalities: ["219"], validFrom: CalendarDate(iso: "2026-01-01")!,
            content: .extends(
                base: "subacute-elderly", overrides: VariantOverrides(minimumAge: 60),
                rules: [PathwayRule(name: "escalate a second acute admission", on: .hospitalAdmitted, conditions: [AttributeCondition(attribute: "admission", values: ["acute"])],
                                    effects: [.escalate(reason: "acute again", unlessHandoffAccepted: false)])]))
        let engine = PathwayEngine(ruleSet: try Self.ruleSet([own]))
        var history = HistoryBuilder()
        _ = history.add(.citizenMoved, at: day("2020-01-01"), ["municipality_code": "219"])
        let admitted = history.add(.hospitalAdmitted, at: day("2026-03-02"), ["episode_id": "1", "admission": "acute", "actor": "nsh"])
        let born62 = CalendarDate(year: 1964, month: 1, day: 1)!
        let plan = engine.plan(birthDate: born62, history: history.events)
        #expect(plan.map(\.action) == [.openCase(responsible: .slug("nsh")), .escalate(reason: "acute again", unlessHandoffAccepted: false)])
        #expect(plan.last?.slot == "subacute-elderly#young-elderly.0.0@\(admitted.id.uuidString.lowercased())")
        #expect(PathwayEngine(pathways: BuiltInPathways.all).plan(birthDate: born62, history: history.events).isEmpty)
    }

    @Test("goals are judged on the interval: met, not met, undetermined (also when suppressed)")
    func goalStatus() {
        let below = PathwayGoal(measure: .readmissions, target: 0.15, direction: .below, from: CalendarDate(iso: "2026-01-01")!)
        #expect(below.status(lower: 0.10, upper: 0.14) == .met)
        #expect(below.status(lower: 0.16, upper: 0.20) == .notMet)
        #expect(below.status(lower: 0.12, upper: 0.18) == .undetermined)
        #expect(below.status(lower: nil, upper: nil) == .undetermined)
        let above = PathwayGoal(measure: .handoffsAcceptedInTime, target: 0.9, direction: .above, from: CalendarDate(iso: "2026-01-01")!)
        #expect(above.status(lower: 0.91, upper: 0.97) == .met)
        #expect(above.status(lower: 0.70, upper: 0.85) == .notMet)
        #expect(above.applies(toPeriodStarting: CalendarDate(iso: "2026-01-01")!) && !above.applies(toPeriodStarting: CalendarDate(iso: "2025-12-01")!))
    }
}

extension PathwayVariantTests {
    @Test("review fixes: adopters through chains, one base per variant id, date-based due rules kept, escalation falls back to the base")
    func reviewFixes() throws {
        let chained = try Self.ruleSet([
            Self.hillerod(), Self.adopting("gribskov-subacute", "hillerod-subacute@1", municipalities: ["270"]),
            Self.adopting("halsnaes-subacute", "gribskov-subacute@1", municipalities: ["260"]),
        ])
        #expect(chained.adopters(of: "hillerod-subacute") == ["260", "270"])
        #expect(chained.adopters(of: "gribskov-subacute").isEmpty, "halsnaes runs hillerod's rules, not gribskov's")

        let otherBase = PathwayVariant(
            id: "hillerod-subacute", title: "v2", version: 2, municipalities: ["219"], validFrom: CalendarDate(iso: "2027-01-01")!,
            content: .extends(base: "reentry-youth", overrides: VariantOverrides(escalationActor: "koordinator"), rules: []))
        #expect(Self.problems([Self.hillerod(), otherBase]).map(\.field) == ["extends"])

        let dated = BuiltInPathways.reentry.applying(VariantOverrides(handoffDue: .hoursAfterEvent(4)), adding: [])
        let dues = dated.rules.flatMap(\.effects).compactMap { effect -> DueRule? in
            if case .requestHandoff(_, let due, _) = effect { return due }
            return nil
        }
        #expect(dues == [.beforeDate(attribute: "release_date", days: 1)])

        let escalation = EscalationActors(byPathway: ["subacute-elderly": "koordinator"])
        #expect(escalation.slug(pathway: "subacute-elderly", variant: VariantReference(id: "gone", version: 3)) == "koordinator")
    }
}
