import CLinux
import FoundationEssentials
import Glibc
import LinuxSys

/// A process to start in a running container (CRI's ExecSync/Exec).
public struct ExecSpec: Sendable, Equatable {
    public var args: [String]
    /// `KEY=VALUE` over the container's environment.
    public var env: [String] = []
    public var tty = false
    /// Forward the caller's stdin.
    public var stdin = false

    public init(args: [String], env: [String] = [], tty: Bool = false, stdin: Bool = false) {
        self.args = args
        self.env = env
        self.tty = tty
        self.stdin = stdin
    }
}

/// What an exec plan is made from, resolved: no I/O happens in `PlanBuilder.execPlan`.
public struct ExecPlanInput: Sendable, Equatable {
    public var id: String
    public var stateDir: String
    public var cgroupPath: String
    /// The container's init process: its namespaces are joined through /proc/PID/ns.
    public var containerPid: Int32
    public var args: [String]
    public var env: [String]
    public var cwd: String
    public var uid: UInt32
    public var gid: UInt32
    public var supplementaryGroups: [UInt32]
    public var capabilities: UInt64
    public var noNewPrivileges: Bool
    public var seccompProgram: String?
    public var tty: Bool
    public var stdin: Bool
}

extension PlanBuilder {
    /// An exec joins every namespace of the container (the mount namespace last, by the
    /// shim), starts in its cgroup and gets its user, capabilities, no_new_privs and
    /// seccomp filter: a process started this way can do nothing the container cannot.
    public static func execPlan(_ input: ExecPlanInput) -> SetupPlan {
        var d: [SetupPlan.Directive] = [.id(input.id), .state(input.stateDir), .cgroup(input.cgroupPath), .namespaces([])]
        for kind in ["cgroup", "ipc", "mnt", "net", "pid", "uts"] {
            d.append(.joinNamespace(type: kind, path: "/proc/\(input.containerPid)/ns/\(kind)"))
        }
        d += processDirectives(uid: input.uid, gid: input.gid, groups: input.supplementaryGroups, cwd: input.cwd,
                               env: input.env, args: input.args, capabilities: input.capabilities,
                               noNewPrivileges: input.noNewPrivileges, seccomp: input.seccompProgram,
                               tty: input.tty, attach: true, stdin: input.stdin)
        return SetupPlan(d)
    }
}

extension Runtime {
    /// Runs `exec` in the running container and waits for it, at most `timeout` seconds
    /// (then it is killed and `RuntimeError.execTimedOut` thrown). Its stdio is `stdio`
    /// (fds for stdin, stdout, stderr; the caller's own when nil). Nothing outlives it: its
    /// state directory is removed afterwards.
    public func exec(_ record: ContainerRecord, _ exec: ExecSpec, stdio: [Int32]? = nil, timeout: Double? = nil) throws -> ExitStatus {
        guard case .running(let pid, _) = status(of: record), pid > 0 else {
            throw RuntimeError.setupFailed("container \(record.name) is not running")
        }
        guard !exec.args.isEmpty else { throw RuntimeError.setupFailed("exec needs a command") }
        let spec = record.spec
        let capabilities = try Runtime.capabilities(spec)
        let image = try images.resolve(record.imageDigest)
        let (uid, gid, groups) = try resolveUser(spec, image: image)
        var env = Runtime.mergeEnvironment(image: image.config.env ?? [], overrides: spec.env + exec.env)
        if exec.tty, !env.contains(where: { $0.hasPrefix("TERM=") }) { env.append("TERM=xterm") }
        let id = "exec-\(Runtime.newID().prefix(16))"
        let stateDir = "\(paths.containerState(record.id))/\(id)"
        try Files.createDirectory(stateDir, mode: 0o700)
        defer { try? Files.removeTree(stateDir) }
        let input = ExecPlanInput(
            id: "\(record.id.prefix(12))-\(id)", stateDir: stateDir,
            cgroupPath: Cgroup(hierarchy: try hierarchy(), relativePath: record.cgroup).path, containerPid: pid,
            args: exec.args, env: env,
            cwd: spec.workingDir ?? image.config.workingDir.flatMap { $0.isEmpty ? nil : $0 } ?? "/",
            uid: uid, gid: gid, supplementaryGroups: groups, capabilities: capabilities.rawValue,
            noNewPrivileges: spec.noNewPrivileges, seccompProgram: try seccompProgram(spec, capabilities: capabilities),
            tty: exec.tty, stdin: exec.stdin)
        let (shim, _) = try Shim.start(shimPath, plan: PlanBuilder.execPlan(input), stdio: stdio)
        var status: Int32 = 0
        if let timeout {
            // The shim's pidfd becomes readable when it exits.
            let pidfd = try sys("pidfd_open", "shim \(shim)") { swl_pidfd_open(shim, 0) }
            defer { close(pidfd) }
            var poll = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
            if try sys("poll", "shim \(shim)", { Glibc.poll(&poll, 1, Int32(timeout * 1000)) }) == 0 {
                // SIGUSR1: the shim kills its process at once, records the exit and ends.
                _ = try? sys("pidfd_send_signal", "shim \(shim)") { swl_pidfd_send_signal(pidfd, SIGUSR1, nil, 0) }
                try sys("waitpid", "swiftlet-shim") { waitpid(shim, &status, 0) }
                throw RuntimeError.execTimedOut(seconds: timeout)
            }
        }
        try sys("waitpid", "swiftlet-shim") { waitpid(shim, &status, 0) }
        guard let exit = (try? Files.readString("\(stateDir)/exit")).flatMap(ExitStatus.parse) else {
            throw RuntimeError.setupFailed("exec in \(record.name): the shim ended without recording an exit status")
        }
        return exit
    }
}
