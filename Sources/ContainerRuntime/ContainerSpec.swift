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
    /// Seconds between SIGTERM and SIGKILL when stopping.
    public var stopGraceSeconds: Int

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
