import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A folder only its owner may enter (0700), made safely in places other users can write to (/tmp, /var/tmp):
/// an existing entry is used only if it is a real directory (never a symbolic link, which `chown`/`chmod` would
/// follow and hand its target over) owned by this user or by `owner`; ownership and mode are then set on the
/// opened directory itself, not on a path that could be swapped meanwhile.
enum PrivateFolder {
    struct Owner: Sendable {
        let uid: uid_t
        let gid: gid_t
    }

    static func make(_ path: String, owner: Owner? = nil) throws {
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        }
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            throw ConfigurationError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ConfigurationError("refusing \(path): it is a symbolic link or not a directory; remove it, or choose another INDGANG_DATA_DIR")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw ConfigurationError("cannot inspect \(path): \(String(cString: strerror(errno)))") }
        guard info.st_uid == geteuid() || info.st_uid == owner?.uid else {
            throw ConfigurationError("refusing \(path): it belongs to another user (uid \(info.st_uid)); remove it, or choose another INDGANG_DATA_DIR")
        }
        if let owner, fchown(descriptor, owner.uid, owner.gid) != 0 {
            throw ConfigurationError("cannot hand \(path) to the postgres user: \(String(cString: strerror(errno)))")
        }
        guard fchmod(descriptor, 0o700) == 0 else { throw ConfigurationError("cannot make \(path) private: \(String(cString: strerror(errno)))") }
    }
}
