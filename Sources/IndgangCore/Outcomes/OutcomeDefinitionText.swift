/// What an outcome figure means, in words, next to the definitions that compute it (`ReadmissionDefinition`,
/// `RecidivismDefinition`, the handoff histograms): the `definition` block of every answer and of the CSV's header.
/// The version goes up whenever what a figure means or how it is computed changes, so that a cited figure names the
/// method behind it (handoffs v2: times to acceptance read from histograms, not sorted).
public struct OutcomeDefinitionText: Sendable {
    public let name: String
    public let version: Int
    public let title: String
    public let text: String
    public let numerator: String
    public let denominator: String
    public let censoring: String

    init(name: String, version: Int, _ title: String, _ text: String, _ numerator: String, _ denominator: String, _ censoring: String) {
        (self.name, self.version, self.title, self.text) = (name, version, title, text)
        (self.numerator, self.denominator, self.censoring) = (numerator, denominator, censoring)
    }

    /// `urn:indgang:outcome:<name>:v<version>`: the id a figure is cited by.
    public var id: String { "urn:indgang:outcome:\(name):v\(version)" }

    public static func of(_ measure: OutcomeMeasure) -> OutcomeDefinitionText {
        switch measure {
        case .readmission: readmission
        case .recidivism: recidivism
        }
    }

    public static let readmission = OutcomeDefinitionText(
        name: "readmission", version: 1,
        "30-day acute readmission",
        "Index discharges dated from `from` to `to` (Danish calendar days): discharges alive to home or a nursing home. Stays at most "
            + "4 hours apart are one stay and only its last discharge is an index; discharges to another hospital and in-hospital deaths "
            + "are not index discharges. An index discharge is readmitted when an acute admission follows more than 4 hours and at most "
            + "30 days (720 hours) after it, counted once however many follow — the same test as the live readmission flag.",
        "index discharges followed by an acute admission within 30 days",
        "index discharges with 30 days of follow-up",
        "Excluded and counted as censored: index discharges less than 30 days before as_of (readmitted or not), and those where the "
            + "citizen died within 30 days without a readmission first."
    )

    public static let recidivism = OutcomeDefinitionText(
        name: "recidivism", version: 1,
        "Recidivism after release from prison",
        "Releases (prison.released) dated from `from` to `to` (Danish calendar days). A release counts when a justice.convicted with "
            + "a sentence other than acquittal names an offence date after the release and at most window_days days after it (the "
            + "offence date read from 00:00 Copenhagen time). The offence date counts, not the conviction date; each release counts once "
            + "— the same test as the live reoffence flag.",
        "releases followed within window_days by an offence that led to an unconditional or conditional sentence or a fine",
        "releases with window_days of follow-up",
        "Excluded and counted as censored: releases less than window_days before as_of, and those where the citizen died within the "
            + "window without a re-offence first. Convictions not yet reported cannot be counted, so recent figures can still rise."
    )

    public static let handoffs = OutcomeDefinitionText(
        name: "handoffs", version: 2,
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
    )
}
