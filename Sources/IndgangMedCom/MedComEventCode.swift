/// The Danish names of what a HospitalNotification reports. There is no activity code for a death: MORS is
/// the current activity unchanged together with `Patient.deceased = true`.
public enum MedComEventCode: String, Sendable, Codable, CaseIterable {
    /// Start, acute ambulant (`admit-emergency`).
    case STAA
    /// Start, admitted (`admit-inpatient`).
    case STIN
    /// Start of leave (`start-leave-inpatient`).
    case STOR
    /// End of leave (`end-leave-inpatient`).
    case SLOR
    /// End, to home or primary sector (`discharge-inpatient-home`, `discharge-emergency-home`).
    case SLHJ
    /// Died.
    case MORS
}
