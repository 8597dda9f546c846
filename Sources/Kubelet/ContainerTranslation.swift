import ContainerRuntime
import Crypto
import Foundation
import KubeAPI
import LinuxSys

/// The labels by which the kubelet finds its containers again after a restart, as the
/// upstream kubelet labels CRI containers.
public enum PodLabels {
    public static let podName = "io.kubernetes.pod.name"
    public static let podNamespace = "io.kubernetes.pod.namespace"
    public static let podUID = "io.kubernetes.pod.uid"
    public static let containerName = "io.kubernetes.container.name"
    public static let attempt = "io.kubernetes.container.attempt"
    public static let hash = "io.kubernetes.container.hash"
    public static let isInit = "io.swiftlet.container.init"
}

/// Why a container could not be created from its spec (CreateContainerConfigError).
public struct ContainerConfigError: Error, CustomStringConvertible, Equatable {
    public let description: String
    /// What only the log gets (host paths the pod's status must not reveal).
    public let detail: String?
    public init(_ description: String, detail: String? = nil) {
        self.description = description
        self.detail = detail
    }
}

extension SandboxRecord {
    /// The pod's address: its sandbox's, or the node's for a pod on the host's network.
    func podIP(nodeIP: String) -> String? { ip ?? (spec.hostNetwork ? nodeIP : nil) }
}

/// What a pod's containers need from outside the pod spec.
public struct PodContext: Sendable {
    public var sandbox: SandboxRecord
    public var configMaps: [ConfigMap]
    public var secrets: [Secret]
    /// Cgroup (relative) of the pod, under its QoS class.
    public var cgroup: String
    /// `/var/log/pods/<ns>_<name>_<uid>`.
    public var logDirectory: String
    /// Volume name → host directory or file, prepared by `PodVolumes`.
    public var volumes: [String: String]
    /// The node's address (status.hostIP).
    public var hostIP: String
    /// Where `Localhost` seccomp profiles are (upstream: `<kubelet root>/seccomp`).
    public var seccompProfileRoot = "/var/lib/swiftlet/kubelet/seccomp"

    public var podIP: String? { sandbox.podIP(nodeIP: hostIP) }

    public init(sandbox: SandboxRecord, configMaps: [ConfigMap], secrets: [Secret], cgroup: String,
                logDirectory: String, volumes: [String: String], hostIP: String) {
        self.hostIP = hostIP
        self.sandbox = sandbox
        self.configMaps = configMaps
        self.secrets = secrets
        self.cgroup = cgroup
        self.logDirectory = logDirectory
        self.volumes = volumes
    }
}

/// Pod spec → the runtime's CRI-shaped container spec. Pure: everything it needs is in
/// the pod and its context.
public enum ContainerTranslation {
    /// `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>`, as dockershim named them; the
    /// runtime claims names atomically, so one attempt can never start twice.
    public static func runtimeName(pod: Pod, container: String, attempt: Int) -> String {
        let name = String((pod.metadata.name ?? "").prefix(100))
        return "k8s_\(container)_\(name)_\(pod.metadata.namespace ?? "default")_\(pod.metadata.uid ?? "")_\(attempt)"
    }

    /// A hash of the container's spec: a change means the container must be recreated.
    public static func hash(_ container: Container) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(container)) ?? Data()
        return SHA256.hash(data: data).prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    /// A CPU request as cgroup v2's cpu.weight, as upstream computes it: millicores to
    /// cgroup v1 shares (1024 per core, 2 at least), then runc's shares-to-weight map.
    public static func cpuWeight(milliCPU: Int64) -> Int {
        let shares = min(max(milliCPU * 1024 / 1000, 2), 262_144)
        return Int(1 + ((shares - 2) * 9999) / 262_142)
    }

    /// The pod cgroup's limits, as upstream's kubelet sets them: cpu.weight from the pod's
    /// CPU request (the larger of its app containers' and sidecars' sum and any init
    /// container's), memory.max and cpu.max from the sums of the limits when every
    /// container declares one.
    public static func podLimits(_ pod: Pod) -> CgroupLimits {
        let inits = (pod.spec.initContainers ?? []).filter { !$0.isSidecar }
        let running = (pod.spec.initContainers ?? []).filter(\.isSidecar) + pod.spec.containers
        func request(_ c: Container) -> Int64 { c.resources?.requests?["cpu"]?.milliValue ?? 0 }
        let cpuRequest = max(running.map(request).reduce(0, +), inits.map(request).max() ?? 0)
        var limits = CgroupLimits(cpuWeight: cpuWeight(milliCPU: cpuRequest))
        func limit(_ c: Container, _ resource: String) -> Int64? {
            guard let quantity = c.resources?.limits?[resource], !quantity.isZero else { return nil }
            return resource == "cpu" ? quantity.milliValue : quantity.value
        }
        let all = running + inits
        let memory = all.map { limit($0, "memory") }
        if !memory.isEmpty, memory.allSatisfy({ $0 != nil }) {
            let sum = running.compactMap { limit($0, "memory") }.reduce(0, +)
            limits.memoryMax = max(sum, inits.compactMap { limit($0, "memory") }.max() ?? 0)
        }
        let cpu = all.map { limit($0, "cpu") }
        if !cpu.isEmpty, cpu.allSatisfy({ $0 != nil }) {
            let milli = max(running.compactMap { limit($0, "cpu") }.reduce(0, +), inits.compactMap { limit($0, "cpu") }.max() ?? 0)
            limits.cpuMax = (quota: milli * 100, period: 100_000)
        }
        return limits
    }

    /// `<parent>/kubepods[/burstable|/besteffort]/pod<uid>`, as the systemd-less kubelet lays it out.
    public static func podCgroup(_ pod: Pod, parent: String) -> String {
        let qos = pod.qosClass
        let tier = qos == .guaranteed ? "" : "/\(qos.rawValue.lowercased())"
        return "\(parent)/kubepods\(tier)/pod\(pod.metadata.uid ?? "")"
    }

    /// `imageUser` is the image's configured user (`""`: none, root), for runAsNonRoot;
    /// nil when the image is not known yet.
    public static func spec(pod: Pod, container: Container, isInit: Bool, attempt: Int, context: PodContext,
                            imageUser: String? = nil) throws -> ContainerSpec {
        let podName = pod.metadata.name ?? ""
        var spec = ContainerSpec(image: container.image ?? "")
        spec.name = runtimeName(pod: pod, container: container.name, attempt: attempt)
        let env = try environment(pod: pod, container: container, context: context)
        spec.env = env.map { "\($0.0)=\($0.1)" }
        let lookup = Dictionary(env, uniquingKeysWith: { _, last in last })
        spec.entrypoint = container.command.map { $0.map { expand($0, lookup) } }
        spec.command = (container.args ?? []).map { expand($0, lookup) }
        spec.workingDir = container.workingDir
        spec.tty = container.tty ?? false
        spec.stdin = false

        let podSecurity = pod.spec.securityContext
        let security = container.securityContext
        let uid = security?.runAsUser ?? podSecurity?.runAsUser
        let gid = security?.runAsGroup ?? podSecurity?.runAsGroup
        if let uid { spec.user = gid.map { "\(uid):\($0)" } ?? "\(uid)" }
        if (security?.runAsNonRoot ?? podSecurity?.runAsNonRoot) == true {
            let subject = "(pod: \"\(podName)_\(pod.metadata.namespace ?? "")(\(pod.metadata.uid ?? ""))\", container: \(container.name))"
            let imageUID = imageUser.map { String($0.prefix { $0 != ":" }) }
            if let uid {
                if uid == 0 { throw ContainerConfigError("container's runAsUser breaks non-root policy \(subject)") }
            } else if let imageUID, imageUID.isEmpty || UInt32(imageUID) == 0 {
                throw ContainerConfigError("container has runAsNonRoot and image will run as root \(subject)")
            } else if let imageUID, UInt32(imageUID) == nil {
                throw ContainerConfigError("container has runAsNonRoot and image has non-numeric user (\(imageUID)), cannot verify user is non-root \(subject)")
            }
        }
        // fsGroup joins the supplementary groups, as upstream, so the volumes it owns are usable.
        let groups = (podSecurity?.supplementalGroups ?? []) + (podSecurity?.fsGroup.map { [$0] } ?? [])
        if !groups.isEmpty { spec.supplementalGroups = groups.map { UInt32(truncatingIfNeeded: $0) } }
        spec.privileged = security?.privileged ?? false
        spec.readOnlyRootfs = security?.readOnlyRootFilesystem ?? false
        spec.allowPrivilegeEscalation = security?.allowPrivilegeEscalation
        spec.capAdd = security?.capabilities?.add ?? []
        spec.capDrop = security?.capabilities?.drop ?? []
        let seccomp = security?.seccompProfile ?? podSecurity?.seccompProfile
        if seccomp?.type == .unconfined {
            spec.seccomp = .unconfined
        } else if seccomp?.type == .localhost {
            spec.seccomp = .localhost
            spec.seccompProfilePath = "\(context.seccompProfileRoot)/\(seccomp?.localhostProfile ?? "")"
        } else {
            spec.seccomp = .runtimeDefault
        }

        if let memory = container.resources?.limits?["memory"], !memory.isZero { spec.memoryLimitBytes = memory.value }
        if let cpu = container.resources?.limits?["cpu"], !cpu.isZero { spec.cpus = Double(cpu.milliValue) / 1000 }
        spec.cpuWeight = cpuWeight(milliCPU: container.resources?.requests?["cpu"]?.milliValue ?? 0)
        spec.stopGraceSeconds = Int(pod.spec.terminationGracePeriodSeconds ?? 30)

        spec.labels = [
            PodLabels.podName: podName, PodLabels.podNamespace: pod.metadata.namespace ?? "default",
            PodLabels.podUID: pod.metadata.uid ?? "", PodLabels.containerName: container.name,
            PodLabels.attempt: String(attempt), PodLabels.hash: hash(container), PodLabels.isInit: isInit ? "true" : "false",
        ]
        if let preStop = container.lifecycle?.preStop { spec.labels?[LifecycleHooks.preStopLabel] = LifecycleHooks.encode(preStop) }
        spec.sandbox = context.sandbox.ref
        spec.network = pod.spec.hostNetwork == true ? .host : .none
        if pod.spec.hostPID == true { spec.hostPID = true }
        spec.cgroupParent = context.cgroup
        spec.logPath = "\(context.logDirectory)/\(container.name)/\(attempt).log"
        spec.mounts = try (container.volumeMounts ?? []).map { mount in
            guard let source = context.volumes[mount.name] else {
                throw ContainerConfigError("cannot find volume \"\(mount.name)\" to mount into container \"\(container.name)\"")
            }
            let subPath = try SubPath.of(mount, environment: lookup)
            if let subPath { try SubPath.prepare(subPath, volume: source, mount: mount.name, container: container.name) }
            // Content volumes are the kubelet's to write, always read-only in a container (as
            // upstream): a container must not plant symlinks where the kubelet writes.
            let volume = pod.spec.volumes?.first { $0.name == mount.name }
            let content = volume.map { $0.configMap != nil || $0.secret != nil || $0.downwardAPI != nil } ?? false
            return BindMount(source: source, destination: mount.mountPath, readOnly: content || (mount.readOnly ?? false), subPath: subPath)
        }
        return spec
    }

    /// The container's environment in upstream order: envFrom sources, then env (later
    /// names replace earlier ones in place). `$(VAR)` in values refers to earlier entries.
    static func environment(pod: Pod, container: Container, context: PodContext) throws -> [(String, String)] {
        var out: [(String, String)] = []
        func set(_ name: String, _ value: String) {
            if let i = out.firstIndex(where: { $0.0 == name }) { out[i].1 = value } else { out.append((name, value)) }
        }
        for source in container.envFrom ?? [] {
            let prefix = source.prefix ?? ""
            if let ref = source.configMapRef {
                guard let map = context.configMaps.first(where: { $0.metadata.name == ref.name }) else {
                    if ref.optional == true { continue }
                    throw ContainerConfigError("configmap \"\(ref.name ?? "")\" not found")
                }
                for (key, value) in (map.data ?? [:]).sorted(by: { $0.key < $1.key }) { set(prefix + key, value) }
            }
            if let ref = source.secretRef {
                guard let secret = context.secrets.first(where: { $0.metadata.name == ref.name }) else {
                    if ref.optional == true { continue }
                    throw ContainerConfigError("secret \"\(ref.name ?? "")\" not found")
                }
                for (key, value) in (secret.data ?? [:]).sorted(by: { $0.key < $1.key }) {
                    set(prefix + key, String(decoding: value, as: UTF8.self))
                }
            }
        }
        for variable in container.env ?? [] {
            if let source = variable.valueFrom {
                guard let value = try resolve(source, pod: pod, context: context) else { continue }
                set(variable.name, value)
            } else {
                let lookup = Dictionary(out, uniquingKeysWith: { _, last in last })
                set(variable.name, expand(variable.value ?? "", lookup))
            }
        }
        return out
    }

    static func resolve(_ source: EnvVarSource, pod: Pod, context: PodContext) throws -> String? {
        if let field = source.fieldRef {
            return try fieldValue(field.fieldPath, pod: pod, podIP: context.podIP, hostIP: context.hostIP)
        }
        if let ref = source.configMapKeyRef {
            guard let map = context.configMaps.first(where: { $0.metadata.name == ref.name }) else {
                if ref.optional == true { return nil }
                throw ContainerConfigError("configmap \"\(ref.name ?? "")\" not found")
            }
            guard let value = map.data?[ref.key] else {
                if ref.optional == true { return nil }
                throw ContainerConfigError("couldn't find key \(ref.key) in ConfigMap \(pod.metadata.namespace ?? "default")/\(ref.name ?? "")")
            }
            return value
        }
        if let ref = source.secretKeyRef {
            guard let secret = context.secrets.first(where: { $0.metadata.name == ref.name }) else {
                if ref.optional == true { return nil }
                throw ContainerConfigError("secret \"\(ref.name ?? "")\" not found")
            }
            guard let value = secret.data?[ref.key] else {
                if ref.optional == true { return nil }
                throw ContainerConfigError("couldn't find key \(ref.key) in Secret \(pod.metadata.namespace ?? "default")/\(ref.name ?? "")")
            }
            return String(decoding: value, as: UTF8.self)
        }
        if source.resourceFieldRef != nil {
            throw ContainerConfigError("env resourceFieldRef is not supported yet")
        }
        return nil
    }

    /// The downward API's fields (fieldRef).
    public static func fieldValue(_ path: String, pod: Pod, podIP: String?, hostIP: String) throws -> String {
        switch path {
        case "metadata.name": return pod.metadata.name ?? ""
        case "metadata.namespace": return pod.metadata.namespace ?? "default"
        case "metadata.uid": return pod.metadata.uid ?? ""
        case "spec.nodeName": return pod.spec.nodeName ?? ""
        case "spec.serviceAccountName": return pod.spec.serviceAccountName ?? ""
        case "status.podIP", "status.podIPs": return podIP ?? ""
        case "status.hostIP", "status.hostIPs": return hostIP
        case "metadata.labels": return formatMap(pod.metadata.labels ?? [:])
        case "metadata.annotations": return formatMap(pod.metadata.annotations ?? [:])
        default:
            for (prefix, map) in [("metadata.labels['", pod.metadata.labels), ("metadata.annotations['", pod.metadata.annotations)]
            where path.hasPrefix(prefix) && path.hasSuffix("']") {
                let key = String(path.dropFirst(prefix.count).dropLast(2))
                return map?[key] ?? ""
            }
            throw ContainerConfigError("unsupported fieldPath: \(path)")
        }
    }

    /// `key="value"` lines sorted by key, values quoted as Go's %q, as the downward API writes maps.
    static func formatMap(_ map: [String: String]) -> String {
        map.sorted { $0.key < $1.key }.map { "\($0.key)=\(goQuote($0.value))" }.joined(separator: "\n")
    }

    /// Kubernetes' `$(VAR)` expansion: `$$` is a literal `$`, an unknown `$(NAME)` stays as it is.
    public static func expand(_ input: String, _ env: [String: String]) -> String {
        expand(input) { env[$0] }
    }

    /// `expand` with values from `lookup` (nil: the reference stays as written).
    static func expand(_ input: String, lookup: (String) -> String?) -> String {
        var out = ""
        var i = input.startIndex
        while i < input.endIndex {
            let c = input[i]
            let next = input.index(after: i)
            guard c == "$", next < input.endIndex else { out.append(c); i = next; continue }
            if input[next] == "$" {
                out.append("$")
                i = input.index(after: next)
            } else if input[next] == "(", let close = input[next...].firstIndex(of: ")") {
                let name = String(input[input.index(after: next)..<close])
                out += lookup(name) ?? "$(\(name))"
                i = input.index(after: close)
            } else {
                out.append(c)
                i = next
            }
        }
        return out
    }
}
