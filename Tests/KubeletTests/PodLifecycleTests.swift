import ContainerRuntime
import KubeAPI
@testable import Kubelet
import XCTest

final class BackoffTests: XCTestCase {
    func testFirstRestartIsImmediateThenDoublesToTheCap() {
        var backoff = Backoff()
        let key = "uid/app"
        XCTAssertFalse(backoff.isInBackoff(key, since: 100, now: 100))
        backoff.next(key, eventTime: 100)
        XCTAssertEqual(backoff.delay(key), 10)
        XCTAssertTrue(backoff.isInBackoff(key, since: 101, now: 110.9))
        XCTAssertFalse(backoff.isInBackoff(key, since: 101, now: 111))
        var delays: [Double] = []
        var t = 111.0
        for _ in 0..<7 {
            backoff.next(key, eventTime: t)
            delays.append(backoff.delay(key))
            t += backoff.delay(key)
        }
        XCTAssertEqual(delays, [20, 40, 80, 160, 300, 300, 300])
    }

    func testAFailureLongAfterTheLastStartsOver() {
        var backoff = Backoff()
        backoff.next("k", eventTime: 0)
        backoff.next("k", eventTime: 10)
        XCTAssertEqual(backoff.delay("k"), 20)
        backoff.next("k", eventTime: 10 + 600)  // exactly 2 × max: not yet expired
        XCTAssertEqual(backoff.delay("k"), 40)
        backoff.next("k", eventTime: 610 + 601)
        XCTAssertEqual(backoff.delay("k"), 10)
        backoff.forget(prefix: "k")
        XCTAssertEqual(backoff.delay("k"), 0)
    }
}

final class PodStatusTests: XCTestCase {
    func pod(_ restartPolicy: RestartPolicy = .always, initContainers: [String] = [], sidecars: [String] = [],
             containers: [String] = ["app"]) -> Pod {
        var pod = Pod()
        pod.metadata.name = "web-node1"
        pod.metadata.namespace = "default"
        pod.metadata.uid = "u1"
        pod.spec.restartPolicy = restartPolicy
        var inits = initContainers.map { Container(name: $0, image: "busybox") }
        for name in sidecars {
            var sidecar = Container(name: name, image: "busybox")
            sidecar.restartPolicy = .always
            inits.append(sidecar)
        }
        pod.spec.initContainers = inits.isEmpty ? nil : inits
        pod.spec.containers = containers.map { Container(name: $0, image: "busybox") }
        pod.spec.nodeName = "node1"
        return pod
    }

    func running(ready: Bool = true) -> ContainerObservation {
        var o = ContainerObservation()
        o.current = .init(id: "c1", startedAt: Time(secondsSince1970: 1000), exit: nil)
        o.ready = ready
        o.started = true
        return o
    }

    func exited(_ code: Int32, restarts: Int32 = 0) -> ContainerObservation {
        var o = ContainerObservation()
        o.current = .init(id: "c\(restarts)", startedAt: Time(secondsSince1970: 1000),
                          exit: .init(code: code, reason: code == 0 ? "Completed" : "Error", message: nil,
                                      finishedAt: Time(secondsSince1970: 1010)))
        o.restartCount = restarts
        return o
    }

    func status(_ pod: Pod, _ observations: [String: ContainerObservation]) -> PodStatus {
        PodStatusBuilder.status(pod: pod, observations: observations, podIP: "10.42.0.7", hostIP: "192.0.2.10", sandboxReady: true,
                                previous: nil, startTime: Time(secondsSince1970: 900), now: Time(secondsSince1970: 2000))
    }

    func testPhases() {
        XCTAssertEqual(status(pod(), [:]).phase, .pending)
        XCTAssertEqual(status(pod(), [:]).hostIP, "192.0.2.10")
        XCTAssertEqual(status(pod(), [:]).hostIPs, [HostIP(ip: "192.0.2.10")])
        XCTAssertEqual(status(pod(), ["app": running()]).phase, .running)
        XCTAssertEqual(status(pod(.always), ["app": exited(0)]).phase, .running)
        XCTAssertEqual(status(pod(.onFailure), ["app": exited(0)]).phase, .succeeded)
        XCTAssertEqual(status(pod(.onFailure), ["app": exited(1)]).phase, .running)
        XCTAssertEqual(status(pod(.never), ["app": exited(1)]).phase, .failed)
        XCTAssertEqual(status(pod(.never, containers: ["a", "b"]), ["a": exited(0), "b": running()]).phase, .running)
        XCTAssertEqual(status(pod(initContainers: ["setup"]), ["setup": running()]).phase, .pending)
        XCTAssertEqual(status(pod(.never, initContainers: ["setup"]), ["setup": exited(2)]).phase, .failed)
        XCTAssertEqual(status(pod(sidecars: ["proxy"]), ["proxy": running(), "app": running()]).phase, .running)
    }

    func testConditionsAndContainerStates() {
        var crash = exited(3, restarts: 1)
        crash.waiting = ("CrashLoopBackOff", "back-off 10s restarting failed container=app pod=web-node1_default(u1)")
        let s = status(pod(initContainers: ["setup"]), ["setup": exited(0), "app": crash])
        XCTAssertEqual(s.conditions?.map(\.type), [.podReadyToStartContainers, .initialized, .ready, .containersReady, .podScheduled])
        let ready = s.conditions?.first { $0.type == .ready }
        XCTAssertEqual(ready?.status, .false)
        XCTAssertEqual(ready?.reason, "ContainersNotReady")
        XCTAssertEqual(ready?.message, "containers with unready status: [app]")
        let app = s.containerStatuses?.first
        XCTAssertEqual(app?.state.waiting?.reason, "CrashLoopBackOff")
        XCTAssertEqual(app?.lastState.terminated?.exitCode, 3)
        XCTAssertEqual(app?.restartCount, 1)
        XCTAssertEqual(s.podIP, "10.42.0.7")
        XCTAssertEqual(s.qosClass, .bestEffort)
        XCTAssertEqual(PodRow(Pod(metadata: pod().metadata, spec: pod(initContainers: ["setup"]).spec, status: s),
                              now: Time(secondsSince1970: 2000)).restarts, "1 (16m ago)")

        let waiting = status(pod(initContainers: ["setup"]), ["setup": running()])
        XCTAssertEqual(waiting.conditions?.first { $0.type == .initialized }?.message, "containers with incomplete status: [setup]")
        XCTAssertEqual(waiting.containerStatuses?.first?.state.waiting?.reason, "PodInitializing")
    }

    func testTransitionTimesSurviveUnchangedConditions() {
        let p = pod()
        let first = PodStatusBuilder.status(pod: p, observations: ["app": running()], podIP: nil, hostIP: "192.0.2.10", sandboxReady: true,
                                            previous: nil, startTime: Time(secondsSince1970: 1), now: Time(secondsSince1970: 10))
        let second = PodStatusBuilder.status(pod: p, observations: ["app": running()], podIP: nil, hostIP: "192.0.2.10", sandboxReady: true,
                                             previous: first, startTime: Time(secondsSince1970: 50), now: Time(secondsSince1970: 99))
        XCTAssertEqual(second, first)
        let third = PodStatusBuilder.status(pod: p, observations: ["app": running(ready: false)], podIP: nil, hostIP: "192.0.2.10", sandboxReady: true,
                                            previous: second, startTime: Time(secondsSince1970: 50), now: Time(secondsSince1970: 120))
        XCTAssertEqual(third.conditions?.first { $0.type == .ready }?.lastTransitionTime, Time(secondsSince1970: 120))
        XCTAssertEqual(third.conditions?.first { $0.type == .podScheduled }?.lastTransitionTime, Time(secondsSince1970: 10))
        XCTAssertEqual(third.startTime, Time(secondsSince1970: 1))
    }
}

final class PodRowTests: XCTestCase {
    func testStatusColumnFollowsKubectl() throws {
        let yaml = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, creationTimestamp: "2026-01-01T00:00:00Z"}
            spec:
              nodeName: node1
              initContainers: [{name: a, image: x}, {name: b, image: x}]
              containers: [{name: app, image: x}]
            status:
              phase: Pending
              podIP: 10.42.0.9
              initContainerStatuses:
              - {name: a, state: {terminated: {exitCode: 0, reason: Completed}}, ready: false, restartCount: 0, image: x, imageID: ""}
              - {name: b, state: {running: {}}, ready: false, restartCount: 0, image: x, imageID: ""}
              containerStatuses:
              - {name: app, state: {waiting: {reason: PodInitializing}}, ready: false, restartCount: 0, image: x, imageID: ""}
            """
        guard case .pod(var pod) = try XCTUnwrap(Manifest.decode(yaml).first) else { return XCTFail("not a pod") }
        let now = try Time(rfc3339: "2026-01-01T03:04:05Z")
        var row = PodRow(pod, now: now)
        XCTAssertEqual([row.name, row.ready, row.status, row.restarts, row.age, row.ip, row.node],
                       ["web", "0/1", "Init:1/2", "0", "3h4m", "10.42.0.9", "node1"])
        pod.status?.initContainerStatuses?[1].state = ContainerState(waiting: ContainerStateWaiting(reason: "CrashLoopBackOff"))
        XCTAssertEqual(PodRow(pod, now: now).status, "Init:CrashLoopBackOff")
        pod.status?.initContainerStatuses?[1].state = ContainerState(terminated: ContainerStateTerminated(exitCode: 0, reason: "Completed"))
        pod.status?.containerStatuses?[0].state = ContainerState(running: ContainerStateRunning())
        pod.status?.containerStatuses?[0].ready = true
        pod.status?.phase = .running
        row = PodRow(pod, now: now)
        XCTAssertEqual([row.ready, row.status], ["1/1", "Running"])
        pod.status?.containerStatuses?[0].state = ContainerState(terminated: ContainerStateTerminated(exitCode: 137, signal: 9))
        XCTAssertEqual(PodRow(pod, now: now).status, "Signal:9")
    }

    func testHumanDuration() {
        let cases: [(Double, String)] = [(-5, "<invalid>"), (-0.5, "0s"), (0, "0s"), (119, "119s"), (120, "2m"), (125, "2m5s"),
                                         (600, "10m"), (3 * 3600 - 1, "179m"), (3 * 3600, "3h"), (3 * 3600 + 240, "3h4m"),
                                         (8 * 3600, "8h"), (47 * 3600, "47h"), (48 * 3600, "2d"), (50 * 3600, "2d2h"),
                                         (8 * 86400, "8d"), (730 * 86400, "2y"), (760 * 86400, "2y30d"), (8 * 365 * 86400, "8y")]
        for (seconds, text) in cases { XCTAssertEqual(humanDuration(seconds), text, "\(seconds)") }
    }
}

final class ContainerTranslationTests: XCTestCase {
    func testVariableExpansionAsKubernetesDoes() {
        let env = ["A": "1", "B": "two"]
        XCTAssertEqual(ContainerTranslation.expand("$(A)-$(B)", env), "1-two")
        XCTAssertEqual(ContainerTranslation.expand("$$(A) $(C) $A $", env), "$(A) $(C) $A $")
        XCTAssertEqual(ContainerTranslation.expand("$(A", env), "$(A")
    }

    func testQoSClasses() throws {
        func pod(_ resources: String) throws -> Pod {
            let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x\(resources)}]}\n"
            guard case .pod(let pod) = try XCTUnwrap(Manifest.decode(yaml).first) else { throw XCTSkip("not a pod") }
            return pod
        }
        XCTAssertEqual((try pod("")).qosClass, .bestEffort)
        XCTAssertEqual((try pod(", resources: {requests: {cpu: 100m}}")).qosClass, .burstable)
        XCTAssertEqual((try pod(", resources: {limits: {cpu: 1, memory: 1Gi}}")).qosClass, .guaranteed)
        XCTAssertEqual((try pod(", resources: {limits: {cpu: 1, memory: 1Gi}, requests: {cpu: 500m}}")).qosClass, .burstable)
        XCTAssertEqual(ContainerTranslation.podCgroup(try pod(""), parent: "swiftlet"), "swiftlet/kubepods/besteffort/pod")
    }

    func testSpecFromPod() throws {
        let yaml = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web-node1, namespace: prod, uid: abc, labels: {app: web}}
            spec:
              nodeName: node1
              terminationGracePeriodSeconds: 5
              securityContext: {runAsUser: 1000, runAsGroup: 2000}
              containers:
              - name: app
                image: busybox
                command: [sh, -c]
                args: ["echo $(GREETING) $(NODE)"]
                env:
                - {name: GREETING, valueFrom: {configMapKeyRef: {name: cfg, key: greeting}}}
                - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
                - {name: LABELS, valueFrom: {fieldRef: {fieldPath: metadata.labels}}}
                - {name: HOST, valueFrom: {fieldRef: {fieldPath: status.hostIP}}}
                resources: {limits: {memory: 64Mi, cpu: 250m}}
                securityContext: {capabilities: {add: [NET_ADMIN], drop: [ALL]}, readOnlyRootFilesystem: true}
                volumeMounts: [{name: data, mountPath: /data, readOnly: true}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cfg}
            data: {greeting: hello}
            """
        let objects = try Manifest.decode(yaml)
        guard case .pod(let pod) = objects[0], case .configMap(let map) = objects[1] else { return XCTFail("decode") }
        let sandbox = SandboxRecord(spec: SandboxSpec(id: "abc", hostname: "web-node1"), createdAt: "", ip: "10.42.0.3",
                                    ref: SandboxRef(namespaces: ["net": "/run/s/net"], etcDirectory: "/run/s"))
        let context = PodContext(sandbox: sandbox, configMaps: [map], secrets: [], cgroup: "swiftlet/kubepods/burstable/podabc",
                                 logDirectory: "/var/log/pods/prod_web-node1_abc", volumes: ["data": "/srv/data"], hostIP: "192.0.2.10")
        let spec = try ContainerTranslation.spec(pod: pod, container: pod.spec.containers[0], isInit: false, attempt: 2, context: context)
        XCTAssertEqual(spec.name, "k8s_app_web-node1_prod_abc_2")
        XCTAssertEqual(spec.entrypoint, ["sh", "-c"])
        XCTAssertEqual(spec.command, ["echo hello node1"])
        XCTAssertEqual(spec.env, ["GREETING=hello", "NODE=node1", "LABELS=app=\"web\"", "HOST=192.0.2.10"])
        XCTAssertEqual(context.podIP, "10.42.0.3")
        var onHost = context
        onHost.sandbox = SandboxRecord(spec: SandboxSpec(id: "abc", hostname: "web-node1", hostNetwork: true), createdAt: "", ip: nil,
                                       ref: SandboxRef(namespaces: [:], etcDirectory: "/run/s"))
        XCTAssertEqual(onHost.podIP, "192.0.2.10", "a pod on the host's network has the node's address")
        XCTAssertEqual(spec.user, "1000:2000")
        XCTAssertEqual(spec.memoryLimitBytes, 64 << 20)
        XCTAssertEqual(spec.cpus, 0.25)
        XCTAssertEqual(spec.capAdd, ["NET_ADMIN"])
        XCTAssertEqual(spec.capDrop, ["ALL"])
        XCTAssertTrue(spec.readOnlyRootfs)
        XCTAssertEqual(spec.stopGraceSeconds, 5)
        XCTAssertEqual(spec.logPath, "/var/log/pods/prod_web-node1_abc/app/2.log")
        XCTAssertEqual(spec.mounts, [BindMount(source: "/srv/data", destination: "/data", readOnly: true)])
        XCTAssertEqual(spec.sandbox, sandbox.ref)
        XCTAssertEqual(spec.labels?[PodLabels.attempt], "2")

        var missing = pod.spec.containers[0]
        missing.env = [EnvVar(name: "X", valueFrom: EnvVarSource(configMapKeyRef: ConfigMapKeySelector(name: "cfg", key: "nope")))]
        XCTAssertThrowsError(try ContainerTranslation.spec(pod: pod, container: missing, isInit: false, attempt: 0, context: context)) {
            XCTAssertEqual("\($0)", "couldn't find key nope in ConfigMap prod/cfg")
        }
    }
}

final class LogRotationTests: XCTestCase {
    func testSuffixAndWhatGoes() {
        XCTAssertEqual(LogRotation.suffix(Date(timeIntervalSince1970: 1_767_323_045)), "20260102-030405")
        let names = ["0.log", "0.log.20260102-030405", "0.log.20260102-030401", "0.log.20260102-030409", "1.log"]
        XCTAssertEqual(LogRotation.toDelete(names, log: "0.log", maxFiles: 3), ["0.log.20260102-030401"])
        XCTAssertEqual(LogRotation.toDelete(names, log: "0.log", maxFiles: 5), [])
        XCTAssertEqual(LogRotation.toDelete(names, log: "0.log", maxFiles: 1).count, 3)
    }
}

final class SubPathTests: XCTestCase {
    private var volume = ""

    override func setUpWithError() throws {
        volume = NSTemporaryDirectory() + "subpath-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: volume, withIntermediateDirectories: true)
        chmod(volume, 0o2775)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: volume)
    }

    func testSubPathAndExpressionAsUpstreamResolvesThem() throws {
        let env = ["POD": "web-0", "EMPTY": ""]
        XCTAssertNil(try SubPath.of(VolumeMount(name: "v", mountPath: "/m"), environment: env))
        XCTAssertEqual(try SubPath.of(VolumeMount(name: "v", mountPath: "/m", subPath: "a/b"), environment: env), "a/b")
        XCTAssertEqual(try SubPath.of(VolumeMount(name: "v", mountPath: "/m", subPathExpr: "logs/$(POD)"), environment: env), "logs/web-0")
        XCTAssertThrowsError(try SubPath.of(VolumeMount(name: "v", mountPath: "/m", subPathExpr: "$(NOPE)/$(EMPTY)"), environment: env)) {
            XCTAssertEqual("\($0)", "missing value for EMPTY, NOPE")
        }
        XCTAssertThrowsError(try SubPath.of(VolumeMount(name: "v", mountPath: "/m", subPathExpr: "$(POD)/../.."), environment: env)) {
            XCTAssertEqual("\($0)", "unable to provision SubPath `web-0/../..`: must not contain '..'")
        }
    }

    /// A missing subPath is created inside the volume with the volume's mode (not the umask's).
    func testMissingDirectoriesAreCreatedWithTheVolumesMode() throws {
        try SubPath.prepare("a/b/c", volume: volume, mount: "data", container: "app")
        for path in ["a", "a/b", "a/b/c"] {
            var st = stat()
            XCTAssertEqual(stat("\(volume)/\(path)", &st), 0)
            XCTAssertEqual(st.st_mode & 0o7777, 0o2775, path)
        }
        try SubPath.prepare("a/b", volume: volume, mount: "data", container: "app")
    }

    /// Symlinks leading out of the volume are refused with upstream's message; the host
    /// path goes only into the detail (the log).
    func testSymlinksLeadingOutAreRefused() throws {
        symlink("/", "\(volume)/root")
        symlink("../..", "\(volume)/up")
        symlink("/nonexistent-\(getpid())", "\(volume)/dangling")
        for escape in ["root", "up/x", "root/etc", "dangling"] {
            XCTAssertThrowsError(try SubPath.prepare(escape, volume: volume, mount: "data", container: "app"), escape) { error in
                let error = error as? ContainerConfigError
                XCTAssertTrue(["failed to prepare subPath for volumeMount \"data\" of container \"app\"",
                               "failed to create subPath directory for volumeMount \"data\" of container \"app\""]
                    .contains(error?.description ?? ""), "\(String(describing: error))")
                XCTAssertTrue(error?.detail?.contains(self.volume) == true, "\(String(describing: error?.detail))")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/nonexistent-\(getpid())"), "a directory was created outside the volume")
        try FileManager.default.createDirectory(atPath: "\(volume)/real", withIntermediateDirectories: false)
        symlink("real", "\(volume)/alias")
        try SubPath.prepare("alias/sub", volume: volume, mount: "data", container: "app")
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(volume)/real/sub"))
    }
}

final class KubeletEndpointsTests: XCTestCase {
    private let node = KubeletEndpoints.Node(name: "node1", pods: [], sandboxes: 2, containerStates: ["running", "running", "exited"],
                                             manifestErrors: 1, residentMemoryBytes: 4096)

    func testAnonymousClientsReachOnlyHealthz() {
        func respond(_ method: String, _ uri: String, _ authenticated: Bool) -> (Int, String) {
            let response = KubeletEndpoints.respond(method: method, uri: uri, authenticated: authenticated) { self.node }
            return (response.status, String(decoding: response.body, as: UTF8.self))
        }
        XCTAssertTrue(respond("GET", "/healthz?verbose", false) == (200, "ok"))
        XCTAssertTrue(respond("GET", "/pods", false) == (401, "Unauthorized"))
        XCTAssertTrue(respond("GET", "/metrics", false) == (401, "Unauthorized"))
        XCTAssertTrue(respond("POST", "/pods", true) == (405, "405: Method Not Allowed"))
        XCTAssertTrue(respond("GET", "/spec", true) == (404, "404 page not found\n"))
        XCTAssertTrue(respond("GET", "/pods", true) == (200, "{\"apiVersion\":\"v1\",\"items\":[],\"kind\":\"PodList\",\"metadata\":{}}\n"))
    }

    func testMetricsUseUpstreamNamesAndLabels() {
        let metrics = String(decoding: KubeletEndpoints.respond(method: "GET", uri: "/metrics", authenticated: true) { self.node }.body,
                             as: UTF8.self)
        XCTAssertEqual(metrics, """
            # HELP kubelet_node_name [ALPHA] The node's name. The count is always 1.
            # TYPE kubelet_node_name gauge
            kubelet_node_name{node="node1"} 1
            # HELP kubelet_running_pods [ALPHA] Number of pods that have a running pod sandbox
            # TYPE kubelet_running_pods gauge
            kubelet_running_pods 2
            # HELP kubelet_running_containers [ALPHA] Number of containers currently running
            # TYPE kubelet_running_containers gauge
            kubelet_running_containers{container_state="created"} 0
            kubelet_running_containers{container_state="exited"} 1
            kubelet_running_containers{container_state="running"} 2
            kubelet_running_containers{container_state="unknown"} 0
            # HELP swiftlet_static_pod_manifest_errors Static pod files the kubelet could not use
            # TYPE swiftlet_static_pod_manifest_errors gauge
            swiftlet_static_pod_manifest_errors 1
            # HELP process_resident_memory_bytes Resident memory size in bytes.
            # TYPE process_resident_memory_bytes gauge
            process_resident_memory_bytes 4096

            """)
    }
}

final class NodeAddressTests: XCTestCase {
    /// The address the kernel would use for the default route, as `ip route get` says.
    func testNodeAddressIsTheDefaultRoutesSource() throws {
        let ip = Process()
        ip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        ip.arguments = ["ip", "-4", "route", "get", "8.8.8.8"]
        let out = Pipe()
        ip.standardOutput = out
        ip.standardError = FileHandle.nullDevice
        try ip.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ip.waitUntilExit()
        let words = text.split(whereSeparator: \.isWhitespace)
        let expected = words.firstIndex(of: "src").map { String(words[$0 + 1]) } ?? "127.0.0.1"
        XCTAssertEqual(NodeAddress.detect(), expected, text)
    }
}

final class FSGroupTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        try XCTSkipIf(getuid() != 0, "chown needs root")
        dir = NSTemporaryDirectory() + "fsgroup-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func owner(_ path: String) -> (gid: UInt32, mode: mode_t, inode: UInt) {
        var st = stat()
        lstat(path, &st)
        return (st.st_gid, st.st_mode & 0o7777, UInt(st.st_ino))
    }

    /// Content volumes get the group with group read; an unchanged file is not rewritten.
    func testContentVolumeFilesGetTheGroupAndAreNotRewrittenWhenUnchanged() throws {
        let volume = "\(dir)/cm"
        let items = [KeyToPath(key: "a", path: "conf/a.ini", mode: 0o400), KeyToPath(key: "b", path: "b")]
        try PodVolumes.writeContent(["a": Array("A".utf8), "b": Array("B".utf8)], items: items, defaultMode: 0o644, into: volume,
                                    fsGroup: 2000, what: "configmap \"x\"")
        XCTAssertTrue(owner("\(volume)/conf/a.ini") == (2000, 0o440, owner("\(volume)/conf/a.ini").inode))
        XCTAssertEqual(owner("\(volume)/b").gid, 2000)
        XCTAssertEqual(owner("\(volume)/b").mode, 0o644)
        XCTAssertEqual(owner("\(volume)/conf").mode, 0o2755)
        XCTAssertEqual(owner("\(volume)/conf").gid, 2000)
        let before = owner("\(volume)/b").inode
        try PodVolumes.writeContent(["a": Array("A".utf8), "b": Array("B".utf8)], items: items, defaultMode: 0o644, into: volume,
                                    fsGroup: 2000, what: "configmap \"x\"")
        XCTAssertEqual(owner("\(volume)/b").inode, before, "an unchanged file was rewritten")
        try PodVolumes.writeContent(["a": Array("A".utf8), "b": Array("C".utf8)], items: items, defaultMode: 0o644, into: volume,
                                    fsGroup: 2000, what: "configmap \"x\"")
        XCTAssertEqual(try String(contentsOfFile: "\(volume)/b", encoding: .utf8), "C")
    }

    /// The emptyDir walk changes what is in the volume, never what a symlink points to.
    func testVolumeWalkGivesGroupAccessAndFollowsNoSymlink() throws {
        let outside = "\(dir)/outside"
        FileManager.default.createFile(atPath: outside, contents: Data("x".utf8))
        chmod(outside, 0o600)
        let volume = "\(dir)/empty"
        try FileManager.default.createDirectory(atPath: "\(volume)/sub", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: "\(volume)/sub/file", contents: Data())
        chmod("\(volume)/sub/file", 0o600)
        symlink(outside, "\(volume)/link")
        symlink(dir, "\(volume)/sub/dirlink")
        try PodVolumes.applyGroup(volume, gid: 3000, readOnly: false)
        XCTAssertEqual(owner("\(volume)/sub/file").gid, 3000)
        XCTAssertEqual(owner("\(volume)/sub/file").mode, 0o660)
        XCTAssertEqual(owner("\(volume)/sub").mode & 0o2070, 0o2050 | 0o020)
        XCTAssertEqual(owner(volume).gid, 3000)
        XCTAssertEqual(owner(outside).gid, 0, "a symlink was followed")
        XCTAssertEqual(owner(outside).mode, 0o600, "a symlink was followed")
        XCTAssertEqual(owner(dir).gid, 0, "a symlink was followed")
    }

    func testGroupsAndRunAsNonRootAgainstTheImageUser() throws {
        let yaml = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: prod, uid: abc}
            spec:
              securityContext: {runAsNonRoot: true, supplementalGroups: [3000, 3001], fsGroup: 2000}
              containers:
              - {name: app, image: busybox, volumeMounts: [{name: cfg, mountPath: /cfg}, {name: data, mountPath: /data}]}
              volumes: [{name: cfg, configMap: {name: cfg}}, {name: data, emptyDir: {}}]
            """
        guard case .pod(let pod) = try Manifest.decode(yaml)[0] else { return XCTFail("decode") }
        let sandbox = SandboxRecord(spec: SandboxSpec(id: "abc", hostname: "web"), createdAt: "", ip: "10.42.0.3",
                                    ref: SandboxRef(namespaces: [:], etcDirectory: "/run/s"))
        let context = PodContext(sandbox: sandbox, configMaps: [], secrets: [], cgroup: "c", logDirectory: "/l",
                                 volumes: ["cfg": "/v/cfg", "data": "/v/data"], hostIP: "192.0.2.10")
        func spec(imageUser: String?) throws -> ContainerSpec {
            try ContainerTranslation.spec(pod: pod, container: pod.spec.containers[0], isInit: false, attempt: 0, context: context,
                                          imageUser: imageUser)
        }
        let subject = "(pod: \"web_prod(abc)\", container: app)"
        XCTAssertThrowsError(try spec(imageUser: "")) { XCTAssertEqual("\($0)", "container has runAsNonRoot and image will run as root \(subject)") }
        XCTAssertThrowsError(try spec(imageUser: "0:0")) { XCTAssertEqual("\($0)", "container has runAsNonRoot and image will run as root \(subject)") }
        XCTAssertThrowsError(try spec(imageUser: "nobody")) {
            XCTAssertEqual("\($0)", "container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root \(subject)")
        }
        let made = try spec(imageUser: "1000:1000")
        XCTAssertEqual(made.supplementalGroups, [3000, 3001, 2000])
        XCTAssertEqual(made.mounts?.map(\.readOnly), [true, false], "a configMap volume is always read-only")
        XCTAssertNil(made.allowPrivilegeEscalation)
        var escalating = pod.spec.containers[0]
        escalating.securityContext = SecurityContext(allowPrivilegeEscalation: true)
        XCTAssertEqual(try ContainerTranslation.spec(pod: pod, container: escalating, isInit: false, attempt: 0, context: context,
                                                     imageUser: "1000").allowPrivilegeEscalation, true)
    }
}

final class PodResourcesTests: XCTestCase {
    func testCPURequestsBecomeUpstreamsWeights() {
        XCTAssertEqual(ContainerTranslation.cpuWeight(milliCPU: 0), 1)
        XCTAssertEqual(ContainerTranslation.cpuWeight(milliCPU: 1), 1)
        XCTAssertEqual(ContainerTranslation.cpuWeight(milliCPU: 250), 10)
        XCTAssertEqual(ContainerTranslation.cpuWeight(milliCPU: 1000), 39)
        XCTAssertEqual(ContainerTranslation.cpuWeight(milliCPU: 1_000_000), 10000)
    }

    func testPodLimitsAreSumsWhenEveryContainerDeclaresThem() throws {
        let yaml = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              initContainers:
              - {name: setup, image: busybox, resources: {requests: {cpu: "1"}, limits: {cpu: "1", memory: 1Gi}}}
              - {name: proxy, image: busybox, restartPolicy: Always, resources: {requests: {cpu: 50m}, limits: {cpu: 50m, memory: 32Mi}}}
              containers:
              - {name: a, image: busybox, resources: {requests: {cpu: 100m}, limits: {cpu: 250m, memory: 64Mi}}}
              - {name: b, image: busybox, resources: {requests: {cpu: 200m}, limits: {cpu: 500m, memory: 128Mi}}}
            """
        guard case .pod(var pod) = try Manifest.decode(yaml)[0] else { return XCTFail("decode") }
        var limits = ContainerTranslation.podLimits(pod)
        // The init container's 1 CPU and 1Gi outweigh the 350m and 224Mi that run together.
        XCTAssertEqual(limits.cpuWeight, ContainerTranslation.cpuWeight(milliCPU: 1000))
        XCTAssertEqual(limits.memoryMax, 1 << 30)
        XCTAssertEqual(limits.cpuMax?.quota, 100_000)
        pod.spec.initContainers?.removeFirst()
        limits = ContainerTranslation.podLimits(pod)
        XCTAssertEqual(limits.cpuWeight, ContainerTranslation.cpuWeight(milliCPU: 350))
        XCTAssertEqual(limits.memoryMax, 224 << 20)
        XCTAssertEqual(limits.cpuMax?.quota, 80_000)
        pod.spec.containers[1].resources?.limits = nil
        limits = ContainerTranslation.podLimits(pod)
        XCTAssertNil(limits.memoryMax, "a container without a memory limit leaves the pod unlimited")
        XCTAssertNil(limits.cpuMax)
    }
}
