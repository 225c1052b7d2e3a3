import Foundation
import Hummingbird
import IndgangCore
import IndgangStore

/// The definition block and the two representations (JSON, CSV) of an outcome answer.
extension OutcomesController {
    /// A definition's version goes up whenever what a figure means or how it is computed changes, so that a cited
    /// figure names the method behind it (handoffs v2: times to acceptance read from histograms, not sorted).
    static let versions = ["readmission": 1, "recidivism": 1, "handoffs": 2]

    static let texts: [String: (title: String, text: String, numerator: String, denominator: String, censoring: String)] = [
        "readmission": (
            "30-day acute readmission",
            "Index discharges dated from `from` to `to` (Danish calendar days): discharges alive to home or a nursing home. Stays at most "
                + "4 hours apart are one stay and only its last discharge is an index; discharges to another hospital and in-hospital deaths "
                + "are not index discharges. An index discharge is readmitted when an acute admission follows more than 4 hours and at most "
                + "30 days (720 hours) after it, counted once however many follow — the same test as the live readmission flag.",
            "index discharges followed by an acute admission within 30 days",
            "index discharges with 30 days of follow-up",
            "Excluded and counted as censored: index discharges less than 30 days before as_of (readmitted or not), and those where the "
                + "citizen died within 30 days without a readmission first."
        ),
        "recidivism": (
            "Recidivism after release from prison",
            "Releases (prison.released) dated from `from` to `to` (Danish calendar days). A release counts when a justice.convicted with "
                + "a sentence other than acquittal names an offence date after the release and at most window_days days after it (the "
                + "offence date read from 00:00 Copenhagen time). The offence date counts, not the conviction date; each release counts once "
                + "— the same test as the live reoffence flag.",
            "releases followed within window_days by an offence that led to an unconditional or conditional sentence or a fine",
            "releases with window_days of follow-up",
            "Excluded and counted as censored: releases less than window_days before as_of, and those where the citizen died within the "
                + "window without a re-offence first. Convictions not yet reported cannot be counted, so recent figures can still rise."
        ),
        "handoffs": (
            "Handoff performance",
            "Warm handoffs requested from `from` to `to` (Danish calendar days), per pathway and pair of sending and receiving actor: "
                + "requested, accepted, rejected and ever overdue; rate = accepted / requested; time from request to acceptance, median and "
                + "90th percentile in hours, shown when at least 5 were accepted. The times are counted in buckets a quarter of a doubling "
                + "wide (19 %) from one minute up to a year, and a percentile is read from the buckets as percentile_cont would read it from "
                + "the times, placing the times evenly (on a log scale) within their bucket: when the two nearest times share a bucket, within "
                + "19 % of the exact value. group_by=municipality groups by the "
                + "municipality taking part in the handoff.",
            "handoffs accepted",
            "handoffs requested",
            "None: a handoff still pending counts as requested and not (yet) accepted."
        ),
    ]

    func definition(_ measure: String, _ parameters: Parameters, query: OutcomeQuery?) -> OutcomeDefinitionDTO {
        let text = Self.texts[measure]!
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
            id: "urn:indgang:outcome:\(measure):v\(Self.versions[measure] ?? 1)", title: text.title, text: text.text, numerator: text.numerator, denominator: text.denominator,
            censoring: text.censoring, parameters: values)
    }

    /// JSON, or CSV when the client asks for `text/csv`.
    func respond(_ answer: OutcomeAnswerDTO, to request: Request) throws -> Response {
        let accept = request.headers[.accept] ?? ""
        if accept.lowercased().contains("text/csv") { return Self.csvResponse(answer, request: request) }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try JSONCoding.encoder.encode(answer))))
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
                ? "key,pathway,from_actor,to_actor,requested,accepted,rejected,overdue,median_hours_to_accept,p90_hours_to_accept,rate,ci95_low,ci95_high,suppressed"
                : "key,numerator,denominator,rate,ci95_low,ci95_high,suppressed,censored")
        for group in answer.groups {
            let figure = group.figure
            let rate = [figure.rate.map(OutcomeGroupDTO.rounded), figure.ci95.map { OutcomeGroupDTO.rounded($0.lowerBound) },
                        figure.ci95.map { OutcomeGroupDTO.rounded($0.upperBound) }].map(Self.cell)
            if let handoff = group.handoff {
                lines.append(
                    ([figure.key, handoff.pathway, handoff.fromActor, handoff.toActor].map(Self.quoted)
                        + [figure.denominator, figure.numerator, handoff.rejected, handoff.overdue].map(Self.cell)
                        + [handoff.medianHoursToAccept, handoff.p90HoursToAccept].map { Self.cell($0.map { OutcomeGroupDTO.rounded($0, places: 2) }) }
                        + rate + ["\(figure.suppressed)"]).joined(separator: ","))
            } else {
                lines.append(
                    ([Self.quoted(figure.key), Self.cell(figure.numerator), Self.cell(figure.denominator)] + rate
                        + ["\(figure.suppressed)", Self.cell(figure.censored)]).joined(separator: ","))
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
