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
    /// The Swift type its objects decode as: the source of its OpenAPI schema.
    var schema: (any (Decodable & Sendable).Type)? = nil
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
    /// A row's cells when one computation serves every column (pods); otherwise each
    /// column computes its own.
    var cells: (@Sendable (JSONValue) -> [JSONValue])? = nil
    /// For kinds with Swift types: decoding, defaulting and validation as upstream, on
    /// create and update (after `decode` dropped the fields the schema does not declare).
    var typed: (@Sendable (inout JSONValue) throws(APIError) -> Void)? = nil
    /// Upstream's strategy validation, of the stored form, on create (`true`) and update:
    /// for kinds whose checks differ between the two (events).
    var validate: (@Sendable (_ stored: JSONValue, _ create: Bool) -> FieldErrorList)? = nil
    /// `status`: writes to the object keep its status, writes to /status only change it.
    /// `scale`: an autoscaling/v1 Scale view of spec.replicas.
    var subresources: Set<Subresource> = []
    /// Whether metadata.generation counts changes to the object's spec.
    var tracksGeneration = false
    /// Kinds in the `all` category are what `kubectl get all` lists.
    var categories: [String] = []
    /// Whether a create clears the status a client sent (most kinds with a status subresource).
    var clearsStatusOnCreate = true
    /// Set when the kind serves another kind's stored objects, converted on the way in and out.
    var storage: Storage? = nil

    /// Another kind's storage, as upstream keeps events.k8s.io/v1 Events as core/v1 Events
    /// under one key: that kind's keys, apiVersion and kind, and the top-level fields this
    /// kind names differently (this kind's name → the stored kind's). The renames convert
    /// field selector labels too, as upstream's field label conversion does.
    struct Storage: Sendable {
        var resource: String
        var apiVersion: String
        var kind: String
        var renames: [String: String]

        init(_ stored: ResourceType, renaming renames: [String: String]) {
            (resource, apiVersion, kind, self.renames) = (stored.storedResource, stored.apiVersion, stored.kind, renames)
        }
    }

    /// `binding` and `eviction` (pods): POST-only actions on the object.
    enum Subresource: String, Sendable, CaseIterable {
        case status, scale, binding, eviction

        var verbs: [String] { self == .status || self == .scale ? ["get", "patch", "update"] : ["create"] }

        /// The kind its requests and answers carry when it is not the object's own.
        var responseKind: (group: String, version: String, kind: String)? {
            switch self {
            case .status: nil
            case .scale: ("autoscaling", "v1", "Scale")
            case .binding: ("", "v1", "Binding")
            case .eviction: ("policy", "v1", "Eviction")
            }
        }
    }

    struct Column: Sendable {
        var name: String
        var type: String
        var format: String
        var description: String
        var priority: Int
        /// nil when the kind computes its cells together (`ResourceType.cells`).
        var cell: (@Sendable (JSONValue) -> JSONValue)?

        init(_ name: String, type: String = "string", format: String = "", priority: Int = 0, _ description: String,
             cell: (@Sendable (JSONValue) -> JSONValue)? = nil) {
            (self.name, self.type, self.format, self.priority, self.description, self.cell) = (name, type, format, priority, description, cell)
        }
    }

    var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// Where its URLs start: `/api/v1` or `/apis/<group>/<version>`.
    var pathPrefix: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }
    /// `configmaps` or `deployments.apps`, as messages name a resource.
    var qualifiedName: String { group.isEmpty ? name : "\(name).\(group)" }
    static let verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    /// How a write treats fields its kind does not declare (the `fieldValidation` parameter).
    enum FieldValidation: String { case strict = "Strict", warn = "Warn", ignore = "Ignore" }

    /// Decoding a written object as upstream's: fields its schema does not declare are
    /// dropped (a Strict request fails on them, Warn answers a warning each), then the
    /// kind's own decoding, defaulting and validation run.
    func decode(_ object: inout JSONValue, _ validation: FieldValidation) throws(APIError) {
        if let schema {
            let (pruned, unknown) = OpenAPI.catalog.pruned(object, as: .definition(SchemaCatalog.definitionName(schema)))
            if validation != .ignore, !unknown.isEmpty {
                let messages = unknown.map { "unknown field \"\($0)\"" }
                if validation == .strict {
                    throw APIError.badRequest("\(kind) in version \"v1\" cannot be handled as a \(kind): strict decoding error: " + messages.joined(separator: ", "))
                }
                messages.forEach(Warnings.add)
            }
            object = pruned
        }
        try typed?(&object)
    }

    /// The `<resource>` of its keys: its own, or that of the kind whose storage it serves.
    var storedResource: String { storage?.resource ?? (group.isEmpty ? name : "\(group)/\(name)") }

    /// The storage prefix of this resource (kine/etcd keys as upstream's: `/registry/<resource>/`).
    func keyPrefix(namespace: String?) -> String {
        guard namespaced, let namespace else { return "/registry/\(storedResource)/" }
        return "/registry/\(storedResource)/\(namespace)/"
    }

    func key(namespace: String?, name: String) -> String { keyPrefix(namespace: namespace) + name }

    /// An object of this kind as stored (the storage kind's form).
    func toStorage(_ object: JSONValue) -> JSONValue {
        guard let storage else { return object }
        return Self.converted(object, storage.renames, apiVersion: storage.apiVersion, kind: storage.kind)
    }

    /// A stored object as this kind serves it.
    func fromStorage(_ object: JSONValue) -> JSONValue {
        guard let storage else { return object }
        return Self.converted(object, Dictionary(uniqueKeysWithValues: storage.renames.map { ($1, $0) }), apiVersion: apiVersion, kind: kind)
    }

    /// A field selector's label as the stored form names it.
    func storedFieldLabel(_ label: String) -> String {
        let head = label.prefix { $0 != "." }
        guard let stored = storage?.renames[String(head)] else { return label }
        return stored + label.dropFirst(head.count)
    }

    private static func converted(_ object: JSONValue, _ renames: [String: String], apiVersion: String, kind: String) -> JSONValue {
        guard case .object(var members) = object else { return object }
        // A field already under a new name goes: the source kind has no such field.
        for (from, to) in renames { members[to] = members.removeValue(forKey: from) }
        (members["apiVersion"], members["kind"]) = (.string(apiVersion), .string(kind))
        return .object(members)
    }
}


extension ResourceType {
    /// Every kind served, in discovery's order (Kinds/ holds one file per family).
    static let builtin: [ResourceType] = [
        namespaces, configMaps, secrets, serviceAccounts, events, limitRanges, resourceQuotas, nodes, pods,
        services, endpoints, persistentVolumes, persistentVolumeClaims,
        deployments, replicaSets, daemonSets, statefulSets, controllerRevisions, eventsV1, jobs, cronJobs, podDisruptionBudgets,
        leases, endpointSlices,
    ]

    /// The API groups besides core, in the order `/apis` lists them.
    static let groups = ["apps", "events.k8s.io", "batch", "policy", "coordination.k8s.io", "discovery.k8s.io"]
}
