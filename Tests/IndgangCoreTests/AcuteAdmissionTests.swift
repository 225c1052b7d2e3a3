import Foundation
import IndgangCore
import Testing

@Suite("Acute admissions: ambulant stays and unknown priority")
struct AcuteAdmissionTests {
    let engine = PathwayEngine(pathways: BuiltInPathways.all)
    let born = CalendarDate(year: 1948, month: 2, day: 1)!

    /// A discharge home, then 10 days later a second stay described by `admission` and `setting`, lasting `hours`.
    func flags(admission: String, setting: String?, hours: Double?, upgradedBy inpatient: Bool = false) -> (flagged: Bool, readmitted: Bool) {
        var history = HistoryBuilder()
        _ = history.add(.citizenMoved, at: day("2020-01-01"), ["municipality_code": "219"])
        _ = history.add(.hospitalAdmitted, at: day("2026-03-01"), ["episode_id": "1", "admission": "acute", "actor": "nsh"])
        _ = history.add(.hospitalDischarged, at: day("2026-03-05"), ["episode_id": "1", "discharged_to": "home", "actor": "nsh"])
        var attributes = ["episode_id": "2", "admission": admission, "actor": "nsh"]
        attributes["setting"] = setting
        let second = history.add(.hospitalAdmitted, at: day("2026-03-15", "08:00:00"), attributes)
        if inpatient {
            _ = history.add(.hospitalAdmitted, at: day("2026-03-15", "10:00:00"), ["episode_id": "2", "admission": "acute", "setting": "inpatient", "actor": "nsh"])
        }
        if let hours {
            _ = history.add(.hospitalDischarged, at: second.occurredAt.addingTimeInterval(hours * 3600), ["episode_id": "2", "discharged_to": "home", "actor": "nsh"])
        }
        let flagged = engine.plan(birthDate: born, history: history.events).contains { $0.action == .flag(.readmission) && $0.eventID == second.id }
        let index = ReadmissionDefinition().episodes(birthDate: born, history: history.events).first { $0.at == day("2026-03-05") }
        return (flagged, index?.outcomeAt != nil)
    }

    @Test("an acute ambulant stay counts as an admission once it has lasted 12 hours or an inpatient admission follows")
    func ambulant() {
        #expect(flags(admission: "acute", setting: "acute_ambulant", hours: 3) == (false, false))
        #expect(flags(admission: "acute", setting: "acute_ambulant", hours: nil) == (false, false))
        #expect(flags(admission: "acute", setting: "acute_ambulant", hours: 12) == (true, true))
        #expect(flags(admission: "acute", setting: "acute_ambulant", hours: 3, upgradedBy: true) == (true, true))
        #expect(flags(admission: "acute", setting: "inpatient", hours: 3) == (true, true))
        #expect(flags(admission: "acute", setting: nil, hours: 3) == (true, true))
    }

    @Test("an admission of unknown priority is never an acute readmission")
    func unknownPriority() {
        #expect(flags(admission: "unknown", setting: "inpatient", hours: 48) == (false, false))
        #expect(flags(admission: "planned", setting: nil, hours: 48) == (false, false))
    }
}
