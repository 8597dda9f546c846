// The core/v1 Pod and the types it uses, as Codable values with upstream's JSON field
// names (k8s.io/api/core/v1/types.go, v1.32).
//
// Conventions: a field upstream marks `omitempty` is an Optional here and is left out of
// the JSON when nil; a field upstream always writes is `@ZeroIfAbsent` (absent or null
// decodes as Go's zero value, which validation then reports). Unknown keys are ignored, as
// upstream's decoder ignores them for static pod files. Fields Swiftlet does not interpret
// yet (ephemeral containers, resource claims, …) are kept as raw JSON so nothing a user
// wrote is lost on a round trip.

public struct Pod: Codable, Hashable, Sendable {
    public var apiVersion: String?
    public var kind: String?
    @ZeroIfAbsent public var metadata: ObjectMeta
    @ZeroIfAbsent public var spec: PodSpec
    public var status: PodStatus?

    public init(apiVersion: String? = "v1", kind: String? = "Pod", metadata: ObjectMeta = ObjectMeta(),
                spec: PodSpec = PodSpec(), status: PodStatus? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

extension ObjectMeta: GoZeroValue { public static var goZero: ObjectMeta { ObjectMeta() } }
extension PodSpec: GoZeroValue { public static var goZero: PodSpec { PodSpec() } }
extension ContainerState: GoZeroValue { public static var goZero: ContainerState { ContainerState() } }

// MARK: - Enumerations

public struct RestartPolicy: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let always: RestartPolicy = "Always"
    public static let onFailure: RestartPolicy = "OnFailure"
    public static let never: RestartPolicy = "Never"
}

/// A container's own restart policy; only init containers may set it (to `Always`,
/// making them sidecars).
public struct ContainerRestartPolicy: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let always: ContainerRestartPolicy = "Always"
}

public struct DNSPolicy: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let clusterFirstWithHostNet: DNSPolicy = "ClusterFirstWithHostNet"
    public static let clusterFirst: DNSPolicy = "ClusterFirst"
    public static let `default`: DNSPolicy = "Default"
    public static let none: DNSPolicy = "None"
}

public struct PullPolicy: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let always: PullPolicy = "Always"
    public static let never: PullPolicy = "Never"
    public static let ifNotPresent: PullPolicy = "IfNotPresent"
}

public struct TerminationMessagePolicy: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let file: TerminationMessagePolicy = "File"
    public static let fallbackToLogsOnError: TerminationMessagePolicy = "FallbackToLogsOnError"
}

/// A port's protocol (upstream's `Protocol`).
public struct PortProtocol: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let tcp: PortProtocol = "TCP"
    public static let udp: PortProtocol = "UDP"
    public static let sctp: PortProtocol = "SCTP"
}

public struct URIScheme: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let http: URIScheme = "HTTP"
    public static let https: URIScheme = "HTTPS"
}

public struct MountPropagationMode: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let none: MountPropagationMode = "None"
    public static let hostToContainer: MountPropagationMode = "HostToContainer"
    public static let bidirectional: MountPropagationMode = "Bidirectional"
}

public struct RecursiveReadOnlyMode: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let disabled: RecursiveReadOnlyMode = "Disabled"
    public static let ifPossible: RecursiveReadOnlyMode = "IfPossible"
    public static let enabled: RecursiveReadOnlyMode = "Enabled"
}

public struct HostPathType: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// No check before mounting (the default).
    public static let unset: HostPathType = ""
    public static let directoryOrCreate: HostPathType = "DirectoryOrCreate"
    public static let directory: HostPathType = "Directory"
    public static let fileOrCreate: HostPathType = "FileOrCreate"
    public static let file: HostPathType = "File"
    public static let socket: HostPathType = "Socket"
    public static let charDevice: HostPathType = "CharDevice"
    public static let blockDevice: HostPathType = "BlockDevice"
}

public struct StorageMedium: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The node's default medium (disk).
    public static let `default`: StorageMedium = ""
    public static let memory: StorageMedium = "Memory"
    public static let hugePages: StorageMedium = "HugePages"
}

public struct SeccompProfileType: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let unconfined: SeccompProfileType = "Unconfined"
    public static let runtimeDefault: SeccompProfileType = "RuntimeDefault"
    public static let localhost: SeccompProfileType = "Localhost"
}

public struct ProcMountType: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let `default`: ProcMountType = "Default"
    public static let unmasked: ProcMountType = "Unmasked"
}

public struct PodPhase: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let pending: PodPhase = "Pending"
    public static let running: PodPhase = "Running"
    public static let succeeded: PodPhase = "Succeeded"
    public static let failed: PodPhase = "Failed"
    public static let unknown: PodPhase = "Unknown"
}

public struct PodConditionType: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let podScheduled: PodConditionType = "PodScheduled"
    public static let podReadyToStartContainers: PodConditionType = "PodReadyToStartContainers"
    public static let initialized: PodConditionType = "Initialized"
    public static let containersReady: PodConditionType = "ContainersReady"
    public static let ready: PodConditionType = "Ready"
    public static let disruptionTarget: PodConditionType = "DisruptionTarget"
}

public struct ConditionStatus: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let `true`: ConditionStatus = "True"
    public static let `false`: ConditionStatus = "False"
    public static let unknown: ConditionStatus = "Unknown"
}

public struct PodQOSClass: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let guaranteed: PodQOSClass = "Guaranteed"
    public static let burstable: PodQOSClass = "Burstable"
    public static let bestEffort: PodQOSClass = "BestEffort"
}

public struct TolerationOperator: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let exists: TolerationOperator = "Exists"
    public static let equal: TolerationOperator = "Equal"
}

public struct TaintEffect: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let noSchedule: TaintEffect = "NoSchedule"
    public static let preferNoSchedule: TaintEffect = "PreferNoSchedule"
    public static let noExecute: TaintEffect = "NoExecute"
}

/// How a node selector requirement relates a node's label (or field) to its values.
public struct NodeSelectorOperator: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let `in`: NodeSelectorOperator = "In"
    public static let notIn: NodeSelectorOperator = "NotIn"
    public static let exists: NodeSelectorOperator = "Exists"
    public static let doesNotExist: NodeSelectorOperator = "DoesNotExist"
    public static let gt: NodeSelectorOperator = "Gt"
    public static let lt: NodeSelectorOperator = "Lt"
}

/// What the scheduler does with a pod that would violate a topology spread constraint.
public struct UnsatisfiableConstraintAction: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let doNotSchedule: UnsatisfiableConstraintAction = "DoNotSchedule"
    public static let scheduleAnyway: UnsatisfiableConstraintAction = "ScheduleAnyway"
}

/// Whether a topology spread calculation counts nodes the pod's node affinity or
/// tolerations would exclude.
public struct NodeInclusionPolicy: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let ignore: NodeInclusionPolicy = "Ignore"
    public static let honor: NodeInclusionPolicy = "Honor"
}

/// A resource name such as `cpu`, `memory`, `ephemeral-storage`, `hugepages-2Mi` or an
/// extended resource like `example.com/gpu`, keying a resource list.
public typealias ResourceName = String
/// Resource amounts by name (upstream's `ResourceList`).
public typealias ResourceList = [ResourceName: Quantity]
/// A Linux capability name, e.g. `NET_ADMIN` (with or without the `CAP_` prefix).
public typealias Capability = String

// MARK: - Pod spec

public struct PodSpec: Codable, Hashable, Sendable {
    public var volumes: [Volume]?
    public var initContainers: [Container]?
    @ZeroIfAbsent public var containers: [Container]
    /// Debug containers; only the ephemeralcontainers subresource may add them, so they
    /// are kept unparsed.
    public var ephemeralContainers: [JSONValue]?
    public var restartPolicy: RestartPolicy?
    public var terminationGracePeriodSeconds: Int64?
    public var activeDeadlineSeconds: Int64?
    public var dnsPolicy: DNSPolicy?
    public var nodeSelector: [String: String]?
    public var serviceAccountName: String?
    /// Deprecated alias of `serviceAccountName`.
    public var serviceAccount: String?
    public var automountServiceAccountToken: Bool?
    public var nodeName: String?
    public var hostNetwork: Bool?
    public var hostPID: Bool?
    public var hostIPC: Bool?
    public var shareProcessNamespace: Bool?
    public var securityContext: PodSecurityContext?
    public var imagePullSecrets: [LocalObjectReference]?
    public var hostname: String?
    public var subdomain: String?
    public var affinity: Affinity?
    public var schedulerName: String?
    public var tolerations: [Toleration]?
    public var hostAliases: [HostAlias]?
    public var priorityClassName: String?
    public var priority: Int32?
    public var dnsConfig: PodDNSConfig?
    public var readinessGates: [PodReadinessGate]?
    public var runtimeClassName: String?
    public var enableServiceLinks: Bool?
    public var preemptionPolicy: String?
    public var overhead: ResourceList?
    public var topologySpreadConstraints: [TopologySpreadConstraint]?
    public var setHostnameAsFQDN: Bool?
    public var os: PodOS?
    public var hostUsers: Bool?
    public var schedulingGates: [PodSchedulingGate]?
    public var resourceClaims: [JSONValue]?
    /// Pod-level requests and limits (alpha in v1.32).
    public var resources: ResourceRequirements?

    public init(
        volumes: [Volume]? = nil, initContainers: [Container]? = nil, containers: [Container] = [],
        ephemeralContainers: [JSONValue]? = nil, restartPolicy: RestartPolicy? = nil,
        terminationGracePeriodSeconds: Int64? = nil, activeDeadlineSeconds: Int64? = nil,
        dnsPolicy: DNSPolicy? = nil, nodeSelector: [String: String]? = nil, serviceAccountName: String? = nil,
        serviceAccount: String? = nil, automountServiceAccountToken: Bool? = nil, nodeName: String? = nil,
        hostNetwork: Bool? = nil, hostPID: Bool? = nil, hostIPC: Bool? = nil, shareProcessNamespace: Bool? = nil,
        securityContext: PodSecurityContext? = nil, imagePullSecrets: [LocalObjectReference]? = nil,
        hostname: String? = nil, subdomain: String? = nil, affinity: Affinity? = nil,
        schedulerName: String? = nil, tolerations: [Toleration]? = nil, hostAliases: [HostAlias]? = nil,
        priorityClassName: String? = nil, priority: Int32? = nil, dnsConfig: PodDNSConfig? = nil,
        readinessGates: [PodReadinessGate]? = nil, runtimeClassName: String? = nil,
        enableServiceLinks: Bool? = nil, preemptionPolicy: String? = nil, overhead: ResourceList? = nil,
        topologySpreadConstraints: [TopologySpreadConstraint]? = nil, setHostnameAsFQDN: Bool? = nil, os: PodOS? = nil,
        hostUsers: Bool? = nil, schedulingGates: [PodSchedulingGate]? = nil, resourceClaims: [JSONValue]? = nil,
        resources: ResourceRequirements? = nil
    ) {
        self.volumes = volumes
        self.initContainers = initContainers
        self.containers = containers
        self.ephemeralContainers = ephemeralContainers
        self.restartPolicy = restartPolicy
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.activeDeadlineSeconds = activeDeadlineSeconds
        self.dnsPolicy = dnsPolicy
        self.nodeSelector = nodeSelector
        self.serviceAccountName = serviceAccountName
        self.serviceAccount = serviceAccount
        self.automountServiceAccountToken = automountServiceAccountToken
        self.nodeName = nodeName
        self.hostNetwork = hostNetwork
        self.hostPID = hostPID
        self.hostIPC = hostIPC
        self.shareProcessNamespace = shareProcessNamespace
        self.securityContext = securityContext
        self.imagePullSecrets = imagePullSecrets
        self.hostname = hostname
        self.subdomain = subdomain
        self.affinity = affinity
        self.schedulerName = schedulerName
        self.tolerations = tolerations
        self.hostAliases = hostAliases
        self.priorityClassName = priorityClassName
        self.priority = priority
        self.dnsConfig = dnsConfig
        self.readinessGates = readinessGates
        self.runtimeClassName = runtimeClassName
        self.enableServiceLinks = enableServiceLinks
        self.preemptionPolicy = preemptionPolicy
        self.overhead = overhead
        self.topologySpreadConstraints = topologySpreadConstraints
        self.setHostnameAsFQDN = setHostnameAsFQDN
        self.os = os
        self.hostUsers = hostUsers
        self.schedulingGates = schedulingGates
        self.resourceClaims = resourceClaims
        self.resources = resources
    }
}

// MARK: - Affinity and topology spread

public struct Affinity: Codable, Hashable, Sendable {
    public var nodeAffinity: NodeAffinity?
    public var podAffinity: PodAffinity?
    public var podAntiAffinity: PodAntiAffinity?

    public init(nodeAffinity: NodeAffinity? = nil, podAffinity: PodAffinity? = nil,
                podAntiAffinity: PodAntiAffinity? = nil) {
        self.nodeAffinity = nodeAffinity
        self.podAffinity = podAffinity
        self.podAntiAffinity = podAntiAffinity
    }
}

public struct NodeAffinity: Codable, Hashable, Sendable {
    public var requiredDuringSchedulingIgnoredDuringExecution: NodeSelector?
    public var preferredDuringSchedulingIgnoredDuringExecution: [PreferredSchedulingTerm]?

    public init(requiredDuringSchedulingIgnoredDuringExecution: NodeSelector? = nil,
                preferredDuringSchedulingIgnoredDuringExecution: [PreferredSchedulingTerm]? = nil) {
        self.requiredDuringSchedulingIgnoredDuringExecution = requiredDuringSchedulingIgnoredDuringExecution
        self.preferredDuringSchedulingIgnoredDuringExecution = preferredDuringSchedulingIgnoredDuringExecution
    }
}

/// Terms ORed together; a node matches when any one term does.
public struct NodeSelector: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var nodeSelectorTerms: [NodeSelectorTerm]

    public init(nodeSelectorTerms: [NodeSelectorTerm] = []) {
        self.nodeSelectorTerms = nodeSelectorTerms
    }
}

/// Requirements ANDed together; an empty term matches no node.
public struct NodeSelectorTerm: Codable, Hashable, Sendable {
    public var matchExpressions: [NodeSelectorRequirement]?
    public var matchFields: [NodeSelectorRequirement]?

    public init(matchExpressions: [NodeSelectorRequirement]? = nil, matchFields: [NodeSelectorRequirement]? = nil) {
        self.matchExpressions = matchExpressions
        self.matchFields = matchFields
    }
}

public struct NodeSelectorRequirement: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var key: String
    @ZeroIfAbsent public var `operator`: NodeSelectorOperator
    public var values: [String]?

    public init(key: String = "", operator: NodeSelectorOperator = .goZero, values: [String]? = nil) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }
}

public struct PreferredSchedulingTerm: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var weight: Int32
    @ZeroIfAbsent public var preference: NodeSelectorTerm

    public init(weight: Int32 = 0, preference: NodeSelectorTerm = NodeSelectorTerm()) {
        self.weight = weight
        self.preference = preference
    }
}

public struct PodAffinity: Codable, Hashable, Sendable {
    public var requiredDuringSchedulingIgnoredDuringExecution: [PodAffinityTerm]?
    public var preferredDuringSchedulingIgnoredDuringExecution: [WeightedPodAffinityTerm]?

    public init(requiredDuringSchedulingIgnoredDuringExecution: [PodAffinityTerm]? = nil,
                preferredDuringSchedulingIgnoredDuringExecution: [WeightedPodAffinityTerm]? = nil) {
        self.requiredDuringSchedulingIgnoredDuringExecution = requiredDuringSchedulingIgnoredDuringExecution
        self.preferredDuringSchedulingIgnoredDuringExecution = preferredDuringSchedulingIgnoredDuringExecution
    }
}

public struct PodAntiAffinity: Codable, Hashable, Sendable {
    public var requiredDuringSchedulingIgnoredDuringExecution: [PodAffinityTerm]?
    public var preferredDuringSchedulingIgnoredDuringExecution: [WeightedPodAffinityTerm]?

    public init(requiredDuringSchedulingIgnoredDuringExecution: [PodAffinityTerm]? = nil,
                preferredDuringSchedulingIgnoredDuringExecution: [WeightedPodAffinityTerm]? = nil) {
        self.requiredDuringSchedulingIgnoredDuringExecution = requiredDuringSchedulingIgnoredDuringExecution
        self.preferredDuringSchedulingIgnoredDuringExecution = preferredDuringSchedulingIgnoredDuringExecution
    }
}

public struct PodAffinityTerm: Codable, Hashable, Sendable {
    public var labelSelector: MetaV1.LabelSelector?
    public var namespaces: [String]?
    @ZeroIfAbsent public var topologyKey: String
    public var namespaceSelector: MetaV1.LabelSelector?
    public var matchLabelKeys: [String]?
    public var mismatchLabelKeys: [String]?

    public init(labelSelector: MetaV1.LabelSelector? = nil, namespaces: [String]? = nil, topologyKey: String = "",
                namespaceSelector: MetaV1.LabelSelector? = nil, matchLabelKeys: [String]? = nil,
                mismatchLabelKeys: [String]? = nil) {
        self.labelSelector = labelSelector
        self.namespaces = namespaces
        self.topologyKey = topologyKey
        self.namespaceSelector = namespaceSelector
        self.matchLabelKeys = matchLabelKeys
        self.mismatchLabelKeys = mismatchLabelKeys
    }
}

public struct WeightedPodAffinityTerm: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var weight: Int32
    @ZeroIfAbsent public var podAffinityTerm: PodAffinityTerm

    public init(weight: Int32 = 0, podAffinityTerm: PodAffinityTerm = PodAffinityTerm()) {
        self.weight = weight
        self.podAffinityTerm = podAffinityTerm
    }
}

public struct TopologySpreadConstraint: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var maxSkew: Int32
    @ZeroIfAbsent public var topologyKey: String
    @ZeroIfAbsent public var whenUnsatisfiable: UnsatisfiableConstraintAction
    public var labelSelector: MetaV1.LabelSelector?
    public var minDomains: Int32?
    public var nodeAffinityPolicy: NodeInclusionPolicy?
    public var nodeTaintsPolicy: NodeInclusionPolicy?
    public var matchLabelKeys: [String]?

    public init(maxSkew: Int32 = 0, topologyKey: String = "", whenUnsatisfiable: UnsatisfiableConstraintAction = .goZero,
                labelSelector: MetaV1.LabelSelector? = nil, minDomains: Int32? = nil,
                nodeAffinityPolicy: NodeInclusionPolicy? = nil, nodeTaintsPolicy: NodeInclusionPolicy? = nil,
                matchLabelKeys: [String]? = nil) {
        self.maxSkew = maxSkew
        self.topologyKey = topologyKey
        self.whenUnsatisfiable = whenUnsatisfiable
        self.labelSelector = labelSelector
        self.minDomains = minDomains
        self.nodeAffinityPolicy = nodeAffinityPolicy
        self.nodeTaintsPolicy = nodeTaintsPolicy
        self.matchLabelKeys = matchLabelKeys
    }
}

extension NodeSelectorTerm: GoZeroValue { public static var goZero: Self { Self() } }
extension PodAffinityTerm: GoZeroValue { public static var goZero: Self { Self() } }

public struct LocalObjectReference: Codable, Hashable, Sendable {
    public var name: String?
    public init(name: String? = nil) { self.name = name }
}

public struct Toleration: Codable, Hashable, Sendable {
    public var key: String?
    public var `operator`: TolerationOperator?
    public var value: String?
    public var effect: TaintEffect?
    public var tolerationSeconds: Int64?

    public init(key: String? = nil, operator: TolerationOperator? = nil, value: String? = nil,
                effect: TaintEffect? = nil, tolerationSeconds: Int64? = nil) {
        self.key = key
        self.operator = `operator`
        self.value = value
        self.effect = effect
        self.tolerationSeconds = tolerationSeconds
    }
}

public struct HostAlias: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var ip: String
    public var hostnames: [String]?
    public init(ip: String, hostnames: [String]? = nil) {
        self.ip = ip
        self.hostnames = hostnames
    }
}

public struct PodDNSConfig: Codable, Hashable, Sendable {
    public var nameservers: [String]?
    public var searches: [String]?
    public var options: [PodDNSConfigOption]?
    public init(nameservers: [String]? = nil, searches: [String]? = nil, options: [PodDNSConfigOption]? = nil) {
        self.nameservers = nameservers
        self.searches = searches
        self.options = options
    }
}

public struct PodDNSConfigOption: Codable, Hashable, Sendable {
    public var name: String?
    public var value: String?
    public init(name: String? = nil, value: String? = nil) {
        self.name = name
        self.value = value
    }
}

public struct PodReadinessGate: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var conditionType: PodConditionType
    public init(conditionType: PodConditionType) { self.conditionType = conditionType }
}

public struct PodOS: Codable, Hashable, Sendable {
    /// `linux` or `windows`.
    @ZeroIfAbsent public var name: String
    public init(name: String) { self.name = name }
}

public struct PodSchedulingGate: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var name: String
    public init(name: String) { self.name = name }
}

public struct PodSecurityContext: Codable, Hashable, Sendable {
    public var seLinuxOptions: SELinuxOptions?
    public var windowsOptions: JSONValue?
    public var runAsUser: Int64?
    public var runAsGroup: Int64?
    public var runAsNonRoot: Bool?
    public var supplementalGroups: [Int64]?
    public var supplementalGroupsPolicy: String?
    public var fsGroup: Int64?
    public var sysctls: [Sysctl]?
    public var fsGroupChangePolicy: String?
    public var seccompProfile: SeccompProfile?
    public var appArmorProfile: AppArmorProfile?
    public var seLinuxChangePolicy: String?

    public init(
        seLinuxOptions: SELinuxOptions? = nil, windowsOptions: JSONValue? = nil, runAsUser: Int64? = nil,
        runAsGroup: Int64? = nil, runAsNonRoot: Bool? = nil, supplementalGroups: [Int64]? = nil,
        supplementalGroupsPolicy: String? = nil, fsGroup: Int64? = nil, sysctls: [Sysctl]? = nil,
        fsGroupChangePolicy: String? = nil, seccompProfile: SeccompProfile? = nil,
        appArmorProfile: AppArmorProfile? = nil, seLinuxChangePolicy: String? = nil
    ) {
        self.seLinuxOptions = seLinuxOptions
        self.windowsOptions = windowsOptions
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.runAsNonRoot = runAsNonRoot
        self.supplementalGroups = supplementalGroups
        self.supplementalGroupsPolicy = supplementalGroupsPolicy
        self.fsGroup = fsGroup
        self.sysctls = sysctls
        self.fsGroupChangePolicy = fsGroupChangePolicy
        self.seccompProfile = seccompProfile
        self.appArmorProfile = appArmorProfile
        self.seLinuxChangePolicy = seLinuxChangePolicy
    }
}

public struct Sysctl: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var name: String
    @ZeroIfAbsent public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

public struct SeccompProfile: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var type: SeccompProfileType
    /// For `Localhost`: a path relative to the kubelet's seccomp profile directory.
    public var localhostProfile: String?
    public init(type: SeccompProfileType, localhostProfile: String? = nil) {
        self.type = type
        self.localhostProfile = localhostProfile
    }
}

public struct AppArmorProfile: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var type: String
    public var localhostProfile: String?
    public init(type: String, localhostProfile: String? = nil) {
        self.type = type
        self.localhostProfile = localhostProfile
    }
}

public struct SELinuxOptions: Codable, Hashable, Sendable {
    public var user: String?
    public var role: String?
    public var type: String?
    public var level: String?
    public init(user: String? = nil, role: String? = nil, type: String? = nil, level: String? = nil) {
        self.user = user
        self.role = role
        self.type = type
        self.level = level
    }
}

// MARK: - Containers

public struct Container: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var name: String
    public var image: String?
    public var command: [String]?
    public var args: [String]?
    public var workingDir: String?
    public var ports: [ContainerPort]?
    public var envFrom: [EnvFromSource]?
    public var env: [EnvVar]?
    public var resources: ResourceRequirements?
    public var resizePolicy: [ContainerResizePolicy]?
    /// Only for init containers: `Always` makes a sidecar that runs beside the app containers.
    public var restartPolicy: ContainerRestartPolicy?
    public var volumeMounts: [VolumeMount]?
    public var volumeDevices: [VolumeDevice]?
    public var livenessProbe: Probe?
    public var readinessProbe: Probe?
    public var startupProbe: Probe?
    public var lifecycle: Lifecycle?
    public var terminationMessagePath: String?
    public var terminationMessagePolicy: TerminationMessagePolicy?
    public var imagePullPolicy: PullPolicy?
    public var securityContext: SecurityContext?
    public var stdin: Bool?
    public var stdinOnce: Bool?
    public var tty: Bool?

    public init(
        name: String, image: String? = nil, command: [String]? = nil, args: [String]? = nil,
        workingDir: String? = nil, ports: [ContainerPort]? = nil, envFrom: [EnvFromSource]? = nil,
        env: [EnvVar]? = nil, resources: ResourceRequirements? = nil, resizePolicy: [ContainerResizePolicy]? = nil,
        restartPolicy: ContainerRestartPolicy? = nil, volumeMounts: [VolumeMount]? = nil,
        volumeDevices: [VolumeDevice]? = nil, livenessProbe: Probe? = nil, readinessProbe: Probe? = nil,
        startupProbe: Probe? = nil, lifecycle: Lifecycle? = nil, terminationMessagePath: String? = nil,
        terminationMessagePolicy: TerminationMessagePolicy? = nil, imagePullPolicy: PullPolicy? = nil,
        securityContext: SecurityContext? = nil, stdin: Bool? = nil, stdinOnce: Bool? = nil, tty: Bool? = nil
    ) {
        self.name = name
        self.image = image
        self.command = command
        self.args = args
        self.workingDir = workingDir
        self.ports = ports
        self.envFrom = envFrom
        self.env = env
        self.resources = resources
        self.resizePolicy = resizePolicy
        self.restartPolicy = restartPolicy
        self.volumeMounts = volumeMounts
        self.volumeDevices = volumeDevices
        self.livenessProbe = livenessProbe
        self.readinessProbe = readinessProbe
        self.startupProbe = startupProbe
        self.lifecycle = lifecycle
        self.terminationMessagePath = terminationMessagePath
        self.terminationMessagePolicy = terminationMessagePolicy
        self.imagePullPolicy = imagePullPolicy
        self.securityContext = securityContext
        self.stdin = stdin
        self.stdinOnce = stdinOnce
        self.tty = tty
    }

    /// An init container with `restartPolicy: Always` runs for the pod's whole life.
    public var isSidecar: Bool { restartPolicy == .always }
}

public struct ContainerPort: Codable, Hashable, Sendable {
    /// An IANA service name, unique within the pod, that probes and Services can refer to.
    public var name: String?
    public var hostPort: Int32?
    @ZeroIfAbsent public var containerPort: Int32
    public var `protocol`: PortProtocol?
    public var hostIP: String?

    public init(name: String? = nil, hostPort: Int32? = nil, containerPort: Int32,
                protocol: PortProtocol? = nil, hostIP: String? = nil) {
        self.name = name
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.protocol = `protocol`
        self.hostIP = hostIP
    }
}

public struct EnvVar: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var name: String
    public var value: String?
    public var valueFrom: EnvVarSource?

    public init(name: String, value: String? = nil, valueFrom: EnvVarSource? = nil) {
        self.name = name
        self.value = value
        self.valueFrom = valueFrom
    }
}

public struct EnvVarSource: Codable, Hashable, Sendable {
    public var fieldRef: ObjectFieldSelector?
    public var resourceFieldRef: ResourceFieldSelector?
    public var configMapKeyRef: ConfigMapKeySelector?
    public var secretKeyRef: SecretKeySelector?

    public init(fieldRef: ObjectFieldSelector? = nil, resourceFieldRef: ResourceFieldSelector? = nil,
                configMapKeyRef: ConfigMapKeySelector? = nil, secretKeyRef: SecretKeySelector? = nil) {
        self.fieldRef = fieldRef
        self.resourceFieldRef = resourceFieldRef
        self.configMapKeyRef = configMapKeyRef
        self.secretKeyRef = secretKeyRef
    }
}

/// A field of the pod, by path (`metadata.name`, `status.podIP`, `metadata.labels['app']`).
public struct ObjectFieldSelector: Codable, Hashable, Sendable {
    public var apiVersion: String?
    @ZeroIfAbsent public var fieldPath: String

    public init(apiVersion: String? = nil, fieldPath: String) {
        self.apiVersion = apiVersion
        self.fieldPath = fieldPath
    }
}

/// A container's resource request or limit (`limits.memory`), optionally scaled by `divisor`.
public struct ResourceFieldSelector: Codable, Hashable, Sendable {
    public var containerName: String?
    @ZeroIfAbsent public var resource: String
    public var divisor: Quantity?

    public init(containerName: String? = nil, resource: String, divisor: Quantity? = nil) {
        self.containerName = containerName
        self.resource = resource
        self.divisor = divisor
    }
}

public struct ConfigMapKeySelector: Codable, Hashable, Sendable {
    public var name: String?
    @ZeroIfAbsent public var key: String
    public var optional: Bool?

    public init(name: String? = nil, key: String, optional: Bool? = nil) {
        self.name = name
        self.key = key
        self.optional = optional
    }
}

public struct SecretKeySelector: Codable, Hashable, Sendable {
    public var name: String?
    @ZeroIfAbsent public var key: String
    public var optional: Bool?

    public init(name: String? = nil, key: String, optional: Bool? = nil) {
        self.name = name
        self.key = key
        self.optional = optional
    }
}

public struct EnvFromSource: Codable, Hashable, Sendable {
    public var prefix: String?
    public var configMapRef: ConfigMapEnvSource?
    public var secretRef: SecretEnvSource?

    public init(prefix: String? = nil, configMapRef: ConfigMapEnvSource? = nil, secretRef: SecretEnvSource? = nil) {
        self.prefix = prefix
        self.configMapRef = configMapRef
        self.secretRef = secretRef
    }
}

public struct ConfigMapEnvSource: Codable, Hashable, Sendable {
    public var name: String?
    public var optional: Bool?
    public init(name: String? = nil, optional: Bool? = nil) {
        self.name = name
        self.optional = optional
    }
}

public struct SecretEnvSource: Codable, Hashable, Sendable {
    public var name: String?
    public var optional: Bool?
    public init(name: String? = nil, optional: Bool? = nil) {
        self.name = name
        self.optional = optional
    }
}

public struct ResourceRequirements: Codable, Hashable, Sendable {
    public var limits: ResourceList?
    public var requests: ResourceList?
    /// Dynamic resource allocation claims, by name in `spec.resourceClaims`.
    public var claims: [ResourceClaim]?

    public init(limits: ResourceList? = nil, requests: ResourceList? = nil, claims: [ResourceClaim]? = nil) {
        self.limits = limits
        self.requests = requests
        self.claims = claims
    }
}

public struct ResourceClaim: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var name: String
    public var request: String?
    public init(name: String, request: String? = nil) {
        self.name = name
        self.request = request
    }
}

public struct ContainerResizePolicy: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var resourceName: String
    @ZeroIfAbsent public var restartPolicy: String
    public init(resourceName: String, restartPolicy: String) {
        self.resourceName = resourceName
        self.restartPolicy = restartPolicy
    }
}

public struct VolumeMount: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var name: String
    public var readOnly: Bool?
    public var recursiveReadOnly: RecursiveReadOnlyMode?
    @ZeroIfAbsent public var mountPath: String
    /// A path inside the volume to mount instead of its root.
    public var subPath: String?
    public var mountPropagation: MountPropagationMode?
    /// Like `subPath`, with `$(VAR)` references to the container's environment expanded.
    public var subPathExpr: String?

    public init(name: String, readOnly: Bool? = nil, recursiveReadOnly: RecursiveReadOnlyMode? = nil,
                mountPath: String, subPath: String? = nil, mountPropagation: MountPropagationMode? = nil,
                subPathExpr: String? = nil) {
        self.name = name
        self.readOnly = readOnly
        self.recursiveReadOnly = recursiveReadOnly
        self.mountPath = mountPath
        self.subPath = subPath
        self.mountPropagation = mountPropagation
        self.subPathExpr = subPathExpr
    }
}

public struct VolumeDevice: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var name: String
    @ZeroIfAbsent public var devicePath: String
    public init(name: String, devicePath: String) {
        self.name = name
        self.devicePath = devicePath
    }
}

// MARK: - Probes and lifecycle hooks

/// A health check. Exactly one of `exec`, `httpGet`, `tcpSocket` and `grpc` (upstream's
/// inlined ProbeHandler) says how to check.
public struct Probe: Codable, Hashable, Sendable {
    public var exec: ExecAction?
    public var httpGet: HTTPGetAction?
    public var tcpSocket: TCPSocketAction?
    public var grpc: GRPCAction?
    public var initialDelaySeconds: Int32?
    public var timeoutSeconds: Int32?
    public var periodSeconds: Int32?
    public var successThreshold: Int32?
    public var failureThreshold: Int32?
    /// Overrides the pod's grace period when this probe's failure kills the container.
    public var terminationGracePeriodSeconds: Int64?

    public init(exec: ExecAction? = nil, httpGet: HTTPGetAction? = nil, tcpSocket: TCPSocketAction? = nil,
                grpc: GRPCAction? = nil, initialDelaySeconds: Int32? = nil, timeoutSeconds: Int32? = nil,
                periodSeconds: Int32? = nil, successThreshold: Int32? = nil, failureThreshold: Int32? = nil,
                terminationGracePeriodSeconds: Int64? = nil) {
        self.exec = exec
        self.httpGet = httpGet
        self.tcpSocket = tcpSocket
        self.grpc = grpc
        self.initialDelaySeconds = initialDelaySeconds
        self.timeoutSeconds = timeoutSeconds
        self.periodSeconds = periodSeconds
        self.successThreshold = successThreshold
        self.failureThreshold = failureThreshold
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
    }
}

public struct ExecAction: Codable, Hashable, Sendable {
    /// Run directly, not through a shell.
    public var command: [String]?
    public init(command: [String]? = nil) { self.command = command }
}

public struct HTTPGetAction: Codable, Hashable, Sendable {
    public var path: String?
    /// A port number or the name of a container port.
    @ZeroIfAbsent public var port: IntOrString
    /// Defaults to the pod IP.
    public var host: String?
    public var scheme: URIScheme?
    public var httpHeaders: [HTTPHeader]?

    public init(path: String? = nil, port: IntOrString, host: String? = nil, scheme: URIScheme? = nil,
                httpHeaders: [HTTPHeader]? = nil) {
        self.path = path
        self.port = port
        self.host = host
        self.scheme = scheme
        self.httpHeaders = httpHeaders
    }
}

public struct HTTPHeader: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var name: String
    @ZeroIfAbsent public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

public struct TCPSocketAction: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var port: IntOrString
    public var host: String?
    public init(port: IntOrString, host: String? = nil) {
        self.port = port
        self.host = host
    }
}

public struct GRPCAction: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var port: Int32
    /// The service name for the gRPC health protocol; defaulted to "" (the server overall).
    public var service: String?
    public init(port: Int32, service: String? = nil) {
        self.port = port
        self.service = service
    }
}

public struct SleepAction: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var seconds: Int64
    public init(seconds: Int64) { self.seconds = seconds }
}

public struct Lifecycle: Codable, Hashable, Sendable {
    public var postStart: LifecycleHandler?
    public var preStop: LifecycleHandler?
    public init(postStart: LifecycleHandler? = nil, preStop: LifecycleHandler? = nil) {
        self.postStart = postStart
        self.preStop = preStop
    }
}

public struct LifecycleHandler: Codable, Hashable, Sendable {
    public var exec: ExecAction?
    public var httpGet: HTTPGetAction?
    public var tcpSocket: TCPSocketAction?
    public var sleep: SleepAction?
    public init(exec: ExecAction? = nil, httpGet: HTTPGetAction? = nil, tcpSocket: TCPSocketAction? = nil,
                sleep: SleepAction? = nil) {
        self.exec = exec
        self.httpGet = httpGet
        self.tcpSocket = tcpSocket
        self.sleep = sleep
    }
}

// MARK: - Container security

public struct SecurityContext: Codable, Hashable, Sendable {
    public var capabilities: Capabilities?
    public var privileged: Bool?
    public var seLinuxOptions: SELinuxOptions?
    public var windowsOptions: JSONValue?
    public var runAsUser: Int64?
    public var runAsGroup: Int64?
    public var runAsNonRoot: Bool?
    public var readOnlyRootFilesystem: Bool?
    public var allowPrivilegeEscalation: Bool?
    public var procMount: ProcMountType?
    public var seccompProfile: SeccompProfile?
    public var appArmorProfile: AppArmorProfile?

    public init(
        capabilities: Capabilities? = nil, privileged: Bool? = nil, seLinuxOptions: SELinuxOptions? = nil,
        windowsOptions: JSONValue? = nil, runAsUser: Int64? = nil, runAsGroup: Int64? = nil,
        runAsNonRoot: Bool? = nil, readOnlyRootFilesystem: Bool? = nil, allowPrivilegeEscalation: Bool? = nil,
        procMount: ProcMountType? = nil, seccompProfile: SeccompProfile? = nil, appArmorProfile: AppArmorProfile? = nil
    ) {
        self.capabilities = capabilities
        self.privileged = privileged
        self.seLinuxOptions = seLinuxOptions
        self.windowsOptions = windowsOptions
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.runAsNonRoot = runAsNonRoot
        self.readOnlyRootFilesystem = readOnlyRootFilesystem
        self.allowPrivilegeEscalation = allowPrivilegeEscalation
        self.procMount = procMount
        self.seccompProfile = seccompProfile
        self.appArmorProfile = appArmorProfile
    }
}

public struct Capabilities: Codable, Hashable, Sendable {
    public var add: [Capability]?
    public var drop: [Capability]?
    public init(add: [Capability]? = nil, drop: [Capability]? = nil) {
        self.add = add
        self.drop = drop
    }
}

// MARK: - Volumes

/// A named volume. Exactly one source should be set; sources Swiftlet does not implement
/// (cloud disks, NFS, CSI, …) are kept as raw JSON in `otherSources` so validation can
/// still count them and a round trip keeps them.
public struct Volume: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var name: String
    public var hostPath: HostPathVolumeSource?
    public var emptyDir: EmptyDirVolumeSource?
    public var secret: SecretVolumeSource?
    public var persistentVolumeClaim: PersistentVolumeClaimVolumeSource?
    public var downwardAPI: DownwardAPIVolumeSource?
    public var configMap: ConfigMapVolumeSource?
    public var projected: ProjectedVolumeSource?
    /// Upstream's other volume sources, by JSON key (`nfs`, `csi`, `gcePersistentDisk`, …).
    public var otherSources: [String: JSONValue]

    /// Upstream's other source keys, in the order its validation visits them, each with
    /// the field name its "more than 1 volume type" error uses (upstream's own spelling).
    static let otherSourceKeys: [(key: String, errorName: String)] = [
        ("gitRepo", "gitRepo"), ("gcePersistentDisk", "gcePersistentDisk"),
        ("awsElasticBlockStore", "awsElasticBlockStore"), ("nfs", "nfs"), ("iscsi", "iscsi"),
        ("glusterfs", "glusterfs"), ("flocker", "flocker"), ("rbd", "rbd"), ("cinder", "cinder"),
        ("cephfs", "cephFS"), ("quobyte", "quobyte"), ("fc", "fc"), ("flexVolume", "flexVolume"),
        ("azureFile", "azureFile"), ("vsphereVolume", "vsphereVolume"),
        ("photonPersistentDisk", "photonPersistentDisk"), ("portworxVolume", "portworxVolume"),
        ("azureDisk", "azureDisk"), ("storageos", "storageos"), ("scaleIO", "scaleIO"), ("csi", "csi"),
        ("ephemeral", "ephemeral"), ("image", "image"),
    ]

    public init(name: String, hostPath: HostPathVolumeSource? = nil, emptyDir: EmptyDirVolumeSource? = nil,
                secret: SecretVolumeSource? = nil, persistentVolumeClaim: PersistentVolumeClaimVolumeSource? = nil,
                downwardAPI: DownwardAPIVolumeSource? = nil, configMap: ConfigMapVolumeSource? = nil,
                projected: ProjectedVolumeSource? = nil, otherSources: [String: JSONValue] = [:]) {
        self.name = name
        self.hostPath = hostPath
        self.emptyDir = emptyDir
        self.secret = secret
        self.persistentVolumeClaim = persistentVolumeClaim
        self.downwardAPI = downwardAPI
        self.configMap = configMap
        self.projected = projected
        self.otherSources = otherSources
    }

    private enum CodingKeys: String, CodingKey {
        case name, hostPath, emptyDir, secret, persistentVolumeClaim, downwardAPI, configMap, projected
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        _name = try container.decode(ZeroIfAbsent<String>.self, forKey: .name)
        hostPath = try container.decodeIfPresent(HostPathVolumeSource.self, forKey: .hostPath)
        emptyDir = try container.decodeIfPresent(EmptyDirVolumeSource.self, forKey: .emptyDir)
        secret = try container.decodeIfPresent(SecretVolumeSource.self, forKey: .secret)
        persistentVolumeClaim = try container.decodeIfPresent(PersistentVolumeClaimVolumeSource.self,
                                                              forKey: .persistentVolumeClaim)
        downwardAPI = try container.decodeIfPresent(DownwardAPIVolumeSource.self, forKey: .downwardAPI)
        configMap = try container.decodeIfPresent(ConfigMapVolumeSource.self, forKey: .configMap)
        projected = try container.decodeIfPresent(ProjectedVolumeSource.self, forKey: .projected)
        let others = try decoder.container(keyedBy: AnyKey.self)
        var otherSources: [String: JSONValue] = [:]
        for (key, _) in Self.otherSourceKeys {
            // A null source is an unset pointer in Go.
            if let value = try others.decodeIfPresent(JSONValue.self, forKey: AnyKey(stringValue: key)), value != .null {
                otherSources[key] = value
            }
        }
        self.otherSources = otherSources
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(hostPath, forKey: .hostPath)
        try container.encodeIfPresent(emptyDir, forKey: .emptyDir)
        try container.encodeIfPresent(secret, forKey: .secret)
        try container.encodeIfPresent(persistentVolumeClaim, forKey: .persistentVolumeClaim)
        try container.encodeIfPresent(downwardAPI, forKey: .downwardAPI)
        try container.encodeIfPresent(configMap, forKey: .configMap)
        try container.encodeIfPresent(projected, forKey: .projected)
        var others = encoder.container(keyedBy: AnyKey.self)
        for (key, value) in otherSources.sorted(by: { $0.key < $1.key }) {
            try others.encode(value, forKey: AnyKey(stringValue: key))
        }
    }
}

public struct HostPathVolumeSource: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var path: String
    public var type: HostPathType?
    public init(path: String, type: HostPathType? = nil) {
        self.path = path
        self.type = type
    }
}

public struct EmptyDirVolumeSource: Codable, Hashable, Sendable {
    public var medium: StorageMedium?
    public var sizeLimit: Quantity?
    public init(medium: StorageMedium? = nil, sizeLimit: Quantity? = nil) {
        self.medium = medium
        self.sizeLimit = sizeLimit
    }
}

public struct KeyToPath: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var key: String
    @ZeroIfAbsent public var path: String
    public var mode: Int32?
    public init(key: String, path: String, mode: Int32? = nil) {
        self.key = key
        self.path = path
        self.mode = mode
    }
}

public struct SecretVolumeSource: Codable, Hashable, Sendable {
    public var secretName: String?
    public var items: [KeyToPath]?
    /// File permission bits (decimal in JSON; YAML's `0644` is octal).
    public var defaultMode: Int32?
    public var optional: Bool?
    public init(secretName: String? = nil, items: [KeyToPath]? = nil, defaultMode: Int32? = nil, optional: Bool? = nil) {
        self.secretName = secretName
        self.items = items
        self.defaultMode = defaultMode
        self.optional = optional
    }
}

public struct ConfigMapVolumeSource: Codable, Hashable, Sendable {
    public var name: String?
    public var items: [KeyToPath]?
    public var defaultMode: Int32?
    public var optional: Bool?
    public init(name: String? = nil, items: [KeyToPath]? = nil, defaultMode: Int32? = nil, optional: Bool? = nil) {
        self.name = name
        self.items = items
        self.defaultMode = defaultMode
        self.optional = optional
    }
}

public struct PersistentVolumeClaimVolumeSource: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var claimName: String
    public var readOnly: Bool?
    public init(claimName: String, readOnly: Bool? = nil) {
        self.claimName = claimName
        self.readOnly = readOnly
    }
}

public struct DownwardAPIVolumeSource: Codable, Hashable, Sendable {
    public var items: [DownwardAPIVolumeFile]?
    public var defaultMode: Int32?
    public init(items: [DownwardAPIVolumeFile]? = nil, defaultMode: Int32? = nil) {
        self.items = items
        self.defaultMode = defaultMode
    }
}

public struct DownwardAPIVolumeFile: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var path: String
    public var fieldRef: ObjectFieldSelector?
    public var resourceFieldRef: ResourceFieldSelector?
    public var mode: Int32?
    public init(path: String, fieldRef: ObjectFieldSelector? = nil, resourceFieldRef: ResourceFieldSelector? = nil,
                mode: Int32? = nil) {
        self.path = path
        self.fieldRef = fieldRef
        self.resourceFieldRef = resourceFieldRef
        self.mode = mode
    }
}

public struct ProjectedVolumeSource: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var sources: [VolumeProjection]
    public var defaultMode: Int32?
    public init(sources: [VolumeProjection], defaultMode: Int32? = nil) {
        self.sources = sources
        self.defaultMode = defaultMode
    }
}

public struct VolumeProjection: Codable, Hashable, Sendable {
    public var secret: SecretProjection?
    public var downwardAPI: DownwardAPIProjection?
    public var configMap: ConfigMapProjection?
    public var serviceAccountToken: ServiceAccountTokenProjection?
    public var clusterTrustBundle: JSONValue?
    public init(secret: SecretProjection? = nil, downwardAPI: DownwardAPIProjection? = nil,
                configMap: ConfigMapProjection? = nil, serviceAccountToken: ServiceAccountTokenProjection? = nil,
                clusterTrustBundle: JSONValue? = nil) {
        self.secret = secret
        self.downwardAPI = downwardAPI
        self.configMap = configMap
        self.serviceAccountToken = serviceAccountToken
        self.clusterTrustBundle = clusterTrustBundle
    }
}

public struct SecretProjection: Codable, Hashable, Sendable {
    public var name: String?
    public var items: [KeyToPath]?
    public var optional: Bool?
    public init(name: String? = nil, items: [KeyToPath]? = nil, optional: Bool? = nil) {
        self.name = name
        self.items = items
        self.optional = optional
    }
}

public struct ConfigMapProjection: Codable, Hashable, Sendable {
    public var name: String?
    public var items: [KeyToPath]?
    public var optional: Bool?
    public init(name: String? = nil, items: [KeyToPath]? = nil, optional: Bool? = nil) {
        self.name = name
        self.items = items
        self.optional = optional
    }
}

public struct DownwardAPIProjection: Codable, Hashable, Sendable {
    public var items: [DownwardAPIVolumeFile]?
    public init(items: [DownwardAPIVolumeFile]? = nil) { self.items = items }
}

public struct ServiceAccountTokenProjection: Codable, Hashable, Sendable {
    public var audience: String?
    public var expirationSeconds: Int64?
    @ZeroIfAbsent public var path: String
    public init(audience: String? = nil, expirationSeconds: Int64? = nil, path: String) {
        self.audience = audience
        self.expirationSeconds = expirationSeconds
        self.path = path
    }
}

// MARK: - Pod status

public struct PodStatus: Codable, Hashable, Sendable {
    public var phase: PodPhase?
    public var conditions: [PodCondition]?
    public var message: String?
    public var reason: String?
    public var nominatedNodeName: String?
    public var hostIP: String?
    public var hostIPs: [HostIP]?
    public var podIP: String?
    public var podIPs: [PodIP]?
    public var startTime: Time?
    public var initContainerStatuses: [ContainerStatus]?
    public var containerStatuses: [ContainerStatus]?
    public var qosClass: PodQOSClass?
    public var ephemeralContainerStatuses: [ContainerStatus]?
    public var resize: String?
    /// Dynamic resource allocation's claim statuses; kept unparsed.
    public var resourceClaimStatuses: [JSONValue]?

    public init(
        phase: PodPhase? = nil, conditions: [PodCondition]? = nil, message: String? = nil, reason: String? = nil,
        nominatedNodeName: String? = nil, hostIP: String? = nil, hostIPs: [HostIP]? = nil, podIP: String? = nil,
        podIPs: [PodIP]? = nil, startTime: Time? = nil, initContainerStatuses: [ContainerStatus]? = nil,
        containerStatuses: [ContainerStatus]? = nil, qosClass: PodQOSClass? = nil,
        ephemeralContainerStatuses: [ContainerStatus]? = nil, resize: String? = nil
    ) {
        self.phase = phase
        self.conditions = conditions
        self.message = message
        self.reason = reason
        self.nominatedNodeName = nominatedNodeName
        self.hostIP = hostIP
        self.hostIPs = hostIPs
        self.podIP = podIP
        self.podIPs = podIPs
        self.startTime = startTime
        self.initContainerStatuses = initContainerStatuses
        self.containerStatuses = containerStatuses
        self.qosClass = qosClass
        self.ephemeralContainerStatuses = ephemeralContainerStatuses
        self.resize = resize
    }
}

public struct PodCondition: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var type: PodConditionType
    @ZeroIfAbsent public var status: ConditionStatus
    public var lastProbeTime: Time?
    public var lastTransitionTime: Time?
    public var reason: String?
    public var message: String?

    public init(type: PodConditionType, status: ConditionStatus, lastProbeTime: Time? = nil,
                lastTransitionTime: Time? = nil, reason: String? = nil, message: String? = nil) {
        self.type = type
        self.status = status
        self.lastProbeTime = lastProbeTime
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}

public struct HostIP: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var ip: String
    public init(ip: String) { self.ip = ip }
}

public struct PodIP: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var ip: String
    public init(ip: String) { self.ip = ip }
}

public struct ContainerStatus: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var name: String
    @ZeroIfAbsent public var state: ContainerState
    /// The previous run's end, upstream's `lastTerminationState`.
    @ZeroIfAbsent public var lastState: ContainerState
    @ZeroIfAbsent public var ready: Bool
    @ZeroIfAbsent public var restartCount: Int32
    @ZeroIfAbsent public var image: String
    @ZeroIfAbsent public var imageID: String
    /// `<runtime>://<id>`.
    public var containerID: String?
    public var started: Bool?
    public var allocatedResources: ResourceList?
    public var resources: ResourceRequirements?
    /// Status fields Swiftlet's kubelet does not report yet; kept unparsed.
    public var volumeMounts: [JSONValue]?
    public var user: JSONValue?
    public var allocatedResourcesStatus: [JSONValue]?

    public init(name: String, state: ContainerState = ContainerState(), lastState: ContainerState = ContainerState(),
                ready: Bool = false, restartCount: Int32 = 0, image: String = "", imageID: String = "",
                containerID: String? = nil, started: Bool? = nil, allocatedResources: ResourceList? = nil,
                resources: ResourceRequirements? = nil) {
        self.name = name
        self.state = state
        self.lastState = lastState
        self.ready = ready
        self.restartCount = restartCount
        self.image = image
        self.imageID = imageID
        self.containerID = containerID
        self.started = started
        self.allocatedResources = allocatedResources
        self.resources = resources
    }
}

/// At most one of the three is set; none means the state is unknown (upstream reports
/// waiting by default).
public struct ContainerState: Codable, Hashable, Sendable {
    public var waiting: ContainerStateWaiting?
    public var running: ContainerStateRunning?
    public var terminated: ContainerStateTerminated?
    public init(waiting: ContainerStateWaiting? = nil, running: ContainerStateRunning? = nil,
                terminated: ContainerStateTerminated? = nil) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }
}

public struct ContainerStateWaiting: Codable, Hashable, Sendable {
    public var reason: String?
    public var message: String?
    public init(reason: String? = nil, message: String? = nil) {
        self.reason = reason
        self.message = message
    }
}

public struct ContainerStateRunning: Codable, Hashable, Sendable {
    public var startedAt: Time?
    public init(startedAt: Time? = nil) { self.startedAt = startedAt }
}

public struct ContainerStateTerminated: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var exitCode: Int32
    public var signal: Int32?
    public var reason: String?
    public var message: String?
    public var startedAt: Time?
    public var finishedAt: Time?
    public var containerID: String?
    public init(exitCode: Int32, signal: Int32? = nil, reason: String? = nil, message: String? = nil,
                startedAt: Time? = nil, finishedAt: Time? = nil, containerID: String? = nil) {
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.containerID = containerID
    }
}
