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
        // Read byte by byte (the Character-based reading was ~2 % of a batch's CPU); surrounding whitespace, the one
        // liberty beyond the two spellings, is trimmed only when the text does not begin and end with a digit.
        var text = input
        if !Self.isDigit(input.utf8.first) || !Self.isDigit(input.utf8.last) {
            text = input.trimmingCharacters(in: .whitespaces)
        }
        let utf8 = text.utf8
        guard utf8.count == 10 || utf8.count == 11 else { throw .malformed }
        var ascii: [UInt8] = []
        ascii.reserveCapacity(10)
        for (offset, byte) in utf8.enumerated() {
            if offset == 6 && utf8.count == 11 {
                guard byte == UInt8(ascii: "-") else { throw .malformed }
                continue
            }
            guard Self.isDigit(byte) else { throw .malformed }
            ascii.append(byte)
        }
        func value(_ position: Int) -> Int { Int(ascii[position] - UInt8(ascii: "0")) }
        let day = value(0) * 10 + value(1)
        let month = value(2) * 10 + value(3)
        let twoDigitYear = value(4) * 10 + value(5)
        let year = Self.century(seventhDigit: value(6), twoDigitYear: twoDigitYear) + twoDigitYear
        guard let date = CalendarDate(year: year, month: month, day: day) else { throw .invalidDate }
        self.digits = String(decoding: ascii, as: UTF8.self)
        self.birthDate = date
    }

    private static func isDigit(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
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
