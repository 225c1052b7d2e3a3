import Foundation
import Hummingbird
import IndgangConsole
import IndgangCore
import IndgangStore

/// The coordinator's pages: the same answers as `/v1/outcomes/*` (one computation, one audit row per query),
/// drawn as a chart beside the table, and the CSV of exactly what is shown.
extension ConsoleController {
    func addOutcomeRoutes(to console: RouterGroup<AppRequestContext>) {
        console.get("outcomes/readmissions") { request, context in try await figuresPage(.readmission, request, context) }
        console.get("outcomes/recidivism") { request, context in try await figuresPage(.recidivism, request, context) }
        console.get("outcomes/handoffs", use: handoffsPage)
        console.get("outcomes/readmissions.csv") { request, context in try await csv(.readmission, request, context) }
        console.get("outcomes/recidivism.csv") { request, context in try await csv(.recidivism, request, context) }
        console.get("outcomes/handoffs.csv") { request, context in try await csv(nil, request, context) }
    }

    func figuresPage(_ measure: OutcomeMeasure, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try access(request, context, .coordinator)
        let answer = try await outcomes.answer(measure, request, access: access)
        let query = Self.query(answer.definition)
        let groups = answer.groups.map { Self.group($0.figure, goal: $0.goal) }
        let comparison = answer.comparison.map { dto in
            OutcomeComparisonFigures(
                a: Self.group(dto.comparison.a), b: Self.group(dto.comparison.b), difference: dto.comparison.difference, ci95: dto.comparison.ci95,
                suppressed: dto.comparison.suppressed)
        }
        let model = OutcomePage(
            context: try await pageContext(context, access: access), measure: measure == .readmission ? CoordinatorFigure.readmissions : .recidivism, query: query,
            groups: groups, comparison: comparison, definitionID: answer.definition.id, asOf: Self.asOf(answer.definition),
            pathways: pathwayChoices(), actors: try await actorChoices())
        return try page(model)
    }

    func handoffsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try access(request, context, .coordinator)
        let answer = try await outcomes.handoffAnswer(request, access: access)
        let groups = answer.groups.map { group in
            let figure = group.figure
            let handoff = group.handoff
            return HandoffFigures(
                key: figure.key, pathway: pathwayTitle(handoff?.pathway), from: handoff?.fromActor ?? "", to: handoff?.toActor ?? "",
                requested: figure.denominator, accepted: figure.numerator, rejected: handoff?.rejected, overdue: handoff?.overdue,
                medianHoursToAccept: handoff?.medianHoursToAccept, p90HoursToAccept: handoff?.p90HoursToAccept, rate: figure.rate, ci95: figure.ci95,
                suppressed: figure.suppressed, goal: Self.goal(group.goal))
        }
        let model = HandoffOutcomePage(
            context: try await pageContext(context, access: access), query: Self.query(answer.definition), groups: groups,
            definitionID: answer.definition.id, asOf: Self.asOf(answer.definition), pathways: pathwayChoices(), actors: try await actorChoices())
        return try page(model)
    }

    /// The CSV of the page with the same query: plain RFC 4180, as the API's.
    func csv(_ measure: OutcomeMeasure?, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try access(request, context, .coordinator)
        let answer: OutcomeAnswerDTO
        if let measure { answer = try await outcomes.answer(measure, request, access: access) } else {
            answer = try await outcomes.handoffAnswer(request, access: access)
        }
        return OutcomesController.csvResponse(answer, request: request)
    }

    func actorChoices() async throws -> [Choice] {
        try await actors.list().map { Choice(value: $0.slug, label: $0.name) }
    }

    static func group(_ figure: OutcomeFigure, goal: OutcomeGroupDTO.GoalDTO? = nil) -> OutcomeGroup {
        OutcomeGroup(
            key: figure.key, numerator: figure.numerator, denominator: figure.denominator, rate: figure.rate, ci95: figure.ci95,
            suppressed: figure.suppressed, censored: figure.censored, goal: Self.goal(goal))
    }

    static func goal(_ goal: OutcomeGroupDTO.GoalDTO?) -> OutcomeGoal? {
        goal.map { OutcomeGoal(target: $0.target, direction: $0.direction, status: $0.status) }
    }

    /// The query the answer was computed for, read back from its definition (so the form and the CSV link match it).
    static func query(_ definition: OutcomeDefinitionDTO) -> IndgangConsole.OutcomeQuery {
        func text(_ name: String) -> String? {
            if case .text(let value)? = definition.parameters[name] { return value }
            return nil
        }
        var windowDays: Int?
        // Only recidivism takes a window from the query (readmissions are always 30 days).
        if definition.id.contains(":recidivism:"), case .number(let value)? = definition.parameters["window_days"] { windowDays = value }
        return IndgangConsole.OutcomeQuery(
            from: text("from") ?? "", to: text("to") ?? "", pathway: text("pathway"), actor: text("actor"), municipality: text("municipality"),
            groupBy: text("group_by"), compare: text("compare"), windowDays: windowDays)
    }

    static func asOf(_ definition: OutcomeDefinitionDTO) -> Date? {
        if case .text(let value)? = definition.parameters["as_of"] { return value.flatMap(RFC3339.parse) }
        return nil
    }
}
