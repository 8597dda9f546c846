import Glibc
import LinuxSys
import Netlink

/// What a pod's network looks like after `BridgeNetwork.attach`.
public struct PodNetworkInfo: Equatable, Sendable {
    public var ip: IPv4Address
    public var prefixLength: Int
    public var gateway: IPv4Address
    /// The host end of the pod's veth pair, enslaved to the bridge.
    public var hostVeth: String
}

/// The default pod network: one Linux bridge holding the gateway address, and per pod
/// a veth pair whose pod end is created inside the pod's network namespace, with an
/// address from host-local IPAM and a default route via the gateway. Everything is
/// programmed over rtnetlink in the namespace of the calling thread (the host's).
public struct BridgeNetwork: Sendable {
    public static let defaultCIDR = IPv4Network("10.42.0.0/16")!

    public let bridgeName: String
    public let ipam: HostLocalIPAM

    public init(bridgeName: String = "swiftlet0", cidr: IPv4Network = BridgeNetwork.defaultCIDR, ipamDir: String) throws {
        self.bridgeName = bridgeName
        ipam = try HostLocalIPAM(network: cidr, directory: ipamDir)
    }

    /// The host end's name: `veth` and 8 hex digits of a hash of the pod ID, stable
    /// across restarts so that detach finds it without any saved state.
    public static func hostVethName(for podID: String) -> String {
        // FNV-1a: stable across processes, unlike Hasher.
        var hash: UInt32 = 0x811c_9dc5
        for byte in podID.utf8 { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        let hex = String(hash, radix: 16)
        return "veth" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// Connects the namespace bound at `netnsPath` to the bridge as `ifName`. Attaching
    /// a pod again (after a restart) keeps its address and replaces its veth. If a step
    /// fails, what this call created is removed again before the error is thrown.
    public func attach(podID: String, netnsPath: String, ifName: String = "eth0") throws -> PodNetworkInfo {
        let host = try RouteNetlink()
        try ensureBridge(host)
        try enableForwarding()
        let (ip, isNew) = try ipam.claim(for: podID)
        let veth = Self.hostVethName(for: podID)
        var created = false
        do {
            // Left by an earlier attach of this pod; deleting it takes its peer too.
            try ignoring(ENODEV) { try host.deleteLink(veth) }
            try host.createVeth(veth, peer: ifName, peerNamespace: netnsPath)
            created = true
            try host.setMaster(veth, master: bridgeName)
            try host.setUp(veth)
            let pod = try RouteNetlink(namespace: netnsPath)
            try pod.setUp(ifName)
            try pod.addAddress(ip, prefixLength: ipam.network.prefixLength, to: ifName)
            try pod.addRoute(via: ipam.gateway)
        } catch {
            if created { try? ignoring(ENODEV) { try host.deleteLink(veth) } }
            if isNew { try? ipam.release(podID: podID) }
            throw error
        }
        return PodNetworkInfo(ip: ip, prefixLength: ipam.network.prefixLength, gateway: ipam.gateway, hostVeth: veth)
    }

    /// Undoes `attach`: deletes the host veth (its peer in the pod goes with it) and
    /// releases the address. Either may be gone already, and `netnsPath` may no longer
    /// exist: nothing inside the pod's namespace needs undoing.
    public func detach(podID: String, netnsPath: String) throws {
        try ignoring(ENODEV) { try RouteNetlink().deleteLink(Self.hostVethName(for: podID)) }
        try ipam.release(podID: podID)
    }

    /// Deletes the bridge's veths that belong to no pod in `podIDs` (with their pod
    /// ends): what an attach interrupted before its sandbox was recorded can leave. Only
    /// ports of this bridge named as `attach` names them are touched.
    public func removeOrphanedVeths(keeping podIDs: Set<String>) {
        guard let host = try? RouteNetlink(), let bridge = try? host.linkIndexIfPresent(bridgeName) else { return }
        let kept = Set(podIDs.map(Self.hostVethName(for:)))
        // This network namespace's interfaces (/proc/self/net is per namespace; /sys may not be).
        let names = ((try? Files.readString("/proc/self/net/dev")) ?? "").split(separator: "\n").dropFirst(2)
            .compactMap { $0.split(separator: ":").first?.trimmingCharacters(in: .whitespaces) }
        for name in names where name.hasPrefix("veth") && !kept.contains(name) {
            guard (try? host.link(name))?.master == bridge else { continue }
            try? ignoring(ENODEV) { try host.deleteLink(name) }
        }
    }

    /// Creates the bridge with the gateway address and sets it up. Every step tolerates
    /// having been done already, by us or by a concurrent attach.
    private func ensureBridge(_ host: RouteNetlink) throws {
        try ignoring(EEXIST) { try host.createBridge(bridgeName) }
        try ignoring(EEXIST) { try host.addAddress(ipam.gateway, prefixLength: ipam.network.prefixLength, to: bridgeName) }
        try host.setUp(bridgeName)
    }

    /// Pods reach beyond the bridge only through the host's routing (per namespace).
    private func enableForwarding() throws {
        let path = "/proc/sys/net/ipv4/ip_forward"
        if (try? Files.readString(path)) == "1\n" { return }
        try FileDescriptor.open(path, O_WRONLY).write(Array("1\n".utf8))
    }
}

/// Runs `body`, treating a `SystemError` with `code` as success.
private func ignoring(_ code: Int32, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as SystemError where error.errno == code {}
}
