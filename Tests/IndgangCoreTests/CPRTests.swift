import Foundation
import IndgangCore
import Testing

@Suite("CPR validation")
struct CPRTests {
    @Test("accepts both spellings and derives the birth date", arguments: [
        ("010150-1234", 1950, 1, 1), ("0101501234", 1950, 1, 1), ("311299-3999", 1999, 12, 31),
        ("150536-4000", 2036, 5, 15), ("150537-4000", 1937, 5, 15),
        ("010157-5000", 2057, 1, 1), ("010158-8000", 1858, 1, 1),
        ("010120-9000", 2020, 1, 1), ("010140-9000", 1940, 1, 1),
    ])
    func validNumbers(input: String, year: Int, month: Int, day: Int) throws {
        let cpr = try CPR(parsing: input)
        #expect(cpr.birthDate == CalendarDate(year: year, month: month, day: day))
        #expect(cpr.digits.count == 10)
    }

    @Test("29 February depends on the century the 7th digit gives", arguments: [
        ("290200-4123", true),  // digit 4, year 00 ≤ 36 → 2000, a leap year
        ("290200-1123", false),  // digit 1 → 1900, not a leap year
        ("290296-1123", true),  // 1996
        ("290297-1123", false),  // 1997
        ("290204-9123", true),  // digit 9 → 2004
        ("290200-6123", true),  // digit 6, year 00 ≤ 57 → 2000
        ("290296-6123", true),  // digit 6, year 96 > 57 → 1896, a leap year
        ("290200-3999", false),  // digit 3 → 1900
    ])
    func leapDays(input: String, valid: Bool) {
        if valid {
            #expect(throws: Never.self) { try CPR(parsing: input) }
        } else {
            #expect(throws: CPRError.invalidDate) { try CPR(parsing: input) }
        }
    }

    @Test("numbers that fail the modulus-11 check are accepted (not enforced since 2007)")
    func modulus11NotEnforced() throws {
        // 010150-1234: weights 4,3,2,7,6,5,4,3,2,1 give 0+3+0+7+30+0+4+6+6+4 = 60, not divisible by 11.
        let digits = "0101501234".compactMap { $0.wholeNumberValue }
        let weighted = zip(digits, [4, 3, 2, 7, 6, 5, 4, 3, 2, 1]).map(*).reduce(0, +)
        #expect(weighted % 11 != 0)
        #expect(throws: Never.self) { try CPR(parsing: "010150-1234") }
    }

    @Test("rejects malformed input", arguments: [
        "", "123", "01015012345", "010150 1234", "010150_1234", "0101501-234", "abcdef-ghij", "010150-12a4", "٠١٠١٥٠١٢٣٤", " ",
    ])
    func malformed(input: String) {
        #expect(throws: CPRError.malformed) { try CPR(parsing: input) }
    }

    @Test("rejects impossible dates", arguments: ["000150-1234", "320150-1234", "011350-1234", "010050-1234", "310450-1234", "300250-1234"])
    func invalidDates(input: String) {
        #expect(throws: CPRError.invalidDate) { try CPR(parsing: input) }
    }

    @Test("never prints its digits")
    func redacted() throws {
        let cpr = try CPR(parsing: "010150-1234")
        #expect(!"\(cpr)".contains("0101"))
        #expect(!String(reflecting: cpr).contains("0101"))
        #expect(cpr.formatted == "010150-1234")
    }

    @Test("century table of the CPR office")
    func centuries() {
        for year in 0...99 {
            for digit in 0...3 { #expect(CPR.century(seventhDigit: digit, twoDigitYear: year) == 1900) }
            for digit in [4, 9] { #expect(CPR.century(seventhDigit: digit, twoDigitYear: year) == (year <= 36 ? 2000 : 1900)) }
            for digit in 5...8 { #expect(CPR.century(seventhDigit: digit, twoDigitYear: year) == (year <= 57 ? 2000 : 1800)) }
        }
    }
}
