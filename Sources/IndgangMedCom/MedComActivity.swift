/// The HospitalNotification activity codes without their `revise-`/`cancel-` prefix
/// (value set `medcom-hospitalNotification-messageActivities`).
public enum MedComActivity: String, Sendable, Codable, CaseIterable {
    case admitEmergency = "admit-emergency"
    case admitInpatient = "admit-inpatient"
    case startLeave = "start-leave-inpatient"
    case endLeave = "end-leave-inpatient"
    case dischargeInpatientHome = "discharge-inpatient-home"
    case dischargeEmergencyHome = "discharge-emergency-home"

    public var eventCode: MedComEventCode {
        switch self {
        case .admitEmergency: return .STAA
        case .admitInpatient: return .STIN
        case .startLeave: return .STOR
        case .endLeave: return .SLOR
        case .dischargeInpatientHome, .dischargeEmergencyHome: return .SLHJ
        }
    }

    /// Every code a HospitalNotification's current Provenance may carry.
    public static var allCodes: [String] {
        allCases.flatMap { [$0.rawValue, "revise-\($0.rawValue)", "cancel-\($0.rawValue)"] }
    }
}
