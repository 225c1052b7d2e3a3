import Foundation
import IndgangCore
import Testing

@Suite("Population simulator")
struct PopulationSimulatorTests {
    let until = day("2026-11-01", "00:00:00")

    func population(seed: UInt64, size: Int) -> [SimulatedCitizen] {
        var simulator = PopulationSimulator(seed: seed, until: until)
        return (0..<size).map { simulator.citizen($0) }
    }

    @Test("the same seed gives the same population; another seed another one")
    func reproducible() {
        #expect(population(seed: 7, size: 200) == population(seed: 7, size: 200))
        #expect(population(seed: 7, size: 200) != population(seed: 8, size: 200))
    }

    @Test("every event is valid for its type, before the end, with unique ids; CPR numbers are unique and valid")
    func valid() throws {
        let citizens = population(seed: 3, size: 3_000)
        var keys = Set<String>()
        var cprs = Set<String>()
        for citizen in citizens {
            let cpr = try CPR(parsing: citizen.cpr)
            #expect(cpr.birthDate == citizen.birthDate)
            #expect(cprs.insert(citizen.cpr).inserted)
            for event in citizen.events {
                #expect(event.type.validate(event.attributes).isEmpty)
                #expect(event.occurredAt < until)
                #expect(keys.insert("\(event.source)/\(event.id)").inserted)
                if let slug = event.attributes["actor"] {
                    #expect(SimulatedActors.all.contains { $0.slug == slug && event.type.actorKinds.contains($0.kind) })
                }
            }
        }
    }

    @Test("rates near the national figures: 30-day readmission of the elderly 10–20 %, 2-year recidivism about 30 %")
    func realisticRates() {
        let citizens = population(seed: 11, size: 20_000)
        var readmitted = 0, discharges = 0, reoffended = 0, releases = 0
        for citizen in citizens {
            let history = citizen.events.map {
                CitizenEvent(id: UUID(), source: $0.source, externalID: $0.id, type: $0.type, occurredAt: $0.occurredAt, attributes: $0.attributes,
                             actorKind: nil)
            }
            for episode in ReadmissionDefinition().episodes(birthDate: citizen.birthDate, history: history) where episode.age >= 65 {
                if case .counted(let positive) = episode.status(windowDays: 30, asOf: until) {
                    discharges += 1
                    if positive { readmitted += 1 }
                }
            }
            for episode in RecidivismDefinition().episodes(birthDate: citizen.birthDate, history: history) {
                if case .counted(let positive) = episode.status(windowDays: 730, asOf: until) {
                    releases += 1
                    if positive { reoffended += 1 }
                }
            }
        }
        let readmissionRate = Double(readmitted) / Double(discharges)
        let recidivismRate = Double(reoffended) / Double(releases)
        #expect(discharges > 20_000 && releases > 1_000)
        #expect((0.10...0.20).contains(readmissionRate), "readmission \(readmissionRate)")
        #expect((0.25...0.35).contains(recidivismRate), "recidivism \(recidivismRate)")
    }

    @Test("about ten events per citizen, so a million citizens make about ten million events")
    func eventsPerCitizen() {
        let citizens = population(seed: 5, size: 5_000)
        let mean = Double(citizens.reduce(0) { $0 + $1.events.count }) / Double(citizens.count)
        #expect((7.0...13.0).contains(mean), "mean \(mean)")
    }
}
