import Foundation
import IndgangCore

/// What an acknowledgement needs of the message it answers, from a parsed message or salvaged from a broken one.
struct AcknowledgedMessage {
    let messageID: String
    let sender: MedComOrganization?
    let receiver: MedComOrganization?
    /// The original's `source.endpoint`: where the acknowledgement goes.
    let sourceEndpoint: String?
    /// The original's `destination.endpoint`: our own address.
    let destinationEndpoint: String?
    let provenance: MedComProvenance?

    init(_ message: MedComMessage) {
        messageID = message.header.id
        sender = message.sender
        receiver = message.receiver
        sourceEndpoint = message.header.sourceEndpoint
        destinationEndpoint = message.header.destinationEndpoint
        provenance = message.currentProvenance
    }

    /// Reads leniently what a broken body still says; each resource is used only if it reads strictly.
    init(salvaging body: Data) {
        let root = (try? JSONReader.read(body)) ?? .null
        let entries = root["entry"]?.arrayValue ?? []
        let headerIndex = entries.firstIndex { $0["resource"]?["resourceType"]?.stringValue == "MessageHeader" }
        let header = headerIndex.flatMap { entries[$0]["resource"] }
        let headerID = header?["id"]?.stringValue.flatMap { FHIRObject.isValidID($0) ? $0 : nil }
        let bundleID = root["id"]?.stringValue.flatMap { FHIRObject.isValidID($0) ? $0 : nil }
        messageID = headerID ?? bundleID ?? NameDigest.uuid("medcom-unreadable|" + NameDigest.hex(body))

        func entryIndex(_ reference: String?) -> Int? {
            guard let reference else { return nil }
            if let exact = entries.firstIndex(where: { $0["fullUrl"]?.stringValue == reference }) { return exact }
            let parts = reference.split(separator: "/")
            guard parts.count >= 2 else { return nil }
            return entries.firstIndex {
                $0["resource"]?["resourceType"]?.stringValue == String(parts[parts.count - 2])
                    && $0["resource"]?["id"]?.stringValue == String(parts[parts.count - 1])
            }
        }
        func organization(_ reference: String?) -> MedComOrganization? {
            guard let index = entryIndex(reference), let resource = entries[index]["resource"],
                let object = try? FHIRObject(resource, at: "Bundle.entry[\(index)].resource")
            else { return nil }
            return try? MedComOrganization.read(object)
        }
        let destination = header?["destination"]?.arrayValue.first
        sender = organization(header?["sender"]?["reference"]?.stringValue)
        receiver = organization(destination?["receiver"]?["reference"]?.stringValue)
        sourceEndpoint = header?["source"]?["endpoint"]?.stringValue
        destinationEndpoint = destination?["endpoint"]?.stringValue
        var current: MedComProvenance?
        if let headerID {
            for (index, entry) in entries.enumerated() where entry["resource"]?["resourceType"]?.stringValue == "Provenance" {
                guard let resource = entry["resource"], let object = try? FHIRObject(resource, at: "Bundle.entry[\(index)].resource"),
                    let provenance = try? MedComProvenance.read(object),
                    provenance.targets.contains(where: { $0.id(ofType: "MessageHeader") == headerID || entryIndex($0.reference) == headerIndex })
                else { continue }
                current = provenance
                break
            }
        }
        provenance = current
    }
}
