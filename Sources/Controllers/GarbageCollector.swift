import Foundation
import KubeAPI
import KubeClient

/// Upstream's garbage collector: objects whose owners (`ownerReferences`) are all gone are
/// deleted; an owner deleted with propagationPolicy Foreground (finalizer
/// `foregroundDeletion`) waits until its blocking dependents are gone, and one deleted with
/// Orphan (finalizer `orphan`) has its references stripped from its dependents first. It
/// keeps a graph of every object's owners from a list and watch of each resource type and
/// works through a queue of objects to look at, one at a time.
public actor GarbageCollector {
    struct Owner: Equatable {
        var uid: String
        var apiVersion: String
        var kind: String
        var name: String
        var blocksDeletion: Bool
    }

    struct Node {
        var resource: APIResource
        var namespace: String?
        var name: String
        var owners: [Owner]
        var finalizers: [String]
        var deleting: Bool
    }

    let client: KubeClient
    let log: @Sendable (String) -> Void
    var discovery = Discovery(resources: [])
    var nodes: [String: Node] = [:]
    /// Owner uid → the uids of the objects that name it.
    var dependents: [String: Set<String>] = [:]
    var queue: [String] = []
    var queued: Set<String> = []
    var wake: AsyncStream<Void>.Continuation?

    static let foreground = "foregroundDeletion"
    static let orphan = "orphan"

    public init(client: KubeClient, log: @escaping @Sendable (String) -> Void) {
        self.client = client
        self.log = log
    }

    /// Watches every type (events aside, as upstream) and collects until cancelled.
    public func run() async {
        while !Task.isCancelled {
            do {
                discovery = try await Discovery.load(client)
                break
            } catch {
                try? await Task.sleep(for: .seconds(1))
            }
        }
        let (signals, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.wake = wake
        await withTaskGroup(of: Void.self) { group in
            for resource in discovery.resources where resource.name != "events" {
                group.addTask { await self.follow(resource) }
            }
            group.addTask {
                for await _ in signals { await self.drain() }
            }
        }
    }

    /// List, then watch from the list's revision; after an error (410 included) relist.
    func follow(_ resource: APIResource) async {
        while !Task.isCancelled {
            do {
                let list = try await client.list(resource)
                replaceAll(resource, list["items"]?.arrayValue ?? [])
                let events = try await client.watch(resource, resourceVersion: list["metadata"]?["resourceVersion"]?.stringValue)
                for try await event in events where event.type != "BOOKMARK" {
                    observe(resource, event.object, deleted: event.type == "DELETED")
                }
            } catch {
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    // MARK: The graph

    func replaceAll(_ resource: APIResource, _ objects: [JSONValue]) {
        let listed = Set(objects.compactMap { $0["metadata"]?["uid"]?.stringValue })
        for (uid, node) in nodes where node.resource == resource && !listed.contains(uid) { remove(uid) }
        for object in objects { observe(resource, object, deleted: false) }
    }

    func observe(_ resource: APIResource, _ object: JSONValue, deleted: Bool) {
        let metadata = object["metadata"]
        guard let uid = metadata?["uid"]?.stringValue else { return }
        if deleted { remove(uid); return }
        let owners = (metadata?["ownerReferences"]?.arrayValue ?? []).compactMap { reference -> Owner? in
            guard let ownerUID = reference["uid"]?.stringValue else { return nil }
            return Owner(uid: ownerUID, apiVersion: reference["apiVersion"]?.stringValue ?? "", kind: reference["kind"]?.stringValue ?? "",
                         name: reference["name"]?.stringValue ?? "", blocksDeletion: reference["blockOwnerDeletion"] == .bool(true))
        }
        let node = Node(resource: resource, namespace: metadata?["namespace"]?.stringValue, name: metadata?["name"]?.stringValue ?? "",
                        owners: owners, finalizers: metadata?["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                        deleting: metadata?["deletionTimestamp"] != nil)
        let previous = nodes[uid]
        for owner in previous?.owners ?? [] where !owners.contains(owner) { dependents[owner.uid]?.remove(uid) }
        for owner in owners { dependents[owner.uid, default: []].insert(uid) }
        nodes[uid] = node
        if !owners.isEmpty { enqueue(uid) }
        if node.deleting, node.finalizers.contains(Self.foreground) || node.finalizers.contains(Self.orphan) {
            enqueue(uid)
            // Its dependents now see an owner waiting for them.
            if previous?.deleting != true { dependents[uid]?.forEach(enqueue) }
        }
    }

    func remove(_ uid: String) {
        guard let node = nodes.removeValue(forKey: uid) else { return }
        for owner in node.owners {
            dependents[owner.uid]?.remove(uid)
            enqueue(owner.uid)  // an owner in foreground deletion may be free to go
        }
        dependents[uid]?.forEach(enqueue)
    }

    func enqueue(_ uid: String) {
        guard queued.insert(uid).inserted else { return }
        queue.append(uid)
        wake?.yield()
    }

    // MARK: Work

    func drain() async {
        while !queue.isEmpty {
            let uid = queue.removeFirst()
            queued.remove(uid)
            guard let node = nodes[uid] else { continue }
            do {
                try await process(uid, node)
            } catch let error as StatusError where error.code == 404 || error.code == 409 {
                // Changed or gone meanwhile: its next watch event brings it back if needed.
            } catch {
                log("garbage collector: \(node.resource.objectName(node.name)): \(error)")
                Task {
                    try? await Task.sleep(for: .seconds(1))
                    self.enqueue(uid)
                }
            }
        }
    }

    func process(_ uid: String, _ node: Node) async throws {
        if node.deleting, node.finalizers.contains(Self.orphan) {
            for dependent in dependents[uid] ?? [] {
                guard let other = nodes[dependent] else { continue }
                try await update(other) { Self.dropOwners(&$0) { $0 == uid } }
            }
            try await update(node) { $0["metadata"]?["finalizers"] = .array(node.finalizers.filter { $0 != Self.orphan }.map { .string($0) }) }
            return
        }
        if node.deleting, node.finalizers.contains(Self.foreground) {
            let blocking = (dependents[uid] ?? []).filter { nodes[$0]?.owners.contains { $0.uid == uid && $0.blocksDeletion } == true }
            if blocking.isEmpty {
                try await update(node) { $0["metadata"]?["finalizers"] = .array(node.finalizers.filter { $0 != Self.foreground }.map { .string($0) }) }
            }
            return
        }
        guard !node.owners.isEmpty, !node.deleting else { return }
        var solid: [Owner] = [], dangling: [Owner] = [], waiting: [Owner] = []
        for owner in node.owners {
            switch try await state(of: owner, namespace: node.namespace) {
            case .solid: solid.append(owner)
            case .dangling: dangling.append(owner)
            case .waiting: waiting.append(owner)
            }
        }
        if !solid.isEmpty {
            // Still owned: only the references to owners that are gone or going are dropped.
            let dropped = Set((dangling + waiting).map(\.uid))
            guard !dropped.isEmpty else { return }
            try await update(node) { Self.dropOwners(&$0, dropped.contains) }
            return
        }
        // Every owner is gone or going. With an owner waiting for it and dependents of its
        // own, it goes the same way (Foreground); otherwise as its finalizers say.
        let policy = !waiting.isEmpty && !(dependents[uid] ?? []).isEmpty ? "Foreground"
            : node.finalizers.contains(Self.orphan) ? "Orphan" : node.finalizers.contains(Self.foreground) ? "Foreground" : "Background"
        _ = try await client.delete(node.resource, namespace: node.namespace, name: node.name, propagationPolicy: policy, preconditionUID: uid)
        log("garbage collector: deleted \(node.resource.objectName(node.name))\(node.namespace.map { " in \($0)" } ?? "") (\(policy)): its owners are gone")
    }

    enum OwnerState { case solid, dangling, waiting }

    /// From the graph when it knows the owner; otherwise the server says (the graph may
    /// not have seen a new owner yet). An owner of an unknown type counts as present.
    func state(of owner: Owner, namespace: String?) async throws -> OwnerState {
        if let node = nodes[owner.uid] { return node.deleting && node.finalizers.contains(Self.foreground) ? .waiting : .solid }
        guard let resource = try? discovery.resolve(apiVersion: owner.apiVersion, kind: owner.kind) else { return .solid }
        let object = try await client.get(resource, namespace: resource.namespaced ? namespace : nil, name: owner.name)
        guard let object, object["metadata"]?["uid"]?.stringValue == owner.uid else { return .dangling }
        let finalizers = object["metadata"]?["finalizers"]?.arrayValue ?? []
        return object["metadata"]?["deletionTimestamp"] != nil && finalizers.contains(.string(Self.foreground)) ? .waiting : .solid
    }

    static func dropOwners(_ object: inout JSONValue, _ dropped: (String) -> Bool) {
        let kept = (object["metadata"]?["ownerReferences"]?.arrayValue ?? []).filter { !dropped($0["uid"]?.stringValue ?? "") }
        object["metadata"]?["ownerReferences"] = kept.isEmpty ? nil : .array(kept)
    }

    /// Read, change, write back at the version read (a conflict comes back through the watch).
    func update(_ node: Node, _ change: (inout JSONValue) -> Void) async throws {
        guard var object = try await client.get(node.resource, namespace: node.namespace, name: node.name) else { return }
        change(&object)
        _ = try await client.update(node.resource, namespace: node.namespace, object)
    }
}
