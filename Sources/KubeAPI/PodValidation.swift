// Create-time validation of a Pod with upstream's field paths and messages
// (pkg/apis/core/validation/validation.go, ValidatePodCreate and what it calls, v1.32).
// Checks run in upstream's order so the error list reads the same. Where upstream's path
// has a quirk (a missing index, a misspelled field name) the quirk is kept: clients and
// people compare these strings.

public struct PodValidationOptions: Hashable, Sendable {
    /// Upstream's RelaxedEnvironmentVariableValidation gate, beta and on in v1.32: env var
    /// names may be any printable ASCII but `=`.
    public var relaxedEnvironmentVariableNames = true
    /// The API server's `--allow-privileged`; Swiftlet, like k3s, allows privileged pods.
    public var allowPrivileged = true
    /// Upstream's PodLifecycleSleepActionAllowZero gate, alpha and off in v1.32.
    public var allowZeroSleepAction = false
    /// Allow net/IPC sysctls in pods sharing the host's network/IPC namespace (kept for
    /// objects that already have them; off for new pods).
    public var allowNamespacedSysctlsForHostNetAndHostIPC = false

    public init() {}
}

extension Pod {
    /// Upstream's `ValidatePodCreate`: the errors a new pod (after `setDefaults()`) has.
    public func validateCreate(options: PodValidationOptions = PodValidationOptions()) -> FieldErrorList {
        PodValidation.validateCreate(self, options: options)
    }
}

public enum PodValidation {
    static let isNegativeMessage = "must be greater than or equal to 0"
    static let fileModeMessage = "must be a number between 0 and 0777 (octal), both inclusive"
    static let mirrorPodAnnotation = "kubernetes.io/config.mirror"
    static let deletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"

    public static func validateCreate(_ pod: Pod, options: PodValidationOptions = PodValidationOptions()) -> FieldErrorList {
        let specPath = FieldPath("spec")
        var errors = validateMetadataAndSpec(pod, options: options)
        if let ephemeral = pod.spec.ephemeralContainers, !ephemeral.isEmpty {
            errors.append(.forbidden(specPath.child("ephemeralContainers"), "cannot be set on create"))
        }
        if !(pod.spec.nodeName ?? "").isEmpty, !(pod.spec.schedulingGates ?? []).isEmpty {
            errors.append(.forbidden(specPath.child("nodeName"), "cannot be set until all schedulingGates have been cleared"))
        }
        return FieldErrorList(errors)
    }

    /// Upstream's warnings for a valid pod: accepted, but likely not what was meant.
    public static func warnings(_ pod: Pod) -> [String] {
        var warnings: [String] = []
        if let grace = pod.spec.terminationGracePeriodSeconds, grace < 0 {
            warnings.append("spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1")
        }
        return warnings
    }

    static func validateMetadataAndSpec(_ pod: Pod, options: PodValidationOptions) -> [FieldError] {
        let metaPath = FieldPath("metadata")
        let specPath = FieldPath("spec")
        var errors = ObjectMetaValidation.validate(pod.metadata, requiresNamespace: true,
                                                   nameValidator: NameValidation.nameIsDNSSubdomain, path: metaPath)
        errors += validatePodAnnotations(pod.metadata.annotations ?? [:], spec: pod.spec, path: metaPath.child("annotations"))
        errors += validateSpec(pod.spec, path: specPath, options: options)
        // A pod without a service account gets no token to project.
        if (pod.spec.serviceAccountName ?? "").isEmpty {
            for (volumeIndex, volume) in (pod.spec.volumes ?? []).enumerated() {
                guard let projected = volume.projected else { continue }
                for (sourceIndex, source) in projected.sources.enumerated() where source.serviceAccountToken != nil {
                    errors.append(.forbidden(
                        specPath.child("volumes").index(volumeIndex).child("projected", "sources").index(sourceIndex)
                            .child("serviceAccountToken"),
                        "must not be specified when serviceAccountName is not set"))
                }
            }
        }
        for (name, containers) in [("containers", pod.spec.containers), ("initContainers", pod.spec.initContainers ?? [])] {
            for (index, container) in containers.enumerated() {
                let image = container.image ?? ""
                if image != image.trimmingGoSpace() {
                    errors.append(.invalid(specPath.child(name).index(index).child("image"), image,
                                           "must not have leading or trailing whitespace"))
                }
            }
        }
        return errors
    }

    static func validatePodAnnotations(_ annotations: [String: String], spec: PodSpec, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if let value = annotations[mirrorPodAnnotation], (spec.nodeName ?? "").isEmpty {
            errors.append(.invalid(path.key(mirrorPodAnnotation), value, "must set spec.nodeName if mirror pod annotation is set"))
        }
        if let cost = annotations[deletionCostAnnotation], Int32(cost) == nil {
            errors.append(.invalid(path.key(deletionCostAnnotation), cost, "must be a 32bit integer"))
        }
        return errors
    }

    // MARK: - Spec

    /// Upstream's `ValidatePodSpec`, for the parts Swiftlet interprets.
    public static func validateSpec(_ spec: PodSpec, path: FieldPath,
                                    options: PodValidationOptions = PodValidationOptions()) -> [FieldError] {
        var errors: [FieldError] = []
        if spec.terminationGracePeriodSeconds == nil {
            errors.append(.required(path.child("terminationGracePeriodSeconds")))
        }
        let hostUsers = spec.hostUsers ?? true
        let (volumes, volumeErrors) = validateVolumes(spec.volumes ?? [], path: path.child("volumes"))
        errors += volumeErrors
        let context = ContainerContext(
            volumes: volumes, claimNames: podClaimNames(spec.resourceClaims ?? []),
            gracePeriod: spec.terminationGracePeriodSeconds, options: options, hostUsers: hostUsers)
        errors += validateContainers(spec.containers, path: path.child("containers"), context: context)
        errors += validateInitContainers(spec.initContainers ?? [], regular: spec.containers,
                                         path: path.child("initContainers"), context: context)
        errors += validateHostNetworkPorts(spec, path: path)
        errors += validateRestartPolicy(spec.restartPolicy ?? "", path: path.child("restartPolicy"))
        errors += validateDNSPolicy(spec.dnsPolicy ?? "", path: path.child("dnsPolicy"))
        errors += ObjectMetaValidation.validateLabels(spec.nodeSelector ?? [:], path: path.child("nodeSelector"))
        errors += validatePodSecurityContext(spec, path: path.child("securityContext"), options: options)
        errors += validateDNSConfig(spec.dnsConfig, policy: spec.dnsPolicy ?? "", path: path.child("dnsConfig"))
        for (index, gate) in (spec.readinessGates ?? []).enumerated() {
            let gatePath = path.child("readinessGates").index(index).child("conditionType")
            errors += NameValidation.isQualifiedName(gate.conditionType.rawValue).map {
                FieldError.invalid(gatePath, gate.conditionType.rawValue, $0)
            }
        }
        var gates = Set<String>()
        for (index, gate) in (spec.schedulingGates ?? []).enumerated() {
            let gatePath = path.child("schedulingGates").index(index)
            errors += NameValidation.isQualifiedName(gate.name).map { FieldError.invalid(gatePath, gate.name, $0) }
            if !gates.insert(gate.name).inserted { errors.append(.duplicate(gatePath, .string(gate.name))) }
        }
        if !hostUsers {
            // User namespaces do not mix with the host's other namespaces.
            if spec.hostNetwork == true {
                errors.append(.forbidden(path.child("hostNetwork"), "when `pod.Spec.HostUsers` is false"))
            }
            if spec.hostPID == true { errors.append(.forbidden(path.child("HostPID"), "when `pod.Spec.HostUsers` is false")) }
            if spec.hostIPC == true { errors.append(.forbidden(path.child("HostIPC"), "when `pod.Spec.HostUsers` is false")) }
        }
        for (field, value) in [("serviceAccountName", spec.serviceAccountName), ("nodeName", spec.nodeName)] {
            guard let value, !value.isEmpty else { continue }
            errors += NameValidation.isDNS1123Subdomain(value).map { FieldError.invalid(path.child(field), value, $0) }
        }
        if let deadline = spec.activeDeadlineSeconds, deadline < 1 || deadline > Int64(Int32.max) {
            errors.append(.invalid(path.child("activeDeadlineSeconds"), deadline,
                                   NameValidation.inclusiveRangeError(1, Int64(Int32.max))))
        }
        for (field, value) in [("hostname", spec.hostname), ("subdomain", spec.subdomain)] {
            guard let value, !value.isEmpty else { continue }
            errors += NameValidation.isDNS1123Label(value).map { FieldError.invalid(path.child(field), value, $0) }
        }
        errors += validateTolerations(spec.tolerations ?? [], path: path.child("tolerations"))
        for (index, alias) in (spec.hostAliases ?? []).enumerated() {
            let aliasPath = path.child("hostAliases").index(index)
            if !isValidIP(alias.ip) {
                errors.append(.invalid(aliasPath.child("ip"), alias.ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"))
            }
            for (hostIndex, hostname) in (alias.hostnames ?? []).enumerated() {
                errors += NameValidation.isDNS1123Subdomain(hostname).map {
                    FieldError.invalid(aliasPath.child("hostnames").index(hostIndex), hostname, $0)
                }
            }
        }
        for (field, value) in [("priorityClassName", spec.priorityClassName), ("runtimeClassName", spec.runtimeClassName)] {
            guard let value, field == "runtimeClassName" || !value.isEmpty else { continue }
            errors += NameValidation.isDNS1123Subdomain(value).map { FieldError.invalid(path.child(field), value, $0) }
        }
        if let policy = spec.preemptionPolicy {
            switch policy {
            case "PreemptLowerPriority", "Never": break
            case "": errors.append(.required(path.child("preemptionPolicy")))
            default:
                errors.append(.notSupported(path.child("preemptionPolicy"), policy, supported: ["PreemptLowerPriority", "Never"]))
            }
        }
        if let overhead = spec.overhead {
            errors += validateResources(ResourceRequirements(limits: overhead), path: path.child("overhead"), claimNames: [])
        }
        if let os = spec.os {
            errors += validateOS(os, spec: spec, path: path)
        }
        return errors
    }

    static func validateRestartPolicy(_ policy: RestartPolicy, path: FieldPath) -> [FieldError] {
        switch policy {
        case .always, .onFailure, .never: return []
        case "": return [.required(path)]
        default: return [.notSupported(path, policy.rawValue, supported: ["Always", "OnFailure", "Never"])]
        }
    }

    static func validateDNSPolicy(_ policy: DNSPolicy, path: FieldPath) -> [FieldError] {
        switch policy {
        case .clusterFirstWithHostNet, .clusterFirst, .default, .none: return []
        case "": return [.required(path)]
        default:
            return [.notSupported(path, policy.rawValue, supported: ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"])]
        }
    }

    /// With the host's network a container port is a host port, so the two must agree.
    static func validateHostNetworkPorts(_ spec: PodSpec, path: FieldPath) -> [FieldError] {
        guard spec.hostNetwork == true else { return [] }
        var errors: [FieldError] = []
        for (containerIndex, container) in spec.containers.enumerated() {
            for (portIndex, port) in (container.ports ?? []).enumerated() where (port.hostPort ?? 0) != port.containerPort {
                errors.append(.invalid(
                    path.child("containers").index(containerIndex).child("ports").index(portIndex).child("hostPort"),
                    port.hostPort ?? 0, "must match `containerPort` when `hostNetwork` is true"))
            }
        }
        return errors
    }

    static func validateDNSConfig(_ config: PodDNSConfig?, policy: DNSPolicy, path: FieldPath) -> [FieldError] {
        if policy == .none {
            guard let config else { return [.required(path, "must provide `dnsConfig` when `dnsPolicy` is None")] }
            if (config.nameservers ?? []).isEmpty {
                return [.required(path.child("nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None")]
            }
        }
        guard let config else { return [] }
        var errors: [FieldError] = []
        let nameservers = config.nameservers ?? []
        if nameservers.count > 3 {
            errors.append(.invalid(path.child("nameservers"), .literal(goStringSlice(nameservers)), "must not have more than 3 nameservers"))
        }
        for (index, server) in nameservers.enumerated() where !isValidIP(server) {
            errors.append(.invalid(path.child("nameservers").index(index), server,
                                   "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"))
        }
        let searches = config.searches ?? []
        if searches.count > 32 {
            errors.append(.invalid(path.child("searches"), .literal(goStringSlice(searches)), "must not have more than 32 search paths"))
        }
        if searches.joined(separator: " ").utf8.count > 2048 {
            errors.append(.invalid(path.child("searches"), .literal(goStringSlice(searches)),
                                   "must not have more than 2048 characters (including spaces) in the search list"))
        }
        for (index, search) in searches.enumerated() {
            let trimmed = search.hasSuffix(".") ? String(search.dropLast()) : search
            errors += NameValidation.isDNS1123Subdomain(trimmed).map {
                FieldError.invalid(path.child("searches").index(index), trimmed, $0)
            }
        }
        for (index, option) in (config.options ?? []).enumerated() where (option.name ?? "").isEmpty {
            errors.append(.required(path.child("options").index(index), "must not be empty"))
        }
        return errors
    }

    static func validateTolerations(_ tolerations: [Toleration], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, toleration) in tolerations.enumerated() {
            let itemPath = path.index(index)
            let key = toleration.key ?? ""
            let op = toleration.operator ?? ""
            let effect = toleration.effect ?? ""
            let value = toleration.value ?? ""
            if !key.isEmpty {
                errors += NameValidation.isQualifiedName(key).map { FieldError.invalid(itemPath.child("key"), key, $0) }
            }
            if key.isEmpty, op != .exists {
                errors.append(.invalid(itemPath.child("operator"), op.rawValue,
                                       "operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
            }
            if toleration.tolerationSeconds != nil, effect != .noExecute {
                errors.append(.invalid(itemPath.child("effect"), effect.rawValue, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
            }
            switch op {
            case .equal, "":
                let messages = NameValidation.isValidLabelValue(value)
                if !messages.isEmpty {
                    errors.append(.invalid(itemPath.child("operator"), value, messages.joined(separator: ";")))
                }
            case .exists:
                if !value.isEmpty {
                    errors.append(.invalid(itemPath.child("operator"), value, "value must be empty when `operator` is 'Exists'"))
                }
            default:
                errors.append(.notSupported(itemPath.child("operator"), op.rawValue, supported: ["Equal", "Exists"]))
            }
            switch effect {
            case "", .noSchedule, .preferNoSchedule, .noExecute: break
            default:
                errors.append(.notSupported(itemPath.child("effect"), effect.rawValue,
                                            supported: ["NoSchedule", "PreferNoSchedule", "NoExecute"]))
            }
        }
        return errors
    }

    static func validateOS(_ os: PodOS, spec: PodSpec, path: FieldPath) -> [FieldError] {
        let osPath = path.child("os")
        if os.name.isEmpty { return [.required(osPath.child("name"), "cannot be empty")] }
        guard os.name == "linux" || os.name == "windows" else {
            return [.notSupported(osPath, os.name, supported: ["linux", "windows"])]
        }
        var errors: [FieldError] = []
        if os.name == "linux" {
            if spec.securityContext?.windowsOptions != nil {
                errors.append(.forbidden(path.child("securityContext", "windowsOptions"), "windows options cannot be set for a linux pod"))
            }
            visitContainers(spec, path: path) { container, containerPath in
                if container.securityContext?.windowsOptions != nil {
                    errors.append(.forbidden(containerPath.child("securityContext", "windowsOptions"),
                                             "windows options cannot be set for a linux pod"))
                }
            }
        } else {
            // Swiftlet runs Linux pods only; upstream's windows rules are left to a Windows node.
            if spec.hostPID == true { errors.append(.forbidden(path.child("hostPID"), "cannot be set for a windows pod")) }
            if spec.hostIPC == true { errors.append(.forbidden(path.child("hostIPC"), "cannot be set for a windows pod")) }
        }
        return errors
    }

    static func visitContainers(_ spec: PodSpec, path: FieldPath, _ body: (Container, FieldPath) -> Void) {
        for (index, container) in (spec.initContainers ?? []).enumerated() {
            body(container, path.child("initContainers").index(index))
        }
        for (index, container) in spec.containers.enumerated() {
            body(container, path.child("containers").index(index))
        }
    }

    /// Names of `spec.resourceClaims`, which container `resources.claims` refer to.
    static func podClaimNames(_ claims: [JSONValue]) -> Set<String> {
        var names = Set<String>()
        for claim in claims {
            if case .object(let fields) = claim, case .string(let name)? = fields["name"], !name.isEmpty {
                names.insert(name)
            }
        }
        return names
    }
}

extension String {
    /// Trims what Go's `strings.TrimSpace` trims (ASCII and Unicode white space).
    func trimmingGoSpace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[start...end])
    }
}

/// An IP address as Go's `net.ParseIP` accepts one (leading zeros allowed in IPv4, as the
/// "sloppy" parser upstream uses allows them).
func isValidIP(_ text: String) -> Bool {
    isIPv4(Substring(text)) || isIPv6(text)
}

private func isIPv4(_ text: Substring) -> Bool {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4 && parts.allSatisfy { part in
        !part.isEmpty && part.count <= 3 && part.utf8.allSatisfy(isDigit) && (Int(part) ?? 256) <= 255
    }
}

private func isIPv6(_ text: String) -> Bool {
    guard text.contains(":") else { return false }
    let halves = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
    guard halves.count <= 2 else { return false }
    func groups(_ part: String) -> [Substring]? {
        part.isEmpty ? [] : part.split(separator: ":", omittingEmptySubsequences: false)
    }
    guard var all = groups(halves[0]) else { return false }
    if halves.count == 2 { all += groups(halves[1]) ?? [] }
    var count = 0
    for (index, group) in all.enumerated() {
        if index == all.count - 1, group.contains(".") {
            guard isIPv4(group) else { return false }
            count += 2
        } else {
            guard (1...4).contains(group.count), group.allSatisfy(\.isHexDigit) else { return false }
            count += 1
        }
    }
    return halves.count == 2 ? count < 8 : count == 8
}
