import Foundation
import KubeAPI

// Pods, decoded into KubeAPI's Pod so they are defaulted and validated exactly as the
// kubelet's static pods are, and the pod templates of the workload kinds likewise.
extension ResourceType {
    static let pods = ResourceType(
        group: "", version: "v1", name: "pods", singular: "pod", kind: "Pod", namespaced: true,
        shortNames: ["po"],
        schema: Pod.self,
        columns: [
            Column("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            Column("Status", "The aggregate status of the containers in this pod."),
            Column("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            Column("Age", "CreationTimestamp is a timestamp representing the server time when this object was created."),
            Column("IP", priority: 1, "IP address of pod"),
            Column("Node", priority: 1, "Name of the node where the pod is running"),
            Column("Nominated Node", priority: 1, "Name of the node nominated for scheduling"),
            Column("Readiness Gates", priority: 1, "Readiness gates for the pod"),
        ],
        selectableFields: ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                           "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName"],
        cells: { object in
            guard let pod = try? JSONValueDecoder().decode(Pod.self, from: object) else { return ["", "", "", "", "", "", "", ""] }
            let row = PodRow(pod, now: .now())
            let gates = pod.spec.readinessGates ?? []
            let readyGates = gates.filter { gate in
                pod.status?.conditions?.contains { $0.type == gate.conditionType && $0.status == .true } ?? false
            }
            return [.string(row.ready), .string(row.status), .string(row.restarts), .string(row.age), .string(row.ip), .string(row.node),
                    orNone(pod.status?.nominatedNodeName), .string(gates.isEmpty ? "<none>" : "\(readyGates.count)/\(gates.count)")]
        },
        typed: { object throws(APIError) in
            var pod: Pod = try decodeTyped(object, kind: "Pod")
            pod.setDefaults()
            // PrepareForCreate: a new pod is Pending with its QoS class (the registry dropped any status sent).
            if pod.status == nil { pod.status = PodStatus(phase: .pending, qosClass: pod.qosClass) }
            try check(pod.validateCreate(), kind: "Pod", name: pod.metadata.name ?? "")
            object = try encodeTyped(pod)
        },
        subresources: [.status, .binding, .eviction], categories: ["all"], clearsStatusOnCreate: true)

    /// Defaults and validates the pod template at `path` (a workload's spec.template).
    static func typedTemplate(_ object: inout JSONValue, at path: [String], kind: String) throws(APIError) {
        var template: JSONValue? = object
        for key in path { template = template?[key] }
        guard let spec = template?["spec"] else { return }
        var typedSpec: PodSpec = try decodeTyped(spec, kind: kind, prefix: path + ["spec"])
        typedSpec.setDefaults()
        let fieldPath = FieldPath(elements: (path + ["spec"]).map { .field($0) })
        try check(FieldErrorList(PodValidation.validateSpec(typedSpec, path: fieldPath)), kind: kind,
                  name: object["metadata"]?["name"]?.stringValue ?? "")
        let encoded = try encodeTyped(typedSpec)
        object = setting(object, at: path + ["spec"], to: encoded)
    }

    private static func setting(_ value: JSONValue, at path: [String], to newValue: JSONValue) -> JSONValue {
        guard let key = path.first else { return newValue }
        var copy = value
        copy[key] = setting(value[key] ?? .object([:]), at: Array(path.dropFirst()), to: newValue)
        return copy
    }

    /// Decodes a typed value (unknown fields are gone: `decode` pruned them by the schema).
    static func decodeTyped<T: Codable>(_ value: JSONValue, kind: String, prefix: [String] = []) throws(APIError) -> T {
        do {
            return try JSONValueDecoder().decode(T.self, from: value)
        } catch let error as DecodingError {
            let described = Manifest.describe(error, document: nil)
            let field = ([prefix.joined(separator: "."), described.field ?? ""].filter { !$0.isEmpty }).joined(separator: ".")
            throw APIError.badRequest("\(kind) in version \"v1\" cannot be handled as a \(kind): \(field.isEmpty ? "" : field + ": ")\(described.message)")
        } catch {
            throw APIError.badRequest("\(kind) in version \"v1\" cannot be handled as a \(kind): \(error)")
        }
    }


    static func encodeTyped<T: Encodable>(_ value: T) throws(APIError) -> JSONValue {
        do {
            let data = try JSONEncoder().encode(value)
            return try JSONValue.parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw APIError.internalError("encoding: \(error)")
        }
    }

    static func check(_ errors: FieldErrorList, kind: String, group: String = "", name: String) throws(APIError) {
        guard !errors.isEmpty else { return }
        throw APIError.invalid(kind: kind, group: group, name, errors.map { (field: $0.field, type: $0.kind.rawValue, message: $0.body) })
    }
}
