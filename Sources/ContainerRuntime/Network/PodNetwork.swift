import Netlink

/// How pods get their network: `BridgeNetwork` (built in) or `CNINetwork` (plugins
/// from a CNI configuration). The runtime calls it for each sandbox with a network
/// namespace of its own.
public protocol PodNetwork: Sendable {
    /// The pods' address range: traffic from it that leaves it is masqueraded.
    var podCIDR: IPv4Network { get }
    /// Connects the namespace bound at `netnsPath` and returns the pod's address.
    /// Connecting a pod again (after a restart) keeps its address. On failure nothing
    /// of this call is left.
    func connect(podID: String, netnsPath: String) throws -> IPv4Address
    /// Undoes `connect`; a half-done or repeated one too, and `netnsPath` may be gone.
    func disconnect(podID: String, netnsPath: String) throws
    /// Removes what connections interrupted before their sandbox was recorded left
    /// behind, for every pod not in `podIDs`.
    func removeOrphans(keeping podIDs: Set<String>)
}

extension BridgeNetwork: PodNetwork {
    public var podCIDR: IPv4Network { ipam.network }

    public func connect(podID: String, netnsPath: String) throws -> IPv4Address {
        try attach(podID: podID, netnsPath: netnsPath).ip
    }

    public func disconnect(podID: String, netnsPath: String) throws {
        try detach(podID: podID, netnsPath: netnsPath)
    }

    public func removeOrphans(keeping podIDs: Set<String>) {
        removeOrphanedVeths(keeping: podIDs)
    }
}
