import Foundation
@testable import IndgangStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The embedded cluster's folders in places other users can write to: a planted link or someone else's folder is
/// refused, never followed or adopted.
@Suite("Private folders for the embedded cluster")
struct PrivateFolderTests {
    static func scratch() throws -> String {
        let path = "/tmp/indgang-private-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        lstat(path, &info)
        return info.st_mode & 0o777
    }

    @Test("made 0700, and an existing folder of ours is made private again")
    func makesPrivate() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try PrivateFolder.make("\(root)/fresh")
        #expect(Self.mode("\(root)/fresh") == 0o700)
        mkdir("\(root)/open", 0o777)
        chmod("\(root)/open", 0o777)
        try PrivateFolder.make("\(root)/open")
        #expect(Self.mode("\(root)/open") == 0o700)
    }

    @Test("a symbolic link, a file or another user's folder in its place is refused, and its target left as it was")
    func refusesPlantedEntries() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = "\(root)/victim"
        mkdir(target, 0o755)
        chmod(target, 0o755)
        symlink(target, "\(root)/link")
        #expect(throws: ConfigurationError.self) { try PrivateFolder.make("\(root)/link", owner: .init(uid: 65534, gid: 65534)) }
        var info = stat()
        stat(target, &info)
        #expect(info.st_uid == geteuid() && Self.mode(target) == 0o755)

        _ = FileManager.default.createFile(atPath: "\(root)/file", contents: Data())
        #expect(throws: ConfigurationError.self) { try PrivateFolder.make("\(root)/file") }

        if geteuid() == 0 {
            mkdir("\(root)/theirs", 0o777)
            chown("\(root)/theirs", 65534, 65534)
            #expect(throws: ConfigurationError.self) { try PrivateFolder.make("\(root)/theirs") }
        }
    }

    @Test("as root, a link planted at the predictable /var/tmp cluster folder stops the start", .enabled(if: geteuid() == 0 && mode("/root") & 0o001 == 0))
    func plantedClusterFolder() throws {
        let folder = URL(fileURLWithPath: "/root/indgang-planted-\(UUID().uuidString.prefix(8))")
        let planted = EmbeddedPostgres.sharedClusterFolder(for: folder).path
        let target = try Self.scratch()
        defer {
            unlink(planted)
            try? FileManager.default.removeItem(atPath: target)
            try? FileManager.default.removeItem(at: folder)
        }
        symlink(target, planted)
        #expect {
            _ = try EmbeddedPostgres.start(in: folder, logger: .init(label: "test"))
        } throws: { error in
            "\(error)".contains("symbolic link")
        }
        var info = stat()
        stat(target, &info)
        #expect(info.st_uid == 0)
    }
}
