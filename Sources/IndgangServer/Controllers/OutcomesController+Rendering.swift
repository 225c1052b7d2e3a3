import Foundation
import Hummingbird
import IndgangCore
import IndgangStore

/// The definition block and the two representations (JSON, CSV) of an outcome answer.
extension OutcomesController {
    func definition(_ text: OutcomeDefinitionText, _ parameters: Parameters, query: OutcomeQuery?) -> OutcomeDefinitionDTO {
        let measure = text.name
        var values: [String: OutcomeDefinitionDTO.ParameterValue] = [
            "from": .text(parameters.from.description), "to": .text(parameters.to.description), "as_of": .text(RFC3339.format(parameters.asOf)),
            "pathway": .text(parameters.pathway?.id), "actor": .text(parameters.actor?.slug), "municipality": .text(parameters.municipality),
            "group_by": .text(parameters.groupBy?.rawValue), "compare": .text(parameters.compare?.text),
        ]
        if measure == "handoffs" {
            values["buckets_per_doubling"] = .number(AcceptanceTimeHistogram.bucketsPerDoubling)
            values["first_bucket_seconds"] = .number(AcceptanceTimeHistogram.firstBoundSeconds)
        }
        if let query {
            values["window_days"] = .number(query.windowDays)
            if measure == "readmission" { values["merge_hours"] = .number(4) }
            if let eligibility = parameters.pathway?.eligibility {
                values["age_min"] = .number(eligibility.minimumAge)
                values["age_max"] = .number(eligibility.maximumAge)
                values["actor_kinds"] = .list(eligibility.actorKinds.map(\.rawValue))
            }
        }
        return OutcomeDefinitionDTO(
            id: text.id, title: text.title, text: text.text, numerator: text.numerator, denominator: text.denominator,
            censoring: text.censoring, parameters: values)
    }

    /// JSON, or CSV when the client asks for `text/csv`.
    func respond(_ answer: OutcomeAnswerDTO, to request: Request) throws -> Response {
        let accept = request.headers[.accept] ?? ""
        if accept.lowercased().contains("text/csv") { return Self.csvResponse(answer, request: request) }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try answer.json())))
    }

    /// Plain RFC 4180, so spreadsheets and CSV libraries read it as a table: the header row first, one row per
    /// group, nothing else. What the figures mean travels beside the table: `Link` to the same query as JSON
    /// (`rel="describedby"`, whose `definition` has the text and every parameter) and the definition's id in
    /// `Indgang-Definition`; a comparison's difference in `Indgang-Comparison`.
    static func csvResponse(_ answer: OutcomeAnswerDTO, request: Request) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8; header=present"
        let measure = answer.definition.id.split(separator: ":").dropFirst(3).first.map(String.init) ?? "outcome"
        headers[.contentDisposition] = "attachment; filename=\"indgang-\(measure).csv\""
        let path = request.uri.path.hasSuffix(".csv") ? String(request.uri.path.dropLast(4)) : request.uri.path
        let json = path.replacingOccurrences(of: "/console/outcomes/", with: "/v1/outcomes/") + (request.uri.query.map { "?" + $0 } ?? "")
        headers[.link] = "<\(json)>; rel=\"describedby\"; type=\"application/json\""
        headers[.indgangDefinition] = answer.definition.id
        if let comparison = answer.comparison?.comparison {
            let interval = comparison.ci95.map { "\(OutcomeGroupDTO.rounded($0.lowerBound)),\(OutcomeGroupDTO.rounded($0.upperBound))" } ?? "null"
            headers[.indgangComparison] =
                "difference=\(comparison.difference.map { "\(OutcomeGroupDTO.rounded($0))" } ?? "null"); ci95=\(interval); suppressed=\(comparison.suppressed)"
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: csv(answer))))
    }

    static func csv(_ answer: OutcomeAnswerDTO) -> String {
        var lines: [String] = []
        let handoffs = answer.groups.contains { $0.handoff != nil }
        lines.append(
            handoffs
                ? "key,pathway,from_actor,to_actor,requested,accepted,rejected,overdue,median_hours_to_accept,p90_hours_to_accept,rate,ci95_low,ci95_high,suppressed,"
                    + "accepted_in_time,accepted_in_time_rate,accepted_in_time_ci95_low,accepted_in_time_ci95_high,goal_target,goal_direction,goal_status,"
                    + "median_working_hours_to_accept,p90_working_hours_to_accept"
                : "key,numerator,denominator,rate,ci95_low,ci95_high,suppressed,censored,goal_target,goal_direction,goal_status")
        for group in answer.groups {
            let figure = group.figure
            let rate = [figure.rate.map(OutcomeGroupDTO.rounded), figure.ci95.map { OutcomeGroupDTO.rounded($0.lowerBound) },
                        figure.ci95.map { OutcomeGroupDTO.rounded($0.upperBound) }].map(Self.cell)
            if let handoff = group.handoff {
                lines.append(
                    ([figure.key, handoff.pathway, handoff.fromActor, handoff.toActor].map(Self.quoted)
                        + [figure.denominator, figure.numerator, handoff.rejected, handoff.overdue].map(Self.cell)
                        + [handoff.medianHoursToAccept, handoff.p90HoursToAccept].map { Self.cell($0.map { OutcomeGroupDTO.rounded($0, places: 2) }) }
                        + rate + ["\(figure.suppressed)"]
                        + [Self.cell(handoff.acceptedInTime?.numerator), Self.cell(handoff.acceptedInTime?.rate.map(OutcomeGroupDTO.rounded)),
                           Self.cell(handoff.acceptedInTime?.wilson95.map { OutcomeGroupDTO.rounded($0.lowerBound) }),
                           Self.cell(handoff.acceptedInTime?.wilson95.map { OutcomeGroupDTO.rounded($0.upperBound) }),
                           Self.cell(group.goal?.target), Self.cell(group.goal?.direction), Self.cell(group.goal?.status)]
                        + [handoff.medianWorkingHoursToAccept, handoff.p90WorkingHoursToAccept].map { Self.cell($0.map { OutcomeGroupDTO.rounded($0, places: 2) }) })
                        .joined(separator: ","))
            } else {
                lines.append(
                    ([Self.quoted(figure.key), Self.cell(figure.numerator), Self.cell(figure.denominator)] + rate
                        + ["\(figure.suppressed)", Self.cell(figure.censored), Self.cell(group.goal?.target), Self.cell(group.goal?.direction),
                           Self.cell(group.goal?.status)]).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func cell(_ value: (some CustomStringConvertible)?) -> String {
        value.map(\.description) ?? ""
    }

    /// RFC 4180 quoting, for the one free-text-ish column family (keys, slugs).
    static func quoted(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\"" : text
    }

    static func text(_ value: OutcomeDefinitionDTO.ParameterValue) -> String {
        switch value {
        case .text(let text): return text ?? "null"
        case .number(let number): return number.map(String.init) ?? "null"
        case .list(let list): return list.joined(separator: "|")
        }
    }
}
