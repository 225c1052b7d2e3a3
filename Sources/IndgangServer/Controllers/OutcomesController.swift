import Foundation
import Hummingbird
import IndgangCore
import IndgangStore
import Metrics

/// `/v1/outcomes/readmissions|recidivism|handoffs` (coordinators): figures with their definition, Wilson
/// intervals and small-cell suppression, as JSON or (`Accept: text/csv`) CSV. No personal data: groups are
/// months, municipality codes, actor slugs and age bands, and every count from 1 to 4 is withheld.
struct OutcomesController {
    /// The standby while it is fresh enough, else the primary; the answer's `as_of` comes with it.
    let reads: OutcomeReadRouter
    let actors: any ActorRepository
    let audit: any AuditRepository
    let pathways: PathwayCatalog
    /// Figures the pre-aggregated counts cannot answer (another window, an age range through a band) classify
    /// every episode of the period: two at a time per replica, beyond that 429.
    let classifying = ConcurrencyLimit(perKey: 2)

    enum GroupBy: String, CaseIterable { case month, municipality, actor, age_band, variant }

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("outcomes/readmissions") { try await figures(.readmission, $0, $1) }
        routes.get("outcomes/recidivism") { try await figures(.recidivism, $0, $1) }
        routes.get("outcomes/handoffs", use: handoffs)
        return routes
    }

    /// The parameters every outcome route shares, validated together (one 422 names every bad field).
    struct Parameters {
        var from: CalendarDate
        var to: CalendarDate
        var pathway: PathwayDefinition?
        var actor: ActorRecord?
        var municipality: String?
        var groupBy: GroupBy?
        var compare: Comparison?
        var windowDays: Int
        var asOf: Date

        /// An actor or municipality filter: its population must hold at least 5 episodes to show anything.
        var isFiltered: Bool { actor != nil || municipality != nil }
    }

    /// `compare=DIMENSION:A,B` (`municipality`, `actor`, `age_band`) or `compare=period:YYYY-MM-DD` (before / from).
    enum Comparison {
        case municipality(String, String)
        case actor(ActorRecord, ActorRecord)
        case ageBand(AgeBand, AgeBand)
        case period(CalendarDate)
        /// Two variant ids (or a variant and its base's id), like with like.
        case variant(String, String)

        var text: String {
            switch self {
            case .variant(let a, let b): return "variant:\(a),\(b)"
            case .municipality(let a, let b): return "municipality:\(a),\(b)"
            case .actor(let a, let b): return "actor:\(a.slug),\(b.slug)"
            case .ageBand(let a, let b): return "age_band:\(a.rawValue),\(b.rawValue)"
            case .period(let date): return "period:\(date)"
            }
        }
    }

    func parameters(_ request: Request, measure: OutcomeMeasure?) async throws -> Parameters {
        var validation = Validation()
        let asOf = Date()
        let today = CalendarDate(asOf)
        func date(_ name: String) -> CalendarDate? {
            guard let text = request.queryValue(name) else { return nil }
            guard let date = CalendarDate(iso: text), (1900...2199).contains(date.year) else {
                validation.fail(name, "must be a date YYYY-MM-DD from 1900 to 2199")
                return nil
            }
            return date
        }
        // Whole months only (disclosure control): a day-granular window could be differenced to single out one
        // discharge. The default is the last 12 complete months.
        let lastComplete = today.firstOfMonth.adding(days: -1)
        let to = date("to") ?? lastComplete
        let monthIndex = to.year * 12 + to.month - 1 - 11
        let from = date("from") ?? CalendarDate(year: monthIndex / 12, month: monthIndex % 12 + 1, day: 1)!
        if request.queryValue("from") != nil, from != from.firstOfMonth { validation.fail("from", "must be the first day of a month") }
        if request.queryValue("to") != nil, to != to.lastOfMonth { validation.fail("to", "must be the last day of a month") }
        if to < from { validation.fail("to", "must not be before from") }

        var pathway: PathwayDefinition?
        if let id = request.queryValue("pathway") {
            if let found = pathways.definition(id) {
                if let measure, found.outcome != measure.rawValue {
                    validation.fail("pathway", "\(id) feeds no \(measure.rawValue) figure (\(found.outcome.map { "it feeds \($0)" } ?? "it declares no outcome"))")
                } else {
                    pathway = found
                }
            } else {
                validation.fail("pathway", "must be one of \(pathways.definitions.map(\.id).joined(separator: ", "))")
            }
        }
        let known = try await request.queryValue("actor") != nil || request.queryValue("compare")?.hasPrefix("actor:") == true ? actors.list() : []
        func actor(_ slug: String, field: String) -> ActorRecord? {
            guard let found = known.first(where: { $0.slug == slug }) else {
                validation.fail(field, "no actor with slug \(slug)")
                return nil
            }
            return found
        }
        let filterActor = request.queryValue("actor").flatMap { actor($0, field: "actor") }
        let municipality = request.queryValue("municipality")
        if let municipality, !MunicipalityCode.isValid(municipality) { validation.fail("municipality", "must be three digits") }

        var groupBy: GroupBy?
        if let text = request.queryValue("group_by") {
            groupBy = GroupBy(rawValue: text)
            if groupBy == nil { validation.fail("group_by", "must be one of \(GroupBy.allCases.map(\.rawValue).joined(separator: ", "))") }
        }

        var comparison: Comparison?
        if let text = request.queryValue("compare") {
            if measure == nil {
                validation.fail("compare", "is offered for readmissions and recidivism")
            } else if groupBy != nil {
                validation.fail("compare", "cannot be combined with group_by")
            } else {
                comparison = parseComparison(text, measure: measure, actors: known, validation: &validation)
            }
        }

        var windowDays = ReadmissionDefinition().windowDays
        if measure == .recidivism {
            windowDays = RecidivismDefinition.defaultWindowDays
            if let text = request.queryValue("window_days") {
                if let days = Int(text), (1...3_650).contains(days) { windowDays = days } else {
                    validation.fail("window_days", "must be a whole number of days from 1 to 3650")
                }
            }
        } else if request.queryValue("window_days") != nil {
            validation.fail("window_days", measure == .readmission ? "is fixed at 30 days for readmissions" : "is not a parameter of handoffs")
        }
        try validation.check()
        return Parameters(
            from: from, to: to, pathway: pathway, actor: filterActor, municipality: municipality, groupBy: groupBy, compare: comparison,
            windowDays: windowDays, asOf: asOf)
    }

    private func parseComparison(_ text: String, measure: OutcomeMeasure?, actors known: [ActorRecord], validation: inout Validation) -> Comparison? {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let values = parts.count == 2 ? parts[1].split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        } : []
        let usage = "must be municipality:A,B, actor:A,B, age_band:A,B, variant:A,B or period:YYYY-MM-DD"
        switch (parts.first, values.count) {
        case ("variant", 2):
            let known = variantKeys(measure: measure)
            guard values.allSatisfy(known.contains), values[0] != values[1] else {
                validation.fail("compare", "must name two different variants (or a base) of \(known.sorted().joined(separator: ", "))")
                return nil
            }
            return .variant(values[0], values[1])
        case ("municipality", 2):
            guard values.allSatisfy(MunicipalityCode.isValid), values[0] != values[1] else {
                validation.fail("compare", "must name two different three-digit municipality codes")
                return nil
            }
            return .municipality(values[0], values[1])
        case ("actor", 2):
            let found = values.map { slug in known.first { $0.slug == slug } }
            guard let a = found[0], let b = found[1] else {
                validation.fail("compare", "no actor with slug \(values[found[0] == nil ? 0 : 1])")
                return nil
            }
            guard a.id != b.id else {
                validation.fail("compare", "must name two different actors")
                return nil
            }
            return .actor(a, b)
        case ("age_band", 2):
            // A `+` in a query string may arrive as a space: "85 " is "85+".
            let bands = values.map { AgeBand(rawValue: $0) ?? AgeBand(rawValue: $0 + "+") }
            guard let a = bands[0], let b = bands[1], a != b else {
                validation.fail("compare", "must name two different age bands of \(AgeBand.allCases.map(\.rawValue).joined(separator: ", "))")
                return nil
            }
            return .ageBand(a, b)
        case ("period", 1):
            guard let date = CalendarDate(iso: values[0]), date == date.firstOfMonth else {
                validation.fail("compare", "period must be the first day of a month, YYYY-MM-01")
                return nil
            }
            return .period(date)
        default:
            validation.fail("compare", usage)
            return nil
        }
    }

    // MARK: - Readmissions and recidivism

    func figures(_ measure: OutcomeMeasure, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try context.authorize(request, .coordinator)
        return try respond(try await answer(measure, request, access: access), to: request)
    }

    /// The figures the query asks for, audited (`outcomes.query`): the API's answer and the console's page.
    func answer(_ measure: OutcomeMeasure, _ request: Request, access: AccessContext) async throws -> OutcomeAnswerDTO {
        let parameters = try await parameters(request, measure: measure)
        try await record(measure.rawValue, parameters, access: access)
        var query = OutcomeQuery(measure: measure, from: parameters.from, to: parameters.to, windowDays: parameters.windowDays, asOf: parameters.asOf)
        if let eligibility = parameters.pathway?.eligibility {
            query.minimumAge = eligibility.minimumAge ?? 0
            query.maximumAge = eligibility.maximumAge
            query.actorKinds = eligibility.actorKinds
        }
        query.actor = parameters.actor?.id
        query.municipality = parameters.municipality
        let slot = query.readsCounts
            ? nil : try classifying.slot(retryAfter: 5, refusal: "too many figures with a non-standard window or age range are being computed; try again shortly")
        defer { withExtendedLifetime(slot) {} }
        return try await read { [query] outcomes, asOf in
            var (parameters, query) = (parameters, query)
            (parameters.asOf, query.asOf) = (asOf, asOf)
            return try await figures(measure, parameters: parameters, query: query, outcomes: outcomes)
        }
    }

    /// The figures of one measure, read from `outcomes` (the standby or the primary) as of `query.asOf`.
    private func figures(
        _ measure: OutcomeMeasure, parameters: Parameters, query: OutcomeQuery, outcomes: any OutcomeRepository
    ) async throws -> OutcomeAnswerDTO {
        var query = query
        var groups: [OutcomeFigure]
        var comparison: OutcomeComparison?
        if let compare = parameters.compare {
            let keys: (String, String)
            switch compare {
            case .municipality(let a, let b): (query.split, keys) = (.municipality, (a, b))
            case .actor(let a, let b): (query.split, keys) = (.actor, (a.slug, b.slug))
            case .ageBand(let a, let b): (query.split, keys) = (.ageBand, (a.rawValue, b.rawValue))
            case .period(let date): (query.split, keys) = (.period(date), ("before", "from"))
            case .variant(let a, let b): (query.split, keys) = (.variant(variantSegments(measure: measure, pathway: parameters.pathway)), (a, b))
            }
            let counts = try await outcomes.counts(query)
            let label: (String) -> String = { key in
                if case .period(let date) = compare { return "\(key) \(date)" }
                return "\(compare.text.prefix { $0 != ":" }):\(key)"
            }
            let cohorts = [keys.0, keys.1].map { key in
                let found = counts.first { $0.key == key } ?? OutcomeCounts(key: key, numerator: 0, denominator: 0, censored: 0)
                return (key: label(key), numerator: found.numerator, denominator: found.denominator, censored: found.censored)
            }
            // Each compared cohort is a filtered population: one under 5 episodes shows nothing, and nor does its partner.
            // A period comparison splits one population: small when the filtered whole is.
            let small = isPeriod(compare)
                ? parameters.isFiltered && DisclosureControl.isSmall(population: cohorts.reduce(0) { $0 + $1.denominator + $1.censored })
                : cohorts.contains { DisclosureControl.isSmall(population: $0.denominator + $0.censored) }
            let pair = DisclosureControl.figures(cohorts, smallPopulation: small)
            groups = pair
            comparison = OutcomeComparison(a: pair[0], b: pair[1])
        } else {
            switch parameters.groupBy {
            case nil: query.split = .none
            case .month: query.split = .month
            case .municipality: query.split = .municipality
            case .actor: query.split = .actor
            case .age_band: query.split = .ageBand
            case .variant: query.split = .variant(variantSegments(measure: measure, pathway: parameters.pathway))
            }
            var counts = try await outcomes.counts(query)
            if query.split == .none, counts.isEmpty { counts = [OutcomeCounts(key: "all", numerator: 0, denominator: 0, censored: 0)] }
            if query.split == .month { counts = Self.everyMonth(counts, from: parameters.from, to: parameters.to) }
            let population = counts.reduce(0) { $0 + $1.denominator + $1.censored }
            groups = DisclosureControl.figures(
                counts.map { ($0.key, $0.numerator, $0.denominator, $0.censored) },
                smallPopulation: parameters.isFiltered && DisclosureControl.isSmall(population: population))
        }
        return OutcomeAnswerDTO(
            definition: definition(.of(measure), parameters, query: query),
            groups: groups.map { figure in
                var group = OutcomeGroupDTO(figure: figure, handoff: nil)
                group.goal = goal(for: figure, measure: measure, parameters: parameters)
                return group
            },
            comparison: comparison.map(OutcomeComparisonDTO.init))
    }

    /// Runs `body` where the figures are read, counting where that was (`/metrics`).
    private func read<Value: Sendable>(
        _ body: @escaping @Sendable (_ outcomes: any OutcomeRepository, _ asOf: Date) async throws -> Value
    ) async throws -> Value {
        let answered = try await reads.read(body)
        Counter(label: "indgang_outcome_reads_total", dimensions: [("source", answered.source.rawValue)]).increment()
        if let lag = answered.standbyLag { Gauge(label: "indgang_read_standby_lag_seconds").record(lag) }
        return answered.value
    }

    private func isPeriod(_ comparison: Comparison) -> Bool {
        if case .period = comparison { return true }
        return false
    }

    /// Every coordinator query is in the audit log with its caller and parameters (never data), before it is answered.
    private func record(_ measure: String, _ parameters: Parameters, access: AccessContext) async throws {
        var details: [String: String] = ["measure": measure, "from": parameters.from.description, "to": parameters.to.description]
        details["pathway"] = parameters.pathway?.id
        details["actor"] = parameters.actor?.slug
        details["municipality"] = parameters.municipality
        details["group_by"] = parameters.groupBy?.rawValue
        details["compare"] = parameters.compare?.text
        if measure == OutcomeMeasure.recidivism.rawValue { details["window_days"] = String(parameters.windowDays) }
        let json = String(decoding: try JSONCoding.encoder.encode(details), as: UTF8.self)
        try await audit.record(.outcomesQuery, details: json, access: access)
    }

    /// Every month from `from` to `to`, zero where nothing happened: a series a coordinator can chart.
    static func everyMonth(_ counts: [OutcomeCounts], from: CalendarDate, to: CalendarDate) -> [OutcomeCounts] {
        let found = Dictionary(counts.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var months: [OutcomeCounts] = []
        var (year, month) = (from.year, from.month)
        while (year, month) <= (to.year, to.month) {
            let key = "\(year)-\(month < 10 ? "0" : "")\(month)"
            months.append(found[key] ?? OutcomeCounts(key: key, numerator: 0, denominator: 0, censored: 0))
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return months
    }

    // MARK: - Handoffs

    func handoffs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try context.authorize(request, .coordinator)
        return try respond(try await handoffAnswer(request, access: access), to: request)
    }

    /// Handoff performance per actor pair, audited: the API's answer and the console's page.
    func handoffAnswer(_ request: Request, access: AccessContext) async throws -> OutcomeAnswerDTO {
        var parameters = try await parameters(request, measure: nil)
        try await record("handoffs", parameters, access: access)
        var query = HandoffOutcomeQuery(from: parameters.from, to: parameters.to)
        query.pathway = parameters.pathway?.id
        query.actor = parameters.actor?.id
        query.municipality = parameters.municipality
        switch parameters.groupBy {
        case nil, .actor: query.split = .none
        case .variant: query.split = .variant(variantSegments(measure: nil, pathway: parameters.pathway))
        case .month: query.split = .month
        case .municipality: query.split = .municipality
        case .age_band: query.split = .ageBand
        }
        let (counts, asOf) = try await read { [query] outcomes, asOf in (try await outcomes.handoffCounts(query), asOf) }
        parameters.asOf = asOf
        let population = counts.reduce(0) { $0 + $1.requested }
        let mask = DisclosureControl.hidden(
            counts.map { [$0.accepted, $0.requested, $0.rejected, $0.overdue, $0.acceptedInTime] }, numerator: 0, denominator: 1,
            hideEverything: parameters.isFiltered && DisclosureControl.isSmall(population: population))
        let groups = counts.indices.map { row in
            let count = counts[row]
            let hidden = mask[row]
            let figure = OutcomeFigure(
                key: count.key, numerator: count.accepted, denominator: count.requested, censored: 0, hidden: (hidden[0], hidden[1], false))
            // Medians and p90 over fewer than 5 accepted handoffs are not shown.
            let timesShown = !figure.suppressed && count.accepted >= DisclosureControl.threshold
            // Accepted in time is a second numerator over the same denominator, and at most the accepted count: shown
            // only when requested, accepted and itself are (a visible in-time equal to requested would reveal a hidden
            // accepted count).
            let inTime = hidden[0] || hidden[1] || hidden[4] ? nil : Proportion(count.acceptedInTime, of: count.requested)
            var group = OutcomeGroupDTO(
                figure: figure,
                handoff: .init(
                    pathway: count.pathway, fromActor: count.fromActor, toActor: count.toActor,
                    rejected: hidden[2] ? nil : count.rejected, overdue: hidden[3] ? nil : count.overdue,
                    medianHoursToAccept: timesShown ? count.medianSecondsToAccept.map { $0 / 3600 } : nil,
                    p90HoursToAccept: timesShown ? count.p90SecondsToAccept.map { $0 / 3600 } : nil, acceptedInTime: inTime,
                    medianWorkingHoursToAccept: timesShown ? count.medianWorkingSecondsToAccept.map { $0 / 3600 } : nil,
                    p90WorkingHoursToAccept: timesShown ? count.p90WorkingSecondsToAccept.map { $0 / 3600 } : nil))
            group.goal = handoffGoal(pathway: count.pathway, key: count.key, inTime: inTime, parameters: parameters)
            return group
        }
        return OutcomeAnswerDTO(definition: definition(.handoffs, parameters, query: nil), groups: groups, comparison: nil)
    }
}
