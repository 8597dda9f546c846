// Validation of app and init containers (upstream's validateContainers,
// validateInitContainers, validateContainerCommon and what they call).

let zeroQuantity: Quantity = "0"

/// What every container's validation needs to know about its pod.
struct ContainerContext {
    var volumes: [String: Volume]
    var claimNames: Set<String>
    var gracePeriod: Int64?
    var options: PodValidationOptions
    var hostUsers: Bool
}

extension PodValidation {
    static func validateContainers(_ containers: [Container], path: FieldPath, context: ContainerContext) -> [FieldError] {
        if containers.isEmpty { return [.required(path)] }
        var errors: [FieldError] = []
        var names = Set<String>()
        for (index, container) in containers.enumerated() {
            let containerPath = path.index(index)
            errors += validateContainerCommon(container, path: containerPath, context: context)
            // Clashes with init container names are reported on the init container.
            if !names.insert(container.name).inserted {
                errors.append(.duplicate(containerPath.child("name"), .string(container.name)))
            }
            errors += validateProbesAndLifecycle(container, path: containerPath, context: context)
            if container.restartPolicy != nil {
                errors.append(.forbidden(containerPath.child("restartPolicy"), "may not be set for non-init containers"))
            }
        }
        // App containers run together, so their host ports must not collide.
        var hostPorts = Set<String>()
        errors += accumulateHostPorts(containers, path: path, into: &hostPorts)
        return errors
    }

    static func validateInitContainers(_ containers: [Container], regular: [Container], path: FieldPath,
                                       context: ContainerContext) -> [FieldError] {
        var errors: [FieldError] = []
        var names = Set(regular.map(\.name))
        for (index, container) in containers.enumerated() {
            let containerPath = path.index(index)
            errors += validateContainerCommon(container, path: containerPath, context: context)
            var sidecar = false
            if let policy = container.restartPolicy {
                if policy != .always {
                    errors.append(.notSupported(containerPath.child("restartPolicy"), policy.rawValue, supported: ["Always"]))
                }
                sidecar = policy == .always
            }
            if names.contains(container.name) {
                errors.append(.duplicate(containerPath.child("name"), .string(container.name)))
            } else if !container.name.isEmpty {
                names.insert(container.name)
            }
            // Init containers run one at a time, so only ports within one can collide. Upstream
            // checks each as a list of one, which is why the path always says [0].
            var hostPorts = Set<String>()
            errors += accumulateHostPorts([container], path: path, into: &hostPorts)
            if sidecar {
                errors += validateProbesAndLifecycle(container, path: containerPath, context: context)
            } else {
                let message = "may not be set for init containers without restartPolicy=Always"
                if container.lifecycle != nil { errors.append(.forbidden(containerPath.child("lifecycle"), message)) }
                if container.livenessProbe != nil { errors.append(.forbidden(containerPath.child("livenessProbe"), message)) }
                if container.readinessProbe != nil { errors.append(.forbidden(containerPath.child("readinessProbe"), message)) }
                if container.startupProbe != nil { errors.append(.forbidden(containerPath.child("startupProbe"), message)) }
            }
            if let resize = container.resizePolicy, !resize.isEmpty {
                errors.append(.invalid(containerPath.child("resizePolicy"), .literal(goResizePolicies(resize)),
                                       "must not be set for init containers"))
            }
        }
        return errors
    }

    private static func validateProbesAndLifecycle(_ container: Container, path: FieldPath,
                                                   context: ContainerContext) -> [FieldError] {
        var errors: [FieldError] = []
        if let lifecycle = container.lifecycle {
            let lifecyclePath = path.child("lifecycle")
            if let hook = lifecycle.postStart {
                errors += validateHandler(exec: hook.exec, httpGet: hook.httpGet, tcpSocket: hook.tcpSocket, grpc: nil,
                                          sleep: hook.sleep, path: lifecyclePath.child("postStart"), context: context)
            }
            if let hook = lifecycle.preStop {
                errors += validateHandler(exec: hook.exec, httpGet: hook.httpGet, tcpSocket: hook.tcpSocket, grpc: nil,
                                          sleep: hook.sleep, path: lifecyclePath.child("preStop"), context: context)
            }
        }
        if let probe = container.livenessProbe {
            let probePath = path.child("livenessProbe")
            errors += validateProbe(probe, path: probePath, context: context)
            if (probe.successThreshold ?? 0) != 1 {
                errors.append(.invalid(probePath.child("successThreshold"), probe.successThreshold ?? 0, "must be 1"))
            }
        }
        if let probe = container.readinessProbe {
            let probePath = path.child("readinessProbe")
            errors += validateProbe(probe, path: probePath, context: context)
            if let grace = probe.terminationGracePeriodSeconds {
                errors.append(.invalid(probePath.child("terminationGracePeriodSeconds"), grace, "must not be set for readinessProbes"))
            }
        }
        if let probe = container.startupProbe {
            let probePath = path.child("startupProbe")
            errors += validateProbe(probe, path: probePath, context: context)
            if (probe.successThreshold ?? 0) != 1 {
                errors.append(.invalid(probePath.child("successThreshold"), probe.successThreshold ?? 0, "must be 1"))
            }
        }
        return errors
    }

    /// `<protocol>/<hostIP>/<port>` must be unique among the given containers.
    private static func accumulateHostPorts(_ containers: [Container], path: FieldPath,
                                            into seen: inout Set<String>) -> [FieldError] {
        var errors: [FieldError] = []
        for (containerIndex, container) in containers.enumerated() {
            for (portIndex, port) in (container.ports ?? []).enumerated() {
                let hostPort = port.hostPort ?? 0
                guard hostPort != 0 else { continue }
                let key = "\(port.protocol?.rawValue ?? "")/\(port.hostIP ?? "")/\(hostPort)"
                if !seen.insert(key).inserted {
                    errors.append(.duplicate(
                        path.index(containerIndex).child("ports").index(portIndex).child("hostPort"), .string(key)))
                }
            }
        }
        return errors
    }

    // MARK: - Common to every container

    private static func validateContainerCommon(_ container: Container, path: FieldPath,
                                                context: ContainerContext) -> [FieldError] {
        var errors: [FieldError] = []
        let namePath = path.child("name")
        if container.name.isEmpty {
            errors.append(.required(namePath))
        } else {
            errors += NameValidation.isDNS1123Label(container.name).map { FieldError.invalid(namePath, container.name, $0) }
        }
        if (container.image ?? "").isEmpty {
            errors.append(.required(path.child("image")))
        }
        switch container.terminationMessagePolicy ?? "" {
        case .file, .fallbackToLogsOnError: break
        case "": errors.append(.required(path.child("terminationMessagePolicy")))
        case let other:
            errors.append(.notSupported(path.child("terminationMessagePolicy"), other.rawValue,
                                        supported: ["File", "FallbackToLogsOnError"]))
        }
        errors += validatePorts(container.ports ?? [], path: path.child("ports"))
        errors += validateEnv(container.env ?? [], path: path.child("env"), options: context.options)
        errors += validateEnvFrom(container.envFrom ?? [], path: path.child("envFrom"), options: context.options)
        errors += validateVolumeMounts(container, path: path.child("volumeMounts"), context: context)
        errors += validateVolumeDevices(container, path: path.child("volumeDevices"), context: context)
        switch container.imagePullPolicy ?? "" {
        case .always, .ifNotPresent, .never: break
        case "": errors.append(.required(path.child("imagePullPolicy")))
        case let other:
            errors.append(.notSupported(path.child("imagePullPolicy"), other.rawValue, supported: ["Always", "IfNotPresent", "Never"]))
        }
        errors += validateResources(container.resources ?? ResourceRequirements(), path: path.child("resources"),
                                    claimNames: context.claimNames)
        errors += validateSecurityContext(container.securityContext, path: path.child("securityContext"), context: context)
        return errors
    }

    static func validatePorts(_ ports: [ContainerPort], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var names = Set<String>()
        for (index, port) in ports.enumerated() {
            let portPath = path.index(index)
            if let name = port.name, !name.isEmpty {
                let messages = NameValidation.isValidPortName(name)
                if !messages.isEmpty {
                    errors += messages.map { FieldError.invalid(portPath.child("name"), name, $0) }
                } else if !names.insert(name).inserted {
                    errors.append(.duplicate(portPath.child("name"), .string(name)))
                }
            }
            if port.containerPort == 0 {
                errors.append(.required(portPath.child("containerPort")))
            } else {
                errors += NameValidation.isValidPortNum(Int64(port.containerPort)).map {
                    FieldError.invalid(portPath.child("containerPort"), port.containerPort, $0)
                }
            }
            if let hostPort = port.hostPort, hostPort != 0 {
                errors += NameValidation.isValidPortNum(Int64(hostPort)).map {
                    FieldError.invalid(portPath.child("hostPort"), hostPort, $0)
                }
            }
            switch port.protocol ?? "" {
            case .tcp, .udp, .sctp: break
            case "": errors.append(.required(portPath.child("protocol")))
            case let other:
                errors.append(.notSupported(portPath.child("protocol"), other.rawValue, supported: ["SCTP", "TCP", "UDP"]))
            }
        }
        return errors
    }

    // MARK: Environment

    static let envFieldPathExpressions: Set<String> = [
        "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
        "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
    ]

    private static func envNameMessages(_ name: String, options: PodValidationOptions) -> [String] {
        options.relaxedEnvironmentVariableNames
            ? NameValidation.isRelaxedEnvVarName(name) : NameValidation.isEnvVarName(name)
    }

    static func validateEnv(_ variables: [EnvVar], path: FieldPath, options: PodValidationOptions) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, variable) in variables.enumerated() {
            let itemPath = path.index(index)
            if variable.name.isEmpty {
                errors.append(.required(itemPath.child("name")))
            } else {
                errors += envNameMessages(variable.name, options: options).map {
                    FieldError.invalid(itemPath.child("name"), variable.name, $0)
                }
            }
            guard let source = variable.valueFrom else { continue }
            let sourcePath = itemPath.child("valueFrom")
            var count = 0
            if let fieldRef = source.fieldRef {
                count += 1
                errors += validateObjectFieldSelector(fieldRef, expressions: envFieldPathExpressions, path: sourcePath.child("fieldRef"))
            }
            if let resourceRef = source.resourceFieldRef {
                count += 1
                errors += validateResourceFieldSelector(resourceRef, path: sourcePath.child("resourceFieldRef"), inVolume: false)
            }
            if let selector = source.configMapKeyRef {
                count += 1
                errors += validateKeySelector(name: selector.name ?? "", key: selector.key, path: sourcePath.child("configMapKeyRef"))
            }
            if let selector = source.secretKeyRef {
                count += 1
                errors += validateKeySelector(name: selector.name ?? "", key: selector.key, path: sourcePath.child("secretKeyRef"))
            }
            if count == 0 {
                errors.append(.invalid(sourcePath, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"))
            } else if !(variable.value ?? "").isEmpty {
                errors.append(.invalid(sourcePath, "", "may not be specified when `value` is not empty"))
            } else if count > 1 {
                errors.append(.invalid(sourcePath, "", "may not have more than one field specified at a time"))
            }
        }
        return errors
    }

    /// A configMap or secret key reference; the name is checked even when empty, as upstream does.
    private static func validateKeySelector(name: String, key: String, path: FieldPath) -> [FieldError] {
        var errors = NameValidation.nameIsDNSSubdomain(name, prefix: false).map {
            FieldError.invalid(path.child("name"), name, $0)
        }
        if key.isEmpty {
            errors.append(.required(path.child("key")))
        } else {
            errors += NameValidation.isConfigMapKey(key).map { FieldError.invalid(path.child("key"), key, $0) }
        }
        return errors
    }

    static func validateEnvFrom(_ sources: [EnvFromSource], path: FieldPath, options: PodValidationOptions) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, source) in sources.enumerated() {
            let itemPath = path.index(index)
            if let prefix = source.prefix, !prefix.isEmpty {
                errors += envNameMessages(prefix, options: options).map { FieldError.invalid(itemPath.child("prefix"), prefix, $0) }
            }
            var count = 0
            if let reference = source.configMapRef {
                count += 1
                errors += validateEnvSourceName(reference.name ?? "", path: itemPath.child("configMapRef", "name"))
            }
            if let reference = source.secretRef {
                count += 1
                errors += validateEnvSourceName(reference.name ?? "", path: itemPath.child("secretRef", "name"))
            }
            // Upstream reports these on the list, without the index.
            if count == 0 {
                errors.append(.invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"))
            } else if count > 1 {
                errors.append(.invalid(path, "", "may not have more than one field specified at a time"))
            }
        }
        return errors
    }

    /// The name of a configMap or secret whose keys all become variables.
    private static func validateEnvSourceName(_ name: String, path: FieldPath) -> [FieldError] {
        if name.isEmpty { return [.required(path)] }
        return NameValidation.nameIsDNSSubdomain(name, prefix: true).map { FieldError.invalid(path, name, $0) }
    }

    /// Upstream's ConvertDownwardAPIFieldLabel plus the allowed-expression check.
    static func validateObjectFieldSelector(_ selector: ObjectFieldSelector, expressions: Set<String>,
                                            path: FieldPath) -> [FieldError] {
        let apiVersion = selector.apiVersion ?? ""
        if apiVersion.isEmpty { return [.required(path.child("apiVersion"))] }
        if selector.fieldPath.isEmpty { return [.required(path.child("fieldPath"))] }
        let label = selector.fieldPath
        if apiVersion != "v1" {
            return [.invalid(path.child("fieldPath"), label, "error converting fieldPath: unsupported pod version: \(apiVersion)")]
        }
        if let split = splitSubscriptedPath(label) {
            let (base, key) = split
            switch base {
            case "metadata.annotations":
                return NameValidation.isQualifiedName(key.lowercased()).map { FieldError.invalid(path, key.lowercased(), $0) }
            case "metadata.labels":
                return NameValidation.isQualifiedName(key).map { FieldError.invalid(path, key, $0) }
            default:
                return [.invalid(path.child("fieldPath"), label, "error converting fieldPath: field label does not support subscript: \(label)")]
            }
        }
        let known: Set<String> = [
            "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
            "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName", "status.phase",
            "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs", "spec.host",
        ]
        guard known.contains(label) else {
            return [.invalid(path.child("fieldPath"), label, "error converting fieldPath: field label not supported: \(label)")]
        }
        // Old clients' `spec.host` means spec.nodeName.
        let internalPath = label == "spec.host" ? "spec.nodeName" : label
        if !expressions.contains(internalPath) {
            return [.notSupported(path.child("fieldPath"), internalPath, supported: expressions.sorted())]
        }
        return []
    }

    /// `metadata.labels['app']` → ("metadata.labels", "app").
    static func splitSubscriptedPath(_ fieldPath: String) -> (String, String)? {
        guard fieldPath.hasSuffix("']") else { return nil }
        let trimmed = fieldPath.dropLast(2)
        guard let open = trimmed.firstRange(of: "['") else { return nil }
        let base = trimmed[..<open.lowerBound]
        guard !base.isEmpty else { return nil }
        return (String(base), String(trimmed[open.upperBound...]))
    }

    static let resourceFieldPathExpressions: Set<String> = [
        "limits.cpu", "limits.memory", "limits.ephemeral-storage",
        "requests.cpu", "requests.memory", "requests.ephemeral-storage",
    ]

    static func validateResourceFieldSelector(_ selector: ResourceFieldSelector, path: FieldPath, inVolume: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let resource = selector.resource
        if inVolume, (selector.containerName ?? "").isEmpty {
            errors.append(.required(path.child("containerName")))
        } else if resource.isEmpty {
            errors.append(.required(path.child("resource")))
        } else if !resourceFieldPathExpressions.contains(resource),
                  !resource.hasPrefix("requests.hugepages-"), !resource.hasPrefix("limits.hugepages-") {
            errors.append(.notSupported(path.child("resource"), resource, supported: resourceFieldPathExpressions.sorted()))
        }
        if let divisor = selector.divisor, !divisor.isZero {
            let text = divisor.description
            let sizes: Set<String> = ["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"]
            let sizeList = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei"
            switch resource {
            case "limits.cpu", "requests.cpu":
                if text != "1m", text != "1" {
                    errors.append(.invalid(path.child("divisor"), resource, "only divisor's values 1m and 1 are supported with the cpu resource"))
                }
            case "limits.memory", "requests.memory":
                if !sizes.contains(text) {
                    errors.append(.invalid(path.child("divisor"), resource, "only divisor's values \(sizeList) are supported with the memory resource"))
                }
            case "limits.ephemeral-storage", "requests.ephemeral-storage":
                if !sizes.contains(text) {
                    errors.append(.invalid(path.child("divisor"), resource,
                                           "only divisor's values \(sizeList) are supported with the local ephemeral storage resource"))
                }
            default:
                if resource.hasPrefix("requests.hugepages-") || resource.hasPrefix("limits.hugepages-"), !sizes.contains(text) {
                    errors.append(.invalid(path.child("divisor"), resource,
                                           "only divisor's values \(sizeList) are supported with the hugepages resource"))
                }
            }
        }
        return errors
    }

    // MARK: Volume mounts

    private static func validateVolumeMounts(_ container: Container, path: FieldPath, context: ContainerContext) -> [FieldError] {
        var errors: [FieldError] = []
        var mountPoints = Set<String>()
        let devices = container.volumeDevices ?? []
        for (index, mount) in (container.volumeMounts ?? []).enumerated() {
            let mountPath = path.index(index)
            if mount.name.isEmpty { errors.append(.required(mountPath.child("name"))) }
            if context.volumes[mount.name] == nil {
                errors.append(.notFound(mountPath.child("name"), .string(mount.name)))
            }
            if mount.mountPath.isEmpty { errors.append(.required(mountPath.child("mountPath"))) }
            if !mountPoints.insert(mount.mountPath).inserted {
                errors.append(.invalid(mountPath.child("mountPath"), mount.mountPath, "must be unique"))
            }
            if devices.contains(where: { $0.name == mount.name }) {
                errors.append(.invalid(mountPath.child("name"), mount.name, "must not already exist in volumeDevices"))
            }
            if devices.contains(where: { $0.devicePath == mount.mountPath }) {
                errors.append(.invalid(mountPath.child("mountPath"), mount.mountPath, "must not already exist as a path in volumeDevices"))
            }
            // Upstream reports the next three under the list's path, without the index.
            let subPath = mount.subPath ?? ""
            let subPathExpr = mount.subPathExpr ?? ""
            if !subPath.isEmpty {
                errors += validateLocalDescendingPath(subPath, path: path.child("subPath"))
            }
            if !subPathExpr.isEmpty {
                if !subPath.isEmpty {
                    errors.append(.invalid(mountPath.child("subPathExpr"), subPathExpr, "subPathExpr and subPath are mutually exclusive"))
                }
                errors += validateLocalDescendingPath(subPathExpr, path: path.child("subPathExpr"))
            }
            if let propagation = mount.mountPropagation {
                let propagationPath = path.child("mountPropagation")
                let supported: [MountPropagationMode] = [.bidirectional, .hostToContainer, .none]
                if !supported.contains(propagation) {
                    errors.append(.notSupported(propagationPath, propagation.rawValue, supported: supported.map(\.rawValue)))
                }
                if propagation == .bidirectional, container.securityContext?.privileged != true {
                    errors.append(.forbidden(propagationPath, "Bidirectional mount propagation is available only to privileged containers"))
                }
            }
            if let recursive = mount.recursiveReadOnly {
                let recursivePath = path.child("recursiveReadOnly")
                switch recursive {
                case .disabled: break
                case .enabled, .ifPossible:
                    if mount.readOnly != true {
                        errors.append(.forbidden(recursivePath, "may only be specified when readOnly is true"))
                    }
                    if let propagation = mount.mountPropagation, propagation != .none {
                        errors.append(.forbidden(recursivePath, "may only be specified when mountPropagation is None or not specified"))
                    }
                default:
                    errors.append(.notSupported(recursivePath, recursive.rawValue, supported: ["Disabled", "Enabled", "IfPossible"]))
                }
            }
        }
        return errors
    }

    /// Raw block devices come only from persistent volume claims.
    private static func validateVolumeDevices(_ container: Container, path: FieldPath, context: ContainerContext) -> [FieldError] {
        var errors: [FieldError] = []
        var names = Set<String>()
        var devicePaths = Set<String>()
        let mounts = container.volumeMounts ?? []
        for (index, device) in (container.volumeDevices ?? []).enumerated() {
            let devicePath = path.index(index)
            let volume = context.volumes[device.name]
            let isClaim = volume?.persistentVolumeClaim != nil || volume?.otherSources["ephemeral"] != nil
            if device.name.isEmpty { errors.append(.required(devicePath.child("name"))) }
            if names.contains(device.name) {
                errors.append(.invalid(devicePath.child("name"), device.name, "must be unique"))
            }
            if volume != nil, !isClaim {
                errors.append(.invalid(devicePath.child("name"), device.name,
                                       "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode"))
            }
            if volume == nil { errors.append(.notFound(devicePath.child("name"), .string(device.name))) }
            if device.devicePath.isEmpty { errors.append(.required(devicePath.child("devicePath"))) }
            if devicePaths.contains(device.devicePath) {
                errors.append(.invalid(devicePath.child("devicePath"), device.devicePath, "must be unique"))
            }
            if !device.devicePath.isEmpty, device.devicePath.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
                errors.append(.invalid(devicePath.child("devicePath"), device.devicePath, "can not contain backsteps ('..')"))
            } else {
                devicePaths.insert(device.devicePath)
            }
            if mounts.contains(where: { $0.name == device.name }) {
                errors.append(.invalid(devicePath.child("name"), device.name, "must not already exist in volumeMounts"))
            }
            if mounts.contains(where: { $0.mountPath == device.devicePath }) {
                errors.append(.invalid(devicePath.child("devicePath"), device.devicePath, "must not already exist as a path in volumeMounts"))
            }
            if !device.name.isEmpty { names.insert(device.name) }
        }
        return errors
    }

    // MARK: Probes and hooks

    private static func validateProbe(_ probe: Probe, path: FieldPath, context: ContainerContext) -> [FieldError] {
        var errors = validateHandler(exec: probe.exec, httpGet: probe.httpGet, tcpSocket: probe.tcpSocket,
                                     grpc: probe.grpc, sleep: nil, path: path, context: context)
        let counters: [(String, Int32?)] = [
            ("initialDelaySeconds", probe.initialDelaySeconds), ("timeoutSeconds", probe.timeoutSeconds),
            ("periodSeconds", probe.periodSeconds), ("successThreshold", probe.successThreshold),
            ("failureThreshold", probe.failureThreshold),
        ]
        for (field, value) in counters {
            if let value, value < 0 { errors.append(.invalid(path.child(field), value, isNegativeMessage)) }
        }
        if let grace = probe.terminationGracePeriodSeconds, grace <= 0 {
            errors.append(.invalid(path.child("terminationGracePeriodSeconds"), grace, "must be greater than 0"))
        }
        return errors
    }

    /// Exactly one way to check (probes) or act (hooks).
    private static func validateHandler(exec: ExecAction?, httpGet: HTTPGetAction?, tcpSocket: TCPSocketAction?,
                                        grpc: GRPCAction?, sleep: SleepAction?, path: FieldPath,
                                        context: ContainerContext) -> [FieldError] {
        var errors: [FieldError] = []
        var count = 0
        func handler(_ present: Bool, _ field: String, _ validate: () -> [FieldError]) {
            guard present else { return }
            if count > 0 {
                errors.append(.forbidden(path.child(field), "may not specify more than 1 handler type"))
            } else {
                count += 1
                errors += validate()
            }
        }
        handler(exec != nil, "exec") {
            (exec?.command ?? []).isEmpty ? [.required(path.child("exec", "command"))] : []
        }
        handler(httpGet != nil, "httpGet") {
            guard let httpGet else { return [] }
            let httpPath = path.child("httpGet")
            var errors: [FieldError] = []
            if (httpGet.path ?? "").isEmpty { errors.append(.required(httpPath.child("path"))) }
            errors += validatePortNumOrName(httpGet.port, path: httpPath.child("port"))
            let scheme = httpGet.scheme ?? ""
            if scheme != .http, scheme != .https {
                errors.append(.notSupported(httpPath.child("scheme"), scheme.rawValue, supported: ["HTTP", "HTTPS"]))
            }
            for header in httpGet.httpHeaders ?? [] {
                errors += NameValidation.isHTTPHeaderName(header.name).map {
                    FieldError.invalid(httpPath.child("httpHeaders"), header.name, $0)
                }
            }
            return errors
        }
        handler(tcpSocket != nil, "tcpSocket") {
            validatePortNumOrName(tcpSocket?.port ?? .int(0), path: path.child("tcpSocket", "port"))
        }
        handler(grpc != nil, "grpc") {
            validatePortNumOrName(.int(grpc?.port ?? 0), path: path.child("grpc", "port"))
        }
        handler(sleep != nil, "sleep") {
            guard let seconds = sleep?.seconds, let grace = context.gracePeriod else { return [] }
            if context.options.allowZeroSleepAction {
                if seconds < 0 || seconds > grace {
                    return [.invalid(path.child("sleep"), seconds,
                                     "must be non-negative and less than terminationGracePeriodSeconds (\(grace))")]
                }
            } else if seconds <= 0 || seconds > grace {
                return [.invalid(path.child("sleep"), seconds,
                                 "must be greater than 0 and less than terminationGracePeriodSeconds (\(grace)). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.")]
            }
            return []
        }
        if count == 0 {
            errors.append(.required(path, "must specify a handler type"))
        }
        return errors
    }

    static func validatePortNumOrName(_ port: IntOrString, path: FieldPath) -> [FieldError] {
        switch port {
        case .int(let number):
            return NameValidation.isValidPortNum(Int64(number)).map { FieldError.invalid(path, number, $0) }
        case .string(let name):
            return NameValidation.isValidPortName(name).map { FieldError.invalid(path, name, $0) }
        }
    }

    private static func goResizePolicies(_ policies: [ContainerResizePolicy]) -> String {
        "[]core.ContainerResizePolicy{" + policies.map {
            "core.ContainerResizePolicy{ResourceName:\(goQuote($0.resourceName)), RestartPolicy:\(goQuote($0.restartPolicy))}"
        }.joined(separator: ", ") + "}"
    }
}
