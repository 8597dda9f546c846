// Descriptions for `kubectl explain` of the core/v1 Pod and everything it uses, plus
// ObjectMeta, OwnerReference, ConfigMap and Secret. Keys are JSON field names. Written in
// our own words; defaults and allowed values follow upstream v1.32.

// MARK: - Pod

extension Pod: SchemaDescribed {
    public static let schemaDescription =
        "Pod is a group of containers that share network and storage and are scheduled together onto one node. It is the smallest unit of work the cluster runs."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "The versioned schema of this object; for a Pod this is v1. Clients and servers use it to decode the rest of the object.",
        "kind": "The REST resource this object represents; for a Pod this is Pod. Written in CamelCase and not updatable.",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and the like.",
        "spec": "The desired state of the pod: its containers, volumes and scheduling and security settings.",
        "status": "The most recently observed state of the pod, reported by the system. It may lag behind reality and is read-only to users.",
    ]
}

extension PodSpec: SchemaDescribed {
    public static let schemaDescription =
        "PodSpec is the desired state of a pod: the containers to run, the volumes they can mount, and how and where the pod is scheduled."
    public static let fieldDescriptions: [String: String] = [
        "volumes": "Volumes that the pod's containers can mount, each with a name unique within the pod.",
        "initContainers": "Containers that run one after another, each to completion, before the app containers start. One whose restartPolicy is Always instead keeps running beside the app containers as a sidecar.",
        "containers": "The app containers of the pod. At least one is required and the list cannot be changed after creation.",
        "ephemeralContainers": "Temporary containers added to a running pod for debugging, through the ephemeralcontainers subresource only. They are never restarted and cannot be set when the pod is created.",
        "restartPolicy": "When to restart the pod's containers after they exit: Always, OnFailure or Never. Defaults to Always.",
        "terminationGracePeriodSeconds": "Seconds the pod is given to shut down after the stop signal before its processes are killed. Must be non-negative; 0 means kill immediately. Defaults to 30.",
        "activeDeadlineSeconds": "How long, in seconds after it starts, the pod may be active before the system tries to fail it. Must be a positive integer.",
        "dnsPolicy": "How DNS is configured for the pod: ClusterFirstWithHostNet, ClusterFirst, Default or None. Defaults to ClusterFirst; with None, settings come only from dnsConfig.",
        "nodeSelector": "Labels a node must carry for the pod to be scheduled onto it.",
        "serviceAccountName": "The name of the ServiceAccount whose identity the pod runs as. Defaults to the namespace's default service account.",
        "serviceAccount": "Deprecated older name for serviceAccountName; use serviceAccountName instead.",
        "automountServiceAccountToken": "Whether a service account API token is mounted into the pod automatically. Overrides the service account's own setting.",
        "nodeName": "The node the pod is bound to. Normally set by the scheduler; setting it yourself bypasses scheduling.",
        "hostNetwork": "Whether the pod uses the node's network namespace instead of its own. Requires container ports to match host ports. Defaults to false.",
        "hostPID": "Whether the pod shares the node's process ID namespace. Defaults to false.",
        "hostIPC": "Whether the pod shares the node's IPC namespace. Defaults to false.",
        "shareProcessNamespace": "Whether all containers of the pod share one process namespace, so they can see and signal each other's processes. Cannot be combined with hostPID. Defaults to false.",
        "securityContext": "Pod-wide security settings such as user and group IDs and the seccomp profile. Container-level settings take precedence where both are set.",
        "imagePullSecrets": "Secrets in the pod's namespace holding registry credentials used to pull the pod's images.",
        "hostname": "The pod's hostname. Defaults to a value chosen by the system (normally the pod name).",
        "subdomain": "When set, the pod's fully qualified hostname becomes <hostname>.<subdomain>.<namespace>.svc.<cluster domain>. Without it the pod has no domain name.",
        "affinity": "Node affinity, pod affinity and pod anti-affinity rules that constrain or guide scheduling.",
        "schedulerName": "The scheduler that places the pod. Defaults to the default scheduler.",
        "tolerations": "Taints the pod tolerates, allowing it onto nodes that carry them.",
        "hostAliases": "Extra entries added to the pod's hosts file, mapping IP addresses to hostnames.",
        "priorityClassName": "The PriorityClass that sets the pod's priority. system-node-critical and system-cluster-critical are built in and the most important; without one, the default priority (or zero) applies.",
        "priority": "The pod's priority value, filled in by the admission controller from priorityClassName. Higher values mean more important.",
        "dnsConfig": "DNS settings merged into the configuration generated from dnsPolicy.",
        "readinessGates": "Extra pod conditions that must all be True, alongside all containers being ready, before the pod counts as ready.",
        "runtimeClassName": "The RuntimeClass whose container runtime handler runs this pod. When empty, the node's default handler is used.",
        "enableServiceLinks": "Whether information about Services is injected into the pod's environment variables, Docker-links style. Defaults to true.",
        "preemptionPolicy": "Whether the pod may preempt lower-priority pods: Never or PreemptLowerPriority. Defaults to PreemptLowerPriority.",
        "overhead": "Resources consumed by the pod's sandbox itself, on top of its containers' requests and limits. Set by the RuntimeClass admission controller.",
        "topologySpreadConstraints": "Rules for spreading matching pods evenly across topology domains such as zones or nodes.",
        "setHostnameAsFQDN": "Whether the pod's hostname is set to its fully qualified domain name instead of the short name. Defaults to false.",
        "os": "The operating system the pod's containers need; it decides which OS-specific fields are validated.",
        "hostUsers": "Whether the pod uses the node's user namespace. When false, a new user namespace is created for the pod. Defaults to true.",
        "schedulingGates": "Gates that each hold the pod back from scheduling until removed. Can only be set at creation and only removed afterwards.",
        "resourceClaims": "ResourceClaims (dynamic resource allocation) the pod needs before it can start; containers refer to them by name.",
        "resources": "Pod-wide resource requests and limits shared by all containers. Only cpu and memory may be given.",
    ]
}

// MARK: - Affinity and topology spread

extension Affinity: SchemaDescribed {
    public static let schemaDescription =
        "Affinity groups the pod's scheduling rules about nodes and about other pods."
    public static let fieldDescriptions: [String: String] = [
        "nodeAffinity": "Rules about which nodes, by their labels or fields, the pod must or should land on.",
        "podAffinity": "Rules that place the pod in the same topology domain (node, zone, …) as certain other pods.",
        "podAntiAffinity": "Rules that keep the pod out of topology domains (node, zone, …) already running certain other pods.",
    ]
}

extension NodeAffinity: SchemaDescribed {
    public static let schemaDescription =
        "NodeAffinity holds hard and soft rules for choosing nodes by their labels and fields."
    public static let fieldDescriptions: [String: String] = [
        "requiredDuringSchedulingIgnoredDuringExecution": "A selector a node has to satisfy for the pod to be placed on it. Checked only at scheduling time: a running pod is not evicted when its node stops matching.",
        "preferredDuringSchedulingIgnoredDuringExecution": "Weighted preferences: the scheduler favors nodes whose matching terms add up to the highest total weight, but may still pick a node matching none of them.",
    ]
}

extension NodeSelector: SchemaDescribed {
    public static let schemaDescription =
        "NodeSelector picks nodes with a list of terms; a node is selected when at least one term matches it."
    public static let fieldDescriptions: [String: String] = [
        "nodeSelectorTerms": "The alternative terms, any one of which is enough for a node to match.",
    ]
}

extension NodeSelectorTerm: SchemaDescribed {
    public static let schemaDescription =
        "NodeSelectorTerm matches a node when all of its requirements hold. A term with no requirements matches no node."
    public static let fieldDescriptions: [String: String] = [
        "matchExpressions": "Requirements checked against the node's labels.",
        "matchFields": "Requirements checked against the node's fields; only metadata.name is supported.",
    ]
}

extension NodeSelectorRequirement: SchemaDescribed {
    public static let schemaDescription =
        "NodeSelectorRequirement is a test of one node label (or field) key against a set of values."
    public static let fieldDescriptions: [String: String] = [
        "key": "The label key (or field name) the requirement looks at.",
        "operator": "How the key's value is compared with values: In, NotIn, Exists, DoesNotExist, Gt or Lt.",
        "values": "The values to compare with. In and NotIn need at least one, Exists and DoesNotExist need none, and Gt and Lt need exactly one, read as an integer.",
    ]
}

extension PreferredSchedulingTerm: SchemaDescribed {
    public static let schemaDescription =
        "PreferredSchedulingTerm is a node selector term with a weight; nodes matching it score higher. An empty preference matches every node."
    public static let fieldDescriptions: [String: String] = [
        "weight": "How much matching this term counts, from 1 to 100.",
        "preference": "The node selector term that earns the weight when a node matches it.",
    ]
}

extension PodAffinity: SchemaDescribed {
    public static let schemaDescription =
        "PodAffinity holds rules for scheduling the pod into the same topology domain as pods matching given selectors."
    public static let fieldDescriptions: [String: String] = [
        "requiredDuringSchedulingIgnoredDuringExecution": "Terms that must all be satisfied by the chosen node. Checked only at scheduling time: the pod is not evicted if they stop holding later.",
        "preferredDuringSchedulingIgnoredDuringExecution": "Weighted terms the scheduler tries to satisfy; nodes whose matching terms add up to the highest total weight are favored, but none are required.",
    ]
}

extension PodAntiAffinity: SchemaDescribed {
    public static let schemaDescription =
        "PodAntiAffinity holds rules for keeping the pod out of topology domains that run pods matching given selectors."
    public static let fieldDescriptions: [String: String] = [
        "requiredDuringSchedulingIgnoredDuringExecution": "Terms that must all be satisfied by the chosen node. Checked only at scheduling time: the pod is not evicted if they stop holding later.",
        "preferredDuringSchedulingIgnoredDuringExecution": "Weighted terms the scheduler tries to satisfy; nodes whose matching terms add up to the highest total weight are favored, but none are required.",
    ]
}

extension PodAffinityTerm: SchemaDescribed {
    public static let schemaDescription =
        "PodAffinityTerm describes a set of pods and a topology key. It holds on a node when a matching pod runs in a domain sharing the node's value for that key."
    public static let fieldDescriptions: [String: String] = [
        "labelSelector": "Which pods the term is about. When unset, no pods match.",
        "namespaces": "Namespaces whose pods are considered, in addition to those picked by namespaceSelector. When both are empty, the pod's own namespace is used.",
        "topologyKey": "The node label whose value defines a topology domain, such as a hostname or a zone. Must not be empty.",
        "namespaceSelector": "Picks, by label, further namespaces whose pods are considered. An empty selector means every namespace.",
        "matchLabelKeys": "Label keys whose values are copied from the incoming pod into labelSelector as In requirements. Keys may not also appear in labelSelector or mismatchLabelKeys.",
        "mismatchLabelKeys": "Label keys whose values are copied from the incoming pod into labelSelector as NotIn requirements. Keys may not also appear in labelSelector or matchLabelKeys.",
    ]
}

extension WeightedPodAffinityTerm: SchemaDescribed {
    public static let schemaDescription =
        "WeightedPodAffinityTerm pairs a pod affinity term with the weight it adds to every node satisfying it."
    public static let fieldDescriptions: [String: String] = [
        "weight": "How much satisfying the term counts, from 1 to 100.",
        "podAffinityTerm": "The pod affinity term that earns the weight.",
    ]
}

extension TopologySpreadConstraint: SchemaDescribed {
    public static let schemaDescription =
        "TopologySpreadConstraint asks the scheduler to keep pods matching a selector evenly balanced across the domains of a topology key."
    public static let fieldDescriptions: [String: String] = [
        "maxSkew": "The largest difference allowed between the number of matching pods in any domain and in the emptiest eligible domain. Must be greater than zero.",
        "topologyKey": "The node label whose values name the topology domains; nodes without it are left out. Required.",
        "whenUnsatisfiable": "What to do with a pod that cannot meet the constraint: DoNotSchedule leaves it pending; ScheduleAnyway places it anyway, favoring nodes that lower the skew.",
        "labelSelector": "Selects the pods counted in each domain.",
        "minDomains": "The least number of eligible domains to assume. When fewer exist, the global minimum counts as zero, so skew is measured against empty domains. Only allowed with DoNotSchedule.",
        "nodeAffinityPolicy": "Whether nodes excluded by the pod's nodeAffinity and nodeSelector are left out of the skew calculation (Honor) or counted (Ignore). Defaults to Honor.",
        "nodeTaintsPolicy": "Whether nodes with taints the pod does not tolerate are left out of the skew calculation (Honor) or counted (Ignore). Defaults to Ignore.",
        "matchLabelKeys": "Label keys whose values are taken from the incoming pod and ANDed into labelSelector when counting pods. Keys may not also appear in labelSelector.",
    ]
}

extension LocalObjectReference: SchemaDescribed {
    public static let schemaDescription =
        "LocalObjectReference names another object in the same namespace."
    public static let fieldDescriptions: [String: String] = [
        "name": "The name of the referenced object.",
    ]
}

extension Toleration: SchemaDescribed {
    public static let schemaDescription =
        "Toleration lets a pod be scheduled onto (or stay on) nodes carrying a matching taint."
    public static let fieldDescriptions: [String: String] = [
        "key": "The taint key this toleration matches. Empty matches every key, which requires operator Exists.",
        "operator": "How the key relates to the value: Exists or Equal. Defaults to Equal; Exists matches any value.",
        "value": "The taint value to match. Must be empty when operator is Exists.",
        "effect": "The taint effect to match: NoSchedule, PreferNoSchedule or NoExecute. Empty matches all effects.",
        "tolerationSeconds": "For NoExecute, how many seconds the pod may stay bound after the taint appears before it is evicted. Unset means forever; zero or less means evict at once.",
    ]
}

extension HostAlias: SchemaDescribed {
    public static let schemaDescription =
        "HostAlias maps an IP address to hostnames in the pod's hosts file."
    public static let fieldDescriptions: [String: String] = [
        "ip": "The IP address the hostnames resolve to.",
        "hostnames": "Hostnames that resolve to the IP address.",
    ]
}

extension PodDNSConfig: SchemaDescribed {
    public static let schemaDescription =
        "PodDNSConfig holds DNS settings for a pod beyond those its dnsPolicy generates."
    public static let fieldDescriptions: [String: String] = [
        "nameservers": "DNS server IP addresses, added to those from dnsPolicy with duplicates dropped.",
        "searches": "DNS search domains for host-name lookups, added to those from dnsPolicy with duplicates dropped.",
        "options": "Resolver options; they are merged with those from dnsPolicy and entries given here win.",
    ]
}

extension PodDNSConfigOption: SchemaDescribed {
    public static let schemaDescription =
        "PodDNSConfigOption is one resolver option for a pod."
    public static let fieldDescriptions: [String: String] = [
        "name": "The option's name, such as ndots. Required.",
        "value": "The option's value, if it takes one.",
    ]
}

extension PodReadinessGate: SchemaDescribed {
    public static let schemaDescription =
        "PodReadinessGate names a pod condition that must be True for the pod to be ready."
    public static let fieldDescriptions: [String: String] = [
        "conditionType": "The type of a condition in the pod's status conditions that this gate waits on.",
    ]
}

extension PodOS: SchemaDescribed {
    public static let schemaDescription =
        "PodOS names the operating system a pod is meant to run on."
    public static let fieldDescriptions: [String: String] = [
        "name": "The operating system: linux or windows.",
    ]
}

extension PodSchedulingGate: SchemaDescribed {
    public static let schemaDescription =
        "PodSchedulingGate holds a pod back from scheduling while it is present."
    public static let fieldDescriptions: [String: String] = [
        "name": "The gate's name, unique among the pod's scheduling gates.",
    ]
}

extension PodSecurityContext: SchemaDescribed {
    public static let schemaDescription =
        "PodSecurityContext holds security settings for the whole pod. Some also apply to each container, where a container's own securityContext overrides them."
    public static let fieldDescriptions: [String: String] = [
        "seLinuxOptions": "The SELinux context applied to all containers. When unset, the runtime picks a random context for each container. Not available on Windows.",
        "windowsOptions": "Windows-specific settings applied to all containers. Not available on Linux.",
        "runAsUser": "The user ID that runs the containers' entrypoints. Defaults to the user the image specifies. Not available on Windows.",
        "runAsGroup": "The primary group ID for the containers' processes. Defaults to the runtime's default. Not available on Windows.",
        "runAsNonRoot": "When true, the kubelet refuses to start any container that would run as user ID 0.",
        "supplementalGroups": "Extra group IDs given to the first process of every container, in addition to its primary group. Not available on Windows.",
        "supplementalGroupsPolicy": "How the supplemental groups of the first process are worked out: Merge (also add groups from the image's /etc/group) or Strict (only those listed here). Defaults to Merge.",
        "fsGroup": "A supplemental group applied to all containers; volumes that support ownership management are made group-owned by it and writable. Not available on Windows.",
        "sysctls": "Namespaced kernel parameters set for the pod. Not available on Windows.",
        "fsGroupChangePolicy": "When volume ownership and permissions are changed to fsGroup: OnRootMismatch or Always. Defaults to Always.",
        "seccompProfile": "The seccomp profile for all containers. Not available on Windows.",
        "appArmorProfile": "The AppArmor profile for all containers. Not available on Windows.",
        "seLinuxChangePolicy": "How the SELinux label is applied to volumes: MountOption (mount with the label, when supported) or Recursive (relabel every file). Not available on Windows.",
    ]
}

extension Sysctl: SchemaDescribed {
    public static let schemaDescription =
        "Sysctl is one kernel parameter to set for a pod."
    public static let fieldDescriptions: [String: String] = [
        "name": "The kernel parameter's name, such as net.ipv4.ip_forward.",
        "value": "The value to set.",
    ]
}

extension SeccompProfile: SchemaDescribed {
    public static let schemaDescription =
        "SeccompProfile picks the seccomp profile that filters a container's system calls. Exactly one source is chosen."
    public static let fieldDescriptions: [String: String] = [
        "type": "Which kind of profile: Localhost (a file on the node), RuntimeDefault (the runtime's default) or Unconfined (no filtering).",
        "localhostProfile": "For type Localhost, the profile file's path relative to the kubelet's seccomp directory. Required then and forbidden otherwise.",
    ]
}

extension AppArmorProfile: SchemaDescribed {
    public static let schemaDescription =
        "AppArmorProfile picks the AppArmor profile that confines a container."
    public static let fieldDescriptions: [String: String] = [
        "type": "Which kind of profile: Localhost (one already loaded on the node), RuntimeDefault (the runtime's default) or Unconfined.",
        "localhostProfile": "For type Localhost, the name of the loaded profile to use. Required then and forbidden otherwise.",
    ]
}

extension SELinuxOptions: SchemaDescribed {
    public static let schemaDescription =
        "SELinuxOptions is the SELinux label applied to a container."
    public static let fieldDescriptions: [String: String] = [
        "user": "The SELinux user component of the label.",
        "role": "The SELinux role component of the label.",
        "type": "The SELinux type component of the label.",
        "level": "The SELinux level component of the label.",
    ]
}

// MARK: - Containers

extension Container: SchemaDescribed {
    public static let schemaDescription =
        "Container is one application container to run inside a pod."
    public static let fieldDescriptions: [String: String] = [
        "name": "The container's name, a DNS label unique within the pod. Cannot be changed.",
        "image": "The container image to run. Workload controllers may leave it empty for defaulting or overriding elsewhere.",
        "command": "The entrypoint, run directly rather than through a shell. Replaces the image's ENTRYPOINT; $(VAR) references to the container's environment are expanded and $$(VAR) escapes one. Cannot be changed.",
        "args": "Arguments to the entrypoint. Replace the image's CMD; $(VAR) references to the container's environment are expanded and $$(VAR) escapes one. Cannot be changed.",
        "workingDir": "The directory the container's processes start in. Defaults to the runtime's default, usually the image's. Cannot be changed.",
        "ports": "Ports the container exposes. Mostly informational: a port the container listens on is reachable whether or not it is listed. Cannot be changed.",
        "envFrom": "Sources whose keys all become environment variables. Values from env win over these, and later sources win over earlier ones. Cannot be changed.",
        "env": "Environment variables to set in the container. Cannot be changed.",
        "resources": "The compute resources the container requests and the limits it may not exceed.",
        "resizePolicy": "For each resource, whether resizing it in place requires restarting the container.",
        "restartPolicy": "Only for init containers, and only Always: the container is then a sidecar that keeps running, restarted when it exits, for the pod's whole life. Other containers follow the pod's restartPolicy.",
        "volumeMounts": "Pod volumes to mount into the container's filesystem. Cannot be changed.",
        "volumeDevices": "Raw block devices from the pod's volumes to expose to the container.",
        "livenessProbe": "A periodic check that the container is still alive; the container is restarted when it fails. Cannot be changed.",
        "readinessProbe": "A periodic check that the container can serve traffic; a failing container is removed from Service endpoints. Cannot be changed.",
        "startupProbe": "A check that the container has finished starting; other probes wait until it succeeds, and failing it restarts the container. Cannot be changed.",
        "lifecycle": "Actions the system runs right after the container starts and right before it is stopped.",
        "terminationMessagePath": "The file whose contents become the container's termination message, capped at 4096 bytes (12 KiB across all containers). Defaults to /dev/termination-log. Cannot be changed.",
        "terminationMessagePolicy": "Where the termination message comes from: File (the file only) or FallbackToLogsOnError (the tail of the log when the file is empty and the container failed). Defaults to File. Cannot be changed.",
        "imagePullPolicy": "When to pull the image: Always, Never or IfNotPresent. Defaults to Always for a :latest or untagged image and IfNotPresent otherwise. Cannot be changed.",
        "securityContext": "Security settings for this container; they override the matching pod-level settings.",
        "stdin": "Whether the container allocates a standard input buffer; without it, reads from stdin always see end of file. Defaults to false.",
        "stdinOnce": "Whether stdin closes after the first attach session ends, staying closed until the container restarts. Defaults to false.",
        "tty": "Whether the container gets a terminal; stdin must be true as well. Defaults to false.",
    ]
}

extension ContainerPort: SchemaDescribed {
    public static let schemaDescription =
        "ContainerPort is one network port a container exposes."
    public static let fieldDescriptions: [String: String] = [
        "name": "An IANA service name for the port, unique within the pod, that Services and probes can refer to.",
        "hostPort": "The port to open on the node and forward to the container port. Must be 1 to 65535; with hostNetwork it must equal containerPort. Rarely needed.",
        "containerPort": "The port number on the pod's IP address, 1 to 65535.",
        "protocol": "The port's protocol: TCP, UDP or SCTP. Defaults to TCP.",
        "hostIP": "The node IP address to bind the host port to.",
    ]
}

extension EnvVar: SchemaDescribed {
    public static let schemaDescription =
        "EnvVar is one environment variable of a container."
    public static let fieldDescriptions: [String: String] = [
        "name": "The variable's name.",
        "value": "A literal value. $(VAR) references to variables defined earlier or to the service variables are expanded, and $$(VAR) escapes one. Defaults to the empty string.",
        "valueFrom": "Where to read the value from instead; cannot be used together with a non-empty value.",
    ]
}

extension EnvVarSource: SchemaDescribed {
    public static let schemaDescription =
        "EnvVarSource says where an environment variable's value comes from. Exactly one field is set."
    public static let fieldDescriptions: [String: String] = [
        "fieldRef": "A field of the pod: metadata.name, metadata.namespace, a label or annotation, spec.nodeName, spec.serviceAccountName, status.hostIP(s) or status.podIP(s).",
        "resourceFieldRef": "A container resource request or limit; only cpu, memory and ephemeral-storage limits and requests are supported.",
        "configMapKeyRef": "One key of a ConfigMap in the pod's namespace.",
        "secretKeyRef": "One key of a Secret in the pod's namespace.",
    ]
}

extension ObjectFieldSelector: SchemaDescribed {
    public static let schemaDescription =
        "ObjectFieldSelector picks a field of the pod by its path."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "The API version the field path is written against. Defaults to v1.",
        "fieldPath": "The path of the field to read, in that API version's schema, for example metadata.name.",
    ]
}

extension ResourceFieldSelector: SchemaDescribed {
    public static let schemaDescription =
        "ResourceFieldSelector picks a container's resource request or limit, optionally scaled down by a divisor."
    public static let fieldDescriptions: [String: String] = [
        "containerName": "The container whose resources are read. Required in volumes, optional for environment variables (where it means the container itself).",
        "resource": "The resource to read, such as limits.cpu or requests.memory.",
        "divisor": "The unit the value is expressed in; the result is rounded up. Defaults to 1.",
    ]
}

extension ConfigMapKeySelector: SchemaDescribed {
    public static let schemaDescription =
        "ConfigMapKeySelector picks one key of a ConfigMap."
    public static let fieldDescriptions: [String: String] = [
        "name": "The ConfigMap's name, in the pod's namespace.",
        "key": "The key whose value is used.",
        "optional": "Whether the pod may start when the ConfigMap or the key is missing. Defaults to false.",
    ]
}

extension SecretKeySelector: SchemaDescribed {
    public static let schemaDescription =
        "SecretKeySelector picks one key of a Secret."
    public static let fieldDescriptions: [String: String] = [
        "name": "The Secret's name, in the pod's namespace.",
        "key": "The key whose value is used; it must be a valid secret key.",
        "optional": "Whether the pod may start when the Secret or the key is missing. Defaults to false.",
    ]
}

extension EnvFromSource: SchemaDescribed {
    public static let schemaDescription =
        "EnvFromSource turns every key of a ConfigMap or Secret into environment variables."
    public static let fieldDescriptions: [String: String] = [
        "prefix": "A string prepended to each key to form the variable name. Must be a C identifier.",
        "configMapRef": "The ConfigMap to read.",
        "secretRef": "The Secret to read.",
    ]
}

extension ConfigMapEnvSource: SchemaDescribed {
    public static let schemaDescription =
        "ConfigMapEnvSource names a ConfigMap whose keys become environment variables."
    public static let fieldDescriptions: [String: String] = [
        "name": "The ConfigMap's name, in the pod's namespace.",
        "optional": "Whether the pod may start when the ConfigMap is missing. Defaults to false.",
    ]
}

extension SecretEnvSource: SchemaDescribed {
    public static let schemaDescription =
        "SecretEnvSource names a Secret whose keys become environment variables."
    public static let fieldDescriptions: [String: String] = [
        "name": "The Secret's name, in the pod's namespace.",
        "optional": "Whether the pod may start when the Secret is missing. Defaults to false.",
    ]
}

extension ResourceRequirements: SchemaDescribed {
    public static let schemaDescription =
        "ResourceRequirements gives the compute resources a container or pod requests and the most it may use."
    public static let fieldDescriptions: [String: String] = [
        "limits": "The most of each resource that may be used, by resource name (cpu, memory, ...).",
        "requests": "The least of each resource that is needed, used for scheduling. When omitted, a resource's request defaults to its limit if one is set; a request may not exceed its limit.",
        "claims": "Entries of the pod's resourceClaims this container uses. Changing it is not allowed.",
    ]
}

extension ResourceClaim: SchemaDescribed {
    public static let schemaDescription =
        "ResourceClaim lets a container use one of the pod's resource claims."
    public static let fieldDescriptions: [String: String] = [
        "name": "The name of an entry in the pod's spec.resourceClaims.",
        "request": "The name of a single request within the claim to use. Empty means the whole claim.",
    ]
}

extension ContainerResizePolicy: SchemaDescribed {
    public static let schemaDescription =
        "ContainerResizePolicy says what happens to a container when one of its resources is resized in place."
    public static let fieldDescriptions: [String: String] = [
        "resourceName": "The resource this policy is for: cpu or memory.",
        "restartPolicy": "What resizing the resource needs: NotRequired (resize while running) or RestartContainer. Defaults to NotRequired.",
    ]
}

extension VolumeMount: SchemaDescribed {
    public static let schemaDescription =
        "VolumeMount mounts one of the pod's volumes into a container."
    public static let fieldDescriptions: [String: String] = [
        "name": "The name of the pod volume to mount.",
        "readOnly": "Whether the mount is read-only. Defaults to false.",
        "recursiveReadOnly": "Whether a read-only mount is also read-only in its submounts: Disabled, IfPossible or Enabled. Needs readOnly true and mountPropagation None; when unset it is treated as Disabled.",
        "mountPath": "The path in the container to mount at. Must not contain a colon.",
        "subPath": "A path inside the volume to mount instead of its root. Defaults to the root.",
        "mountPropagation": "How mounts propagate between host and container: None, HostToContainer or Bidirectional. Defaults to None.",
        "subPathExpr": "Like subPath, but $(VAR) references to the container's environment are expanded. Cannot be combined with subPath. Defaults to the root.",
    ]
}

extension VolumeDevice: SchemaDescribed {
    public static let schemaDescription =
        "VolumeDevice exposes a raw block volume to a container as a device."
    public static let fieldDescriptions: [String: String] = [
        "name": "The name of a persistentVolumeClaim volume of the pod.",
        "devicePath": "The device path inside the container.",
    ]
}

// MARK: - Probes and lifecycle hooks

extension Probe: SchemaDescribed {
    public static let schemaDescription =
        "Probe is a health check the kubelet runs on a container to tell whether it is alive, ready or started. Exactly one of exec, httpGet, tcpSocket and grpc is set."
    public static let fieldDescriptions: [String: String] = [
        "exec": "Run a command in the container; exit status 0 counts as healthy.",
        "httpGet": "Send an HTTP GET request; a status from 200 to 399 counts as healthy.",
        "tcpSocket": "Open a TCP connection; succeeding to connect counts as healthy.",
        "grpc": "Call the standard gRPC health-checking service.",
        "initialDelaySeconds": "Seconds to wait after the container starts before the first probe. Defaults to 0.",
        "timeoutSeconds": "Seconds after which a probe attempt times out. Defaults to 1; minimum 1.",
        "periodSeconds": "Seconds between probe attempts. Defaults to 10; minimum 1.",
        "successThreshold": "Consecutive successes needed, after a failure, to count as succeeding. Defaults to 1; must be 1 for liveness and startup probes.",
        "failureThreshold": "Consecutive failures needed, after a success, to count as failed. Defaults to 3; minimum 1.",
        "terminationGracePeriodSeconds": "Grace period, in seconds, used instead of the pod's when this probe's failure kills the container. Must be positive; 0 is not allowed. Not valid for readiness probes.",
    ]
}

extension ExecAction: SchemaDescribed {
    public static let schemaDescription =
        "ExecAction runs a command inside the container."
    public static let fieldDescriptions: [String: String] = [
        "command": "The command and its arguments, run directly in the container's root directory, not through a shell. Exit status 0 means success.",
    ]
}

extension HTTPGetAction: SchemaDescribed {
    public static let schemaDescription =
        "HTTPGetAction sends an HTTP GET request to the container."
    public static let fieldDescriptions: [String: String] = [
        "path": "The request path on the server.",
        "port": "The port to connect to: a number from 1 to 65535 or the name of a container port.",
        "host": "The host name to connect to. Defaults to the pod IP; to set the virtual host, use a Host header in httpHeaders instead.",
        "scheme": "The scheme used to connect: HTTP or HTTPS. Defaults to HTTP.",
        "httpHeaders": "Extra headers sent with the request; repeated headers are allowed.",
    ]
}

extension HTTPHeader: SchemaDescribed {
    public static let schemaDescription =
        "HTTPHeader is one header sent with an HTTP probe or hook request."
    public static let fieldDescriptions: [String: String] = [
        "name": "The header name; it is canonicalized on output.",
        "value": "The header value.",
    ]
}

extension TCPSocketAction: SchemaDescribed {
    public static let schemaDescription =
        "TCPSocketAction opens a TCP connection to the container."
    public static let fieldDescriptions: [String: String] = [
        "port": "The port to connect to: a number from 1 to 65535 or the name of a container port.",
        "host": "The host name to connect to. Defaults to the pod IP.",
    ]
}

extension GRPCAction: SchemaDescribed {
    public static let schemaDescription =
        "GRPCAction calls the standard gRPC health-checking service of the container."
    public static let fieldDescriptions: [String: String] = [
        "port": "The port of the gRPC service, 1 to 65535.",
        "service": "The service name passed in the health check request. Empty (the default) asks about the server as a whole.",
    ]
}

extension SleepAction: SchemaDescribed {
    public static let schemaDescription =
        "SleepAction pauses for a fixed time."
    public static let fieldDescriptions: [String: String] = [
        "seconds": "How many seconds to sleep.",
    ]
}

extension Lifecycle: SchemaDescribed {
    public static let schemaDescription =
        "Lifecycle holds actions the system runs at points in a container's life. The container blocks until a hook's action finishes."
    public static let fieldDescriptions: [String: String] = [
        "postStart": "Runs right after the container is created. If it fails, the container is terminated and restarted according to the restart policy.",
        "preStop": "Runs right before the container is stopped by an API request or a management event such as a failed probe or preemption, but not when it exits on its own. The termination grace period keeps counting while it runs.",
    ]
}

extension LifecycleHandler: SchemaDescribed {
    public static let schemaDescription =
        "LifecycleHandler is the action a lifecycle hook takes. Exactly one action is set."
    public static let fieldDescriptions: [String: String] = [
        "exec": "Run a command in the container.",
        "httpGet": "Send an HTTP GET request.",
        "tcpSocket": "Not supported as a hook action and kept only for backward compatibility. It passes validation, but the hook fails when it runs.",
        "sleep": "Pause for a number of seconds before the container goes on.",
    ]
}

// MARK: - Container security

extension SecurityContext: SchemaDescribed {
    public static let schemaDescription =
        "SecurityContext holds a container's security settings; where a field is also set in the pod's securityContext, the container's value wins."
    public static let fieldDescriptions: [String: String] = [
        "capabilities": "Linux capabilities to add to or drop from the runtime's default set. Not available on Windows.",
        "privileged": "Whether the container runs privileged, with processes equivalent to root on the node. Defaults to false. Not available on Windows.",
        "seLinuxOptions": "The SELinux context for the container. When unset, the runtime picks a random context. Not available on Windows.",
        "windowsOptions": "Windows-specific settings for the container. Not available on Linux.",
        "runAsUser": "The user ID that runs the container's entrypoint. Defaults to the user the image specifies. Not available on Windows.",
        "runAsGroup": "The primary group ID for the container's processes. Defaults to the runtime's default. Not available on Windows.",
        "runAsNonRoot": "When true, the kubelet refuses to start the container if it would run as user ID 0.",
        "readOnlyRootFilesystem": "Whether the container's root filesystem is mounted read-only. Defaults to false. Not available on Windows.",
        "allowPrivilegeEscalation": "Whether a process may gain more privileges than its parent (the no_new_privs flag). Always true when the container is privileged or has CAP_SYS_ADMIN. Not available on Windows.",
        "procMount": "How /proc is mounted: Default (with the runtime's masked and read-only paths) or Unmasked. Defaults to Default. Not available on Windows.",
        "seccompProfile": "The seccomp profile for the container, overriding the pod's. Not available on Windows.",
        "appArmorProfile": "The AppArmor profile for the container, overriding the pod's. Not available on Windows.",
    ]
}

extension Capabilities: SchemaDescribed {
    public static let schemaDescription =
        "Capabilities adds Linux capabilities to, or removes them from, a running container."
    public static let fieldDescriptions: [String: String] = [
        "add": "Capabilities to grant, such as NET_ADMIN.",
        "drop": "Capabilities to remove, such as ALL.",
    ]
}

// MARK: - Volumes

extension Volume: SchemaDescribed {
    public static let schemaDescription =
        "Volume is a named storage source that the pod's containers can mount. Exactly one source is set."
    public static let fieldDescriptions: [String: String] = [
        "name": "The volume's name, a DNS label unique within the pod; volume mounts refer to it.",
        "hostPath": "A file or directory on the node, exposed directly to the pod. Meant for system agents; most pods should not use it.",
        "emptyDir": "A directory that starts empty and lives exactly as long as the pod.",
        "secret": "A Secret's keys as files.",
        "persistentVolumeClaim": "A PersistentVolumeClaim in the pod's namespace, giving the pod the volume bound to it.",
        "downwardAPI": "Files holding information about the pod itself.",
        "configMap": "A ConfigMap's keys as files.",
        "projected": "Several secrets, config maps, downward API items and tokens combined into one directory.",
        "gitRepo": "Deprecated: a git repository cloned into an empty directory. Use an init container that clones into an emptyDir instead.",
        "gcePersistentDisk": "A Google Compute Engine persistent disk attached to the node. Deprecated in favour of its CSI driver.",
        "awsElasticBlockStore": "An AWS Elastic Block Store disk attached to the node. Deprecated in favour of its CSI driver.",
        "nfs": "An NFS export mounted into the pod.",
        "iscsi": "An iSCSI disk attached to the node and mounted into the pod.",
        "glusterfs": "A GlusterFS volume mounted into the pod. Deprecated and no longer supported.",
        "flocker": "A Flocker dataset. Deprecated and no longer supported.",
        "rbd": "A Ceph RADOS block device mounted into the pod. Deprecated and no longer supported.",
        "cinder": "An OpenStack Cinder volume attached to the node. Deprecated in favour of its CSI driver.",
        "cephfs": "A CephFS filesystem mounted into the pod. Deprecated and no longer supported.",
        "quobyte": "A Quobyte volume mounted into the pod. Deprecated and no longer supported.",
        "fc": "A Fibre Channel disk attached to the node and mounted into the pod.",
        "flexVolume": "A volume provided by an exec-based FlexVolume driver. Deprecated in favour of CSI.",
        "azureFile": "An Azure File share mounted into the pod. Deprecated in favour of its CSI driver.",
        "vsphereVolume": "A vSphere volume attached to the node. Deprecated in favour of its CSI driver.",
        "photonPersistentDisk": "A Photon Controller persistent disk. Deprecated and no longer supported.",
        "portworxVolume": "A Portworx volume attached and mounted on the node. Deprecated in favour of its CSI driver.",
        "azureDisk": "An Azure data disk attached to the node. Deprecated in favour of its CSI driver.",
        "storageos": "A StorageOS volume attached and mounted on the node. Deprecated and no longer supported.",
        "scaleIO": "A ScaleIO volume attached and mounted on the node. Deprecated and no longer supported.",
        "csi": "An ephemeral volume provided by a CSI driver that supports inline volumes.",
        "ephemeral": "A volume provisioned through a PersistentVolumeClaim that is created with the pod and deleted with it.",
        "image": "An OCI image or artifact from a registry, mounted read-only into the pod.",
    ]
}

extension HostPathVolumeSource: SchemaDescribed {
    public static let schemaDescription =
        "HostPathVolumeSource exposes a file or directory of the node to the pod."
    public static let fieldDescriptions: [String: String] = [
        "path": "The path on the node; a symbolic link is followed to its target.",
        "type": "What must be at the path before mounting: empty (no check, the default), DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice or BlockDevice.",
    ]
}

extension EmptyDirVolumeSource: SchemaDescribed {
    public static let schemaDescription =
        "EmptyDirVolumeSource is a scratch directory that starts empty and is removed with the pod."
    public static let fieldDescriptions: [String: String] = [
        "medium": "What backs the directory: empty for the node's default storage, Memory for a tmpfs, or HugePages. Defaults to empty.",
        "sizeLimit": "The most local storage the directory may use; for Memory it also counts against the pod's memory. Unset means no limit of its own.",
    ]
}

extension KeyToPath: SchemaDescribed {
    public static let schemaDescription =
        "KeyToPath maps one key of a ConfigMap or Secret to a file path inside the volume."
    public static let fieldDescriptions: [String: String] = [
        "key": "The key to project.",
        "path": "The relative file path the key's value is written to. It may not be absolute or contain a .. element.",
        "mode": "The file's permission bits, 0000 to 0777 (octal in YAML, decimal in JSON). Defaults to the volume's defaultMode.",
    ]
}

extension SecretVolumeSource: SchemaDescribed {
    public static let schemaDescription =
        "SecretVolumeSource fills a volume with the keys of a Secret, one file per key."
    public static let fieldDescriptions: [String: String] = [
        "secretName": "The Secret's name, in the pod's namespace.",
        "items": "Which keys to project and to which paths. When omitted, every key becomes a file named after it; a listed key that is missing is an error unless optional is true.",
        "defaultMode": "Permission bits for the created files, 0000 to 0777 (octal in YAML, decimal in JSON). Defaults to 0644.",
        "optional": "Whether the pod may start when the Secret or a listed key is missing. Defaults to false.",
    ]
}

extension ConfigMapVolumeSource: SchemaDescribed {
    public static let schemaDescription =
        "ConfigMapVolumeSource fills a volume with the keys of a ConfigMap, one file per key."
    public static let fieldDescriptions: [String: String] = [
        "name": "The ConfigMap's name, in the pod's namespace.",
        "items": "Which keys to project and to which paths. When omitted, every key becomes a file named after it; a listed key that is missing is an error unless optional is true.",
        "defaultMode": "Permission bits for the created files, 0000 to 0777 (octal in YAML, decimal in JSON). Defaults to 0644.",
        "optional": "Whether the pod may start when the ConfigMap or a listed key is missing. Defaults to false.",
    ]
}

extension PersistentVolumeClaimVolumeSource: SchemaDescribed {
    public static let schemaDescription =
        "PersistentVolumeClaimVolumeSource mounts the volume bound to a PersistentVolumeClaim."
    public static let fieldDescriptions: [String: String] = [
        "claimName": "The claim's name, in the pod's namespace.",
        "readOnly": "Whether the volume is mounted read-only. Defaults to false.",
    ]
}

extension DownwardAPIVolumeSource: SchemaDescribed {
    public static let schemaDescription =
        "DownwardAPIVolumeSource writes information about the pod into files."
    public static let fieldDescriptions: [String: String] = [
        "items": "The files to create and what each contains.",
        "defaultMode": "Permission bits for the created files, 0000 to 0777 (octal in YAML, decimal in JSON). Defaults to 0644.",
    ]
}

extension DownwardAPIVolumeFile: SchemaDescribed {
    public static let schemaDescription =
        "DownwardAPIVolumeFile is one file of a downward API volume and the pod field or resource it holds."
    public static let fieldDescriptions: [String: String] = [
        "path": "The file's relative path. It may not be absolute or contain a .. element.",
        "fieldRef": "A pod field to write: metadata.name, metadata.namespace, metadata.labels, metadata.annotations or metadata.uid.",
        "resourceFieldRef": "A container resource request or limit to write; only cpu and memory limits and requests are supported.",
        "mode": "The file's permission bits, 0000 to 0777 (octal in YAML, decimal in JSON). Defaults to the volume's defaultMode.",
    ]
}

extension ProjectedVolumeSource: SchemaDescribed {
    public static let schemaDescription =
        "ProjectedVolumeSource combines several sources into one directory."
    public static let fieldDescriptions: [String: String] = [
        "sources": "The sources to combine, each a secret, config map, downward API, service account token or cluster trust bundle.",
        "defaultMode": "Permission bits for the created files, 0000 to 0777 (octal in YAML, decimal in JSON); directories are not affected. Defaults to 0644.",
    ]
}

extension VolumeProjection: SchemaDescribed {
    public static let schemaDescription =
        "VolumeProjection is one source of a projected volume. Exactly one field is set."
    public static let fieldDescriptions: [String: String] = [
        "secret": "Keys of a Secret to project.",
        "downwardAPI": "Information about the pod to project.",
        "configMap": "Keys of a ConfigMap to project.",
        "serviceAccountToken": "A token for the pod's service account to project.",
        "clusterTrustBundle": "Certificates from ClusterTrustBundle objects, written into one PEM file.",
    ]
}

extension SecretProjection: SchemaDescribed {
    public static let schemaDescription =
        "SecretProjection puts the keys of a Secret into a projected volume."
    public static let fieldDescriptions: [String: String] = [
        "name": "The Secret's name, in the pod's namespace.",
        "items": "Which keys to project and to which paths. When omitted, every key becomes a file named after it; a listed key that is missing is an error unless optional is true.",
        "optional": "Whether the pod may start when the Secret or a listed key is missing. Defaults to false.",
    ]
}

extension ConfigMapProjection: SchemaDescribed {
    public static let schemaDescription =
        "ConfigMapProjection puts the keys of a ConfigMap into a projected volume."
    public static let fieldDescriptions: [String: String] = [
        "name": "The ConfigMap's name, in the pod's namespace.",
        "items": "Which keys to project and to which paths. When omitted, every key becomes a file named after it; a listed key that is missing is an error unless optional is true.",
        "optional": "Whether the pod may start when the ConfigMap or a listed key is missing. Defaults to false.",
    ]
}

extension DownwardAPIProjection: SchemaDescribed {
    public static let schemaDescription =
        "DownwardAPIProjection puts information about the pod into a projected volume."
    public static let fieldDescriptions: [String: String] = [
        "items": "The files to create and what each contains.",
    ]
}

extension ServiceAccountTokenProjection: SchemaDescribed {
    public static let schemaDescription =
        "ServiceAccountTokenProjection puts a token for the pod's service account into a projected volume; the kubelet refreshes it before it expires."
    public static let fieldDescriptions: [String: String] = [
        "audience": "Who the token is meant for; a recipient must reject a token not naming it. Defaults to the API server's own identifier.",
        "expirationSeconds": "How long the token stays valid, in seconds; the kubelet rotates it when 80% of that has passed or after 24 hours. At least 600; defaults to 3600.",
        "path": "The token file's path, relative to the volume's mount point.",
    ]
}

// MARK: - Pod status

extension PodStatus: SchemaDescribed {
    public static let schemaDescription =
        "PodStatus is the most recently observed state of a pod. It may trail the actual state."
    public static let fieldDescriptions: [String: String] = [
        "phase": "A coarse summary of where the pod is in its life: Pending, Running, Succeeded, Failed or Unknown.",
        "conditions": "The pod's current conditions, such as PodScheduled, Initialized, ContainersReady and Ready.",
        "message": "A human-readable explanation of why the pod is in its current condition.",
        "reason": "A short CamelCase reason for the pod's current state, such as Evicted.",
        "nominatedNodeName": "The node this pod preempted other pods on and expects to land on; it is not guaranteed to be scheduled there.",
        "hostIP": "The primary IP address of the node the pod is assigned to. Empty until the pod is assigned.",
        "hostIPs": "The IP addresses of the node the pod is assigned to, at most one per address family; the first equals hostIP.",
        "podIP": "The primary IP address given to the pod. Empty until one is allocated.",
        "podIPs": "The IP addresses given to the pod, at most one per address family; the first equals podIP.",
        "startTime": "When the kubelet accepted the pod, before any image was pulled. RFC 3339 format.",
        "initContainerStatuses": "The status of each init container, in the order they are declared.",
        "containerStatuses": "The status of each app container, in the order they are declared.",
        "qosClass": "The quality of service class derived from the containers' requests and limits: Guaranteed, Burstable or BestEffort.",
        "ephemeralContainerStatuses": "The status of each ephemeral container.",
        "resize": "The state of a pending in-place resource resize: Proposed, InProgress, Deferred or Infeasible. Empty when no resize is in progress.",
        "resourceClaimStatuses": "The names of the resource claims generated for the pod's resource claim entries.",
    ]
}

extension PodCondition: SchemaDescribed {
    public static let schemaDescription =
        "PodCondition is one aspect of a pod's state and whether it currently holds."
    public static let fieldDescriptions: [String: String] = [
        "type": "The kind of condition, such as PodScheduled, PodReadyToStartContainers, Initialized, ContainersReady, Ready or DisruptionTarget.",
        "status": "Whether the condition holds: True, False or Unknown.",
        "lastProbeTime": "When the condition was last checked.",
        "lastTransitionTime": "When the condition's status last changed.",
        "reason": "A short CamelCase reason for the last transition.",
        "message": "A human-readable account of the last transition.",
    ]
}

extension HostIP: SchemaDescribed {
    public static let schemaDescription =
        "HostIP is one IP address of the node a pod is assigned to."
    public static let fieldDescriptions: [String: String] = [
        "ip": "The IP address.",
    ]
}

extension PodIP: SchemaDescribed {
    public static let schemaDescription =
        "PodIP is one IP address given to a pod."
    public static let fieldDescriptions: [String: String] = [
        "ip": "The IP address.",
    ]
}

extension ContainerStatus: SchemaDescribed {
    public static let schemaDescription =
        "ContainerStatus is the observed state of one container in a pod."
    public static let fieldDescriptions: [String: String] = [
        "name": "The container's name, as in the pod spec.",
        "state": "What the container is doing now: waiting, running or terminated.",
        "lastState": "How the container's previous run ended, if it has been restarted. Empty otherwise.",
        "ready": "Whether the container passes its readiness probe; a container without one counts as ready once it is running.",
        "restartCount": "How many times the container has been restarted. The kubelet tries to keep the count, but it may reset when the pod's records are garbage collected.",
        "image": "The image the container is running. It may differ from the spec's image, for example after the runtime resolved a tag.",
        "imageID": "The ID of the image the container runs, usually an image digest.",
        "containerID": "The container's ID, written <runtime>://<id>.",
        "started": "Whether the container has finished starting: its startup probe passed, or it has none and is running. Reset to false when the container restarts.",
        "allocatedResources": "The resources the node has set aside for this container.",
        "resources": "The requests and limits actually applied to the running container, which may differ from the spec while a resize is in progress.",
        "volumeMounts": "The volume mounts as the runtime made them, with the read-only mode each got.",
        "user": "The user and groups the container's first process runs as, as the runtime reports them.",
        "allocatedResourcesStatus": "The health of the devices and other resources allocated to the container.",
    ]
}

extension ContainerState: SchemaDescribed {
    public static let schemaDescription =
        "ContainerState is what a container is doing. At most one field is set; none set means the container has not started yet (treated as waiting)."
    public static let fieldDescriptions: [String: String] = [
        "waiting": "Details when the container has not started running yet.",
        "running": "Details when the container is running.",
        "terminated": "Details when the container has exited.",
    ]
}

extension ContainerStateWaiting: SchemaDescribed {
    public static let schemaDescription =
        "ContainerStateWaiting describes a container that is not running yet."
    public static let fieldDescriptions: [String: String] = [
        "reason": "A short CamelCase reason the container is waiting, such as ContainerCreating, ImagePullBackOff or CrashLoopBackOff.",
        "message": "A human-readable explanation of why the container is waiting.",
    ]
}

extension ContainerStateRunning: SchemaDescribed {
    public static let schemaDescription =
        "ContainerStateRunning describes a running container."
    public static let fieldDescriptions: [String: String] = [
        "startedAt": "When the container last started running.",
    ]
}

extension ContainerStateTerminated: SchemaDescribed {
    public static let schemaDescription =
        "ContainerStateTerminated describes a container that has exited."
    public static let fieldDescriptions: [String: String] = [
        "exitCode": "The exit status of the container's last run.",
        "signal": "The signal that ended the container, if one did.",
        "reason": "A short CamelCase reason the container exited, such as Completed, Error or OOMKilled.",
        "message": "A human-readable explanation of how the container exited.",
        "startedAt": "When the container's last run started.",
        "finishedAt": "When the container's last run ended.",
        "containerID": "The ID of the exited container, written <runtime>://<id>.",
    ]
}

// MARK: - Object metadata

extension ObjectMeta: SchemaDescribed {
    public static let schemaDescription =
        "ObjectMeta is the metadata every persisted object carries: its name and namespace, labels and annotations, and fields the system maintains."
    public static let fieldDescriptions: [String: String] = [
        "name": "The object's name, unique within its namespace for its kind. Required when creating unless generateName is set, and cannot be changed afterwards.",
        "generateName": "A prefix from which the server builds a unique name by appending random characters, used only when name is empty. The server may report a conflict if the generated name is taken.",
        "namespace": "The namespace the object belongs to; names are unique within it. Empty means default for namespaced kinds; cluster-scoped kinds must leave it empty. Cannot be changed.",
        "selfLink": "Deprecated and no longer filled in by the server: a URL for this object.",
        "uid": "A unique identifier the server assigns when the object is created, never reused. Read-only.",
        "resourceVersion": "An opaque version string that changes whenever the object does. Clients use it for optimistic concurrency and to resume watches, and must not interpret it. Read-only.",
        "generation": "A counter of changes to the object's desired state, maintained by the system. Read-only.",
        "creationTimestamp": "When the server created the object, in RFC 3339 form in UTC. Set by the system and read-only.",
        "deletionTimestamp": "When the object will be deleted, set by the server once a graceful deletion is requested. Until then it stays visible; after it is set it cannot be unset. Read-only.",
        "deletionGracePeriodSeconds": "How many seconds the object is given to terminate gracefully before it is removed. Set only together with deletionTimestamp and may only shrink. Read-only.",
        "labels": "Key/value pairs used to organize and select objects, for example by Services and controllers.",
        "annotations": "Arbitrary, unindexed key/value metadata that tools and extensions can store on the object.",
        "ownerReferences": "The objects this one depends on. When every owner has been deleted, this object is garbage collected; at most one owner may be the managing controller.",
        "finalizers": "Names of actions that must finish before the object is removed from storage. Deletion waits until the list is empty; order is not meaningful.",
        "managedFields": "Bookkeeping for server-side apply: which manager owns which fields. Internal; users normally neither read nor write it.",
    ]
}

extension OwnerReference: SchemaDescribed {
    public static let schemaDescription =
        "OwnerReference identifies an object that owns this one. An owner must be in the same namespace as its dependent, or be cluster-scoped."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "The API version of the owner.",
        "kind": "The kind of the owner.",
        "name": "The name of the owner.",
        "uid": "The unique ID of the owner.",
        "controller": "Whether the owner is the managing controller of this object. At most one owner may be.",
        "blockOwnerDeletion": "When true and the owner uses foreground deletion, the owner is not deleted until this object is removed. Needs delete permission on the owner. Defaults to false.",
    ]
}

// MARK: - ConfigMap and Secret

extension ConfigMap: SchemaDescribed {
    public static let schemaDescription =
        "ConfigMap holds non-confidential configuration data as key/value pairs that pods can read as environment variables, command-line arguments or files."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "The versioned schema of this object; for a ConfigMap this is v1.",
        "kind": "The REST resource this object represents; for a ConfigMap this is ConfigMap.",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and the like.",
        "immutable": "When true, data and binaryData can no longer change; only metadata can. The flag itself cannot be unset, so changing the content means recreating the object. Defaults to false.",
        "data": "UTF-8 configuration values by key. Keys may contain letters, digits, '-', '_' and '.', and may not also appear in binaryData.",
        "binaryData": "Binary values by key, base64-encoded in JSON. Keys follow the same rules as data and may not also appear there.",
    ]
}

extension Secret: SchemaDescribed {
    public static let schemaDescription =
        "Secret holds a small amount of sensitive data, such as passwords, tokens or keys, for pods to use. Its values are bytes, base64-encoded in JSON."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "The versioned schema of this object; for a Secret this is v1.",
        "kind": "The REST resource this object represents; for a Secret this is Secret.",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and the like.",
        "immutable": "When true, data can no longer change; only metadata can. The flag itself cannot be unset, so changing the content means recreating the object. Defaults to false.",
        "data": "The secret values by key, base64-encoded in JSON. Keys may contain letters, digits, '-', '_' and '.'.",
        "stringData": "A write-only convenience for giving values as plain strings. They are merged into data on write, replacing entries with the same key, and are never returned when reading.",
        "type": "What kind of secret this is, which decides the keys it must have: Opaque, kubernetes.io/service-account-token, kubernetes.io/dockerconfigjson, kubernetes.io/basic-auth, kubernetes.io/ssh-auth, kubernetes.io/tls and others. Defaults to Opaque.",
    ]
}
