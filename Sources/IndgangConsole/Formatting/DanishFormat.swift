import Foundation

/// Dates, numbers, percentages and durations as a Danish reader expects them: `3. dec. 2026 kl. 14.05`,
/// `1.234`, `12,5 %`, `36,5 timer`. Times are shown in Europe/Copenhagen whatever the server's zone.
public enum DanishFormat {
    public static let timeZone = TimeZone(identifier: "Europe/Copenhagen")!

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }()

    /// Danish abbreviations as in Retskrivningsordbogen: `maj` is short already, so it takes no period.
    static let shortMonths = ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."]
    static let longMonths = [
        "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december",
    ]

    /// `3. dec. 2026`.
    public static func date(_ instant: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return day(parts.year ?? 0, parts.month ?? 1, parts.day ?? 1)
    }

    /// `3. dec. 2026 kl. 14.05` (Danish uses a period between hours and minutes).
    public static func dateTime(_ instant: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return day(parts.year ?? 0, parts.month ?? 1, parts.day ?? 1) + " kl. " + clock(parts.hour ?? 0, parts.minute ?? 0)
    }

    /// The machine-readable form for `<time datetime>`: RFC 3339 in UTC.
    public static func machine(_ instant: Date) -> String {
        instant.formatted(.iso8601)
    }

    /// A calendar date given as `YYYY-MM-DD` (no time zone involved): `1. jan. 2026`; nil if it is not one.
    public static func date(isoDay text: String) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let dayOfMonth = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(dayOfMonth)
        else { return nil }
        return day(year, month, dayOfMonth)
    }

    /// A month given as `YYYY-MM` (the `group_by=month` keys): `jan. 2026`, or `januar 2026` when `long`.
    public static func month(isoMonth text: String, long: Bool = false) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        return (long ? longMonths : shortMonths)[month - 1] + " \(year)"
    }

    /// `1.234` (period as thousands separator, a true minus sign for negatives).
    /// A count that was only counted up to `cap + 1`: "over 1.000" above the cap.
    public static func count(_ value: Int, cap: Int) -> String {
        value > cap ? "over " + integer(cap) : integer(value)
    }

    public static func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(".") }
            grouped.append(digit)
        }
        return value < 0 ? "\u{2212}" + grouped : grouped
    }

    /// `1.234,5` with exactly `places` decimals, rounded half away from zero.
    public static func decimal(_ value: Double, places: Int = 1) -> String {
        guard value.isFinite else { return "–" }
        let scale = pow(10.0, Double(places))
        // A hair of tolerance so that 0.1245 (stored in binary just below) rounds as the reader expects.
        let scaled = (abs(value) * scale + 1e-7).rounded(.toNearestOrAwayFromZero)
        let units = Int(scaled), unitScale = Int(scale)
        let whole = units / unitScale, fraction = units % unitScale
        let sign = value < 0 && scaled > 0 ? "\u{2212}" : ""
        guard places > 0 else { return sign + integer(whole) }
        let fractionDigits = String(fraction)
        return sign + integer(whole) + "," + String(repeating: "0", count: places - fractionDigits.count) + fractionDigits
    }

    /// A fraction (0–1) as a percentage: `12,5 %`.
    public static func percent(_ fraction: Double, places: Int = 1) -> String {
        decimal(fraction * 100, places: places) + " %"
    }

    /// A percentage for axis ticks: no decimals when whole (`10 %`), else one (`12,5 %`).
    public static func percentTick(_ fraction: Double) -> String {
        let tenths = (fraction * 1000).rounded()
        return percent(fraction, places: tenths.truncatingRemainder(dividingBy: 10) == 0 ? 0 : 1)
    }

    /// A 95 % interval of fractions: `10,1–15,0 %`.
    public static func interval(_ low: Double, _ high: Double) -> String {
        decimal(low * 100) + "–" + decimal(high * 100) + " %"
    }

    /// A difference of two fractions in percentage points, always signed: `+2,3 procentpoint`.
    public static func percentagePoints(_ difference: Double) -> String {
        let text = decimal(difference * 100)
        return (text.hasPrefix("\u{2212}") || text == "0,0" ? text : "+" + text) + " procentpoint"
    }

    /// A duration in hours: `1 time`, `36,5 timer`, `0,3 timer`.
    public static func hours(_ hours: Double) -> String {
        let text = decimal(hours, places: 1)
        let trimmed = text.hasSuffix(",0") ? String(text.dropLast(2)) : text
        return trimmed + (trimmed == "1" ? " time" : " timer")
    }

    /// The time between two instants in hours (`hours(_:)`).
    public static func hours(from start: Date, to end: Date) -> String {
        hours(end.timeIntervalSince(start) / 3600)
    }

    /// A deadline relative to now: `om 5 timer`, `om 3 dage`, `2 timer over fristen`.
    public static func relativeDue(_ due: Date, now: Date) -> String {
        let seconds = due.timeIntervalSince(now)
        let span = span(abs(seconds))
        return seconds >= 0 ? "om " + span : span + " over fristen"
    }

    /// A length of time in the largest sensible unit: `1 minut`, `40 minutter`, `5 timer`, `3 dage`.
    static func span(_ seconds: Double) -> String {
        let minutes = Int((seconds / 60).rounded())
        if minutes < 60 { return minutes == 1 ? "1 minut" : "\(minutes) minutter" }
        let hours = Int((seconds / 3600).rounded())
        if hours < 48 { return hours == 1 ? "1 time" : "\(hours) timer" }
        let days = Int((seconds / 86_400).rounded())
        return "\(integer(days)) dage"
    }

    static func day(_ year: Int, _ month: Int, _ dayOfMonth: Int) -> String {
        "\(dayOfMonth). \(shortMonths[month - 1]) \(year)"
    }

    static func clock(_ hour: Int, _ minute: Int) -> String {
        (hour < 10 ? "0" : "") + "\(hour)." + (minute < 10 ? "0" : "") + "\(minute)"
    }
}
