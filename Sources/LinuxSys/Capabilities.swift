import Glibc

/// One Linux capability (capabilities(7)), by number. Names are the kernel's, with
/// the `CAP_` prefix: `Capability.netAdmin.name == "CAP_NET_ADMIN"`.
public struct Capability: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let number: Int

    /// Any number the 64-bit masks can hold; numbers above `lastKnown` print as `CAP_<n>`.
    public init?(number: Int) {
        guard (0..<64).contains(number) else { return nil }
        self.number = number
    }

    private init(_ number: Int) { self.number = number }

    /// The kernel's name, `CAP_CHOWN` …; `CAP_41` for a number newer than this table.
    public var name: String {
        number < Capability.names.count ? "CAP_" + Capability.names[number] : "CAP_\(number)"
    }

    public var description: String { name }

    /// The bit of this capability in a `CapabilitySet`.
    public var mask: UInt64 { 1 << UInt64(number) }

    public static func < (a: Capability, b: Capability) -> Bool { a.number < b.number }

    /// Parses `NET_ADMIN`, `CAP_NET_ADMIN` or `net_admin` (surrounding blanks ignored).
    /// `ALL` is not a capability: use `CapabilitySet.parse` for lists that may hold it.
    public static func parse(_ text: String) throws(CapabilityError) -> Capability {
        var name = String(text.filter { $0 != " " && $0 != "\t" }).uppercased()
        if name.hasPrefix("CAP_") { name.removeFirst(4) }
        guard let number = names.firstIndex(of: name) else { throw CapabilityError.unknown(text) }
        return Capability(number)
    }

    /// The names without `CAP_`, indexed by number (include/uapi/linux/capability.h).
    public static let names: [String] = [
        "CHOWN",              // 0
        "DAC_OVERRIDE",       // 1
        "DAC_READ_SEARCH",    // 2
        "FOWNER",             // 3
        "FSETID",             // 4
        "KILL",               // 5
        "SETGID",             // 6
        "SETUID",             // 7
        "SETPCAP",            // 8
        "LINUX_IMMUTABLE",    // 9
        "NET_BIND_SERVICE",   // 10
        "NET_BROADCAST",      // 11
        "NET_ADMIN",          // 12
        "NET_RAW",            // 13
        "IPC_LOCK",           // 14
        "IPC_OWNER",          // 15
        "SYS_MODULE",         // 16
        "SYS_RAWIO",          // 17
        "SYS_CHROOT",         // 18
        "SYS_PTRACE",         // 19
        "SYS_PACCT",          // 20
        "SYS_ADMIN",          // 21
        "SYS_BOOT",           // 22
        "SYS_NICE",           // 23
        "SYS_RESOURCE",       // 24
        "SYS_TIME",           // 25
        "SYS_TTY_CONFIG",     // 26
        "MKNOD",              // 27
        "LEASE",              // 28
        "AUDIT_WRITE",        // 29
        "AUDIT_CONTROL",      // 30
        "SETFCAP",            // 31
        "MAC_OVERRIDE",       // 32
        "MAC_ADMIN",          // 33
        "SYSLOG",             // 34
        "WAKE_ALARM",         // 35
        "BLOCK_SUSPEND",      // 36
        "AUDIT_READ",         // 37
        "PERFMON",            // 38
        "BPF",                // 39
        "CHECKPOINT_RESTORE", // 40
    ]

    /// The highest capability number this table names (CAP_CHECKPOINT_RESTORE).
    public static let lastKnown = names.count - 1

    /// Every capability this table names, in number order.
    public static let allKnown: [Capability] = (0...lastKnown).map(Capability.init)

    public static let chown = Capability(0)
    public static let dacOverride = Capability(1)
    public static let dacReadSearch = Capability(2)
    public static let fowner = Capability(3)
    public static let fsetid = Capability(4)
    public static let kill = Capability(5)
    public static let setgid = Capability(6)
    public static let setuid = Capability(7)
    public static let setpcap = Capability(8)
    public static let linuxImmutable = Capability(9)
    public static let netBindService = Capability(10)
    public static let netBroadcast = Capability(11)
    public static let netAdmin = Capability(12)
    public static let netRaw = Capability(13)
    public static let ipcLock = Capability(14)
    public static let ipcOwner = Capability(15)
    public static let sysModule = Capability(16)
    public static let sysRawio = Capability(17)
    public static let sysChroot = Capability(18)
    public static let sysPtrace = Capability(19)
    public static let sysPacct = Capability(20)
    public static let sysAdmin = Capability(21)
    public static let sysBoot = Capability(22)
    public static let sysNice = Capability(23)
    public static let sysResource = Capability(24)
    public static let sysTime = Capability(25)
    public static let sysTtyConfig = Capability(26)
    public static let mknod = Capability(27)
    public static let lease = Capability(28)
    public static let auditWrite = Capability(29)
    public static let auditControl = Capability(30)
    public static let setfcap = Capability(31)
    public static let macOverride = Capability(32)
    public static let macAdmin = Capability(33)
    public static let syslog = Capability(34)
    public static let wakeAlarm = Capability(35)
    public static let blockSuspend = Capability(36)
    public static let auditRead = Capability(37)
    public static let perfmon = Capability(38)
    public static let bpf = Capability(39)
    public static let checkpointRestore = Capability(40)
}

/// A capability name that is not one (`unknown capability "FOO"`).
public enum CapabilityError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknown(String)

    public var description: String {
        switch self {
        case .unknown(let name): return "unknown capability \"\(name)\""
        }
    }
}

/// A set of capabilities as the kernel's 64-bit mask (bit n = capability n), the form
/// the setup plan's `caps` directive and capset(2) take.
public struct CapabilitySet: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public init<S: Sequence>(_ capabilities: S) where S.Element == Capability {
        self.rawValue = capabilities.reduce(0) { $0 | $1.mask }
    }

    /// Docker's and containerd's 14 default capabilities: CHOWN DAC_OVERRIDE FSETID FOWNER
    /// MKNOD NET_RAW SETGID SETUID SETFCAP SETPCAP NET_BIND_SERVICE SYS_CHROOT KILL
    /// AUDIT_WRITE (= 0x00000000a80425fb).
    public static let containerDefault = CapabilitySet([
        .chown, .dacOverride, .fsetid, .fowner, .mknod, .netRaw, .setgid, .setuid,
        .setfcap, .setpcap, .netBindService, .sysChroot, .kill, .auditWrite,
    ])

    /// Another name for `containerDefault`.

    /// Every capability numbered 0 … `lastCap`.
    public static func all(lastCap: Int) -> CapabilitySet {
        let last = min(max(lastCap, -1), 63)
        if last == 63 { return CapabilitySet(rawValue: .max) }
        return CapabilitySet(rawValue: (UInt64(1) << UInt64(last + 1)) - 1)
    }

    /// The kernel's highest capability, from /proc/sys/kernel/cap_last_cap.
    public static func kernelLastCap(procRoot: String = "/proc") throws -> Int {
        let path = "\(procRoot)/sys/kernel/cap_last_cap"
        let text = try Files.readString(path).filter { !$0.isWhitespace }
        guard let value = Int(text), (0..<64).contains(value) else {
            throw SystemError("parse", path, errno: EINVAL)
        }
        return value
    }

    /// Every capability this kernel has: what a privileged container gets.
    public static func kernelAll(procRoot: String = "/proc") throws -> CapabilitySet {
        all(lastCap: try kernelLastCap(procRoot: procRoot))
    }

    /// What this process can hand to a container: every capability the kernel knows,
    /// limited by our own bounding set (a runtime that itself runs confined, as under
    /// some supervisors, cannot grant what it lacks: capset would fail).
    public static func grantable(procRoot: String = "/proc") throws -> CapabilitySet {
        let all = try kernelAll(procRoot: procRoot)
        let status = try Files.readString("\(procRoot)/self/status")
        for line in status.split(separator: "\n") where line.hasPrefix("CapBnd:") {
            let hex = line.dropFirst("CapBnd:".count).filter { !$0.isWhitespace }
            if let bounding = UInt64(hex, radix: 16) { return all.intersection(CapabilitySet(rawValue: bounding)) }
        }
        return all
    }

    public func contains(_ capability: Capability) -> Bool { rawValue & capability.mask != 0 }

    public mutating func insert(_ capability: Capability) { rawValue |= capability.mask }

    public mutating func remove(_ capability: Capability) { rawValue &= ~capability.mask }

    /// The members in number order.
    public var capabilities: [Capability] {
        (0..<64).compactMap { rawValue & (1 << UInt64($0)) != 0 ? Capability(number: $0) : nil }
    }

    /// `["CAP_CHOWN", …]` in number order (the OCI spelling).
    public var names: [String] { capabilities.map(\.name) }

    /// `0x00000000a80425fb`: sixteen hex digits, as the setup plan writes masks.
    public var hex: String {
        let digits = String(rawValue, radix: 16)
        return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
    }

    public var description: String { "\(hex) [\(names.joined(separator: " "))]" }

    /// Parses a list of names (`NET_ADMIN`, `CAP_NET_ADMIN`, `net_admin`); `ALL` stands
    /// for `all`.
    public static func parse<S: Sequence>(_ names: S, all: CapabilitySet) throws(CapabilityError) -> CapabilitySet
    where S.Element == String {
        var set: CapabilitySet = []
        for name in names {
            if isAll(name) { set.formUnion(all) } else { set.insert(try Capability.parse(name)) }
        }
        return set
    }

    /// A container's capabilities from a base set and a securityContext's `add`/`drop`,
    /// in the order the CRI applies them (containerd's WithCapabilities): `add: [ALL]`
    /// first makes the set `all`, then `drop: [ALL]` empties it, then each named `add` is
    /// added, then each named `drop` removed. So `drop: [ALL], add: [NET_BIND_SERVICE]`
    /// leaves only NET_BIND_SERVICE, `add: [ALL], drop: [CHOWN]` is everything but CHOWN,
    /// and a capability both added and dropped by name is dropped. The result is limited
    /// to `all` (what the kernel has), as runc ignores capabilities the kernel lacks.
    /// Any name that is not a capability is an error.
    public func applying(add: [String], drop: [String], all: CapabilitySet) throws(CapabilityError) -> CapabilitySet {
        var set = self
        if add.contains(where: CapabilitySet.isAll) { set = all }
        if drop.contains(where: CapabilitySet.isAll) { set = [] }
        for name in add where !CapabilitySet.isAll(name) { set.insert(try Capability.parse(name)) }
        for name in drop where !CapabilitySet.isAll(name) { set.remove(try Capability.parse(name)) }
        return set.intersection(all)
    }

    private static func isAll(_ name: String) -> Bool {
        name.filter { $0 != " " && $0 != "\t" }.uppercased() == "ALL"
    }
}
