/// MedCom HospitalNotification: the FHIR messages Danish hospitals send, translated to Indgang events (pure, no I/O).
///
/// The server's flow: `MedComMessage(json:)` → `MedComMapper.map(_:history:mayKeep:)` → post the drafts and
/// append the entry → `MedComAcknowledgement.make(…)`.
public enum MedCom {
    /// Code systems, identifier systems, extensions and profiles the messages use.
    public enum System {
        public static let cpr = "urn:oid:1.2.208.176.1.2"
        public static let sor = "urn:oid:1.2.208.176.1.1"
        public static let gln = "https://www.gs1.org/gln"
        /// The OID of GS1, cited for EAN/GLN by the old OIOXML mapping.
        public static let glnOID = "urn:oid:1.3.88"
        public static let eventCodes = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-eventCodes"
        public static let activityCodes = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-activityCodes"
        public static let destinationUse = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-destinationUse"
        public static let actCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
        public static let acknowledgementErrorCodes = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-acknowledgement-error-codes"
        public static let operationOutcomeCodes = "http://terminology.hl7.org/CodeSystem/operation-outcome"
        /// `https://sor2.sum.dsdn.dk/#id=<SOR>`: the endpoint and local episode-id system of an organisation.
        public static func sorEndpoint(_ sor: String) -> String { "https://sor2.sum.dsdn.dk/#id=\(sor)" }
    }

    public enum Extension {
        public static let destinationUse = "http://medcomfhir.dk/ig/messaging/StructureDefinition/medcom-messaging-destinationUseExtension"
        public static let reportOfAdmission =
            "http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/medcom-messaging-reportOfAdmissionExtension"
        public static let reportOfAdmissionRecipient =
            "http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/medcom-messaging-reportOfAdmissionRecipientExtension"
        /// Spelled "hospitalnotifiation" in the published profile; the corrected spelling is accepted too.
        public static let leavePeriod =
            "http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/medcom-hospitalnotifiation-leave-period-extension"
        static let leavePeriodCorrected =
            "http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/medcom-hospitalnotification-leave-period-extension"
    }

    public enum Profile {
        public static let acknowledgementMessage = "http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/medcom-messaging-acknowledgement"
        public static let acknowledgementHeader =
            "http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/medcom-messaging-acknowledgementHeader"
        public static let provenance = "http://medcomfhir.dk/ig/messaging/StructureDefinition/medcom-messaging-provenance"
        public static let organization = "http://medcomfhir.dk/ig/messaging/StructureDefinition/medcom-messaging-organization"
        public static let operationOutcome =
            "http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/medcom-acknowledgement-operationoutcome"
    }
}
