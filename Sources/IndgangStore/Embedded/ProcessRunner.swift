import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a command to completion and returns its exit status and combined output.
///
/// Uses `posix_spawn` and `waitpid` directly: `pg_ctl start` leaves a daemon behind, and Foundation's
/// `Process` was seen here never reaping the finished child in that case. Output goes to a temporary file,
/// not a pipe, because the daemon could inherit a pipe and keep it open.
enum ProcessRunner {
    struct Result {
        let status: Int32
        let output: String
    }

    static func run(_ arguments: [String]) throws -> Result {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("indgang-cmd-\(UUID().uuidString).log").path
        defer { unlink(outputPath) }
        let pid = try spawn(arguments, environment: nil, outputPath: outputPath)
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) == -1 {
            guard errno == EINTR else { throw ConfigurationError("waiting for \(arguments[0]) failed: \(String(cString: strerror(errno)))") }
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Result(status: exitStatus(waitStatus), output: output)
    }

    /// Starts `arguments` with stdin from /dev/null and stdout and stderr into `outputPath`; the caller waits.
    static func spawn(_ arguments: [String], environment: [String: String]?, outputPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { (argv + (envp ?? [])).forEach { free($0) } }
        var pid: pid_t = 0
        let spawnStatus = envp.map { posix_spawn(&pid, arguments[0], &actions, nil, argv, $0) } ?? posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawnStatus == 0 else {
            throw ConfigurationError("cannot run \(arguments[0]): \(String(cString: strerror(spawnStatus)))")
        }
        return pid
    }

    /// The exit code of a `waitpid` status, or 128 + the signal that ended the process.
    static func exitStatus(_ waitStatus: Int32) -> Int32 {
        (waitStatus & 0x7f) == 0 ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f)
    }

    /// Looks a command up on PATH, then in the usual system folders.
    static func which(_ command: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        return folders.map { "\($0)/\(command)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
