import Foundation

/// One event as an integration would post it.
public struct SimulatedEvent: Sendable, Equatable {
    public let source: String
    public let id: String
    public let type: EventType
    public let occurredAt: Date
    public let attributes: [String: String]

    public init(source: String, id: String, type: EventType, occurredAt: Date, attributes: [String: String]) {
        self.source = source
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.attributes = attributes
    }

    /// The actor whose system reports the event (an integration speaks only for itself): the one it names, or
    /// the register that keeps addresses and deaths, or the courts.
    public var postingActor: String {
        if let actor = attributes["actor"] { return actor }
        return type == .justiceConvicted ? SimulatedActors.courts.slug : SimulatedActors.civilRegister.slug
    }
}

public struct SimulatedCitizen: Sendable, Equatable {
    public let cpr: String
    public let birthDate: CalendarDate
    public let events: [SimulatedEvent]
}

/// A synthetic but realistic population for demos, tests and benchmarks, the same for the same seed, size
/// and end date. Three kinds of citizen, in the proportions the three labs meet them:
/// - 75 % frail elderly (65+, younger ages more common): acute and planned admissions over five years,
///   discharges home or to a nursing home, transfers, in-hospital deaths, stays a few hours apart, and acute
///   readmissions within 30 days at about the national 15–20 %;
/// - 15 % young people (18–29 at release) leaving prison: planned release, release, and convictions for
///   offences after release for about 30 % within two years (plus acquittals and older offences, which do
///   not count);
/// - 10 % young people (15–29) discharged from psychiatry.
/// Every citizen first gets a `citizen.moved` into a municipality; some move later. CPR numbers are unique
/// within the population (serial numbers are handed out per birth date), so the simulator runs in order.
public struct PopulationSimulator: Sendable {
    public let seed: UInt64
    /// Events happen before this instant (default: the start of today), over `years` before it.
    public let until: Date
    public let years: Int
    private var serials: [CalendarDate: Int] = [:]

    public init(seed: UInt64, until: Date, years: Int = 5) {
        self.seed = seed
        self.until = until
        self.years = years
    }

    var start: Date { until.addingTimeInterval(-Double(years) * 365 * 86_400) }

    /// Citizen number `index`; call in order 0, 1, 2… (the serial numbers depend on the citizens before).
    public mutating func citizen(_ index: Int) -> SimulatedCitizen {
        var random = SeededRandom(seed: seed, stream: UInt64(index))
        let region = random.weighted(SimulatedActors.regions.map { ($0, $0.municipalities.reduce(0) { $0 + $1.3 }) })
        let home = random.weighted(region.municipalities.map { ($0, $0.3) })
        var builder = Builder(index: index, seed: seed, until: until)
        let birthDate: CalendarDate
        switch random.unit() {
        case ..<0.75:
            // Ages at the end of the period: 65 and up, fewer at each higher age.
            let age = 60 + min(44, Int(random.exponential(mean: 11)))
            birthDate = CalendarDate(until).adding(days: -(age * 365 + Int(random.unit() * 365)))
            builder.moved(to: home.0, at: start.addingTimeInterval(-random.unit() * 3_000 * 86_400))
            elderly(region: region, random: &random, builder: &builder)
        case ..<0.90:
            birthDate = reentry(region: region, home: home.0, random: &random, builder: &builder)
        default:
            let age = 15 + Int(random.unit() * 15)
            let first = start.addingTimeInterval(random.unit() * (until.timeIntervalSince(start) - 30 * 86_400))
            birthDate = CalendarDate(first).adding(days: -(age * 365 + Int(random.unit() * 360)))
            builder.moved(to: home.0, at: first.addingTimeInterval(-random.unit() * 2_000 * 86_400))
            psychiatry(region: region, first: first, random: &random, builder: &builder)
        }
        return SimulatedCitizen(cpr: cpr(born: birthDate), birthDate: birthDate, events: builder.events)
    }

    private func elderly(region: SimulatedActors.Region, random: inout SeededRandom, builder: inout Builder) {
        var admittedAt = start.addingTimeInterval(random.exponential(mean: 300) * 86_400)
        var acute = random.chance(0.85)
        while admittedAt < until {
            let hospital = region.hospital
            builder.admitted(at: admittedAt, acute: acute, actor: hospital)
            var dischargedAt = admittedAt.addingTimeInterval((0.3 + random.exponential(mean: 4)) * 86_400)
            guard dischargedAt < until else { return }
            let destination = random.weighted([("deceased", 0.03), ("other_hospital", 0.03), ("nursing_home", 0.10), ("home", 0.84)])
            builder.discharged(at: dischargedAt, to: destination, actor: hospital)
            if destination == "deceased" {
                builder.died(at: dischargedAt)
                return
            }
            if destination == "other_hospital" {
                // A transfer: admitted at the receiving hospital within hours, discharged home from there.
                let other = SimulatedActors.regions[Int(random.unit() * Double(SimulatedActors.regions.count))].hospital
                let transferAt = dischargedAt.addingTimeInterval((0.5 + random.unit() * 2.5) * 3600)
                builder.admitted(at: transferAt, acute: true, actor: other)
                dischargedAt = transferAt.addingTimeInterval((0.5 + random.exponential(mean: 5)) * 86_400)
                guard dischargedAt < until else { return }
                builder.discharged(at: dischargedAt, to: "home", actor: other)
            }
            if random.chance(0.02) {
                // Back within hours: the same stay, not a readmission.
                admittedAt = dischargedAt.addingTimeInterval((0.5 + random.unit() * 3) * 3600)
                acute = random.chance(0.5)
            } else if random.chance(0.09) {
                admittedAt = dischargedAt.addingTimeInterval((0.25 + random.unit() * 29.7) * 86_400)
                acute = true
            } else {
                admittedAt = dischargedAt.addingTimeInterval((0.2 + random.exponential(mean: 300)) * 86_400)
                acute = random.chance(0.85)
            }
            if random.chance(0.02) {
                let diedAt = dischargedAt.addingTimeInterval(random.unit() * 60 * 86_400)
                if diedAt < admittedAt, diedAt < until {
                    builder.died(at: diedAt)
                    return
                }
            }
        }
    }

    private func reentry(region: SimulatedActors.Region, home: String, random: inout SeededRandom, builder: inout Builder) -> CalendarDate {
        let releaseDay = CalendarDate(until.addingTimeInterval(-(30 + random.unit() * Double(years * 365 - 60)) * 86_400))
        let age = 18 + Int(random.unit() * 12)
        let birthDate = releaseDay.adding(days: -(age * 365 + Int(random.unit() * 360)))
        let admittedDay = releaseDay.adding(days: -(60 + Int(random.unit() * 640)))
        let prison = region.prison
        builder.moved(to: home, at: admittedDay.adding(days: -(30 + Int(random.unit() * 1_000))).start().addingTimeInterval(12 * 3600))
        builder.event(.prisonAdmitted, at: admittedDay.start().addingTimeInterval(10 * 3600), source: "sim-prison", ["actor": prison])
        let plannedAt = releaseDay.adding(days: -(14 + Int(random.unit() * 46))).start().addingTimeInterval(9 * 3600)
        builder.event(.prisonReleasePlanned, at: plannedAt, source: "sim-prison", ["release_date": releaseDay.description, "actor": prison])
        let releasedAt = releaseDay.start().addingTimeInterval((9 + random.unit() * 6) * 3600)
        builder.event(.prisonReleased, at: releasedAt, source: "sim-prison", ["actor": prison])
        if random.chance(0.04) {
            let other = SimulatedActors.regions[Int(random.unit() * Double(SimulatedActors.regions.count))].municipalities[0].0
            builder.moved(to: other, at: releasedAt.addingTimeInterval((5 + random.unit() * 200) * 86_400))
        }
        if random.chance(0.30) {
            // Most re-offences come early: offence day 1…730 after release, skewed towards the start.
            let offence = releaseDay.adding(days: 1 + Int(729 * pow(random.unit(), 1.6)))
            let sentence = random.weighted([("unconditional", 0.4), ("conditional", 0.35), ("fine", 0.25)])
            builder.convicted(offence: offence, sentence: sentence, at: offence.start().addingTimeInterval((30 + random.unit() * 370) * 86_400))
        }
        if random.chance(0.06) {
            let offence = releaseDay.adding(days: 1 + Int(random.unit() * 700))
            builder.convicted(offence: offence, sentence: "acquittal", at: offence.start().addingTimeInterval((30 + random.unit() * 300) * 86_400))
        }
        if random.chance(0.05) {
            // An offence from before the prison stay, judged after release: not a re-offence.
            let offence = admittedDay.adding(days: -(30 + Int(random.unit() * 300)))
            builder.convicted(offence: offence, sentence: "conditional", at: releasedAt.addingTimeInterval((10 + random.unit() * 200) * 86_400))
        }
        return birthDate
    }

    private func psychiatry(region: SimulatedActors.Region, first: Date, random: inout SeededRandom, builder: inout Builder) {
        var admittedAt = first
        for _ in 0..<(1 + Int(random.unit() * 3)) where admittedAt < until {
            builder.admitted(at: admittedAt, acute: random.chance(0.7), actor: region.psychiatry)
            let dischargedAt = admittedAt.addingTimeInterval((1 + random.exponential(mean: 14)) * 86_400)
            guard dischargedAt < until else { return }
            builder.discharged(at: dischargedAt, to: "home", actor: region.psychiatry)
            admittedAt = dischargedAt.addingTimeInterval((1 + random.exponential(mean: 200)) * 86_400)
        }
    }

    /// `DDMMYY-SSSS` with the serial's first digit in the range that gives the right century (0–3 for
    /// 1900–1999; 4 and then 9 for 2000–2036).
    private mutating func cpr(born: CalendarDate) -> String {
        let serial = serials[born, default: 0]
        serials[born] = serial + 1
        let value: Int
        if born.year < 2000 {
            value = serial % 4_000
        } else {
            value = serial % 2_000 < 1_000 ? 4_000 + serial % 1_000 : 9_000 + serial % 1_000
        }
        func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
        let digits = String(value)
        return "\(two(born.day))\(two(born.month))\(two(born.year % 100))-\(String(repeating: "0", count: 4 - digits.count))\(digits)"
    }

    /// Collects a citizen's events, dropping any at or after `until` (they have not happened yet).
    struct Builder {
        let index: Int
        let seed: UInt64
        let until: Date
        var events: [SimulatedEvent] = []
        var episode = 0

        mutating func event(_ type: EventType, at instant: Date, source: String, _ attributes: [String: String]) {
            guard instant < until else { return }
            let at = Date(timeIntervalSince1970: instant.timeIntervalSince1970.rounded())
            events.append(SimulatedEvent(source: source, id: "s\(seed)-c\(index)-e\(events.count)", type: type, occurredAt: at, attributes: attributes))
        }

        mutating func moved(to code: String, at instant: Date) {
            event(.citizenMoved, at: instant, source: "sim-cpr", ["municipality_code": code])
        }

        mutating func admitted(at instant: Date, acute: Bool, actor: String) {
            episode += 1
            event(.hospitalAdmitted, at: instant, source: "sim-hospital", ["episode_id": "ep\(episode)", "admission": acute ? "acute" : "planned", "actor": actor])
        }

        mutating func discharged(at instant: Date, to destination: String, actor: String) {
            event(.hospitalDischarged, at: instant, source: "sim-hospital", ["episode_id": "ep\(episode)", "discharged_to": destination, "actor": actor])
        }

        mutating func died(at instant: Date) {
            event(.citizenDied, at: instant, source: "sim-cpr", [:])
        }

        mutating func convicted(offence: CalendarDate, sentence: String, at instant: Date) {
            event(.justiceConvicted, at: instant, source: "sim-courts", ["offence_date": offence.description, "sentence": sentence])
        }
    }
}

extension SimulatedEvent {
    private struct Wire: Encodable {
        let source: String
        let id: String
        let type: String
        let occurred_at: String
        let cpr: String
        let attributes: [String: String]
    }

    /// The event as a line of `POST /v1/events/batch` (NDJSON), without the newline.
    public func jsonLine(cpr: String) -> Data {
        let wire = Wire(source: source, id: id, type: type.rawValue, occurred_at: RFC3339.format(occurredAt), cpr: cpr, attributes: attributes)
        return (try? JSONEncoder().encode(wire)) ?? Data()
    }
}
