import Foundation

/// A FHIR time as sent (for copies) and as an instant (for events).
public struct FHIRDateTime: Sendable, Equatable {
    public let text: String
    public let date: Date
}
