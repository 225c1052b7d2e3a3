/// The organisations a simulated population meets: real Danish municipality codes grouped by region, each
/// region with its hospital, psychiatric service and prison. Municipality weights follow their rough size.
public struct SimulatedActor: Sendable, Equatable {
    public let slug: String
    public let name: String
    public let kind: ActorKind
    public let municipalityCode: String?
}

public enum SimulatedActors {
    struct Region {
        let hospital: String
        let psychiatry: String
        let prison: String
        /// (code, slug, name, weight)
        let municipalities: [(String, String, String, Double)]
    }

    static let regions: [Region] = [
        Region(
            hospital: "nordsjaellands-hospital", psychiatry: "psykiatrien-hovedstaden", prison: "kf-nyborg",
            municipalities: [
                ("210", "fredensborg", "Fredensborg Kommune", 0.9), ("217", "helsingor", "Helsingør Kommune", 1.4),
                ("219", "hillerod", "Hillerød Kommune", 1.1), ("250", "frederikssund", "Frederikssund Kommune", 1.0),
                ("260", "halsnaes", "Halsnæs Kommune", 0.7), ("270", "gribskov", "Gribskov Kommune", 0.9),
            ]),
        Region(
            hospital: "hvidovre-hospital", psychiatry: "psykiatrien-hovedstaden", prison: "kf-storstrom",
            municipalities: [
                ("101", "kobenhavn", "Københavns Kommune", 10.5), ("147", "frederiksberg", "Frederiksberg Kommune", 1.8),
                ("151", "ballerup", "Ballerup Kommune", 0.9), ("157", "gentofte", "Gentofte Kommune", 1.3),
                ("159", "gladsaxe", "Gladsaxe Kommune", 1.2), ("173", "lyngby-taarbaek", "Lyngby-Taarbæk Kommune", 1.0),
            ]),
        Region(
            hospital: "sjaellands-universitetshospital", psychiatry: "psykiatrien-sjaelland", prison: "kf-storstrom",
            municipalities: [("265", "roskilde", "Roskilde Kommune", 1.5), ("370", "naestved", "Næstved Kommune", 1.4)]),
        Region(
            hospital: "odense-universitetshospital", psychiatry: "psykiatrien-syddanmark", prison: "kf-nyborg",
            municipalities: [("461", "odense", "Odense Kommune", 3.5), ("621", "kolding", "Kolding Kommune", 1.6)]),
        Region(
            hospital: "sydvestjysk-sygehus", psychiatry: "psykiatrien-syddanmark", prison: "kf-enner-mark",
            municipalities: [("561", "esbjerg", "Esbjerg Kommune", 2.0)]),
        Region(
            hospital: "aarhus-universitetshospital", psychiatry: "psykiatrien-midtjylland", prison: "kf-ostjylland",
            municipalities: [("751", "aarhus", "Aarhus Kommune", 6.0), ("791", "viborg", "Viborg Kommune", 1.6)]),
        Region(
            hospital: "aalborg-universitetshospital", psychiatry: "psykiatrien-nordjylland", prison: "kf-ostjylland",
            municipalities: [("851", "aalborg", "Aalborg Kommune", 3.8)]),
    ]

    static let names: [String: String] = [
        "nordsjaellands-hospital": "Nordsjællands Hospital", "hvidovre-hospital": "Hvidovre Hospital",
        "sjaellands-universitetshospital": "Sjællands Universitetshospital", "odense-universitetshospital": "Odense Universitetshospital",
        "sydvestjysk-sygehus": "Sydvestjysk Sygehus", "aarhus-universitetshospital": "Aarhus Universitetshospital",
        "aalborg-universitetshospital": "Aalborg Universitetshospital", "psykiatrien-hovedstaden": "Psykiatrien Region Hovedstaden",
        "psykiatrien-sjaelland": "Psykiatrien Region Sjælland", "psykiatrien-syddanmark": "Psykiatrien i Region Syddanmark",
        "psykiatrien-midtjylland": "Psykiatrien Region Midtjylland", "psykiatrien-nordjylland": "Psykiatrien Region Nordjylland",
        "kf-nyborg": "Nyborg Fængsel", "kf-storstrom": "Storstrøm Fængsel", "kf-enner-mark": "Enner Mark Fængsel",
        "kf-ostjylland": "Østjyllands Fængsel",
    ]

    /// The civil register (moves and deaths) and the courts (convictions): actors of kind `other` whose
    /// integration keys are granted exactly those event types.
    public static let civilRegister = SimulatedActor(slug: "cpr-registret", name: "CPR-registret", kind: .other, municipalityCode: nil)
    public static let courts = SimulatedActor(slug: "domstolene", name: "Domstolene", kind: .other, municipalityCode: nil)

    /// The event types an actor's integration key is granted explicitly (nil: its kind's defaults).
    public static func grants(of actor: SimulatedActor) -> [EventType]? {
        switch actor.slug {
        case civilRegister.slug: return [.citizenMoved, .citizenDied]
        case courts.slug: return [.justiceConvicted]
        default: return nil
        }
    }

    /// Every actor the simulator names, each once.
    public static let all: [SimulatedActor] = {
        var seen = Set<String>()
        var actors: [SimulatedActor] = []
        func add(_ actor: SimulatedActor) {
            if seen.insert(actor.slug).inserted { actors.append(actor) }
        }
        for region in regions {
            for (code, slug, name, _) in region.municipalities {
                add(SimulatedActor(slug: slug, name: name, kind: .municipality, municipalityCode: code))
            }
            add(SimulatedActor(slug: region.hospital, name: names[region.hospital]!, kind: .hospital, municipalityCode: nil))
            add(SimulatedActor(slug: region.psychiatry, name: names[region.psychiatry]!, kind: .psychiatry, municipalityCode: nil))
            add(SimulatedActor(slug: region.prison, name: names[region.prison]!, kind: .prison, municipalityCode: nil))
        }
        add(civilRegister)
        add(courts)
        return actors
    }()
}
