import CLinux
import FoundationEssentials
import Glibc
import LinuxSys

/// Where the runtime keeps things. Every path derives from these two roots, so tests and
/// benchmarks run a whole runtime under temporary directories.
public struct RuntimePaths: Sendable, Equatable {
    /// Persistent data: images, snapshots, container records and writable layers, logs.
    public var root: String
    /// Runtime state (tmpfs in production): per-container pid/exit files, rootfs mount points.
    public var state: String
    /// Cgroup (relative to the hierarchy) under which containers are created.
    public var cgroupParent: String

    public init(root: String = "/var/lib/swiftlet", state: String = "/run/swiftlet", cgroupParent: String = "swiftlet") {
        self.root = root
        self.state = state
        self.cgroupParent = cgroupParent
    }

    public var containers: String { "\(root)/containers" }
    public var seccompCache: String { "\(root)/seccomp" }
    /// One symlink per container name, pointing at the container's ID.
    public var names: String { "\(root)/names" }
    func containerData(_ id: String) -> String { "\(root)/containers/\(id)" }
    func containerState(_ id: String) -> String { "\(state)/containers/\(id)" }
}

public enum RuntimeError: Error, CustomStringConvertible, Equatable {
    case noCommand(image: String)
    case nameInUse(String)
    case invalidName(String)
    case notFound(String)
    case ambiguous(String)
    case stillRunning(String)
    case unknownUser(String)
    case shimNotFound(String)
    case setupFailed(String)
    case imageInUse(image: String, container: String)
    case execTimedOut(seconds: Double)

    public var description: String {
        switch self {
        case .noCommand(let image): "image \(image) has no command: give one after the image name"
        case .nameInUse(let name): "the container name \"\(name)\" is already in use"
        case .invalidName(let name): "invalid container name \"\(name)\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
        case .notFound(let ref): "no container with name or ID \"\(ref)\""
        case .ambiguous(let ref): "\"\(ref)\" matches more than one container: use more of the ID"
        case .stillRunning(let name): "container \(name) is running: stop it first, or remove it with --force"
        case .unknownUser(let user): "unable to find user \(user): no matching entries in the image's /etc/passwd"
        case .shimNotFound(let path): "swiftlet-shim not found at \(path) (set SWIFTLET_SHIM to its path)"
        case .setupFailed(let message): message
        case .execTimedOut(let seconds): "command timed out after \(formatSeconds(seconds))"
        case .imageInUse(let image, let container):
            "image \(image) is in use by container \(container): remove the container first"
        }
    }
}

/// `1s`, `1.5s`: as Go prints a duration of whole or fractional seconds.
func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
}

/// A started container: its record, the shim process (our child), and the limits the
/// host could not enforce (for the caller to report once).
public struct StartedContainer: Sendable {
    public var record: ContainerRecord
    public var shimPid: pid_t
    public var containerPid: pid_t
    public var unenforced: [UnenforcedLimit]
}

/// The container runtime: creates, starts, lists, stops and removes containers through
/// `swiftlet-shim`. It holds no state in memory that the files do not hold, so any
/// number of swiftlet processes (and restarts) see the same containers.
public final class Runtime: @unchecked Sendable {
    public let paths: RuntimePaths
    public let images: ImageStore
    public let shimPath: String
    /// The network pod sandboxes are attached to; without one a pod has only loopback.
    public var podNetwork: (any PodNetwork)?
    private var hierarchyCache: CgroupHierarchy?

    public init(paths: RuntimePaths, shimPath: String? = nil) {
        self.paths = paths
        self.images = ImageStore(root: paths.root)
        self.shimPath = shimPath ?? Runtime.defaultShimPath()
    }

    /// `SWIFTLET_SHIM`, else `swiftlet-shim` beside the running executable.
    public static func defaultShimPath() -> String {
        if let env = getenv("SWIFTLET_SHIM") { return String(cString: env) }
        guard let exe = Files.readLink("/proc/self/exe") else { return "/usr/lib/swiftlet/swiftlet-shim" }
        return Files.dirname(exe) + "/swiftlet-shim"
    }

    public func hierarchy() throws -> CgroupHierarchy {
        if let h = hierarchyCache { return h }
        let h = try CgroupHierarchy.detect()
        hierarchyCache = h
        return h
    }

    // MARK: - Run

    /// Creates and starts a container. With `attach`, the container's stdio is the
    /// caller's (through the shim); wait for it with `wait(_:)`. On any failure nothing
    /// is left behind: no cgroup, mount, state or data directory.
    public func run(_ spec: ContainerSpec, attach: Bool) throws -> StartedContainer {
        let capabilities = try Runtime.capabilities(spec)
        let image = try images.resolve(spec.image)
        let args = (spec.entrypoint ?? image.config.entrypoint ?? [])
            + (spec.command.isEmpty ? (spec.entrypoint == nil ? image.config.cmd ?? [] : []) : spec.command)
        guard !args.isEmpty else { throw RuntimeError.noCommand(image: image.name) }

        let id = Runtime.newID()
        let name = spec.name ?? String(id.prefix(12))
        try claim(name: name, for: id)
        let hostname = spec.hostname ?? String(id.prefix(12))

        let data = paths.containerData(id)
        let state = paths.containerState(id)
        let record = ContainerRecord(
            id: id, name: name, spec: spec, imageName: image.name, imageDigest: image.manifestDigest,
            createdAt: Clock.rfc3339Nano(), cgroup: "\(spec.cgroupParent ?? paths.cgroupParent)/\(id)",
            logPath: spec.logPath ?? "\(data)/container.log")
        var cgroup: Cgroup?
        do {
            // The record first, right after the name: whatever a crash leaves from here on,
            // `list` finds (in an unknown state) and `remove` cleans up. Not fsynced: a
            // container does not survive a power loss either.
            try Files.createDirectory(data)
            try Files.writeAtomically("\(data)/config.json", try JSONEncoder().encode(record), durable: false)
            let (uid, gid, groups) = try resolveUser(spec, image: image)
            for dir in ["\(data)/upper", "\(data)/work", "\(state)/rootfs", Files.dirname(record.logPath)] {
                try Files.createDirectory(dir)
            }
            try Files.writeAtomically("\(state)/hostname", hostname + "\n", durable: false)
            try Files.writeAtomically("\(state)/hosts", Runtime.hostsFile(hostname: hostname), durable: false)
            try Files.writeAtomically("\(state)/resolv.conf", spec.network == .host ? Runtime.hostResolvConf() : "", durable: false)

            let group = Cgroup(hierarchy: try hierarchy(), relativePath: record.cgroup)
            cgroup = group
            try group.create(enabling: ["cpu", "memory", "pids", "io"])
            let unenforced = try group.apply(Runtime.limits(spec))
            if !spec.privileged { try DeviceFilter.attach(rules: DeviceRule.containerDefault, toCgroup: group.path) }

            let seccomp = try seccompProgram(spec, capabilities: capabilities)

            var env = Runtime.mergeEnvironment(image: image.config.env ?? [], overrides: spec.env)
            if !env.contains(where: { $0.hasPrefix("HOSTNAME=") }) { env.append("HOSTNAME=\(hostname)") }
            if spec.tty, !env.contains(where: { $0.hasPrefix("TERM=") }) { env.append("TERM=xterm") }

            var input = PlanInput(
                id: id, stateDir: state, logPath: record.logPath, cgroupPath: group.path, rootfs: "\(state)/rootfs",
                layers: image.layerDirectories, upperDir: "\(data)/upper", workDir: "\(data)/work", args: args, env: env,
                cwd: spec.workingDir ?? image.config.workingDir.flatMap { $0.isEmpty ? nil : $0 } ?? "/",
                uid: uid, gid: gid, supplementaryGroups: groups, hostname: hostname, network: spec.network,
                capabilities: capabilities.rawValue, privileged: spec.privileged, readOnlyRootfs: spec.readOnlyRootfs,
                seccompProgram: seccomp,
                etcFiles: ["hostname", "hosts", "resolv.conf"].map { ("/etc/\($0)", "\(spec.sandbox?.etcDirectory ?? state)/\($0)") },
                tty: spec.tty, attach: attach, stdin: attach && spec.stdin, stopGraceSeconds: spec.stopGraceSeconds,
                joinNamespaces: (spec.sandbox?.namespaces ?? [:]).sorted { $0.key < $1.key }.map { (kind: $0.key, path: $0.value) },
                mounts: spec.mounts ?? [])
            input.hostPID = spec.hostPID ?? false
            input.allowPrivilegeEscalation = spec.allowPrivilegeEscalation ?? false
            let (shimPid, containerPid) = try Shim.start(shimPath, plan: PlanBuilder.plan(input))
            return StartedContainer(record: record, shimPid: shimPid, containerPid: containerPid, unenforced: unenforced)
        } catch {
            if let cgroup {
                try? cgroup.kill()
                try? cgroup.remove()
            }
            try? Files.removeTree(state)
            try? Files.removeTree(data)
            release(name: name)
            throw error
        }
    }

    /// Waits for an attached container's shim and returns how the container ended.
    public func wait(_ started: StartedContainer) throws -> ExitStatus {
        var status: Int32 = 0
        try sys("waitpid", "swiftlet-shim") { waitpid(started.shimPid, &status, 0) }
        if let exit = readExit(started.record.id) { return exit }
        throw RuntimeError.setupFailed("container \(started.record.name): the shim ended without recording an exit status")
    }

    // MARK: - Inspect

    public func list() throws -> [(record: ContainerRecord, status: ContainerStatus)] {
        guard Files.isDirectory(paths.containers) else { return [] }
        var out: [(ContainerRecord, ContainerStatus)] = []
        for id in try Files.list(paths.containers) {
            guard let bytes = try? Files.read("\(paths.containerData(id))/config.json"),
                  let record = try? JSONDecoder().decode(ContainerRecord.self, from: Data(bytes)) else { continue }
            out.append((record, status(of: record)))
        }
        return out.sorted { $0.0.createdAt < $1.0.createdAt }
    }

    /// The containers whose name contains `fragment` (the kubelet's pod UID): only their
    /// records are read, found through the name links.
    public func list(namesContaining fragment: String) throws -> [(record: ContainerRecord, status: ContainerStatus)] {
        guard Files.isDirectory(paths.names) else { return [] }
        var out: [(ContainerRecord, ContainerStatus)] = []
        for name in try Files.list(paths.names) where name.contains(fragment) {
            guard let id = Files.readLink("\(paths.names)/\(name)"), let record = try? record(id) else { continue }
            out.append((record, status(of: record)))
        }
        return out.sorted { $0.0.createdAt < $1.0.createdAt }
    }

    /// A container by name, full ID or unique ID prefix; reads only that container's record.
    public func find(_ ref: String) throws -> ContainerRecord {
        if Runtime.isValidName(ref), let id = Files.readLink("\(paths.names)/\(ref)") { return try record(id) }
        let ids = Files.isDirectory(paths.containers) ? try Files.list(paths.containers) : []
        let matches = ids.contains(ref) ? [ref] : ids.filter { $0.hasPrefix(ref) }
        guard !ref.isEmpty, let first = matches.first else { throw RuntimeError.notFound(ref) }
        guard matches.count == 1 else { throw RuntimeError.ambiguous(ref) }
        return try record(first)
    }

    private func record(_ id: String) throws -> ContainerRecord {
        try JSONDecoder().decode(ContainerRecord.self, from: Data(try Files.read("\(paths.containerData(id))/config.json")))
    }

    /// Names are claimed with symlink(2), which fails if the name exists: two concurrent
    /// runs cannot both get one, and no other container's record is read to check.
    private func claim(name: String, for id: String) throws {
        guard Runtime.isValidName(name) else { throw RuntimeError.invalidName(name) }
        try Files.createDirectory(paths.names)
        let link = "\(paths.names)/\(name)"
        guard try sys("symlink", link, tolerating: EEXIST, { symlink(id, link) }) != nil else {
            throw RuntimeError.nameInUse(name)
        }
    }

    private func release(name: String) {
        let link = "\(paths.names)/\(name)"
        _ = try? sys("unlink", link, tolerating: ENOENT) { unlink(link) }
    }

    /// Cleans up creations a crash interrupted between claiming a name starting with
    /// `prefix` and writing the record: the name is released, the directories go. Only
    /// for names whose creator is known to be gone (the kubelet, at start, for its own).
    public func removeInterruptedCreations(namePrefix prefix: String) {
        for name in ((try? Files.list(paths.names)) ?? []) where name.hasPrefix(prefix) {
            guard let id = Files.readLink("\(paths.names)/\(name)"), !Files.exists("\(paths.containerData(id))/config.json")
            else { continue }
            try? Files.removeTree(paths.containerState(id))
            try? Files.removeTree(paths.containerData(id))
            release(name: name)
        }
    }

    /// Docker's rule: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIIAlphanumeric else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || "_.-".unicodeScalars.contains($0) }
    }

    /// Running iff its cgroup still holds processes: cgroups are named by container ID,
    /// so unlike a pid this cannot be confused by pid reuse after a restart.
    public func status(of record: ContainerRecord) -> ContainerStatus {
        if let exit = readExit(record.id) { return .exited(exit) }
        guard let pidFile = try? Files.readString("\(paths.containerState(record.id))/pid") else { return .unknown }
        let fields = stateFields(pidFile)
        let running = ContainerStatus.running(pid: Int32(fields["pid"] ?? "") ?? 0, startedAt: fields["started"] ?? "")
        if let hierarchy = try? hierarchy(), !Cgroup(hierarchy: hierarchy, relativePath: record.cgroup).processes().isEmpty {
            return running
        }
        // The container has ended but its shim has not written the exit yet: still
        // running, as far as anyone may conclude (a restart now would be wrong).
        if let shim = fields["shim"].flatMap({ pid_t($0) }), Runtime.isShim(shim), readExit(record.id) == nil { return running }
        return readExit(record.id).map { .exited($0) } ?? .unknown
    }

    /// Waits (at most 5 s) until the container's shim has ended: it writes the exit
    /// status into the state directory after the container is gone, and removing that
    /// directory under it would race with the write.
    func waitForShim(_ record: ContainerRecord) {
        let fields = stateFields((try? Files.readString("\(paths.containerState(record.id))/pid")) ?? "")
        guard let shim = fields["shim"].flatMap({ pid_t($0) }) else { return }
        Runtime.waitForExit(shim: shim)
    }

    /// Waits (at most 5 s) until `shim` has ended, reaping it if it is our child (an
    /// unreaped one would otherwise look alive for the whole wait).
    static func waitForExit(shim: pid_t) {
        for _ in 0..<500 {
            var status: Int32 = 0
            if waitpid(shim, &status, WNOHANG) == shim || !isShim(shim) { return }
            usleep(10_000)
        }
    }

    /// Whether `pid` is a live swiftlet-shim (not a process that reused the pid).
    static func isShim(_ pid: pid_t) -> Bool {
        (try? Files.readString("/proc/\(pid)/comm"))?.trimmingWhitespace() == "swiftlet-shim"
    }

    private func readExit(_ id: String) -> ExitStatus? {
        (try? Files.readString("\(paths.containerState(id))/exit")).flatMap(ExitStatus.parse)
    }

    /// Removes an image unless a container (running or stopped) was created from it:
    /// its layers are that container's overlay lower directories.
    @discardableResult
    /// Manifest digests of the images containers were created from (running or not).
    public func imagesInUse() throws -> Set<String> {
        Set(try list().map(\.record.imageDigest))
    }

    public func removeImage(_ reference: String) throws -> [ImageRecord] {
        let image = try images.find(reference).record
        if let user = try list().first(where: { $0.record.imageDigest == image.manifestDigest }) {
            throw RuntimeError.imageInUse(image: image.displayName, container: user.record.name)
        }
        return try images.remove(reference)
    }

    /// Asks a running container's shim to reopen its log file (after the kubelet has
    /// renamed it away, for rotation). Returns false when there is no shim to ask: the
    /// container has ended and nothing writes its log any more.
    @discardableResult
    public func reopenLog(_ record: ContainerRecord) throws -> Bool {
        let fields = stateFields((try? Files.readString("\(paths.containerState(record.id))/pid")) ?? "")
        guard let shim = fields["shim"].flatMap({ pid_t($0) }), Runtime.isShim(shim) else { return false }
        let pidfd = try sys("pidfd_open", "shim \(shim)") { swl_pidfd_open(shim, 0) }
        defer { close(pidfd) }
        try sys("pidfd_send_signal", "shim \(shim)") { swl_pidfd_send_signal(pidfd, SIGHUP, nil, 0) }
        return true
    }

    // MARK: - Stop and remove

    /// Asks the shim to stop the container: SIGTERM, then cgroup.kill after `grace`
    /// seconds. Waits until the container has exited. Without a live shim (it was
    /// killed), the cgroup is killed directly.
    public func stop(_ record: ContainerRecord, grace: Int? = nil) throws {
        guard case .running = status(of: record) else { return }
        let grace = grace ?? record.spec.stopGraceSeconds
        let fields = stateFields((try? Files.readString("\(paths.containerState(record.id))/pid")) ?? "")
        let group = Cgroup(hierarchy: try hierarchy(), relativePath: record.cgroup)
        if let shim = fields["shim"].flatMap({ pid_t($0) }), let pidfd = try? sys("pidfd_open", "shim \(shim)", { swl_pidfd_open(shim, 0) }) {
            defer { close(pidfd) }
            try sys("pidfd_send_signal", "shim \(shim)") { swl_pidfd_sigqueue(pidfd, SIGTERM, Int32(grace)) }
            // The shim exits after it has recorded the container's exit.
            var poll = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
            _ = try sys("poll", "shim \(shim)") { Glibc.poll(&poll, 1, Int32((grace + 5) * 1000)) }
        } else {
            try group.kill()
        }
        var waited = 0
        while !group.processes().isEmpty, waited < 5000 {
            usleep(10_000)
            waited += 10
        }
    }

    /// Removes a stopped container (or, with `force`, kills it first): its cgroup,
    /// state, writable layer and log.
    public func remove(_ record: ContainerRecord, force: Bool) throws {
        let group = Cgroup(hierarchy: try hierarchy(), relativePath: record.cgroup)
        switch status(of: record) {
        case .running:
            guard force else { throw RuntimeError.stillRunning(record.name) }
            try group.kill()
            waitForShim(record)
        case .unknown:
            // Possibly a start still under way: whatever is in the cgroup goes with it.
            if Files.exists(group.path) { try group.kill() }
        case .exited:
            break
        }
        try group.remove()
        try Files.removeTree(paths.containerState(record.id))
        try Files.removeTree(paths.containerData(record.id))
        release(name: record.name)
    }

    // MARK: - Helpers

    static func capabilities(_ spec: ContainerSpec) throws -> CapabilitySet {
        let all = try CapabilitySet.grantable()
        return spec.privileged ? all : try CapabilitySet.containerDefault.applying(add: spec.capAdd, drop: spec.capDrop, all: all)
    }

    /// The compiled filter (cached) of RuntimeDefault or of a Localhost profile file, or
    /// nil for Unconfined and privileged.
    func seccompProgram(_ spec: ContainerSpec, capabilities: CapabilitySet) throws -> String? {
        if spec.privileged { return nil }
        let profile: SeccompProfile
        switch spec.seccomp {
        case .unconfined: return nil
        case .runtimeDefault: profile = .runtimeDefault(capabilities: capabilities)
        case .localhost: profile = try SeccompProfileFile.load(spec.seccompProfilePath ?? "", capabilities: capabilities)
        }
        return try SeccompCache.compiledProfile(profile, cacheDir: paths.seccompCache)
    }

    static func limits(_ spec: ContainerSpec) -> CgroupLimits {
        var limits = CgroupLimits()
        limits.memoryMax = spec.memoryLimitBytes
        // As Docker does: with a memory limit and no swap setting, no swap beyond it.
        if spec.memoryLimitBytes != nil { limits.memorySwapMax = 0 }
        if let cpus = spec.cpus { limits.cpuMax = (quota: Int64((cpus * 100_000).rounded()), period: 100_000) }
        limits.cpuWeight = spec.cpuWeight
        limits.pidsMax = spec.pidsLimit
        return limits
    }

    /// Image Env, then the caller's, a later `KEY=` replacing an earlier one in place.
    static func mergeEnvironment(image: [String], overrides: [String]) -> [String] {
        var out = image
        if !out.contains(where: { $0.hasPrefix("PATH=") }) {
            out.insert("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", at: 0)
        }
        for entry in overrides {
            let key = entry.split(separator: "=", maxSplits: 1).first.map { $0 + "=" } ?? entry
            if let i = out.firstIndex(where: { $0.hasPrefix(key) }) { out[i] = entry } else { out.append(entry) }
        }
        return out
    }

    /// The container's uid, gid and supplementary groups: its user's, then the spec's own.
    func resolveUser(_ spec: ContainerSpec, image: ResolvedImage) throws -> (UInt32, UInt32, [UInt32]) {
        var (uid, gid, groups) = try resolveUser(spec.user ?? image.config.user ?? "", layers: image.layerDirectories)
        for group in spec.supplementalGroups ?? [] where !groups.contains(group) { groups.append(group) }
        return (uid, gid, groups)
    }

    /// Resolves `USER[:GROUP]` (names or numbers) against the image's /etc/passwd and
    /// /etc/group, read from the topmost layer that has them, confined to that layer.
    func resolveUser(_ user: String, layers: [String]) throws -> (UInt32, UInt32, [UInt32]) {
        if user.isEmpty { return (0, 0, []) }
        let parts = user.split(separator: ":", maxSplits: 1).map(String.init)
        let passwd = Runtime.readFromLayers("etc/passwd", layers: layers)
        let groupFile = Runtime.readFromLayers("etc/group", layers: layers)
        var uid: UInt32
        var gid: UInt32 = 0
        var userName: String?
        if let n = UInt32(parts[0]) {
            uid = n
            if let entry = Runtime.passwdEntry(passwd, matching: { $0[2] == parts[0] }) {
                gid = UInt32(entry[3]) ?? 0
                userName = entry[0]
            }
        } else {
            guard let entry = Runtime.passwdEntry(passwd, matching: { $0[0] == parts[0] }) else {
                throw RuntimeError.unknownUser(parts[0])
            }
            uid = UInt32(entry[2]) ?? 0
            gid = UInt32(entry[3]) ?? 0
            userName = entry[0]
        }
        if parts.count == 2 {
            if let n = UInt32(parts[1]) {
                gid = n
            } else if let entry = Runtime.passwdEntry(groupFile, matching: { $0[0] == parts[1] }) {
                gid = UInt32(entry[2]) ?? 0
            } else {
                throw RuntimeError.unknownUser(user)
            }
        }
        var groups: [UInt32] = []
        if let userName {
            for line in groupFile.split(separator: "\n") {
                let f = line.split(separator: ":", omittingEmptySubsequences: false)
                if f.count >= 4, f[3].split(separator: ",").contains(Substring(userName)), let g = UInt32(f[2]) {
                    groups.append(g)
                }
            }
        }
        return (uid, gid, groups)
    }

    static func passwdEntry(_ text: String, matching: ([String]) -> Bool) -> [String]? {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if fields.count >= 4, matching(fields) { return fields }
        }
        return nil
    }

    /// Reads a file from the topmost layer holding it, resolved inside that layer.
    static func readFromLayers(_ path: String, layers: [String]) -> String {
        for layer in layers.reversed() {
            guard let dir = try? FileDescriptor.open(layer, O_RDONLY | O_DIRECTORY),
                  let file = try? dir.open(path, O_RDONLY, resolve: UInt64(RESOLVE_IN_ROOT)),
                  let st = try? file.stat(), (st.st_mode & S_IFMT) == S_IFREG,
                  let bytes = try? file.readAll() else { continue }
            return String(decoding: bytes, as: UTF8.self)
        }
        return ""
    }

    static func hostsFile(hostname: String) -> String {
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t\(hostname)\n"
    }

    static func hostResolvConf() -> String {
        (try? Files.readString("/etc/resolv.conf")) ?? ""
    }

    /// 64 random hex digits, as Docker and containerd name containers.
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return hexString((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}

extension Unicode.Scalar {
    var isASCIIAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}
