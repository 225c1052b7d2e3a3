import Foundation
import Testing
@testable import IndgangStore

#if canImport(Glibc)
import Glibc
#endif

/// The real `indgang` binary run as a child process, for tests of what only a process can show:
/// start-up, locking, SIGTERM and SIGKILL.
final class ChildProcess: @unchecked Sendable {  // pid and paths are immutable after init; waitpid is thread-safe
    let pid: pid_t
    let outputPath: String

    /// `.build/<triple>/debug/indgang`, next to the test bundle (`swift build --build-tests` builds it).
    static var indgangBinary: String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("indgang").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return "indgang"
    }

    init(arguments: [String], environment: [String: String]) throws {
        outputPath = "/tmp/indgang-child-\(UUID().uuidString).log"
        pid = try ProcessRunner.spawn([Self.indgangBinary] + arguments, environment: environment, outputPath: outputPath)
    }

    /// Any other program (e.g. curl as a streaming HTTP client).
    init(program: String, arguments: [String]) throws {
        outputPath = "/tmp/indgang-child-\(UUID().uuidString).log"
        let path = ["/usr/bin", "/bin", "/usr/local/bin"].map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? program
        pid = try ProcessRunner.spawn([path] + arguments, environment: ProcessInfo.processInfo.environment, outputPath: outputPath)
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits for exit (at most `timeout`); returns the exit status, or nil if it is still running.
    func waitForExit(timeout: Duration = .seconds(60)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                return ProcessRunner.exitStatus(status)
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    deinit {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        unlink(outputPath)
    }

    /// A port nothing listens on right now.
    static func freePort() -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

extension ChildProcess {
    /// `indgang serve` on a free port and a fresh database, with the test admin key, a fixed data key and `extra`
    /// settings; returns once it is ready, with its base URL.
    static func serve(_ extra: [String: String] = [:]) async throws -> (server: ChildProcess, base: String) {
        var environment = ProcessLifecycleTests.baseEnvironment
        environment["DATABASE_URL"] = try await TestCluster.shared.freshDatabase()
        environment["INDGANG_DATA_KEY"] = Data(repeating: 9, count: 32).base64EncodedString()
        environment.merge(extra) { _, new in new }
        let port = freePort()
        let server = try ChildProcess(arguments: ["serve", "--port", "\(port)"], environment: environment)
        try #require(try await HTTPProbe.waitUntilReady(port: port, child: server), "serve did not become ready:\n\(server.output)")
        return (server, "http://127.0.0.1:\(port)")
    }
}
