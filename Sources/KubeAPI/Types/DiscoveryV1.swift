// discovery.k8s.io/v1 (k8s.io/api/discovery/v1/types.go, v1.32), as Codable values with
// upstream's JSON field names in upstream's field order. (ForNode arrived in 1.33.)

extension DiscoveryV1 {
    public struct EndpointSlice: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        @ZeroIfAbsent public var addressType: String
        @ZeroIfAbsent public var endpoints: [Endpoint]
        public var ports: [EndpointPort]?
    }

    public struct Endpoint: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var addresses: [String]
        public var conditions: EndpointConditions?
        public var hostname: String?
        public var targetRef: CoreV1.ObjectReference?
        public var deprecatedTopology: [String: String]?
        public var nodeName: String?
        public var zone: String?
        public var hints: EndpointHints?
    }

    public struct EndpointConditions: Codable, Hashable, Sendable {
        public var ready: Bool?
        public var serving: Bool?
        public var terminating: Bool?
    }

    public struct EndpointHints: Codable, Hashable, Sendable {
        public var forZones: [ForZone]?
    }

    public struct ForZone: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var name: String
    }

    public struct EndpointPort: Codable, Hashable, Sendable {
        public var name: String?
        public var `protocol`: String?
        public var port: Int32?
        public var appProtocol: String?
    }
}

// MARK: - Descriptions (our own words)

extension DiscoveryV1.EndpointSlice: SchemaDescribed {
    public static let schemaDescription =
        "A portion of the endpoints behind a service; the endpoints of one service may be spread over several slices."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "Versioned schema this object is written in (discovery.k8s.io/v1 for an EndpointSlice). Servers may reject values they do not recognize.",
        "kind": "REST resource this object represents, in CamelCase (EndpointSlice). Inferred from the endpoint when omitted; cannot be updated.",
        "metadata": "Standard object metadata: name, namespace, labels (kubernetes.io/service-name names the service), annotations and the rest.",
        "addressType": "Kind of every address in the slice: IPv4, IPv6 or FQDN (deprecated). Required and cannot be changed.",
        "endpoints": "Endpoints in the slice, at most 1000. Required.",
        "ports": "Ports served by every endpoint in the slice, at most 100; empty means no ports, unset means every port.",
    ]
}

extension DiscoveryV1.Endpoint: SchemaDescribed {
    public static let schemaDescription = "One backend of a service."
    public static let fieldDescriptions: [String: String] = [
        "addresses": "Addresses of the endpoint, read according to the slice's addressType; consumers use the first one. Between 1 and 100 entries. Required.",
        "conditions": "What is currently known about the endpoint's state.",
        "hostname": "Hostname of the endpoint, a DNS label; DNS servers may publish records for it.",
        "targetRef": "Object behind the endpoint, usually a pod.",
        "deprecatedTopology": "Deprecated topology labels of the endpoint; nodeName and zone replace it and current controllers leave it empty.",
        "nodeName": "Node on which the endpoint runs.",
        "zone": "Zone in which the endpoint runs.",
        "hints": "Hints for how consumers should route traffic to the endpoint.",
    ]
}

extension DiscoveryV1.EndpointConditions: SchemaDescribed {
    public static let schemaDescription = "What is currently known about an endpoint's state."
    public static let fieldDescriptions: [String: String] = [
        "ready": "Whether the endpoint should receive traffic now; unset means unknown, which consumers treat as ready. An endpoint that is terminating is never ready.",
        "serving": "Whether the endpoint would be ready were it not terminating; unset means unknown.",
        "terminating": "Whether the endpoint is shutting down; unset means unknown, which consumers treat as not terminating.",
    ]
}

extension DiscoveryV1.EndpointHints: SchemaDescribed {
    public static let schemaDescription = "Hints for routing traffic to an endpoint."
    public static let fieldDescriptions: [String: String] = [
        "forZones": "Zones whose clients should use this endpoint, for topology-aware routing.",
    ]
}

extension DiscoveryV1.ForZone: SchemaDescribed {
    public static let schemaDescription = "A zone that should consume an endpoint."
    public static let fieldDescriptions: [String: String] = [
        "name": "Name of the zone. Required.",
    ]
}

extension DiscoveryV1.EndpointPort: SchemaDescribed {
    public static let schemaDescription = "A port served by the endpoints of a slice."
    public static let fieldDescriptions: [String: String] = [
        "name": "Name of the port, matching a port name of the service; at most one port in a slice may be unnamed.",
        "protocol": "IP protocol of the port: TCP, UDP or SCTP. Defaults to TCP.",
        "port": "Port number; unset means every port.",
        "appProtocol": "Application protocol spoken on the port: an IANA service name, or a prefixed name such as kubernetes.io/h2c.",
    ]
}
