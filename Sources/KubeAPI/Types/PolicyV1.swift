// policy/v1 PodDisruptionBudget (k8s.io/api/policy/v1/types.go, v1.32).

extension PolicyV1 {
    public struct PodDisruptionBudget: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var spec: PodDisruptionBudgetSpec?
        public var status: PodDisruptionBudgetStatus?
    }

    public struct PodDisruptionBudgetSpec: Codable, Hashable, Sendable {
        public var minAvailable: IntOrString?
        public var selector: MetaV1.LabelSelector?
        public var maxUnavailable: IntOrString?
        public var unhealthyPodEvictionPolicy: String?
    }

    public struct PodDisruptionBudgetStatus: Codable, Hashable, Sendable {
        public var observedGeneration: Int64?
        public var disruptedPods: [String: Time]?
        @ZeroIfAbsent public var disruptionsAllowed: Int32
        @ZeroIfAbsent public var currentHealthy: Int32
        @ZeroIfAbsent public var desiredHealthy: Int32
        @ZeroIfAbsent public var expectedPods: Int32
        public var conditions: [MetaV1.Condition]?
    }
}

extension PolicyV1.PodDisruptionBudget: SchemaDescribed {
    public static let schemaDescription =
        "Limits how many pods of a set may be down at once through voluntary disruptions such as "
        + "evictions during a node drain."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "The versioned schema of this object: \"policy/v1\".",
        "kind": "The REST resource this object represents: \"PodDisruptionBudget\".",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and so on.",
        "spec": "Which pods the budget covers and how many of them must stay up.",
        "status": "The budget's most recently observed state, maintained by the disruption controller.",
    ]
}

extension PolicyV1.PodDisruptionBudgetSpec: SchemaDescribed {
    public static let schemaDescription =
        "The pods a disruption budget protects and how much disruption it tolerates."
    public static let fieldDescriptions: [String: String] = [
        "minAvailable": "An eviction is allowed only if at least this many selected pods (a number, or a "
            + "percentage such as \"50%\") remain available afterwards. Mutually exclusive with maxUnavailable.",
        "selector": "Selects the pods the budget covers. A null selector matches no pods; an empty one "
            + "matches every pod in the namespace.",
        "maxUnavailable": "An eviction is allowed only if at most this many selected pods (a number, or a "
            + "percentage) are unavailable afterwards. Mutually exclusive with minAvailable.",
        "unhealthyPodEvictionPolicy": "When running but not-yet-ready pods may be evicted: "
            + "\"IfHealthyBudget\" (only while the budget is not already breached) or \"AlwaysAllow\" "
            + "(regardless of the budget). Default IfHealthyBudget.",
    ]
}

extension PolicyV1.PodDisruptionBudgetStatus: SchemaDescribed {
    public static let schemaDescription =
        "The observed state of a disruption budget; it may lag behind the pods' actual state."
    public static let fieldDescriptions: [String: String] = [
        "observedGeneration": "The budget's metadata.generation that this status reflects.",
        "disruptedPods": "Pods, by name, whose eviction the API server has approved but which the "
            + "controller has not yet seen go away, with the time of approval. Entries expire after a while.",
        "disruptionsAllowed": "How many more pod disruptions are currently allowed.",
        "currentHealthy": "How many selected pods are currently healthy.",
        "desiredHealthy": "The smallest number of healthy pods the budget wants to keep.",
        "expectedPods": "The total number of pods the budget counts, taken from their controllers' replicas.",
        "conditions": "The budget's current conditions; \"DisruptionAllowed\" says whether evictions may "
            + "proceed (with reasons such as \"SufficientPods\", \"InsufficientPods\" or \"SyncFailed\").",
    ]
}
