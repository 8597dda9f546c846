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
struct KubeletReporter {
    let client: KubeClient
    let nodeName: String
    /// The kubelet's state directory, where each pod's status file is.
    let state: String
    static let mirrorAnnotation = "kubernetes.io/config.mirror"

    func run() async {
        var reported: [String: String] = [:]
        var posted: Set<String> = []
        while !Task.isCancelled {
            do {
                try await syncMirrors(reported: &reported)
                try await postProblems(&posted)
            } catch {
                report("mirror pods", "\(error)", &reported)
            }
            try? await Task.sleep(for: .seconds(2))
        }
    }

    /// Logs a failure once, not every round.
    func report(_ key: String, _ message: String, _ reported: inout [String: String]) {
        guard reported[key] != message else { return }
        reported[key] = message
        logLine("server: \(key): \(message)")
    }

    func syncMirrors(reported: inout [String: String]) async throws {
        guard let node = try await client.get(.nodes, name: nodeName), let nodeUID = node["metadata"]?["uid"]?.stringValue else { return }
        let listed = try await client.list(.pods, fieldSelector: "spec.nodeName=\(nodeName)")["items"]?.arrayValue ?? []
        var mirrors: [String: JSONValue] = [:]
        for pod in listed {
            if pod["metadata"]?["deletionTimestamp"] != nil {
                // Nothing of it runs here (a static pod's containers do not stop for its mirror).
                try await delete(pod)
            } else if pod["metadata"]?["annotations"]?[Self.mirrorAnnotation] != nil {
                mirrors[Self.key(pod)] = pod
            }
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
                    logLine("server: created mirror pod \(key)")
                }
                if var current, current["status"] != status {
                    current["status"] = status
                    _ = try await client.update(.pods, namespace: namespace, current, subresource: "status")
                }
                reported[key] = nil
            } catch let error as StatusError {
                report("mirror pod \(key)", error.message, &reported)
            }
        }
        for stale in mirrors.values {
            try await delete(stale)
            logLine("server: deleted mirror pod \(Self.key(stale)): its static pod is gone")
        }
    }

    /// One event per problem (file and message) not yet posted by this server.
    func postProblems(_ posted: inout Set<String>) async throws {
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
