import Foundation
import KubeAPI
import KubeStore
import Netlink

/// The generic registry behind every kind (upstream's genericregistry.Store): objects as
/// JSON under `/registry/<resource>/[<namespace>/]<name>` in the KubeStore, with the
/// object metadata semantics of the API — uid, creationTimestamp, resourceVersion (the
/// key's mod revision, never stored in the value), optimistic concurrency, generateName,
/// finalizers and deletionTimestamp.
public final class ObjectRegistry: Sendable {
    let store: KubeStore
    let clusterIPs: ClusterIPAllocator

    /// `serviceNetwork`: where Services' cluster IPs come from (`--service-cidr`).
    public init(store: KubeStore, serviceNetwork: IPv4Network = IPv4Network("10.43.0.0/16")!) {
        self.store = store
        clusterIPs = ClusterIPAllocator(store: store, network: serviceNetwork)
    }

    // MARK: - Reads

    func get(_ type: ResourceType, namespace: String?, name: String) async throws -> JSONValue {
        guard let kv = try await store.get(type.key(namespace: namespace, name: name)) else { throw APIError.notFound(type, name) }
        return try object(kv, as: type)
    }

    struct ListOptions {
        var labels: LabelSelector?
        var fields: FieldSelector?
        var limit = 0
        var continueToken: String?
        var resourceVersion: String?
        var resourceVersionMatch: String?
    }

    func list(_ type: ResourceType, namespace: String?, options: ListOptions) async throws -> JSONValue {
        var revision: Revision?
        var after: String?
        let prefix = type.keyPrefix(namespace: namespace)
        if let token = options.continueToken, !token.isEmpty {
            guard let data = Data(base64Encoded: token), let json = try? JSONValue.parse(String(decoding: data, as: UTF8.self)),
                  case .int(let rv)? = json["rv"], let start = json["start"]?.stringValue else {
                throw APIError.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
            }
            revision = rv
            after = prefix + start
        } else if let rv = options.resourceVersion, !rv.isEmpty, rv != "0", options.resourceVersionMatch == "Exact" {
            guard let exact = Revision(rv) else { throw APIError.badRequest("invalid resource version: \(rv)") }
            revision = exact
        }
        var items: [JSONValue] = []
        var result: RangeResult
        repeat {
            do {
                result = try await store.range(.prefix(prefix), revision: revision, limit: options.limit, continueAfter: after)
            } catch KubeStoreError.compacted {
                throw APIError.gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
            }
            revision = result.revision
            for kv in result.kvs {
                // Selectors match the stored form, as upstream's match its internal one.
                let item = try object(kv)
                if let labels = options.labels, !labels.matches(Self.labels(item)) { continue }
                if let fields = options.fields, !fields.matches(item) { continue }
                items.append(type.fromStorage(item))
            }
            after = result.kvs.last?.key
            // A selective page may come back short: fill it, as upstream does, while keys remain.
        } while options.limit > 0 && items.count < options.limit && result.more && (options.labels != nil || options.fields != nil)
        var metadata: [String: JSONValue] = ["resourceVersion": .string(String(result.revision))]
        if result.more, let last = after {
            let token: JSONValue = .object(["v": "meta.k8s.io/v1", "rv": .int(result.revision), "start": .string(String(last.dropFirst(prefix.count)))])
            metadata["continue"] = .string(Data(token.jsonText.utf8).base64EncodedString())
            if options.labels == nil && options.fields == nil {
                metadata["remainingItemCount"] = .int(Int64(max(0, result.count - result.kvs.count)))
            }
        }
        return .object(["kind": .string("\(type.kind)List"), "apiVersion": .string(type.apiVersion),
                        "metadata": .object(metadata), "items": .array(items)])
    }

    // MARK: - Writes

    func create(_ type: ResourceType, namespace: String?, body: JSONValue, dryRun: Bool,
                validation: ResourceType.FieldValidation = .warn) async throws -> JSONValue {
        var object = try checkIdentity(type, body, namespace: namespace)
        var name = object["metadata"]?["name"]?.stringValue ?? ""
        if name.isEmpty, let prefix = object["metadata"]?["generateName"]?.stringValue, !prefix.isEmpty {
            name = prefix + Self.randomSuffix()
            object["metadata"]?["name"] = .string(name)
        }
        try validate(type, object, name: name, generateName: object["metadata"]?["generateName"]?.stringValue)
        if type.namespaced, let namespace {
            guard let kv = try await store.get(ResourceType.namespaces.key(namespace: nil, name: namespace)) else {
                throw APIError.notFound(.namespaces, namespace)
            }
            if try self.object(kv)["metadata"]?["deletionTimestamp"] != nil {
                throw APIError(code: 403, reason: "Forbidden",
                               message: "\(type.qualifiedName) \"\(name)\" is forbidden: unable to create new content in namespace \(namespace) because it is being terminated",
                               details: .object(["name": .string(name), "kind": .string(type.name), "causes": .array([.object([
                                   "reason": "NamespaceTerminating", "message": .string("namespace \(namespace) is being terminated"),
                                   "field": "metadata.namespace"])])]))
            }
        }
        object["metadata"]?["uid"] = .string(UUID().uuidString.lowercased())
        object["metadata"]?["creationTimestamp"] = .string(Self.now())
        for field in ["resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "generation"] { object["metadata"]?[field] = nil }
        if type.tracksGeneration { object["metadata"]?["generation"] = .int(1) }
        // Status is the controllers' to write, through /status.
        if type.subresources.contains(.status), type.clearsStatusOnCreate { object["status"] = nil }
        try type.decode(&object, validation)
        type.applyDefaults(&object)
        try validateStored(type, object, name: name, create: true)
        let key = type.key(namespace: namespace, name: name)
        if dryRun {
            if try await store.get(key) != nil { throw APIError.alreadyExists(type, name) }
            return object
        }
        var clusterIP: String?
        if type.name == ResourceType.services.name, object["spec"]?["type"]?.stringValue != "ExternalName" {
            clusterIP = try await clusterIPs.allocate(object["spec"]?["clusterIP"]?.stringValue, for: "\(namespace ?? "")/\(name)", serviceName: name)
            let assigned: JSONValue = clusterIP.map { .string($0) } ?? "None"
            object["spec"]?["clusterIP"] = assigned
            object["spec"]?["clusterIPs"] = .array([assigned])
        }
        do {
            let revision = try await store.create(key, value: type.toStorage(object).jsonData)
            object["metadata"]?["resourceVersion"] = .string(String(revision))
            return object
        } catch {
            await clusterIPs.release(clusterIP)
            if case KubeStoreError.alreadyExists = error { throw APIError.alreadyExists(type, name) }
            throw error
        }
    }

    /// PUT: the whole object (or its status, or its Scale), conditional on its
    /// resourceVersion when it carries one.
    func update(_ type: ResourceType, namespace: String?, name: String, body: JSONValue, dryRun: Bool,
                validation: ResourceType.FieldValidation = .warn, subresource: ResourceType.Subresource? = nil) async throws -> JSONValue {
        let key = type.key(namespace: namespace, name: name)
        guard let current = try await store.get(key) else { throw APIError.notFound(type, name) }
        let object = try subresource == .scale ? scaled(type, try object(current, as: type), by: body, name: name)
            : checkIdentity(type, body, namespace: namespace)
        let bodyName = object["metadata"]?["name"]?.stringValue ?? ""
        guard bodyName == name else {
            throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        if let rv = object["metadata"]?["resourceVersion"]?.stringValue, !rv.isEmpty, rv != String(current.modRevision) {
            throw APIError.conflict(type, name)
        }
        let result = try await replace(type, current: current, with: object, name: name, dryRun: dryRun, validation: validation, subresource: subresource)
        return subresource == .scale ? Self.scale(type, result) : result
    }

    /// The autoscaling/v1 Scale view of a replicated kind (`/scale`).
    static func scale(_ type: ResourceType, _ object: JSONValue) -> JSONValue {
        var metadata: [String: JSONValue] = [:]
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] { metadata[field] = object["metadata"]?[field] }
        let selector = ResourceType.formatSelector(object["spec"]?["selector"])
        return .object([
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": .object(metadata),
            "spec": .object(["replicas": .int(ResourceType.int(object["spec"]?["replicas"]))]),
            "status": .object(["replicas": .int(ResourceType.int(object["status"]?["replicas"])),
                               "selector": .string(selector == "<none>" ? "" : selector)]),
        ])
    }

    /// The object with the replicas a Scale asks for (and the Scale's resourceVersion, for the precondition).
    private func scaled(_ type: ResourceType, _ object: JSONValue, by scale: JSONValue, name: String) throws -> JSONValue {
        guard case .int(let replicas)? = scale["spec"]?["replicas"] else {
            throw APIError.invalid(kind: "Scale", group: "autoscaling", name, [("spec.replicas", "FieldValueRequired", "Required value")])
        }
        if replicas < 0 {
            throw APIError.invalid(kind: "Scale", group: "autoscaling", name,
                                   [("spec.replicas", "FieldValueInvalid", "Invalid value: \(replicas): must be greater than or equal to 0")])
        }
        var result = object
        result["spec"]?["replicas"] = .int(replicas)
        result["metadata"]?["resourceVersion"] = scale["metadata"]?["resourceVersion"]
        return result
    }

    /// PATCH: applied to the current object and written conditionally, retried when
    /// another write came between (as upstream's patcher).
    func patch(_ type: ResourceType, namespace: String?, name: String, contentType: String, patch: JSONValue, dryRun: Bool,
               validation: ResourceType.FieldValidation = .warn, subresource: ResourceType.Subresource? = nil) async throws -> JSONValue {
        let key = type.key(namespace: namespace, name: name)
        for _ in 0..<5 {
            guard let current = try await store.get(key) else { throw APIError.notFound(type, name) }
            let existing = try object(current, as: type)
            let target = subresource == .scale ? Self.scale(type, existing) : existing
            var patched: JSONValue
            switch contentType {
            case "application/merge-patch+json": patched = Patch.mergePatch(target, patch)
            case "application/strategic-merge-patch+json": patched = StrategicMerge.apply(target, patch)
            case "application/json-patch+json":
                do { patched = try Patch.jsonPatch(target, patch) } catch {
                    throw APIError(code: 422, reason: "Invalid", message: error.message)
                }
            default: throw APIError.unsupportedMediaType(contentType)
            }
            let rv = patched["metadata"]?["resourceVersion"]?.stringValue ?? ""
            if !rv.isEmpty, rv != String(current.modRevision) { throw APIError.conflict(type, name) }
            patched = try subresource == .scale ? scaled(type, existing, by: patched, name: name) : checkIdentity(type, patched, namespace: namespace)
            guard patched["metadata"]?["name"]?.stringValue == name else {
                throw APIError.badRequest("the name of the object (\(patched["metadata"]?["name"]?.stringValue ?? "")) does not match the name on the URL (\(name))")
            }
            do {
                let result = try await replace(type, current: current, with: patched, name: name, dryRun: dryRun, validation: validation,
                                               subresource: subresource)
                return subresource == .scale ? Self.scale(type, result) : result
            } catch let error as APIError where error.reason == "Conflict" && rv.isEmpty {
                continue
            }
        }
        throw APIError.conflict(type, name)
    }

    /// Writes `body` over the stored object. A kind with a status subresource keeps its
    /// status on writes to the object, and a write to /status changes only the status.
    private func replace(_ type: ResourceType, current: KeyValue, with body: JSONValue, name: String, dryRun: Bool,
                         validation: ResourceType.FieldValidation, subresource: ResourceType.Subresource?) async throws -> JSONValue {
        let existing = try object(current, as: type)
        var object = body
        if subresource == .status {
            object = existing
            object["status"] = body["status"]
        } else if type.subresources.contains(.status) {
            object["status"] = existing["status"]
        }
        try validate(type, object, name: name, generateName: nil)
        // Set by the server only: kept from the stored object whatever the body says.
        for field in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generateName", "generation"] {
            object["metadata"]?[field] = existing["metadata"]?[field]
        }
        object["metadata"]?["resourceVersion"] = nil
        if type.name == ResourceType.services.name {
            // A Service's cluster IP is immutable; an update that leaves it out keeps it.
            let assigned = existing["spec"]?["clusterIP"]
            let asked = object["spec"]?["clusterIP"]?.stringValue ?? ""
            if !asked.isEmpty, let assigned, asked != assigned.stringValue {
                throw APIError.invalid(type, name, [("spec.clusterIPs[0]", "FieldValueInvalid", "Invalid value: \"\(asked)\": may not change once set")])
            }
            object["spec"]?["clusterIP"] = assigned
            object["spec"]?["clusterIPs"] = existing["spec"]?["clusterIPs"]
        }
        try type.decode(&object, validation)
        type.applyDefaults(&object)
        try validateStored(type, object, name: name, create: false)
        // generation counts changes to everything but metadata and status.
        if type.tracksGeneration {
            func spec(_ value: JSONValue) -> JSONValue {
                var rest = value
                rest["metadata"] = nil
                rest["status"] = nil
                return rest
            }
            let generation = ResourceType.int(existing["metadata"]?["generation"])
            let changed = spec(object) != spec(existing)
            object["metadata"]?["generation"] = .int(changed ? generation + 1 : generation)
        }
        var stored = existing
        stored["metadata"]?["resourceVersion"] = nil
        if object == stored {  // a no-op write changes nothing, not even the resourceVersion
            return existing
        }
        let key = current.key
        // Finalizers gone from an object being deleted: now it goes.
        if existing["metadata"]?["deletionTimestamp"] != nil, (object["metadata"]?["finalizers"]).map({ $0 == .array([]) || $0 == .null }) ?? true {
            if !dryRun {
                _ = try await store.delete(key, expectedModRevision: current.modRevision)
                await released(type, existing)
            }
            return object
        }
        if dryRun {
            object["metadata"]?["resourceVersion"] = .string(String(current.modRevision))
            return object
        }
        do {
            let revision = try await store.update(key, value: type.toStorage(object).jsonData, expectedModRevision: current.modRevision)
            object["metadata"]?["resourceVersion"] = .string(String(revision))
            return object
        } catch KubeStoreError.conflict {
            throw APIError.conflict(type, name)
        } catch KubeStoreError.notFound {
            throw APIError.notFound(type, name)
        }
    }

    struct DeleteOptions {
        var preconditionUID: String?
        var preconditionResourceVersion: String?
        var dryRun = false
        var propagationPolicy = PropagationPolicy.background
        var gracePeriodSeconds: Int64?
    }

    /// What happens to an object's dependents (objects whose ownerReferences name it): the
    /// garbage collector deletes them after it (Background), before it (Foreground: the
    /// owner waits, finalizer `foregroundDeletion`), or strips the reference (Orphan:
    /// finalizer `orphan`).
    enum PropagationPolicy: String {
        case foreground = "Foreground", background = "Background", orphan = "Orphan"

        /// The finalizer that holds the owner until the collector has done its part.
        var finalizer: String? {
            switch self {
            case .foreground: return "foregroundDeletion"
            case .orphan: return "orphan"
            case .background: return nil
            }
        }
    }

    /// DELETE: an object with finalizers gets a deletionTimestamp and stays until they are
    /// removed; otherwise it goes now. A namespace takes its objects with it.
    func delete(_ type: ResourceType, namespace: String?, name: String, options: DeleteOptions) async throws -> JSONValue {
        let key = type.key(namespace: namespace, name: name)
        guard let current = try await store.get(key) else { throw APIError.notFound(type, name) }
        var object = try object(current, as: type)
        let uid = object["metadata"]?["uid"]?.stringValue ?? ""
        if let expected = options.preconditionUID, expected != uid {
            throw APIError(code: 409, reason: "Conflict",
                           message: "Operation cannot be fulfilled on \(type.qualifiedName) \"\(name)\": Precondition failed: UID in precondition: \(expected), UID in object meta: \(uid)",
                           details: APIError.details(type, name: name))
        }
        if let expected = options.preconditionResourceVersion, expected != String(current.modRevision) {
            throw APIError(code: 409, reason: "Conflict",
                           message: "Operation cannot be fulfilled on \(type.qualifiedName) \"\(name)\": Precondition failed: ResourceVersion in precondition: \(expected), ResourceVersion in object meta: \(current.modRevision)",
                           details: APIError.details(type, name: name))
        }
        let success: JSONValue = .object([
            "kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Success",
            "details": .object(["name": .string(name), "group": .string(type.group), "kind": .string(type.name), "uid": .string(uid)]),
        ])
        if options.dryRun { return success }
        var finalizers = object["metadata"]?["finalizers"]?.arrayValue ?? []
        var changed = false
        if let finalizer = options.propagationPolicy.finalizer, type.name != "namespaces", !finalizers.contains(.string(finalizer)) {
            finalizers.append(.string(finalizer))
            object["metadata"]?["finalizers"] = .array(finalizers)
            changed = true
        }
        // A pod on a node stops first: its kubelet kills the containers within the grace
        // period, then deletes it for good with a grace period of 0. A later, shorter one wins.
        let grace = type.name == "pods" ? Self.podGracePeriod(object, requested: options.gracePeriodSeconds) : 0
        if !finalizers.isEmpty || grace > 0 {
            let pending = object["metadata"]?["deletionGracePeriodSeconds"]?.intValue
            if object["metadata"]?["deletionTimestamp"] == nil || pending.map({ grace < $0 }) == true {
                object["metadata"]?["deletionTimestamp"] = .string(Self.now(plus: grace))
                object["metadata"]?["deletionGracePeriodSeconds"] = .int(grace)
                changed = true
            }
            if changed {
                object["metadata"]?["resourceVersion"] = nil
                do {
                    let revision = try await store.update(key, value: type.toStorage(object).jsonData, expectedModRevision: current.modRevision)
                    object["metadata"]?["resourceVersion"] = .string(String(revision))
                } catch KubeStoreError.conflict {
                    throw APIError.conflict(type, name)
                }
            }
            return object
        }
        if type.name == "namespaces" {
            // Terminating first: no new content, then emptied in the background and removed
            // once empty, as upstream's namespace controller does.
            if object["metadata"]?["deletionTimestamp"] == nil {
                object["metadata"]?["deletionTimestamp"] = .string(Self.now())
                object["metadata"]?["deletionGracePeriodSeconds"] = .int(0)
                object["status"] = .object(["phase": "Terminating"])
                object["metadata"]?["resourceVersion"] = nil
                do {
                    let revision = try await store.update(key, value: object.jsonData, expectedModRevision: current.modRevision)
                    object["metadata"]?["resourceVersion"] = .string(String(revision))
                } catch KubeStoreError.conflict {
                    throw APIError.conflict(type, name)
                }
                finishTermination(of: name)
            }
            return object
        }
        do {
            _ = try await store.delete(key, expectedModRevision: current.modRevision)
        } catch KubeStoreError.conflict {
            throw APIError.conflict(type, name)
        }
        await released(type, object)
        return success
    }

    /// Empties a Terminating namespace — objects with finalizers get their deletionTimestamp
    /// and are waited for — then removes it. Runs in the background; a restarted server
    /// resumes it (`resumeTerminations`).
    func finishTermination(of namespace: String) {
        Task {
            let key = ResourceType.namespaces.key(namespace: nil, name: namespace)
            while !Task.isCancelled {
                var remaining = 0
                // A kind serving another's storage is emptied with that kind.
                for type in ResourceType.builtin where type.namespaced && type.storage == nil {
                    guard let kvs = try? await store.range(.prefix(type.keyPrefix(namespace: namespace))).kvs else { remaining += 1; continue }
                    for kv in kvs {
                        guard let item = try? self.object(kv), let itemName = item["metadata"]?["name"]?.stringValue else { continue }
                        if item["metadata"]?["deletionTimestamp"] == nil {
                            _ = try? await delete(type, namespace: namespace, name: itemName, options: DeleteOptions())
                        }
                        do {
                            if try await store.get(kv.key) != nil { remaining += 1 }
                        } catch {
                            remaining += 1
                        }
                    }
                }
                if remaining == 0 {
                    if let current = try? await store.get(key) { _ = try? await store.delete(key, expectedModRevision: current.modRevision) }
                    return
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Namespaces left Terminating by a stopped server go on being emptied.
    func resumeTerminations() async throws {
        for kv in try await store.range(.prefix(ResourceType.namespaces.keyPrefix(namespace: nil))).kvs {
            if try object(kv)["metadata"]?["deletionTimestamp"] != nil, let name = kv.key.split(separator: "/").last {
                finishTermination(of: String(name))
            }
        }
    }

    // MARK: - Helpers

    /// What a deleted object held outside its own key: a Service's cluster IP.
    private func released(_ type: ResourceType, _ object: JSONValue) async {
        if type.name == ResourceType.services.name { await clusterIPs.release(object["spec"]?["clusterIP"]?.stringValue) }
    }

    /// The stored object, as `type` serves it, with its resourceVersion.
    func object(_ kv: KeyValue, as type: ResourceType) throws -> JSONValue { type.fromStorage(try object(kv)) }

    /// The stored object, in its stored form, with its resourceVersion.
    func object(_ kv: KeyValue) throws -> JSONValue {
        guard var object = try? JSONValue.parse(String(decoding: kv.value, as: UTF8.self)) else {
            throw APIError.internalError("stored object \(kv.key) is not JSON")
        }
        object["metadata"]?["resourceVersion"] = .string(String(kv.modRevision))
        return object
    }

    /// Kind and apiVersion as the URL's, the namespace the URL's.
    private func checkIdentity(_ type: ResourceType, _ body: JSONValue, namespace: String?) throws -> JSONValue {
        guard case .object = body else { throw APIError.badRequest("the body of the request is not a JSON object") }
        var object = body
        let kind = object["kind"]?.stringValue ?? ""
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        if kind.isEmpty { object["kind"] = .string(type.kind) } else if kind != type.kind {
            throw APIError.badRequest("the kind in the data (\(kind)) does not match the expected kind (\(type.kind))")
        }
        if apiVersion.isEmpty { object["apiVersion"] = .string(type.apiVersion) } else if apiVersion != type.apiVersion {
            throw APIError.badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(type.apiVersion))")
        }
        if object["metadata"] == nil { object["metadata"] = .object([:]) }
        guard case .object = object["metadata"]! else { throw APIError.badRequest("metadata must be an object") }
        let bodyNamespace = object["metadata"]?["namespace"]?.stringValue ?? ""
        if type.namespaced {
            if !bodyNamespace.isEmpty, bodyNamespace != namespace {
                throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            object["metadata"]?["namespace"] = namespace.map { .string($0) }
        } else {
            object["metadata"]?["namespace"] = nil
        }
        return object
    }

    /// The kind's own checks, of the object's stored form.
    private func validateStored(_ type: ResourceType, _ object: JSONValue, name: String, create: Bool) throws {
        try ResourceType.check(type.validate?(type.toStorage(object), create) ?? [], kind: type.kind, group: type.group, name: name)
    }

    private func validate(_ type: ResourceType, _ object: JSONValue, name: String, generateName: String?) throws {
        var errors: [(field: String, type: String, message: String)] = []
        if name.isEmpty {
            errors.append(("metadata.name", "FieldValueRequired", "Required value: name or generateName is required"))
        } else {
            let problems = type.nameIsLabel ? NameValidation.isDNS1123Label(name) : NameValidation.isDNS1123Subdomain(name)
            for problem in problems { errors.append(("metadata.name", "FieldValueInvalid", "Invalid value: \"\(name)\": \(problem)")) }
        }
        for (field, check) in [("labels", true), ("annotations", false)] {
            guard let value = object["metadata"]?[field], value != .null else { continue }
            guard case .object(let members) = value else {
                errors.append(("metadata.\(field)", "FieldValueInvalid", "Invalid value: must be a map of strings"))
                continue
            }
            for (key, entry) in members.sorted(by: { $0.key < $1.key }) {
                for problem in NameValidation.isQualifiedName(key) {
                    errors.append(("metadata.\(field)", "FieldValueInvalid", "Invalid value: \"\(key)\": \(problem)"))
                }
                guard let text = entry.stringValue else {
                    errors.append(("metadata.\(field)", "FieldValueInvalid", "Invalid value: \"\(key)\": must be a string"))
                    continue
                }
                if check {
                    for problem in NameValidation.isValidLabelValue(text) {
                        errors.append(("metadata.labels", "FieldValueInvalid", "Invalid value: \"\(text)\": \(problem)"))
                    }
                }
            }
        }
        if !errors.isEmpty { throw APIError.invalid(type, name, errors) }
    }

    static func labels(_ object: JSONValue) -> [String: String] {
        (object["metadata"]?["labels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    static func now(plus seconds: Int64 = 0) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date().addingTimeInterval(TimeInterval(seconds)))
    }

    /// How long a deleted pod has to stop, as upstream's pod strategy decides: none when no
    /// kubelet runs it (not bound to a node) or it has finished; else what the request asks,
    /// or the pod's terminationGracePeriodSeconds (30 by default).
    static func podGracePeriod(_ pod: JSONValue, requested: Int64?) -> Int64 {
        guard !(pod["spec"]?["nodeName"]?.stringValue ?? "").isEmpty,
              !["Succeeded", "Failed"].contains(pod["status"]?["phase"]?.stringValue ?? "") else { return 0 }
        let grace = requested ?? pod["spec"]?["terminationGracePeriodSeconds"]?.intValue ?? 30
        return grace < 0 ? 1 : grace
    }

    /// Upstream's generateName suffix: 5 characters from an alphabet without vowels or
    /// look-alikes.
    static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement()! })
    }
}
