/// The three coordinator figures as console pages (the two outcome measures of `IndgangCore.OutcomeMeasure` and
/// handoff performance), with their paths, Danish names and definitions in words.
public enum CoordinatorFigure: String, Sendable, CaseIterable {
    case readmissions, recidivism, handoffs

    public var path: String { "/console/outcomes/" + rawValue }
    /// The CSV of exactly what the page shows (same query parameters).
    public var csvPath: String { "/console/outcomes/\(rawValue).csv" }

    var heading: String {
        switch self {
        case .readmissions: "Genindlæggelser inden for 30 dage"
        case .recidivism: "Tilbagefald efter løsladelse"
        case .handoffs: "Overdragelser mellem organisationer"
        }
    }

    var section: NavSection {
        switch self {
        case .readmissions: .readmissions
        case .recidivism: .recidivism
        case .handoffs: .handoffs
        }
    }

    var numeratorLabel: String {
        switch self {
        case .readmissions: "Genindlagt"
        case .recidivism: "Ny kriminalitet"
        case .handoffs: "Accepteret"
        }
    }

    var denominatorLabel: String {
        switch self {
        case .readmissions: "Udskrivninger"
        case .recidivism: "Løsladelser"
        case .handoffs: "Sendt"
        }
    }

    var rateLabel: String {
        switch self {
        case .readmissions: "Andel genindlagt"
        case .recidivism: "Andel med ny kriminalitet"
        case .handoffs: "Andel accepteret"
        }
    }

    /// The definition in words; it says in Danish what the API's `definition` says, and the page names that
    /// definition's id so a figure can be cited.
    var definition: [(term: String, text: String)] {
        switch self {
        case .readmissions:
            [
                ("Hvem tælles", "Udskrivninger i perioden til eget hjem eller plejebolig, hvor borgeren er i live. Ophold med højst 4 timer imellem er ét ophold; kun dets sidste udskrivning tælles."),
                ("Tæller", "Udskrivninger, der inden for 30 dage følges af en akut indlæggelse – talt én gang, uanset hvor mange der følger."),
                ("Nævner", "Udskrivninger med 30 dages opfølgning."),
                ("Ikke fulgt længe nok", "Udskrivninger mindre end 30 dage før opgørelsen, og borgere der døde inden for 30 dage uden at blive genindlagt, tælles ikke med."),
            ]
        case .recidivism:
            [
                ("Hvem tælles", "Løsladelser fra fængsel i perioden."),
                ("Tæller", "Løsladelser, der inden for vinduet (normalt 2 år) følges af en ny lovovertrædelse, der fører til ubetinget eller betinget dom eller bøde. Gerningsdatoen tæller, ikke domsdatoen."),
                ("Nævner", "Løsladelser med hele vinduets opfølgning."),
                ("Ikke fulgt længe nok", "Løsladelser for kort tid før opgørelsen, og borgere der døde i vinduet uden ny kriminalitet, tælles ikke med. Domme, der endnu ikke er indberettet, mangler, så nye tal kan stige."),
            ]
        case .handoffs:
            [
                ("Hvem tælles", "Overdragelser sendt i perioden, pr. forløb og par af afsender og modtager."),
                ("Andel accepteret", "Accepterede overdragelser ud af sendte. En overdragelse, der stadig venter, tæller som sendt og (endnu) ikke accepteret."),
                ("Tid til accept", "Fra anmodning til accept, median og 90 %-fraktil i timer; vises, når mindst 5 er accepteret."),
                ("Over frist", "Overdragelser, der på et tidspunkt var over deres frist."),
            ]
        }
    }
}
