// core/v1 kinds beyond Pod, ConfigMap and Secret (k8s.io/api/core/v1/types.go, v1.32), as
// Codable values with upstream's JSON field names in upstream's field order. A field
// upstream marks optional is an Optional; a required field upstream always writes is
// `@ZeroIfAbsent`. String enumerations are plain Strings. Volume sources of a
// PersistentVolume other than hostPath are kept as raw JSON.

extension CoreV1 {
    // MARK: - Namespace

    public struct Namespace: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var spec: NamespaceSpec?
        public var status: NamespaceStatus?
    }

    public struct NamespaceSpec: Codable, Hashable, Sendable {
        public var finalizers: [String]?
    }

    public struct NamespaceStatus: Codable, Hashable, Sendable {
        public var phase: String?
        public var conditions: [NamespaceCondition]?
    }

    public struct NamespaceCondition: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var type: String
        @ZeroIfAbsent public var status: String
        public var lastTransitionTime: Time?
        public var reason: String?
        public var message: String?
    }

    // MARK: - Node

    public struct Node: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var spec: NodeSpec?
        public var status: NodeStatus?
    }

    public struct NodeSpec: Codable, Hashable, Sendable {
        public var podCIDR: String?
        public var podCIDRs: [String]?
        public var providerID: String?
        public var unschedulable: Bool?
        public var taints: [Taint]?
        public var configSource: NodeConfigSource?
        public var externalID: String?
    }

    public struct Taint: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var key: String
        public var value: String?
        @ZeroIfAbsent public var effect: String
        public var timeAdded: Time?
    }

    public struct NodeConfigSource: Codable, Hashable, Sendable {
        public var configMap: ConfigMapNodeConfigSource?
    }

    public struct ConfigMapNodeConfigSource: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var namespace: String
        @ZeroIfAbsent public var name: String
        public var uid: String?
        public var resourceVersion: String?
        @ZeroIfAbsent public var kubeletConfigKey: String
    }

    public struct DaemonEndpoint: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var port: Int32

        // Upstream's JSON name is capitalized, a historical accident kept for compatibility.
        private enum CodingKeys: String, CodingKey { case port = "Port" }
    }

    public struct NodeDaemonEndpoints: Codable, Hashable, Sendable {
        public var kubeletEndpoint: DaemonEndpoint?
    }

    public struct NodeRuntimeHandlerFeatures: Codable, Hashable, Sendable {
        public var recursiveReadOnlyMounts: Bool?
        public var userNamespaces: Bool?
    }

    public struct NodeRuntimeHandler: Codable, Hashable, Sendable {
        public var name: String?
        public var features: NodeRuntimeHandlerFeatures?
    }

    public struct NodeFeatures: Codable, Hashable, Sendable {
        public var supplementalGroupsPolicy: Bool?
    }

    public struct NodeSystemInfo: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var machineID: String
        @ZeroIfAbsent public var systemUUID: String
        @ZeroIfAbsent public var bootID: String
        @ZeroIfAbsent public var kernelVersion: String
        @ZeroIfAbsent public var osImage: String
        @ZeroIfAbsent public var containerRuntimeVersion: String
        @ZeroIfAbsent public var kubeletVersion: String
        @ZeroIfAbsent public var kubeProxyVersion: String
        @ZeroIfAbsent public var operatingSystem: String
        @ZeroIfAbsent public var architecture: String
    }

    public struct NodeConfigStatus: Codable, Hashable, Sendable {
        public var assigned: NodeConfigSource?
        public var active: NodeConfigSource?
        public var lastKnownGood: NodeConfigSource?
        public var error: String?
    }

    public struct NodeStatus: Codable, Hashable, Sendable {
        public var capacity: ResourceList?
        public var allocatable: ResourceList?
        public var phase: String?
        public var conditions: [NodeCondition]?
        public var addresses: [NodeAddress]?
        public var daemonEndpoints: NodeDaemonEndpoints?
        public var nodeInfo: NodeSystemInfo?
        public var images: [ContainerImage]?
        public var volumesInUse: [String]?
        public var volumesAttached: [AttachedVolume]?
        public var config: NodeConfigStatus?
        public var runtimeHandlers: [NodeRuntimeHandler]?
        public var features: NodeFeatures?
    }

    public struct AttachedVolume: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var name: String
        @ZeroIfAbsent public var devicePath: String
    }

    public struct ContainerImage: Codable, Hashable, Sendable {
        public var names: [String]?
        public var sizeBytes: Int64?
    }

    public struct NodeCondition: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var type: String
        @ZeroIfAbsent public var status: String
        public var lastHeartbeatTime: Time?
        public var lastTransitionTime: Time?
        public var reason: String?
        public var message: String?
    }

    public struct NodeAddress: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var type: String
        @ZeroIfAbsent public var address: String
    }

    // MARK: - Service

    public struct Service: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var spec: ServiceSpec?
        public var status: ServiceStatus?
    }

    public struct ServiceSpec: Codable, Hashable, Sendable {
        public var ports: [ServicePort]?
        public var selector: [String: String]?
        public var clusterIP: String?
        public var clusterIPs: [String]?
        public var type: String?
        public var externalIPs: [String]?
        public var sessionAffinity: String?
        public var loadBalancerIP: String?
        public var loadBalancerSourceRanges: [String]?
        public var externalName: String?
        public var externalTrafficPolicy: String?
        public var healthCheckNodePort: Int32?
        public var publishNotReadyAddresses: Bool?
        public var sessionAffinityConfig: SessionAffinityConfig?
        public var ipFamilies: [String]?
        public var ipFamilyPolicy: String?
        public var allocateLoadBalancerNodePorts: Bool?
        public var loadBalancerClass: String?
        public var internalTrafficPolicy: String?
        public var trafficDistribution: String?
    }

    public struct ServicePort: Codable, Hashable, Sendable {
        public var name: String?
        public var `protocol`: String?
        public var appProtocol: String?
        @ZeroIfAbsent public var port: Int32
        public var targetPort: IntOrString?
        public var nodePort: Int32?
    }

    public struct SessionAffinityConfig: Codable, Hashable, Sendable {
        public var clientIP: ClientIPConfig?
    }

    public struct ClientIPConfig: Codable, Hashable, Sendable {
        public var timeoutSeconds: Int32?
    }

    public struct ServiceStatus: Codable, Hashable, Sendable {
        public var loadBalancer: LoadBalancerStatus?
        public var conditions: [MetaV1.Condition]?
    }

    public struct LoadBalancerStatus: Codable, Hashable, Sendable {
        public var ingress: [LoadBalancerIngress]?
    }

    public struct LoadBalancerIngress: Codable, Hashable, Sendable {
        public var ip: String?
        public var hostname: String?
        public var ipMode: String?
        public var ports: [PortStatus]?
    }

    public struct PortStatus: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var port: Int32
        @ZeroIfAbsent public var `protocol`: String
        public var error: String?
    }

    // MARK: - Endpoints

    public struct Endpoints: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var subsets: [EndpointSubset]?
    }

    public struct EndpointSubset: Codable, Hashable, Sendable {
        public var addresses: [EndpointAddress]?
        public var notReadyAddresses: [EndpointAddress]?
        public var ports: [EndpointPort]?
    }

    public struct EndpointAddress: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var ip: String
        public var hostname: String?
        public var nodeName: String?
        public var targetRef: ObjectReference?
    }

    public struct EndpointPort: Codable, Hashable, Sendable {
        public var name: String?
        @ZeroIfAbsent public var port: Int32
        public var `protocol`: String?
        public var appProtocol: String?
    }

    // MARK: - ServiceAccount

    public struct ServiceAccount: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var secrets: [ObjectReference]?
        public var imagePullSecrets: [LocalObjectReference]?
        public var automountServiceAccountToken: Bool?
    }

    // MARK: - Event

    public struct Event: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        @ZeroIfAbsent public var involvedObject: ObjectReference
        public var reason: String?
        public var message: String?
        public var source: EventSource?
        public var firstTimestamp: Time?
        public var lastTimestamp: Time?
        public var count: Int32?
        public var type: String?
        public var eventTime: Time?
        public var series: EventSeries?
        public var action: String?
        public var related: ObjectReference?
        public var reportingComponent: String?
        public var reportingInstance: String?
    }

    public struct EventSource: Codable, Hashable, Sendable {
        public var component: String?
        public var host: String?
    }

    public struct EventSeries: Codable, Hashable, Sendable {
        public var count: Int32?
        public var lastObservedTime: Time?
    }

    // MARK: - LimitRange

    public struct LimitRange: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var spec: LimitRangeSpec?
    }

    public struct LimitRangeSpec: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var limits: [LimitRangeItem]
    }

    public struct LimitRangeItem: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var type: String
        public var max: ResourceList?
        public var min: ResourceList?
        public var `default`: ResourceList?
        public var defaultRequest: ResourceList?
        public var maxLimitRequestRatio: ResourceList?
    }

    // MARK: - ResourceQuota

    public struct ResourceQuota: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var spec: ResourceQuotaSpec?
        public var status: ResourceQuotaStatus?
    }

    public struct ResourceQuotaSpec: Codable, Hashable, Sendable {
        public var hard: ResourceList?
        public var scopes: [String]?
        public var scopeSelector: ScopeSelector?
    }

    public struct ScopeSelector: Codable, Hashable, Sendable {
        public var matchExpressions: [ScopedResourceSelectorRequirement]?
    }

    public struct ScopedResourceSelectorRequirement: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var scopeName: String
        @ZeroIfAbsent public var `operator`: String
        public var values: [String]?
    }

    public struct ResourceQuotaStatus: Codable, Hashable, Sendable {
        public var hard: ResourceList?
        public var used: ResourceList?
    }

    // MARK: - PersistentVolume

    public struct PersistentVolume: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var spec: PersistentVolumeSpec?
        public var status: PersistentVolumeStatus?
    }

    /// Upstream inlines `PersistentVolumeSource` (the volume source fields, gcePersistentDisk
    /// through csi) between capacity and accessModes.
    public struct PersistentVolumeSpec: Codable, Hashable, Sendable {
        public var capacity: ResourceList?
        public var gcePersistentDisk: JSONValue?
        public var awsElasticBlockStore: JSONValue?
        public var hostPath: HostPathVolumeSource?
        public var glusterfs: JSONValue?
        public var nfs: JSONValue?
        public var rbd: JSONValue?
        public var iscsi: JSONValue?
        public var cinder: JSONValue?
        public var cephfs: JSONValue?
        public var fc: JSONValue?
        public var flocker: JSONValue?
        public var flexVolume: JSONValue?
        public var azureFile: JSONValue?
        public var vsphereVolume: JSONValue?
        public var quobyte: JSONValue?
        public var azureDisk: JSONValue?
        public var photonPersistentDisk: JSONValue?
        public var portworxVolume: JSONValue?
        public var scaleIO: JSONValue?
        public var local: JSONValue?
        public var storageos: JSONValue?
        public var csi: JSONValue?
        public var accessModes: [String]?
        public var claimRef: ObjectReference?
        public var persistentVolumeReclaimPolicy: String?
        public var storageClassName: String?
        public var mountOptions: [String]?
        public var volumeMode: String?
        public var nodeAffinity: JSONValue?
        public var volumeAttributesClassName: String?
    }

    public struct PersistentVolumeStatus: Codable, Hashable, Sendable {
        public var phase: String?
        public var message: String?
        public var reason: String?
        public var lastPhaseTransitionTime: Time?
    }

    // MARK: - PersistentVolumeClaim

    public struct PersistentVolumeClaim: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var spec: PersistentVolumeClaimSpec?
        public var status: PersistentVolumeClaimStatus?
    }

    public struct PersistentVolumeClaimSpec: Codable, Hashable, Sendable {
        public var accessModes: [String]?
        public var selector: MetaV1.LabelSelector?
        public var resources: VolumeResourceRequirements?
        public var volumeName: String?
        public var storageClassName: String?
        public var volumeMode: String?
        public var dataSource: TypedLocalObjectReference?
        public var dataSourceRef: TypedObjectReference?
        public var volumeAttributesClassName: String?
    }

    public struct VolumeResourceRequirements: Codable, Hashable, Sendable {
        public var limits: ResourceList?
        public var requests: ResourceList?
    }

    public struct TypedLocalObjectReference: Codable, Hashable, Sendable {
        public var apiGroup: String?
        @ZeroIfAbsent public var kind: String
        @ZeroIfAbsent public var name: String
    }

    public struct TypedObjectReference: Codable, Hashable, Sendable {
        public var apiGroup: String?
        @ZeroIfAbsent public var kind: String
        @ZeroIfAbsent public var name: String
        public var namespace: String?
    }

    public struct PersistentVolumeClaimStatus: Codable, Hashable, Sendable {
        public var phase: String?
        public var accessModes: [String]?
        public var capacity: ResourceList?
        public var conditions: [PersistentVolumeClaimCondition]?
        public var allocatedResources: ResourceList?
        public var allocatedResourceStatuses: [String: String]?
        public var currentVolumeAttributesClassName: String?
        public var modifyVolumeStatus: ModifyVolumeStatus?
    }

    public struct ModifyVolumeStatus: Codable, Hashable, Sendable {
        public var targetVolumeAttributesClassName: String?
        @ZeroIfAbsent public var status: String
    }

    public struct PersistentVolumeClaimCondition: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var type: String
        @ZeroIfAbsent public var status: String
        public var lastProbeTime: Time?
        public var lastTransitionTime: Time?
        public var reason: String?
        public var message: String?
    }
}

// MARK: - Descriptions (our own words)

extension CoreV1.Namespace: SchemaDescribed {
    public static let schemaDescription =
        "A named scope that partitions object names in the cluster; most namespaced objects belong to exactly one namespace."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "Versioned schema this object is written in (v1 for a Namespace). Servers may reject values they do not recognize.",
        "kind": "REST resource this object represents, in CamelCase (Namespace). Inferred from the endpoint when omitted; cannot be updated.",
        "metadata": "Standard object metadata: name, labels, annotations and the rest.",
        "spec": "Desired behaviour of the namespace, such as its finalizers.",
        "status": "Most recently observed state of the namespace; read-only.",
    ]
}

extension CoreV1.NamespaceSpec: SchemaDescribed {
    public static let schemaDescription = "Desired behaviour of a namespace."
    public static let fieldDescriptions: [String: String] = [
        "finalizers": "Opaque tokens that must all be cleared before the namespace is finally removed from storage.",
    ]
}

extension CoreV1.NamespaceStatus: SchemaDescribed {
    public static let schemaDescription = "Observed state of a namespace."
    public static let fieldDescriptions: [String: String] = [
        "phase": "Lifecycle phase of the namespace: Active, or Terminating while its contents are being deleted.",
        "conditions": "Latest observed conditions of the namespace, mostly about problems during deletion.",
    ]
}

extension CoreV1.NamespaceCondition: SchemaDescribed {
    public static let schemaDescription = "One condition of a namespace, typically describing why its deletion is stuck."
    public static let fieldDescriptions: [String: String] = [
        "type": "Kind of condition, e.g. NamespaceDeletionDiscoveryFailure, NamespaceDeletionContentFailure, NamespaceDeletionGroupVersionParsingFailure, NamespaceContentRemaining or NamespaceFinalizersRemaining. Required.",
        "status": "Whether the condition holds: True, False or Unknown. Required.",
        "lastTransitionTime": "When the condition last changed from one status to another.",
        "reason": "Short CamelCase code explaining the last transition.",
        "message": "Human-readable detail about the last transition.",
    ]
}

extension CoreV1.Node: SchemaDescribed {
    public static let schemaDescription =
        "A machine, physical or virtual, that runs pods. Its kubelet registers it and keeps its status current."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "Versioned schema this object is written in (v1 for a Node). Servers may reject values they do not recognize.",
        "kind": "REST resource this object represents, in CamelCase (Node). Inferred from the endpoint when omitted; cannot be updated.",
        "metadata": "Standard object metadata: name, labels, annotations and the rest.",
        "spec": "Desired configuration of the node, such as its pod address ranges and taints.",
        "status": "Most recently observed state of the node as its kubelet reports it; read-only.",
    ]
}

extension CoreV1.NodeSpec: SchemaDescribed {
    public static let schemaDescription = "Desired configuration of a node."
    public static let fieldDescriptions: [String: String] = [
        "podCIDR": "Address range assigned to this node for its pods; the same as the first entry of podCIDRs.",
        "podCIDRs": "Address ranges assigned to this node for its pods, at most one per IP family. The first entry equals podCIDR.",
        "providerID": "How the cloud provider identifies this node, written as <ProviderName>://<ProviderSpecificNodeID>.",
        "unschedulable": "When true, no new pods are scheduled onto the node (what `kubectl cordon` sets). Defaults to false.",
        "taints": "Taints that keep off pods which do not tolerate them.",
        "configSource": "Deprecated: once chose a source of dynamic kubelet configuration. That feature was removed and the field has no effect.",
        "externalID": "Deprecated and unused; still accepted so that older clients sending it keep working.",
    ]
}

extension CoreV1.Taint: SchemaDescribed {
    public static let schemaDescription =
        "A mark on a node that repels every pod lacking a toleration that matches it."
    public static let fieldDescriptions: [String: String] = [
        "key": "Key of the taint, matched against the keys of tolerations. Required.",
        "value": "Value of the taint, compared when a toleration uses the Equal operator.",
        "effect": "What happens to pods that do not tolerate the taint: NoSchedule, PreferNoSchedule or NoExecute. Required.",
        "timeAdded": "When the taint was put on the node; recorded only for NoExecute taints.",
    ]
}

extension CoreV1.NodeConfigSource: SchemaDescribed {
    public static let schemaDescription =
        "Deprecated: where a node's kubelet configuration came from, from the removed dynamic kubelet configuration feature."
    public static let fieldDescriptions: [String: String] = [
        "configMap": "A ConfigMap holding the kubelet configuration.",
    ]
}

extension CoreV1.ConfigMapNodeConfigSource: SchemaDescribed {
    public static let schemaDescription =
        "Deprecated: a ConfigMap that held kubelet configuration for a node under dynamic kubelet configuration."
    public static let fieldDescriptions: [String: String] = [
        "namespace": "Namespace of the ConfigMap. Required.",
        "name": "Name of the ConfigMap. Required.",
        "uid": "UID of the ConfigMap; forbidden in a node's spec and required in its status.",
        "resourceVersion": "Resource version of the ConfigMap; forbidden in a node's spec and required in its status.",
        "kubeletConfigKey": "Key in the ConfigMap whose value is the kubelet's configuration file. Required.",
    ]
}

extension CoreV1.DaemonEndpoint: SchemaDescribed {
    public static let schemaDescription = "A port on which a daemon of the node listens."
    public static let fieldDescriptions: [String: String] = [
        "Port": "Port number the daemon listens on. Required.",
    ]
}

extension CoreV1.NodeDaemonEndpoints: SchemaDescribed {
    public static let schemaDescription = "Ports of the daemons running on a node."
    public static let fieldDescriptions: [String: String] = [
        "kubeletEndpoint": "Port on which the node's kubelet serves its API.",
    ]
}

extension CoreV1.NodeRuntimeHandlerFeatures: SchemaDescribed {
    public static let schemaDescription = "Optional capabilities of a container runtime handler."
    public static let fieldDescriptions: [String: String] = [
        "recursiveReadOnlyMounts": "Whether the handler can make read-only mounts read-only recursively.",
        "userNamespaces": "Whether the handler can run pods in user namespaces, volumes included.",
    ]
}

extension CoreV1.NodeRuntimeHandler: SchemaDescribed {
    public static let schemaDescription = "A handler (runtime class) that the node's container runtime offers."
    public static let fieldDescriptions: [String: String] = [
        "name": "Name of the handler; empty for the runtime's default handler.",
        "features": "Optional capabilities this handler supports.",
    ]
}

extension CoreV1.NodeFeatures: SchemaDescribed {
    public static let schemaDescription = "Node-level features the kubelet has found to be available."
    public static let fieldDescriptions: [String: String] = [
        "supplementalGroupsPolicy": "Whether the node honours the supplementalGroupsPolicy of a pod's security context.",
    ]
}

extension CoreV1.NodeSystemInfo: SchemaDescribed {
    public static let schemaDescription = "Identifiers and software versions that describe a node."
    public static let fieldDescriptions: [String: String] = [
        "machineID": "Machine ID the node reports (from /etc/machine-id on Linux). Required.",
        "systemUUID": "UUID of the hardware, from the SMBIOS product UUID where there is one. Required.",
        "bootID": "Identifier that changes each time the node boots. Required.",
        "kernelVersion": "Version of the node's kernel, as `uname -r` prints it. Required.",
        "osImage": "Operating system image running on the node, as /etc/os-release names it. Required.",
        "containerRuntimeVersion": "Container runtime and its version, e.g. containerd://1.7.0. Required.",
        "kubeletVersion": "Version of the node's kubelet. Required.",
        "kubeProxyVersion": "Deprecated and not reliably filled in: version of kube-proxy on the node.",
        "operatingSystem": "Operating system family of the node: linux or windows. Required.",
        "architecture": "CPU architecture of the node, e.g. amd64 or arm64. Required.",
    ]
}

extension CoreV1.NodeConfigStatus: SchemaDescribed {
    public static let schemaDescription = "Deprecated: progress of dynamic kubelet configuration on a node."
    public static let fieldDescriptions: [String: String] = [
        "assigned": "Configuration the node was asked to use.",
        "active": "Configuration the node is running with.",
        "lastKnownGood": "Configuration the node falls back to if the assigned one turns out to be invalid.",
        "error": "Problem met while applying the configuration, if any.",
    ]
}

extension CoreV1.NodeStatus: SchemaDescribed {
    public static let schemaDescription = "Most recently observed state of a node."
    public static let fieldDescriptions: [String: String] = [
        "capacity": "Total resources of the node, such as cpu, memory, ephemeral-storage and pods.",
        "allocatable": "Resources left for pods once system reservations are taken out; defaults to capacity.",
        "phase": "Deprecated and no longer set: lifecycle phase of the node (Pending, Running or Terminated).",
        "conditions": "Current conditions of the node: Ready, MemoryPressure, DiskPressure, PIDPressure and NetworkUnavailable.",
        "addresses": "Addresses at which the node can be reached, such as its hostname and internal IP.",
        "daemonEndpoints": "Ports on which the node's daemons listen.",
        "nodeInfo": "Identifiers and software versions of the node.",
        "images": "Container images stored on the node.",
        "volumesInUse": "Attachable volumes that are currently mounted on the node.",
        "volumesAttached": "Volumes currently attached to the node.",
        "config": "Deprecated: state of the node's dynamic kubelet configuration.",
        "runtimeHandlers": "Handlers the node's container runtime makes available.",
        "features": "Optional node-level features the kubelet has detected.",
    ]
}

extension CoreV1.AttachedVolume: SchemaDescribed {
    public static let schemaDescription = "A volume attached to a node."
    public static let fieldDescriptions: [String: String] = [
        "name": "Unique name of the attached volume. Required.",
        "devicePath": "Path of the device through which the volume is to be available on the node. Required.",
    ]
}

extension CoreV1.ContainerImage: SchemaDescribed {
    public static let schemaDescription = "A container image stored on a node."
    public static let fieldDescriptions: [String: String] = [
        "names": "References the image is known by, such as registry/name:tag or name@sha256:digest.",
        "sizeBytes": "Size of the image in bytes.",
    ]
}

extension CoreV1.NodeCondition: SchemaDescribed {
    public static let schemaDescription = "One condition of a node, such as whether it is Ready."
    public static let fieldDescriptions: [String: String] = [
        "type": "Kind of condition: Ready, MemoryPressure, DiskPressure, PIDPressure or NetworkUnavailable. Required.",
        "status": "Whether the condition holds: True, False or Unknown. Required.",
        "lastHeartbeatTime": "When the kubelet last reported this condition.",
        "lastTransitionTime": "When the condition last changed from one status to another.",
        "reason": "Short CamelCase code explaining the last transition.",
        "message": "Human-readable detail about the last transition.",
    ]
}

extension CoreV1.NodeAddress: SchemaDescribed {
    public static let schemaDescription = "One address at which a node can be reached."
    public static let fieldDescriptions: [String: String] = [
        "type": "Kind of address: Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS. Required.",
        "address": "The address itself. Required.",
    ]
}

extension CoreV1.Service: SchemaDescribed {
    public static let schemaDescription =
        "A stable name, virtual IP and set of ports in front of a group of pods (or an external name), to which the proxy forwards traffic."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "Versioned schema this object is written in (v1 for a Service). Servers may reject values they do not recognize.",
        "kind": "REST resource this object represents, in CamelCase (Service). Inferred from the endpoint when omitted; cannot be updated.",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and the rest.",
        "spec": "Desired behaviour of the service: its ports, selector and type.",
        "status": "Most recently observed state of the service, such as its load balancer addresses; read-only.",
    ]
}

extension CoreV1.ServiceSpec: SchemaDescribed {
    public static let schemaDescription = "Desired behaviour of a service."
    public static let fieldDescriptions: [String: String] = [
        "ports": "Ports the service exposes, each with where its traffic is forwarded.",
        "selector": "Labels of the pods that receive the service's traffic. When empty or unset the endpoints are managed by someone else. Ignored for ExternalName services.",
        "clusterIP": "Virtual IP of the service, normally picked at random; None makes a headless service. Can only be chosen at creation and does not apply to ExternalName services.",
        "clusterIPs": "Virtual IPs of the service, at most one per IP family. The first entry equals clusterIP.",
        "type": "How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName. Defaults to ClusterIP.",
        "externalIPs": "Additional IPs, not managed by the cluster, on which nodes also accept traffic for the service.",
        "sessionAffinity": "Session stickiness: ClientIP keeps sending a client to the same pod, None does not. Defaults to None.",
        "loadBalancerIP": "Deprecated: address requested for a LoadBalancer service; only some providers honour it.",
        "loadBalancerSourceRanges": "Client CIDR ranges the provider's load balancer lets through, where the provider supports it.",
        "externalName": "DNS name the service stands for, served as a CNAME record, when type is ExternalName.",
        "externalTrafficPolicy": "How traffic from outside the cluster is routed: Cluster (any ready endpoint; the default) or Local (endpoints on the receiving node only, preserving the client's source IP).",
        "healthCheckNodePort": "Node port answering health checks of a LoadBalancer service whose externalTrafficPolicy is Local; picked automatically when unset.",
        "publishNotReadyAddresses": "When true, endpoints and DNS include pods that are not ready. Defaults to false.",
        "sessionAffinityConfig": "Settings for the chosen session affinity.",
        "ipFamilies": "IP families (IPv4, IPv6) given to the service, in order of preference.",
        "ipFamilyPolicy": "Dual-stack behaviour: SingleStack (the default), PreferDualStack or RequireDualStack.",
        "allocateLoadBalancerNodePorts": "Whether node ports are allocated for a LoadBalancer service. Defaults to true.",
        "loadBalancerClass": "Load balancer implementation that handles a LoadBalancer service; unset means the cloud provider's default. Cannot change once set.",
        "internalTrafficPolicy": "How traffic from inside the cluster is routed: Cluster (any ready endpoint; the default) or Local (endpoints on the same node only).",
        "trafficDistribution": "Preference for how traffic is spread across endpoints; PreferClose favours endpoints that are topologically near the client.",
    ]
}

extension CoreV1.ServicePort: SchemaDescribed {
    public static let schemaDescription = "One port a service exposes."
    public static let fieldDescriptions: [String: String] = [
        "name": "Name of the port, unique within the service; needed as soon as the service has more than one port.",
        "protocol": "IP protocol of the port: TCP, UDP or SCTP. Defaults to TCP.",
        "appProtocol": "Application protocol spoken on the port: an IANA service name, or a prefixed name such as kubernetes.io/h2c.",
        "port": "Port number the service exposes. Required.",
        "targetPort": "Port number or named container port on the pods that traffic goes to. Defaults to the value of port.",
        "nodePort": "Port opened on every node for NodePort and LoadBalancer services; allocated from the node port range when unset.",
    ]
}

extension CoreV1.SessionAffinityConfig: SchemaDescribed {
    public static let schemaDescription = "Settings for a service's session affinity."
    public static let fieldDescriptions: [String: String] = [
        "clientIP": "Settings for affinity based on the client's IP address.",
    ]
}

extension CoreV1.ClientIPConfig: SchemaDescribed {
    public static let schemaDescription = "Settings for session affinity based on the client's IP address."
    public static let fieldDescriptions: [String: String] = [
        "timeoutSeconds": "How long, in seconds, a client sticks to the same pod: 1 to 86400. Defaults to 10800 (three hours).",
    ]
}

extension CoreV1.ServiceStatus: SchemaDescribed {
    public static let schemaDescription = "Observed state of a service."
    public static let fieldDescriptions: [String: String] = [
        "loadBalancer": "State of the service's load balancer, if one has been provisioned.",
        "conditions": "Current conditions of the service.",
    ]
}

extension CoreV1.LoadBalancerStatus: SchemaDescribed {
    public static let schemaDescription = "State of a load balancer."
    public static let fieldDescriptions: [String: String] = [
        "ingress": "Entry points of the load balancer, where traffic for the service arrives.",
    ]
}

extension CoreV1.LoadBalancerIngress: SchemaDescribed {
    public static let schemaDescription = "One entry point of a load balancer."
    public static let fieldDescriptions: [String: String] = [
        "ip": "IP address of the entry point, for load balancers addressed by IP.",
        "hostname": "DNS name of the entry point, for load balancers addressed by name.",
        "ipMode": "How traffic to the IP is delivered: VIP (it arrives addressed to that IP) or Proxy (the load balancer forwards it to the node or pod).",
        "ports": "State of each of the service's ports on this entry point.",
    ]
}

extension CoreV1.PortStatus: SchemaDescribed {
    public static let schemaDescription = "State of one port of a load balancer entry point."
    public static let fieldDescriptions: [String: String] = [
        "port": "Port number. Required.",
        "protocol": "Protocol of the port: TCP, UDP or SCTP. Required.",
        "error": "Problem with the port as a CamelCase code; unset while the port works.",
    ]
}

extension CoreV1.Endpoints: SchemaDescribed {
    public static let schemaDescription =
        "The network addresses behind a service, grouped into subsets that share ports. Largely replaced by EndpointSlice."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "Versioned schema this object is written in (v1 for Endpoints). Servers may reject values they do not recognize.",
        "kind": "REST resource this object represents, in CamelCase (Endpoints). Inferred from the endpoint when omitted; cannot be updated.",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and the rest.",
        "subsets": "Groups of addresses with the ports they share; together they list every endpoint of the service.",
    ]
}

extension CoreV1.EndpointSubset: SchemaDescribed {
    public static let schemaDescription = "A group of addresses together with the ports every one of them serves."
    public static let fieldDescriptions: [String: String] = [
        "addresses": "Addresses that are ready to receive traffic on the ports.",
        "notReadyAddresses": "Addresses not ready for traffic, e.g. still starting or failing their readiness checks.",
        "ports": "Ports served by every address in the subset.",
    ]
}

extension CoreV1.EndpointAddress: SchemaDescribed {
    public static let schemaDescription = "One address behind a service."
    public static let fieldDescriptions: [String: String] = [
        "ip": "IP address of the endpoint; loopback, link-local and multicast addresses are not allowed. Required.",
        "hostname": "Hostname of the endpoint.",
        "nodeName": "Node on which the endpoint runs.",
        "targetRef": "Object behind the endpoint, usually a pod.",
    ]
}

extension CoreV1.EndpointPort: SchemaDescribed {
    public static let schemaDescription = "One port served by the addresses of an endpoint subset."
    public static let fieldDescriptions: [String: String] = [
        "name": "Name of the port, matching a port name of the service; may be left out when there is only one port.",
        "port": "Port number. Required.",
        "protocol": "IP protocol of the port: TCP, UDP or SCTP. Defaults to TCP.",
        "appProtocol": "Application protocol spoken on the port: an IANA service name, or a prefixed name such as kubernetes.io/h2c.",
    ]
}

extension CoreV1.ServiceAccount: SchemaDescribed {
    public static let schemaDescription =
        "An identity for the processes in pods, with which they authenticate to the API server."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "Versioned schema this object is written in (v1 for a ServiceAccount). Servers may reject values they do not recognize.",
        "kind": "REST resource this object represents, in CamelCase (ServiceAccount). Inferred from the endpoint when omitted; cannot be updated.",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and the rest.",
        "secrets": "Secrets that pods using this account may mount when the enforce-mountable-secrets annotation is set; no longer used to hold API tokens.",
        "imagePullSecrets": "Secrets with registry credentials, added to every pod that runs as this account.",
        "automountServiceAccountToken": "Whether pods running as this account get an API token mounted by default; the pod's own setting takes precedence.",
    ]
}

extension CoreV1.Event: SchemaDescribed {
    public static let schemaDescription =
        "A record of something that happened to an object in the cluster. Events are kept for a limited time only."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "Versioned schema this object is written in (v1 for a core Event). Servers may reject values they do not recognize.",
        "kind": "REST resource this object represents, in CamelCase (Event). Inferred from the endpoint when omitted; cannot be updated.",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and the rest.",
        "involvedObject": "Object the event is about. Required.",
        "reason": "Short CamelCase code for why the event happened, e.g. FailedScheduling.",
        "message": "Human-readable account of what happened.",
        "source": "Component that reported the event.",
        "firstTimestamp": "When the event was first recorded.",
        "lastTimestamp": "When its most recent occurrence was recorded.",
        "count": "How many times the event has occurred.",
        "type": "Type of the event: Normal or Warning; other types may come later.",
        "eventTime": "When the event was first observed, with microsecond precision.",
        "series": "Data about repeated occurrences, when the event recurs.",
        "action": "What was done, or failed, to the involved object.",
        "related": "A second object involved in the event, if there is one.",
        "reportingComponent": "Name of the controller that emitted the event, e.g. kubernetes.io/kubelet.",
        "reportingInstance": "Which instance of that controller emitted the event, e.g. kubelet-node1.",
    ]
}

extension CoreV1.EventSource: SchemaDescribed {
    public static let schemaDescription = "The component and host that reported an event."
    public static let fieldDescriptions: [String: String] = [
        "component": "Component that produced the event.",
        "host": "Node on which the event was produced.",
    ]
}

extension CoreV1.EventSeries: SchemaDescribed {
    public static let schemaDescription = "Data about an event that keeps recurring."
    public static let fieldDescriptions: [String: String] = [
        "count": "How many occurrences of the event have been seen so far.",
        "lastObservedTime": "When the latest occurrence was seen, with microsecond precision.",
    ]
}

extension CoreV1.LimitRange: SchemaDescribed {
    public static let schemaDescription =
        "Per-namespace bounds and defaults for the resources that pods, containers and volume claims may ask for."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "Versioned schema this object is written in (v1 for a LimitRange). Servers may reject values they do not recognize.",
        "kind": "REST resource this object represents, in CamelCase (LimitRange). Inferred from the endpoint when omitted; cannot be updated.",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and the rest.",
        "spec": "Bounds to enforce and defaults to fill in.",
    ]
}

extension CoreV1.LimitRangeSpec: SchemaDescribed {
    public static let schemaDescription = "The bounds and defaults of a LimitRange."
    public static let fieldDescriptions: [String: String] = [
        "limits": "Bounds and defaults, each entry for one kind of object. Required.",
    ]
}

extension CoreV1.LimitRangeItem: SchemaDescribed {
    public static let schemaDescription = "Bounds and defaults for one kind of object."
    public static let fieldDescriptions: [String: String] = [
        "type": "Kind of object the entry governs: Pod, Container or PersistentVolumeClaim. Required.",
        "max": "Largest amount of each resource the object may have.",
        "min": "Smallest amount of each resource the object may have.",
        "default": "Limit filled in for a container that sets none.",
        "defaultRequest": "Request filled in for a container that sets none.",
        "maxLimitRequestRatio": "Highest allowed ratio of a resource's limit to its request, capping how far the limit may exceed the request.",
    ]
}

extension CoreV1.ResourceQuota: SchemaDescribed {
    public static let schemaDescription =
        "Caps on the total resource consumption and object counts within a namespace."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "Versioned schema this object is written in (v1 for a ResourceQuota). Servers may reject values they do not recognize.",
        "kind": "REST resource this object represents, in CamelCase (ResourceQuota). Inferred from the endpoint when omitted; cannot be updated.",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and the rest.",
        "spec": "Caps to enforce and the objects they apply to.",
        "status": "Caps currently enforced and the usage observed against them; read-only.",
    ]
}

extension CoreV1.ResourceQuotaSpec: SchemaDescribed {
    public static let schemaDescription = "The caps of a quota and which objects they count."
    public static let fieldDescriptions: [String: String] = [
        "hard": "Highest allowed total of each named resource.",
        "scopes": "Scopes an object must match to be counted: Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass or CrossNamespacePodAffinity. Unset counts every object.",
        "scopeSelector": "Selector over scopes an object must also match to be counted; combined with scopes by AND.",
    ]
}

extension CoreV1.ScopeSelector: SchemaDescribed {
    public static let schemaDescription = "Chooses objects by quota scope; every requirement must hold."
    public static let fieldDescriptions: [String: String] = [
        "matchExpressions": "Requirements on scopes, all of which must be met.",
    ]
}

extension CoreV1.ScopedResourceSelectorRequirement: SchemaDescribed {
    public static let schemaDescription = "A requirement on a quota scope: a scope name, an operator and a set of values."
    public static let fieldDescriptions: [String: String] = [
        "scopeName": "Scope the requirement is about, e.g. PriorityClass. Required.",
        "operator": "How the scope relates to the values: In, NotIn, Exists or DoesNotExist. Required.",
        "values": "Values to compare against; non-empty for In and NotIn, empty for Exists and DoesNotExist.",
    ]
}

extension CoreV1.ResourceQuotaStatus: SchemaDescribed {
    public static let schemaDescription = "Caps in force for a quota and the usage counted against them."
    public static let fieldDescriptions: [String: String] = [
        "hard": "Cap currently enforced for each resource.",
        "used": "Amount of each resource currently used in the namespace.",
    ]
}

extension CoreV1.PersistentVolume: SchemaDescribed {
    public static let schemaDescription =
        "A piece of storage in the cluster, created by an administrator or provisioned for a storage class, that lives independently of any pod."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "Versioned schema this object is written in (v1 for a PersistentVolume). Servers may reject values they do not recognize.",
        "kind": "REST resource this object represents, in CamelCase (PersistentVolume). Inferred from the endpoint when omitted; cannot be updated.",
        "metadata": "Standard object metadata: name, labels, annotations and the rest.",
        "spec": "What the volume is and where its storage lives, as the administrator or provisioner set it.",
        "status": "Current state of the volume; read-only.",
    ]
}

extension CoreV1.PersistentVolumeSpec: SchemaDescribed {
    public static let schemaDescription =
        "The characteristics of a persistent volume and the storage backing it; exactly one volume source is set."
    public static let fieldDescriptions: [String: String] = [
        "capacity": "Size of the volume, under the storage key.",
        "gcePersistentDisk": "Deprecated: a Google Compute Engine persistent disk; now served by the pd.csi.storage.gke.io CSI driver.",
        "awsElasticBlockStore": "Deprecated: an AWS Elastic Block Store volume; now served by the ebs.csi.aws.com CSI driver.",
        "hostPath": "A directory on the node's own filesystem; meant for single-node testing only.",
        "glusterfs": "Deprecated and no longer supported: a GlusterFS volume.",
        "nfs": "An export of an NFS server.",
        "rbd": "Deprecated and no longer supported: a Ceph RBD image.",
        "iscsi": "A disk reached over iSCSI.",
        "cinder": "Deprecated: an OpenStack Cinder volume; now served by the cinder.csi.openstack.org CSI driver.",
        "cephfs": "Deprecated and no longer supported: a CephFS mount.",
        "fc": "A Fibre Channel disk.",
        "flocker": "Deprecated and no longer supported: a Flocker dataset.",
        "flexVolume": "Deprecated: a volume handled by a FlexVolume driver program.",
        "azureFile": "Deprecated: an Azure File share; now served by the file.csi.azure.com CSI driver.",
        "vsphereVolume": "Deprecated: a vSphere virtual disk; now served by the csi.vsphere.vmware.com CSI driver.",
        "quobyte": "Deprecated and no longer supported: a Quobyte volume.",
        "azureDisk": "Deprecated: an Azure data disk; now served by the disk.csi.azure.com CSI driver.",
        "photonPersistentDisk": "Deprecated and no longer supported: a Photon Controller persistent disk.",
        "portworxVolume": "Deprecated: a Portworx volume; now served by the pxd.portworx.com CSI driver.",
        "scaleIO": "Deprecated and no longer supported: a ScaleIO volume.",
        "local": "A disk, partition or directory local to one node; the volume then needs nodeAffinity.",
        "storageos": "Deprecated and no longer supported: a StorageOS volume.",
        "csi": "A volume managed by an external CSI driver.",
        "accessModes": "Ways the volume can be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.",
        "claimRef": "Claim this volume is bound to; setting it ahead of time reserves the volume for that claim.",
        "persistentVolumeReclaimPolicy": "What happens to the volume once its claim is released: Retain (default for volumes created by hand), Delete (default for dynamically provisioned volumes) or the deprecated Recycle.",
        "storageClassName": "Storage class the volume belongs to; empty means none, and such a volume only binds to claims asking for no class.",
        "mountOptions": "Options passed when the volume is mounted; they are not checked, so a wrong one makes the mount fail.",
        "volumeMode": "Whether the volume is used as a formatted filesystem or a raw block device: Filesystem (the default) or Block.",
        "nodeAffinity": "Constraints on the nodes that can reach the volume; pods using it are scheduled to match.",
        "volumeAttributesClassName": "VolumeAttributesClass the volume belongs to, carrying driver attributes that can change later; empty means none. Beta, behind a feature gate.",
    ]
}

extension CoreV1.PersistentVolumeStatus: SchemaDescribed {
    public static let schemaDescription = "Current state of a persistent volume."
    public static let fieldDescriptions: [String: String] = [
        "phase": "Where the volume is in its life: Pending, Available, Bound, Released or Failed.",
        "message": "Human-readable explanation of the volume's state.",
        "reason": "Short CamelCase code explaining a failure, for display by tools.",
        "lastPhaseTransitionTime": "When the volume last moved to a different phase; updated on every transition.",
    ]
}

extension CoreV1.PersistentVolumeClaim: SchemaDescribed {
    public static let schemaDescription =
        "A request for storage made by a user, satisfied by binding it to a matching persistent volume."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "Versioned schema this object is written in (v1 for a PersistentVolumeClaim). Servers may reject values they do not recognize.",
        "kind": "REST resource this object represents, in CamelCase (PersistentVolumeClaim). Inferred from the endpoint when omitted; cannot be updated.",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and the rest.",
        "spec": "Characteristics of the storage being requested.",
        "status": "Current state of the claim; read-only.",
    ]
}

extension CoreV1.PersistentVolumeClaimSpec: SchemaDescribed {
    public static let schemaDescription = "The storage a claim asks for and how it may be provided."
    public static let fieldDescriptions: [String: String] = [
        "accessModes": "Access modes the volume must offer: ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.",
        "selector": "Label query limiting which volumes may be bound to the claim.",
        "resources": "Least amount of resources (storage) the volume must have; can be raised later if the storage class allows expansion.",
        "volumeName": "Name of one particular persistent volume to bind to.",
        "storageClassName": "Storage class the claim needs; an empty string asks for no class, while leaving it unset takes the cluster's default class.",
        "volumeMode": "Whether the claim wants a formatted filesystem or a raw block device: Filesystem (the default) or Block.",
        "dataSource": "Existing object in the same namespace, a VolumeSnapshot or another PersistentVolumeClaim, whose data fills the new volume. Mirrored with dataSourceRef when both refer to the same object.",
        "dataSourceRef": "Object whose data fills the new volume; unlike dataSource it may be of any kind with a volume populator, and may be in another namespace.",
        "volumeAttributesClassName": "VolumeAttributesClass to apply to the volume; can be changed after creation. Beta, behind a feature gate.",
    ]
}

extension CoreV1.VolumeResourceRequirements: SchemaDescribed {
    public static let schemaDescription = "Resource requests and limits for a volume."
    public static let fieldDescriptions: [String: String] = [
        "limits": "Most of each resource the volume may have.",
        "requests": "Least of each resource the volume must have; taken from limits when omitted.",
    ]
}

extension CoreV1.TypedLocalObjectReference: SchemaDescribed {
    public static let schemaDescription = "A reference to an object of a given kind in the same namespace."
    public static let fieldDescriptions: [String: String] = [
        "apiGroup": "API group of the kind referred to; empty or unset for the core group.",
        "kind": "Kind of the object referred to. Required.",
        "name": "Name of the object referred to. Required.",
    ]
}

extension CoreV1.TypedObjectReference: SchemaDescribed {
    public static let schemaDescription = "A reference to an object of a given kind, possibly in another namespace."
    public static let fieldDescriptions: [String: String] = [
        "apiGroup": "API group of the kind referred to; empty or unset for the core group.",
        "kind": "Kind of the object referred to. Required.",
        "name": "Name of the object referred to. Required.",
        "namespace": "Namespace of the object referred to; another namespace needs a ReferenceGrant there and the CrossNamespaceVolumeDataSource feature gate.",
    ]
}

extension CoreV1.PersistentVolumeClaimStatus: SchemaDescribed {
    public static let schemaDescription = "Current state of a persistent volume claim."
    public static let fieldDescriptions: [String: String] = [
        "phase": "Where the claim is in its life: Pending, Bound or Lost.",
        "accessModes": "Access modes the bound volume actually offers.",
        "capacity": "Actual resources of the bound volume.",
        "conditions": "Current conditions of the claim, e.g. Resizing or FileSystemResizePending while it grows.",
        "allocatedResources": "Resources set aside for the claim, including expansions still in progress.",
        "allocatedResourceStatuses": "Progress of resizing each resource, by resource name: ControllerResizeInProgress, ControllerResizeFailed, NodeResizePending, NodeResizeInProgress or NodeResizeFailed.",
        "currentVolumeAttributesClassName": "VolumeAttributesClass currently applied to the bound volume.",
        "modifyVolumeStatus": "Progress of a change of the volume's attributes class; unset when none is under way.",
    ]
}

extension CoreV1.ModifyVolumeStatus: SchemaDescribed {
    public static let schemaDescription = "Progress of changing the VolumeAttributesClass of a claim's volume."
    public static let fieldDescriptions: [String: String] = [
        "targetVolumeAttributesClassName": "VolumeAttributesClass being applied to the volume.",
        "status": "State of the change: Pending, InProgress or Infeasible. Required.",
    ]
}

extension CoreV1.PersistentVolumeClaimCondition: SchemaDescribed {
    public static let schemaDescription = "One condition of a persistent volume claim."
    public static let fieldDescriptions: [String: String] = [
        "type": "Kind of condition, e.g. Resizing, FileSystemResizePending, ControllerResizeError, NodeResizeError, ModifyVolumeError or ModifyingVolume. Required.",
        "status": "Whether the condition holds: True, False or Unknown. Required.",
        "lastProbeTime": "When the condition was last checked.",
        "lastTransitionTime": "When the condition last changed from one status to another.",
        "reason": "Short CamelCase code explaining the last transition.",
        "message": "Human-readable detail about the last transition.",
    ]
}
