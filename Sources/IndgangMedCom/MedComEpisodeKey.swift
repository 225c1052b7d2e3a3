/// A hospital stay: `Encounter.episodeOfCare.identifier` (system and value; the first when there are several),
/// per sender. The server keeps each episode's `MedComEpisodeEntry` list under this key.
public struct MedComEpisodeKey: Sendable, Hashable, Codable {
    public let senderSOR: String
    public let system: String
    public let value: String

    public init(senderSOR: String, system: String, value: String) {
        self.senderSOR = senderSOR
        self.system = system
        self.value = value
    }

    /// Nil for a message without an Encounter (an acknowledgement).
    public init?(_ message: MedComMessage) {
        guard let episode = message.encounter?.episodeOfCare.first, let system = episode.system, let value = episode.value else { return nil }
        self.init(senderSOR: message.sender.sor, system: system, value: value)
    }

    /// The `episode_id` attribute: `<system>|<value>` when it fits the attribute's 200 characters, else
    /// `sha256:<hex of the same text>`. Stable across messages, so every event of the stay carries the same.
    public var episodeID: String {
        let text = "\(system)|\(value)"
        return text.count <= 200 ? text : "sha256:" + NameDigest.hex(text.utf8)
    }
}
