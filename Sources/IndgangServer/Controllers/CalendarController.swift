import Foundation
import Hummingbird
import IndgangCore

/// `GET /v1/calendar?year=YYYY` (any role): the Danish public holidays that working-day deadlines skip.
struct CalendarController {
    struct HolidayDTO: Encodable, Sendable {
        let date: String
        let name: String
    }

    struct CalendarDTO: ResponseEncodable {
        let year: Int
        let holidays: [HolidayDTO]
    }

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("calendar", use: calendar)
        return routes
    }

    func calendar(_ request: Request, context: AppRequestContext) async throws -> CalendarDTO {
        _ = try context.authorize(request, .caseworker, .coordinator, .integration, .admin)
        let range = DanishCalendar.supportedYears
        let usage = "must be a year from \(range.lowerBound) to \(range.upperBound)"
        guard let text = request.queryValue("year") else { throw AppError.invalid(field: "year", "is required (\(usage))") }
        guard let year = Int(text), range.contains(year), let holidays = try? DanishCalendar.holidays(in: year) else {
            throw AppError.invalid(field: "year", usage)
        }
        return CalendarDTO(year: year, holidays: holidays.map { HolidayDTO(date: $0.date.description, name: $0.name) })
    }
}
