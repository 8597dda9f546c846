import AsyncHTTPClient
import NIOCore
import Foundation
import LinuxSys
import Netlink
import NodeTLS
import XCTest

/// `swiftlet server` driven by the real kubectl, scripted as a user would drive a
/// cluster: a real server process under a temporary root, its admin kubeconfig, TLS and
/// client certificates, and kubectl's own discovery, validation, patches and watches.
final class APIServerTests: XCTestCase {
    var sandbox: Sandbox!
    var server: Process?
    var kubeconfig = ""
    var log = ""

    override func setUp() async throws {
        try requireRoot()
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/kubectl") else {
            XCTFail("kubectl is not installed (/usr/bin/kubectl): these tests drive the server with it")
            throw XCTSkip("no kubectl")
        }
        sandbox = try Sandbox()
        kubeconfig = "\(sandbox.dir)/kubeconfig"
        log = "\(sandbox.dir)/server.log"
        try Files.createDirectory("\(sandbox.dir)/manifests")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.swiftletBinary)
        let paths = sandbox.runtime.paths
        // Most flags come from a k3s-style config file; the command line's --service-cidr
        // wins over the file's (the kubernetes Service's address shows which one applied).
        let config = "\(sandbox.dir)/config.yaml"
        try Files.writeAtomically(config, """
            static-pod-path: \(sandbox.dir)/manifests
            pod-logs-dir: \(sandbox.dir)/logs
            write-kubeconfig: \(kubeconfig)
            https-listen-port: 0
            kubelet-port: 20250
            service-cidr: 10.99.0.0/16
            """)
        process.arguments = ["--root", paths.root, "--state", paths.state, "--cgroup-root", paths.cgroupParent, "server",
                             "--config", config, "--service-cidr", "10.43.0.0/16"]
        FileManager.default.createFile(atPath: log, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = output
        process.standardError = output
        let started = Date()
        try process.run()
        server = process
        while !Files.exists(kubeconfig) {
            guard Date().timeIntervalSince(started) < 20, process.isRunning else {
                XCTFail("the server did not write its kubeconfig; log:\n\((try? Files.readString(log)) ?? "")")
                throw XCTSkip("no server")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    override func tearDown() async throws {
        if let server, server.isRunning {
            server.terminate()
            server.waitUntilExit()
        }
        sandbox?.tearDown()
    }

    @discardableResult
    func kubectl(_ args: [String], stdin: String? = nil, environment: [String: String] = [:], expect status: Int32 = 0,
                 file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try runProgram("/usr/bin/kubectl", ["--kubeconfig", kubeconfig] + args, environment: environment, stdin: stdin)
        XCTAssertEqual(result.status, status, "kubectl \(args.joined(separator: " ")): \(result.stdout)\(result.stderr)", file: file, line: line)
        return status == 0 ? result.stdout : result.stderr
    }

    /// The swiftlet binary beside the shim: the server under test, and our own CLI.
    static var swiftletBinary: String {
        URL(fileURLWithPath: Sandbox.shimPath()).deletingLastPathComponent().appendingPathComponent("swiftlet").path
    }

    /// Our CLI against the server (`swiftlet VERB --kubeconfig … ARGS`): its stdout and stderr.
    @discardableResult
    func swiftlet(_ args: [String], environment: [String: String] = [:], expect status: Int32 = 0,
                  file: StaticString = #filePath, line: UInt = #line) throws -> (stdout: String, stderr: String) {
        let result = try runProgram(Self.swiftletBinary, [args[0], "--kubeconfig", kubeconfig] + args.dropFirst(), environment: environment)
        XCTAssertEqual(result.status, status, "swiftlet \(args.joined(separator: " ")): \(result.stdout)\(result.stderr)", file: file, line: line)
        return (result.stdout, result.stderr)
    }

    func testKubectlDrivesTheServerAsACluster() async throws {
        XCTAssertTrue(try kubectl(["version"]).contains("Server Version: v1.32.0+swiftlet"))
        // The server's own node, registered by its kubelet, with its lease in kube-node-lease.
        try await waitFor("the node to register") { ((try? self.kubectl(["get", "nodes", "-o", "name"])) ?? "").hasPrefix("node/") }
        let nodes = try kubectl(["get", "nodes", "-o", "wide"]).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(nodes.first.map { Array($0.prefix(5)) }, ["NAME", "STATUS", "ROLES", "AGE", "VERSION"])
        let node = try XCTUnwrap(nodes.dropFirst().first)
        XCTAssertEqual([node[1], node[2], node[4]], ["Ready", "control-plane", "v1.32.0+swiftlet"])
        XCTAssertEqual(try kubectl(["get", "node", node[0], "-o", "jsonpath={.status.nodeInfo.containerRuntimeVersion} {.status.capacity.pods} {.metadata.labels.kubernetes\\.io/os}"]),
                       "swiftlet://0.1.0 110 linux")
        try await waitFor("the node's lease") {
            (try? runProgram("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "-n", "kube-node-lease", "get", "lease", node[0],
                                                  "-o", "jsonpath={.spec.holderIdentity}"]).stdout) == node[0]
        }
        XCTAssertEqual(try kubectl(["get", "namespaces", "-o", "name"]),
                       "namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n")
        XCTAssertEqual(try kubectl(["create", "namespace", "demo"]), "namespace/demo created\n")

        // apply twice, with a change between: the second is a strategic merge patch.
        func manifest(_ level: String) -> String {
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: demo, labels: {app: web}}
            data: {level: "\(level)", mode: fast}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: token, namespace: demo}
            stringData: {token: s3cret}
            """
        }
        XCTAssertEqual(try kubectl(["apply", "-f", "-"], stdin: manifest("1")), "configmap/settings created\nsecret/token created\n")
        // stringData is write-only, so the secret's patch is never empty: "configured", as upstream says too.
        XCTAssertEqual(try kubectl(["apply", "-f", "-"], stdin: manifest("2")), "configmap/settings configured\nsecret/token configured\n")
        XCTAssertEqual(try kubectl(["apply", "-f", "-"], stdin: manifest("2")), "configmap/settings unchanged\nsecret/token configured\n")
        XCTAssertEqual(try kubectl(["-n", "demo", "get", "configmap", "settings", "-o", "jsonpath={.data.level} {.data.mode}"]), "2 fast")
        XCTAssertEqual(try kubectl(["-n", "demo", "get", "secret", "token", "-o", "jsonpath={.data.token} {.type}"]),
                       "\(Data("s3cret".utf8).base64EncodedString()) Opaque")

        // Tables as upstream prints them, and the object forms.
        let wide = try kubectl(["-n", "demo", "get", "configmaps", "-o", "wide"]).split(separator: "\n")
        XCTAssertEqual(wide.first?.split(separator: " ").map(String.init), ["NAME", "DATA", "AGE"])
        XCTAssertEqual(wide.dropFirst().first?.split(separator: " ").prefix(2).map(String.init), ["settings", "2"])
        let yaml = try kubectl(["-n", "demo", "get", "configmap", "settings", "-o", "yaml"])
        XCTAssertTrue(yaml.contains("  uid: ") && yaml.contains("  resourceVersion: ") && yaml.contains("kubectl.kubernetes.io/last-applied-configuration"), yaml)
        let json = try JSONSerialization.jsonObject(with: Data(try kubectl(["-n", "demo", "get", "configmap", "settings", "-o", "json"]).utf8)) as? [String: Any]
        XCTAssertEqual((json?["metadata"] as? [String: Any])?["namespace"] as? String, "demo")
        XCTAssertTrue(try kubectl(["-n", "demo", "describe", "configmap", "settings"]).contains("Name:         settings"))

        // label, annotate, the three patch types, edit.
        XCTAssertEqual(try kubectl(["-n", "demo", "label", "configmap", "settings", "tier=backend"]), "configmap/settings labeled\n")
        XCTAssertEqual(try kubectl(["-n", "demo", "annotate", "configmap", "settings", "owner=ops"]), "configmap/settings annotated\n")
        XCTAssertEqual(try kubectl(["-n", "demo", "get", "configmaps", "-l", "tier=backend,app in (web)", "-o", "name"]), "configmap/settings\n")
        XCTAssertEqual(try kubectl(["-n", "demo", "get", "configmaps", "-l", "tier!=backend", "-o", "name"]), "")
        try kubectl(["-n", "demo", "patch", "configmap", "settings", "--type=strategic", "-p", #"{"data":{"a":"1"}}"#])
        try kubectl(["-n", "demo", "patch", "configmap", "settings", "--type=merge", "-p", #"{"data":{"mode":null}}"#])
        try kubectl(["-n", "demo", "patch", "configmap", "settings", "--type=json", "-p", #"[{"op":"replace","path":"/data/a","value":"2"}]"#])
        let editor = "\(sandbox.dir)/editor.sh"
        try Files.writeAtomically(editor, "#!/bin/sh\nsed -i 's/^  level: .*/  level: \"edited\"/' \"$1\"\n", mode: 0o755)
        XCTAssertEqual(try kubectl(["-n", "demo", "edit", "configmap", "settings"], environment: ["KUBE_EDITOR": editor]),
                       "configmap/settings edited\n")
        XCTAssertEqual(try kubectl(["-n", "demo", "get", "configmap", "settings", "-o", "jsonpath={.data}"]), #"{"a":"2","level":"edited"}"#)

        // A stale update is a 409; a failed JSON patch test changes nothing.
        let stale = yaml.replacingOccurrences(of: "level: \"2\"", with: "level: \"stale\"")
        XCTAssertTrue(try kubectl(["replace", "-f", "-"], stdin: stale, expect: 1).contains(
            #"Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again"#))

        // get -w sees a concurrent change.
        let watchOutput = "\(sandbox.dir)/watch.out"
        FileManager.default.createFile(atPath: watchOutput, contents: nil)
        let watch = Process()
        watch.executableURL = URL(fileURLWithPath: "/usr/bin/kubectl")
        watch.arguments = ["--kubeconfig", kubeconfig, "-n", "demo", "get", "configmaps", "-w", "--output-watch-events"]
        watch.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: watchOutput))
        watch.standardError = watch.standardOutput
        try watch.run()
        defer { if watch.isRunning { watch.terminate() } }
        try await waitFor("the watch's initial list") { ((try? Files.readString(watchOutput)) ?? "").contains("settings") }
        try kubectl(["-n", "demo", "create", "configmap", "late", "--from-literal=x=1"])
        try await waitFor("the watch to see the new configmap") {
            ((try? Files.readString(watchOutput)) ?? "").split(separator: "\n").contains { $0.hasPrefix("ADDED") && $0.contains("late") }
        }
        watch.terminate()

        let resources = try kubectl(["api-resources", "--api-group="]).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertTrue(resources.contains(["configmaps", "cm", "v1", "true", "ConfigMap"]), "\(resources)")
        XCTAssertTrue(resources.contains(["namespaces", "ns", "v1", "false", "Namespace"]), "\(resources)")
        XCTAssertTrue(try kubectl(["api-resources", "--api-group=events.k8s.io"]).split(separator: "\n").contains {
            $0.split(separator: " ") == ["events", "ev", "events.k8s.io/v1", "true", "Event"]
        })

        // An events.k8s.io/v1 Event is a core one too, and the new API's create validation applies.
        func event(_ name: String, dated: Bool) -> String {
            """
            apiVersion: events.k8s.io/v1
            kind: Event
            metadata: {name: \(name), namespace: demo}
            \(dated ? "eventTime: \"2026-01-02T03:04:05.000000Z\"\n" : "")reportingController: example.com/deployer
            reportingInstance: deployer-1
            action: Deploying
            reason: Started
            type: Normal
            note: deploying web
            regarding: {apiVersion: apps/v1, kind: Deployment, namespace: demo, name: web}
            """
        }
        XCTAssertEqual(try kubectl(["create", "-f", "-"], stdin: event("deploying", dated: true)),
                       "event.events.k8s.io/deploying created\n")
        let printed = try kubectl(["get", "events.events.k8s.io", "-A"]).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(printed.first, ["NAMESPACE", "LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], "\(printed)")
        XCTAssertEqual(printed.dropFirst().first.map { [$0[0]] + $0.suffix(5) }, ["demo", "Normal", "Started", "deployment/web", "deploying", "web"])
        XCTAssertEqual(try kubectl(["-n", "demo", "get", "events", "--field-selector", "involvedObject.kind=Deployment",
                                    "-o", "jsonpath={.items[*].message} {.items[*].reportingComponent}"]), "deploying web example.com/deployer")
        XCTAssertTrue(try kubectl(["create", "-f", "-"], stdin: event("undated", dated: false), expect: 1).contains(
            #"The Event "undated" is invalid: eventTime: Required value"#))
        XCTAssertEqual(try kubectl(["-n", "demo", "delete", "configmap", "late", "--wait"]), "configmap \"late\" deleted\n")
        XCTAssertTrue(try kubectl(["-n", "demo", "get", "configmap", "late"], expect: 1).contains(#"Error from server (NotFound): configmaps "late" not found"#))
        // A deleted namespace is Terminating until its content is gone: nothing new gets in,
        // and an object with a finalizer holds it until the finalizer is removed.
        try kubectl(["apply", "-f", "-"], stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: held, namespace: demo, finalizers: [example.com/hold]}\n")
        XCTAssertEqual(try kubectl(["delete", "namespace", "demo", "--wait=false"]), "namespace \"demo\" deleted\n")
        XCTAssertEqual(try kubectl(["get", "namespace", "demo", "-o", "jsonpath={.status.phase}"]), "Terminating")
        XCTAssertTrue(try kubectl(["-n", "demo", "create", "configmap", "newcomer"], expect: 1).contains(
            #"configmaps "newcomer" is forbidden: unable to create new content in namespace demo because it is being terminated"#))
        try await waitFor("the namespace's other content to go") {
            (try? runProgram("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "-n", "demo", "get", "configmaps", "-o", "name"]).stdout) == "configmap/held\n"
        }
        XCTAssertEqual(try kubectl(["get", "namespace", "demo", "-o", "jsonpath={.status.phase}"]), "Terminating")
        try kubectl(["-n", "demo", "patch", "configmap", "held", "--type=json", "-p", #"[{"op":"remove","path":"/metadata/finalizers"}]"#])
        try await waitFor("the namespace to go") {
            (try? runProgram("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "get", "namespace", "demo"]).status) == 1
        }
        XCTAssertEqual(try kubectl(["get", "configmaps", "-A", "-o", "name"]), "")
    }

    /// Workloads as a user drives them: a Deployment applied twice (the second apply's
    /// strategic merge patch merges containers by name), scaled through /scale, its status
    /// written through /status only, Tables with the upstream columns, and pods defaulted
    /// and validated as upstream.
    func testWorkloadsPodsAndServices() async throws {
        try kubectl(["create", "namespace", "shop"])
        func deployment(_ image: String) -> String {
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - {name: web, image: "\(image)", ports: [{containerPort: 80}]}
                  - {name: log, image: "busybox:1", args: [tail, -f, /dev/null]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              selector: {app: web}
              ports: [{port: 80}]
            """
        }
        XCTAssertEqual(try kubectl(["apply", "-f", "-"], stdin: deployment("nginx:1")), "deployment.apps/web created\nservice/web created\n")
        // A change made outside the manifest survives the next apply: only the image is patched.
        try kubectl(["-n", "shop", "patch", "deployment", "web", "--type=json",
                     "-p", #"[{"op":"add","path":"/spec/template/spec/containers/0/env","value":[{"name":"MODE","value":"live"}]}]"#])
        XCTAssertEqual(try kubectl(["apply", "-f", "-"], stdin: deployment("nginx:2")), "deployment.apps/web configured\nservice/web unchanged\n")
        XCTAssertEqual(try kubectl(["-n", "shop", "get", "deploy", "web", "-o",
                                    "jsonpath={.spec.template.spec.containers[*].image} {.spec.template.spec.containers[0].env[0].value} {.metadata.generation}"]),
                       "nginx:2 busybox:1 live 3")
        // Defaults as upstream: the strategy, and the pod template's.
        XCTAssertEqual(try kubectl(["-n", "shop", "get", "deploy", "web", "-o",
                                    "jsonpath={.spec.strategy.rollingUpdate.maxSurge} {.spec.template.spec.restartPolicy} {.spec.template.spec.containers[0].terminationMessagePath}"]),
                       "25% Always /dev/termination-log")

        // scale goes through /scale; status only through /status.
        XCTAssertEqual(try kubectl(["-n", "shop", "scale", "deployment", "web", "--replicas=3"]), "deployment.apps/web scaled\n")
        try kubectl(["-n", "shop", "patch", "deployment", "web", "--type=merge", "-p", #"{"status":{"readyReplicas":9}}"#])
        try kubectl(["-n", "shop", "patch", "deployment", "web", "--subresource=status", "--type=merge",
                     "-p", #"{"status":{"replicas":3,"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}}"#])
        let deployments = try kubectl(["-n", "shop", "get", "deployments", "-o", "wide"]).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(deployments.first, ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"])
        XCTAssertEqual(deployments.dropFirst().first.map { Array($0.prefix(4)) + Array($0.suffix(3)) },
                       ["web", "2/3", "3", "2", "web,log", "nginx:2,busybox:1", "app=web"])
        let services = try kubectl(["-n", "shop", "get", "services", "-o", "wide"]).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(services.first, ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"])
        let service = try XCTUnwrap(services.dropFirst().first)
        XCTAssertEqual(Array(service.prefix(2)) + Array(service[3...4]) + [service.last!], ["web", "ClusterIP", "<none>", "80/TCP", "app=web"])
        // Cluster IPs come from the service network, each address to one Service only.
        let clusterIP = service[2]
        XCTAssertTrue(IPv4Network("10.43.0.0/16")!.contains(try XCTUnwrap(IPv4Address(clusterIP))), clusterIP)
        XCTAssertEqual(try kubectl(["-n", "default", "get", "service", "kubernetes", "-o", "jsonpath={.spec.clusterIP}"]), "10.43.0.1")
        let copy = "apiVersion: v1\nkind: Service\nmetadata: {name: copy, namespace: shop}\nspec: {clusterIP: \"\(clusterIP)\", ports: [{port: 1}]}\n"
        XCTAssertTrue(try kubectl(["apply", "-f", "-"], stdin: copy, expect: 1).contains(
            #"Service "copy" is invalid: spec.clusterIPs: Invalid value: []string{"\#(clusterIP)"}: failed to allocate IP \#(clusterIP): provided IP is already allocated"#))
        XCTAssertTrue(try kubectl(["-n", "shop", "patch", "service", "web", "--type=merge", "-p", #"{"spec":{"clusterIP":"10.43.9.9"}}"#], expect: 1)
            .contains("may not change once set"))
        try kubectl(["-n", "shop", "delete", "service", "web"])
        XCTAssertEqual(try kubectl(["apply", "-f", "-"], stdin: copy), "service/copy created\n")

        // Pods: defaulted, validated with field paths, unknown fields refused under kubectl's Strict.
        let pod = """
            apiVersion: v1
            kind: Pod
            metadata: {name: one, namespace: shop}
            spec:
              containers: [{name: app, image: busybox}]
            """
        XCTAssertEqual(try kubectl(["apply", "-f", "-"], stdin: pod), "pod/one created\n")
        XCTAssertEqual(try kubectl(["-n", "shop", "get", "pod", "one", "-o",
                                    "jsonpath={.status.phase} {.status.qosClass} {.spec.containers[0].imagePullPolicy} {.spec.dnsPolicy}"]),
                       "Pending BestEffort Always ClusterFirst")
        let pods = try kubectl(["-n", "shop", "get", "pods", "-o", "wide"]).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(pods.first, ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED", "NODE", "READINESS", "GATES"])
        XCTAssertEqual(pods.dropFirst().first.map { Array($0.prefix(4)) + Array($0.suffix(4)) }, ["one", "0/1", "Pending", "0", "<none>", "<none>", "<none>", "<none>"])
        XCTAssertTrue(try kubectl(["apply", "-f", "-"], stdin: pod.replacingOccurrences(of: "name: one", with: "name: two")
            .replacingOccurrences(of: "image: busybox", with: "imagee: busybox"), expect: 1)
            .contains(#"strict decoding error: unknown field "spec.containers[0].imagee""#))
        XCTAssertTrue(try kubectl(["apply", "--validate=false", "-f", "-"], stdin: pod.replacingOccurrences(of: "name: one", with: "name: two")
            .replacingOccurrences(of: "image: busybox", with: "imagee: busybox"), expect: 1)
            .contains(#"The Pod "two" is invalid: spec.containers[0].image: Required value"#))
        XCTAssertTrue(try kubectl(["-n", "shop", "scale", "deployment", "web", "--replicas=-1"], expect: 1).contains("--replicas=COUNT"))
        // Under --validate=warn the unknown field is dropped and kubectl prints the server's warning.
        let warned = try runProgram("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "apply", "--validate=warn", "-f", "-"],
                                    stdin: pod.replacingOccurrences(of: "name: one", with: "name: three")
                                        .replacingOccurrences(of: "image: busybox", with: "image: busybox, colour: blue"))
        XCTAssertEqual(warned.status, 0, warned.stderr)
        XCTAssertEqual(warned.stdout, "pod/three created\n")
        XCTAssertTrue(warned.stderr.contains(#"Warning: unknown field "spec.containers[0].colour""#), warned.stderr)
        try kubectl(["-n", "shop", "delete", "pod", "three"])

        // Discovery is aggregated: kubectl learns every group from /api and /apis alone.
        let discovery = try runProgram("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", "\(sandbox.dir)/cache", "-v=6", "api-resources"])
        XCTAssertEqual(discovery.status, 0, discovery.stderr)
        XCTAssertTrue(discovery.stdout.contains("poddisruptionbudgets"), discovery.stdout)
        XCTAssertTrue(discovery.stderr.contains("/apis?timeout") && !discovery.stderr.contains("/apis/apps/v1"), discovery.stderr)

        // Binding places a pod once; cordon and drain evict through pods/eviction, which a
        // PodDisruptionBudget without room refuses (429) until its status allows one.
        try await waitFor("the node to register") { ((try? self.kubectl(["get", "nodes", "-o", "name"])) ?? "").hasPrefix("node/") }
        let nodeName = String(try kubectl(["get", "nodes", "-o", "name"]).dropFirst("node/".count).prefix { $0 != "\n" })
        let guarded = pod.replacingOccurrences(of: "name: one, namespace: shop", with: "name: guarded, namespace: shop, labels: {app: guarded}")
        XCTAssertEqual(try kubectl(["apply", "-f", "-"], stdin: guarded), "pod/guarded created\n")
        let binding = "\(sandbox.dir)/binding.json"
        try Files.writeAtomically(binding, #"{"apiVersion":"v1","kind":"Binding","metadata":{"name":"guarded"},"target":{"kind":"Node","name":"\#(nodeName)"}}"#)
        try kubectl(["create", "--raw", "/api/v1/namespaces/shop/pods/guarded/binding", "-f", binding])
        XCTAssertEqual(try kubectl(["-n", "shop", "get", "pod", "guarded", "-o", "jsonpath={.spec.nodeName} {.status.conditions[0].type}"]),
                       "\(nodeName) PodScheduled")
        XCTAssertTrue(try kubectl(["create", "--raw", "/api/v1/namespaces/shop/pods/guarded/binding", "-f", binding], expect: 1)
            .contains("pod guarded is already assigned to node \"\(nodeName)\""))
        try kubectl(["apply", "-f", "-"], stdin: "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: keep, namespace: shop}\nspec: {minAvailable: 1, selector: {matchLabels: {app: guarded}}}\n")
        let blocked = try runProgram("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "drain", nodeName, "--force", "--timeout=3s"])
        XCTAssertNotEqual(blocked.status, 0)
        XCTAssertTrue(blocked.stderr.contains("Cannot evict pod as it would violate the pod's disruption budget."), blocked.stderr)
        XCTAssertEqual(try kubectl(["get", "node", nodeName, "-o", "jsonpath={.spec.unschedulable}"]), "true")
        try kubectl(["-n", "shop", "patch", "pdb", "keep", "--subresource=status", "--type=merge",
                     "-p", #"{"status":{"observedGeneration":1,"disruptionsAllowed":1,"currentHealthy":1,"desiredHealthy":1,"expectedPods":1}}"#])
        let drained = try runProgram("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "drain", nodeName, "--force", "--timeout=10s"])
        XCTAssertEqual(drained.status, 0, drained.stderr)
        XCTAssertTrue(drained.stdout.contains("pod/guarded evicted") && drained.stdout.contains("node/\(nodeName) drained"), drained.stdout)
        XCTAssertEqual(try kubectl(["-n", "shop", "get", "pdb", "keep", "-o", "jsonpath={.status.disruptionsAllowed}"]), "0")
        XCTAssertTrue(try kubectl(["-n", "shop", "get", "pod", "guarded"], expect: 1).contains("not found"))
        XCTAssertEqual(try kubectl(["uncordon", nodeName]), "node/\(nodeName) uncordoned\n")

        XCTAssertTrue(try kubectl(["get", "all", "-n", "shop", "-o", "name"]).split(separator: "\n")
            .elementsEqual(["pod/one", "service/copy", "deployment.apps/web"]))
        let resources = try kubectl(["api-resources", "--api-group=apps"]).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertTrue(resources.contains(["deployments", "deploy", "apps/v1", "true", "Deployment"]), "\(resources)")
        XCTAssertEqual(try kubectl(["delete", "namespace", "shop", "--wait"]), "namespace \"shop\" deleted\n")
        XCTAssertEqual(try kubectl(["get", "deployments,pods", "-A", "-o", "name"]), "")
        XCTAssertEqual(try kubectl(["get", "services", "-A", "-o", "name"]), "service/kubernetes\n")
    }

    /// Bad input gets upstream's status codes, reasons and messages.
    /// kubectl explain reads the schemas generated from our Swift types (OpenAPI v3).
    func testKubectlExplainsEveryKind() async throws {
        // explain reads dots as a field path, so a group goes in --api-version (`deployments.apps`).
        for name in try kubectl(["api-resources", "-o", "name"]).split(separator: "\n") {
            let (resource, group) = (name.prefix { $0 != "." }, name.drop { $0 != "." }.dropFirst())
            let output = try kubectl(["explain", String(resource)] + (group.isEmpty ? [] : ["--api-version", "\(group)/v1"]))
            XCTAssertNotNil(output.split(separator: "\n").first { $0.hasPrefix("KIND:") }, "kubectl explain \(name)")
        }
        XCTAssertEqual(try kubectl(["explain", "deployments.spec.strategy"]), """
            GROUP:      apps
            KIND:       Deployment
            VERSION:    v1

            FIELD: strategy <DeploymentStrategy>


            DESCRIPTION:
                How old pods are replaced by new ones when the template changes.
                How a deployment replaces its existing pods with new ones.
                \("")
            FIELDS:
              rollingUpdate\t<RollingUpdateDeployment>
                Tuning for a rolling update; only allowed when type is RollingUpdate.

              type\t<string>
                The replacement method: "Recreate" (stop all old pods before starting new
                ones) or "RollingUpdate" (replace them gradually). Default RollingUpdate.



            """)
        let containers = try kubectl(["explain", "pods.spec.containers"])
        for line in ["FIELD: containers <[]Container>", "  name\t<string> -required-", "  ports\t<[]ContainerPort>",
                     "  resources\t<ResourceRequirements>", "  env\t<[]EnvVar>"] {
            XCTAssertTrue(containers.contains(line + "\n"), "\(line) not in\n\(containers)")
        }
        let recursive = try kubectl(["explain", "cronjobs", "--recursive"])
        XCTAssertTrue(recursive.contains("\n            containers\t<[]Container> -required-\n"), recursive)
        XCTAssertTrue(recursive.contains("\n                limits\t<map[string]Quantity>\n"), recursive)
        // Upstream's `+enum` types list their values.
        XCTAssertTrue(try kubectl(["explain", "pods.spec.restartPolicy"]).contains("FIELD: restartPolicy <string>\nENUM:\n    Always\n    Never\n    OnFailure\n"))
        XCTAssertTrue(try kubectl(["explain", "pods.spec.affinity.nodeAffinity"]).contains("  requiredDuringSchedulingIgnoredDuringExecution\t<NodeSelector>\n"))
        XCTAssertTrue(try kubectl(["explain", "pods.spec.nope"], expect: 1).contains(#"field "nope" does not exist"#))
    }

    func testBadRequestsGetUpstreamStatuses() async throws {
        try kubectl(["create", "namespace", "demo"])
        XCTAssertTrue(try kubectl(["create", "configmap", "Bad_Name", "-n", "demo"], expect: 1).contains(
            #"ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters"#))
        let bad = "\(sandbox.dir)/bad.json"
        try Files.writeAtomically(bad, #"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x""#)
        XCTAssertTrue(try kubectl(["create", "--raw", "/api/v1/namespaces/demo/configmaps", "-f", bad], expect: 1)
            .contains("Error from server (BadRequest): error decoding the request body as JSON: line 1, column "))
        try Files.writeAtomically(bad, #"{"apiVersion": "v2", "kind": "ConfigMap", "metadata": {"name": "x"}}"#)
        XCTAssertTrue(try kubectl(["create", "--raw", "/api/v1/namespaces/demo/configmaps", "-f", bad], expect: 1)
            .contains("the API version in the data (v2) does not match the expected API version (v1)"))
        XCTAssertTrue(try kubectl(["get", "nosuchkinds"], expect: 1).contains(#"the server doesn't have a resource type "nosuchkinds""#))
        XCTAssertTrue(try kubectl(["-n", "nosuch", "create", "configmap", "x"], expect: 1).contains(#"namespaces "nosuch" not found"#))
        // The mistakes users make most with workloads and Services, in upstream's words.
        let mismatched = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: demo}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: api}}
                spec: {containers: [{name: web, image: busybox}]}
            """
        XCTAssertTrue(try kubectl(["apply", "-f", "-"], stdin: mismatched, expect: 1).contains(
            #"The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`"#))
        XCTAssertTrue(try kubectl(["apply", "-f", "-"], stdin: "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: demo}\nspec: {selector: {app: web}}\n",
                                  expect: 1).contains(#"The Service "s" is invalid: spec.ports: Required value"#))
        XCTAssertTrue(try kubectl(["apply", "-f", "-"], stdin: "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: demo}\nspec: {ports: [{port: 70000}]}\n",
                                  expect: 1).contains(
            "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive"))
        try kubectl(["-n", "demo", "create", "configmap", "twice"])
        XCTAssertTrue(try kubectl(["-n", "demo", "create", "configmap", "twice"], expect: 1).contains(#"configmaps "twice" already exists"#))

        // Without a client certificate: refused, except the health and version endpoints.
        let server = try XCTUnwrap(try Files.readString(kubeconfig).split(separator: "\n").first { $0.contains("server: ") })
            .split(separator: " ").last.map(String.init) ?? ""
        let certificates = NodeCertificates(directory: "\(sandbox.runtime.paths.root)/tls")
        let anonymous = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                   configuration: HTTPClient.Configuration(tlsConfiguration: try certificates.clientConfiguration(certificate: nil)))
        func get(_ path: String) async throws -> (Int, String) {
            let response = try await anonymous.execute(HTTPClientRequest(url: server + path), timeout: .seconds(10))
            XCTAssertEqual(response.version, .http2, "ALPN should choose HTTP/2")
            return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
        }
        let refused = try await get("/api/v1/namespaces")
        XCTAssertEqual(refused.0, 401)
        XCTAssertEqual(refused.1, #"{"apiVersion":"v1","code":401,"kind":"Status","message":"Unauthorized","metadata":{},"reason":"Unauthorized","status":"Failure"}"# + "\n")
        for path in ["/readyz", "/livez", "/healthz"] {
            let answer = try await get(path)
            XCTAssertEqual(answer.1, "ok")
        }
        let version = try await get("/version")
        XCTAssertTrue(version.1.contains(#""gitVersion":"v1.32.0+swiftlet""#), version.1)

        // A body over the limit is refused whole, and the server goes on serving.
        try Files.writeAtomically(bad, #"{"metadata": {"name": "big"}, "data": {"x": ""# + String(repeating: "a", count: 4 << 20) + #""}}"#)
        XCTAssertTrue(try kubectl(["create", "--raw", "/api/v1/namespaces/demo/configmaps", "-f", bad], expect: 1).contains("Request entity too large"))
        XCTAssertEqual(try kubectl(["-n", "demo", "get", "configmaps", "-o", "name"]), "configmap/twice\n")

        // The store's size and revision, and objects per resource, for an authenticated client.
        let metrics = try kubectl(["get", "--raw", "/metrics"])
        XCTAssertTrue(metrics.contains(#"apiserver_storage_objects{resource="configmaps"} 1"#), metrics)
        XCTAssertTrue(metrics.contains(#"apiserver_storage_objects{resource="namespaces"} 5"#), metrics)
        let revision = metrics.split(separator: "\n").first { $0.hasPrefix("swiftlet_store_revision ") }.flatMap { Int($0.split(separator: " ")[1]) }
        XCTAssertGreaterThan(try XCTUnwrap(revision), 5)
        let anonymousMetrics = try await get("/metrics")
        XCTAssertEqual(anonymousMetrics.0, 401)
        try await anonymous.shutdown()
    }

    /// A watcher that never reads: the server's writes to it stop (HTTP/2 flow control,
    /// then the socket), nothing piles up, everyone else is served, and after the 30 s write
    /// timeout the server ends that watch.
    func testAWatchClientThatNeverReadsDoesNotStopTheServer() async throws {
        try kubectl(["create", "namespace", "demo"])
        let server = try XCTUnwrap(try Files.readString(kubeconfig).split(separator: "\n").first { $0.contains("server: ") })
            .split(separator: " ").last.map(String.init) ?? ""
        let certificates = NodeCertificates(directory: "\(sandbox.runtime.paths.root)/tls")
        let admin = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                               configuration: HTTPClient.Configuration(tlsConfiguration: try certificates.clientConfiguration(certificate: certificates.adminClient)))
        let stalled = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                 configuration: HTTPClient.Configuration(tlsConfiguration: try certificates.clientConfiguration(certificate: certificates.adminClient)))
        let watch = try await stalled.execute(HTTPClientRequest(url: server + "/api/v1/namespaces/demo/configmaps?watch=1"), timeout: .seconds(120))
        XCTAssertEqual(watch.status, .ok)
        // 24 MiB of events for a client that takes none of them.
        let started = Date()
        let value = String(repeating: "x", count: 1 << 20)
        for i in 0..<24 {
            var request = HTTPClientRequest(url: server + "/api/v1/namespaces/demo/configmaps")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"metadata":{"name":"big-\#(i)"},"data":{"v":"\#(value)"}}"#))
            let response = try await admin.execute(request, timeout: .seconds(30))
            XCTAssertEqual(response.status, .created)
            _ = try await response.body.collect(upTo: 4 << 20)
        }
        XCTAssertEqual(try kubectl(["-n", "demo", "get", "configmaps", "-o", "name"]).split(separator: "\n").count, 24)
        // Past the write timeout the server has ended the stalled watch: reading it now
        // drains what was in flight, then ends, far short of everything written.
        let elapsed = Date().timeIntervalSince(started)
        if elapsed < 35 { try await Task.sleep(for: .seconds(35 - elapsed)) }
        // Read for at most a minute: a watch the server failed to end must fail the test, not hang it.
        let received = await withTaskGroup(of: Int?.self) { group in
            group.addTask {
                var received = 0
                do { for try await chunk in watch.body { received += chunk.readableBytes } } catch {}
                return received
            }
            group.addTask { try? await Task.sleep(for: .seconds(60)); return nil }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        XCTAssertNotNil(received, "the stalled watch was still open a minute after the write timeout")
        XCTAssertLessThan(received ?? .max, 16 << 20, "the stalled watch was not cut off")
        try await stalled.shutdown()
        try await admin.shutdown()
    }

    /// `swiftlet get|apply|delete|describe|edit|label` against the same server: kubectl is
    /// the oracle, so where both print the same thing the outputs must be equal byte for byte.
    func testSwiftletsOwnCLIPrintsWhatKubectlPrints() async throws {
        /// Both print the same. An AGE cell may tick between the two calls (each takes over a
        /// second in the slow guest VM): after a few tries, ages are masked (and so the
        /// padding that follows them), and everything else must still be equal.
        func assertSameOutput(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws {
            var ours = "", theirs = ""
            for _ in 0..<5 {
                theirs = try kubectl(args, file: file, line: line)
                ours = try swiftlet(args, file: file, line: line).stdout
                if ours == theirs { return }
            }
            func masked(_ text: String) -> String {
                text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                    line.split(separator: " ").map { $0.wholeMatch(of: /[0-9]+[smhdy]([0-9]+[smhd])?/) != nil ? "<age>" : String($0) }
                        .joined(separator: " ")
                }.joined(separator: "\n")
            }
            XCTAssertEqual(masked(ours), masked(theirs), "swiftlet \(args.joined(separator: " "))", file: file, line: line)
        }
        let manifest = "\(sandbox.dir)/app.yaml"
        func write(image: String, labels: String) throws {
            try Files.writeAtomically(manifest, """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: shop
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: shop
                data:
                  mode: "fast"
                  retries: "3"
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: shop
                  labels: {\(labels)}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: web
                        image: \(image)
                        ports: [{containerPort: 80}]
                """)
        }
        try write(image: "nginx:1.26", labels: "app: web, tier: front")
        XCTAssertEqual(try swiftlet(["apply", "-f", manifest]).stdout,
                       "namespace/shop created\nconfigmap/settings created\ndeployment.apps/web created\n")
        XCTAssertEqual(try swiftlet(["apply", "-f", manifest]).stdout,
                       "namespace/shop unchanged\nconfigmap/settings unchanged\ndeployment.apps/web unchanged\n")
        XCTAssertEqual(try swiftlet(["apply", "-n", "other", "-f", manifest], expect: 1).stderr,
                       "error: the namespace from the provided object \"shop\" does not match the namespace \"other\". You must pass '--namespace=shop' to perform this operation.\n")
        // Someone else adds an env var; the next apply changes the image, drops a label, and keeps the env var.
        try kubectl(["-n", "shop", "patch", "deployment", "web", "-p",
                     #"{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"EXTRA","value":"1"}]}]}}}}"#])
        try write(image: "nginx:1.27", labels: "app: web")
        XCTAssertEqual(try swiftlet(["apply", "-f", manifest]).stdout,
                       "namespace/shop unchanged\nconfigmap/settings unchanged\ndeployment.apps/web configured\n")
        XCTAssertEqual(try kubectl(["-n", "shop", "get", "deployment", "web", "-o",
                                    "jsonpath={.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env[0].name} {.metadata.labels}"]),
                       #"nginx:1.27 EXTRA {"app":"web"}"#)
        // kubectl's apply reads swiftlet's last-applied annotation: nothing to do.
        XCTAssertEqual(try kubectl(["apply", "-f", manifest]),
                       "namespace/shop unchanged\nconfigmap/settings unchanged\ndeployment.apps/web unchanged\n")

        try assertSameOutput(["get", "deployments", "-n", "shop"])
        try assertSameOutput(["get", "deploy", "-n", "shop", "-o", "wide"])
        try assertSameOutput(["get", "configmaps", "-A"])
        try assertSameOutput(["get", "deploy,cm,svc", "-A", "-o", "wide"])
        try assertSameOutput(["get", "cm/settings", "deploy/web", "-n", "shop", "-o", "yaml"])
        try assertSameOutput(["get", "namespaces"])
        try assertSameOutput(["get", "nodes", "-o", "wide"])
        try assertSameOutput(["get", "svc", "kubernetes"])
        try assertSameOutput(["get", "configmap/settings", "-n", "shop", "-o", "yaml"])
        try assertSameOutput(["get", "deployment", "web", "-n", "shop", "-o", "yaml"])
        try assertSameOutput(["get", "cm", "-n", "shop", "-o", "json"])
        try assertSameOutput(["get", "deployments.apps", "-n", "shop", "-o", "name"])
        let node = try kubectl(["get", "nodes", "-o", "jsonpath={.items[0].metadata.name}"])
        // A Lease has no describer of its own in kubectl: both use the generic one.
        try assertSameOutput(["describe", "lease", node, "-n", "kube-node-lease"])

        XCTAssertEqual(try swiftlet(["get", "pods", "-n", "shop"]).stderr, "No resources found in shop namespace.\n")
        XCTAssertEqual(try swiftlet(["get", "widgets"], expect: 1).stderr, "error: the server doesn't have a resource type \"widgets\"\n")
        XCTAssertEqual(try swiftlet(["get", "cm", "nope", "-n", "shop"], expect: 1).stderr,
                       "Error from server (NotFound): configmaps \"nope\" not found\n")

        XCTAssertEqual(try swiftlet(["label", "-n", "shop", "configmap", "settings", "tier=backend"]).stdout, "configmap/settings labeled\n")
        XCTAssertEqual(try swiftlet(["label", "-n", "shop", "cm", "settings", "tier=db"], expect: 1).stderr,
                       "error: 'tier' already has a value (backend), and --overwrite is false\n")
        XCTAssertEqual(try swiftlet(["label", "-n", "shop", "cm", "settings", "tier=db", "--overwrite"]).stdout, "configmap/settings labeled\n")
        XCTAssertEqual(try kubectl(["-n", "shop", "get", "cm", "settings", "-o", "jsonpath={.metadata.labels.tier}"]), "db")
        XCTAssertEqual(try swiftlet(["label", "-n", "shop", "cm", "settings", "tier-"]).stdout, "configmap/settings unlabeled\n")

        XCTAssertEqual(try swiftlet(["edit", "-n", "shop", "cm", "settings"], environment: ["KUBE_EDITOR": "sed -i s/fast/slow/"]).stdout,
                       "configmap/settings edited\n")
        XCTAssertEqual(try kubectl(["-n", "shop", "get", "cm", "settings", "-o", "jsonpath={.data.mode}"]), "slow")
        XCTAssertEqual(try swiftlet(["edit", "-n", "shop", "cm", "settings"], environment: ["KUBE_EDITOR": "true"]).stdout,
                       "Edit cancelled, no changes made.\n")

        XCTAssertEqual(try swiftlet(["delete", "-n", "shop", "configmap", "settings", "deployment.apps/web"], expect: 1).stderr,
                       "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'swiftlet get resource/<resource_name>' instead of 'swiftlet get resource resource/<resource_name>')\n")
        XCTAssertEqual(try swiftlet(["delete", "-n", "shop", "configmap/settings", "deployment.apps/web"]).stdout,
                       "configmap \"settings\" deleted\ndeployment.apps \"web\" deleted\n")
        XCTAssertEqual(try swiftlet(["get", "deployments", "-n", "shop"]).stderr, "No resources found in shop namespace.\n")
        XCTAssertEqual(try swiftlet(["delete", "-f", manifest], expect: 1).stdout, "namespace \"shop\" deleted\n")
    }

    /// `swiftlet cordon|drain|uncordon`, as a user runs them before a reboot: pods go
    /// through pods/eviction (a disruption budget holds one back until it allows it), a
    /// static pod's mirror is left alone, and kubectl's filters apply.
    func testSwiftletDrainsTheNode() async throws {
        try await waitFor("the node to register") { ((try? self.kubectl(["get", "nodes", "-o", "name"])) ?? "").hasPrefix("node/") }
        let node = try kubectl(["get", "nodes", "-o", "jsonpath={.items[0].metadata.name}"])
        try kubectl(["create", "namespace", "d"])
        // A static pod (its mirror is skipped), a DaemonSet's pod, and a bare pod behind a PDB.
        try Files.writeAtomically("\(sandbox.dir)/manifests/static.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: static, namespace: d}
            spec: {containers: [{name: c, image: \(Sandbox.image), imagePullPolicy: Never, command: [sleep, "3600"]}], terminationGracePeriodSeconds: 1}
            """)
        try kubectl(["apply", "-f", "-"], stdin: """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent, namespace: d}
            spec: {selector: {matchLabels: {app: agent}}, template: {metadata: {labels: {app: agent}}, spec: {containers: [{name: c, image: busybox}]}}}
            """)
        let daemonSet = try kubectl(["-n", "d", "get", "ds", "agent", "-o", "jsonpath={.metadata.uid}"])
        for (name, extra) in [("guarded", "labels: {app: guarded}"),
                              ("agent-x", "ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: agent, uid: \(daemonSet), controller: true}]")] {
            try kubectl(["apply", "-f", "-"], stdin: """
                apiVersion: v1
                kind: Pod
                metadata: {name: \(name), namespace: d, \(extra)}
                spec: {nodeName: \(node), containers: [{name: c, image: busybox}]}
                """)
        }
        try await waitFor("the static pod's mirror", timeout: 30) {
            ((try? self.kubectl(["-n", "d", "get", "pods", "-o", "name"])) ?? "").contains("pod/static-\(node)")
        }
        try kubectl(["apply", "-f", "-"], stdin: "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: keep, namespace: d}\nspec: {minAvailable: 1, selector: {matchLabels: {app: guarded}}}\n")

        let refused = try swiftlet(["drain", node], expect: 1)
        XCTAssertEqual(refused.stdout, "node/\(node) cordoned\n")
        let reasons = "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): d/agent-x; cannot delete Pods that declare no controller (use --force to override): d/guarded"
        XCTAssertEqual(refused.stderr, """
            error: unable to drain node "\(node)" due to error: \(reasons), continuing command...
            There are pending nodes to be drained:
             \(node)
            \(reasons)

            """)
        XCTAssertEqual(try kubectl(["get", "node", node, "-o", "jsonpath={.spec.unschedulable}"]), "true")

        let blocked = try swiftlet(["drain", node, "--force", "--ignore-daemonsets", "--timeout=3s"], expect: 1)
        XCTAssertEqual(blocked.stdout, "node/\(node) already cordoned\nevicting pod d/guarded\n")
        XCTAssertTrue(blocked.stderr.hasPrefix("""
            Warning: deleting Pods that declare no controller: d/guarded; ignoring DaemonSet-managed Pods: d/agent-x
            error when evicting pods/"guarded" -n "d" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.

            """), blocked.stderr)
        XCTAssertTrue(blocked.stderr.contains(#"error when evicting pods/"guarded" -n "d": global timeout reached: 3s"#), blocked.stderr)

        try kubectl(["-n", "d", "patch", "pdb", "keep", "--subresource=status", "--type=merge",
                     "-p", #"{"status":{"observedGeneration":1,"disruptionsAllowed":1,"currentHealthy":1,"desiredHealthy":1,"expectedPods":1}}"#])
        let drained = try swiftlet(["drain", node, "--force", "--ignore-daemonsets"])
        XCTAssertEqual(drained.stdout, "node/\(node) already cordoned\nevicting pod d/guarded\npod/guarded evicted\nnode/\(node) drained\n")
        XCTAssertEqual(try kubectl(["-n", "d", "get", "pods", "-o", "name"]), "pod/agent-x\npod/static-\(node)\n")
        XCTAssertEqual(try swiftlet(["uncordon", node]).stdout, "node/\(node) uncordoned\n")
        XCTAssertEqual(try swiftlet(["uncordon", node]).stdout, "node/\(node) already uncordoned\n")
        XCTAssertEqual(try kubectl(["get", "node", node, "-o", "jsonpath={.spec.unschedulable}"]), "")
    }

    /// The garbage collector acts on what `kubectl delete --cascade=…` asks for: dependents
    /// (ownerReferences) go after their owner, before it, or are orphaned.
    func testDeletionPropagatesToDependentsByOwnerReferences() async throws {
        try kubectl(["create", "namespace", "gc"])
        for owner in ["owner-a", "owner-b", "owner-c", "owner-d"] { try kubectl(["-n", "gc", "create", "configmap", owner]) }
        func uid(_ name: String) throws -> String { try kubectl(["-n", "gc", "get", "cm", name, "-o", "jsonpath={.metadata.uid}"]) }
        func dependent(_ name: String, owners: [(String, String)], block: Bool = false) -> String {
            let references = owners.map { #"{"apiVersion":"v1","kind":"ConfigMap","name":"\#($0.0)","uid":"\#($0.1)","blockOwnerDeletion":\#(block)}"# }
            return #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","namespace":"gc","ownerReferences":[\#(references.joined(separator: ","))]}}"#
        }
        let (a, b, c, d) = (try uid("owner-a"), try uid("owner-b"), try uid("owner-c"), try uid("owner-d"))
        for object in [dependent("dep-a", owners: [("owner-a", a)]), dependent("dep-b", owners: [("owner-b", b)], block: true),
                       dependent("dep-c", owners: [("owner-c", c)]), dependent("dep-d", owners: [("owner-d", d), ("owner-a", a)]),
                       dependent("dep-x", owners: [("owner-x", "00000000-0000-0000-0000-000000000000")])] {
            try kubectl(["create", "-f", "-"], stdin: object)
        }
        func names() -> String { (try? kubectl(["-n", "gc", "get", "cm", "-o", "jsonpath={.items[*].metadata.name}"])) ?? "" }
        // An owner that never existed: collected at once.
        try await waitFor("dep-x to be collected") { !names().contains("dep-x") }

        // Background (kubectl's default): the owner goes now, its dependents after it; a
        // dependent with another owner only loses the reference.
        XCTAssertEqual(try kubectl(["-n", "gc", "delete", "cm", "owner-a"]), "configmap \"owner-a\" deleted\n")
        try await waitFor("dep-a to be collected") { !names().contains("dep-a") }
        try await waitFor("dep-d to lose its reference to owner-a") {
            (try? self.kubectl(["-n", "gc", "get", "cm", "dep-d", "-o", "jsonpath={.metadata.ownerReferences[*].name}"])) == "owner-d"
        }

        // Foreground: kubectl waits for the owner, which waits for its blocking dependent.
        XCTAssertEqual(try kubectl(["-n", "gc", "delete", "cm", "owner-b", "--cascade=foreground", "--timeout=20s"]),
                       "configmap \"owner-b\" deleted\n")
        XCTAssertFalse(names().contains("dep-b"))

        // Orphan: the dependent stays, without the reference.
        XCTAssertEqual(try kubectl(["-n", "gc", "delete", "cm", "owner-c", "--cascade=orphan", "--timeout=20s"]),
                       "configmap \"owner-c\" deleted\n")
        XCTAssertEqual(try kubectl(["-n", "gc", "get", "cm", "dep-c", "-o", "jsonpath={.metadata.name} {.metadata.ownerReferences}"]), "dep-c ")
        XCTAssertEqual(names(), "dep-c dep-d owner-d")

        let refused = try kubectl(["delete", "--raw", "/api/v1/namespaces/gc/configmaps/owner-d?propagationPolicy=Sideways"], expect: 1)
        // kubectl reprints an Invalid status from its details: "The <kind> …".
        XCTAssertEqual(refused, #"The DeleteOptions "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan""# + "\n")
    }

    /// A static pod shows in the API as its mirror pod, with the kubelet's status; a mirror
    /// deleted through the API comes back, and one whose file is gone goes.
    func testStaticPodsAreMirroredIntoTheAPI() async throws {
        try await waitFor("the node to register") { ((try? self.kubectl(["get", "nodes", "-o", "name"])) ?? "").hasPrefix("node/") }
        let node = try kubectl(["get", "nodes", "-o", "jsonpath={.items[0].metadata.name}"])
        let manifest = "\(sandbox.dir)/manifests/web.yaml"
        try Files.writeAtomically(manifest, """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: kube-system, labels: {app: web}}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: web
                image: \(Sandbox.image)
                imagePullPolicy: Never
                command: ["sleep", "3600"]
            """)
        let name = "web-\(node)"
        func field(_ path: String) -> String {
            (try? runProgram("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "-n", "kube-system", "get", "pod", name, "-o", "jsonpath=\(path)"]).stdout) ?? ""
        }
        try await waitFor("the mirror pod to be Running", timeout: 30) { field("{.status.phase}") == "Running" }
        XCTAssertEqual(field("{.spec.nodeName} {.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.metadata.labels.app}"),
                       "\(node) Node/\(node) web")
        let hash = field("{.metadata.annotations.kubernetes\\.io/config\\.hash}")
        XCTAssertFalse(hash.isEmpty)
        XCTAssertEqual(field("{.metadata.annotations.kubernetes\\.io/config\\.mirror}"), hash)
        XCTAssertEqual(field("{.status.containerStatuses[0].ready}"), "true")

        // Deleted through the API: the static pod runs on, and its mirror comes back.
        let uid = field("{.metadata.uid}")
        try kubectl(["-n", "kube-system", "delete", "pod", name, "--wait=false"])
        try await waitFor("the mirror pod to come back", timeout: 15) { let now = field("{.metadata.uid}"); return !now.isEmpty && now != uid }
        try await waitFor("the mirror pod's status", timeout: 15) { field("{.status.phase}") == "Running" }
        XCTAssertEqual(field("{.status.containerStatuses[0].restartCount}"), "0")

        // A file the kubelet cannot use: a Warning event on the Node; the good pod runs on.
        try Files.writeAtomically("\(sandbox.dir)/manifests/broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: broken}\nspec: {containers: [{name: c}]}\n")
        func events() -> String {
            (try? runProgram("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "get", "events", "-o",
                                                  #"jsonpath={range .items[*]}{.type} {.reason} {.involvedObject.kind}/{.involvedObject.name}: {.message}{"\n"}{end}"#]).stdout) ?? ""
        }
        try await waitFor("the static pod file's event", timeout: 30) { events().contains("broken.yaml") }
        XCTAssertEqual(events(), "Warning FailedStaticPod Node/\(node): static pod file \(sandbox.dir)/manifests/broken.yaml: pod \"broken\": spec.containers[0].image: Required value\n")
        XCTAssertTrue(try swiftlet(["describe", "node", node]).stdout.contains(
            "  Warning  FailedStaticPod  "), "swiftlet describe node shows the node's events")
        XCTAssertEqual(field("{.status.phase}"), "Running")

        try FileManager.default.removeItem(atPath: manifest)
        try await waitFor("the mirror pod to go", timeout: 30) {
            (try? runProgram("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "get", "pods", "-A", "-o", "name"]).stdout) == ""
        }
    }

    func waitFor(_ what: String, timeout: Double = 10, _ condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else {
                XCTFail("timed out waiting for \(what); server log:\n\((try? Files.readString(log)) ?? "")")
                throw XCTSkip("timed out")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
