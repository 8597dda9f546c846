// events.k8s.io/v1 (k8s.io/api/events/v1/types.go, v1.32), as Codable values with
// upstream's JSON field names in upstream's field order.

extension EventsV1 {
    public struct Event: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        // Upstream requires this field; Time has no Go zero value here, so it is Optional.
        @ZeroIfAbsent public var eventTime: Time
        public var series: EventSeries?
        public var reportingController: String?
        public var reportingInstance: String?
        public var action: String?
        public var reason: String?
        public var regarding: CoreV1.ObjectReference?
        public var related: CoreV1.ObjectReference?
        public var note: String?
        public var type: String?
        public var deprecatedSource: CoreV1.EventSource?
        public var deprecatedFirstTimestamp: Time?
        public var deprecatedLastTimestamp: Time?
        public var deprecatedCount: Int32?
    }

    public struct EventSeries: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var count: Int32
        // Upstream requires this field; Time has no Go zero value here, so it is Optional.
        @ZeroIfAbsent public var lastObservedTime: Time
    }
}

// MARK: - Descriptions (our own words)

extension EventsV1.Event: SchemaDescribed {
    public static let schemaDescription =
        "A record of something that happened to an object, such as a state change or an error. Events are kept for a limited time only."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "Versioned schema this object is written in (events.k8s.io/v1 for an Event). Servers may reject values they do not recognize.",
        "kind": "REST resource this object represents, in CamelCase (Event). Inferred from the endpoint when omitted; cannot be updated.",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and the rest.",
        "eventTime": "When the event was first observed, with microsecond precision. Required.",
        "series": "Data about repeated occurrences, when the event recurs.",
        "reportingController": "Controller that emitted the event, e.g. kubernetes.io/kubelet. Required for new events.",
        "reportingInstance": "Which instance of that controller emitted the event, e.g. kubelet-node1. Required for new events.",
        "action": "What was done, or failed, to the regarding object, e.g. Binding. Required for new events.",
        "reason": "Short CamelCase code for why the action was taken. Required for new events.",
        "regarding": "Object the event is about, usually one the reporting controller acts on.",
        "related": "A second object involved in the action, if there is one.",
        "note": "Human-readable description of the event, at most 1 kB.",
        "type": "Type of the event: Normal or Warning; other types may come later. Required for new events.",
        "deprecatedSource": "Deprecated: the source field of the core/v1 Event, kept for compatibility.",
        "deprecatedFirstTimestamp": "Deprecated: the firstTimestamp field of the core/v1 Event, kept for compatibility.",
        "deprecatedLastTimestamp": "Deprecated: the lastTimestamp field of the core/v1 Event, kept for compatibility.",
        "deprecatedCount": "Deprecated: the count field of the core/v1 Event, kept for compatibility.",
    ]
}

extension EventsV1.EventSeries: SchemaDescribed {
    public static let schemaDescription =
        "Data about an event that keeps recurring; the reporter updates it periodically while the event continues."
    public static let fieldDescriptions: [String: String] = [
        "count": "How many occurrences have been seen so far. Required.",
        "lastObservedTime": "When the latest occurrence was seen, with microsecond precision. Required.",
    ]
}
