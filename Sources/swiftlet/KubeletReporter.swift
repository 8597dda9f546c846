import Foundation
import KubeAPI
import KubeClient
import Kubelet

/// The kubelet's side of the API, besides its node and lease (NodeRegistration).
///
/// The static pods as the API shows them: for each, upstream's kubelet keeps a "mirror
/// pod" — the same pod, annotated `kubernetes.io/config.mirror` with its config hash,
/// owned by the Node, carrying the kubelet's status — so `kubectl get pods` lists what
/// the node runs. A mirror deleted through the API comes back (the static pod never
/// stopped); one whose static pod is gone, or changed (a new hash), is deleted. A file
/// in the static pod directory that the kubelet cannot use becomes a Warning event on
/// the Node, so `kubectl describe node` and `kubectl get events` show it too. And a pod
/// on this node being deleted gracefully is deleted for good once its containers are
/// gone — at once today, as this kubelet runs only static pods.
actor KubeletReporter {
    let client: KubeClient
    let nodeName: String
    /// The kubelet's state directory, where each pod's status file is.
    let state: String
    static let mirrorAnnotation = "kubernetes.io/config.mirror"
    /// The API's pods on this node by `namespace/name`, from a list and watch of
    /// `spec.nodeName=<node>` (not a list every round: that would read every pod).
    var onNode: [String: JSONValue] = [:]
    var synced = false
    /// Failures logged (once each) and problem events posted.
    var reported: [String: String] = [:]
    var posted: Set<String> = []

    init(client: KubeClient, nodeName: String, state: String) {
        self.client = client
        self.nodeName = nodeName
        self.state = state
    }

    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.followPods() }
            group.addTask { await self.report() }
        }
    }

    private func report() async {
        while !Task.isCancelled {
            do {
                if synced { try await syncMirrors() }
                try await postProblems()
            } catch {
                report("mirror pods", "\(error)")
            }
            try? await Task.sleep(for: .seconds(2))
        }
    }

    private func followPods() async {
        let selector = "spec.nodeName=\(nodeName)"
        while !Task.isCancelled {
            do {
                let list = try await client.list(.pods, fieldSelector: selector)
                onNode = [:]
                for pod in list["items"]?.arrayValue ?? [] { await observe(pod) }
                synced = true
                let events = try await client.watch(.pods, resourceVersion: list["metadata"]?["resourceVersion"]?.stringValue,
                                                    fieldSelector: selector)
                for try await event in events where event.type != "BOOKMARK" {
                    if event.type == "DELETED" { onNode[Self.key(event.object)] = nil } else { await observe(event.object) }
                }
            } catch {
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// A pod being deleted gracefully goes for good: nothing of it runs here (a static
    /// pod's containers do not stop for its mirror, which comes back).
    private func observe(_ pod: JSONValue) async {
        onNode[Self.key(pod)] = pod
        guard pod["metadata"]?["deletionTimestamp"] != nil else { return }
        do { try await delete(pod) } catch { report("deleting pod \(Self.key(pod))", "\(error)") }
    }

    /// Logs a failure once, not every round.
    func report(_ key: String, _ message: String) {
        guard reported[key] != message else { return }
        reported[key] = message
        logLine("server: \(key): \(message)")
    }

    func syncMirrors() async throws {
        guard let node = try await client.get(.nodes, name: nodeName), let nodeUID = node["metadata"]?["uid"]?.stringValue else { return }
        var mirrors = onNode.filter {
            $0.value["metadata"]?["annotations"]?[Self.mirrorAnnotation] != nil && $0.value["metadata"]?["deletionTimestamp"] == nil
        }
        let encoder = JSONEncoder()
        for pod in Kubelet.podStatuses(state: state) {
            let hash = pod.metadata.uid ?? ""
            var mirror = try JSONValue.parse(String(decoding: try encoder.encode(pod), as: UTF8.self))
            let status = mirror["status"] ?? .object([:])
            mirror["apiVersion"] = "v1"
            mirror["kind"] = "Pod"
            mirror["status"] = nil
            for field in ["uid", "resourceVersion", "creationTimestamp"] { mirror["metadata"]?[field] = nil }
            var annotations = mirror["metadata"]?["annotations"]?.objectValue ?? [:]
            annotations[Self.mirrorAnnotation] = .string(hash)
            mirror["metadata"]?["annotations"] = .object(annotations)
            mirror["metadata"]?["ownerReferences"] = .array([.object([
                "apiVersion": "v1", "kind": "Node", "name": .string(nodeName), "uid": .string(nodeUID), "controller": true,
            ])])
            let key = Self.key(mirror)
            let namespace = mirror["metadata"]?["namespace"]?.stringValue ?? "default"
            do {
                var current = mirrors.removeValue(forKey: key)
                if let stale = current, stale["metadata"]?["annotations"]?[Self.mirrorAnnotation]?.stringValue != hash {
                    try await delete(stale)
                    current = nil
                }
                if current == nil {
                    current = try await client.create(.pods, namespace: namespace, mirror)
                    onNode[key] = current
                    logLine("server: created mirror pod \(key)")
                }
                if var current, current["status"] != status {
                    current["status"] = status
                    onNode[key] = try await client.update(.pods, namespace: namespace, current, subresource: "status")
                }
                reported[key] = nil
            } catch let error as StatusError {
                report("mirror pod \(key)", error.message)
            }
        }
        for stale in mirrors.values {
            try await delete(stale)
            onNode[Self.key(stale)] = nil
            logLine("server: deleted mirror pod \(Self.key(stale)): its static pod is gone")
        }
    }

    /// One event per problem (file and message) not yet posted by this server.
    func postProblems() async throws {
        let problems = Kubelet.problems(state: state)
        guard problems.contains(where: { !posted.contains("\($0["file"] ?? ""): \($0["message"] ?? "")") }),
              let node = try await client.get(.nodes, name: nodeName) else { return }
        for problem in problems {
            let text = "\(problem["file"] ?? ""): \(problem["message"] ?? "")"
            guard !posted.contains(text) else { continue }
            let now = NodeRegistration.timestamp()
            _ = try await client.create(.events, namespace: "default", .object([
                "apiVersion": "v1", "kind": "Event",
                "metadata": .object(["generateName": .string("\(nodeName).")]),
                "involvedObject": .object(["apiVersion": "v1", "kind": "Node", "name": .string(nodeName),
                                           "uid": node["metadata"]?["uid"] ?? .null]),
                "type": "Warning", "reason": "FailedStaticPod", "message": .string("static pod file \(text)"),
                "source": .object(["component": "kubelet", "host": .string(nodeName)]),
                "reportingComponent": "kubelet", "reportingInstance": .string(nodeName),
                "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": .int(1),
            ]))
            posted.insert(text)
        }
    }

    func delete(_ mirror: JSONValue) async throws {
        do {
            try await client.delete(.pods, namespace: mirror["metadata"]?["namespace"]?.stringValue,
                                    name: mirror["metadata"]?["name"]?.stringValue ?? "", gracePeriodSeconds: 0,
                                    preconditionUID: mirror["metadata"]?["uid"]?.stringValue)
        } catch let error as StatusError where error.code == 404 {}
    }

    static func key(_ pod: JSONValue) -> String {
        "\(pod["metadata"]?["namespace"]?.stringValue ?? "default")/\(pod["metadata"]?["name"]?.stringValue ?? "")"
    }
}
