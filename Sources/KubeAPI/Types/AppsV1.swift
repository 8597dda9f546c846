// apps/v1 workload kinds (k8s.io/api/apps/v1/types.go, v1.32): Deployment, ReplicaSet,
// DaemonSet, StatefulSet and ControllerRevision.

extension AppsV1 {
    // MARK: Deployment

    public struct Deployment: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var spec: DeploymentSpec?
        public var status: DeploymentStatus?
    }

    public struct DeploymentSpec: Codable, Hashable, Sendable {
        public var replicas: Int32?
        @ZeroIfAbsent public var selector: MetaV1.LabelSelector
        @ZeroIfAbsent public var template: CoreV1.PodTemplateSpec
        public var strategy: DeploymentStrategy?
        public var minReadySeconds: Int32?
        public var revisionHistoryLimit: Int32?
        public var paused: Bool?
        public var progressDeadlineSeconds: Int32?
    }

    public struct DeploymentStrategy: Codable, Hashable, Sendable {
        public var type: String?
        public var rollingUpdate: RollingUpdateDeployment?
    }

    public struct RollingUpdateDeployment: Codable, Hashable, Sendable {
        public var maxUnavailable: IntOrString?
        public var maxSurge: IntOrString?
    }

    public struct DeploymentStatus: Codable, Hashable, Sendable {
        public var observedGeneration: Int64?
        public var replicas: Int32?
        public var updatedReplicas: Int32?
        public var readyReplicas: Int32?
        public var availableReplicas: Int32?
        public var unavailableReplicas: Int32?
        public var conditions: [DeploymentCondition]?
        public var collisionCount: Int32?
    }

    public struct DeploymentCondition: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var type: String
        @ZeroIfAbsent public var status: String
        public var lastUpdateTime: Time?
        public var lastTransitionTime: Time?
        public var reason: String?
        public var message: String?
    }

    // MARK: ReplicaSet

    public struct ReplicaSet: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var spec: ReplicaSetSpec?
        public var status: ReplicaSetStatus?
    }

    public struct ReplicaSetSpec: Codable, Hashable, Sendable {
        public var replicas: Int32?
        public var minReadySeconds: Int32?
        @ZeroIfAbsent public var selector: MetaV1.LabelSelector
        public var template: CoreV1.PodTemplateSpec?
    }

    public struct ReplicaSetStatus: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var replicas: Int32
        public var fullyLabeledReplicas: Int32?
        public var readyReplicas: Int32?
        public var availableReplicas: Int32?
        public var observedGeneration: Int64?
        public var conditions: [ReplicaSetCondition]?
    }

    public struct ReplicaSetCondition: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var type: String
        @ZeroIfAbsent public var status: String
        public var lastTransitionTime: Time?
        public var reason: String?
        public var message: String?
    }

    // MARK: DaemonSet

    public struct DaemonSet: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var spec: DaemonSetSpec?
        public var status: DaemonSetStatus?
    }

    public struct DaemonSetSpec: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var selector: MetaV1.LabelSelector
        @ZeroIfAbsent public var template: CoreV1.PodTemplateSpec
        public var updateStrategy: DaemonSetUpdateStrategy?
        public var minReadySeconds: Int32?
        public var revisionHistoryLimit: Int32?
    }

    public struct DaemonSetUpdateStrategy: Codable, Hashable, Sendable {
        public var type: String?
        public var rollingUpdate: RollingUpdateDaemonSet?
    }

    public struct RollingUpdateDaemonSet: Codable, Hashable, Sendable {
        public var maxUnavailable: IntOrString?
        public var maxSurge: IntOrString?
    }

    public struct DaemonSetStatus: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var currentNumberScheduled: Int32
        @ZeroIfAbsent public var numberMisscheduled: Int32
        @ZeroIfAbsent public var desiredNumberScheduled: Int32
        @ZeroIfAbsent public var numberReady: Int32
        public var observedGeneration: Int64?
        public var updatedNumberScheduled: Int32?
        public var numberAvailable: Int32?
        public var numberUnavailable: Int32?
        public var collisionCount: Int32?
        public var conditions: [DaemonSetCondition]?
    }

    public struct DaemonSetCondition: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var type: String
        @ZeroIfAbsent public var status: String
        public var lastTransitionTime: Time?
        public var reason: String?
        public var message: String?
    }

    // MARK: StatefulSet

    public struct StatefulSet: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var spec: StatefulSetSpec?
        public var status: StatefulSetStatus?
    }

    public struct StatefulSetSpec: Codable, Hashable, Sendable {
        public var replicas: Int32?
        @ZeroIfAbsent public var selector: MetaV1.LabelSelector
        @ZeroIfAbsent public var template: CoreV1.PodTemplateSpec
        public var volumeClaimTemplates: [CoreV1.PersistentVolumeClaim]?
        @ZeroIfAbsent public var serviceName: String
        public var podManagementPolicy: String?
        public var updateStrategy: StatefulSetUpdateStrategy?
        public var revisionHistoryLimit: Int32?
        public var minReadySeconds: Int32?
        public var persistentVolumeClaimRetentionPolicy: StatefulSetPersistentVolumeClaimRetentionPolicy?
        public var ordinals: StatefulSetOrdinals?
    }

    public struct StatefulSetUpdateStrategy: Codable, Hashable, Sendable {
        public var type: String?
        public var rollingUpdate: RollingUpdateStatefulSetStrategy?
    }

    public struct RollingUpdateStatefulSetStrategy: Codable, Hashable, Sendable {
        public var partition: Int32?
        public var maxUnavailable: IntOrString?
    }

    public struct StatefulSetPersistentVolumeClaimRetentionPolicy: Codable, Hashable, Sendable {
        public var whenDeleted: String?
        public var whenScaled: String?
    }

    public struct StatefulSetOrdinals: Codable, Hashable, Sendable {
        public var start: Int32?
    }

    public struct StatefulSetStatus: Codable, Hashable, Sendable {
        public var observedGeneration: Int64?
        @ZeroIfAbsent public var replicas: Int32
        public var readyReplicas: Int32?
        public var currentReplicas: Int32?
        public var updatedReplicas: Int32?
        public var currentRevision: String?
        public var updateRevision: String?
        public var collisionCount: Int32?
        public var conditions: [StatefulSetCondition]?
        public var availableReplicas: Int32?
    }

    public struct StatefulSetCondition: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var type: String
        @ZeroIfAbsent public var status: String
        public var lastTransitionTime: Time?
        public var reason: String?
        public var message: String?
    }

    // MARK: ControllerRevision

    public struct ControllerRevision: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var data: JSONValue?
        @ZeroIfAbsent public var revision: Int64
    }
}

// MARK: - Descriptions: Deployment

extension AppsV1.Deployment: SchemaDescribed {
    public static let schemaDescription =
        "Keeps a number of identical pods running and rolls out changes to them declaratively, "
        + "through ReplicaSets it manages."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "The versioned schema of this object: \"apps/v1\".",
        "kind": "The REST resource this object represents: \"Deployment\".",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and so on.",
        "spec": "The desired state: how many pods, from which template, and how to roll out changes.",
        "status": "The deployment's most recently observed state, maintained by the deployment controller.",
    ]
}

extension AppsV1.DeploymentSpec: SchemaDescribed {
    public static let schemaDescription = "The desired behavior of a deployment."
    public static let fieldDescriptions: [String: String] = [
        "replicas": "How many pods should run. Default 1.",
        "selector": "A label query over the pods the deployment owns. It must match the template's labels "
            + "and cannot be changed after creation.",
        "template": "The pods to create. Their restartPolicy must be \"Always\" (the default).",
        "strategy": "How old pods are replaced by new ones when the template changes.",
        "minReadySeconds": "How many seconds a new pod must stay ready, with no container crashing, before "
            + "it counts as available. Default 0 (available as soon as ready).",
        "revisionHistoryLimit": "How many old ReplicaSets to keep so the deployment can be rolled back. "
            + "Default 10.",
        "paused": "While true, changes to the template do not start a rollout. Default false.",
        "progressDeadlineSeconds": "How many seconds a rollout may go without progress before the "
            + "deployment reports it as failed (Progressing condition False, reason ProgressDeadlineExceeded); "
            + "the rollout itself continues. Must exceed minReadySeconds. Default 600.",
    ]
}

extension AppsV1.DeploymentStrategy: SchemaDescribed {
    public static let schemaDescription = "How a deployment replaces its existing pods with new ones."
    public static let fieldDescriptions: [String: String] = [
        "type": "The replacement method: \"Recreate\" (stop all old pods before starting new ones) or "
            + "\"RollingUpdate\" (replace them gradually). Default RollingUpdate.",
        "rollingUpdate": "Tuning for a rolling update; only allowed when type is RollingUpdate.",
    ]
}

extension AppsV1.RollingUpdateDeployment: SchemaDescribed {
    public static let schemaDescription = "Limits on how fast a deployment's rolling update proceeds."
    public static let fieldDescriptions: [String: String] = [
        "maxUnavailable": "How many pods (a number, or a percentage of replicas rounded down) may be "
            + "unavailable during the update. Cannot be 0 when maxSurge is 0. Default 25%.",
        "maxSurge": "How many pods (a number, or a percentage of replicas rounded up) may exist beyond "
            + "replicas during the update. Cannot be 0 when maxUnavailable is 0. Default 25%.",
    ]
}

extension AppsV1.DeploymentStatus: SchemaDescribed {
    public static let schemaDescription = "The observed state of a deployment."
    public static let fieldDescriptions: [String: String] = [
        "observedGeneration": "The deployment's metadata.generation that this status reflects.",
        "replicas": "How many non-terminating pods the deployment currently targets, old and new.",
        "updatedReplicas": "How many non-terminating pods already run the current template.",
        "readyReplicas": "How many of the deployment's pods are ready.",
        "availableReplicas": "How many of the deployment's pods have been ready for at least "
            + "minReadySeconds.",
        "unavailableReplicas": "How many more pods are needed before the deployment is fully available: "
            + "pods still missing or not yet available.",
        "conditions": "The deployment's current conditions, of type \"Available\", \"Progressing\" or "
            + "\"ReplicaFailure\".",
        "collisionCount": "How many times a hash collision occurred when naming the newest ReplicaSet; "
            + "used to make the next name unique.",
    ]
}

extension AppsV1.DeploymentCondition: SchemaDescribed {
    public static let schemaDescription = "One aspect of a deployment's current state."
    public static let fieldDescriptions: [String: String] = [
        "type": "The kind of condition: \"Available\", \"Progressing\" or \"ReplicaFailure\".",
        "status": "Whether the condition holds: \"True\", \"False\" or \"Unknown\".",
        "lastUpdateTime": "When the condition was last updated.",
        "lastTransitionTime": "When status last changed from one value to another.",
        "reason": "A short CamelCase token explaining the last transition.",
        "message": "A human-readable explanation of the last transition.",
    ]
}

// MARK: - Descriptions: ReplicaSet

extension AppsV1.ReplicaSet: SchemaDescribed {
    public static let schemaDescription =
        "Keeps a given number of pods matching a selector running. Usually managed by a Deployment "
        + "rather than created directly."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "The versioned schema of this object: \"apps/v1\".",
        "kind": "The REST resource this object represents: \"ReplicaSet\".",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and so on.",
        "spec": "The desired state: how many pods and from which template.",
        "status": "The replica set's most recently observed state, maintained by its controller.",
    ]
}

extension AppsV1.ReplicaSetSpec: SchemaDescribed {
    public static let schemaDescription = "The desired behavior of a replica set."
    public static let fieldDescriptions: [String: String] = [
        "replicas": "How many pods should run. Default 1.",
        "minReadySeconds": "How many seconds a new pod must stay ready, with no container crashing, before "
            + "it counts as available. Default 0.",
        "selector": "A label query over the pods the replica set counts; it must match the template's labels.",
        "template": "The pods to create when too few are running.",
    ]
}

extension AppsV1.ReplicaSetStatus: SchemaDescribed {
    public static let schemaDescription = "The observed state of a replica set."
    public static let fieldDescriptions: [String: String] = [
        "replicas": "How many pods the replica set currently has.",
        "fullyLabeledReplicas": "How many of its pods carry all the labels of the template.",
        "readyReplicas": "How many of its pods are ready.",
        "availableReplicas": "How many of its pods have been ready for at least minReadySeconds.",
        "observedGeneration": "The replica set's metadata.generation that this status reflects.",
        "conditions": "The replica set's current conditions, such as \"ReplicaFailure\".",
    ]
}

extension AppsV1.ReplicaSetCondition: SchemaDescribed {
    public static let schemaDescription = "One aspect of a replica set's current state."
    public static let fieldDescriptions: [String: String] = [
        "type": "The kind of condition, e.g. \"ReplicaFailure\" (pods could not be created or deleted).",
        "status": "Whether the condition holds: \"True\", \"False\" or \"Unknown\".",
        "lastTransitionTime": "When status last changed from one value to another.",
        "reason": "A short CamelCase token explaining the last transition.",
        "message": "A human-readable explanation of the last transition.",
    ]
}

// MARK: - Descriptions: DaemonSet

extension AppsV1.DaemonSet: SchemaDescribed {
    public static let schemaDescription = "Runs one copy of a pod on each eligible node."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "The versioned schema of this object: \"apps/v1\".",
        "kind": "The REST resource this object represents: \"DaemonSet\".",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and so on.",
        "spec": "The desired state: which pod to run on the nodes and how to update it.",
        "status": "The daemon set's most recently observed state, maintained by its controller.",
    ]
}

extension AppsV1.DaemonSetSpec: SchemaDescribed {
    public static let schemaDescription = "The desired behavior of a daemon set."
    public static let fieldDescriptions: [String: String] = [
        "selector": "A label query over the pods the daemon set owns; it must match the template's labels.",
        "template": "The pod to run on every eligible node (those matching its node selector and "
            + "affinity, or all nodes). Its restartPolicy must be \"Always\".",
        "updateStrategy": "How existing pods are replaced when the template changes.",
        "minReadySeconds": "How many seconds a new pod must stay ready, with no container crashing, before "
            + "it counts as available. Default 0.",
        "revisionHistoryLimit": "How many old revisions to keep for rollback. Default 10.",
    ]
}

extension AppsV1.DaemonSetUpdateStrategy: SchemaDescribed {
    public static let schemaDescription = "How a daemon set replaces its pods after a template change."
    public static let fieldDescriptions: [String: String] = [
        "type": "The replacement method: \"RollingUpdate\" (replace pods gradually, node by node) or "
            + "\"OnDelete\" (create a new pod only after the old one is deleted by hand). Default RollingUpdate.",
        "rollingUpdate": "Tuning for a rolling update; only used when type is RollingUpdate.",
    ]
}

extension AppsV1.RollingUpdateDaemonSet: SchemaDescribed {
    public static let schemaDescription = "Limits on how fast a daemon set's rolling update proceeds."
    public static let fieldDescriptions: [String: String] = [
        "maxUnavailable": "How many nodes (a number, or a percentage of the desired nodes rounded up) may "
            + "be without an available daemon pod during the update. Cannot be 0 when maxSurge is 0. Default 1.",
        "maxSurge": "How many nodes (a number, or a percentage rounded up) may run an extra, new pod "
            + "alongside the old one during the update. Cannot be 0 when maxUnavailable is 0. "
            + "Default 0 (no surge).",
    ]
}

extension AppsV1.DaemonSetStatus: SchemaDescribed {
    public static let schemaDescription = "The observed state of a daemon set."
    public static let fieldDescriptions: [String: String] = [
        "currentNumberScheduled": "How many nodes run at least one daemon pod and are supposed to.",
        "numberMisscheduled": "How many nodes run a daemon pod but are not supposed to.",
        "desiredNumberScheduled": "How many nodes should run the daemon pod.",
        "numberReady": "How many nodes that should run the daemon pod have one or more of them ready.",
        "observedGeneration": "The daemon set's metadata.generation that this status reflects.",
        "updatedNumberScheduled": "How many nodes run the daemon pod from the current template.",
        "numberAvailable": "How many nodes that should run the daemon pod have one or more of them "
            + "available (ready for at least minReadySeconds).",
        "numberUnavailable": "How many nodes that should run the daemon pod have none of them available.",
        "collisionCount": "How many times a hash collision occurred when naming the newest "
            + "ControllerRevision; used to make the next name unique.",
        "conditions": "The daemon set's current conditions.",
    ]
}

extension AppsV1.DaemonSetCondition: SchemaDescribed {
    public static let schemaDescription = "One aspect of a daemon set's current state."
    public static let fieldDescriptions: [String: String] = [
        "type": "The kind of condition.",
        "status": "Whether the condition holds: \"True\", \"False\" or \"Unknown\".",
        "lastTransitionTime": "When status last changed from one value to another.",
        "reason": "A short CamelCase token explaining the last transition.",
        "message": "A human-readable explanation of the last transition.",
    ]
}

// MARK: - Descriptions: StatefulSet

extension AppsV1.StatefulSet: SchemaDescribed {
    public static let schemaDescription =
        "Runs pods with stable, ordinal names and per-pod persistent storage, created, updated and "
        + "removed in a predictable order."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "The versioned schema of this object: \"apps/v1\".",
        "kind": "The REST resource this object represents: \"StatefulSet\".",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and so on.",
        "spec": "The desired state: how many pods, from which template, with which volume claims.",
        "status": "The stateful set's most recently observed state; may lag behind the actual state.",
    ]
}

extension AppsV1.StatefulSetSpec: SchemaDescribed {
    public static let schemaDescription = "The desired behavior of a stateful set."
    public static let fieldDescriptions: [String: String] = [
        "replicas": "How many pods should run. Default 1.",
        "selector": "A label query over the pods the stateful set owns; it must match the template's labels.",
        "template": "The pods to create. Each one gets a unique, stable identity (name and ordinal index).",
        "volumeClaimTemplates": "Persistent volume claims created for each pod, one per template, and "
            + "mounted where a container's volumeMounts name them; they take precedence over template "
            + "volumes of the same name.",
        "serviceName": "The name of the headless service that gives the pods their network identity "
            + "(DNS names of the form <pod>.<serviceName>.<namespace>.svc…).",
        "podManagementPolicy": "How pods are created and removed when scaling: \"OrderedReady\" (one at a "
            + "time in ordinal order, each waiting for the previous to be ready) or \"Parallel\" (all at "
            + "once). Default OrderedReady.",
        "updateStrategy": "How existing pods are replaced when the template changes.",
        "revisionHistoryLimit": "How many old revisions to keep for rollback. Default 10.",
        "minReadySeconds": "How many seconds a new pod must stay ready, with no container crashing, before "
            + "it counts as available. Default 0.",
        "persistentVolumeClaimRetentionPolicy": "Whether the claims made from volumeClaimTemplates are kept "
            + "or deleted when the stateful set is deleted or scaled down. Default: always kept.",
        "ordinals": "How the pods' ordinal indexes are numbered.",
    ]
}

extension AppsV1.StatefulSetUpdateStrategy: SchemaDescribed {
    public static let schemaDescription = "How a stateful set replaces its pods after a template change."
    public static let fieldDescriptions: [String: String] = [
        "type": "The replacement method: \"RollingUpdate\" (replace pods automatically, highest ordinal "
            + "first) or \"OnDelete\" (replace a pod only after it is deleted by hand). Default RollingUpdate.",
        "rollingUpdate": "Tuning for a rolling update; only used when type is RollingUpdate.",
    ]
}

extension AppsV1.RollingUpdateStatefulSetStrategy: SchemaDescribed {
    public static let schemaDescription = "Tuning for a stateful set's rolling update."
    public static let fieldDescriptions: [String: String] = [
        "partition": "Only pods with an ordinal at or above this number are updated; the rest keep the "
            + "old template, even if recreated. Useful for staged rollouts. Default 0 (update all).",
        "maxUnavailable": "How many pods (a number, or a percentage of replicas rounded up) may be "
            + "unavailable during the update; must not be 0. Default 1. Honored only with the "
            + "MaxUnavailableStatefulSet feature gate.",
    ]
}

extension AppsV1.StatefulSetPersistentVolumeClaimRetentionPolicy: SchemaDescribed {
    public static let schemaDescription =
        "What happens to the claims created from a stateful set's volumeClaimTemplates when they are "
        + "no longer needed."
    public static let fieldDescriptions: [String: String] = [
        "whenDeleted": "What to do with the claims when the stateful set is deleted: \"Retain\" (keep "
            + "them) or \"Delete\" (delete them once their pods are gone). Default Retain.",
        "whenScaled": "What to do with the claims of pods removed by a scale-down: \"Retain\" (keep them) "
            + "or \"Delete\" (delete them once the pod is gone). Default Retain.",
    ]
}

extension AppsV1.StatefulSetOrdinals: SchemaDescribed {
    public static let schemaDescription = "How the ordinal indexes of a stateful set's pods are numbered."
    public static let fieldDescriptions: [String: String] = [
        "start": "The index of the first pod; pods are numbered start to start+replicas-1. Default 0.",
    ]
}

extension AppsV1.StatefulSetStatus: SchemaDescribed {
    public static let schemaDescription = "The observed state of a stateful set."
    public static let fieldDescriptions: [String: String] = [
        "observedGeneration": "The stateful set's metadata.generation that this status reflects.",
        "replicas": "How many pods the stateful set controller has created.",
        "readyReplicas": "How many of its pods are ready.",
        "currentReplicas": "How many of its pods run the revision named by currentRevision.",
        "updatedReplicas": "How many of its pods run the revision named by updateRevision.",
        "currentRevision": "The revision that the pods with ordinals below currentReplicas were created from.",
        "updateRevision": "The revision being rolled out: the one new pods are created from.",
        "collisionCount": "How many times a hash collision occurred when naming the newest "
            + "ControllerRevision; used to make the next name unique.",
        "conditions": "The stateful set's current conditions.",
        "availableReplicas": "How many of its pods have been ready for at least minReadySeconds.",
    ]
}

extension AppsV1.StatefulSetCondition: SchemaDescribed {
    public static let schemaDescription = "One aspect of a stateful set's current state."
    public static let fieldDescriptions: [String: String] = [
        "type": "The kind of condition.",
        "status": "Whether the condition holds: \"True\", \"False\" or \"Unknown\".",
        "lastTransitionTime": "When status last changed from one value to another.",
        "reason": "A short CamelCase token explaining the last transition.",
        "message": "A human-readable explanation of the last transition.",
    ]
}

// MARK: - Descriptions: ControllerRevision

extension AppsV1.ControllerRevision: SchemaDescribed {
    public static let schemaDescription =
        "An immutable snapshot of a controller's state (such as a DaemonSet's or StatefulSet's pod "
        + "template), kept so the controller can roll back to it."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "The versioned schema of this object: \"apps/v1\".",
        "kind": "The REST resource this object represents: \"ControllerRevision\".",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and so on.",
        "data": "The recorded state, as an embedded JSON object.",
        "revision": "The revision number of this snapshot, increasing with each new revision.",
    ]
}
