import Foundation
import XCTest

@testable import KubeAPI

final class PodTests: XCTestCase {
    // MARK: Decoding real-world pods

    func testDecodesWebServerPod() throws {
        let pod = try decodePod(String(decoding: try fixture("nginx-pod.yaml"), as: UTF8.self))
        XCTAssertEqual(pod.metadata.name, "web")
        XCTAssertEqual(pod.metadata.labels, ["app": "web", "tier": "frontend"])
        XCTAssertEqual(pod.metadata.annotations?["example.com/owner"], "team-web")

        let nginx = try XCTUnwrap(pod.spec.containers.first)
        XCTAssertEqual(nginx.name, "nginx")
        XCTAssertEqual(nginx.image, "nginx:1.27.2")
        XCTAssertEqual(nginx.ports, [ContainerPort(name: "http", containerPort: 80),
                                     ContainerPort(containerPort: 9113, protocol: .tcp)])
        XCTAssertEqual(nginx.env?[0].valueFrom?.fieldRef, ObjectFieldSelector(fieldPath: "status.podIP"))
        XCTAssertEqual(nginx.env?[1], EnvVar(name: "GREETING", value: "hello"))
        XCTAssertEqual(nginx.env?[2].valueFrom?.resourceFieldRef?.divisor, "1Mi")
        XCTAssertEqual(nginx.envFrom, [EnvFromSource(prefix: "WEB_", configMapRef: ConfigMapEnvSource(name: "web-config"))])

        let resources = try XCTUnwrap(nginx.resources)
        XCTAssertEqual(resources.requests?["cpu"]?.milliValue, 100)
        XCTAssertEqual(resources.requests?["memory"]?.value, 128 * 1024 * 1024)
        XCTAssertEqual(resources.limits?["cpu"]?.value, 1)
        XCTAssertEqual(resources.limits?["memory"]?.value, 256 * 1024 * 1024)

        let liveness = try XCTUnwrap(nginx.livenessProbe)
        XCTAssertEqual(liveness.httpGet?.port, .string("http"))
        XCTAssertEqual(liveness.httpGet?.path, "/healthz")
        XCTAssertEqual(liveness.httpGet?.httpHeaders, [HTTPHeader(name: "X-Probe", value: "liveness")])
        XCTAssertEqual(liveness.initialDelaySeconds, 5)
        XCTAssertEqual(liveness.periodSeconds, 15)
        XCTAssertNil(liveness.timeoutSeconds, "not defaulted by decoding")
        XCTAssertEqual(nginx.readinessProbe?.tcpSocket?.port, .int(80))

        XCTAssertEqual(nginx.volumeMounts?.map(\.name), ["html", "cache", "config"])
        XCTAssertEqual(nginx.volumeMounts?[0].readOnly, true)
        XCTAssertEqual(nginx.volumeMounts?[2].subPath, "default.conf")
        XCTAssertEqual(nginx.securityContext?.capabilities, Capabilities(add: ["NET_BIND_SERVICE"], drop: ["ALL"]))
        XCTAssertEqual(nginx.securityContext?.allowPrivilegeEscalation, false)
        XCTAssertEqual(nginx.securityContext?.seccompProfile, SeccompProfile(type: .runtimeDefault))

        let volumes = try XCTUnwrap(pod.spec.volumes)
        XCTAssertEqual(volumes[0].hostPath, HostPathVolumeSource(path: "/srv/www", type: .directoryOrCreate))
        XCTAssertEqual(volumes[1].emptyDir?.medium, .memory)
        XCTAssertEqual(volumes[1].emptyDir?.sizeLimit?.value, 64 * 1024 * 1024)
        // YAML 1.1, as upstream reads it: a leading zero means octal.
        XCTAssertEqual(volumes[2].configMap?.defaultMode, 0o644)
        XCTAssertEqual(volumes[2].configMap?.items, [KeyToPath(key: "nginx.conf", path: "default.conf")])
        XCTAssertNil(pod.status)
    }

    func testDecodesPodWithInitContainerAndSidecar() throws {
        let pod = try decodePod(String(decoding: try fixture("sidecar-pod.yaml"), as: UTF8.self))
        XCTAssertEqual(pod.spec.restartPolicy, .onFailure)
        XCTAssertEqual(pod.spec.terminationGracePeriodSeconds, 45)
        XCTAssertEqual(pod.spec.shareProcessNamespace, true)

        let initContainers = try XCTUnwrap(pod.spec.initContainers)
        XCTAssertEqual(initContainers.map(\.name), ["migrate", "log-shipper"])
        XCTAssertFalse(initContainers[0].isSidecar)
        XCTAssertTrue(initContainers[1].isSidecar)
        XCTAssertEqual(initContainers[1].startupProbe?.exec?.command, ["test", "-S", "/run/fluent.sock"])
        XCTAssertEqual(initContainers[1].startupProbe?.failureThreshold, 30)

        let app = try XCTUnwrap(pod.spec.containers.first)
        XCTAssertEqual(app.args, ["serve", "--port=8080"])
        XCTAssertEqual(app.workingDir, "/srv")
        XCTAssertEqual(app.startupProbe?.grpc, GRPCAction(port: 8080, service: "shop.Health"))
        XCTAssertEqual(app.livenessProbe?.grpc, GRPCAction(port: 8080))
        XCTAssertEqual(app.livenessProbe?.terminationGracePeriodSeconds, 10)
        XCTAssertEqual(app.lifecycle?.postStart?.exec?.command?.first, "/bin/sh")
        XCTAssertEqual(app.lifecycle?.preStop?.sleep, SleepAction(seconds: 5))
        XCTAssertEqual(app.env?[0].valueFrom?.secretKeyRef, SecretKeySelector(name: "db", key: "password"))
        XCTAssertEqual(app.volumeMounts?[0].subPathExpr, "$(NODE)")
        XCTAssertEqual(app.securityContext?.runAsNonRoot, true)
        XCTAssertEqual(app.securityContext?.readOnlyRootFilesystem, true)
        XCTAssertEqual(app.stdin, true)
        XCTAssertEqual(app.tty, true)

        let security = try XCTUnwrap(pod.spec.securityContext)
        XCTAssertEqual(security.runAsUser, 1000)
        XCTAssertEqual(security.runAsGroup, 3000)
        XCTAssertEqual(security.fsGroup, 2000)
        XCTAssertEqual(security.supplementalGroups, [4000])
        XCTAssertEqual(security.sysctls, [Sysctl(name: "net.ipv4.ip_unprivileged_port_start", value: "0")])
        XCTAssertEqual(pod.spec.tolerations, [Toleration(key: "node.kubernetes.io/not-ready", operator: .exists,
                                                         effect: .noExecute, tolerationSeconds: 300)])

        let volumes = try XCTUnwrap(pod.spec.volumes)
        XCTAssertEqual(volumes[0].emptyDir, EmptyDirVolumeSource())
        XCTAssertEqual(volumes[1].downwardAPI?.items?[1].resourceFieldRef,
                       ResourceFieldSelector(containerName: "app", resource: "limits.cpu", divisor: "1m"))
        XCTAssertEqual(volumes[2].projected?.sources.first?.serviceAccountToken,
                       ServiceAccountTokenProjection(audience: "vault", path: "vault-token"))
        XCTAssertEqual(volumes[2].projected?.sources.last?.configMap?.name, "ca")
        XCTAssertEqual(volumes[3].secret, SecretVolumeSource(secretName: "shop-tls", defaultMode: 0o400))
    }

    func testDecodesKubeadmStaticPod() throws {
        var pod = try decodePod(String(decoding: try fixture("etcd-static-pod.yaml"), as: UTF8.self))
        XCTAssertEqual(pod.metadata.namespace, "kube-system")
        XCTAssertNil(pod.metadata.creationTimestamp, "null decodes as unset")
        XCTAssertEqual(pod.spec.hostNetwork, true)
        XCTAssertEqual(pod.spec.priority, 2_000_001_000)
        XCTAssertEqual(pod.spec.priorityClassName, "system-node-critical")
        let etcd = try XCTUnwrap(pod.spec.containers.first)
        XCTAssertEqual(etcd.livenessProbe?.httpGet, HTTPGetAction(path: "/livez", port: .int(2381), host: "127.0.0.1", scheme: .http))
        XCTAssertEqual(etcd.startupProbe?.failureThreshold, 24)
        XCTAssertEqual(pod.status, PodStatus())

        pod.setDefaults()
        XCTAssertEqual(pod.validateCreate(), [], "kubeadm's own manifest is valid")
    }

    func testJSONPodWithStatusAndUnknownFields() throws {
        let objects = try Manifest.decode(try fixture("pod.json"))
        guard case .pod(let pod) = try XCTUnwrap(objects.first) else { return XCTFail("not a pod: \(objects)") }
        let main = try XCTUnwrap(pod.spec.containers.first)
        XCTAssertEqual(main.ports, [ContainerPort(hostPort: 18080, containerPort: 8080, protocol: .udp)])
        XCTAssertEqual(main.resources?.limits?["cpu"]?.milliValue, 500, "a JSON number is a quantity too")

        let status = try XCTUnwrap(pod.status)
        XCTAssertEqual(status.phase, .running)
        XCTAssertEqual(status.podIPs, [PodIP(ip: "10.42.0.7")])
        XCTAssertEqual(status.startTime, try Time(rfc3339: "2024-05-01T12:00:00Z"))
        XCTAssertEqual(status.qosClass, .burstable)
        XCTAssertEqual(status.conditions?.first?.type, .ready)
        XCTAssertEqual(status.conditions?.first?.status, .true)
        let containerStatus = try XCTUnwrap(status.containerStatuses?.first)
        XCTAssertTrue(containerStatus.ready)
        XCTAssertEqual(containerStatus.restartCount, 2)
        XCTAssertEqual(containerStatus.started, true)
        XCTAssertEqual(containerStatus.state.running?.startedAt?.description, "2024-05-01T12:00:01Z")
        XCTAssertEqual(containerStatus.lastState.terminated?.exitCode, 137)
        XCTAssertEqual(containerStatus.lastState.terminated?.reason, "OOMKilled")
    }

    // MARK: Encoding

    func testEncodingOmitsUnsetFields() throws {
        let pod = Pod(metadata: ObjectMeta(name: "tiny"),
                      spec: PodSpec(containers: [Container(name: "c", image: "busybox")]))
        XCTAssertEqual(
            try canonicalJSON(pod),
            #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"tiny"},"spec":{"containers":[{"image":"busybox","name":"c"}]}}"#)
    }

    func testEncodingKeepsFieldsUpstreamAlwaysWrites() throws {
        // ContainerStatus writes ready/restartCount/image/imageID/state even when zero, as upstream does.
        let status = ContainerStatus(name: "c", state: ContainerState(waiting: ContainerStateWaiting(reason: "ContainerCreating")))
        XCTAssertEqual(
            try canonicalJSON(status),
            #"{"image":"","imageID":"","lastState":{},"name":"c","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ContainerCreating"}}}"#)
        let terminated = ContainerStateTerminated(exitCode: 0, finishedAt: Time(secondsSince1970: 1_714_564_800))
        XCTAssertEqual(try canonicalJSON(terminated), #"{"exitCode":0,"finishedAt":"2024-05-01T12:00:00Z"}"#)
    }

    func testRoundTripPreservesEveryFixture() throws {
        for name in ["nginx-pod.yaml", "sidecar-pod.yaml", "etcd-static-pod.yaml", "pod.json"] {
            let objects = try Manifest.decode(try fixture(name))
            guard case .pod(let pod) = try XCTUnwrap(objects.first) else { return XCTFail(name) }
            let data = try JSONEncoder().encode(pod)
            let decoded = try JSONDecoder().decode(Pod.self, from: data)
            XCTAssertEqual(decoded, pod, name)
        }
    }

    func testUnknownVolumeSourcesSurviveARoundTrip() throws {
        let pod = try decodePod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: default}
            spec:
              containers: [{name: c, image: i}]
              volumes:
              - name: data
                nfs: {server: nas.local, path: /export}
                notAVolumeSource: {ignored: true}
            """)
        let volume = try XCTUnwrap(pod.spec.volumes?.first)
        XCTAssertEqual(volume.otherSources, ["nfs": .object(["server": .string("nas.local"), "path": .string("/export")])])
        XCTAssertEqual(try canonicalJSON(volume), #"{"name":"data","nfs":{"path":"/export","server":"nas.local"}}"#)
    }

    func testAffinityAndTopologySpreadAreTypedAndRoundTrip() throws {
        // Keys sorted and compact, so the re-encoding must equal the input byte for byte.
        let json = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"affinity":{"#
            + #""nodeAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"preference":{"matchExpressions":"#
            + #"[{"key":"disktype","operator":"In","values":["ssd"]}]},"weight":20}],"#
            + #""requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":"#
            + #"[{"key":"kubernetes.io/os","operator":"In","values":["linux"]},{"key":"example.com/gpu","operator":"DoesNotExist"}]},"#
            + #"{"matchFields":[{"key":"metadata.name","operator":"NotIn","values":["node-a"]}]}]}},"#
            + #""podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matchExpressions":"#
            + #"[{"key":"app","operator":"In","values":["web"]}]},"topologyKey":"kubernetes.io/hostname"}]}},"#
            + #""containers":[{"image":"nginx","name":"web"}],"#
            + #""topologySpreadConstraints":[{"labelSelector":{"matchLabels":{"app":"web"}},"matchLabelKeys":["pod-template-hash"],"#
            + #""maxSkew":1,"nodeTaintsPolicy":"Honor","topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"DoNotSchedule"}]}}"#
        let pod = try decodePod(json)
        let affinity = try XCTUnwrap(pod.spec.affinity)
        let required = try XCTUnwrap(affinity.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution)
        XCTAssertEqual(required.nodeSelectorTerms.count, 2)
        XCTAssertEqual(required.nodeSelectorTerms[0].matchExpressions?[1],
                       NodeSelectorRequirement(key: "example.com/gpu", operator: .doesNotExist))
        XCTAssertEqual(required.nodeSelectorTerms[1].matchFields?.first?.operator, .notIn)
        let preferred = try XCTUnwrap(affinity.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.first)
        XCTAssertEqual(preferred.weight, 20)
        XCTAssertEqual(preferred.preference.matchExpressions,
                       [NodeSelectorRequirement(key: "disktype", operator: .in, values: ["ssd"])])
        XCTAssertNil(affinity.podAffinity)
        let anti = try XCTUnwrap(affinity.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.first)
        XCTAssertEqual(anti.topologyKey, "kubernetes.io/hostname")
        XCTAssertEqual(anti.labelSelector?.matchExpressions?.first?.key, "app")
        let spread = try XCTUnwrap(pod.spec.topologySpreadConstraints?.first)
        XCTAssertEqual(spread.maxSkew, 1)
        XCTAssertEqual(spread.whenUnsatisfiable, .doNotSchedule)
        XCTAssertEqual(spread.nodeTaintsPolicy, .honor)
        XCTAssertNil(spread.nodeAffinityPolicy)
        XCTAssertEqual(spread.labelSelector?.matchLabels, ["app": "web"])
        XCTAssertEqual(try canonicalJSON(pod), json)

        // Fields upstream always writes come back even when the manifest left them out.
        let sparse = try decodePod(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c"}],"#
            + #""affinity":{"podAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"podAffinityTerm":{}}]}},"#
            + #""topologySpreadConstraints":[{}]}}"#)
        XCTAssertEqual(try canonicalJSON(sparse.spec.affinity),
                       #"{"podAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"podAffinityTerm":{"topologyKey":""},"weight":0}]}}"#)
        XCTAssertEqual(try canonicalJSON(sparse.spec.topologySpreadConstraints),
                       #"[{"maxSkew":0,"topologyKey":"","whenUnsatisfiable":""}]"#)
    }

    func testAffinityAndTopologySpreadSchemasRequireWhatUpstreamRequires() throws {
        let catalog = SchemaCatalog([Pod.self])
        XCTAssertEqual(catalog.failures, [])
        let spec = try XCTUnwrap(catalog.definitions["io.k8s.api.core.v1.PodSpec"])
        XCTAssertEqual(spec.properties.first { $0.name == "affinity" }?.type, .definition("io.k8s.api.core.v1.Affinity"))
        XCTAssertEqual(spec.properties.first { $0.name == "topologySpreadConstraints" }?.type,
                       .array(.definition("io.k8s.api.core.v1.TopologySpreadConstraint")))
        let required: [String: [String]] = [
            "Affinity": [], "NodeAffinity": [], "NodeSelector": ["nodeSelectorTerms"], "NodeSelectorTerm": [],
            "NodeSelectorRequirement": ["key", "operator"], "PreferredSchedulingTerm": ["weight", "preference"],
            "PodAffinity": [], "PodAntiAffinity": [], "PodAffinityTerm": ["topologyKey"],
            "WeightedPodAffinityTerm": ["weight", "podAffinityTerm"],
            "TopologySpreadConstraint": ["maxSkew", "topologyKey", "whenUnsatisfiable"],
        ]
        for (name, fields) in required {
            let definition = try XCTUnwrap(catalog.definitions["io.k8s.api.core.v1.\(name)"], name)
            XCTAssertEqual(definition.required, fields, name)
        }
        let requirement = try XCTUnwrap(catalog.definitions["io.k8s.api.core.v1.NodeSelectorRequirement"])
        XCTAssertEqual(requirement.properties.first { $0.name == "operator" }?.type,
                       .enumeration(["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"]))
        let term = try XCTUnwrap(catalog.definitions["io.k8s.api.core.v1.PodAffinityTerm"])
        XCTAssertEqual(term.properties.first { $0.name == "labelSelector" }?.type,
                       .definition("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"))
    }

    // MARK: Defaulting

    func testDefaultsMatchUpstream() throws {
        var pod = try decodePod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: d, namespace: default}
            spec:
              containers:
              - name: app
                image: example.com/app:2.0
                ports: [{containerPort: 8080}]
                env: [{name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
                resources:
                  limits: {cpu: "2", memory: 1Gi}
                  requests: {cpu: 500m}
                livenessProbe:
                  httpGet: {port: 8080}
                readinessProbe:
                  grpc: {port: 9090}
                  successThreshold: 0
                lifecycle:
                  preStop:
                    httpGet: {port: 8080, path: /drain}
              volumes:
              - name: scratch
              - name: host
                hostPath: {path: /var/log}
              - name: conf
                configMap: {name: conf}
              - name: creds
                secret: {secretName: creds}
              - name: info
                downwardAPI:
                  items: [{path: name, fieldRef: {fieldPath: metadata.name}}]
              - name: token
                projected:
                  sources: [{serviceAccountToken: {path: token}}]
            """)
        pod.setDefaults()
        let spec = pod.spec
        XCTAssertEqual(spec.restartPolicy, .always)
        XCTAssertEqual(spec.dnsPolicy, .clusterFirst)
        XCTAssertEqual(spec.terminationGracePeriodSeconds, 30)
        XCTAssertEqual(spec.schedulerName, "default-scheduler")
        XCTAssertEqual(spec.securityContext, PodSecurityContext())
        XCTAssertEqual(spec.enableServiceLinks, true)

        let app = spec.containers[0]
        XCTAssertEqual(app.imagePullPolicy, .ifNotPresent)
        XCTAssertEqual(app.terminationMessagePath, "/dev/termination-log")
        XCTAssertEqual(app.terminationMessagePolicy, .file)
        XCTAssertEqual(app.ports?.first?.protocol, .tcp)
        XCTAssertNil(app.ports?.first?.hostPort, "no host port without hostNetwork")
        XCTAssertEqual(app.env?.first?.valueFrom?.fieldRef?.apiVersion, "v1")
        // Requests the user set stay; the missing ones come from the limits.
        XCTAssertEqual(app.resources?.requests, ["cpu": "500m", "memory": "1Gi"])
        XCTAssertEqual(app.livenessProbe, Probe(httpGet: HTTPGetAction(path: "/", port: .int(8080), scheme: .http),
                                                timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3))
        XCTAssertEqual(app.readinessProbe?.grpc, GRPCAction(port: 9090, service: ""))
        XCTAssertEqual(app.readinessProbe?.successThreshold, 1, "zero means unset to upstream")
        XCTAssertEqual(app.lifecycle?.preStop?.httpGet, HTTPGetAction(path: "/drain", port: .int(8080), scheme: .http))

        let volumes = try XCTUnwrap(spec.volumes)
        XCTAssertEqual(volumes[0].emptyDir, EmptyDirVolumeSource(), "a volume without a source is an emptyDir")
        XCTAssertEqual(volumes[1].hostPath?.type, .unset)
        XCTAssertEqual(volumes[2].configMap?.defaultMode, 0o644)
        XCTAssertEqual(volumes[3].secret?.defaultMode, 0o644)
        XCTAssertEqual(volumes[4].downwardAPI?.defaultMode, 0o644)
        XCTAssertEqual(volumes[4].downwardAPI?.items?.first?.fieldRef?.apiVersion, "v1")
        XCTAssertEqual(volumes[5].projected?.defaultMode, 0o644)
        XCTAssertEqual(volumes[5].projected?.sources.first?.serviceAccountToken?.expirationSeconds, 3600)

        var again = pod
        again.setDefaults()
        XCTAssertEqual(again, pod, "defaulting is idempotent")
    }

    func testPullPolicyFollowsTheImageTag() {
        let cases: [(String, PullPolicy)] = [
            ("nginx", .always), ("nginx:latest", .always), ("docker.io/library/nginx", .always),
            ("localhost:5000/team/app", .always), ("registry.example.com:5000/app:latest", .always),
            ("nginx:1.27", .ifNotPresent), ("registry.example.com:5000/app:v2", .ifNotPresent),
            ("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", .ifNotPresent),
            // Upstream cannot parse these and falls back to IfNotPresent.
            ("Nginx", .ifNotPresent), ("nginx:", .ifNotPresent), ("", .ifNotPresent),
        ]
        for (image, expected) in cases {
            var container = Container(name: "c", image: image)
            container.setDefaults()
            XCTAssertEqual(container.imagePullPolicy, expected, image)
        }
        var explicit = Container(name: "c", image: "nginx", imagePullPolicy: .never)
        explicit.setDefaults()
        XCTAssertEqual(explicit.imagePullPolicy, .never, "a set policy is kept")
    }

    func testHostNetworkMakesContainerPortsHostPorts() throws {
        var pod = Pod(metadata: ObjectMeta(name: "h", namespace: "default"),
                      spec: PodSpec(initContainers: [Container(name: "i", image: "i", ports: [ContainerPort(containerPort: 53)])],
                                    containers: [Container(name: "c", image: "c",
                                                           ports: [ContainerPort(containerPort: 80),
                                                                   ContainerPort(hostPort: 8443, containerPort: 443)])],
                                    hostNetwork: true))
        pod.setDefaults()
        XCTAssertEqual(pod.spec.containers[0].ports?.map(\.hostPort), [80, 8443])
        XCTAssertEqual(pod.spec.initContainers?[0].ports?.first?.hostPort, 53)
    }

    // MARK: ConfigMap, Secret, Time

    func testConfigMapAndSecretData() throws {
        let objects = try Manifest.decode(try fixture("static-bundle.yaml"))
        XCTAssertEqual(objects.map(\.kind), ["ConfigMap", "Secret", "Pod"])
        guard case .configMap(var configMap) = objects[0], case .secret(var secret) = objects[1] else {
            return XCTFail("unexpected objects \(objects)")
        }
        XCTAssertEqual(configMap.data?["nginx.conf"], "server { listen 80; }\n")
        XCTAssertEqual(configMap.data?["enabled"], "true")
        XCTAssertEqual(configMap.binaryData?["logo.png"], Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        XCTAssertEqual(secret.type, .opaque)
        XCTAssertEqual(secret.data?["password"], Data("secret".utf8))
        XCTAssertEqual(secret.effectiveData, ["password": Data("secret".utf8), "user": Data("admin".utf8)])
        XCTAssertEqual(try canonicalJSON(secret),
                       #"{"apiVersion":"v1","data":{"password":"c2VjcmV0"},"kind":"Secret","metadata":{"name":"db","namespace":"default"},"stringData":{"user":"admin"},"type":"Opaque"}"#)

        secret.type = nil
        secret.setDefaults()
        XCTAssertEqual(secret.type, .opaque)
        configMap.data = nil
        configMap.setDefaults()
        XCTAssertEqual(configMap.data, [:])
    }

    func testTimeParsesRFC3339AndPrintsUTCSeconds() throws {
        XCTAssertEqual(try Time(rfc3339: "2024-05-01T12:00:00Z").secondsSince1970, 1_714_564_800)
        XCTAssertEqual(try Time(rfc3339: "2024-05-01T14:00:00+02:00").description, "2024-05-01T12:00:00Z")
        XCTAssertEqual(try Time(rfc3339: "2024-05-01T12:00:00.75Z").secondsSince1970, 1_714_564_800.75)
        XCTAssertEqual(Time(secondsSince1970: 1_714_564_800.75).description, "2024-05-01T12:00:00Z", "fractions dropped")
        XCTAssertEqual(Time(secondsSince1970: 0).description, "1970-01-01T00:00:00Z")
        XCTAssertEqual(Time(secondsSince1970: -1).description, "1969-12-31T23:59:59Z")
        XCTAssertEqual(try Time(rfc3339: "2000-02-29T23:59:59Z").description, "2000-02-29T23:59:59Z")
        XCTAssertThrowsError(try Time(rfc3339: "2024-05-01 12:00:00"))
        XCTAssertThrowsError(try Time(rfc3339: "2024-13-01T12:00:00Z"))
    }
}
