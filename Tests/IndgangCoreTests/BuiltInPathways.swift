import Foundation
import IndgangCore

/// The three built-in pathways as Swift values, mirroring `Schema/pathways/*.yaml`. A server test checks that
/// the YAML files parse to exactly these, so the engine tests here test the rules that actually ship.
enum BuiltInPathways {
    static let elderly = PathwayDefinition(
        id: "subacute-elderly", title: "Sub-acute care for frail elderly — avoid readmissions",
        eligibility: Eligibility(minimumAge: 65, actorKinds: [.hospital]), escalationActor: nil, outcome: "readmission", handoffDueHours: 24,
        rules: [
            PathwayRule(
                name: "acute admission opens the case at the hospital", on: .hospitalAdmitted,
                conditions: [AttributeCondition(attribute: "admission", values: ["acute"])], effects: [.openCase(responsible: .eventActor)]),
            PathwayRule(
                name: "acute admission within 30 days of a discharge is a readmission", on: .hospitalAdmitted,
                conditions: [AttributeCondition(attribute: "admission", values: ["acute"])],
                after: PriorEventCondition(
                    type: .hospitalDischarged, conditions: [AttributeCondition(attribute: "discharged_to", values: ["home", "nursing_home"])],
                    withinDays: 30, moreThanHours: 4),
                effects: [.flag(.readmission)]),
            PathwayRule(
                name: "discharge home hands the case to the citizen's municipality", on: .hospitalDischarged,
                conditions: [AttributeCondition(attribute: "discharged_to", values: ["home", "nursing_home"])],
                effects: [
                    .requestHandoff(
                        to: .citizenMunicipality, due: .hoursAfterEvent(24), reason: "discharged from hospital; sub-acute follow-up at home")
                ]),
            PathwayRule(name: "death closes the case", on: .citizenDied, effects: [.closeCase(.deceased)]),
        ], overridable: [.handoffDue, .escalationActor, .eligibilityAge])

    static let reentry = PathwayDefinition(
        id: "reentry-youth", title: "Re-entry after prison for young people — ready before release",
        eligibility: Eligibility(minimumAge: 18, maximumAge: 29, actorKinds: [.prison]), escalationActor: nil, outcome: "recidivism",
        handoffDueHours: 24,
        rules: [
            PathwayRule(
                name: "planned release opens the case at the prison and hands it to the municipality", on: .prisonReleasePlanned,
                effects: [
                    .openCase(responsible: .eventActor),
                    .requestHandoff(
                        to: .citizenMunicipality, due: .beforeDate(attribute: "release_date", days: 1),
                        reason: "release planned; housing, income and contact must be ready before release day"),
                ]),
            PathwayRule(
                name: "release without an accepted handoff escalates", on: .prisonReleased,
                effects: [.escalate(reason: "released without the municipality having accepted the case", unlessHandoffAccepted: true)]),
            PathwayRule(
                name: "conviction for an offence within 2 years after release is a re-offence", on: .justiceConvicted,
                conditions: [AttributeCondition(attribute: "sentence", values: ["unconditional", "conditional", "fine"])],
                after: PriorEventCondition(type: .prisonReleased, withinDays: 730, reference: "offence_date"), effects: [.flag(.reoffence)]),
            PathwayRule(name: "death closes the case", on: .citizenDied, effects: [.closeCase(.deceased)]),
        ], overridable: [.escalationActor, .eligibilityAge])

    static let mentalHealth = PathwayDefinition(
        id: "mental-health-youth", title: "One entry for psychologically vulnerable young people",
        eligibility: Eligibility(minimumAge: 15, maximumAge: 29, actorKinds: [.psychiatry]), escalationActor: nil, outcome: nil, handoffDueHours: 48,
        rules: [
            PathwayRule(
                name: "discharge from psychiatry opens one case at the municipality", on: .hospitalDischarged,
                conditions: [AttributeCondition(attribute: "discharged_to", values: ["home", "nursing_home"])], actorKinds: [.psychiatry],
                effects: [.openCase(responsible: .citizenMunicipality)]),
            PathwayRule(name: "death closes the case", on: .citizenDied, effects: [.closeCase(.deceased)]),
        ], overridable: [.escalationActor, .eligibilityAge])

    static let all = [elderly, reentry, mentalHealth]
}
