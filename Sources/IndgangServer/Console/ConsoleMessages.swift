import Foundation

/// The validation messages the console shows next to a field, in Danish. The checks are the API's (one
/// validation); only their wording is translated here, and an unknown message is shown as it is.
enum ConsoleMessages {
    static func danish(_ message: String) -> String {
        switch message {
        case "is required": return "skal udfyldes"
        case "must not be empty": return "må ikke være tom"
        case "must be DDMMYY-SSSS or ten digits": return "skal være et CPR-nummer: DDMMÅÅ-LLLL eller ti cifre"
        case "the first six digits are not a valid date of birth": return "de første seks cifre er ikke en gyldig fødselsdato"
        case "must not contain NUL characters (U+0000)": return "må ikke indeholde NUL-tegn"
        default: break
        }
        if let choices = message.firstMatch(of: /^must be one of (.+)$/) { return "skal være en af: \(choices.output.1)" }
        if let limit = message.firstMatch(of: /^must be at most (\d+) characters/) { return "må højst være \(limit.output.1) tegn" }
        if let slug = message.firstMatch(of: /^no actor with slug (.+)$/) { return "der er ingen aktør med kortnavnet \(slug.output.1)" }
        return message
    }
}
