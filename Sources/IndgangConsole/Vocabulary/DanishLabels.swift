import IndgangCore

/// The Danish words for the API's vocabulary. An unknown code is shown as it is rather than hidden, so a new
/// kind added to the API is visible (if untranslated) until it is added here.
public enum DanishLabels {
    public static func role(_ role: Role) -> String {
        switch role {
        case .caseworker: "sagsbehandler"
        case .coordinator: "koordinator"
        case .integration: "integration"
        case .admin: "administrator"
        }
    }

    public static func actorKind(_ kind: String) -> String {
        ["municipality": "Kommune", "hospital": "Hospital", "prison": "Fængsel", "psychiatry": "Psykiatri", "other": "Anden"][kind] ?? kind
    }

    public static func caseStatus(_ status: String) -> String {
        ["open": "Åben", "closed": "Lukket"][status] ?? status
    }

    public static func handoffStatus(_ status: String) -> String {
        ["pending": "Afventer svar", "overdue": "Over frist", "accepted": "Accepteret", "rejected": "Afvist", "cancelled": "Annulleret"][status]
            ?? status
    }

    /// Why a case was closed (`retracted` is set by the system when the event that opened it is retracted).
    public static func closeOutcome(_ outcome: String) -> String {
        [
            "completed": "Forløbet er gennemført", "moved": "Borgeren er flyttet", "deceased": "Borgeren er død",
            "declined": "Borgeren har frabedt sig forløbet", "other": "Andet", "retracted": "Oprettet ved en fejl (hændelse trukket tilbage)",
        ][outcome] ?? outcome
    }

    /// The outcomes a caseworker may choose when closing a case.
    public static var closeOutcomeChoices: [Choice] {
        CloseOutcome.chosen.map { Choice(value: $0.rawValue, label: closeOutcome($0.rawValue)) }
    }

    public static func flag(_ flag: String) -> String {
        ["readmission": "Genindlæggelse", "reoffence": "Ny kriminalitet"][flag] ?? flag
    }

    public static func timelineKind(_ kind: String) -> String {
        [
            "opened": "Sagen er oprettet", "handoff_requested": "Overdragelse sendt", "handoff_accepted": "Overdragelse accepteret",
            "handoff_rejected": "Overdragelse afvist", "handoff_cancelled": "Overdragelse annulleret",
            "handoff_overdue": "Overdragelse over frist", "escalated": "Eskaleret", "event_received": "Hændelse modtaget",
            "readmission_flagged": "Genindlæggelse markeret", "reoffence_flagged": "Ny kriminalitet markeret", "note": "Notat",
            "closed": "Sagen er lukket", "event_retracted": "Hændelse trukket tilbage",
        ][kind] ?? kind
    }

    public static func notificationKind(_ kind: String) -> String {
        [
            "handoff.requested": "Ny overdragelse til jer", "handoff.accepted": "Overdragelse accepteret",
            "handoff.rejected": "Overdragelse afvist", "handoff.cancelled": "Overdragelse annulleret",
            "handoff.overdue": "Overdragelse over frist", "case.escalated": "Sag eskaleret", "case.readmission": "Genindlæggelse",
            "case.reoffence": "Ny kriminalitet", "case.closed": "Sag lukket", "case.contact_requested": "Anmodning om kontakt",
            "case.event_retracted": "Hændelse trukket tilbage",
        ][kind] ?? kind
    }

    public static func eventType(_ type: String) -> String {
        [
            "hospital.admitted": "Indlæggelse", "hospital.discharged": "Udskrivning", "hospital.leave_started": "Orlov begyndt",
            "hospital.leave_ended": "Orlov afsluttet", "prison.admitted": "Indsættelse", "prison.release_planned": "Løsladelse planlagt",
            "prison.released": "Løsladelse", "justice.convicted": "Dom", "municipality.service_started": "Kommunal indsats begyndt",
            "municipality.service_ended": "Kommunal indsats afsluttet", "citizen.moved": "Flytning", "citizen.died": "Dødsfald",
            "event.retracted": "Tilbagetrækning", "event.corrected": "Rettelse",
        ][type] ?? type
    }

    /// The label of a form field by its name, for alerts about a field that is not on the page.
    public static func field(_ name: String) -> String {
        [
            "api_key": "API-nøgle", "csrf_token": "Sikkerhedsfelt", "reason": "Begrundelse", "to_actor": "Modtager", "outcome": "Udfald",
            "note": "Notat", "summary": "Resumé", "version": "Version", "cpr": "CPR-nummer", "pathway": "Forløb", "slug": "Kortnavn",
            "name": "Navn", "kind": "Type", "municipality_code": "Kommunekode", "role": "Rolle", "label": "Beskrivelse",
            "actor": "Aktør", "from": "Fra", "to": "Til", "group_by": "Opdel efter", "compare": "Sammenlign",
        ][name] ?? name
    }

    public static func groupBy(_ value: String) -> String {
        ["month": "Måned", "municipality": "Kommune", "actor": "Aktør", "age_band": "Aldersgruppe", "variant": "Variant"][value] ?? value
    }

    public static func goalStatus(_ status: String) -> String {
        ["met": "Opfyldt", "not_met": "Ikke opfyldt", "undetermined": "Uafklaret"][status] ?? status
    }

    public static func goalDirection(_ direction: String) -> String {
        ["below": "under", "above": "over"][direction] ?? direction
    }

    public static func deliveryStatus(_ status: String) -> String {
        ["pending": "Afventer", "delivered": "Leveret", "failed": "Fejlet"][status] ?? status
    }

    public static func auditAction(_ action: String) -> String {
        [
            "case.create": "Oprettede sagen", "case.read": "Læste sagen", "case.list": "Så sagen i en liste", "case.update": "Ændrede sagen",
            "case.close": "Lukkede sagen", "case.timeline": "Læste tidslinjen", "case.note": "Skrev et notat",
            "case.duplicate_refused": "Forsøgte at oprette en sag mere", "citizen.reveal": "Så CPR-nummeret",
            "citizen.search": "Søgte borgeren frem", "citizen.search.miss": "Søgte uden resultat", "handoff.request": "Sendte en overdragelse",
            "handoff.accept": "Accepterede en overdragelse", "handoff.reject": "Afviste en overdragelse",
            "handoff.cancel": "Annullerede en overdragelse", "handoff.list": "Så overdragelsen i en liste",
            "notification.list": "Så en notifikation", "notification.read": "Markerede en notifikation som læst",
            "event.ingest": "Indberettede en hændelse", "event.dry_run": "Prøvede en hændelse af", "outcomes.query": "Hentede tal",
            "audit.search": "Søgte i loggen",
        ][action] ?? action
    }
}
