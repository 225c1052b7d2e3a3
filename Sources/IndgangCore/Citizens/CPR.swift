import Foundation

/// A Danish personal identification number (CPR-nummer), validated as API.md demands:
/// `DDMMYY-SSSS` or ten digits, a real calendar date, century from the seventh digit, and deliberately
/// **no** modulus-11 check (numbers issued since 2007 need not satisfy it).
///
/// `description` never prints the number, so an accidental interpolation into a log line leaks nothing.
public struct CPR: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The ten digits without separator; this is what is encrypted and blind-indexed.
    public let digits: String
    public let birthDate: CalendarDate

    public init(parsing input: String) throws(CPRError) {
        let trimmed = input.trimmingCharacters(in: .whitespaces)
        var digitText = trimmed
        if trimmed.count == 11 {
            let separator = trimmed.index(trimmed.startIndex, offsetBy: 6)
            guard trimmed[separator] == "-" else { throw .malformed }
            digitText.remove(at: separator)
        }
        guard digitText.count == 10, digitText.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .malformed }
        let values = digitText.compactMap(\.wholeNumberValue)
        let day = values[0] * 10 + values[1]
        let month = values[2] * 10 + values[3]
        let twoDigitYear = values[4] * 10 + values[5]
        let year = Self.century(seventhDigit: values[6], twoDigitYear: twoDigitYear) + twoDigitYear
        guard let date = CalendarDate(year: year, month: month, day: day) else { throw .invalidDate }
        self.digits = digitText
        self.birthDate = date
    }

    /// The CPR office's rule for the century of birth, keyed on the first digit of the serial number.
    public static func century(seventhDigit: Int, twoDigitYear: Int) -> Int {
        switch seventhDigit {
        case 0...3: return 1900
        case 4, 9: return twoDigitYear <= 36 ? 2000 : 1900
        default: return twoDigitYear <= 57 ? 2000 : 1800  // 5...8
        }
    }

    /// `DDMMYY-SSSS`, for the one place that may show it: the citizen search answer.
    public var formatted: String {
        "\(digits.prefix(6))-\(digits.suffix(4))"
    }

    public var description: String { "CPR(redacted)" }
    public var debugDescription: String { "CPR(redacted)" }
}

public enum CPRError: Error, Equatable, Sendable {
    case malformed
    case invalidDate

    public var message: String {
        switch self {
        case .malformed: return "must be DDMMYY-SSSS or ten digits"
        case .invalidDate: return "the first six digits are not a valid date of birth"
        }
    }
}
