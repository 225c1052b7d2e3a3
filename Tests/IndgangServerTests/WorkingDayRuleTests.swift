import Foundation
import IndgangCore
import Testing

@testable import IndgangServer

/// `due: {working_days: N, at: "HH:MM"}` in rule files (issue 17): parsed strictly, and due on Danish working days.
@Suite("Working-day due rules")
struct WorkingDayRuleTests {
    static func file(due: String) -> String {
        """
        pathway: test-working-days
        title: Working days
        eligibility:
          age: {min: 65}
        rules:
          - name: discharge hands over
            on: hospital.discharged
            then:
              - request_handoff:
                  to: citizen_municipality
                  due: \(due)
                  reason: follow-up
        """
    }

    static func parse(due: String) -> (PathwayDefinition?, [String]) {
        var parser = PathwayFileParser(file: "test.yaml")
        guard case .base(let definition)? = parser.parse(file(due: due)) else { return (nil, parser.issues.map(\.message)) }
        return (definition, parser.issues.map(\.message))
    }

    @Test("a quoted time and a working-day count parse to a working-day due rule")
    func parses() throws {
        let (definition, issues) = Self.parse(due: #"{working_days: 2, at: "12:00"}"#)
        #expect(issues.isEmpty, "\(issues)")
        guard case .requestHandoff(_, let due, _)? = definition?.rules.first?.effects.first else {
            Issue.record("no handoff effect")
            return
        }
        #expect(due == .workingDays(WorkingDayDue(workingDays: 2, at: LocalTimeOfDay(hour: 12, minute: 0)!)!))
    }

    @Test("refused: an unquoted time (YAML reads 12:00 as 720), no time, a bad time, two kinds of due at once, at without working days",
          arguments: [
            ("{working_days: 2, at: 12:00}", "quoted"), ("{working_days: 2}", "due.at is required"), (#"{working_days: 2, at: "25:00"}"#, "HH:MM"),
            (#"{working_days: 2, at: "12:00", hours_after_event: 24}"#, "not hours_after_event and working_days"),
            (#"{hours_after_event: 24, at: "12:00"}"#, "goes with working_days"), (#"{working_days: -1, at: "12:00"}"#, "whole number"),
          ])
    func refused(due: String, expected: String) {
        let (_, issues) = Self.parse(due: due)
        #expect(issues.contains { $0.contains(expected) }, "\(due): \(issues)")
    }

    @Test("due on the Nth Danish working day at the local time: over a weekend, and over Christmas")
    func dueTimes() {
        let rule = DueRule.workingDays(WorkingDayDue(workingDays: 2, at: LocalTimeOfDay(hour: 12, minute: 0)!)!)
        func event(_ at: String) -> CitizenEvent {
            CitizenEvent(
                id: UUID(), source: "t", externalID: at, type: .hospitalDischarged, occurredAt: RFC3339.parse(at)!, attributes: [:], actorKind: nil)
        }
        // Friday 4 December 2026 → Monday (1), Tuesday (2) at 12:00 CET.
        #expect(rule.dueAt(for: event("2026-12-04T15:00:00+01:00")) == RFC3339.parse("2026-12-08T12:00:00+01:00"))
        // Wednesday 23 December: 24th (juleaftensdag), 25th, 26th and the weekend are not working days.
        #expect(rule.dueAt(for: event("2026-12-23T09:00:00+01:00")) == RFC3339.parse("2026-12-29T12:00:00+01:00"))
        // Summer time: 12:00 is 10:00 UTC.
        #expect(rule.dueAt(for: event("2026-06-01T08:00:00+02:00")) == RFC3339.parse("2026-06-03T12:00:00+02:00"))
    }
}
