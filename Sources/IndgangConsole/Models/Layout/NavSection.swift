/// The navigation entry a page belongs to (marked `aria-current="page"`).
enum NavSection: String, Sendable {
    case inbox, cases, newCase, search, notifications
    case readmissions, recidivism, handoffs
    case admin
    case none
}
