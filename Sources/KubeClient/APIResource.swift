import KubeAPI

/// One resource type as discovery describes it, and how to reach it.
public struct APIResource: Sendable, Equatable {
    public var group: String
    public var version: String
    /// Plural, as in URLs: `deployments`.
    public var name: String
    public var singular: String
    public var kind: String
    public var namespaced: Bool
    public var shortNames: [String]
    public var categories: [String]

    public init(group: String, version: String, name: String, singular: String, kind: String, namespaced: Bool,
                shortNames: [String] = [], categories: [String] = []) {
        self.group = group
        self.version = version
        self.name = name
        self.singular = singular
        self.kind = kind
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `pods`, `deployments.apps`: how kubectl names the type in messages.
    public var qualifiedName: String { group.isEmpty ? name : "\(name).\(group)" }

    /// `pod/web`, `deployment.apps/web`: kubectl's `-o name` and its "created" lines.
    public func objectName(_ name: String) -> String {
        "\(group.isEmpty ? kind.lowercased() : "\(kind.lowercased()).\(group)")/\(name)"
    }

    public func path(namespace: String? = nil, name: String? = nil, subresource: String? = nil, query: [(String, String)] = []) -> String {
        var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace { path += "/namespaces/\(namespace)" }
        path += "/\(self.name)"
        if let name { path += "/\(name)" }
        if let subresource { path += "/\(subresource)" }
        if !query.isEmpty { path += "?" + query.map { "\($0.0)=\($0.1.queryEncoded)" }.joined(separator: "&") }
        return path
    }
}

/// The server's resource types, from aggregated discovery (two requests: /api and /apis).
public struct Discovery: Sendable {
    public let resources: [APIResource]

    public init(resources: [APIResource]) { self.resources = resources }

    public static func load(_ client: KubeClient) async throws -> Discovery {
        let accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
        var resources: [APIResource] = []
        for root in ["/api", "/apis"] {
            let list = try await client.send("GET", root, accept: accept)
            for group in list["items"]?.arrayValue ?? [] {
                // Versions come in the server's order of preference.
                guard let version = group["versions"]?.arrayValue?.first else { continue }
                for resource in version["resources"]?.arrayValue ?? [] {
                    guard let name = resource["resource"]?.stringValue,
                          let kind = resource["responseKind"]?["kind"]?.stringValue else { continue }
                    resources.append(APIResource(
                        group: group["metadata"]?["name"]?.stringValue ?? "", version: version["version"]?.stringValue ?? "v1",
                        name: name, singular: resource["singularResource"]?.stringValue ?? kind.lowercased(), kind: kind,
                        namespaced: resource["scope"]?.stringValue == "Namespaced",
                        shortNames: resource["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                        categories: resource["categories"]?.arrayValue?.compactMap(\.stringValue) ?? []))
                }
            }
        }
        return Discovery(resources: resources)
    }

    /// A type as a user types it: plural, singular, short name or kind, optionally
    /// qualified by its group (`deploy`, `deployment.apps`, `Deployment`, `svc`).
    public func resolve(_ text: String) throws -> APIResource {
        let lowered = text.lowercased()
        let (name, group): (String, String?) = lowered.firstIndex(of: ".").map {
            (String(lowered[..<$0]), String(lowered[lowered.index(after: $0)...]))
        } ?? (lowered, nil)
        let matches = resources.filter { resource in
            (group == nil || resource.group == group) &&
                (resource.name == name || resource.singular == name || resource.shortNames.contains(name) || resource.kind.lowercased() == name)
        }
        // A core type wins over a same-named one in a group (events vs events.k8s.io), as kubectl's priority.
        guard let match = matches.first(where: { $0.group.isEmpty }) ?? matches.first else {
            throw ClientError("the server doesn't have a resource type \"\(text)\"")
        }
        return match
    }

    /// The type of an object in a manifest, by apiVersion and kind.
    public func resolve(apiVersion: String, kind: String) throws -> APIResource {
        guard let match = resources.first(where: { $0.apiVersion == apiVersion && $0.kind == kind }) else {
            throw ClientError("resource mapping not found for kind \"\(kind)\" in version \"\(apiVersion)\"")
        }
        return match
    }
}

/// A client-side failure, printed as kubectl prints its own: `error: …`.
public struct ClientError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension APIResource {
    // The types the node's own components use, known without discovery.
    public static let nodes = APIResource(group: "", version: "v1", name: "nodes", singular: "node", kind: "Node", namespaced: false, shortNames: ["no"])
    public static let leases = APIResource(group: "coordination.k8s.io", version: "v1", name: "leases", singular: "lease", kind: "Lease", namespaced: true)
    public static let pods = APIResource(group: "", version: "v1", name: "pods", singular: "pod", kind: "Pod", namespaced: true, shortNames: ["po"])
    public static let events = APIResource(group: "", version: "v1", name: "events", singular: "event", kind: "Event", namespaced: true, shortNames: ["ev"])
}
