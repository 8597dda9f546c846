import ContainerRuntime
import Foundation
import KubeAPI

/// What the kubelet's HTTPS endpoint answers, as a pure function of the request and a
/// snapshot of the node: `/healthz` for anyone; `/pods` (a PodList of the pods this
/// kubelet runs, with status) and `/metrics` (Prometheus text) only for an authenticated
/// client. Unauthenticated requests get upstream's 401 `Unauthorized`.
public enum KubeletEndpoints {
    public struct Response: Equatable, Sendable {
        public var status: Int
        public var contentType: String
        public var body: [UInt8]

        init(_ status: Int, _ body: String, contentType: String = "text/plain; charset=utf-8") {
            self.status = status
            self.contentType = contentType
            self.body = Array(body.utf8)
        }
    }

    /// What the answers are made of, read when a request needs it.
    public struct Node: Sendable {
        public var name: String
        public var pods: [Pod]
        /// Complete pod sandboxes.
        public var sandboxes: Int
        /// Container states as upstream's metric labels them: created, running, exited, unknown.
        public var containerStates: [String]
        public var manifestErrors: Int
        public var residentMemoryBytes: Int

        public init(name: String, pods: [Pod], sandboxes: Int, containerStates: [String], manifestErrors: Int, residentMemoryBytes: Int) {
            self.name = name
            self.pods = pods
            self.sandboxes = sandboxes
            self.containerStates = containerStates
            self.manifestErrors = manifestErrors
            self.residentMemoryBytes = residentMemoryBytes
        }
    }

    public static func respond(method: String, uri: String, authenticated: Bool, node: () -> Node) -> Response {
        let path = String(uri.prefix { $0 != "?" })
        guard method == "GET" || method == "HEAD" else { return Response(405, "405: Method Not Allowed") }
        if path == "/healthz" { return Response(200, "ok") }
        guard authenticated else { return Response(401, "Unauthorized") }
        switch path {
        case "/pods", "/pods/":
            return Response(200, podList(node().pods), contentType: "application/json")
        case "/metrics":
            return Response(200, metrics(node()), contentType: "text/plain; version=0.0.4; charset=utf-8")
        default:
            return Response(404, "404 page not found\n")
        }
    }

    static func podList(_ pods: [Pod]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let items = pods.compactMap { try? encoder.encode($0) }.map { String(decoding: $0, as: UTF8.self) }
        return "{\"apiVersion\":\"v1\",\"items\":[\(items.joined(separator: ","))],\"kind\":\"PodList\",\"metadata\":{}}\n"
    }

    /// Upstream's names, help texts and labels for what Swiftlet has; `swiftlet_` for its own.
    static func metrics(_ node: Node) -> String {
        var out = ""
        func gauge(_ name: String, _ help: String, _ samples: [(labels: String, value: Int)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
            for sample in samples { out += "\(name)\(sample.labels.isEmpty ? "" : "{\(sample.labels)}") \(sample.value)\n" }
        }
        gauge("kubelet_node_name", "[ALPHA] The node's name. The count is always 1.", [("node=\"\(node.name)\"", 1)])
        gauge("kubelet_running_pods", "[ALPHA] Number of pods that have a running pod sandbox", [("", node.sandboxes)])
        gauge("kubelet_running_containers", "[ALPHA] Number of containers currently running",
              ["created", "exited", "running", "unknown"].map { state in
                  ("container_state=\"\(state)\"", node.containerStates.filter { $0 == state }.count)
              })
        gauge("swiftlet_static_pod_manifest_errors", "Static pod files the kubelet could not use", [("", node.manifestErrors)])
        gauge("process_resident_memory_bytes", "Resident memory size in bytes.", [("", node.residentMemoryBytes)])
        return out
    }
}
