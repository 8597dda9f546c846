// coordination.k8s.io/v1 (k8s.io/api/coordination/v1/types.go, v1.32), as Codable values
// with upstream's JSON field names in upstream's field order.

extension CoordinationV1 {
    public struct Lease: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var spec: LeaseSpec?
    }

    public struct LeaseSpec: Codable, Hashable, Sendable {
        public var holderIdentity: String?
        public var leaseDurationSeconds: Int32?
        public var acquireTime: Time?
        public var renewTime: Time?
        public var leaseTransitions: Int32?
        public var strategy: String?
        public var preferredHolder: String?
    }
}

// MARK: - Descriptions (our own words)

extension CoordinationV1.Lease: SchemaDescribed {
    public static let schemaDescription =
        "A lease: a lock with a holder and an expiry, used for leader election and for node heartbeats."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "Versioned schema this object is written in (coordination.k8s.io/v1 for a Lease). Servers may reject values they do not recognize.",
        "kind": "REST resource this object represents, in CamelCase (Lease). Inferred from the endpoint when omitted; cannot be updated.",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and the rest.",
        "spec": "Who holds the lease and for how long.",
    ]
}

extension CoordinationV1.LeaseSpec: SchemaDescribed {
    public static let schemaDescription = "Holder and timing of a lease."
    public static let fieldDescriptions: [String: String] = [
        "holderIdentity": "Identity of whoever holds the lease now.",
        "leaseDurationSeconds": "Seconds that other candidates must wait after the last renewal before they may take the lease over.",
        "acquireTime": "When the current holder obtained the lease, with microsecond precision.",
        "renewTime": "When the current holder last renewed the lease, with microsecond precision.",
        "leaseTransitions": "How many times the lease has passed from one holder to another.",
        "strategy": "How coordinated leader election picks the next holder; OldestEmulationVersion is the only value so far. Alpha, behind a feature gate.",
        "preferredHolder": "Candidate that coordinated leader election wants to hold the lease next; the current holder should let the lease go when this is set. Alpha, behind a feature gate.",
    ]
}
