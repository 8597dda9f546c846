import Foundation
import KubeAPI

// core/v1 configuration and cluster kinds, and coordination.k8s.io leases.
extension ResourceType {
    static let namespaces = ResourceType(
        group: "", version: "v1", name: "namespaces", singular: "namespace", kind: "Namespace", namespaced: false,
        shortNames: ["ns"],
        schema: CoreV1.Namespace.self,
        columns: [Column("Status", "The status of the namespace") { $0["status"]?["phase"] ?? "" }, ageColumn],
        applyDefaults: { object in
            let name = object["metadata"]?["name"]?.stringValue ?? ""
            var labels = object["metadata"]?["labels"]?.objectValue ?? [:]
            labels["kubernetes.io/metadata.name"] = .string(name)
            object["metadata"]?["labels"] = .object(labels)
            if object["spec"]?["finalizers"] == nil { object["spec"] = .object(["finalizers": .array(["kubernetes"])]) }
            if object["status"]?["phase"] == nil { object["status"] = .object(["phase": "Active"]) }
        },
        nameIsLabel: true, subresources: [.status], clearsStatusOnCreate: false)

    static let configMaps = ResourceType(
        group: "", version: "v1", name: "configmaps", singular: "configmap", kind: "ConfigMap", namespaced: true,
        shortNames: ["cm"],
        schema: ConfigMap.self,
        columns: [
            Column("Data", type: "integer", "Data contains the configuration data.") { object in
                .int(Int64((object["data"]?.objectValue?.count ?? 0) + (object["binaryData"]?.objectValue?.count ?? 0)))
            },
            ageColumn,
        ])

    static let secrets = ResourceType(
        group: "", version: "v1", name: "secrets", singular: "secret", kind: "Secret", namespaced: true,
        shortNames: [],
        schema: Secret.self,
        columns: [
            Column("Type", "Used to facilitate programmatic handling of secret data.") { $0["type"] ?? "" },
            Column("Data", "Data contains the secret data.", cell: count("data")),
            ageColumn,
        ],
        applyDefaults: { object in
            if object["type"] == nil { object["type"] = "Opaque" }
            // stringData is write-only: merged into data (base64), as upstream's conversion.
            if let strings = object["stringData"]?.objectValue {
                var data = object["data"]?.objectValue ?? [:]
                for (key, value) in strings { data[key] = .string(Data((value.stringValue ?? "").utf8).base64EncodedString()) }
                object["data"] = .object(data)
                object["stringData"] = nil
            }
        })

    static let serviceAccounts = ResourceType(
        group: "", version: "v1", name: "serviceaccounts", singular: "serviceaccount", kind: "ServiceAccount", namespaced: true,
        shortNames: ["sa"],
        schema: CoreV1.ServiceAccount.self,
        columns: [
            Column("Secrets", type: "integer", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.") {
                .int(Int64(array($0["secrets"]).count))
            },
            ageColumn,
        ])

    static let limitRanges = ResourceType(
        group: "", version: "v1", name: "limitranges", singular: "limitrange", kind: "LimitRange", namespaced: true,
        shortNames: ["limits"],
        schema: CoreV1.LimitRange.self,
        columns: [Column("Created At", type: "date", "CreationTimestamp is a timestamp representing the server time when this object was created.") {
            $0["metadata"]?["creationTimestamp"] ?? ""
        }])

    static let resourceQuotas = ResourceType(
        group: "", version: "v1", name: "resourcequotas", singular: "resourcequota", kind: "ResourceQuota", namespaced: true,
        shortNames: ["quota"],
        schema: CoreV1.ResourceQuota.self,
        columns: [
            ageColumn,
            Column("Request", "Request represents a minimum amount of cpu/memory that a container may consume.") { quotaUsage($0, limits: false) },
            Column("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.") {
                quotaUsage($0, limits: true)
            },
        ],
        subresources: [.status])

    /// `pods: 1/10, requests.cpu: 0/2`: used of hard, by resource name.
    private static func quotaUsage(_ quota: JSONValue, limits: Bool) -> JSONValue {
        let hard = quota["status"]?["hard"]?.objectValue ?? quota["spec"]?["hard"]?.objectValue ?? [:]
        let used = quota["status"]?["used"]?.objectValue ?? [:]
        let parts = hard.keys.sorted().filter { $0.hasPrefix("limits.") == limits }.map { name in
            "\(name): \(used[name]?.stringValue ?? "0")/\(hard[name]?.stringValue ?? "")"
        }
        return .string(parts.joined(separator: ", "))
    }

    static let nodes = ResourceType(
        group: "", version: "v1", name: "nodes", singular: "node", kind: "Node", namespaced: false,
        shortNames: ["no"],
        schema: CoreV1.Node.self,
        columns: [
            Column("Status", "The status of the node") { node in
                let ready = array(node["status"]?["conditions"]).first { $0["type"]?.stringValue == "Ready" }
                var status = switch ready?["status"]?.stringValue {
                case "True": "Ready"
                case "False": "NotReady"
                default: "Unknown"
                }
                if node["spec"]?["unschedulable"] == .bool(true) { status += ",SchedulingDisabled" }
                return .string(status)
            },
            Column("Roles", "The roles of the node") { node in
                let labels = node["metadata"]?["labels"]?.objectValue ?? [:]
                var roles = Set(labels.keys.filter { $0.hasPrefix("node-role.kubernetes.io/") }.map { String($0.dropFirst("node-role.kubernetes.io/".count)) })
                if let role = labels["kubernetes.io/role"]?.stringValue, !role.isEmpty { roles.insert(role) }
                return .string(roles.isEmpty ? "<none>" : roles.sorted().joined(separator: ","))
            },
            ageColumn,
            Column("Version", "Kubelet Version reported by the node.") { $0["status"]?["nodeInfo"]?["kubeletVersion"] ?? "" },
            Column("Internal-IP", priority: 1, "List of addresses reachable to the node.") { nodeAddress($0, "InternalIP") },
            Column("External-IP", priority: 1, "List of addresses reachable to the node.") { nodeAddress($0, "ExternalIP") },
            Column("OS-Image", priority: 1, "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 12 (bookworm)).") {
                orNone($0["status"]?["nodeInfo"]?["osImage"]?.stringValue)
            },
            Column("Kernel-Version", priority: 1, "Kernel Version reported by the node from 'uname -r'.") {
                orNone($0["status"]?["nodeInfo"]?["kernelVersion"]?.stringValue)
            },
            Column("Container-Runtime", priority: 1, "Container runtime version reported by the node.") {
                orNone($0["status"]?["nodeInfo"]?["containerRuntimeVersion"]?.stringValue)
            },
        ],
        subresources: [.status], clearsStatusOnCreate: false)

    private static func nodeAddress(_ node: JSONValue, _ type: String) -> JSONValue {
        orNone(array(node["status"]?["addresses"]).first { $0["type"]?.stringValue == type }?["address"]?.stringValue)
    }

    static let leases = ResourceType(
        group: "coordination.k8s.io", version: "v1", name: "leases", singular: "lease", kind: "Lease", namespaced: true,
        shortNames: [],
        schema: CoordinationV1.Lease.self,
        columns: [Column("Holder", "The holder of the lease") { $0["spec"]?["holderIdentity"] ?? "" }, ageColumn])
}
