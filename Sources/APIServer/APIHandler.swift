import Foundation
import KubeAPI
import KubeStore
import Netlink

/// A request as the handler sees it: TLS and HTTP are the server's business.
public struct APIRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [String: String]
    public var accept: String
    public var contentType: String
    public var body: [UInt8]
    /// The authenticated user (the client certificate's CN); nil for anonymous.
    public var user: String?

    public init(method: String, uri: String, accept: String = "", contentType: String = "", body: [UInt8] = [], user: String?) {
        self.method = method
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = String(parts[0])
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                    String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
                }
                query[kv[0]] = kv.count > 1 ? kv[1] : ""
            }
        }
        self.query = query
        self.accept = accept
        self.contentType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        self.body = body
        self.user = user
    }
}

public enum APIResponse: Sendable {
    /// `warnings` become `Warning: 299 - "…"` headers, which kubectl prints.
    case json(status: Int, body: JSONValue, contentType: String = "application/json", warnings: [String] = [])
    case text(status: Int, body: String)
    /// A watch: one JSON event per line until the stream ends.
    case watch(AsyncThrowingStream<JSONValue, any Error>)
}

/// Routes requests to discovery and the registry: the API server without its transport.
public struct APIHandler: Sendable {
    let registry: ObjectRegistry
    let types: [ResourceType]
    /// What `/version` reports as gitVersion; the kubectl it is tested with is 1.32.
    static let version: JSONValue = .object([
        "major": "1", "minor": "32", "gitVersion": "v1.32.0+swiftlet", "gitCommit": "", "gitTreeState": "clean",
        "buildDate": "", "goVersion": "swift", "compiler": "swiftc", "platform": "linux/amd64",
    ])
    /// Anonymous clients get only these, as upstream's default RBAC for system:anonymous.
    static let anonymousPaths: Set<String> = ["/livez", "/readyz", "/healthz", "/version"]

    /// How often a watch that asked for bookmarks gets one (upstream: about a minute).
    let bookmarkInterval: Duration

    public init(registry: ObjectRegistry, bookmarkInterval: Duration = .seconds(60)) {
        self.registry = registry
        self.bookmarkInterval = bookmarkInterval
        types = ResourceType.builtin
    }

    /// What every cluster has: the system namespaces (upstream's system namespaces
    /// controller) and the `kubernetes` Service on the service network's first address.
    public func ensureDefaults() async throws {
        try await registry.resumeTerminations()
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            do {
                _ = try await registry.create(.namespaces, namespace: nil, body: .object(["metadata": .object(["name": .string(name)])]), dryRun: false)
            } catch let error as APIError where error.reason == "AlreadyExists" {}
        }
        let network = registry.clusterIPs.network
        let kubernetes: JSONValue = .object([
            "metadata": .object(["name": "kubernetes", "labels": .object(["component": "apiserver", "provider": "kubernetes"])]),
            "spec": .object(["clusterIP": .string(IPv4Address(network.address.value + 1).description),
                             "ports": .array([.object(["name": "https", "port": .int(443), "protocol": "TCP", "targetPort": .int(6443)])])]),
        ])
        do {
            _ = try await registry.create(.services, namespace: "default", body: kubernetes, dryRun: false)
        } catch let error as APIError where error.reason == "AlreadyExists" {}
    }

    public func handle(_ request: APIRequest) async -> APIResponse {
        let warnings = Warnings()
        do {
            let response = try await Warnings.$current.withValue(warnings) { try await route(request) }
            guard case .json(let status, let body, let contentType, _) = response, !warnings.messages.isEmpty else { return response }
            return .json(status: status, body: body, contentType: contentType, warnings: warnings.messages)
        } catch let error as APIError {
            return .json(status: error.code, body: error.status)
        } catch {
            let apiError = APIError.internalError("\(error)")
            return .json(status: apiError.code, body: apiError.status)
        }
    }

    private func route(_ request: APIRequest) async throws -> APIResponse {
        let path = request.path.hasSuffix("/") && request.path.count > 1 ? String(request.path.dropLast()) : request.path
        if ["/livez", "/readyz", "/healthz"].contains(path) { return .text(status: 200, body: "ok") }
        if path == "/version" { return .json(status: 200, body: Self.version) }
        guard request.user != nil else { throw APIError.unauthorized }
        if path == "/metrics" {
            var objects: [(resource: String, count: Int)] = []
            for type in types {
                objects.append((type.qualifiedName, try await registry.store.range(.prefix(type.keyPrefix(namespace: nil)), limit: 1).count))
            }
            return .text(status: 200, body: Metrics.render(try await registry.store.stats(), objects: objects))
        }
        let segments = path.split(separator: "/").map(String.init)
        // kubectl asks for the aggregated form first; the legacy documents answer everyone else.
        if segments == ["api"] || segments == ["apis"], request.accept.contains("as=APIGroupDiscoveryList"),
           request.accept.contains("g=apidiscovery.k8s.io;v=v2") {
            return .json(status: 200, body: aggregatedDiscovery(core: segments == ["api"]),
                         contentType: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
        }
        // The v2 document is served in JSON only; client-go asks for protobuf alone.
        if segments == ["openapi", "v2"], !request.accept.isEmpty, !request.accept.contains("json"), !request.accept.contains("*/*") {
            throw APIError.notAcceptable(["application/json"])
        }
        if let discovery = discovery(segments) { return .json(status: 200, body: discovery) }
        let (type, namespace, name, subresource) = try resolve(segments)
        let dryRun = request.query["dryRun"] == "All"
        let validation = try fieldValidation(request)
        if let subresource {
            guard let name else { throw APIError.pathNotFound() }
            switch request.method {
            case "GET" where subresource == .status || subresource == .scale:
                let object = try await registry.get(type, namespace: namespace, name: name)
                return .json(status: 200, body: subresource == .scale ? ObjectRegistry.scale(type, object) : object)
            case "PUT" where subresource == .status || subresource == .scale:
                return .json(status: 200, body: try await registry.update(type, namespace: namespace, name: name, body: try body(request),
                                                                          dryRun: dryRun, validation: validation, subresource: subresource))
            case "PATCH" where subresource == .status || subresource == .scale:
                return .json(status: 200, body: try await registry.patch(type, namespace: namespace, name: name, contentType: request.contentType,
                                                                         patch: try body(request), dryRun: dryRun, validation: validation,
                                                                         subresource: subresource))
            case "POST" where subresource == .binding:
                return .json(status: 201, body: try await registry.bind(namespace: namespace ?? "", name: name, binding: try body(request), dryRun: dryRun))
            case "POST" where subresource == .eviction:
                return .json(status: 201, body: try await registry.evict(namespace: namespace ?? "", name: name, eviction: try body(request), dryRun: dryRun))
            default: throw APIError.methodNotAllowed(request.method, type)
            }
        }
        switch (request.method, name) {
        case ("GET", nil):
            let options = try listOptions(request, type)
            if let watch = request.query["watch"], watch == "true" || watch == "1" {
                let events = try await watchStream(type, namespace: namespace, request: request, options: options)
                return .watch(wantsTable(request) ? tableEvents(type, events) : events)
            }
            let list = try await registry.list(type, namespace: namespace, options: options)
            return .json(status: 200, body: wantsTable(request) ? table(type, list: list) : list)
        case ("GET", let name?):
            let object = try await registry.get(type, namespace: namespace, name: name)
            return .json(status: 200, body: wantsTable(request) ? table(type, list: .object(["metadata": .object([:]), "items": .array([object])])) : object)
        case ("POST", nil):
            let created = try await registry.create(type, namespace: namespace, body: try body(request), dryRun: dryRun, validation: validation)
            return .json(status: 201, body: created)
        case ("PUT", let name?):
            return .json(status: 200, body: try await registry.update(type, namespace: namespace, name: name, body: try body(request),
                                                                      dryRun: dryRun, validation: validation))
        case ("PATCH", let name?):
            return .json(status: 200, body: try await registry.patch(type, namespace: namespace, name: name, contentType: request.contentType,
                                                                     patch: try body(request), dryRun: dryRun, validation: validation))
        case ("DELETE", let name?):
            return .json(status: 200, body: try await registry.delete(type, namespace: namespace, name: name,
                                                                      options: try deleteOptions(request, dryRun: dryRun)))
        case ("DELETE", nil):
            let list = try await registry.list(type, namespace: namespace, options: try listOptions(request, type))
            guard case .array(let items)? = list["items"] else { return .json(status: 200, body: list) }
            var deleted: [JSONValue] = []
            for item in items {
                let itemName = item["metadata"]?["name"]?.stringValue ?? ""
                if (try? await registry.delete(type, namespace: item["metadata"]?["namespace"]?.stringValue, name: itemName,
                                               options: try deleteOptions(request, dryRun: dryRun))) != nil {
                    deleted.append(item)
                }
            }
            var result = list
            result["items"] = .array(deleted)
            return .json(status: 200, body: result)
        default:
            throw APIError.methodNotAllowed(request.method, type)
        }
    }

    /// DeleteOptions from the body (kubectl sends one) or the query: preconditions, dryRun,
    /// and how dependents go — propagationPolicy, or the older orphanDependents.
    private func deleteOptions(_ request: APIRequest, dryRun: Bool) throws -> ObjectRegistry.DeleteOptions {
        var options = ObjectRegistry.DeleteOptions(dryRun: dryRun)
        let body: JSONValue = request.body.isEmpty ? .object([:]) : try self.body(request)
        options.preconditionUID = body["preconditions"]?["uid"]?.stringValue
        options.preconditionResourceVersion = body["preconditions"]?["resourceVersion"]?.stringValue
        if case .array(let values)? = body["dryRun"], values.contains("All") { options.dryRun = true }
        options.gracePeriodSeconds = body["gracePeriodSeconds"]?.intValue ?? request.query["gracePeriodSeconds"].flatMap { Int64($0) }
        let orphan = body["orphanDependents"].map { $0 == .bool(true) } ?? request.query["orphanDependents"].map { $0 == "true" }
        if let policy = body["propagationPolicy"]?.stringValue ?? request.query["propagationPolicy"] {
            guard let value = ObjectRegistry.PropagationPolicy(rawValue: policy) else {
                throw APIError.invalid(kind: "DeleteOptions", group: "meta.k8s.io", "", [("propagationPolicy", "FieldValueNotSupported",
                    #"Unsupported value: "\#(policy)": supported values: "Foreground", "Background", "Orphan""#)])
            }
            guard orphan == nil else {
                throw APIError.invalid(kind: "DeleteOptions", group: "meta.k8s.io", "", [("propagationPolicy", "FieldValueInvalid",
                    #"Invalid value: "\#(policy)": orphanDependents and deletionPropagation cannot be both set"#)])
            }
            options.propagationPolicy = value
        } else if let orphan {
            options.propagationPolicy = orphan ? .orphan : .background
        }
        return options
    }

    /// The discovery documents: /api, /apis, each group and group-version, and OpenAPI v3.
    private func discovery(_ segments: [String]) -> JSONValue? {
        switch segments {
        case ["api"]:
            return .object(["kind": "APIVersions", "versions": .array(["v1"]),
                            "serverAddressByClientCIDRs": .array([.object(["clientCIDR": "0.0.0.0/0", "serverAddress": ""])])])
        case ["apis"]:
            return .object(["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(ResourceType.groups.map(apiGroup))])
        case ["api", "v1"]:
            return resourceList(group: "", version: "v1")
        case ["openapi", "v3"]:
            let paths = OpenAPI.v3.map { path, served in
                (path, JSONValue.object(["serverRelativeURL": .string("/openapi/v3/\(path)?hash=\(served.hash)")]))
            }
            return .object(["paths": .object(Dictionary(uniqueKeysWithValues: paths))])
        case ["openapi", "v2"]:
            return OpenAPI.v2
        default: break
        }
        if segments.count == 2, segments[0] == "apis", ResourceType.groups.contains(segments[1]) {
            return apiGroup(segments[1])
        }
        if segments.count == 3, segments[0] == "apis", groupVersions.contains(where: { $0 == (segments[1], segments[2]) }) {
            return resourceList(group: segments[1], version: segments[2])
        }
        if segments.count >= 3, segments[0] == "openapi", segments[1] == "v3" {
            return OpenAPI.v3[segments.dropFirst(2).joined(separator: "/")]?.document
        }
        return nil
    }

    private var groupVersions: [(String, String)] { [("", "v1")] + ResourceType.groups.map { ($0, "v1") } }

    private func apiGroup(_ name: String) -> JSONValue {
        let version: JSONValue = .object(["groupVersion": .string("\(name)/v1"), "version": "v1"])
        return .object(["kind": "APIGroup", "apiVersion": "v1", "name": .string(name), "versions": .array([version]), "preferredVersion": version])
    }

    /// `/api/v1/[namespaces/{ns}/]{resource}[/{name}[/{subresource}]]`, or the same under
    /// `/apis/{group}/{version}`.
    private func resolve(_ segments: [String]) throws -> (ResourceType, String?, String?, ResourceType.Subresource?) {
        let group: String, version: String, rest: [String]
        if segments.count >= 3, segments[0] == "api" {
            (group, version, rest) = ("", segments[1], Array(segments.dropFirst(2)))
        } else if segments.count >= 4, segments[0] == "apis" {
            (group, version, rest) = (segments[1], segments[2], Array(segments.dropFirst(3)))
        } else {
            throw APIError.pathNotFound()
        }
        let served = types.filter { $0.group == group && $0.version == version }
        var path = rest
        var namespace: String?
        // namespaces/{ns}/{resource}… addresses a namespaced kind; namespaces/{name}/status is a namespace's own.
        if path.count >= 3, path[0] == "namespaces", served.contains(where: { $0.namespaced && $0.name == path[2] }) {
            namespace = path[1]
            path = Array(path.dropFirst(2))
        }
        guard let type = served.first(where: { $0.name == path[0] }), path.count <= 3 else { throw APIError.pathNotFound() }
        // A namespaced kind may be listed across namespaces; anything else needs its namespace.
        if type.namespaced, namespace == nil, path.count > 1 { throw APIError.pathNotFound() }
        var subresource: ResourceType.Subresource?
        if path.count == 3 {
            guard let named = ResourceType.Subresource(rawValue: path[2]), type.subresources.contains(named) else { throw APIError.pathNotFound() }
            subresource = named
        }
        return (type, namespace, path.count >= 2 ? path[1] : nil, subresource)
    }

    private func fieldValidation(_ request: APIRequest) throws -> ResourceType.FieldValidation {
        guard let text = request.query["fieldValidation"], !text.isEmpty else { return .warn }
        guard let validation = ResourceType.FieldValidation(rawValue: text) else {
            throw APIError.badRequest("fieldValidation must be one of \"Ignore\", \"Warn\", or \"Strict\"; got \(text)")
        }
        return validation
    }

    private func body(_ request: APIRequest) throws -> JSONValue {
        if request.contentType == "application/vnd.kubernetes.protobuf", request.method != "PATCH" {
            do { return try Protobuf.decode(request.body) } catch {
                throw APIError.badRequest("error decoding the request body as protobuf: \(error.message)")
            }
        }
        let json = ["", "application/json", "application/merge-patch+json", "application/strategic-merge-patch+json",
                    "application/json-patch+json"]
        guard json.contains(request.contentType) else {
            // client-go retries in JSON after a 415 to protobuf.
            throw APIError(code: 415, reason: "UnsupportedMediaType",
                           message: request.method == "PATCH"
                               ? "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json"
                               : "the body of the request was in an unknown format - accepted media types include: application/json, application/vnd.kubernetes.protobuf")
        }
        do {
            return try JSONValue.parse(String(decoding: request.body, as: UTF8.self))
        } catch {
            throw APIError.badRequest("error decoding the request body as JSON: \(error)")
        }
    }

    private func listOptions(_ request: APIRequest, _ type: ResourceType) throws -> ObjectRegistry.ListOptions {
        var options = ObjectRegistry.ListOptions()
        if let text = request.query["labelSelector"], !text.isEmpty { options.labels = try LabelSelector(parsing: text) }
        if let text = request.query["fieldSelector"], !text.isEmpty { options.fields = try FieldSelector(parsing: text, type: type) }
        if let text = request.query["limit"] {
            guard let limit = Int(text), limit >= 0 else { throw APIError.badRequest("limit must be a non-negative integer") }
            options.limit = limit
        }
        options.continueToken = request.query["continue"]
        options.resourceVersion = request.query["resourceVersion"]
        options.resourceVersionMatch = request.query["resourceVersionMatch"]
        return options
    }

    // MARK: - Discovery

    /// apidiscovery.k8s.io/v2 APIGroupDiscoveryList: every group-version's resources in
    /// one document (`/api` for the core group, `/apis` for the others).
    func aggregatedDiscovery(core: Bool) -> JSONValue {
        let groups = core ? [""] : ResourceType.groups
        let items: [JSONValue] = groups.map { group in
            let resources: [JSONValue] = types.filter { $0.group == group }.map { type in
                func kind(_ group: String, _ version: String, _ kind: String) -> JSONValue {
                    .object(["group": .string(group), "version": .string(version), "kind": .string(kind)])
                }
                var resource: [String: JSONValue] = [
                    "resource": .string(type.name), "responseKind": kind(type.group, type.version, type.kind),
                    "scope": type.namespaced ? "Namespaced" : "Cluster", "singularResource": .string(type.singular),
                    "verbs": .array(ResourceType.verbs.map { .string($0) }),
                ]
                if !type.shortNames.isEmpty { resource["shortNames"] = .array(type.shortNames.map { .string($0) }) }
                if !type.categories.isEmpty { resource["categories"] = .array(type.categories.map { .string($0) }) }
                let subresources: [JSONValue] = ResourceType.Subresource.allCases.filter(type.subresources.contains).map { subresource in
                    let response = subresource.responseKind.map { kind($0.group, $0.version, $0.kind) } ?? kind(type.group, type.version, type.kind)
                    return .object(["subresource": .string(subresource.rawValue), "responseKind": response,
                                    "verbs": .array(subresource.verbs.map { .string($0) })])
                }
                if !subresources.isEmpty { resource["subresources"] = .array(subresources) }
                return .object(resource)
            }
            return .object(["metadata": .object(["name": .string(group), "creationTimestamp": .null]),
                            "versions": .array([.object(["version": "v1", "resources": .array(resources), "freshness": "Current"])])])
        }
        return .object(["kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": .object([:]), "items": .array(items)])
    }

    func resourceList(group: String, version: String) -> JSONValue {
        var resources: [JSONValue] = []
        for type in types where type.group == group && type.version == version {
            var resource: [String: JSONValue] = [
                "name": .string(type.name), "singularName": .string(type.singular), "namespaced": .bool(type.namespaced),
                "kind": .string(type.kind), "verbs": .array(ResourceType.verbs.map { .string($0) }),
                "storageVersionHash": .string(type.storageVersionHash),
            ]
            if !type.shortNames.isEmpty { resource["shortNames"] = .array(type.shortNames.map { .string($0) }) }
            if !type.categories.isEmpty { resource["categories"] = .array(type.categories.map { .string($0) }) }
            resources.append(.object(resource))
            for subresource in ResourceType.Subresource.allCases where type.subresources.contains(subresource) {
                var entry: [String: JSONValue] = ["name": .string("\(type.name)/\(subresource.rawValue)"), "singularName": "",
                                                  "namespaced": .bool(type.namespaced), "kind": .string(type.kind),
                                                  "verbs": .array(subresource.verbs.map { .string($0) })]
                if let (group, version, kind) = subresource.responseKind {
                    (entry["group"], entry["version"], entry["kind"]) = (.string(group), .string(version), .string(kind))
                }
                resources.append(.object(entry))
            }
        }
        let groupVersion = group.isEmpty ? version : "\(group)/\(version)"
        return .object(["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion), "resources": .array(resources)])
    }

    // MARK: - Table printing

    private func wantsTable(_ request: APIRequest) -> Bool {
        request.accept.split(separator: ",").first.map { $0.contains("as=Table") } ?? false
    }

    /// A meta.k8s.io/v1 Table: NAME and the kind's columns, each row with its object's
    /// metadata (PartialObjectMetadata), as `kubectl get` asks for. Cells come from the stored
    /// form, as upstream prints its internal one whichever version was asked for.
    func table(_ type: ResourceType, list: JSONValue) -> JSONValue {
        var columns: [JSONValue] = type.nameColumn ? [.object(["name": "Name", "type": "string", "format": "name", "priority": .int(0),
                                                               "description": "Name must be unique within a namespace."])] : []
        columns += type.columns.map {
            .object(["name": .string($0.name), "type": .string($0.type), "format": .string($0.format),
                     "description": .string($0.description), "priority": .int(Int64($0.priority))])
        }
        let items: [JSONValue] = { if case .array(let items)? = list["items"] { return items } else { return [] } }()
        let rows: [JSONValue] = items.map { item in
            let stored = type.toStorage(item)
            let cells: [JSONValue] = (type.nameColumn ? [item["metadata"]?["name"] ?? ""] : [])
                + (type.cells?(stored) ?? type.columns.map { $0.cell?(stored) ?? "" })
            return .object(["cells": .array(cells), "object": .object([
                "kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": item["metadata"] ?? .object([:]),
            ])])
        }
        return .object(["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": list["metadata"] ?? .object([:]),
                        "columnDefinitions": .array(columns), "rows": .array(rows)])
    }

    // MARK: - Watch

    /// Each event's object as a one-row Table; only the first carries the columns (the
    /// client prints the header once), as upstream's watch of `as=Table`.
    private func tableEvents(_ type: ResourceType, _ events: AsyncThrowingStream<JSONValue, any Error>) -> AsyncThrowingStream<JSONValue, any Error> {
        let handler = self
        return AsyncThrowingStream { continuation in
            let task = Task {
                var first = true
                do {
                    for try await var event in events {
                        if let object = event["object"], object["kind"]?.stringValue != "Status", event["type"]?.stringValue != "BOOKMARK" {
                            var table = handler.table(type, list: .object(["metadata": .object([:]), "items": .array([object])]))
                            if !first { table["columnDefinitions"] = .array([]) }
                            first = false
                            event["object"] = table
                        }
                        continuation.yield(event)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Events from `resourceVersion` on (or, without one, ADDED for every current object
    /// first, as upstream's watch from "now" with a synthetic list). A revision that
    /// compaction removed gives one ERROR event with 410 Expired, and the client relists.
    private func watchStream(_ type: ResourceType, namespace: String?, request: APIRequest,
                             options: ObjectRegistry.ListOptions) async throws -> AsyncThrowingStream<JSONValue, any Error> {
        let prefix = type.keyPrefix(namespace: namespace)
        var initial: [JSONValue] = []
        var from: Revision
        let bookmarks = request.query["allowWatchBookmarks"] == "true"
        let sendInitialEvents = request.query["sendInitialEvents"] == "true"
        if let rv = options.resourceVersion, !rv.isEmpty, rv != "0", !sendInitialEvents {
            guard let revision = Revision(rv) else { throw APIError.badRequest("invalid resource version: \(rv)") }
            from = revision + 1
        } else {
            let list = try await registry.list(type, namespace: namespace, options: options)
            if case .array(let items)? = list["items"] { initial = items.map { .object(["type": "ADDED", "object": $0]) } }
            from = (Revision(list["metadata"]?["resourceVersion"]?.stringValue ?? "0") ?? 0) + 1
        }
        let timeout = request.query["timeoutSeconds"].flatMap(Double.init)
        let registry = registry
        let stream: WatchStream
        do {
            stream = try await registry.store.watch(.prefix(prefix), fromRevision: from)
        } catch KubeStoreError.compacted(let compacted) {
            let expired: JSONValue = .object(["type": "ERROR", "object": APIError.gone("too old resource version: \(from - 1) (\(compacted))").status])
            return AsyncThrowingStream { $0.yield(expired); $0.finish() }
        }
        let (initialEvents, start) = (initial, from)
        let progress = WatchProgress(from - 1)
        let interval = bookmarkInterval
        @Sendable func bookmark(_ revision: Revision, initialEventsEnd: Bool = false) -> JSONValue {
            var metadata: [String: JSONValue] = ["resourceVersion": .string(String(revision))]
            if initialEventsEnd { metadata["annotations"] = .object(["k8s.io/initial-events-end": "true"]) }
            return .object(["type": "BOOKMARK", "object": .object(["kind": .string(type.kind), "apiVersion": .string(type.apiVersion),
                                                                   "metadata": .object(metadata)])])
        }
        return AsyncThrowingStream { continuation in
            let task = Task {
                for event in initialEvents { continuation.yield(event) }
                // WatchList: the end of the initial state, marked for the client's reflector.
                if sendInitialEvents, bookmarks { continuation.yield(bookmark(start - 1, initialEventsEnd: true)) }
                do {
                    for try await batch in stream {
                        for event in batch {
                            defer { progress.advance(to: event.revision) }
                            var object: JSONValue
                            let change: String
                            switch event.kind {
                            case .put:
                                object = try registry.object(event.kv)
                                change = event.isCreate ? "ADDED" : "MODIFIED"
                            case .delete:
                                guard let previous = event.prevKV else { continue }
                                object = try registry.object(previous)
                                object["metadata"]?["resourceVersion"] = .string(String(event.revision))
                                change = "DELETED"
                            }
                            if let labels = options.labels, !labels.matches(ObjectRegistry.labels(object)) { continue }
                            if let fields = options.fields, !fields.matches(object) { continue }
                            continuation.yield(.object(["type": .string(change), "object": type.fromStorage(object)]))
                        }
                    }
                } catch KubeStoreError.compacted(let compacted) {
                    continuation.yield(.object(["type": "ERROR", "object": APIError.gone("too old resource version: \(progress.revision) (\(compacted))").status]))
                } catch {}
                continuation.finish()
            }
            // timeoutSeconds, as upstream: the watch ends cleanly and the client re-watches.
            let timer = timeout.map { seconds in Task { try? await Task.sleep(for: .seconds(seconds)); stream.cancel() } }
            // Bookmarks carry the revision every event up to which this watch has passed
            // on (or skipped), so a client resuming from one misses nothing.
            let bookmarker = bookmarks ? Task {
                while (try? await Task.sleep(for: interval)) != nil {
                    continuation.yield(bookmark(progress.revision))
                }
            } : nil
            continuation.onTermination = { _ in
                stream.cancel()
                task.cancel()
                timer?.cancel()
                bookmarker?.cancel()
            }
        }
    }
}

/// The last revision a watch has passed on, shared with its bookmark timer.
private final class WatchProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var last: Revision

    init(_ revision: Revision) { last = revision }

    var revision: Revision { lock.withLock { last } }

    func advance(to revision: Revision) { lock.withLock { last = max(last, revision) } }
}
