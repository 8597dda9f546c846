/// Everything the plan depends on, resolved: no I/O happens in `PlanBuilder`.
public struct PlanInput: Sendable, Equatable {
    public var id: String
    public var stateDir: String
    public var logPath: String
    public var cgroupPath: String
    public var rootfs: String
    /// Image snapshot directories, bottom layer first.
    public var layers: [String]
    public var upperDir: String
    public var workDir: String
    public var args: [String]
    public var env: [String]
    public var cwd: String
    public var uid: UInt32
    public var gid: UInt32
    public var supplementaryGroups: [UInt32]
    public var hostname: String
    public var network: ContainerSpec.Network
    /// The host's pid namespace instead of a new one.
    public var hostPID = false
    public var capabilities: UInt64
    public var privileged: Bool
    /// allowPrivilegeEscalation: true lifts the no_new_privs set by default.
    public var allowPrivilegeEscalation = false
    public var readOnlyRootfs: Bool
    /// Compiled seccomp program, nil for Unconfined.
    public var seccompProgram: String?
    /// Files written by the runtime and bound into the container: /etc/hosts, /etc/hostname, /etc/resolv.conf.
    public var etcFiles: [(destination: String, source: String)]
    public var tty: Bool
    public var attach: Bool
    public var stdin: Bool
    public var stopGraceSeconds: Int
    /// Namespaces to join rather than create: kind (`net`, `ipc`, `uts`) → path.
    public var joinNamespaces: [(kind: String, path: String)] = []
    /// Volumes, bound after the runtime's own mounts.
    public var mounts: [BindMount] = []

    public static func == (a: PlanInput, b: PlanInput) -> Bool {
        PlanBuilder.plan(a) == PlanBuilder.plan(b)
    }
}

/// Turns a resolved container into its setup plan, with the defaults that make a
/// Swiftlet container stricter than Kubernetes asks: RuntimeDefault seccomp, Docker's
/// capabilities, masked and read-only /proc paths, a minimal /dev, no_new_privs.
public enum PlanBuilder {
    /// Paths hidden from unprivileged containers (containerd's defaults).
    public static let maskedPaths = [
        "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
        "/sys/devices/virtual/powercap",
    ]
    public static let readonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]

    /// The standard character devices of a minimal /dev: (name, major, minor).
    public static let devices: [(String, Int, Int)] = [
        ("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0),
    ]

    public static func plan(_ input: PlanInput) -> SetupPlan {
        typealias D = SetupPlan.Directive
        var d: [D] = [
            .id(input.id),
            .state(input.stateDir),
            .log(input.logPath),
            .cgroup(input.cgroupPath),
        ]
        let joined = Set(input.joinNamespaces.map(\.kind))
        var namespaces = ["mnt", "pid", "uts", "ipc", "cgroup"]
        if input.network == .none { namespaces.insert("net", at: 2) }
        if input.hostPID { namespaces.removeAll { $0 == "pid" } }
        namespaces.removeAll { joined.contains($0) }
        d.append(.namespaces(namespaces))
        d += input.joinNamespaces.map { .joinNamespace(type: $0.kind, path: $0.path) }
        d.append(.rootfs(input.rootfs))
        d.append(.overlay(lower: input.layers.reversed(), upper: input.upperDir, work: input.workDir))

        let sysFlags = ["nosuid", "noexec", "nodev"] + (input.privileged ? [] : ["ro"])
        d += [
            .mount(type: "proc", source: "proc", destination: "/proc", flags: ["nosuid", "noexec", "nodev"], data: ""),
            .mount(type: "tmpfs", source: "tmpfs", destination: "/dev", flags: ["nosuid", "strictatime"], data: "mode=755,size=65536k"),
            .mount(type: "devpts", source: "devpts", destination: "/dev/pts", flags: ["nosuid", "noexec"],
                   data: "newinstance,ptmxmode=0666,mode=0620,gid=5"),
            .mount(type: "tmpfs", source: "shm", destination: "/dev/shm", flags: ["nosuid", "noexec", "nodev"], data: "mode=1777,size=65536k"),
            .mount(type: "mqueue", source: "mqueue", destination: "/dev/mqueue", flags: ["nosuid", "noexec", "nodev"], data: ""),
            .mount(type: "sysfs", source: "sysfs", destination: "/sys", flags: sysFlags, data: ""),
            .mount(type: "cgroup2", source: "cgroup", destination: "/sys/fs/cgroup", flags: sysFlags, data: ""),
        ]
        for (destination, source) in input.etcFiles {
            d.append(.mount(type: "none", source: source, destination: destination, flags: ["bind"], data: ""))
        }
        for mount in input.mounts {
            let flags = [mount.subPath == nil ? "rbind" : "bind", "nosuid", "nodev"] + (mount.readOnly ? ["ro"] : [])
            d.append(.mount(type: "none", source: mount.source, destination: mount.destination, flags: flags,
                            data: mount.subPath.map { "beneath=\($0)" } ?? ""))
        }
        for (name, major, minor) in devices {
            d.append(.device(path: "/dev/\(name)", type: "c", major: major, minor: minor, mode: 0o666, uid: 0, gid: 0))
        }
        d += [
            .symlink(target: "/proc/self/fd", path: "/dev/fd"),
            .symlink(target: "/proc/self/fd/0", path: "/dev/stdin"),
            .symlink(target: "/proc/self/fd/1", path: "/dev/stdout"),
            .symlink(target: "/proc/self/fd/2", path: "/dev/stderr"),
            .symlink(target: "pts/ptmx", path: "/dev/ptmx"),
            .symlink(target: "/proc/kcore", path: "/dev/core"),
        ]
        if !input.privileged {
            d += maskedPaths.map { .masked($0) }
            d += readonlyPaths.map { .readonly($0) }
        }
        if input.readOnlyRootfs { d.append(.readonlyRootfs) }
        // A joined uts namespace already has the pod's name; a joined net one has lo up.
        if !joined.contains("uts") { d.append(.hostname(input.hostname)) }
        if input.network == .none, !joined.contains("net") { d.append(.loopbackUp) }
        d += processDirectives(uid: input.uid, gid: input.gid, groups: input.supplementaryGroups, cwd: input.cwd,
                               env: input.env, args: input.args, capabilities: input.capabilities,
                               noNewPrivileges: !input.privileged && !input.allowPrivilegeEscalation,
                               seccomp: input.seccompProgram, tty: input.tty, attach: input.attach, stdin: input.stdin)
        d.append(.grace(input.stopGraceSeconds))
        return SetupPlan(d)
    }

    /// The process itself — identity, working directory, environment, arguments,
    /// capabilities, no_new_privs, seccomp, stdio — shared by containers and execs.
    static func processDirectives(uid: UInt32, gid: UInt32, groups: [UInt32], cwd: String, env: [String], args: [String],
                                  capabilities: UInt64, noNewPrivileges: Bool, seccomp: String?,
                                  tty: Bool, attach: Bool, stdin: Bool) -> [SetupPlan.Directive] {
        var d: [SetupPlan.Directive] = [.user(uid: uid, gid: gid), .groups(groups), .cwd(cwd)]
        d += env.map { .env($0) }
        d += args.map { .arg($0) }
        // Root keeps its capabilities in the effective set; for other users the kernel
        // clears them at execve, as it does under Docker (no ambient capabilities).
        d.append(.caps(bounding: capabilities, effective: capabilities, permitted: capabilities, inheritable: 0, ambient: 0))
        if noNewPrivileges { d.append(.noNewPrivileges) }
        if let seccomp { d.append(.seccomp(seccomp)) }
        if tty { d.append(.tty) }
        if attach { d.append(.attach) }
        if stdin { d.append(.stdin) }
        return d
    }

    /// The holder of a pod's shared pid namespace: pid 1 of a new pid namespace in the
    /// pod's cgroup, as nobody, without capabilities, under no_new_privs and seccomp.
    public static func holderPlan(id: String, stateDir: String, cgroupPath: String, seccompProgram: String?) -> SetupPlan {
        var d: [SetupPlan.Directive] = [
            .id(id), .state(stateDir), .cgroup(cgroupPath), .namespaces(["pid"]),
            .user(uid: 65534, gid: 65534), .groups([]),
            .caps(bounding: 0, effective: 0, permitted: 0, inheritable: 0, ambient: 0), .noNewPrivileges,
        ]
        if let seccompProgram { d.append(.seccomp(seccompProgram)) }
        d += [.holdPidNamespace, .grace(0)]
        return SetupPlan(d)
    }
}
