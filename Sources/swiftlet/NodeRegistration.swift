import ContainerRuntime
import Foundation
import Glibc
import KubeAPI
import KubeClient
import LinuxSys

/// The node as the API knows it: `swiftlet server` registers its kubelet's node (labels,
/// addresses, capacity, node info, Ready) and keeps its lease in kube-node-lease renewed
/// every 10 s, as upstream's kubelet does, so `kubectl get nodes` shows the machine.
struct NodeRegistration {
    let client: KubeClient
    let name: String
    let address: String
    let podCIDR: String
    let kubeletPort: Int
    static let leaseDurationSeconds: Int64 = 40

    func run() async {
        do {
            try await register()
        } catch {
            logLine("server: registering node \(name): \(error)")
        }
        while !Task.isCancelled {
            do { try await renewLease() } catch { logLine("server: renewing the lease of node \(name): \(error)") }
            try? await Task.sleep(for: .seconds(10))
        }
    }

    func register() async throws {
        let now = Self.timestamp()
        func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> JSONValue {
            .object(["type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
                     "lastHeartbeatTime": .string(now), "lastTransitionTime": .string(now)])
        }
        let capacity: JSONValue = .object(Self.capacity())
        let status: JSONValue = .object([
            "capacity": capacity, "allocatable": capacity,
            "conditions": .array([
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ]),
            "addresses": .array([.object(["type": "InternalIP", "address": .string(address)]),
                                 .object(["type": "Hostname", "address": .string(name)])]),
            "daemonEndpoints": .object(["kubeletEndpoint": .object(["Port": .int(Int64(kubeletPort))])]),
            "nodeInfo": .object(Self.nodeInfo()),
        ])
        let labels: JSONValue = .object([
            "kubernetes.io/hostname": .string(name), "kubernetes.io/os": "linux", "kubernetes.io/arch": .string(Self.architecture),
            "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": .string(Self.architecture),
            "node-role.kubernetes.io/control-plane": "true",
        ])
        if var node = try await client.get(.nodes, name: name) {
            // A restart: the same node, its status current again.
            let merged = (node["metadata"]?["labels"]?.objectValue ?? [:]).merging(labels.objectValue!) { _, new in new }
            node["metadata"]?["labels"] = .object(merged)
            node = try await client.update(.nodes, node)
            node["status"] = status
            _ = try await client.update(.nodes, node, subresource: "status")
        } else {
            _ = try await client.create(.nodes, .object([
                "metadata": .object(["name": .string(name), "labels": labels]),
                "spec": .object(["podCIDR": .string(podCIDR), "podCIDRs": .array([.string(podCIDR)])]),
                "status": status,
            ]))
        }
    }

    func renewLease() async throws {
        let now = Self.timestamp(fractional: true)
        if var lease = try await client.get(.leases, namespace: "kube-node-lease", name: name) {
            lease["spec"]?["renewTime"] = .string(now)
            _ = try await client.update(.leases, namespace: "kube-node-lease", lease)
        } else {
            _ = try await client.create(.leases, namespace: "kube-node-lease", .object([
                "metadata": .object(["name": .string(name)]),
                "spec": .object(["holderIdentity": .string(name), "leaseDurationSeconds": .int(Self.leaseDurationSeconds),
                                 "renewTime": .string(now)]),
            ]))
        }
    }

    /// uname(2)'s machine and release fields.
    static let uts: (machine: String, release: String) = {
        var name = utsname()
        uname(&name)
        func text<T>(_ field: inout T) -> String { withUnsafeBytes(of: &field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) } }
        return (text(&name.machine), text(&name.release))
    }()

    static var architecture: String { ["x86_64": "amd64", "aarch64": "arm64"][uts.machine] ?? uts.machine }

    static func capacity() -> [String: JSONValue] {
        let memoryKiB = (try? Files.readString("/proc/meminfo"))?.split(separator: "\n").first { $0.hasPrefix("MemTotal:") }?
            .split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        var disk = statvfs()
        let storageKiB = statvfs("/", &disk) == 0 ? Int(disk.f_blocks) * Int(disk.f_frsize) / 1024 : 0
        return ["cpu": .string(String(sysconf(Int32(_SC_NPROCESSORS_ONLN)))), "memory": .string("\(memoryKiB)Ki"),
                "ephemeral-storage": .string("\(storageKiB)Ki"), "pods": "110", "hugepages-2Mi": "0"]
    }

    static func nodeInfo() -> [String: JSONValue] {
        func read(_ path: String) -> String { ((try? Files.readString(path)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let osImage = read("/etc/os-release").split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }
            .map { String($0.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } ?? "Linux"
        let kernel = uts.release
        let machineID = read("/etc/machine-id")
        return [
            "machineID": .string(machineID), "systemUUID": .string(read("/sys/class/dmi/id/product_uuid").lowercased()),
            "bootID": .string(read("/proc/sys/kernel/random/boot_id")), "kernelVersion": .string(kernel), "osImage": .string(osImage),
            "containerRuntimeVersion": .string("swiftlet://\(SwiftletVersion.string)"), "kubeletVersion": "v1.32.0+swiftlet",
            "kubeProxyVersion": "", "operatingSystem": "linux", "architecture": .string(architecture),
        ]
    }

    static func timestamp(fractional: Bool = false) -> String {
        let formatter = ISO8601DateFormatter()
        if fractional { formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds] }
        return formatter.string(from: Date())
    }
}
