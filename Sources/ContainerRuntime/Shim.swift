import CLinux
import Glibc
import LinuxSys

/// Starts `swiftlet-shim` with a plan on fd 3 and reads its one-line readiness report
/// from fd 4 (docs/shim-plan.md). Its stdio is ours, or the three fds of `stdio`.
enum Shim {
    static func start(_ path: String, plan: SetupPlan, stdio: [Int32]? = nil) throws -> (shim: pid_t, container: pid_t) {
        let text = Array(plan.rendered().utf8)
        let planFD = FileDescriptor(raw: try sys("memfd_create", "plan") { swl_memfd_create("swiftlet-plan", UInt32(MFD_CLOEXEC)) }, name: "plan")
        try planFD.write(text)
        try sys("lseek", "plan") { lseek(planFD.raw, 0, SEEK_SET) }

        var pipeFDs: [Int32] = [0, 0]
        try sys("pipe2", "readiness") { swl_pipe2(&pipeFDs, O_CLOEXEC) }
        let readyRead = FileDescriptor(raw: pipeFDs[0], name: "shim readiness")
        let readyWrite = FileDescriptor(raw: pipeFDs[1], name: "shim readiness")

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the targets; everything else stays CLOEXEC. Stdio
        // first: a source fd numbered 3 or 4 would be overwritten by the plan's.
        for (target, fd) in (stdio ?? []).enumerated() { posix_spawn_file_actions_adddup2(&actions, fd, Int32(target)) }
        posix_spawn_file_actions_adddup2(&actions, planFD.raw, 3)
        posix_spawn_file_actions_adddup2(&actions, readyWrite.raw, 4)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The shim starts with default signal handling whatever the caller ignores.
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        // Executed through a detached read-only mount of its file, the shim's
        // /proc/PID/exe cannot be reopened for writing by a container that execs
        // /proc/self/exe (CVE-2019-5736), and the shim need not re-execute itself.
        guard let clone = try sys("clone a read-only mount of", path, tolerating: ENOENT, { swl_readonly_clone(path) }) else {
            throw RuntimeError.shimNotFound(path)
        }
        let readonly = FileDescriptor(raw: clone, name: path)
        let executable = "/proc/self/fd/\(readonly.raw)"

        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("swiftlet-shim"), nil]
        defer { argv.forEach { free($0) } }
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard rc == 0 else { throw SystemError("posix_spawn", path, errno: rc) }
        try readyWrite.close()

        let report = String(decoding: try readyRead.readAll(), as: UTF8.self).trimmingWhitespace()
        if report.hasPrefix("ok "), let container = pid_t(report.dropFirst(3)) {
            return (pid, container)
        }
        var status: Int32 = 0
        _ = try? sys("waitpid", "swiftlet-shim") { waitpid(pid, &status, 0) }
        if report.hasPrefix("error ") { throw RuntimeError.setupFailed(String(report.dropFirst(6))) }
        throw RuntimeError.setupFailed("swiftlet-shim exited without reporting (status \(status))")
    }
}
