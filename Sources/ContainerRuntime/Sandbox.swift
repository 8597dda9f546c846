import FoundationEssentials
import Glibc
import LinuxSys

/// What a pod sandbox is made from: CRI's PodSandboxConfig, reduced to what we use.
public struct SandboxSpec: Codable, Sendable, Equatable {
    /// The pod's UID: one sandbox per pod.
    public var id: String
    public var hostname: String
    public var hostNetwork: Bool
    public var hostIPC: Bool
    /// The kubelet's identity of the pod (name, namespace), kept with the record.
    public var labels: [String: String]
    /// `/etc/hosts` lines after the standard ones (hostAliases).
    public var extraHosts: [String]
    /// Ports published on the node (hostPort).
    public var portMappings: [PortMapping]?
    /// shareProcessNamespace: one pid namespace for all the pod's containers, held by a
    /// pid 1 of its own (the only process a sandbox ever has).
    public var sharedPID: Bool?
    /// Cgroup (relative to the hierarchy) the pid namespace's holder goes under: the pod's.
    public var cgroupParent: String?

    public init(id: String, hostname: String, hostNetwork: Bool = false, hostIPC: Bool = false,
                labels: [String: String] = [:], extraHosts: [String] = [], portMappings: [PortMapping] = [],
                sharedPID: Bool = false, cgroupParent: String? = nil) {
        self.id = id
        self.hostname = hostname
        self.hostNetwork = hostNetwork
        self.hostIPC = hostIPC
        self.labels = labels
        self.extraHosts = extraHosts
        self.portMappings = portMappings.isEmpty ? nil : portMappings
        self.sharedPID = sharedPID ? true : nil
        self.cgroupParent = cgroupParent
    }
}

/// A created sandbox: `<state>/sandboxes/<id>/` holds its bound namespaces, its /etc
/// files and this record, written last — a directory without it is an interrupted
/// creation, which `removeSandbox` cleans up like any other.
public struct SandboxRecord: Codable, Sendable, Equatable {
    public var spec: SandboxSpec
    public var createdAt: String
    /// The pod's address, when it has a network of its own.
    public var ip: String?
    /// What containers of this pod join.
    public var ref: SandboxRef
    /// The shim parenting the holder of a shared pid namespace: the caller reaps it.
    public var holderShim: Int32?

    public init(spec: SandboxSpec, createdAt: String, ip: String?, ref: SandboxRef, holderShim: Int32? = nil) {
        self.spec = spec
        self.createdAt = createdAt
        self.ip = ip
        self.ref = ref
        self.holderShim = holderShim
    }
}

extension Runtime {
    func sandboxDirectory(_ id: String) -> String { "\(paths.state)/sandboxes/\(id)" }

    /// Creates the pod's namespaces (no process in them), attaches its network namespace
    /// to the pod network (when there is one) and writes its /etc files. Idempotent: an
    /// existing complete sandbox is returned as it is. On failure nothing is left.
    public func createSandbox(_ spec: SandboxSpec) throws -> SandboxRecord {
        if let existing = sandbox(spec.id) { return existing }
        guard Runtime.isValidName(spec.id) else { throw RuntimeError.invalidName(spec.id) }
        let dir = sandboxDirectory(spec.id)
        removeSandbox(spec.id)  // the remains of an interrupted creation
        do {
            var kinds: [PersistentNamespaces.Kind] = [.uts]
            if !spec.hostNetwork { kinds.append(.net) }
            if !spec.hostIPC { kinds.append(.ipc) }
            // With the host's network the pod has the host's name, as upstream.
            let hostname = spec.hostNetwork ? Runtime.hostHostname() : spec.hostname
            try PersistentNamespaces.create(kinds, in: dir, hostname: hostname)
            var namespaces: [String: String] = [:]
            for kind in kinds { namespaces[kind.rawValue] = "\(dir)/\(kind.rawValue)" }
            var holderShim: Int32?
            if spec.sharedPID == true {
                holderShim = try startPidHolder(spec, in: dir)
                namespaces["pid"] = "\(dir)/pid"
            }
            var record = SandboxRecord(spec: spec, createdAt: Clock.rfc3339Nano(), ip: nil,
                                       ref: SandboxRef(namespaces: namespaces, etcDirectory: dir), holderShim: holderShim)
            if !spec.hostNetwork, let network = podNetwork {
                record.ip = try network.connect(podID: spec.id, netnsPath: "\(dir)/net").description
            }
            try writeEtcFiles(record, hostname: hostname)
            try Files.writeAtomically("\(dir)/sandbox.json", try JSONEncoder().encode(record), durable: false)
            if record.ip != nil { try syncPodNAT() }
            return record
        } catch {
            removeSandbox(spec.id)
            throw error
        }
    }

    /// The sandbox's record, if its creation completed.
    public func sandbox(_ id: String) -> SandboxRecord? {
        guard let bytes = try? Files.read("\(sandboxDirectory(id))/sandbox.json") else { return nil }
        return try? JSONDecoder().decode(SandboxRecord.self, from: Data(bytes))
    }

    /// Every sandbox directory: complete ones with their record, interrupted ones with nil.
    public func listSandboxes() -> [(id: String, record: SandboxRecord?)] {
        let ids = (try? Files.list("\(paths.state)/sandboxes")) ?? []
        return ids.sorted().map { ($0, sandbox($0)) }
    }

    /// Unbinds the namespaces and deletes the directory; the namespaces themselves end with
    /// their last container. Tolerates any partial state, and absence.
    public func removeSandbox(_ id: String) {
        let dir = sandboxDirectory(id)
        guard Files.exists(dir) else { return }
        // The address goes back to the pool; the veth (gone with the namespace anyway) now.
        if let network = podNetwork { try? network.disconnect(podID: id, netnsPath: "\(dir)/net") }
        stopPidHolder(sandbox: id)
        PersistentNamespaces.remove(in: dir)
        try? Files.removeTree(dir)
        try? syncPodNAT()
    }

    // MARK: - The holder of a shared pid namespace

    /// Starts pid 1 of the pod's pid namespace (`hold` in the shim, upstream's pause) in
    /// `<cgroupParent>/sandbox` and binds its namespace onto `<dir>/pid`. Returns the shim.
    /// `holder/cgroup` is written first, so a crash at any later point leaves what
    /// `stopPidHolder` needs to find and kill it.
    private func startPidHolder(_ spec: SandboxSpec, in dir: String) throws -> Int32 {
        let state = "\(dir)/holder"
        try Files.createDirectory(state, mode: 0o700)
        let relative = "\(spec.cgroupParent ?? "\(paths.cgroupParent)/pod\(spec.id)")/sandbox"
        try Files.writeAtomically("\(state)/cgroup", relative, durable: false)
        let group = Cgroup(hierarchy: try hierarchy(), relativePath: relative)
        _ = try group.create(enabling: ["pids"])
        _ = try group.apply(CgroupLimits(pidsMax: 1))  // it never forks
        let seccomp = try SeccompCache.compiledProfile(.runtimeDefault(capabilities: CapabilitySet(rawValue: 0)), cacheDir: paths.seccompCache)
        let plan = PlanBuilder.holderPlan(id: "\(spec.id)-pid", stateDir: state, cgroupPath: group.path, seccompProgram: seccomp)
        let (shim, holder) = try Shim.start(shimPath, plan: plan)
        // The holder is the shim's unreaped child: its pid cannot be reused meanwhile.
        try PersistentNamespaces.bind(existing: "/proc/\(holder)/ns/pid", to: "\(dir)/pid")
        return shim
    }

    /// Whether the sandbox can take containers: false once the holder of its shared pid
    /// namespace has ended (the kernel then killed every process in it, and no new one
    /// can enter). Sandboxes without one have no process to lose.
    public func isSandboxAlive(_ record: SandboxRecord) -> Bool {
        guard record.ref.namespaces["pid"] != nil else { return true }
        guard let group = pidHolderCgroup(record.spec.id) else { return false }
        return !group.processes().isEmpty
    }

    private func pidHolderCgroup(_ id: String) -> Cgroup? {
        guard let relative = try? Files.readString("\(sandboxDirectory(id))/holder/cgroup"),
              let hierarchy = try? hierarchy() else { return nil }
        return Cgroup(hierarchy: hierarchy, relativePath: relative)
    }

    /// Kills the holder of the sandbox's shared pid namespace (and with it whatever is left
    /// in the namespace), waits for its shim, removes its cgroup and unbinds the namespace.
    /// The pod's cgroup can be removed after this. Tolerates absence and partial state.
    public func stopPidHolder(sandbox id: String) {
        let dir = sandboxDirectory(id)
        guard let group = pidHolderCgroup(id) else { return }
        if Files.exists(group.path) {
            try? group.kill()
            let fields = stateFields((try? Files.readString("\(dir)/holder/pid")) ?? "")
            if let shim = fields["shim"].flatMap({ pid_t($0) }) { Runtime.waitForExit(shim: shim) }
            try? group.remove()
        }
        try? PersistentNamespaces.unbind("\(dir)/pid")
        try? Files.removeTree("\(dir)/holder")
    }

    /// Rewrites the pod's `hosts` (with its address once it has one), `hostname` and
    /// `resolv.conf` (the host's: there is no cluster DNS yet).
    public func writeEtcFiles(_ record: SandboxRecord, hostname: String? = nil) throws {
        let dir = record.ref.etcDirectory
        let name = hostname ?? (record.spec.hostNetwork ? Runtime.hostHostname() : record.spec.hostname)
        var hosts = """
            # Kubernetes-managed hosts file.
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            fe00::0\tip6-mcastprefix
            fe00::1\tip6-allnodes
            fe00::2\tip6-allrouters

            """
        if let ip = record.ip { hosts += "\(ip)\t\(name)\n" }
        for line in record.spec.extraHosts { hosts += line + "\n" }
        try Files.writeAtomically("\(dir)/hosts", hosts, durable: false)
        try Files.writeAtomically("\(dir)/hostname", name + "\n", durable: false)
        try Files.writeAtomically("\(dir)/resolv.conf", Runtime.hostResolvConf(), durable: false)
    }

    static func hostHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(cString: buffer)
    }
}
