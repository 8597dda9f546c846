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
        var pipeFDs: [Int32] = [0, 0]
        try sys("pipe2", "nft input") { swl_pipe2(&pipeFDs, O_CLOEXEC) }
        let readEnd = FileDescriptor(raw: pipeFDs[0], name: "nft input")
        let writeEnd = FileDescriptor(raw: pipeFDs[1], name: "nft input")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd.raw, 0)
        let output = FileDescriptor(raw: try sys("memfd_create", "nft output") { swl_memfd_create("nft-output", UInt32(MFD_CLOEXEC)) },
                                    name: "nft output")
        posix_spawn_file_actions_adddup2(&actions, output.raw, 1)
        posix_spawn_file_actions_adddup2(&actions, output.raw, 2)
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("nft"), strdup("-f"), strdup("-"), nil]
        defer { argv.forEach { free($0) } }
        let rc = posix_spawnp(&pid, "nft", &actions, nil, argv, environ)
        guard rc == 0 else { throw SystemError("posix_spawn", "nft", errno: rc) }
        try readEnd.close()
        try writeEnd.write(Array(ruleset.utf8))
        try writeEnd.close()
        var status: Int32 = 0
        try sys("waitpid", "nft") { waitpid(pid, &status, 0) }
        guard swl_wifexited(status) != 0, swl_wexitstatus(status) == 0 else {
            try sys("lseek", "nft output") { lseek(output.raw, 0, SEEK_SET) }
            let message = String(decoding: try output.readAll(), as: UTF8.self).trimmingWhitespace()
            throw RuntimeError.setupFailed("nft -f: \(message.isEmpty ? "exit status \(status)" : message)")
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
        try PodNAT.apply(PodNAT.ruleset(podCIDR: network.ipam.network.description, pods: pods))
    }
}
