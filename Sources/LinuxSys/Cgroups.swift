import CLinux
import Glibc

/// The cgroup v2 hierarchy Swiftlet works in: `/sys/fs/cgroup` on a pure v2 host, or the
/// `unified` mount of a hybrid host, whose cgroup2 usually has no controllers because
/// they are bound to v1 hierarchies. Swiftlet never touches v1 hierarchies.
public struct CgroupHierarchy: Sendable, Equatable {
    /// Mount point of the cgroup2 file system.
    public let mountPoint: String
    /// True when cgroup v1 hierarchies are mounted beside it (hybrid layout).
    public let hybrid: Bool
    /// Controllers the root of the hierarchy offers (`cgroup.controllers`).
    public let controllers: Set<String>

    public init(mountPoint: String, hybrid: Bool, controllers: Set<String>) {
        self.mountPoint = mountPoint
        self.hybrid = hybrid
        self.controllers = controllers
    }

    /// Finds the cgroup2 mount from /proc/self/mountinfo.
    public static func detect(mountInfo: String? = nil) throws -> CgroupHierarchy {
        let text = try mountInfo ?? Files.readString("/proc/self/mountinfo")
        guard let mount = parseMountInfo(text) else {
            throw CgroupError.noHierarchy
        }
        let controllers = (try? Files.readString("\(mount.mountPoint)/cgroup.controllers")) ?? ""
        return CgroupHierarchy(mountPoint: mount.mountPoint, hybrid: mount.hybrid,
                               controllers: Set(controllers.split(whereSeparator: \.isWhitespace).map(String.init)))
    }

    /// Pure parse of mountinfo: the cgroup2 mount point (preferring /sys/fs/cgroup), and
    /// whether any v1 `cgroup` mounts exist.
    public static func parseMountInfo(_ text: String) -> (mountPoint: String, hybrid: Bool)? {
        var cgroup2: [String] = []
        var hybrid = false
        for line in text.split(separator: "\n") {
            // Fields: id parent major:minor root mountpoint options [optional...] - fstype source super
            let fields = line.split(separator: " ")
            guard let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count, fields.count > 4 else { continue }
            switch fields[dash + 1] {
            case "cgroup2": cgroup2.append(unescapeMountPath(String(fields[4])))
            case "cgroup": hybrid = true
            default: break
            }
        }
        guard let chosen = cgroup2.first(where: { $0 == "/sys/fs/cgroup" }) ?? cgroup2.first else { return nil }
        return (chosen, hybrid)
    }

    /// mountinfo escapes space, tab, newline and backslash as octal (`\040`).
    static func unescapeMountPath(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out: [UInt8] = []
        let bytes = Array(s.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\"), i + 3 < bytes.count,
               let v = UInt8(String(decoding: bytes[(i + 1)...(i + 3)], as: UTF8.self), radix: 8) {
                out.append(v)
                i += 4
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public func path(_ relative: String) -> String {
        relative.isEmpty ? mountPoint : "\(mountPoint)/\(relative)"
    }
}

public enum CgroupError: Error, CustomStringConvertible, Equatable {
    case noHierarchy
    case busy(String)

    public var description: String {
        switch self {
        case .noHierarchy: "no cgroup v2 hierarchy is mounted (looked for cgroup2 in /proc/self/mountinfo)"
        case .busy(let path): "cgroup \(path) still has processes"
        }
    }
}

/// Resource limits in cgroup v2 terms. `nil` leaves the kernel default (no limit).
public struct CgroupLimits: Sendable, Equatable {
    public var memoryMax: Int64?
    public var memorySwapMax: Int64?
    /// cpu.max: quota and period in microseconds.
    public var cpuMax: (quota: Int64, period: Int64)?
    public var cpuWeight: Int?
    public var pidsMax: Int64?
    /// io.max lines: `MAJ:MIN rbps=… wbps=… riops=… wiops=…`.
    public var ioMax: [String]

    public init(memoryMax: Int64? = nil, memorySwapMax: Int64? = nil, cpuMax: (quota: Int64, period: Int64)? = nil,
                cpuWeight: Int? = nil, pidsMax: Int64? = nil, ioMax: [String] = []) {
        self.memoryMax = memoryMax
        self.memorySwapMax = memorySwapMax
        self.cpuMax = cpuMax
        self.cpuWeight = cpuWeight
        self.pidsMax = pidsMax
        self.ioMax = ioMax
    }

    public static func == (a: CgroupLimits, b: CgroupLimits) -> Bool {
        a.memoryMax == b.memoryMax && a.memorySwapMax == b.memorySwapMax && a.cpuMax?.quota == b.cpuMax?.quota
            && a.cpuMax?.period == b.cpuMax?.period && a.cpuWeight == b.cpuWeight && a.pidsMax == b.pidsMax
            && a.ioMax == b.ioMax
    }

    /// The interface files to write, in order, with the controller each needs. A pure
    /// value, so the mapping is unit-tested without a cgroup.
    public var files: [(controller: String, file: String, value: String)] {
        var out: [(String, String, String)] = []
        if let m = memoryMax { out.append(("memory", "memory.max", String(m))) }
        if let s = memorySwapMax { out.append(("memory", "memory.swap.max", String(s))) }
        if let c = cpuMax { out.append(("cpu", "cpu.max", "\(c.quota) \(c.period)")) }
        if let w = cpuWeight { out.append(("cpu", "cpu.weight", String(w))) }
        if let p = pidsMax { out.append(("pids", "pids.max", String(p))) }
        for line in ioMax { out.append(("io", "io.max", line)) }
        return out
    }

    public var controllers: Set<String> { Set(files.map(\.controller)) }
}

/// A limit the host cannot enforce, with the reason, reported once to the user.
public struct UnenforcedLimit: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let value: String
    public let controller: String
    public let hierarchy: String

    public var description: String {
        "\(file)=\(value) is not enforced: the \(controller) controller is not available in the cgroup v2 hierarchy at \(hierarchy) (on a hybrid host it is bound to cgroup v1)"
    }
}

/// Usage figures read from a cgroup; `nil` where the controller's files are absent.
public struct CgroupStats: Sendable, Equatable {
    public var memoryCurrent: Int64?
    public var oomKills: Int64?
    public var cpuUsageMicros: Int64?
    public var cpuThrottledMicros: Int64?
    public var pidsCurrent: Int64?
}

/// One cgroup v2 directory.
public struct Cgroup: Sendable, Equatable {
    public let hierarchy: CgroupHierarchy
    /// Path relative to the hierarchy's mount point, e.g. `swiftlet/c1`.
    public let relativePath: String

    public init(hierarchy: CgroupHierarchy, relativePath: String) {
        self.hierarchy = hierarchy
        self.relativePath = relativePath
    }

    public var path: String { hierarchy.path(relativePath) }

    /// Creates the cgroup and its missing ancestors, enabling in each ancestor's
    /// `cgroup.subtree_control` the `wanted` controllers that are available there, so
    /// that limits work at the leaf. Processes live only in leaves (cgroup v2's "no
    /// internal processes" rule), so ancestors created here stay empty.
    /// Returns the controllers actually enabled for the new cgroup.
    @discardableResult
    public func create(enabling wanted: Set<String>) throws -> Set<String> {
        var current = hierarchy.mountPoint
        var enabled = wanted
        for component in relativePath.split(separator: "/") {
            let available = Cgroup.readControllers("\(current)/cgroup.controllers")
            enabled = enabled.intersection(available)
            let subtree = Cgroup.readControllers("\(current)/cgroup.subtree_control")
            let missing = enabled.subtracting(subtree).sorted()
            if !missing.isEmpty {
                let request = missing.map { "+\($0)" }.joined(separator: " ")
                try Cgroup.write("\(current)/cgroup.subtree_control", request)
            }
            current += "/\(component)"
            try sys("mkdir", current, tolerating: EEXIST) { mkdir(current, 0o755) }
        }
        return enabled
    }

    /// Writes the limits; those whose controller is not enabled here are returned
    /// instead of failing, for the caller to report.
    public func apply(_ limits: CgroupLimits) throws -> [UnenforcedLimit] {
        let enabled = Cgroup.readControllers("\(path)/cgroup.controllers")
        var unenforced: [UnenforcedLimit] = []
        for (controller, file, value) in limits.files {
            guard enabled.contains(controller) else {
                unenforced.append(UnenforcedLimit(file: file, value: value, controller: controller,
                                                  hierarchy: hierarchy.mountPoint))
                continue
            }
            try Cgroup.write("\(path)/\(file)", value)
        }
        return unenforced
    }

    public func stats() -> CgroupStats {
        var s = CgroupStats()
        s.memoryCurrent = readInt("memory.current")
        s.oomKills = readKeyed("memory.events", "oom_kill")
        s.cpuUsageMicros = readKeyed("cpu.stat", "usage_usec")
        s.cpuThrottledMicros = readKeyed("cpu.stat", "throttled_usec")
        s.pidsCurrent = readInt("pids.current")
        return s
    }

    public func processes() -> [pid_t] {
        guard let text = try? Files.readString("\(path)/cgroup.procs") else { return [] }
        return text.split(separator: "\n").compactMap { pid_t($0) }
    }

    /// Kills every process in the cgroup (and its descendants) with `cgroup.kill`
    /// (Linux 5.14+), falling back to SIGKILL for each pid in `cgroup.procs`.
    public func kill() throws {
        if Files.exists("\(path)/cgroup.kill") {
            try Cgroup.write("\(path)/cgroup.kill", "1")
            return
        }
        for pid in processes() { try sys("kill", "pid \(pid) of \(path)", tolerating: ESRCH) { Glibc.kill(pid, SIGKILL) } }
    }

    /// Removes the cgroup, waiting up to `timeoutMillis` for its processes to go.
    public func remove(timeoutMillis: Int = 2000) throws {
        var waited = 0
        while true {
            do {
                try sys("rmdir", path, tolerating: ENOENT) { rmdir(path) }
                return
            } catch {
                // EBUSY: the last processes are still exiting.
                guard error.errno == EBUSY, waited < timeoutMillis else { throw error }
                usleep(10_000)
                waited += 10
            }
        }
    }

    private func readInt(_ file: String) -> Int64? {
        guard let text = try? Files.readString("\(path)/\(file)") else { return nil }
        return Int64(text.trimmingWhitespace())
    }

    private func readKeyed(_ file: String, _ key: String) -> Int64? {
        guard let text = try? Files.readString("\(path)/\(file)") else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == key { return Int64(parts[1]) }
        }
        return nil
    }

    static func readControllers(_ file: String) -> Set<String> {
        guard let text = try? Files.readString(file) else { return [] }
        return Set(text.split(whereSeparator: \.isWhitespace).map(String.init))
    }

    /// Cgroup interface files take one write each; they are not atomically replaceable.
    static func write(_ file: String, _ value: String) throws {
        let fd = try FileDescriptor.open(file, O_WRONLY)
        try fd.write(Array(value.utf8))
    }
}

extension StringProtocol {
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
