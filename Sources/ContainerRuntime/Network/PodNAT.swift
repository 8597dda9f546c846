import CLinux
import Foundation
import Glibc
import LinuxSys

/// A pod port published on the node (a container's `hostPort`), CRI's PortMapping.
public struct PortMapping: Codable, Sendable, Equatable {
    /// `TCP`, `UDP` or `SCTP`.
    public var proto: String
    public var hostPort: Int
    public var containerPort: Int
    /// Only traffic to this node address; any when nil.
    public var hostIP: String?

    public init(proto: String, hostPort: Int, containerPort: Int, hostIP: String? = nil) {
        self.proto = proto
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.hostIP = hostIP
    }
}

/// The pod network's address translation as one nftables table, `ip swiftlet`: hostPort
/// DNAT to the pods (what CNI's portmap plugin does) and masquerade for pod traffic that
/// leaves the pod network. A pure function of the pods, golden-tested; `apply` replaces the
/// whole table in one transaction, so no packet ever sees half a ruleset.
public enum PodNAT {
    public struct Pod: Sendable, Equatable {
        public var ip: String
        public var mappings: [PortMapping]

        public init(ip: String, mappings: [PortMapping]) {
            self.ip = ip
            self.mappings = mappings
        }
    }

    public static func ruleset(podCIDR: String, pods: [Pod]) -> String {
        var hostports: [String] = []
        for pod in pods.sorted(by: { $0.ip < $1.ip }) {
            for mapping in pod.mappings {
                let proto = mapping.proto.lowercased()
                let address = mapping.hostIP.flatMap { $0.isEmpty || $0 == "0.0.0.0" ? nil : $0 }.map { "ip daddr \($0) " } ?? ""
                hostports.append("\t\t\(address)\(proto) dport \(mapping.hostPort) dnat to \(pod.ip):\(mapping.containerPort)")
            }
        }
        return """
            table ip swiftlet
            delete table ip swiftlet
            table ip swiftlet {
            \tchain hostports {
            \(hostports.map { $0 + "\n" }.joined())\t}

            \tchain prerouting {
            \t\ttype nat hook prerouting priority dstnat; policy accept;
            \t\tfib daddr type local jump hostports
            \t}

            \tchain output {
            \t\ttype nat hook output priority -100; policy accept;
            \t\tfib daddr type local ip daddr != 127.0.0.0/8 jump hostports
            \t}

            \tchain postrouting {
            \t\ttype nat hook postrouting priority srcnat; policy accept;
            \t\tip saddr \(podCIDR) ip daddr != \(podCIDR) masquerade
            \t}
            }

            """
    }

    /// Replaces the table with `ruleset` through `nft -f -` (one netlink transaction).
    public static func apply(_ ruleset: String) throws {
        let result = try Subprocess.run("nft", ["-f", "-"], input: Array(ruleset.utf8))
        guard result.succeeded else {
            let message = String(decoding: result.stdout + result.stderr, as: UTF8.self).trimmingWhitespace()
            throw RuntimeError.setupFailed("nft -f: \(message.isEmpty ? result.exitDescription : message)")
        }
    }
}

extension Runtime {
    /// Rewrites the NAT table from every sandbox's address and port mappings (after a
    /// sandbox comes or goes). Serialized across processes by a lock file.
    func syncPodNAT() throws {
        guard let network = podNetwork else { return }
        let dir = "\(paths.state)/network"
        try Files.createDirectory(dir)
        let lock = try FileDescriptor.open("\(dir)/nat.lock", O_RDWR | O_CREAT | O_CLOEXEC, mode: 0o600)
        try sys("flock", "\(dir)/nat.lock") { flock(lock.raw, LOCK_EX) }
        defer { try? lock.close() }
        let pods = listSandboxes().compactMap { $0.record }.compactMap { record in
            record.ip.map { PodNAT.Pod(ip: $0, mappings: record.spec.portMappings ?? []) }
        }
        try PodNAT.apply(PodNAT.ruleset(podCIDR: network.podCIDR.description, pods: pods))
    }
}
