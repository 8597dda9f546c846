/// A type whose OpenAPI definition carries descriptions: the type's own and its fields'
/// (by JSON name). `kubectl explain` prints them. Written in our own words.
public protocol SchemaDescribed {
    static var schemaDescription: String { get }
    static var fieldDescriptions: [String: String] { get }
}

/// Go package namespaces: a type nested in one of these becomes a definition named after
/// that package (`AppsV1.Deployment` → `io.k8s.api.apps.v1.Deployment`). Types at the top
/// level of KubeAPI (Pod and what it uses) are core/v1.
public enum CoreV1 {}
public enum AppsV1 {}
public enum BatchV1 {}
public enum PolicyV1 {}
public enum CoordinationV1 {}
public enum DiscoveryV1 {}
public enum EventsV1 {}
public enum MetaV1 {}
