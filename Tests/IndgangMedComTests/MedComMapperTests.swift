import Foundation
import IndgangCore
import Testing

@testable import IndgangMedCom

@Suite("Mapping one message to Indgang events")
struct MedComMapperTests {
    static let source = "medcom:265161000016000"

    func map(_ name: String, history: [MedComEpisodeEntry] = [], mayKeep: (CalendarDate, CalendarDate) -> Bool = Fixtures.keepAll) throws
        -> MedComOutcome
    {
        MedComMapper.map(try Fixtures.message(name), history: history, mayKeep: mayKeep)
    }

    func accepted(_ outcome: MedComOutcome) throws -> MedComAcceptance {
        guard case .accepted(let acceptance) = outcome else {
            Issue.record("expected accepted, got \(outcome)")
            throw CancellationError()
        }
        return acceptance
    }

    /// Every draft is a valid Indgang event once the server adds its actor.
    func expectValid(_ drafts: [MedComEventDraft]) {
        for draft in drafts {
            var attributes = draft.attributes
            if draft.needsActor && draft.type != .eventCorrected { attributes["actor"] = SimulatedReceiver.actor }
            #expect(draft.type.validate(attributes).isEmpty, "\(draft.type.rawValue) \(draft.type.validate(attributes))")
            if var corrected = draft.correctedAttributes, let target = draft.target {
                if draft.needsActor { corrected["actor"] = SimulatedReceiver.actor }
                #expect(target.type.validate(corrected).isEmpty)
            }
            #expect(draft.source.count <= 100 && draft.id.count <= 200)
        }
    }

    @Test("STIN with no STAA before it: hospital.admitted {admission: unknown, setting: inpatient}, time = period.start")
    func stin() throws {
        let acceptance = try accepted(map("STIN_G"))
        #expect(acceptance.code == "STIN")
        #expect(acceptance.senderSOR == "265161000016000")
        #expect(acceptance.cpr.digits == "2509479989")
        #expect(acceptance.key.episodeID == "https://sor2.sum.dsdn.dk/#id=265161000016000|04675bbd-c540-4545-924c-1fa79b64535c")
        let event = try #require(acceptance.events.first)
        #expect(acceptance.events.count == 1)
        #expect(event.type == .hospitalAdmitted)
        #expect(event.source == Self.source)
        #expect(event.id == "b9b4818e-02de-4cc4-b418-d20cbc399006")
        #expect(event.occurredAt == Fixtures.time("2023-03-01T12:00:00+01:00"))
        #expect(
            event.attributes == [
                "episode_id": acceptance.key.episodeID, "admission": "unknown", "setting": "inpatient", "department": "265161000016000",
            ])
        #expect(event.needsActor)
        expectValid(acceptance.events)
    }

    @Test("STAA: hospital.admitted {admission: acute, setting: acute_ambulant}")
    func staa() throws {
        let event = try #require(try accepted(map("TEK_STAA_A")).events.first)
        #expect(event.type == .hospitalAdmitted)
        #expect(event.attributes["admission"] == "acute" && event.attributes["setting"] == "acute_ambulant")
        #expect(event.occurredAt == Fixtures.time("2023-02-28T10:00:04+01:00"))
    }

    @Test("STOR and SLOR: leave started and ended at the leave period's start and end")
    func leave() throws {
        let started = try #require(try accepted(map("STOR_G")).events.first)
        #expect(started.type == .hospitalLeaveStarted && started.occurredAt == Fixtures.time("2023-03-03T14:00:10+01:00"))
        #expect(started.attributes.keys.sorted() == ["episode_id"])
        let ended = try #require(try accepted(map("SLOR_G")).events.first)
        #expect(ended.type == .hospitalLeaveEnded && ended.occurredAt == Fixtures.time("2023-03-05T15:30:00+01:00"))
    }

    @Test("SLHJ: hospital.discharged {discharged_to: home} at period.end")
    func slhj() throws {
        let event = try #require(try accepted(map("TEK_SLHJ_A")).events.first)
        #expect(event.type == .hospitalDischarged && event.attributes["discharged_to"] == "home")
        #expect(event.occurredAt == Fixtures.time("2023-03-03T15:00:00+01:00"))
    }

    @Test("MORS during leave: discharged {died} and citizen.died at period.end, no admission invented")
    func diedDuringLeave() throws {
        let acceptance = try accepted(map("MORS_L"))
        #expect(acceptance.entry.deadOnArrival == false)
        #expect(acceptance.events.map(\.type) == [.hospitalDischarged, .citizenDied])
        #expect(acceptance.events.map(\.id) == ["hefc6d95-6161-4493-99c9-f35948399006", "hefc6d95-6161-4493-99c9-f35948399006#died"])
        #expect(acceptance.events.allSatisfy { $0.occurredAt == Fixtures.time("2023-03-04T09:45:30+01:00") })
        #expect(acceptance.events[0].attributes["discharged_to"] == "died")
        #expect(acceptance.events[1].attributes.isEmpty && !acceptance.events[1].needsActor)
        expectValid(acceptance.events)
    }

    @Test("MORS dead on arrival (the stay's first message): the admission too, so that the discharge follows one")
    func deadOnArrival() throws {
        let acceptance = try accepted(map("MORS_J"))
        #expect(acceptance.entry.deadOnArrival)
        let id = "7aad69cb-e04a-403e-b549-9fe28a399006"
        #expect(acceptance.events.map(\.type) == [.hospitalAdmitted, .hospitalDischarged, .citizenDied])
        #expect(acceptance.events.map(\.id) == [id, "\(id)#death-discharge", "\(id)#died"])
        // Equal times: the ids sort admitted, discharged, died, which is the order the rules engine reads ties in.
        #expect(acceptance.events.map(\.id) == acceptance.events.map(\.id).sorted())
        #expect(acceptance.events[0].attributes["admission"] == "unknown")
        expectValid(acceptance.events)
    }

    @Test("a cancellation or correction of a message not received yet: transient-error naming entity.what")
    func notReceivedYet() throws {
        for name in ["AN_STIN_N", "RE_STIN_O"] {
            guard case .notReceivedYet(let issue) = try map(name) else {
                Issue.record("\(name) should wait for its original")
                continue
            }
            #expect(issue.expression == "Bundle.entry[5].resource.entity[0].what")
            #expect(issue.text.contains("b9b4818e-02de-4cc4-b418-d20cbc399006"))
        }
        #expect(try map("AN_STIN_N").acknowledgementCode == .transientError)
    }

    @Test("data minimisation: when the rule says no, acknowledge ok and store nothing; it gets birth date and event date")
    func minimisation() throws {
        nonisolated(unsafe) var asked: [(CalendarDate, CalendarDate)] = []
        let outcome = try map("TEK_SLHJ_A") { birth, on in
            asked.append((birth, on))
            return false
        }
        #expect(outcome == .ignored(.minimised))
        #expect(outcome.acknowledgementCode == .ok)
        #expect(asked.count == 1)
        #expect(asked.first?.0 == CalendarDate(year: 1947, month: 9, day: 25))
        #expect(asked.first?.1 == CalendarDate(year: 2023, month: 3, day: 3))
        #expect(try map("AN_STIN_N", mayKeep: Fixtures.keepNone) == .ignored(.minimised))
        // An episode already on record is followed to its end whatever the rule says of one date.
        let admitted = try accepted(map("STIN_G")).entry
        #expect(try accepted(map("STOR_G", history: [admitted], mayKeep: Fixtures.keepNone)).events.count == 1)
    }

    @Test("the same MessageHeader.id again in the episode: a duplicate, nothing new")
    func duplicate() throws {
        let entry = try accepted(map("STIN_G")).entry
        #expect(try map("STIN_G", history: [entry]) == .ignored(.duplicate))
    }

    @Test("an acknowledgement posted here is not mapped and not acknowledged")
    func acknowledgementReceived() throws {
        let outcome = try map("Bundle-a8c041b8-c65a-4fde-a90f-962076918834.json")
        #expect(outcome == .ignored(.acknowledgement))
        #expect(outcome.acknowledgementCode == nil)
    }

    @Test("a leave message without its leave period, a discharge without period.end: fatal, naming the element")
    func missingTimes() throws {
        let leave = try Fixtures.editing("STOR_G", ["entry", 2, "resource", "extension"], to: nil)
        guard case .rejected(let issue) = MedComMapper.map(try MedComMessage(json: leave), history: [], mayKeep: Fixtures.keepAll) else {
            Issue.record("expected a rejection")
            return
        }
        #expect(issue.expression == "Bundle.entry[2].resource.extension")
        let discharge = try Fixtures.editing("TEK_SLHJ_A", ["entry", 2, "resource", "period", "end"], to: nil)
        let outcome = MedComMapper.map(try MedComMessage(json: discharge), history: [], mayKeep: Fixtures.keepAll)
        #expect(outcome.issues.first?.expression == "Bundle.entry[2].resource.period.end")
        #expect(outcome.acknowledgementCode == .fatalError)
    }

    @Test("a correction must concern a message of its own kind")
    func wrongKind() throws {
        let leave = try accepted(map("STOR_G")).entry
        let correction = try Fixtures.message(
            "RE_STIN_O",
            rewriting: [
                "01a37861-3f08-4c3f-b70d-ddec2527f858": "04675bbd-c540-4545-924c-1fa79b64535c",
                "b9b4818e-02de-4cc4-b418-d20cbc399006": "e563a2b2-bf92-4b13-bbd2-0a021a399006",
            ])
        let outcome = MedComMapper.map(correction, history: [leave], mayKeep: Fixtures.keepAll)
        #expect(outcome.acknowledgementCode == .fatalError)
        #expect(outcome.issues.first?.expression == "Bundle.entry[5].resource.entity[0].what")
    }

    @Test("the episode id is system|value, or a SHA-256 when that exceeds 200 characters")
    func episodeID() {
        let short = MedComEpisodeKey(senderSOR: "1", system: "https://sor2.sum.dsdn.dk/#id=1", value: "abc")
        #expect(short.episodeID == "https://sor2.sum.dsdn.dk/#id=1|abc")
        let long = MedComEpisodeKey(senderSOR: "1", system: "urn:x", value: String(repeating: "v", count: 300))
        #expect(long.episodeID.hasPrefix("sha256:") && long.episodeID.count == 71)
        #expect(long.episodeID == MedComEpisodeKey(senderSOR: "2", system: "urn:x", value: String(repeating: "v", count: 300)).episodeID)
    }

    @Test("an entry survives a JSON round trip exactly (times are kept as sent)")
    func entryCodable() throws {
        let entry = try accepted(map("MORS_L")).entry
        let decoded = try JSONDecoder().decode(MedComEpisodeEntry.self, from: JSONEncoder().encode(entry))
        #expect(decoded == entry)
        #expect(entry.sentAt == "2023-03-04T09:45:32+01:00" && entry.periodEnd == "2023-03-04T09:45:30+01:00")
    }

}
