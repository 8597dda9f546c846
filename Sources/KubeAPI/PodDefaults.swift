// Upstream's v1 defaulting for a Pod (pkg/apis/core/v1/defaults.go and the generated
// SetObjectDefaults_Pod, v1.32): the values the API server and the kubelet fill in before
// validating, so a pod read from a file behaves as the same pod sent to an API server.

extension Pod {
    public static let defaultTerminationGracePeriodSeconds: Int64 = 30
    public static let defaultSchedulerName = "default-scheduler"
    public static let defaultTerminationMessagePath = "/dev/termination-log"
    /// 0644, the file mode of projected, secret, configMap and downwardAPI volume files.
    public static let defaultVolumeFileMode: Int32 = 0o644
    public static let defaultServiceAccountTokenExpirationSeconds: Int64 = 3600

    /// Fills in upstream's defaults in place. Idempotent.
    public mutating func setDefaults() {
        // SetDefaults_Pod: requests default to limits, container by container (only in a
        // Pod, not in a pod template, hence here rather than on ResourceRequirements).
        spec.containers = spec.containers.map(Self.defaultingRequestsToLimits)
        spec.initContainers = spec.initContainers?.map(Self.defaultingRequestsToLimits)
        if spec.enableServiceLinks == nil { spec.enableServiceLinks = true }
        // With the host's network, a container port is a host port.
        if spec.hostNetwork == true {
            spec.containers = spec.containers.map(Self.defaultingHostPorts)
            spec.initContainers = spec.initContainers?.map(Self.defaultingHostPorts)
        }
        spec.setDefaults()
    }

    private static func defaultingRequestsToLimits(_ container: Container) -> Container {
        guard let limits = container.resources?.limits else { return container }
        var container = container
        var requests = container.resources?.requests ?? [:]
        for (name, limit) in limits where requests[name] == nil {
            requests[name] = limit
        }
        container.resources?.requests = requests
        return container
    }

    private static func defaultingHostPorts(_ container: Container) -> Container {
        var container = container
        container.ports = container.ports?.map { port in
            var port = port
            if (port.hostPort ?? 0) == 0 { port.hostPort = port.containerPort }
            return port
        }
        return container
    }
}

extension PodSpec {
    /// SetDefaults_PodSpec plus the defaults of everything a spec contains.
    public mutating func setDefaults() {
        if dnsPolicy == nil || dnsPolicy == "" { dnsPolicy = .clusterFirst }
        if restartPolicy == nil || restartPolicy == "" { restartPolicy = .always }
        if securityContext == nil { securityContext = PodSecurityContext() }
        if terminationGracePeriodSeconds == nil {
            terminationGracePeriodSeconds = Pod.defaultTerminationGracePeriodSeconds
        }
        if schedulerName == nil || schedulerName == "" { schedulerName = Pod.defaultSchedulerName }
        // The deprecated alias still names the account when the new field is empty.
        if (serviceAccountName ?? "").isEmpty, let deprecated = serviceAccount, !deprecated.isEmpty {
            serviceAccountName = deprecated
        }
        volumes = volumes?.map { volume in
            var volume = volume
            volume.setDefaults()
            return volume
        }
        initContainers = initContainers?.map { container in
            var container = container
            container.setDefaults()
            return container
        }
        for index in containers.indices { containers[index].setDefaults() }
    }
}

extension Volume {
    /// A volume without a source is an emptyDir; sources get their default file modes.
    public mutating func setDefaults() {
        let hasSource = hostPath != nil || emptyDir != nil || secret != nil || persistentVolumeClaim != nil
            || downwardAPI != nil || configMap != nil || projected != nil || !otherSources.isEmpty
        if !hasSource { emptyDir = EmptyDirVolumeSource() }
        if hostPath != nil, hostPath?.type == nil { hostPath?.type = .unset }
        if secret != nil, secret?.defaultMode == nil { secret?.defaultMode = Pod.defaultVolumeFileMode }
        if configMap != nil, configMap?.defaultMode == nil { configMap?.defaultMode = Pod.defaultVolumeFileMode }
        if var downward = downwardAPI {
            if downward.defaultMode == nil { downward.defaultMode = Pod.defaultVolumeFileMode }
            downward.items = downward.items?.map(Self.defaultingFieldRef)
            downwardAPI = downward
        }
        if var projection = projected {
            if projection.defaultMode == nil { projection.defaultMode = Pod.defaultVolumeFileMode }
            projection.sources = projection.sources.map { source in
                var source = source
                if let items = source.downwardAPI?.items {
                    source.downwardAPI?.items = items.map(Self.defaultingFieldRef)
                }
                if source.serviceAccountToken != nil, source.serviceAccountToken?.expirationSeconds == nil {
                    source.serviceAccountToken?.expirationSeconds = Pod.defaultServiceAccountTokenExpirationSeconds
                }
                return source
            }
            projected = projection
        }
    }

    private static func defaultingFieldRef(_ file: DownwardAPIVolumeFile) -> DownwardAPIVolumeFile {
        var file = file
        file.fieldRef?.setDefaults()
        return file
    }
}

extension ObjectFieldSelector {
    public mutating func setDefaults() {
        if apiVersion == nil || apiVersion == "" { apiVersion = "v1" }
    }
}

extension Container {
    /// SetDefaults_Container plus port, env, probe and lifecycle-hook defaults.
    public mutating func setDefaults() {
        if imagePullPolicy == nil || imagePullPolicy == "" {
            // `:latest`, or no tag and no digest, means the image may change under that
            // name; an unparsable reference counts as tagged, as upstream ignores the error.
            imagePullPolicy = ImageReference.tag(of: image ?? "") == "latest" ? .always : .ifNotPresent
        }
        if terminationMessagePath == nil || terminationMessagePath == "" {
            terminationMessagePath = Pod.defaultTerminationMessagePath
        }
        if terminationMessagePolicy == nil || terminationMessagePolicy == "" { terminationMessagePolicy = .file }
        ports = ports?.map { port in
            var port = port
            if port.protocol == nil || port.protocol == "" { port.protocol = .tcp }
            return port
        }
        env = env?.map { variable in
            var variable = variable
            variable.valueFrom?.fieldRef?.setDefaults()
            return variable
        }
        livenessProbe?.setDefaults()
        readinessProbe?.setDefaults()
        startupProbe?.setDefaults()
        lifecycle?.postStart?.httpGet?.setDefaults()
        lifecycle?.preStop?.httpGet?.setDefaults()
    }
}

extension Probe {
    /// Zero and unset are the same to upstream: both take the default.
    public mutating func setDefaults() {
        if (timeoutSeconds ?? 0) == 0 { timeoutSeconds = 1 }
        if (periodSeconds ?? 0) == 0 { periodSeconds = 10 }
        if (successThreshold ?? 0) == 0 { successThreshold = 1 }
        if (failureThreshold ?? 0) == 0 { failureThreshold = 3 }
        httpGet?.setDefaults()
        if grpc != nil, grpc?.service == nil { grpc?.service = "" }
    }
}

extension HTTPGetAction {
    public mutating func setDefaults() {
        if path == nil || path == "" { path = "/" }
        if scheme == nil || scheme == "" { scheme = .http }
    }
}

/// Just enough of the container image reference grammar (distribution/reference) to find
/// the tag the pull policy default depends on.
enum ImageReference {
    /// The tag of `image`: `"latest"` when there is neither tag nor digest, `""` with a
    /// digest only, nil when the reference does not parse.
    static func tag(of image: String) -> String? {
        var remainder = Substring(image)
        var hasDigest = false
        if let at = remainder.firstIndex(of: "@") {
            guard isDigest(remainder[remainder.index(after: at)...]) else { return nil }
            hasDigest = true
            remainder = remainder[..<at]
        }
        var tag = ""
        if let colon = remainder.lastIndex(of: ":"), !remainder[colon...].contains("/") {
            tag = String(remainder[remainder.index(after: colon)...])
            guard isTag(tag) else { return nil }
            remainder = remainder[..<colon]
        }
        guard isName(remainder) else { return nil }
        if tag.isEmpty, !hasDigest { return "latest" }
        return tag
    }

    private static func isTag(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        guard let first = bytes.first, bytes.count <= 128 else { return false }
        let word = { (b: UInt8) in isAlnum(b) || b == UInt8(ascii: "_") }
        return word(first) && bytes.allSatisfy { word($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    private static func isDigest(_ digest: Substring) -> Bool {
        guard let colon = digest.firstIndex(of: ":") else { return false }
        let algorithm = digest[..<colon].utf8
        let hex = digest[digest.index(after: colon)...].utf8
        guard let first = algorithm.first, isAlpha(first),
              algorithm.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
                  || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: ".") }) else { return false }
        return hex.count >= 32 && hex.allSatisfy { isDigit($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) }
    }

    /// `[domain[:port]/]component(/component)*`, components lowercase.
    private static func isName(_ name: Substring) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 255 else { return false }
        var components = name.split(separator: "/", omittingEmptySubsequences: false)
        if components.count > 1 {
            let first = components[0]
            // As upstream decides it: a first component with '.' or ':', "localhost", or
            // any uppercase letter is a registry host.
            if first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first {
                guard isDomain(first) else { return false }
                components.removeFirst()
            }
        }
        return components.allSatisfy(isPathComponent)
    }

    private static func isDomain(_ domain: Substring) -> Bool {
        var host = domain
        if let colon = domain.lastIndex(of: ":"), !domain.hasPrefix("[") || domain[..<colon].hasSuffix("]") {
            let port = domain[domain.index(after: colon)...]
            guard !port.isEmpty, port.utf8.allSatisfy(isDigit) else { return false }
            host = domain[..<colon]
        }
        if host.hasPrefix("[") { return host.hasSuffix("]") && host.count > 2 }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            let bytes = Array(label.utf8)
            guard let first = bytes.first, let last = bytes.last else { return false }
            return isAlnum(first) && isAlnum(last) && bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`.
    private static func isPathComponent(_ component: Substring) -> Bool {
        let bytes = Array(component.utf8)
        guard let first = bytes.first, let last = bytes.last, isLowerAlnum(first), isLowerAlnum(last) else { return false }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if isLowerAlnum(byte) {
                index += 1
                continue
            }
            // A separator run: ".", "_", "__" or one or more "-", followed by an alphanumeric.
            var end = index
            if byte == UInt8(ascii: ".") {
                end = index + 1
            } else if byte == UInt8(ascii: "_") {
                end = index + 1
                if end < bytes.count, bytes[end] == UInt8(ascii: "_") { end += 1 }
            } else if byte == UInt8(ascii: "-") {
                while end < bytes.count, bytes[end] == UInt8(ascii: "-") { end += 1 }
            } else {
                return false
            }
            guard end < bytes.count, isLowerAlnum(bytes[end]) else { return false }
            index = end
        }
        return true
    }
}

extension Pod {
    /// The pod's QoS class (upstream's qos.GetPodQOS): Guaranteed when every container has
    /// cpu and memory limits with equal requests, BestEffort when none sets any, else Burstable.
    public var qosClass: PodQOSClass {
        let containers = (spec.initContainers ?? []) + spec.containers
        var anySet = false
        var guaranteed = true
        for container in containers {
            let requests = container.resources?.requests ?? [:]
            let limits = container.resources?.limits ?? [:]
            for resource in ["cpu", "memory"] {
                let request = requests[resource], limit = limits[resource]
                if (request.map { !$0.isZero } ?? false) || (limit.map { !$0.isZero } ?? false) { anySet = true }
                // Guaranteed: every container has cpu and memory limits, requests equal to them.
                guard let limit, !limit.isZero else { guaranteed = false; continue }
                if let request, request != limit { guaranteed = false }
            }
        }
        if !anySet { return .bestEffort }
        return guaranteed ? .guaranteed : .burstable
    }
}
