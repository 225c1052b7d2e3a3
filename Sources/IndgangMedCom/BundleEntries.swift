/// The entries of a Bundle, indexed for reference resolution: by `fullUrl` and by `Type/id`.
struct BundleEntries {
    private let resources: [FHIRObject]
    private let types: [String]
    private let ids: [String?]
    private let fullUrls: [String?]

    init(_ entries: [FHIRObject]) throws(MedComParseError) {
        var resources: [FHIRObject] = []
        var types: [String] = []
        var ids: [String?] = []
        var fullUrls: [String?] = []
        var seenKeys: Set<String> = []
        var seenUrls: Set<String> = []
        for entry in entries {
            try entry.allowOnly(["fullUrl", "resource"], in: "a message Bundle entry")
            let fullUrl = try entry.string("fullUrl")
            if let fullUrl {
                guard seenUrls.insert(fullUrl).inserted else {
                    throw MedComParseError(path: entry.path("fullUrl"), problem: .duplicate("a second entry with this fullUrl"))
                }
            }
            let resource = try entry.requiredObject("resource")
            let type = try resource.requiredString("resourceType")
            guard MedComMessage.resourceTypes.contains(type) else {
                throw MedComParseError(path: resource.path("resourceType"), problem: .unknownResourceType(type))
            }
            if resources.isEmpty, type != "MessageHeader" {
                throw MedComParseError(path: resource.path("resourceType"), problem: .notAllowed("the first entry of a message is its MessageHeader"))
            }
            let id = try resource.id("id", required: false)
            if let id {
                guard seenKeys.insert("\(type)/\(id)").inserted else {
                    throw MedComParseError(path: resource.path("id"), problem: .duplicate("a second \(type) with this id"))
                }
            }
            if let fullUrl, let id {
                // A RESTful fullUrl (`…/Type/id`) must name the resource it holds, or references would mislead.
                let parts = fullUrl.split(separator: "/", omittingEmptySubsequences: false)
                if parts.count >= 2, MedComMessage.resourceTypes.contains(String(parts[parts.count - 2])),
                    parts[parts.count - 2] != type || parts[parts.count - 1] != id
                {
                    throw MedComParseError(path: entry.path("fullUrl"), problem: .invalidValue("does not name this entry's resource (\(type)/\(id))"))
                }
            }
            resources.append(resource)
            types.append(type)
            ids.append(id)
            fullUrls.append(fullUrl)
        }
        self.resources = resources
        self.types = types
        self.ids = ids
        self.fullUrls = fullUrls
    }

    func resource(at index: Int) -> FHIRObject { resources[index] }

    func indices(of type: String) -> [Int] { types.indices.filter { types[$0] == type } }

    /// The entry `reference` names: a `fullUrl` exactly, else `Type/id` (relative, or the tail of an absolute URL).
    func index(of reference: FHIRReference) -> Int? {
        guard let text = reference.reference else { return nil }
        if let exact = fullUrls.firstIndex(where: { $0 == text }) { return exact }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return nil }
        let type = String(parts[parts.count - 2])
        let id = String(parts[parts.count - 1])
        return types.indices.first { types[$0] == type && ids[$0] == id }
    }

    /// Resolves `reference` to an entry of `type`, or names the reference in the error.
    func resolve(_ reference: FHIRReference, expecting type: String) throws(MedComParseError) -> Int {
        let at = reference.path + ".reference"
        guard let index = index(of: reference) else { throw MedComParseError(path: at, problem: .unresolvedReference(reference.reference ?? "")) }
        guard types[index] == type else {
            throw MedComParseError(path: at, problem: .invalidValue("refers to a \(types[index]), not a \(type)"))
        }
        return index
    }
}
