import Foundation
import KubeAPI

/// One kind the API serves: its names, scope, verbs, defaulting, validation of its name,
/// and its `kubectl get` columns (server-side Table printing).
public struct ResourceType: Sendable {
    /// "" for the core group.
    public var group: String
    public var version: String
    /// The plural resource name in URLs (`configmaps`).
    public var name: String
    public var singular: String
    public var kind: String
    public var namespaced: Bool
    public var shortNames: [String]
    /// Columns after NAME: (name, type, format, description, priority, cell).
    var columns: [Column]
    /// Defaults applied on create (and kept on update), as upstream's defaulting.
    var applyDefaults: @Sendable (inout JSONValue) -> Void = { _ in }
    /// The name's format: upstream validates most names as DNS subdomains, namespaces as labels.
    var nameIsLabel = false
    /// Fields a field selector may name besides metadata.name and metadata.namespace.
    var selectableFields: [String] = []
    /// Whether the Table starts with NAME (events' does not).
    var nameColumn = true

    struct Column: Sendable {
        var name: String
        var type: String
        var format: String
        var description: String
        var priority: Int
        var cell: @Sendable (JSONValue) -> JSONValue
    }

    var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `configmaps` or `deployments.apps`, as messages name a resource.
    var qualifiedName: String { group.isEmpty ? name : "\(name).\(group)" }
    static let verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    /// The storage prefix of this resource (kine/etcd keys as upstream's: `/registry/<resource>/`).
    func keyPrefix(namespace: String?) -> String {
        let resource = group.isEmpty ? name : "\(group)/\(name)"
        guard namespaced, let namespace else { return "/registry/\(resource)/" }
        return "/registry/\(resource)/\(namespace)/"
    }

    func key(namespace: String?, name: String) -> String { keyPrefix(namespace: namespace) + name }
}

extension ResourceType {
    /// The kinds served so far (core/v1); the rest of the issue's list joins this table.
    static let builtin: [ResourceType] = [namespaces, configMaps, secrets, serviceAccounts, events]

    static let age = Column(name: "Age", type: "string", format: "", description: "CreationTimestamp is a timestamp representing the server time when this object was created.", priority: 0) { object in
        .string(Self.age(object["metadata"]?["creationTimestamp"]?.stringValue))
    }

    static func count(_ field: String) -> @Sendable (JSONValue) -> JSONValue {
        { object in .int(Int64(object[field]?.objectValue?.count ?? 0)) }
    }

    static let namespaces = ResourceType(
        group: "", version: "v1", name: "namespaces", singular: "namespace", kind: "Namespace", namespaced: false,
        shortNames: ["ns"],
        columns: [
            Column(name: "Status", type: "string", format: "", description: "The status of the namespace", priority: 0) {
                $0["status"]?["phase"] ?? ""
            },
            age,
        ],
        applyDefaults: { object in
            let name = object["metadata"]?["name"]?.stringValue ?? ""
            var labels = object["metadata"]?["labels"]?.objectValue ?? [:]
            labels["kubernetes.io/metadata.name"] = .string(name)
            object["metadata"]?["labels"] = .object(labels)
            if object["spec"]?["finalizers"] == nil { object["spec"] = .object(["finalizers": .array(["kubernetes"])]) }
            if object["status"]?["phase"] == nil { object["status"] = .object(["phase": "Active"]) }
        },
        nameIsLabel: true)

    static let configMaps = ResourceType(
        group: "", version: "v1", name: "configmaps", singular: "configmap", kind: "ConfigMap", namespaced: true,
        shortNames: ["cm"],
        columns: [
            Column(name: "Data", type: "integer", format: "", description: "Data contains the configuration data.", priority: 0) { object in
                .int(Int64((object["data"]?.objectValue?.count ?? 0) + (object["binaryData"]?.objectValue?.count ?? 0)))
            },
            age,
        ])

    static let secrets = ResourceType(
        group: "", version: "v1", name: "secrets", singular: "secret", kind: "Secret", namespaced: true,
        shortNames: [],
        columns: [
            Column(name: "Type", type: "string", format: "", description: "Used to facilitate programmatic handling of secret data.", priority: 0) {
                $0["type"] ?? ""
            },
            Column(name: "Data", type: "string", format: "", description: "Data contains the secret data.", priority: 0, cell: count("data")),
            age,
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
        columns: [
            Column(name: "Secrets", type: "string", format: "", description: "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.", priority: 0) { object in
                .int(Int64(object["secrets"].flatMap { if case .array(let a) = $0 { a.count } else { nil } } ?? 0))
            },
            age,
        ])

    static let events = ResourceType(
        group: "", version: "v1", name: "events", singular: "event", kind: "Event", namespaced: true,
        shortNames: ["ev"],
        columns: [
            Column(name: "Last Seen", type: "string", format: "", description: "Time when last event occurred", priority: 0) { event in
                .string(Self.age(event["lastTimestamp"]?.stringValue ?? event["eventTime"]?.stringValue ?? event["metadata"]?["creationTimestamp"]?.stringValue))
            },
            Column(name: "Type", type: "string", format: "", description: "Type of this event.", priority: 0) { $0["type"] ?? "" },
            Column(name: "Reason", type: "string", format: "", description: "Reason why this event was generated.", priority: 0) { $0["reason"] ?? "" },
            Column(name: "Object", type: "string", format: "", description: "Object this event is about.", priority: 0) { event in
                let object = event["involvedObject"]
                return .string("\((object?["kind"]?.stringValue ?? "").lowercased())/\(object?["name"]?.stringValue ?? "")")
            },
            Column(name: "Message", type: "string", format: "", description: "A human-readable description of the status of this operation.", priority: 0) { $0["message"] ?? "" },
        ],
        selectableFields: ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                           "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                           "reason", "reportingComponent", "source", "type"],
        nameColumn: false)

    /// Upstream's `translateTimestampSince` (duration.HumanDuration): 45s, 10m, 5h, 3d, 2y.
    static func age(_ timestamp: String?, now: Date = Date()) -> String {
        guard let timestamp, let date = ISO8601DateFormatter().date(from: timestamp) else { return "<unknown>" }
        return humanDuration(max(0, now.timeIntervalSince(date)))
    }
}
