import CLinux
import ContainerRuntime
import Foundation
import Glibc
import KubeAPI
import LinuxSys

/// postStart and preStop handlers (exec, httpGet, sleep) run against a container.
enum LifecycleHooks {
    /// The preStop handler travels with the runtime container (as upstream keeps it in a
    /// container annotation), so a restarted kubelet runs it even when the manifest is gone.
    static let preStopLabel = "io.kubernetes.container.preStopHandler"

    static func encode(_ handler: LifecycleHandler) -> String? {
        (try? JSONEncoder().encode(handler)).map { String(decoding: $0, as: UTF8.self) }
    }

    static func decode(_ text: String) -> LifecycleHandler? {
        try? JSONDecoder().decode(LifecycleHandler.self, from: Data(text.utf8))
    }

    /// Runs `handler`; nil when it succeeded, else why not (upstream's message shapes).
    static func run(_ handler: LifecycleHandler, record: ContainerRecord, runtime: Runtime, podIP: String?,
                    ports: [ContainerPort], timeout: Double) -> String? {
        if let exec = handler.exec {
            let command = exec.command ?? []
            do {
                let (exit, output) = try execCapturingOutput(record, command, runtime: runtime, timeout: timeout)
                guard exit.code == 0 else {
                    return "command '\(command.joined(separator: " "))' exited with \(exit.code): \(output)"
                }
                return nil
            } catch {
                return "command '\(command.joined(separator: " "))' failed: \(error)"
            }
        }
        if let sleep = handler.sleep {
            Thread.sleep(forTimeInterval: min(Double(sleep.seconds), timeout))
            return nil
        }
        if let http = handler.httpGet {
            let result = HTTPProber.probe(http, podIP: podIP ?? "127.0.0.1", containerPorts: ports,
                                          timeout: .milliseconds(Int64(timeout * 1000)))
            return result.isSuccess == true ? nil : result.message
        }
        return "no handler"
    }

    /// Runs `command` in the container with stdout and stderr captured together (into a
    /// memfd, which cannot fill up and block the command as a pipe could).
    static func execCapturingOutput(_ record: ContainerRecord, _ command: [String], runtime: Runtime,
                                    timeout: Double) throws -> (ExitStatus, String) {
        let output = FileDescriptor(raw: try sys("memfd_create", "exec output") { swl_memfd_create("exec-output", UInt32(MFD_CLOEXEC)) },
                                    name: "exec output")
        let null = try FileDescriptor.open("/dev/null", O_RDWR | O_CLOEXEC)
        let exit = try runtime.exec(record, ExecSpec(args: command), stdio: [null.raw, output.raw, output.raw], timeout: timeout)
        try sys("lseek", "exec output") { lseek(output.raw, 0, SEEK_SET) }
        let bytes = try output.readAll()
        // Upstream keeps at most 10 KiB of a probe's or hook's output.
        return (exit, String(decoding: bytes.prefix(10 << 10), as: UTF8.self))
    }
}
