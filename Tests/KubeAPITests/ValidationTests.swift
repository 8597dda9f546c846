import XCTest

@testable import KubeAPI

/// Invalid pods and the exact errors upstream (v1.32) reports for them.
final class ValidationTests: XCTestCase {
    static let dns1123Label = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let dns1123Subdomain = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

    /// A valid, defaulted pod each case breaks in one way.
    static func validPod() -> Pod {
        var pod = Pod(
            metadata: ObjectMeta(name: "web", namespace: "default", labels: ["app": "web"]),
            spec: PodSpec(
                volumes: [Volume(name: "data", emptyDir: EmptyDirVolumeSource())],
                containers: [Container(name: "app", image: "nginx:1.27",
                                       ports: [ContainerPort(name: "http", containerPort: 80)],
                                       volumeMounts: [VolumeMount(name: "data", mountPath: "/data")])]))
        pod.setDefaults()
        return pod
    }

    private func check(_ name: String, options: PodValidationOptions = PodValidationOptions(), redefault: Bool = true,
                       line: UInt = #line, _ mutate: (inout Pod) -> Void, _ expected: [String]) {
        var pod = Self.validPod()
        mutate(&pod)
        if redefault { pod.setDefaults() }
        let errors = pod.validateCreate(options: options)
        XCTAssertEqual(errors.map(\.description), expected, name, line: line)
    }

    func testBaselineIsValid() {
        XCTAssertEqual(Self.validPod().validateCreate(), [])
    }

    func testMetadata() {
        check("name not a subdomain", { $0.metadata.name = "Web_1" },
              ["metadata.name: Invalid value: \"Web_1\": \(Self.dns1123Subdomain)"])
        check("name missing", { $0.metadata.name = nil },
              ["metadata.name: Required value: name or generateName is required"])
        check("namespace missing", { $0.metadata.namespace = nil }, ["metadata.namespace: Required value"])
        check("namespace not a label", { $0.metadata.namespace = "kube.system" },
              ["metadata.namespace: Invalid value: \"kube.system\": must not contain dots"])
        check("label key", { $0.metadata.labels = ["bad key": "v"] },
              ["metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"])
        let long = String(repeating: "a", count: 64)
        check("label value too long", { $0.metadata.labels = ["app": long] },
              ["metadata.labels: Invalid value: \"\(long)\": must be no more than 63 characters"])
        check("label key prefix", { $0.metadata.labels = ["/app": "v"] },
              ["metadata.labels: Invalid value: \"/app\": prefix part must be non-empty"])
        check("annotations over 256 KiB", { $0.metadata.annotations = ["big": String(repeating: "x", count: 262_142)] },
              ["metadata.annotations: Too long: may not be more than 262144 bytes"])
        check("annotations at the limit", { $0.metadata.annotations = ["big": String(repeating: "x", count: 262_141)] }, [])
        check("finalizer without domain", { $0.metadata.finalizers = ["cleanup"] },
              ["metadata.finalizers[0]: Invalid value: \"cleanup\": name is neither a standard finalizer name nor is it fully qualified"])
        check("owner reference", { $0.metadata.ownerReferences = [OwnerReference(apiVersion: "", kind: "Node", name: "n1", uid: "")] },
              ["metadata.ownerReferences.apiVersion: Invalid value: \"\": version must not be empty",
               "metadata.ownerReferences.uid: Invalid value: \"\": uid must not be empty"])
        check("mirror pod without node", { $0.metadata.annotations = ["kubernetes.io/config.mirror": "abc"] },
              ["metadata.annotations[kubernetes.io/config.mirror]: Invalid value: \"abc\": must set spec.nodeName if mirror pod annotation is set"])
        check("deletion cost", { $0.metadata.annotations = ["controller.kubernetes.io/pod-deletion-cost": "lots"] },
              ["metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: \"lots\": must be a 32bit integer"])
    }

    func testContainers() {
        check("no containers", { $0.spec.containers = [] }, ["spec.containers: Required value"])
        check("image missing", { $0.spec.containers[0].image = nil }, ["spec.containers[0].image: Required value"])
        check("image padded", { $0.spec.containers[0].image = " nginx" },
              ["spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace"])
        check("name not a label", { $0.spec.containers[0].name = "App" },
              ["spec.containers[0].name: Invalid value: \"App\": \(Self.dns1123Label)"])
        check("name with dots", { $0.spec.containers[0].name = "a.b" },
              ["spec.containers[0].name: Invalid value: \"a.b\": must not contain dots"])
        check("name missing", { $0.spec.containers[0].name = "" }, ["spec.containers[0].name: Required value"])
        check("duplicate app container", { $0.spec.containers.append(Container(name: "app", image: "busybox")) },
              ["spec.containers[1].name: Duplicate value: \"app\""])
        check("init container named like an app container",
              { $0.spec.initContainers = [Container(name: "app", image: "busybox")] },
              ["spec.initContainers[0].name: Duplicate value: \"app\""])
        check("restart policy", { $0.spec.restartPolicy = "Sometimes" },
              ["spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""])
        check("dns policy", { $0.spec.dnsPolicy = "Google" },
              ["spec.dnsPolicy: Unsupported value: \"Google\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\""])
        check("pull policy", { $0.spec.containers[0].imagePullPolicy = "Sometimes" },
              ["spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""])
        check("termination message policy", { $0.spec.containers[0].terminationMessagePolicy = "Stdout" },
              ["spec.containers[0].terminationMessagePolicy: Unsupported value: \"Stdout\": supported values: \"File\", \"FallbackToLogsOnError\""])
        check("grace period missing", redefault: false, { $0.spec.terminationGracePeriodSeconds = nil },
              ["spec.terminationGracePeriodSeconds: Required value"])
        check("ephemeral containers on create", { $0.spec.ephemeralContainers = [.object(["name": .string("debug")])] },
              ["spec.ephemeralContainers: Forbidden: cannot be set on create"])
        check("hostname", { $0.spec.hostname = "web_1" },
              ["spec.hostname: Invalid value: \"web_1\": \(Self.dns1123Label)"])
        check("active deadline", { $0.spec.activeDeadlineSeconds = 0 },
              ["spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"])
        check("toleration without key", { $0.spec.tolerations = [Toleration(operator: .equal, value: "x")] },
              ["spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\""])
    }

    func testSidecarsAndInitContainers() {
        check("sidecar policy other than Always",
              { $0.spec.initContainers = [Container(name: "init", image: "busybox", restartPolicy: "Never")] },
              ["spec.initContainers[0].restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""])
        check("restart policy on an app container", { $0.spec.containers[0].restartPolicy = .always },
              ["spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"])
        check("probe on a plain init container",
              { $0.spec.initContainers = [Container(name: "init", image: "busybox", livenessProbe: Probe(exec: ExecAction(command: ["true"])))] },
              ["spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"])
        check("probe on a sidecar is checked like an app container's",
              { $0.spec.initContainers = [Container(name: "proxy", image: "envoy", restartPolicy: .always,
                                                    livenessProbe: Probe(exec: ExecAction(command: ["true"]), successThreshold: 3))] },
              ["spec.initContainers[0].livenessProbe.successThreshold: Invalid value: 3: must be 1"])
    }

    func testPorts() {
        check("container port missing", { $0.spec.containers[0].ports = [ContainerPort(containerPort: 0)] },
              ["spec.containers[0].ports[0].containerPort: Required value"])
        check("container port out of range", { $0.spec.containers[0].ports = [ContainerPort(containerPort: 70000)] },
              ["spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"])
        check("protocol", { $0.spec.containers[0].ports = [ContainerPort(containerPort: 80, protocol: "HTTP")] },
              ["spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""])
        check("duplicate port name",
              { $0.spec.containers[0].ports = [ContainerPort(name: "http", containerPort: 80), ContainerPort(name: "http", containerPort: 81)] },
              ["spec.containers[0].ports[1].name: Duplicate value: \"http\""])
        check("port name", { $0.spec.containers[0].ports = [ContainerPort(name: "web_ui", containerPort: 80)] },
              ["spec.containers[0].ports[0].name: Invalid value: \"web_ui\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"])
        check("host port differs under hostNetwork", {
            $0.spec.hostNetwork = true
            $0.spec.containers[0].ports = [ContainerPort(hostPort: 8080, containerPort: 80)]
        }, ["spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true"])
        check("host port taken twice", {
            $0.spec.containers[0].ports = [ContainerPort(hostPort: 8080, containerPort: 80)]
            $0.spec.containers.append(Container(name: "other", image: "nginx", ports: [ContainerPort(hostPort: 8080, containerPort: 81)]))
        }, ["spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP//8080\""])
    }

    func testEnvironment() {
        check("relaxed env name (v1.32 default)", { $0.spec.containers[0].env = [EnvVar(name: "MY=VAR", value: "x")] },
              ["spec.containers[0].env[0].name: Invalid value: \"MY=VAR\": a valid environment variable name must consist only of printable ASCII characters other than '='"])
        check("relaxed rule allows a leading digit", { $0.spec.containers[0].env = [EnvVar(name: "1VAR", value: "x")] }, [])
        var strict = PodValidationOptions()
        strict.relaxedEnvironmentVariableNames = false
        check("strict env name", options: strict, { $0.spec.containers[0].env = [EnvVar(name: "1VAR", value: "x")] },
              ["spec.containers[0].env[0].name: Invalid value: \"1VAR\": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"])
        check("value and valueFrom", {
            $0.spec.containers[0].env = [EnvVar(name: "A", value: "x", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "metadata.name")))]
        }, ["spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty"])
        check("field path not offered to env", {
            $0.spec.containers[0].env = [EnvVar(name: "A", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "metadata.labels")))]
        }, ["spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"metadata.labels\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\""])
        check("unknown field path", {
            $0.spec.containers[0].env = [EnvVar(name: "A", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "spec.hostname")))]
        }, ["spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: \"spec.hostname\": error converting fieldPath: field label not supported: spec.hostname"])
        check("label by subscript is fine", {
            $0.spec.containers[0].env = [EnvVar(name: "A", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "metadata.labels['app']")))]
        }, [])
        check("secret key", {
            $0.spec.containers[0].env = [EnvVar(name: "A", valueFrom: EnvVarSource(secretKeyRef: SecretKeySelector(name: "db", key: "pass word")))]
        }, ["spec.containers[0].env[0].valueFrom.secretKeyRef.key: Invalid value: \"pass word\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"])
        check("envFrom without a source", { $0.spec.containers[0].envFrom = [EnvFromSource(prefix: "P_")] },
              ["spec.containers[0].envFrom: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`"])
    }

    func testVolumesAndMounts() {
        check("duplicate volume name", { $0.spec.volumes?.append(Volume(name: "data", emptyDir: EmptyDirVolumeSource())) },
              ["spec.volumes[1].name: Duplicate value: \"data\""])
        check("two sources; the mount then finds no volume", {
            $0.spec.volumes = [Volume(name: "data", hostPath: HostPathVolumeSource(path: "/srv"), emptyDir: EmptyDirVolumeSource())]
        }, ["spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type",
            "spec.containers[0].volumeMounts[0].name: Not found: \"data\""])
        check("upstream's spelling of downwardAPI", {
            $0.spec.volumes = [Volume(name: "data", emptyDir: EmptyDirVolumeSource(), downwardAPI: DownwardAPIVolumeSource())]
        }, ["spec.volumes[0].downwarAPI: Forbidden: may not specify more than 1 volume type",
            "spec.containers[0].volumeMounts[0].name: Not found: \"data\""])
        check("no source at all", redefault: false, { $0.spec.volumes = [Volume(name: "data")] },
              ["spec.volumes[0]: Required value: must specify a volume type",
               "spec.containers[0].volumeMounts[0].name: Not found: \"data\""])
        check("volume name", { $0.spec.volumes?.append(Volume(name: "Data", emptyDir: EmptyDirVolumeSource())) },
              ["spec.volumes[1].name: Invalid value: \"Data\": \(Self.dns1123Label)"])
        check("mount of a missing volume", { $0.spec.containers[0].volumeMounts = [VolumeMount(name: "missing", mountPath: "/m")] },
              ["spec.containers[0].volumeMounts[0].name: Not found: \"missing\""])
        check("mount path twice", {
            $0.spec.containers[0].volumeMounts?.append(VolumeMount(name: "data", mountPath: "/data"))
        }, ["spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique"])
        check("mount path missing", { $0.spec.containers[0].volumeMounts = [VolumeMount(name: "data", mountPath: "")] },
              ["spec.containers[0].volumeMounts[0].mountPath: Required value"])
        // Upstream names the mount list, not the mount, for subPath problems.
        check("absolute subPath", { $0.spec.containers[0].volumeMounts?[0].subPath = "/etc" },
              ["spec.containers[0].volumeMounts.subPath: Invalid value: \"/etc\": must be a relative path"])
        check("subPath escaping the volume", { $0.spec.containers[0].volumeMounts?[0].subPath = "logs/../../etc" },
              ["spec.containers[0].volumeMounts.subPath: Invalid value: \"logs/../../etc\": must not contain '..'"])
        check("subPath and subPathExpr", {
            $0.spec.containers[0].volumeMounts?[0].subPath = "a"
            $0.spec.containers[0].volumeMounts?[0].subPathExpr = "$(POD)"
        }, ["spec.containers[0].volumeMounts[0].subPathExpr: Invalid value: \"$(POD)\": subPathExpr and subPath are mutually exclusive"])
        check("bidirectional propagation unprivileged", { $0.spec.containers[0].volumeMounts?[0].mountPropagation = .bidirectional },
              ["spec.containers[0].volumeMounts.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers"])
        check("host path with backsteps", { $0.spec.volumes = [Volume(name: "data", hostPath: HostPathVolumeSource(path: "/var/../etc"))] },
              ["spec.volumes[0].hostPath.path: Invalid value: \"/var/../etc\": must not contain '..'", "spec.containers[0].volumeMounts[0].name: Not found: \"data\""])
        check("host path type", { $0.spec.volumes = [Volume(name: "data", hostPath: HostPathVolumeSource(path: "/srv", type: "Dir"))] },
              ["spec.volumes[0].hostPath.type: Unsupported value: \"Dir\": supported values: \"\", \"BlockDevice\", \"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\"", "spec.containers[0].volumeMounts[0].name: Not found: \"data\""])
        check("file mode", { $0.spec.volumes = [Volume(name: "data", configMap: ConfigMapVolumeSource(name: "c", defaultMode: 0o1000))] },
              ["spec.volumes[0].configMap.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive", "spec.containers[0].volumeMounts[0].name: Not found: \"data\""])
        check("reserved item path", {
            $0.spec.volumes = [Volume(name: "data", configMap: ConfigMapVolumeSource(name: "c", items: [KeyToPath(key: "k", path: "..data")]))]
        }, ["spec.volumes[0].configMap.items[0].path: Invalid value: \"..data\": must not start with '..'", "spec.containers[0].volumeMounts[0].name: Not found: \"data\""])
        check("secret name", { $0.spec.volumes = [Volume(name: "data", secret: SecretVolumeSource())] },
              ["spec.volumes[0].secret.secretName: Required value", "spec.containers[0].volumeMounts[0].name: Not found: \"data\""])
        check("token without a service account", {
            $0.spec.volumes = [Volume(name: "data", projected: ProjectedVolumeSource(sources: [
                VolumeProjection(serviceAccountToken: ServiceAccountTokenProjection(path: "token"))]))]
        }, ["spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set"])
    }

    func testProbesAndHooks() {
        let exec = ExecAction(command: ["true"])
        check("probe without handler", { $0.spec.containers[0].livenessProbe = Probe() },
              ["spec.containers[0].livenessProbe: Required value: must specify a handler type"])
        check("probe with two handlers", {
            $0.spec.containers[0].livenessProbe = Probe(exec: exec, httpGet: HTTPGetAction(port: .int(80)))
        }, ["spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type"])
        check("liveness success threshold", { $0.spec.containers[0].livenessProbe = Probe(exec: exec, successThreshold: 2) },
              ["spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"])
        check("startup success threshold", { $0.spec.containers[0].startupProbe = Probe(exec: exec, successThreshold: 2) },
              ["spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1"])
        check("readiness may succeed more than once", { $0.spec.containers[0].readinessProbe = Probe(exec: exec, successThreshold: 2) }, [])
        check("negative period", { $0.spec.containers[0].readinessProbe = Probe(exec: exec, periodSeconds: -1) },
              ["spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0"])
        check("readiness grace period", {
            $0.spec.containers[0].readinessProbe = Probe(exec: exec, terminationGracePeriodSeconds: 5)
        }, ["spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes"])
        check("probe grace period", { $0.spec.containers[0].livenessProbe = Probe(exec: exec, terminationGracePeriodSeconds: 0) },
              ["spec.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0"])
        check("exec without command", { $0.spec.containers[0].livenessProbe = Probe(exec: ExecAction()) },
              ["spec.containers[0].livenessProbe.exec.command: Required value"])
        check("http port zero", { $0.spec.containers[0].livenessProbe = Probe(httpGet: HTTPGetAction(port: .int(0))) },
              ["spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive"])
        check("http port name", { $0.spec.containers[0].livenessProbe = Probe(httpGet: HTTPGetAction(port: .string("HTTP"))) },
              ["spec.containers[0].livenessProbe.httpGet.port: Invalid value: \"HTTP\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
               "spec.containers[0].livenessProbe.httpGet.port: Invalid value: \"HTTP\": must contain at least one letter (a-z)"])
        check("http scheme", { $0.spec.containers[0].livenessProbe = Probe(httpGet: HTTPGetAction(port: .int(80), scheme: "FTP")) },
              ["spec.containers[0].livenessProbe.httpGet.scheme: Unsupported value: \"FTP\": supported values: \"HTTP\", \"HTTPS\""])
        check("http header", {
            $0.spec.containers[0].livenessProbe = Probe(httpGet: HTTPGetAction(port: .int(80), httpHeaders: [HTTPHeader(name: "X Bad", value: "v")]))
        }, ["spec.containers[0].livenessProbe.httpGet.httpHeaders: Invalid value: \"X Bad\": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"])
        check("grpc port", { $0.spec.containers[0].livenessProbe = Probe(grpc: GRPCAction(port: 0)) },
              ["spec.containers[0].livenessProbe.grpc.port: Invalid value: 0: must be between 1 and 65535, inclusive"])
        check("zero sleep", { $0.spec.containers[0].lifecycle = Lifecycle(preStop: LifecycleHandler(sleep: SleepAction(seconds: 0))) },
              ["spec.containers[0].lifecycle.preStop.sleep: Invalid value: 0: must be greater than 0 and less than terminationGracePeriodSeconds (30). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep."])
        var zeroSleep = PodValidationOptions()
        zeroSleep.allowZeroSleepAction = true
        check("zero sleep allowed", options: zeroSleep,
              { $0.spec.containers[0].lifecycle = Lifecycle(preStop: LifecycleHandler(sleep: SleepAction(seconds: 0))) }, [])
        check("hook without handler", { $0.spec.containers[0].lifecycle = Lifecycle(postStart: LifecycleHandler()) },
              ["spec.containers[0].lifecycle.postStart: Required value: must specify a handler type"])
    }

    func testResources() {
        check("request above limit", {
            $0.spec.containers[0].resources = ResourceRequirements(limits: ["cpu": "1"], requests: ["cpu": "2"])
        }, ["spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"])
        check("memory request above limit", {
            $0.spec.containers[0].resources = ResourceRequirements(limits: ["memory": "256Mi"], requests: ["memory": "512Mi"])
        }, ["spec.containers[0].resources.requests: Invalid value: \"512Mi\": must be less than or equal to memory limit of 256Mi"])
        check("negative limit", { $0.spec.containers[0].resources = ResourceRequirements(limits: ["memory": "-1"]) },
              ["spec.containers[0].resources.limits[memory]: Invalid value: \"-1\": must be greater than or equal to 0",
               "spec.containers[0].resources.requests[memory]: Invalid value: \"-1\": must be greater than or equal to 0"])
        check("unknown resource", { $0.spec.containers[0].resources = ResourceRequirements(requests: ["gpu": "1"]) },
              ["spec.containers[0].resources.requests[gpu]: Invalid value: gpu: must be a standard resource type or fully qualified",
               "spec.containers[0].resources.requests[gpu]: Invalid value: gpu: must be a standard resource for containers"])
        check("extended resource request must equal its limit", {
            $0.spec.containers[0].resources = ResourceRequirements(limits: ["example.com/gpu": "2"], requests: ["example.com/gpu": "1"])
        }, ["spec.containers[0].resources.requests: Invalid value: \"1\": must be equal to example.com/gpu limit of 2"])
        check("extended resource needs a limit", {
            $0.spec.containers[0].resources = ResourceRequirements(requests: ["example.com/gpu": "1"])
        }, ["spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources"])
        check("huge pages alone", {
            $0.spec.containers[0].resources = ResourceRequirements(limits: ["hugepages-2Mi": "4Mi"])
        }, ["spec.containers[0].resources: Forbidden: HugePages require cpu or memory"])
    }

    func testSecurityContexts() {
        check("run as user", { $0.spec.containers[0].securityContext = SecurityContext(runAsUser: -1) },
              ["spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive"])
        check("localhost seccomp profile missing", {
            $0.spec.containers[0].securityContext = SecurityContext(seccompProfile: SeccompProfile(type: .localhost))
        }, ["spec.containers[0].securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost"])
        check("seccomp type", { $0.spec.securityContext?.seccompProfile = SeccompProfile(type: "Default") },
              ["spec.securityContext.seccompProfile.type: Unsupported value: \"Default\": supported values: \"Localhost\", \"RuntimeDefault\", \"Unconfined\""])
        var noPrivileged = PodValidationOptions()
        noPrivileged.allowPrivileged = false
        check("privileged disallowed", options: noPrivileged,
              { $0.spec.containers[0].securityContext = SecurityContext(privileged: true) },
              ["spec.containers[0].securityContext.privileged: Forbidden: disallowed by cluster policy"])
        check("privileged allowed by default", { $0.spec.containers[0].securityContext = SecurityContext(privileged: true) }, [])
        check("unmasked proc with host users", { $0.spec.containers[0].securityContext = SecurityContext(procMount: .unmasked) },
              ["spec.containers[0].securityContext.procMount: Invalid value: \"Unmasked\": `hostUsers` must be false to use `Unmasked`"])
        check("pod fsGroup", { $0.spec.securityContext?.fsGroup = 1 << 31 },
              ["spec.securityContext.fsGroup: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive"])
        check("shared process namespace with host PID", {
            $0.spec.shareProcessNamespace = true
            $0.spec.hostPID = true
        }, ["spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled"])
        check("net sysctl with host network", {
            $0.spec.hostNetwork = true
            $0.spec.containers[0].ports = nil
            $0.spec.securityContext?.sysctls = [Sysctl(name: "net.core.somaxconn", value: "1024")]
        }, ["spec.securityContext.sysctls[0].name: Invalid value: \"net.core.somaxconn\": may not be specified when 'hostNetwork' is true"])
    }

    func testNegativeGracePeriodIsAWarningNotAnError() {
        var pod = Self.validPod()
        pod.spec.terminationGracePeriodSeconds = -5
        XCTAssertEqual(pod.validateCreate(), [])
        XCTAssertEqual(PodValidation.warnings(pod),
                       ["spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1"])
        XCTAssertEqual(PodValidation.warnings(Self.validPod()), [])
    }

    func testSeveralErrorsPrintAsUpstreamsAggregate() {
        var pod = Self.validPod()
        pod.metadata.name = nil
        pod.spec.containers[0].image = ""
        let errors = pod.validateCreate()
        XCTAssertEqual(errors.description,
                       "[metadata.name: Required value: name or generateName is required, spec.containers[0].image: Required value]")
        XCTAssertEqual(errors.map(\.kind), [.required, .required])
        XCTAssertEqual(errors.first?.body, "Required value: name or generateName is required")
    }

    // MARK: Field errors themselves

    func testFieldPathPrinting() {
        let path = FieldPath().child("spec").child("containers").index(0).child("image")
        XCTAssertEqual(path.description, "spec.containers[0].image")
        XCTAssertEqual(FieldPath("metadata").child("labels").key("app").description, "metadata.labels[app]")
        XCTAssertEqual(FieldPath("spec", "volumes").index(2).child("projected", "sources").index(0).description,
                       "spec.volumes[2].projected.sources[0]")
        XCTAssertEqual(FieldPath().description, "")
    }

    func testFieldErrorFormats() {
        let path = FieldPath("spec", "field")
        XCTAssertEqual(FieldError.required(path).description, "spec.field: Required value")
        XCTAssertEqual(FieldError.required(path, "why").description, "spec.field: Required value: why")
        XCTAssertEqual(FieldError.invalid(path, "Foo", "detail").description, "spec.field: Invalid value: \"Foo\": detail")
        XCTAssertEqual(FieldError.invalid(path, Int32(-3), "detail").description, "spec.field: Invalid value: -3: detail")
        XCTAssertEqual(FieldError.invalid(path, .bool(false), "no").description, "spec.field: Invalid value: false: no")
        XCTAssertEqual(FieldError.invalid(path, .null, "nil").description, "spec.field: Invalid value: \"null\": nil")
        XCTAssertEqual(FieldError.notSupported(path, "X", supported: ["A", "B"]).description,
                       "spec.field: Unsupported value: \"X\": supported values: \"A\", \"B\"")
        XCTAssertEqual(FieldError.notSupported(path, "X", supported: []).description, "spec.field: Unsupported value: \"X\"")
        XCTAssertEqual(FieldError.duplicate(path, "a").description, "spec.field: Duplicate value: \"a\"")
        XCTAssertEqual(FieldError.notFound(path, "a").description, "spec.field: Not found: \"a\"")
        XCTAssertEqual(FieldError.forbidden(path, "not here").description, "spec.field: Forbidden: not here")
        XCTAssertEqual(FieldError.tooLong(path, maxLength: 10).description, "spec.field: Too long: may not be more than 10 bytes")
        XCTAssertEqual(FieldError.tooLong(path, maxLength: -1).description, "spec.field: Too long: value is too long")
        XCTAssertEqual(FieldError.tooMany(path, actual: 5, max: 3).description, "spec.field: Too many: 5: must have at most 3 items")
        XCTAssertEqual(FieldError.tooMany(path, actual: -1, max: 3).description, "spec.field: Too many: must have at most 3 items")
        XCTAssertEqual(FieldError.internal(path, "boom").description, "spec.field: Internal error: boom")
        XCTAssertEqual(FieldError.required(path).kind.rawValue, "FieldValueRequired")
    }

    func testValuesAreQuotedAsGoQuotes() {
        let path = FieldPath("f")
        XCTAssertEqual(FieldError.invalid(path, "a\"b\\c", "d").body, #"Invalid value: "a\"b\\c": d"#)
        XCTAssertEqual(FieldError.invalid(path, "tab\there\nnl", "d").body, #"Invalid value: "tab\there\nnl": d"#)
        XCTAssertEqual(FieldError.invalid(path, "\u{1}\u{7F}", "d").body, #"Invalid value: "\x01\x7f": d"#)
        XCTAssertEqual(FieldError.invalid(path, "ünïcödé ✓", "d").body, #"Invalid value: "ünïcödé ✓": d"#)
        XCTAssertEqual(FieldError.invalid(path, "\u{200B}", "d").body, #"Invalid value: "\u200b": d"#)
    }

    func testAggregateFormatting() {
        let a = FieldError.required(FieldPath("a"))
        let b = FieldError.required(FieldPath("b"))
        XCTAssertEqual(FieldErrorList().description, "")
        XCTAssertEqual(FieldErrorList([a]).description, "a: Required value")
        XCTAssertEqual(FieldErrorList([a, b]).description, "[a: Required value, b: Required value]")
        XCTAssertEqual(FieldErrorList([a, a]).description, "a: Required value", "duplicates collapse")
        XCTAssertEqual(FieldErrorList([a, b, a]).description, "[a: Required value, b: Required value]")
    }
}
