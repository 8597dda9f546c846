/// What to run: the runtime's CRI-shaped description of one container. It knows nothing
/// of Kubernetes types; the kubelet and the CLI both translate into it.
public struct ContainerSpec: Codable, Sendable, Equatable {
    public enum Network: String, Codable, Sendable {
        /// A new network namespace with only loopback.
        case none
        /// The host's network namespace.
        case host
    }

    public enum SeccompMode: String, Codable, Sendable {
        case runtimeDefault = "RuntimeDefault"
        case unconfined = "Unconfined"
        /// The OCI/Docker JSON profile at `seccompProfilePath`.
        case localhost = "Localhost"
    }

    public var name: String?
    public var image: String
    /// Replaces the image's Entrypoint when set.
    public var entrypoint: [String]?
    /// Replaces the image's Cmd when non-empty.
    public var command: [String]
    /// `KEY=VALUE`, applied over the image's Env in order.
    public var env: [String]
    public var workingDir: String?
    /// `UID[:GID]` or a user name from the image's /etc/passwd; the image's User when nil.
    public var user: String?
    public var hostname: String?
    public var memoryLimitBytes: Int64?
    /// CPU limit in cores (cpu.max quota over a 100 ms period).
    public var cpus: Double?
    /// cpu.weight (1–10000; the kernel's default is 100): a pod container's CPU request.
    public var cpuWeight: Int?
    public var pidsLimit: Int64?
    public var readOnlyRootfs: Bool
    public var capAdd: [String]
    public var capDrop: [String]
    public var privileged: Bool
    public var network: Network
    public var tty: Bool
    /// Keep stdin open and forward the caller's (attached runs only), as CRI's `stdin`.
    public var stdin: Bool
    public var seccomp: SeccompMode
    /// The profile file of `Localhost` (absolute).
    public var seccompProfilePath: String?
    /// Seconds between SIGTERM and SIGKILL when stopping.
    public var stopGraceSeconds: Int

    // A pod's container (set by the kubelet; nil for `swiftlet run`):
    /// Opaque key/value pairs kept with the record (the kubelet's pod and container identity).
    public var labels: [String: String]?
    /// The pod sandbox whose net, ipc and uts namespaces and /etc files the container shares.
    public var sandbox: SandboxRef?
    /// Cgroup (relative to the hierarchy) to create the container's cgroup under.
    public var cgroupParent: String?
    /// Where the shim writes the CRI log, instead of the container's data directory.
    public var logPath: String?
    /// Host paths bound into the container (volumes), in order.
    public var mounts: [BindMount]?
    /// Share the host's pid namespace (a pod's hostPID) instead of having one of its own.
    public var hostPID: Bool?
    /// Supplementary groups beyond the user's own in the image's /etc/group (a pod's
    /// supplementalGroups and fsGroup).
    public var supplementalGroups: [UInt32]?
    /// securityContext.allowPrivilegeEscalation: true lifts no_new_privs, which every
    /// unprivileged container otherwise gets (stricter than upstream's default).
    public var allowPrivilegeEscalation: Bool?

    public init(image: String, command: [String] = []) {
        self.image = image
        self.command = command
        self.env = []
        self.readOnlyRootfs = false
        self.capAdd = []
        self.capDrop = []
        self.privileged = false
        self.network = .none
        self.tty = false
        self.stdin = false
        self.seccomp = .runtimeDefault
        self.stopGraceSeconds = 10
    }
}

/// A pod sandbox as a container sees it: the namespaces it joins and the directory
/// holding the pod's `hosts`, `hostname` and `resolv.conf`.
public struct SandboxRef: Codable, Sendable, Equatable {
    /// `net`, `ipc`, `uts` → bound namespace file. A missing kind is the host's (net:
    /// hostNetwork) or, for uts, a new one.
    public var namespaces: [String: String]
    public var etcDirectory: String

    public init(namespaces: [String: String], etcDirectory: String) {
        self.namespaces = namespaces
        self.etcDirectory = etcDirectory
    }
}

/// A host path bound into a container.
public struct BindMount: Codable, Sendable, Equatable {
    public var source: String
    public var destination: String
    public var readOnly: Bool
    /// A relative path below `source` to mount instead of `source` (a pod's subPath).
    /// The shim resolves it when it clones the mount and refuses one that leads out of
    /// `source`; unlike `source`, it is then bound alone (not recursively), as upstream.
    public var subPath: String?

    public init(source: String, destination: String, readOnly: Bool, subPath: String? = nil) {
        self.source = source
        self.destination = destination
        self.readOnly = readOnly
        self.subPath = subPath
    }
}

extension ContainerSpec {
    /// Whether the container's processes (execs too) run under no_new_privs.
    var noNewPrivileges: Bool { !privileged && allowPrivilegeEscalation != true }
}
