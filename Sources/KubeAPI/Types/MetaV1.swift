// meta/v1 types shared by several API groups (k8s.io/apimachinery/pkg/apis/meta/v1, v1.32):
// label selectors and the standard status condition.

extension MetaV1 {
    public struct LabelSelector: Codable, Hashable, Sendable {
        public var matchLabels: [String: String]?
        public var matchExpressions: [LabelSelectorRequirement]?

        public init() {}
    }

    public struct LabelSelectorRequirement: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var key: String
        @ZeroIfAbsent public var `operator`: String
        public var values: [String]?
    }

    public struct Condition: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var type: String
        @ZeroIfAbsent public var status: String
        public var observedGeneration: Int64?
        // Upstream requires this field; Time has no Go zero value here, so it is Optional.
        @ZeroIfAbsent public var lastTransitionTime: Time
        @ZeroIfAbsent public var reason: String
        @ZeroIfAbsent public var message: String
    }
}

extension MetaV1.LabelSelector: GoZeroValue {
    public static var goZero: MetaV1.LabelSelector { MetaV1.LabelSelector() }
}

extension MetaV1.LabelSelector: SchemaDescribed {
    public static let schemaDescription =
        "Picks a set of objects by their labels. Every matchLabels entry and every matchExpressions "
        + "requirement must hold (they are ANDed); an empty selector matches everything, a null one nothing."
    public static let fieldDescriptions: [String: String] = [
        "matchLabels": "Label key/value pairs that must all be present on a matching object; each pair is "
            + "shorthand for a requirement with operator In and a single value.",
        "matchExpressions": "Further label requirements, all of which must be satisfied.",
    ]
}

extension MetaV1.LabelSelectorRequirement: SchemaDescribed {
    public static let schemaDescription =
        "One condition on a label: a key, an operator and, for some operators, a list of values."
    public static let fieldDescriptions: [String: String] = [
        "key": "The label key the requirement tests.",
        "operator": "How the label's value is compared with values: \"In\", \"NotIn\", \"Exists\" or "
            + "\"DoesNotExist\".",
        "values": "The values to compare against. Must be non-empty for In and NotIn and empty for Exists "
            + "and DoesNotExist.",
    ]
}

extension MetaV1.Condition: SchemaDescribed {
    public static let schemaDescription =
        "One aspect of an object's current state, in the standard form used by status.conditions lists."
    public static let fieldDescriptions: [String: String] = [
        "type": "The kind of condition, in CamelCase or as a domain-qualified name (e.g. \"Available\").",
        "status": "Whether the condition holds: \"True\", \"False\" or \"Unknown\".",
        "observedGeneration": "The metadata.generation of the object the condition was computed from; "
            + "if it is older than the current generation, the condition may be stale.",
        "lastTransitionTime": "When status last changed from one value to another.",
        "reason": "A short CamelCase, machine-readable token explaining the last transition; never empty.",
        "message": "A human-readable explanation of the transition; may be empty.",
    ]
}
