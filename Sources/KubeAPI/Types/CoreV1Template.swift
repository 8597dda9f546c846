// core/v1 types the workload kinds embed (k8s.io/api/core/v1/types.go, v1.32): the pod
// template and the generic object reference.

extension CoreV1 {
    public struct PodTemplateSpec: Codable, Hashable, Sendable {
        public var metadata: ObjectMeta?
        public var spec: PodSpec?

        public init() {}
    }

    public struct ObjectReference: Codable, Hashable, Sendable {
        public var kind: String?
        public var namespace: String?
        public var name: String?
        public var uid: String?
        public var apiVersion: String?
        public var resourceVersion: String?
        public var fieldPath: String?

        public init() {}
    }
}

extension CoreV1.PodTemplateSpec: GoZeroValue {
    public static var goZero: CoreV1.PodTemplateSpec { CoreV1.PodTemplateSpec() }
}

extension CoreV1.ObjectReference: GoZeroValue {
    public static var goZero: CoreV1.ObjectReference { CoreV1.ObjectReference() }
}

extension CoreV1.PodTemplateSpec: SchemaDescribed {
    public static let schemaDescription =
        "The blueprint a controller stamps out pods from: their metadata and their spec."
    public static let fieldDescriptions: [String: String] = [
        "metadata": "Metadata (labels, annotations, …) copied onto every pod created from the template.",
        "spec": "The desired behavior of the pods created from the template.",
    ]
}

extension CoreV1.ObjectReference: SchemaDescribed {
    public static let schemaDescription =
        "A pointer to another API object, or to a field within one, with enough detail to look it up."
    public static let fieldDescriptions: [String: String] = [
        "kind": "The kind of the referenced object, e.g. \"Pod\".",
        "namespace": "The namespace of the referenced object; empty for cluster-scoped objects.",
        "name": "The name of the referenced object.",
        "uid": "The UID of the referenced object, pinning the reference to one incarnation of the name.",
        "apiVersion": "The group/version of the referenced object's API, e.g. \"batch/v1\".",
        "resourceVersion": "The resourceVersion of the referenced object the reference was made against, "
            + "if it matters.",
        "fieldPath": "When the reference is to part of an object rather than the whole, the path to that "
            + "part, e.g. \"spec.containers{web}\" for one container of a pod.",
    ]
}
