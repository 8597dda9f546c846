import AsyncHTTPClient
import CLinux
import ContainerRuntime
import Foundation
import Glibc
import KubeAPI
import Kubelet
import LinuxSys
import Netlink
import NIOSSL
import NodeTLS
import XCTest

/// A kubelet under a temporary root, driven by writing files into its static pod
/// directory, as a user does.
final class KubeletHarness: @unchecked Sendable {
    let sandbox: Sandbox
    let manifests: String
    let logDirectory: String
    let nodeName = "node1"
    private(set) var kubelet: Kubelet!
    var logRotation = LogRotation()
    private var task: Task<Void, any Error>?
    private let lock = NSLock()
    private var logLines: [String] = []

    init() throws {
        sandbox = try Sandbox()
        manifests = "\(sandbox.dir)/manifests"
        logDirectory = "\(sandbox.dir)/logs"
        try Files.createDirectory(manifests)
        // Tests run in a network namespace of their own: the bridge is the test's.
        sandbox.runtime.podNetwork = try BridgeNetwork(bridgeName: "swl-test0", cidr: IPv4Network("10.99.0.0/24")!,
                                                       ipamDir: "\(sandbox.dir)/state/network/ipam")
    }

    var runtime: Runtime { sandbox.runtime }
    var log: [String] {
        lock.lock()
        defer { lock.unlock() }
        return logLines
    }

    func start() {
        var env = KubeletEnvironment(
            runtime: runtime, nodeName: nodeName, podLogDirectory: logDirectory,
            podsDirectory: "\(runtime.paths.root)/kubelet/pods", statusDirectory: Kubelet.statusDirectory(state: runtime.paths.state),
            pull: { image in throw ImageError(.notFound, "no registry in this test: \(image)") },
            log: { [weak self] line in
                guard let self else { return }
                self.lock.lock()
                self.logLines.append(line)
                self.lock.unlock()
            })
        env.logRotation = logRotation
        var config = Kubelet.Config(staticPodPath: manifests, nodeName: nodeName)
        config.syncInterval = .milliseconds(250)
        let kubelet = Kubelet(config: config, environment: env)
        self.kubelet = kubelet
        task = Task { try await kubelet.run() }
    }

    /// Stops the kubelet as SIGTERM does: its pods keep running.
    func stop() async {
        task?.cancel()
        _ = await task?.result
        kubelet.settle()
        task = nil
    }

    func tearDown() async {
        if task != nil { await stop() }
        kubelet?.removeAllPods(grace: 0)
        sandbox.tearDown()
    }

    /// Writes a manifest as editors and config tools do: a temporary file renamed over it.
    func write(_ file: String, _ yaml: String) throws {
        try Files.writeAtomically("\(manifests)/\(file)", yaml)
    }

    func remove(_ file: String) throws {
        try sys("unlink", file) { unlink("\(manifests)/\(file)") }
    }

    func copyExample(_ name: String) throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        try write(name, try String(contentsOf: repo.appendingPathComponent("StaticPods/\(name)"), encoding: .utf8))
    }

    /// A pod with one container `app` running `command` in the test image; `spec` lines
    /// (YAML, unindented) go before `containers`.
    static func podYAML(_ name: String, command: [String], spec: [String] = ["terminationGracePeriodSeconds: 0"]) -> String {
        let quoted = command.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        return (["apiVersion: v1", "kind: Pod", "metadata: {name: \(name)}", "spec:"] + spec.map { "  " + $0 } + [
            "  containers:",
            "  - {name: app, image: \(Sandbox.image), imagePullPolicy: IfNotPresent, command: [\(quoted.joined(separator: ", "))]}",
        ]).joined(separator: "\n") + "\n"
    }

    /// The pod as `swiftlet pods` reads it (metadata as in the file, status from the kubelet).
    func pod(_ name: String, namespace: String = "default") -> Pod? {
        let path = "\(Kubelet.statusDirectory(state: runtime.paths.state))/\(namespace)_\(name)-\(nodeName).json"
        guard let bytes = try? Files.read(path) else { return nil }
        return try? JSONDecoder().decode(Pod.self, from: Data(bytes))
    }

    func problems() -> [[String: String]] {
        guard let bytes = try? Files.read(Kubelet.problemsPath(state: runtime.paths.state)) else { return [] }
        return (try? JSONSerialization.jsonObject(with: Data(bytes)) as? [[String: String]]) ?? []
    }

    /// Runtime containers of the pod named `name` (any UID).
    func containers(pod name: String) -> [(record: ContainerRecord, status: ContainerRuntime.ContainerStatus)] {
        ((try? runtime.list()) ?? []).filter { $0.record.spec.labels?[PodLabels.podName] == "\(name)-\(nodeName)" }
    }

    func running(pod name: String) -> [ContainerRecord] {
        containers(pod: name).filter { if case .running = $0.status { return true } else { return false } }.map(\.record)
    }

    func logs(_ pod: Pod, container: String, attempt: Int = 0) -> String {
        let path = "\(logDirectory)/\(pod.metadata.namespace ?? "")_\(pod.metadata.name ?? "")_\(pod.metadata.uid ?? "")/\(container)/\(attempt).log"
        return CRILog.parse((try? Files.read(path)) ?? []).map(\.text).joined()
    }

    func waitFor(_ what: String, timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line,
                 _ condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else {
                XCTFail("timed out after \(timeout) s waiting for \(what); kubelet log:\n\(log.joined(separator: "\n"))",
                        file: file, line: line)
                throw XCTSkip("timed out")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Everything a pod may leave behind once it is gone.
    func leftovers() -> [String] {
        // The QoS tiers (kubepods/…) stay, as upstream's do; a pod's own cgroup must not.
        var out = sandbox.leftovers().filter { !$0.hasSuffix("/kubepods") }
        for dir in ["\(runtime.paths.state)/sandboxes", "\(runtime.paths.root)/kubelet/pods", logDirectory] {
            out += ((try? Files.list(dir)) ?? []).map { "\(dir)/\($0)" }
        }
        if let hierarchy = try? runtime.hierarchy() {
            for qos in ["kubepods", "kubepods/burstable", "kubepods/besteffort"] {
                let dir = hierarchy.path("\(runtime.paths.cgroupParent)/\(qos)")
                out += ((try? Files.list(dir)) ?? []).filter { $0.hasPrefix("pod") }.map { "\(dir)/\($0)" }
            }
        }
        return out
    }
}

/// HTTP/1.0 GET of `address:port`, from inside a network namespace (a pod's) when one is given.
func httpGet(_ address: String, port: UInt16, inNetworkNamespace namespace: String? = nil) throws -> String {
    func get() throws -> String {
        let fd = try sys("socket") { socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        let connection = FileDescriptor(raw: fd, name: "socket")
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = port.bigEndian
        sin.sin_addr.s_addr = (IPv4Address(address)?.value ?? 0).bigEndian
        try withUnsafePointer(to: &sin) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                _ = try sys("connect", "\(address):\(port)") { connect(fd, raw, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        try connection.write(Array("GET / HTTP/1.0\r\nHost: \(address)\r\n\r\n".utf8))
        return String(decoding: try connection.readAll(), as: UTF8.self)
    }
    guard let namespace else { return try get() }
    return try NetworkNamespace.run(in: namespace) { try get() }
}

final class StaticPodTests: XCTestCase {
    var harness: KubeletHarness!

    override func setUp() async throws {
        try requireRoot()
        harness = try KubeletHarness()
    }

    override func tearDown() async throws {
        await harness?.tearDown()
        harness = nil
    }

    func testJobExampleRunsToCompletionOnce() async throws {
        try harness.copyExample("job.yaml")
        harness.start()
        try await harness.waitFor("countdown to succeed") { harness.pod("countdown")?.status?.phase == .succeeded }
        let pod = try XCTUnwrap(harness.pod("countdown"))
        let status = try XCTUnwrap(pod.status?.containerStatuses?.first)
        XCTAssertEqual(status.state.terminated?.exitCode, 0)
        XCTAssertEqual(status.state.terminated?.reason, "Completed")
        XCTAssertEqual(status.restartCount, 0)
        XCTAssertEqual(pod.status?.conditions?.first { $0.type == .ready }?.reason, "PodCompleted")
        XCTAssertEqual(PodRow(pod, now: .now()).status, "Completed")
        XCTAssertEqual(PodRow(pod, now: .now()).ready, "0/1")
        // The pod's uts namespace carries its name.
        XCTAssertEqual(harness.logs(pod, container: "count"), "3\n2\n1\nliftoff from countdown-node1\n")
        try await Task.sleep(for: .seconds(1))
        XCTAssertEqual(harness.containers(pod: "countdown").count, 1, "OnFailure must not restart a container that succeeded")
    }

    func testInitContainerRendersConfigMapForWebServerInOnePodNetwork() async throws {
        try harness.copyExample("init-configmap.yaml")
        harness.start()
        try await harness.waitFor("greeter to be ready") {
            harness.pod("greeter")?.status?.conditions?.contains { $0.type == .ready && $0.status == .true } == true
        }
        let pod = try XCTUnwrap(harness.pod("greeter"))
        XCTAssertEqual(pod.status?.phase, .running)
        XCTAssertEqual(pod.status?.initContainerStatuses?.first?.state.terminated?.reason, "Completed")
        XCTAssertEqual(harness.logs(pod, container: "render"), "rendered\n")
        let initialized = try XCTUnwrap(pod.status?.conditions?.first { $0.type == .initialized })
        XCTAssertEqual(initialized.status, .true)
        XCTAssertEqual(PodRow(pod, now: .now()).status, "Running")
        XCTAssertEqual(PodRow(pod, now: .now()).ready, "1/1")

        // The web server answers on the pod's loopback with what the init container rendered,
        // and on the pod's address from the host, over the bridge.
        let netns = "\(harness.runtime.paths.state)/sandboxes/\(pod.metadata.uid ?? "")/net"
        var response = ""
        try await harness.waitFor("httpd to answer") {
            response = (try? httpGet("127.0.0.1", port: 8080, inNetworkNamespace: netns)) ?? ""
            return !response.isEmpty
        }
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 200 OK"), response)
        XCTAssertTrue(response.contains("<h1 style=color:teal>Hello from a static pod, rendered by greeter-node1</h1>"), response)
        let ip = try XCTUnwrap(pod.status?.podIP)
        XCTAssertTrue(IPv4Network("10.99.0.0/24")!.contains(try XCTUnwrap(IPv4Address(ip))), ip)
        XCTAssertEqual(PodRow(pod, now: .now()).ip, ip)
        XCTAssertEqual(try httpGet(ip, port: 8080), response)

        // Another pod reaches it by its pod IP; its /etc/hosts names its own.
        try harness.write("client.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: client}
            spec:
              restartPolicy: OnFailure
              containers:
              - name: get
                image: \(Sandbox.image)
                imagePullPolicy: IfNotPresent
                command: ["sh", "-c", "wget -q -O - http://\(ip):8080/ && grep client-node1 /etc/hosts"]
            """)
        try await harness.waitFor("the client to succeed") { harness.pod("client")?.status?.phase == .succeeded }
        let client = try XCTUnwrap(harness.pod("client"))
        let clientIP = try XCTUnwrap(client.status?.podIP)
        XCTAssertNotEqual(clientIP, ip)
        XCTAssertEqual(harness.logs(client, container: "get"),
                       "<h1 style=color:teal>Hello from a static pod, rendered by greeter-node1</h1>\n\(clientIP)\tclient-node1\n")
    }

    func testCrashingContainerIsRestartedWithBackOff() async throws {
        try harness.write("crash.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: crash}
            spec:
              containers:
              - name: crash
                image: \(Sandbox.image)
                imagePullPolicy: IfNotPresent
                command: ["sh", "-c", "echo boom; exit 3"]
            """)
        harness.start()
        try await harness.waitFor("CrashLoopBackOff") {
            harness.pod("crash")?.status?.containerStatuses?.first?.state.waiting?.reason == "CrashLoopBackOff"
        }
        let pod = try XCTUnwrap(harness.pod("crash"))
        let status = try XCTUnwrap(pod.status?.containerStatuses?.first)
        // The first restart is immediate; the second waits 10 s.
        XCTAssertEqual(status.restartCount, 1)
        XCTAssertEqual(status.lastState.terminated?.exitCode, 3)
        XCTAssertEqual(status.lastState.terminated?.reason, "Error")
        XCTAssertEqual(status.state.waiting?.message,
                       "back-off 10s restarting failed container=crash pod=crash-node1_default(\(pod.metadata.uid ?? ""))")
        XCTAssertEqual(pod.status?.phase, .running)
        XCTAssertEqual(PodRow(pod, now: .now()).status, "CrashLoopBackOff")
        XCTAssertTrue(PodRow(pod, now: .now()).restarts.hasPrefix("1 ("), PodRow(pod, now: .now()).restarts)
        XCTAssertEqual(harness.logs(pod, container: "crash", attempt: 1), "boom\n")
        try await Task.sleep(for: .seconds(3))
        XCTAssertEqual(harness.pod("crash")?.status?.containerStatuses?.first?.restartCount, 1, "restarted inside the back-off")
        XCTAssertEqual(harness.containers(pod: "crash").count, 2)
    }

    func testRestartPolicyNeverFailsThePodAndInitFailureStopsIt() async throws {
        try harness.write("never.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: never}
            spec:
              restartPolicy: Never
              initContainers:
              - {name: setup, image: \(Sandbox.image), imagePullPolicy: IfNotPresent, command: ["sh", "-c", "exit 7"]}
              containers:
              - {name: app, image: \(Sandbox.image), imagePullPolicy: IfNotPresent, command: ["true"]}
            """)
        harness.start()
        try await harness.waitFor("the pod to fail") { harness.pod("never")?.status?.phase == .failed }
        let pod = try XCTUnwrap(harness.pod("never"))
        XCTAssertEqual(pod.status?.initContainerStatuses?.first?.state.terminated?.exitCode, 7)
        XCTAssertEqual(pod.status?.containerStatuses?.first?.state.waiting?.reason, "PodInitializing")
        XCTAssertEqual(PodRow(pod, now: .now()).status, "Init:Error")
        XCTAssertEqual(harness.containers(pod: "never").count, 1, "the app container must not start after a failed init")
    }

    func testDeletedManifestRunsPreStopThenStopsGracefullyAndLeavesNothing() async throws {
        let out = "\(harness.sandbox.dir)/out"
        try harness.write("graceful.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: graceful}
            spec:
              terminationGracePeriodSeconds: 5
              containers:
              - name: app
                image: \(Sandbox.image)
                imagePullPolicy: IfNotPresent
                command: ["sh", "-c", "trap 'echo term >> /out/events; exit 0' TERM; echo up > /out/started; while :; do sleep 0.1; done"]
                lifecycle:
                  postStart: {exec: {command: ["sh", "-c", "echo poststart >> /out/events"]}}
                  preStop: {exec: {command: ["sh", "-c", "echo prestop >> /out/events; sleep 1"]}}
                resources:
                  limits: {memory: 64Mi, cpu: 500m}
                volumeMounts: [{name: out, mountPath: /out}, {name: scratch, mountPath: /scratch}]
              volumes:
              - {name: out, hostPath: {path: \(out), type: DirectoryOrCreate}}
              - {name: scratch, emptyDir: {medium: Memory, sizeLimit: 1Mi}}
            """)
        harness.start()
        try await harness.waitFor("the container to run") {
            Files.exists("\(out)/started") && harness.pod("graceful")?.status?.containerStatuses?.first?.state.running != nil
        }
        let pod = try XCTUnwrap(harness.pod("graceful"))
        XCTAssertEqual(pod.status?.qosClass, .guaranteed)
        XCTAssertTrue(harness.running(pod: "graceful").first?.cgroup.contains("/kubepods/pod\(pod.metadata.uid ?? "")/") == true)
        try harness.remove("graceful.yaml")
        try await harness.waitFor("the pod to go") { harness.pod("graceful") == nil && harness.containers(pod: "graceful").isEmpty }
        XCTAssertEqual(try Files.readString("\(out)/events"), "poststart\nprestop\nterm\n",
                       "postStart after the start; on deletion preStop, then SIGTERM within the grace period")
        XCTAssertEqual(harness.leftovers(), [])
        XCTAssertEqual(try Files.list("\(harness.runtime.paths.state)/network/ipam").filter { $0.hasPrefix("10.") }, [],
                       "the pod's address was not released")
    }

    func testRestartedKubeletAdoptsRunningPodsThenConverges() async throws {
        for name in ["keep", "drop"] {
            try harness.write("\(name).yaml", KubeletHarness.podYAML(name, command: ["sleep", "3600"], spec: ["terminationGracePeriodSeconds: 1"]))
        }
        harness.start()
        try await harness.waitFor("both pods to run") { harness.running(pod: "keep").count == 1 && harness.running(pod: "drop").count == 1 }
        let kept = try XCTUnwrap(harness.running(pod: "keep").first)
        await harness.stop()
        // While no kubelet runs, the pods run on, and the directory changes.
        XCTAssertEqual(harness.running(pod: "keep").map(\.id), [kept.id])
        try harness.remove("drop.yaml")
        try harness.write("new.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: new}
            spec:
              containers:
              - {name: app, image: \(Sandbox.image), imagePullPolicy: IfNotPresent, command: ["sleep", "3600"]}
            """)
        harness.start()
        try await harness.waitFor("convergence") {
            harness.containers(pod: "drop").isEmpty && harness.running(pod: "new").count == 1
                && harness.pod("keep")?.status?.conditions?.contains { $0.type == .ready && $0.status == .true } == true
        }
        XCTAssertEqual(harness.containers(pod: "keep").map(\.record.id), [kept.id], "the running container is adopted, not replaced")
        XCTAssertEqual(harness.pod("keep")?.status?.containerStatuses?.first?.containerID, "swiftlet://\(kept.id)")
    }

    func testManifestRewrittenFiftyTimesNeverRunsTwoInstances() async throws {
        func manifest(_ revision: Int) -> String {
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: flap, annotations: {revision: "\(revision)"}}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: \(Sandbox.image)
                imagePullPolicy: IfNotPresent
                command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.05; done"]
            """
        }
        try harness.write("flap.yaml", manifest(0))
        harness.start()
        try await harness.waitFor("the first instance") { harness.running(pod: "flap").count == 1 }
        let sampling = ManagedAtomicFlag()
        let maxRunning = ManagedCounter()
        let runtime = harness.runtime
        let sampler = Thread {
            while !sampling.isSet {
                let running = ((try? runtime.list()) ?? []).filter {
                    guard $0.record.spec.labels?[PodLabels.podName] == "flap-node1" else { return false }
                    if case .running = $0.status { return true }
                    return false
                }.count
                maxRunning.raise(to: running)
                usleep(2000)
            }
        }
        sampler.start()
        for revision in 1...50 {
            try harness.write("flap.yaml", manifest(revision))
            try await Task.sleep(for: .milliseconds(100))
        }
        try await harness.waitFor("the last revision to run", timeout: 30) {
            guard let pod = harness.pod("flap"), pod.metadata.annotations?["revision"] == "50" else { return false }
            return pod.status?.containerStatuses?.first?.state.running != nil
        }
        sampling.set()
        while !sampler.isFinished { try await Task.sleep(for: .milliseconds(10)) }
        XCTAssertEqual(maxRunning.value, 1, "two instances of one static pod ran at once")
        let final = try XCTUnwrap(harness.pod("flap"))
        XCTAssertEqual(harness.running(pod: "flap").map { $0.spec.labels?[PodLabels.podUID] }, [final.metadata.uid])
    }

    func testBadManifestsAreReportedAndOtherPodsKeepRunning() async throws {
        let good = """
            apiVersion: v1
            kind: Pod
            metadata: {name: good}
            spec:
              containers:
              - {name: app, image: \(Sandbox.image), imagePullPolicy: IfNotPresent, command: ["sleep", "3600"]}
            """
        try harness.write("good.yaml", good)
        harness.start()
        try await harness.waitFor("the good pod") { harness.running(pod: "good").count == 1 }
        let before = try XCTUnwrap(harness.running(pod: "good").first)

        try harness.write("malformed.yaml", "apiVersion: v1\nkind: Pod\nmetadata: [name: x\n")
        try harness.write("invalid-name.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: Web_1}\nspec: {containers: [{name: c, image: \(Sandbox.image)}]}\n")
        try harness.write("no-image.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: noimage}\nspec: {containers: [{name: c}]}\n")
        try harness.write("hostpath.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: hostpath}
            spec:
              containers:
              - {name: c, image: \(Sandbox.image), imagePullPolicy: IfNotPresent, command: ["true"], volumeMounts: [{name: data, mountPath: /data}]}
              volumes:
              - {name: data, hostPath: {path: /nonexistent/swiftlet-test, type: Directory}}
            """)
        // A typo in an edit of a running pod's file: the pod keeps running, the problem is reported.
        try harness.write("good.yaml", good + "\n  restartPolicy: [\n")
        try await harness.waitFor("four problems") { harness.problems().count == 4 }
        let problems = Dictionary(harness.problems().map { (Files.basename($0["file"] ?? ""), $0["message"] ?? "") },
                                  uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(Set(problems.keys), ["malformed.yaml", "invalid-name.yaml", "no-image.yaml", "good.yaml"])
        XCTAssertTrue(problems["no-image.yaml"]?.contains("spec.containers[0].image: Required value") == true, problems["no-image.yaml"] ?? "")
        XCTAssertTrue(problems["invalid-name.yaml"]?.contains("metadata.name: Invalid value: \"Web_1-node1\"") == true,
                      problems["invalid-name.yaml"] ?? "")
        XCTAssertTrue(problems["malformed.yaml"]?.isEmpty == false)
        try await harness.waitFor("the hostPath check") {
            harness.pod("hostpath")?.status?.containerStatuses?.first?.state.waiting?.message?.contains(
                "hostPath type check failed: /nonexistent/swiftlet-test is not a directory") == true
        }
        XCTAssertEqual(harness.pod("hostpath")?.status?.containerStatuses?.first?.state.waiting?.reason, "ContainerCreating")
        XCTAssertEqual(harness.containers(pod: "hostpath").count, 0)
        XCTAssertEqual(harness.running(pod: "good").map(\.id), [before.id], "a bad file changed another pod")
    }

    /// subPath and subPathExpr mount a part of an emptyDir; a symlink an init container
    /// planted there to lead out (CVE-2017-1002101) gives the upstream config error, with
    /// the host path only in the log, and the pod's other containers run.
    func testSubPathMountsPartOfAVolumeAndASymlinkOutIsRefused() async throws {
        try harness.write("subpath.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: subpath}
            spec:
              terminationGracePeriodSeconds: 0
              initContainers:
              - name: plant
                image: \(Sandbox.image)
                imagePullPolicy: IfNotPresent
                command: ["sh", "-c", "mkdir /work/conf && echo hello > /work/conf/greeting && ln -s / /work/evil"]
                volumeMounts: [{name: work, mountPath: /work}]
              containers:
              - name: app
                image: \(Sandbox.image)
                imagePullPolicy: IfNotPresent
                command: ["sh", "-c", "ls /conf; cat /greeting; echo mine > /mine/file; exec sleep 3600"]
                env: [{name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
                volumeMounts:
                - {name: work, mountPath: /conf, subPath: conf, readOnly: true}
                - {name: work, mountPath: /greeting, subPath: conf/greeting}
                - {name: work, mountPath: /mine, subPathExpr: "pods/$(POD)"}
              - name: evil
                image: \(Sandbox.image)
                imagePullPolicy: IfNotPresent
                command: ["sleep", "3600"]
                volumeMounts: [{name: work, mountPath: /host, subPath: evil}]
              volumes:
              - {name: work, emptyDir: {}}
            """)
        harness.start()
        let refusal = "failed to prepare subPath for volumeMount \"work\" of container \"evil\""
        try await harness.waitFor("app to run and evil to be refused") {
            let statuses = harness.pod("subpath")?.status?.containerStatuses ?? []
            return statuses.first { $0.name == "app" }?.state.running != nil
                && statuses.first { $0.name == "evil" }?.state.waiting?.message == refusal
        }
        let pod = try XCTUnwrap(harness.pod("subpath"))
        XCTAssertEqual(pod.status?.containerStatuses?.first { $0.name == "evil" }?.state.waiting?.reason, "CreateContainerConfigError")
        try await harness.waitFor("app's output") { harness.logs(pod, container: "app") == "greeting\nhello\n" }
        let volume = "\(harness.runtime.paths.root)/kubelet/pods/\(pod.metadata.uid ?? "")/volumes/kubernetes.io~empty-dir/work"
        XCTAssertEqual(try Files.readString("\(volume)/pods/subpath-node1/file"), "mine\n")
        XCTAssertEqual(harness.log.filter { $0.contains(refusal) && $0.contains("Invalid cross-device link") }.count, 1, "\(harness.log)")
        XCTAssertEqual(harness.containers(pod: "subpath").filter { $0.record.spec.labels?[PodLabels.containerName] == "evil" }.count, 0)
    }

    /// fsGroup and supplementalGroups: the process has the groups, the emptyDir and the
    /// configMap volume belong to the fsGroup (files created later too, through setgid),
    /// the configMap volume is read-only; runAsNonRoot refuses an image that runs as root.
    func testFSGroupOwnsVolumesAndRunAsNonRootChecksTheImageUser() async throws {
        try harness.write("groups.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: groups}
            spec:
              terminationGracePeriodSeconds: 0
              securityContext: {runAsUser: 1000, runAsGroup: 1000, fsGroup: 2000, supplementalGroups: [3000]}
              containers:
              - name: app
                image: \(Sandbox.image)
                imagePullPolicy: IfNotPresent
                command: ["sh", "-c", "id -G; stat -c '%g %a' /data /cfg/key; touch /data/new && stat -c '%g' /data/new; touch /cfg/x 2>/dev/null || echo read-only; exec sleep 3600"]
                volumeMounts: [{name: data, mountPath: /data}, {name: cfg, mountPath: /cfg}]
              volumes:
              - {name: data, emptyDir: {}}
              - {name: cfg, configMap: {name: cfg, defaultMode: 0400}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cfg}
            data: {key: value}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: rootful}
            spec:
              securityContext: {runAsNonRoot: true}
              containers:
              - {name: app, image: \(Sandbox.image), imagePullPolicy: IfNotPresent, command: ["sleep", "3600"]}
            """)
        harness.start()
        try await harness.waitFor("app's output") {
            guard let pod = harness.pod("groups") else { return false }
            return harness.logs(pod, container: "app").split(separator: "\n").count >= 5
        }
        let pod = try XCTUnwrap(harness.pod("groups"))
        XCTAssertEqual(harness.logs(pod, container: "app"), "1000 2000 3000\n2000 2777\n2000 440\n2000\nread-only\n")
        // Later syncs (one a second) keep the volume as fsGroup left it.
        try await Task.sleep(for: .milliseconds(1500))
        var st = stat()
        let data = "\(harness.runtime.paths.root)/kubelet/pods/\(pod.metadata.uid ?? "")/volumes/kubernetes.io~empty-dir/data"
        XCTAssertEqual(stat(data, &st), 0)
        XCTAssertEqual(st.st_mode & 0o7777, 0o2777)
        XCTAssertEqual(st.st_gid, 2000)
        let rootful = try XCTUnwrap(harness.pod("rootful"))
        let waiting = rootful.status?.containerStatuses?.first?.state.waiting
        XCTAssertEqual(waiting?.reason, "CreateContainerConfigError")
        XCTAssertEqual(waiting?.message,
                       "container has runAsNonRoot and image will run as root (pod: \"rootful-node1_default(\(rootful.metadata.uid ?? ""))\", container: app)")
        XCTAssertEqual(harness.containers(pod: "rootful").count, 0)
    }

    /// Requests and limits reach the pod's cgroup (sums of the containers', as upstream)
    /// and each container's cpu.weight; where the hierarchy has no such controllers (a
    /// hybrid host), the kubelet says which limits it cannot enforce.
    func testPodCgroupCarriesThePodsRequestsAndLimits() async throws {
        try harness.write("sized.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: sized}
            spec:
              terminationGracePeriodSeconds: 0
              containers:
              - name: a
                image: \(Sandbox.image)
                imagePullPolicy: IfNotPresent
                command: ["sleep", "3600"]
                resources: {requests: {cpu: 100m, memory: 16Mi}, limits: {cpu: 250m, memory: 64Mi}}
              - name: b
                image: \(Sandbox.image)
                imagePullPolicy: IfNotPresent
                command: ["sleep", "3600"]
                resources: {requests: {cpu: 200m}, limits: {cpu: 500m, memory: 128Mi}}
            """)
        harness.start()
        try await harness.waitFor("both containers") {
            harness.running(pod: "sized").count == 2 && harness.pod("sized")?.status?.phase == .running
        }
        let pod = try XCTUnwrap(harness.pod("sized"))
        let hierarchy = try harness.runtime.hierarchy()
        let podGroup = hierarchy.path("\(harness.runtime.paths.cgroupParent)/kubepods/burstable/pod\(pod.metadata.uid ?? "")")
        XCTAssertTrue(Files.isDirectory(podGroup), podGroup)
        if hierarchy.controllers.isSuperset(of: ["cpu", "memory"]) {
            func read(_ file: String) -> String { ((try? Files.readString(file)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
            XCTAssertEqual(read("\(podGroup)/memory.max"), "\(192 << 20)")
            XCTAssertEqual(read("\(podGroup)/cpu.max"), "75000 100000")
            XCTAssertEqual(read("\(podGroup)/cpu.weight"), "\(ContainerTranslation.cpuWeight(milliCPU: 300))")
            let b = try XCTUnwrap(harness.running(pod: "sized").first { $0.spec.labels?[PodLabels.containerName] == "b" })
            XCTAssertEqual(read("\(hierarchy.path(b.cgroup))/cpu.weight"), "\(ContainerTranslation.cpuWeight(milliCPU: 200))")
            XCTAssertEqual(read("\(hierarchy.path(b.cgroup))/memory.max"), "\(128 << 20)")
        } else {
            try await harness.waitFor("the unenforced limits to be reported") {
                harness.log.contains { $0.contains("pod default/sized-node1: memory.max=\(192 << 20) is not enforced") }
            }
        }
    }

    /// hostPID: the container sees the node's processes (pid 1 is the node's init);
    /// without it, its own command is pid 1.
    func testHostPIDSharesTheNodesProcesses() async throws {
        for (name, hostPID) in [("hostpid", true), ("ownpid", false)] {
            try harness.write("\(name).yaml", KubeletHarness.podYAML(name, command: ["sh", "-c", "cat /proc/1/comm; exec sleep 3600"],
                                                                     spec: ["terminationGracePeriodSeconds: 0", "hostPID: \(hostPID)"]))
        }
        harness.start()
        try await harness.waitFor("both outputs") {
            ["hostpid", "ownpid"].allSatisfy { name in harness.pod(name).map { !harness.logs($0, container: "app").isEmpty } ?? false }
        }
        let initComm = try Files.readString("/proc/1/comm")
        XCTAssertEqual(harness.logs(try XCTUnwrap(harness.pod("hostpid")), container: "app"), initComm)
        XCTAssertEqual(harness.logs(try XCTUnwrap(harness.pod("ownpid")), container: "app"), "sh\n")
    }

    /// shareProcessNamespace: the containers see each other's processes under a pid 1
    /// ("pause") of the sandbox's; a container killed from its neighbour restarts into the
    /// same namespace; when that pid 1 dies, the sandbox is re-created with every
    /// container; when the pod goes, so do the holder and its cgroup. Also
    /// allowPrivilegeEscalation: true is the one container without no_new_privs.
    func testSharedProcessNamespaceAndAllowPrivilegeEscalation() async throws {
        try harness.write("shared.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: shared}
            spec:
              terminationGracePeriodSeconds: 0
              shareProcessNamespace: true
              containers:
              - {name: a, image: \(Sandbox.image), imagePullPolicy: IfNotPresent, command: ["sleep", "3601"],
                 securityContext: {allowPrivilegeEscalation: true}}
              - {name: b, image: \(Sandbox.image), imagePullPolicy: IfNotPresent, command: ["sleep", "3602"]}
            """)
        harness.start()
        func restarts() -> [Int32] { (harness.pod("shared")?.status?.containerStatuses ?? []).map(\.restartCount) }
        func bothRunning() -> Bool {
            let statuses = harness.pod("shared")?.status?.containerStatuses ?? []
            return statuses.count == 2 && statuses.allSatisfy { $0.state.running != nil } && harness.running(pod: "shared").count == 2
        }
        try await harness.waitFor("both containers") { bothRunning() }
        let cli = ["--root", harness.runtime.paths.root, "--state", harness.runtime.paths.state]
        let list = "cat /proc/1/comm; for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f; echo; done; grep NoNewPrivs /proc/self/status | tr -d '\\t'"
        let seen = try runCLI(cli + ["exec", "shared-node1", "-c", "b", "--", "sh", "-c", list])
        XCTAssertEqual(seen.status, 0, seen.stderr)
        let lines = seen.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "pause")
        XCTAssertTrue(lines.contains("sleep 3601 ") && lines.contains("sleep 3602 "), seen.stdout)
        XCTAssertEqual(lines.last, "NoNewPrivs:1")
        let escalating = try runCLI(cli + ["exec", "shared-node1", "-c", "a", "--", "grep", "NoNewPrivs", "/proc/self/status"])
        XCTAssertEqual(escalating.stdout.replacingOccurrences(of: "\t", with: ""), "NoNewPrivs:0\n", escalating.stderr)

        // b kills a's process: a restarts, into the same namespace.
        let kill = "for f in /proc/[0-9]*; do if [ \"$(tr '\\0' ' ' < $f/cmdline)\" = 'sleep 3601 ' ]; then kill ${f#/proc/}; fi; done"
        XCTAssertEqual(try runCLI(cli + ["exec", "shared-node1", "-c", "b", "--", "sh", "-c", kill]).status, 0)
        try await harness.waitFor("a to restart", timeout: 30) { restarts() == [1, 0] && bothRunning() }
        let again = try runCLI(cli + ["exec", "shared-node1", "-c", "b", "--", "sh", "-c", list])
        XCTAssertTrue(again.stdout.contains("sleep 3601 \n"), again.stdout)

        // The holder dies: the sandbox and both containers are re-created.
        let uid = try XCTUnwrap(harness.pod("shared")?.metadata.uid)
        let holderCgroup = try Files.readString("\(harness.runtime.paths.state)/sandboxes/\(uid)/holder/cgroup")
        XCTAssertTrue(holderCgroup.hasSuffix("/pod\(uid)/sandbox"), holderCgroup)
        let holder = Cgroup(hierarchy: try harness.runtime.hierarchy(), relativePath: holderCgroup)
        let holderPid = try XCTUnwrap(holder.processes().first)
        XCTAssertEqual(try Files.readString("/proc/\(holderPid)/comm"), "pause\n")
        try holder.kill()
        // Both restart; b may count one more when the kubelet tried to restart it into the
        // dying pid namespace (clone3 fails with ENOMEM there) before it saw the holder go.
        try await harness.waitFor("the sandbox to be re-created", timeout: 30) {
            let counts = restarts()
            return counts.count == 2 && counts[0] >= 2 && counts[1] >= 1 && bothRunning() && holder.processes().first.map { $0 != holderPid } == true
        }
        XCTAssertTrue(harness.log.contains { $0.contains("the holder of the shared pid namespace ended") }, "\(harness.log)")
        let after = try runCLI(cli + ["exec", "shared-node1", "-c", "b", "--", "sh", "-c", list])
        XCTAssertTrue(after.stdout.hasPrefix("pause\n") && after.stdout.contains("sleep 3601 \n"), after.stdout)

        try harness.remove("shared.yaml")
        try await harness.waitFor("the pod to go") { harness.pod("shared") == nil && harness.containers(pod: "shared").isEmpty }
        XCTAssertEqual(harness.leftovers(), [])
        XCTAssertFalse(Files.exists(holder.path))
    }

    /// A Localhost seccomp profile comes from `<root>/kubelet/seccomp/` (upstream's
    /// `<kubelet root>/seccomp`): its rules apply; a missing file is the container's
    /// start error, naming the file.
    func testLocalhostSeccompProfileFromTheKubeletsDirectory() async throws {
        let profiles = "\(harness.runtime.paths.root)/kubelet/seccomp/profiles"
        try Files.createDirectory(profiles)
        try Files.writeAtomically("\(profiles)/no-mkdir.json", """
            {"defaultAction": "SCMP_ACT_ALLOW",
             "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}
            """)
        for (name, file) in [("strict", "no-mkdir.json"), ("missing", "nope.json")] {
            try harness.write("\(name).yaml", KubeletHarness.podYAML(
                name, command: ["sh", "-c", "mkdir /tmp/x 2>&1; grep Seccomp: /proc/self/status | tr -d '\\t'; exec sleep 3600"],
                spec: ["terminationGracePeriodSeconds: 0",
                       "securityContext: {seccompProfile: {type: Localhost, localhostProfile: profiles/\(file)}}"]))
        }
        harness.start()
        try await harness.waitFor("the strict pod's output") {
            harness.pod("strict").map { harness.logs($0, container: "app").contains("Seccomp:") } ?? false
        }
        XCTAssertEqual(harness.logs(try XCTUnwrap(harness.pod("strict")), container: "app"),
                       "mkdir: can't create directory '/tmp/x': Permission denied\nSeccomp:2\n")
        func terminated() -> ContainerStateTerminated? {
            let status = harness.pod("missing")?.status?.containerStatuses?.first
            return status?.state.terminated ?? status?.lastState.terminated
        }
        try await harness.waitFor("the missing profile to be reported") { terminated()?.reason == "StartError" }
        let message = terminated()?.message ?? ""
        XCTAssertTrue(message.hasPrefix("cannot load seccomp profile \"\(profiles)/nope.json\": open \(profiles)/nope.json: "), message)
        XCTAssertTrue(harness.running(pod: "missing").isEmpty)
    }

    /// CNI mode: Debian's bridge and host-local plugins from a conflist give each pod its
    /// address, a pod reaches another by it, and when the pods go the plugins release
    /// their addresses and veths.
    func testCNIPluginsConnectPodsAndReleaseEverything() async throws {
        let plugins = ["/usr/lib/cni", "/opt/cni/bin"].filter { Files.exists("\($0)/bridge") }
        XCTAssertFalse(plugins.isEmpty, "containernetworking-plugins is not installed (Packaging/dev/install-deps installs it)")
        let configs = "\(harness.sandbox.dir)/cni", addresses = "\(harness.sandbox.dir)/cni-ipam"
        try Files.createDirectory(configs)
        try Files.writeAtomically("\(configs)/10-test.conflist", """
            {"cniVersion": "1.0.0", "name": "swl-cni-test", "plugins": [
              {"type": "bridge", "bridge": "swl-cni0", "isGateway": true,
               "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.95.0.0/24"}]], "dataDir": "\(addresses)",
                        "routes": [{"dst": "0.0.0.0/0"}]}}]}
            """)
        let cache = "\(harness.runtime.paths.state)/network/cni"
        harness.sandbox.runtime.podNetwork = CNINetwork(configDirectory: configs, pluginDirectories: plugins, cacheDirectory: cache,
                                                        podCIDR: IPv4Network("10.95.0.0/24")!)
        for (name, command) in [("server", "mkdir /www && echo hello-cni > /www/index.html && exec httpd -f -p 8080 -h /www"),
                                ("client", "exec sleep 3600")] {
            try harness.write("\(name).yaml", KubeletHarness.podYAML(name, command: ["sh", "-c", command]))
        }
        harness.start()
        try await harness.waitFor("both pods to run") {
            ["server", "client"].allSatisfy { harness.pod($0)?.status?.containerStatuses?.first?.state.running != nil }
        }
        let server = try XCTUnwrap(harness.pod("server")), client = try XCTUnwrap(harness.pod("client"))
        let ip = try XCTUnwrap(server.status?.podIP)
        XCTAssertTrue(ip.hasPrefix("10.95.0."), ip)
        XCTAssertTrue(client.status?.podIP?.hasPrefix("10.95.0.") == true)
        XCTAssertNotEqual(client.status?.podIP, ip)
        let clientNetns = "\(harness.runtime.paths.state)/sandboxes/\(client.metadata.uid ?? "")/net"
        var response = ""
        try await harness.waitFor("the server to answer the client") {
            response = (try? httpGet(ip, port: 8080, inNetworkNamespace: clientNetns)) ?? ""
            return !response.isEmpty
        }
        XCTAssertTrue(response.hasSuffix("hello-cni\n"), response)
        XCTAssertEqual(try Files.list(cache).count, 2)
        for name in ["server", "client"] { try harness.remove("\(name).yaml") }
        try await harness.waitFor("both pods to go") { harness.pod("server") == nil && harness.pod("client") == nil }
        XCTAssertEqual(((try? Files.list("\(addresses)/swl-cni-test")) ?? []).filter { $0.hasPrefix("10.") }, [], "addresses left reserved")
        XCTAssertEqual((try? Files.list(cache)) ?? [], [])
        XCTAssertEqual(vethNames(), [])
    }

    func testLogsCLIReadsCurrentPreviousAndTailAcrossRotation() async throws {
        harness.logRotation = LogRotation(maxSize: 1024, maxFiles: 3)
        try harness.write("talker.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: talker}
            spec:
              terminationGracePeriodSeconds: 0
              initContainers:
              - {name: init, image: \(Sandbox.image), imagePullPolicy: IfNotPresent, command: ["echo", "init done"]}
              containers:
              - name: talk
                image: \(Sandbox.image)
                imagePullPolicy: IfNotPresent
                command: ["sh", "-c", "if [ -e /data/again ]; then echo second run; sleep 3600; fi; touch /data/again; i=0; while [ $i -lt 150 ]; do echo line $i; i=$((i+1)); sleep 0.01; done; exit 1"]
                volumeMounts: [{name: data, mountPath: /data}]
              - {name: quiet, image: \(Sandbox.image), imagePullPolicy: IfNotPresent, command: ["sleep", "3600"]}
              volumes: [{name: data, emptyDir: {}}]
            """)
        harness.start()
        try await harness.waitFor("the second run", timeout: 40) {
            harness.pod("talker")?.status?.containerStatuses?.first?.restartCount == 1
                && harness.pod("talker")?.status?.containerStatuses?.first?.state.running != nil
        }
        let pod = try XCTUnwrap(harness.pod("talker"))
        let directory = "\(harness.logDirectory)/default_talker-node1_\(pod.metadata.uid ?? "")/talk"
        let files = try Files.list(directory).sorted()
        let rotated = files.filter { $0.hasPrefix("0.log.") }
        XCTAssertFalse(rotated.isEmpty, "\(files)")
        XCTAssertLessThanOrEqual(rotated.count, 2, "\(files)")
        let kept = (rotated + ["0.log"]).map { CRILog.parse((try? Files.read("\(directory)/\($0)")) ?? []).map(\.text).joined() }.joined()
        XCTAssertTrue(kept.hasSuffix("line 148\nline 149\n"), kept)

        let cli = ["--root", harness.runtime.paths.root, "--state", harness.runtime.paths.state]
        let current = try runCLI(cli + ["logs", "talker-node1"])
        XCTAssertEqual(current.status, 0, current.stderr)
        XCTAssertEqual(current.stdout, "second run\n")
        XCTAssertEqual(current.stderr, "Defaulted container \"talk\" out of: talk, quiet, init\n")
        // As upstream's kubelet, --previous --tail reads the previous run's current file: the
        // last lines, unless a rotation came right at the end and left it (nearly) empty.
        let previousFile = CRILog.parse((try? Files.read("\(directory)/0.log")) ?? []).map(\.text)
        let previous = try runCLI(cli + ["logs", "-p", "--tail", "2", "talker-node1", "-c", "talk"])
        XCTAssertEqual(previous.status, 0, previous.stderr)
        XCTAssertEqual(previous.stdout, previousFile.suffix(2).joined(), previous.stderr)
        if previousFile.count >= 2 { XCTAssertEqual(previous.stdout, "line 148\nline 149\n") }
        XCTAssertEqual(try runCLI(cli + ["logs", "talker-node1", "-c", "init"]).stdout, "init done\n")
        let wrong = try runCLI(cli + ["logs", "talker-node1", "-c", "nope"])
        XCTAssertEqual(wrong.status, 125)
        XCTAssertEqual(wrong.stderr, "swiftlet: container nope is not valid for pod talker-node1\nSee 'swiftlet --help'.\n")
        let noPrevious = try runCLI(cli + ["logs", "-p", "talker-node1", "-c", "quiet"])
        XCTAssertTrue(noPrevious.stderr.contains("previous terminated container \"quiet\" in pod \"talker-node1\" not found"))

        let pods = try runCLI(cli + ["pods"])
        let lines = pods.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        XCTAssertEqual(lines.first, ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"])
        XCTAssertEqual(lines.dropFirst().first?.prefix(4), ["default", "talker-node1", "2/2", "Running"])
        XCTAssertEqual(lines.dropFirst().first?.last, "node1")
    }

    func testExecRunsInsideTheContainerWithItsIdentityAndLimits() async throws {
        try harness.write("exec.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: exec}
            spec:
              terminationGracePeriodSeconds: 0
              securityContext: {runAsUser: 1000, runAsGroup: 3000}
              containers:
              - name: app
                image: \(Sandbox.image)
                imagePullPolicy: IfNotPresent
                command: ["sh", "-c", "echo ready > /tmp/ready; exec sleep 3600"]
                env: [{name: GREETING, value: hi}]
                securityContext: {capabilities: {drop: [ALL]}}
            """)
        harness.start()
        try await harness.waitFor("the container") { harness.running(pod: "exec").count == 1 }
        let record = try XCTUnwrap(harness.running(pod: "exec").first)
        let cli = ["--root", harness.runtime.paths.root, "--state", harness.runtime.paths.state]
        let script = "cat /tmp/ready; id -u; id -g; echo $GREETING; cat /proc/1/cmdline | tr '\\0' ' '; echo; "
            + "grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status | tr -d '\\t'; grep '^0::' /proc/self/cgroup; hostname"
        let result = try runCLI(cli + ["exec", "exec-node1", "--", "sh", "-c", script])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "ready\n1000\n3000\nhi\nsleep 3600 \nCapEff:0000000000000000\nNoNewPrivs:1\nSeccomp:2\n0::/\nexec-node1\n")
        XCTAssertEqual(try runCLI(cli + ["exec", "exec-node1", "sh", "-c", "exit 42"]).status, 42)
        let missing = try runCLI(cli + ["exec", "exec-node1", "--", "nosuch"])
        XCTAssertEqual(missing.status, 125)
        XCTAssertTrue(missing.stderr.contains("exec nosuch: executable file not found in PATH"), missing.stderr)
        // Nothing of the execs stays: no state, no process in the container's cgroup but its own.
        let state = "\(harness.runtime.paths.state)/containers/\(record.id)"
        XCTAssertEqual(try Files.list(state).filter { $0.hasPrefix("exec-") }, [])
        let hierarchy = try harness.runtime.hierarchy()
        XCTAssertEqual(Cgroup(hierarchy: hierarchy, relativePath: record.cgroup).processes().count, 1)
    }

    /// kill -9 of the kubelet (a real `swiftlet kubelet` process) at several points while
    /// it starts and replaces pods; each time a new one takes over. In the end each pod has
    /// exactly one container, and once the manifests are gone nothing is left.
    func testKilledKubeletRestartsWithoutDuplicatesOrLeaks() async throws {
        let runtime = harness.runtime
        let cli = ["--root", runtime.paths.root, "--state", runtime.paths.state, "--cgroup-root", runtime.paths.cgroupParent,
                   "kubelet", "--static-pod-path", harness.manifests,
                   "--node-name", "node1", "--pod-logs-dir", harness.logDirectory, "--cluster-cidr", "10.98.0.0/16"]
        func manifest(_ name: String, _ revision: Int) -> String {
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: \(name), annotations: {revision: "\(revision)"}}
            spec:
              terminationGracePeriodSeconds: 0
              initContainers:
              - {name: init, image: \(Sandbox.image), imagePullPolicy: IfNotPresent, command: ["true"]}
              containers:
              - {name: app, image: \(Sandbox.image), imagePullPolicy: IfNotPresent, command: ["sleep", "3600"]}
            """
        }
        let names = ["k1", "k2", "k3"]
        // Counted from the kubelet's first look at the directory (it writes problems.json
        // then), so that the kills land in the pods' start however slowly the binary loads.
        let delays = [0, 10, 20, 30, 45, 60, 80, 100, 130, 160, 200, 250, 300, 500, 800, 1000, 1100, 1200, 1400, 1700]
        let problems = Kubelet.problemsPath(state: runtime.paths.state)
        for (round, delay) in delays.enumerated() {
            for name in names { try harness.write("\(name).yaml", manifest(name, round)) }
            try? sys("unlink", problems, tolerating: ENOENT) { unlink(problems) }
            let kubelet = try startCLI(cli)
            try await harness.waitFor("the kubelet to read the manifests") { Files.exists(problems) }
            try await Task.sleep(for: .milliseconds(delay))
            kill(kubelet.processIdentifier, SIGKILL)
            kubelet.waitUntilExit()
            let states = ((try? runtime.list()) ?? []).map { "\($0.record.spec.labels?[PodLabels.containerName] ?? "?"):\($0.status.summary)" }
            print("killed after \(delay) ms: \(runtime.listSandboxes().count) sandbox(es), containers \(states.sorted())")
        }
        var kubelet = try startCLI(cli)
        try await harness.waitFor("every pod to run its last revision once", timeout: 40) {
            names.allSatisfy { name in
                guard let pod = harness.pod(name), pod.metadata.annotations?["revision"] == "\(delays.count - 1)" else { return false }
                let running = harness.running(pod: name)
                return running.count == 1 && running[0].spec.labels?[PodLabels.podUID] == pod.metadata.uid
                    && running[0].spec.labels?[PodLabels.containerName] == "app"
            }
        }
        for name in names {
            XCTAssertEqual(harness.containers(pod: name).filter { $0.record.spec.labels?[PodLabels.containerName] == "app" }.count, 1)
        }
        kubelet.terminate()
        kubelet.waitUntilExit()
        for name in names { try harness.remove("\(name).yaml") }
        // A veth on the pod bridge that no sandbox owns (what an attach killed before its
        // sandbox was recorded leaves) goes when the next kubelet starts.
        let node = try RouteNetlink()
        try node.createVeth("vethdeadbeef", peer: "orphanpeer")
        try node.setMaster("vethdeadbeef", master: "swiftlet0")
        kubelet = try startCLI(cli)
        try await harness.waitFor("every pod to go") { names.allSatisfy { harness.containers(pod: $0).isEmpty && harness.pod($0) == nil } }
        kubelet.terminate()
        kubelet.waitUntilExit()
        XCTAssertEqual(harness.leftovers(), [])
        XCTAssertEqual(((try? Files.list("\(runtime.paths.state)/network/ipam")) ?? []).filter { $0.hasPrefix("10.") }, [])
        XCTAssertEqual(((try? Files.list(runtime.paths.names)) ?? []), [], "container names left claimed")
        // No veth is left. One whose pod end's namespace was just released goes when the
        // kernel's namespace cleanup runs, which is asynchronous: it gets 3 s.
        var veths = vethNames()
        for _ in 0..<30 where !veths.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            veths = vethNames()
        }
        XCTAssertEqual(veths, [], "processes in other network namespaces: \(processesInOtherNetworkNamespaces())\n"
                       + ((try? runProgram("/usr/bin/env", ["ip", "-d", "link", "show"]).stdout) ?? ""))
    }

    /// The kubelet's HTTPS endpoint (a real `swiftlet kubelet`): /healthz for anyone, /pods
    /// and /metrics only with a client certificate from the node's CA, which the kubelet
    /// made on its first start; a certificate from another CA fails the handshake.
    func testKubeletHTTPSEndpointAuthenticatesClientsByCertificate() async throws {
        let runtime = harness.runtime
        try harness.write("web.yaml", KubeletHarness.podYAML("web", command: ["sleep", "3600"]))
        let kubelet = try startCLI(["--root", runtime.paths.root, "--state", runtime.paths.state, "--cgroup-root", runtime.paths.cgroupParent,
                                    "kubelet", "--static-pod-path", harness.manifests, "--node-name", "node1",
                                    "--pod-logs-dir", harness.logDirectory, "--cluster-cidr", "10.97.0.0/16", "--kubelet-port", "10250"])
        defer { if kubelet.isRunning { kubelet.terminate(); kubelet.waitUntilExit() } }
        try await harness.waitFor("the pod to run") { harness.pod("web")?.status?.phase == .running }
        let certificates = NodeCertificates(directory: "\(runtime.paths.root)/tls")
        let admin = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                               configuration: HTTPClient.Configuration(tlsConfiguration: try certificates.clientConfiguration(certificate: certificates.adminClient)))
        let anonymous = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                   configuration: HTTPClient.Configuration(tlsConfiguration: try certificates.clientConfiguration(certificate: nil)))
        let foreign = try NodeCertificates.ensure(directory: "\(harness.sandbox.dir)/other-tls", nodeName: "node1")
        var stranger = try foreign.clientConfiguration(certificate: foreign.adminClient)
        stranger.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificates.caCertificate))
        let impostor = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: HTTPClient.Configuration(tlsConfiguration: stranger))
        func get(_ client: HTTPClient, _ path: String) async throws -> (Int, String) {
            let response = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:10250\(path)"), timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), String(buffer: body))
        }
        do {
            let (healthStatus, health) = try await get(anonymous, "/healthz")
            XCTAssertEqual(healthStatus, 200)
            XCTAssertEqual(health, "ok")
            for path in ["/pods", "/metrics"] {
                let (status, body) = try await get(anonymous, path)
                XCTAssertEqual(status, 401, path)
                XCTAssertEqual(body, "Unauthorized", path)
            }
            let (podsStatus, pods) = try await get(admin, "/pods")
            XCTAssertEqual(podsStatus, 200)
            let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(pods.utf8)) as? [String: Any])
            XCTAssertEqual(list["kind"] as? String, "PodList")
            let items = try XCTUnwrap(list["items"] as? [[String: Any]])
            let decoded = try items.map { try JSONDecoder().decode(Pod.self, from: JSONSerialization.data(withJSONObject: $0)) }
            XCTAssertEqual(decoded.map { $0.metadata.name ?? "" }, ["web-node1"])
            XCTAssertEqual(decoded.first?.status?.phase, .running)
            let (metricsStatus, metrics) = try await get(admin, "/metrics")
            XCTAssertEqual(metricsStatus, 200)
            for line in ["kubelet_node_name{node=\"node1\"} 1", "kubelet_running_pods 1", "kubelet_running_containers{container_state=\"running\"} 1"] {
                XCTAssertTrue(metrics.split(separator: "\n").contains(Substring(line)), "\(line) not in\n\(metrics)")
            }
            let missing = try await get(admin, "/nope")
            XCTAssertEqual(missing.0, 404)
            do {
                let answer = try await get(impostor, "/pods")
                XCTFail("a certificate from another CA was served: \(answer)")
            } catch {}
        } catch {
            XCTFail("\(error)")
        }
        for client in [admin, anonymous, impostor] { try await client.shutdown() }
        try harness.remove("web.yaml")
        try await harness.waitFor("the pod to go") { harness.containers(pod: "web").isEmpty && harness.pod("web") == nil }
    }

    /// The veths of this network namespace (/proc/self/net is per namespace; /sys may not be).
    private func vethNames() -> [String] {
        ((try? Files.readString("/proc/self/net/dev")) ?? "").split(separator: "\n").dropFirst(2)
            .compactMap { $0.split(separator: ":").first?.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("veth") }
    }

    /// `pid comm` of every process whose network namespace is neither ours nor init's: what keeps a
    /// leaked veth's pod end alive.
    private func processesInOtherNetworkNamespaces() -> [String] {
        let known = [Files.readLink("/proc/self/ns/net"), Files.readLink("/proc/1/ns/net")]
        return ((try? Files.list("/proc")) ?? []).filter { Int($0) != nil }.compactMap { pid in
            guard let ns = Files.readLink("/proc/\(pid)/ns/net"), !known.contains(ns) else { return nil }
            let comm = (try? Files.readString("/proc/\(pid)/comm")) ?? "?"
            return "\(pid) \(comm.trimmingCharacters(in: .whitespacesAndNewlines)) \(ns)"
        }
    }

    private func startCLI(_ args: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Sandbox.shimPath()).deletingLastPathComponent().appendingPathComponent("swiftlet")
        process.arguments = args
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func testWebExampleReadinessFollowsItsProbe() async throws {
        try harness.copyExample("web.yaml")
        harness.start()
        func ready() -> Bool? {
            harness.pod("web")?.status?.conditions?.first { $0.type == .ready }.map { $0.status == .true }
        }
        try await harness.waitFor("web to be ready") { ready() == true }
        let status = try XCTUnwrap(harness.pod("web")?.status?.containerStatuses?.first)
        XCTAssertEqual(status.started, true)
        XCTAssertTrue(status.ready)
        let cli = ["--root", harness.runtime.paths.root, "--state", harness.runtime.paths.state]
        XCTAssertEqual(try runCLI(cli + ["exec", "web-node1", "--", "rm", "/www/healthz"]).status, 0)
        try await harness.waitFor("the failing readiness probe to make it unready") { ready() == false }
        let unready = try XCTUnwrap(harness.pod("web"))
        XCTAssertEqual(unready.status?.conditions?.first { $0.type == .ready }?.message, "containers with unready status: [httpd]")
        XCTAssertEqual(PodRow(unready, now: .now()).ready, "0/1")
        XCTAssertEqual(unready.status?.containerStatuses?.first?.restartCount, 0, "readiness must not restart")
        XCTAssertTrue(harness.log.contains { $0.contains("Readiness probe failed for container httpd: HTTP probe failed with statuscode: 404") },
                      harness.log.joined(separator: "\n"))
        XCTAssertEqual(try runCLI(cli + ["exec", "web-node1", "--", "sh", "-c", "echo ok > /www/healthz"]).status, 0)
        try await harness.waitFor("ready again") { ready() == true }
    }

    func testFailingLivenessProbeRestartsTheContainer() async throws {
        try harness.write("live.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: live}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: \(Sandbox.image)
                imagePullPolicy: IfNotPresent
                command: ["sh", "-c", "touch /tmp/alive; exec sleep 3600"]
                livenessProbe:
                  exec: {command: ["test", "-f", "/tmp/alive"]}
                  periodSeconds: 1
                  failureThreshold: 2
            """)
        harness.start()
        try await harness.waitFor("the container") { harness.running(pod: "live").count == 1 }
        let first = try XCTUnwrap(harness.running(pod: "live").first)
        try await Task.sleep(for: .seconds(2))
        XCTAssertEqual(harness.running(pod: "live").map(\.id), [first.id], "a passing liveness probe restarted the container")
        let cli = ["--root", harness.runtime.paths.root, "--state", harness.runtime.paths.state]
        XCTAssertEqual(try runCLI(cli + ["exec", "live-node1", "--", "rm", "/tmp/alive"]).status, 0)
        try await harness.waitFor("the restart") {
            let status = harness.pod("live")?.status?.containerStatuses?.first
            return status?.restartCount == 1 && status?.state.running != nil
        }
        let status = try XCTUnwrap(harness.pod("live")?.status?.containerStatuses?.first)
        XCTAssertEqual(status.lastState.terminated?.exitCode, 137)
        XCTAssertNotEqual(harness.running(pod: "live").first?.id, first.id)
        XCTAssertTrue(harness.log.contains { $0.contains("container app failed liveness probe, will be restarted") },
                      harness.log.joined(separator: "\n"))
        // The new container passes its probe: no further restart.
        try await Task.sleep(for: .seconds(3))
        XCTAssertEqual(harness.pod("live")?.status?.containerStatuses?.first?.restartCount, 1)
    }

    /// Where the memory controller is available (the VM tier) the container is OOM-killed
    /// and reported as upstream does; where it is not, the kubelet says the limit is not
    /// enforced and the container runs to its end.
    func testMemoryLimitOOMKilledOrReportedAsNotEnforced() async throws {
        try harness.write("hog.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: hog}
            spec:
              restartPolicy: Never
              containers:
              - name: hog
                image: \(Sandbox.image)
                imagePullPolicy: IfNotPresent
                command: ["sh", "-c", "x=$(head -c 134217728 /dev/zero | tr '\\\\000' a); echo survived ${#x}"]
                resources: {limits: {memory: 32Mi}}
            """)
        harness.start()
        try await harness.waitFor("the hog to end", timeout: 60) {
            let phase = harness.pod("hog")?.status?.phase
            return phase == .failed || phase == .succeeded
        }
        let pod = try XCTUnwrap(harness.pod("hog"))
        let terminated = try XCTUnwrap(pod.status?.containerStatuses?.first?.state.terminated)
        if try harness.runtime.hierarchy().controllers.contains("memory") {
            XCTAssertEqual(terminated.reason, "OOMKilled")
            XCTAssertEqual(terminated.exitCode, 137)
            XCTAssertEqual(pod.status?.phase, .failed)
            XCTAssertEqual(PodRow(pod, now: .now()).status, "OOMKilled")
        } else {
            XCTAssertEqual(terminated.reason, "Completed")
            XCTAssertEqual(harness.logs(pod, container: "hog"), "survived 134217728\n")
            XCTAssertTrue(harness.log.contains { $0.contains("container hog: memory.max=33554432 is not enforced") },
                          harness.log.joined(separator: "\n"))
        }
    }

    /// A client in another network namespace reaches a pod through its hostPort on the
    /// node's address; the pod's own connections to it leave masqueraded as the node.
    func testHostPortIsReachableFromAnotherNamespaceAndPodTrafficIsMasqueraded() async throws {
        let client = "\(harness.sandbox.dir)/client-netns"
        try NetworkNamespace.create(at: client)
        defer {
            try? RouteNetlink().deleteLink("swl-client0")
            try? NetworkNamespace.remove(at: client)
        }
        let node = try RouteNetlink()
        try node.createVeth("swl-client0", peer: "eth0", peerNamespace: client)
        try node.addAddress(IPv4Address("192.168.77.1")!, prefixLength: 24, to: "swl-client0")
        try node.setUp("swl-client0")
        let inside = try RouteNetlink(namespace: client)
        try inside.addAddress(IPv4Address("192.168.77.2")!, prefixLength: 24, to: "eth0")
        try inside.setUp("eth0")

        try harness.write("published.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: published}
            spec:
              terminationGracePeriodSeconds: 0
              containers:
              - name: web
                image: \(Sandbox.image)
                imagePullPolicy: IfNotPresent
                command: ["sh", "-c", "mkdir /www && echo published > /www/index.html && exec httpd -f -p 8080 -h /www"]
                ports: [{containerPort: 8080, hostPort: 18080}]
            """)
        harness.start()
        var response = ""
        try await harness.waitFor("the hostPort to answer from the other namespace") {
            response = (try? httpGet("192.168.77.1", port: 18080, inNetworkNamespace: client)) ?? ""
            return !response.isEmpty
        }
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 200 OK") && response.hasSuffix("published\n"), response)

        let (listener, port) = try NetworkNamespace.run(in: client) { try TCP.listen(on: IPv4Address("192.168.77.2")!) }
        let seen = ManagedText()
        let server = Thread {
            var peer = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let fd = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener.raw, $0, &length) }
            }
            if fd >= 0 {
                seen.set(IPv4Address(UInt32(bigEndian: peer.sin_addr.s_addr)).description)
                close(fd)
            }
        }
        server.start()
        let cli = ["--root", harness.runtime.paths.root, "--state", harness.runtime.paths.state]
        let connect = try runCLI(cli + ["exec", "published-node1", "--", "sh", "-c", "echo hi | nc -w 2 192.168.77.2 \(port)"])
        XCTAssertEqual(connect.status, 0, connect.stderr)
        while !server.isFinished { try await Task.sleep(for: .milliseconds(10)) }
        XCTAssertEqual(seen.value, "192.168.77.1", "pod traffic leaving the pod network must be masqueraded")

        try harness.remove("published.yaml")
        try await harness.waitFor("the pod to go") { harness.pod("published") == nil }
        XCTAssertThrowsError(try httpGet("192.168.77.1", port: 18080, inNetworkNamespace: client), "the hostPort outlived its pod")
    }
}

/// Tiny thread-safe helpers for the sampler thread.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var isSet: Bool { lock.withLock { flag } }
    func set() { lock.withLock { flag = true } }
}

final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    var value: Int { lock.withLock { current } }
    func raise(to candidate: Int) { lock.withLock { current = max(current, candidate) } }
}

final class ManagedText: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    var value: String { lock.withLock { text } }
    func set(_ new: String) { lock.withLock { text = new } }
}
