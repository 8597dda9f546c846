import Glibc
import LinuxSys
import Netlink

/// A pod network failure that is not a failed system call: a CIDR with no room for
/// pods, an exhausted range.
public struct PodNetworkError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Host-local IP address management for one pod CIDR, kept on disk the way CNI's
/// host-local plugin keeps it: `<directory>/<ip>` holds the pod ID that owns the
/// address (created with O_EXCL), `<directory>/last_reserved_ip` where the next search
/// starts (addresses are handed out round-robin, so a released one is not reused at
/// once), and `<directory>/lock`, flock'ed around every change so that processes
/// sharing the directory never hand out one address twice.
///
/// The network address, the gateway (the first host address, which the bridge holds)
/// and the broadcast address are never given to a pod.
public struct HostLocalIPAM: Sendable {
    public let network: IPv4Network
    public let directory: String

    public init(network: IPv4Network, directory: String) throws {
        // A /31 or /32 leaves no address beside the gateway.
        guard network.prefixLength <= 30 else {
            throw PodNetworkError("pod CIDR \(network) has no room for pods (at most /30)")
        }
        self.network = network
        self.directory = directory
    }

    public var gateway: IPv4Address { IPv4Address(network.address.value + 1) }

    /// The addresses pods may get: after the gateway, before the broadcast address.
    public var range: ClosedRange<IPv4Address> {
        IPv4Address(network.address.value + 2)...IPv4Address(network.broadcast.value - 1)
    }

    /// The address after `address` in `range`, wrapping to its start.
    public static func next(after address: IPv4Address, in range: ClosedRange<IPv4Address>) -> IPv4Address {
        range.contains(address) && address < range.upperBound ? IPv4Address(address.value + 1) : range.lowerBound
    }

    /// The address of `podID`: the one it holds already (across restarts), or a new one.
    public func allocate(for podID: String) throws -> IPv4Address {
        try claim(for: podID).address
    }

    /// `allocate`, also saying whether the address was newly given (so that a failed
    /// attach gives back only what it took).
    func claim(for podID: String) throws -> (address: IPv4Address, isNew: Bool) {
        guard !podID.isEmpty, !podID.contains(where: \.isNewline) else {
            throw PodNetworkError("invalid pod ID \(String(reflecting: podID)) for address allocation")
        }
        return try withLock {
            let owners = try allocations()
            if let held = owners.first(where: { $0.value == podID }) { return (held.key, false) }
            var candidate = Self.next(after: lastReserved() ?? range.upperBound, in: range)
            for _ in 0...(range.upperBound.value - range.lowerBound.value) {
                if owners[candidate] == nil, try reserve(candidate, for: podID) {
                    // Only a hint for the next search: losing it costs nothing.
                    try? Files.writeAtomically("\(directory)/last_reserved_ip", "\(candidate)", durable: false)
                    return (candidate, true)
                }
                candidate = Self.next(after: candidate, in: range)
            }
            throw PodNetworkError("no free address for pod \(podID) in \(network): all \(range.count) are allocated")
        }
    }

    /// Gives back the address of `podID`; a pod without one is no error.
    public func release(podID: String) throws {
        try withLock {
            for (address, owner) in try allocations() where owner == podID {
                try sys("unlink", path(of: address), tolerating: ENOENT) { unlink(path(of: address)) }
            }
        }
    }

    /// The address `podID` holds, if any.
    public func address(of podID: String) throws -> IPv4Address? {
        try withLock { try allocations().first(where: { $0.value == podID })?.key }
    }

    /// Every allocated address and its owner. Call with the lock held.
    private func allocations() throws -> [IPv4Address: String] {
        var owners: [IPv4Address: String] = [:]
        for name in try Files.list(directory) {
            guard let address = IPv4Address(name), network.contains(address) else { continue }
            // The first line: CNI's host-local writes the interface name on a second one.
            let owner = String(try Files.readString(path(of: address)).prefix(while: { !$0.isNewline }))
            if owner.isEmpty {
                // Created but never written: a crash between the two. Nobody holds it.
                try sys("unlink", path(of: address), tolerating: ENOENT) { unlink(path(of: address)) }
                continue
            }
            owners[address] = owner
        }
        return owners
    }

    /// Creates `<directory>/<address>` for `podID`; false if another owner has it.
    private func reserve(_ address: IPv4Address, for podID: String) throws -> Bool {
        let path = path(of: address)
        guard let raw = try sys("open", path, tolerating: EEXIST, {
            open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }) else { return false }
        let fd = FileDescriptor(raw: raw, name: path)
        do {
            try fd.write(Array(podID.utf8))
            try fd.close()
        } catch {
            _ = unlink(path)
            throw error
        }
        return true
    }

    private func lastReserved() -> IPv4Address? {
        (try? Files.readString("\(directory)/last_reserved_ip"))
            .flatMap { $0.split(whereSeparator: \.isWhitespace).first }.flatMap { IPv4Address($0) }
    }

    private func path(of address: IPv4Address) -> String { "\(directory)/\(address)" }

    /// Runs `body` holding `<directory>/lock`. flock locks belong to the open file, so
    /// threads of one process exclude each other as processes do.
    private func withLock<T>(_ body: () throws -> T) throws -> T {
        try Files.createDirectory(directory, mode: 0o700)
        let path = "\(directory)/lock"
        let fd = try FileDescriptor.open(path, O_RDWR | O_CREAT, mode: 0o600)
        try sys("flock", path) { flock(fd.raw, LOCK_EX) }
        defer { try? fd.close() }
        return try body()
    }
}

extension ClosedRange where Bound == IPv4Address {
    var count: Int { Int(upperBound.value - lowerBound.value) + 1 }
}
