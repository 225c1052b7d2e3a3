struct HandoffOutcomeRow: Sendable {
    let pathway: String
    let from: String
    let to: String
    let requestedText: String
    let acceptedText: String
    let rejectedText: String
    let overdueText: String
    let overdueShareText: String
    let medianText: String
    let p90Text: String
    let rateText: String
    let intervalText: String
    let suppressed: Bool
    let hasGoal: Bool
    let goalText: String

    init(_ figures: HandoffFigures) {
        pathway = figures.pathway
        from = figures.from
        to = figures.to
        suppressed = figures.suppressed
        requestedText = FigureText.count(figures.requested)
        acceptedText = FigureText.count(figures.suppressed ? nil : figures.accepted)
        rejectedText = FigureText.count(figures.rejected)
        overdueText = FigureText.count(figures.overdue)
        // Both counts are shown, so their ratio reveals nothing new.
        if let overdue = figures.overdue, let requested = figures.requested, requested > 0 {
            overdueShareText = DanishFormat.percent(Double(overdue) / Double(requested))
        } else {
            overdueShareText = FigureText.hidden
        }
        medianText = FigureText.hours(figures.medianHoursToAccept)
        p90Text = FigureText.hours(figures.p90HoursToAccept)
        rateText = FigureText.rate(figures.rate, suppressed: figures.suppressed)
        intervalText = FigureText.interval(figures.ci95, suppressed: figures.suppressed)
        hasGoal = figures.goal != nil
        goalText = figures.goal?.text ?? ""
    }
}
