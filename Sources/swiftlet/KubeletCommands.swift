import ContainerRuntime
import Foundation
import Glibc
import KubeAPI
import Kubelet
import LinuxSys
import Netlink

/// `swiftlet kubelet` and `swiftlet server` (which, until the API server lands, runs the
/// kubelet with its embedded defaults), and `swiftlet pods`.
struct KubeletOptions {
    var staticPodPath = "/etc/swiftlet/manifests"
    var nodeName = KubeletOptions.defaultNodeName()
    var clusterCIDR = "10.42.0.0/16"
    var podLogsDirectory = "/var/log/pods"

    static func defaultNodeName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        return String(cString: buffer).lowercased()
    }

    mutating func parse(_ args: inout Arguments, command: String) throws {
        while let arg = args.next() {
            let (flag, inline) = arg.split(separator: "=", maxSplits: 1).map(String.init).splitPair
            func value() throws -> String { try inline ?? args.value(for: flag) }
            switch flag {
            case "--static-pod-path", "--pod-manifest-path": staticPodPath = try value()
            case "--node-name": nodeName = try value().lowercased()
            case "--cluster-cidr": clusterCIDR = try value()
            case "--pod-logs-dir": podLogsDirectory = try value()
            default: throw UsageError(description: "unknown flag for \(command): \(arg)")
            }
        }
        guard !nodeName.isEmpty, nodeName.count <= 253,
              nodeName.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "." }) else {
            throw UsageError(description: "invalid --node-name \"\(nodeName)\": a lowercase RFC 1123 subdomain is required")
        }
    }
}

private extension Array where Element == String {
    var splitPair: (String, String?) { (self[0], count > 1 ? self[1] : nil) }
}

func logLine(_ message: String) {
    TextOutput.line("\(Clock.rfc3339Nano().prefix(23))Z \(message)", fd: 2)
}

func kubeletCommand(_ runtime: Runtime, _ args: inout Arguments, command: String) throws -> Int32 {
    var options = KubeletOptions()
    try options.parse(&args, command: command)
    // Block the stop signals before any thread starts, so that they all inherit the mask
    // and only the sigwait below takes them.
    var stopSignals = sigset_t()
    sigemptyset(&stopSignals)
    for signal in [SIGINT, SIGTERM] { sigaddset(&stopSignals, signal) }
    pthread_sigmask(SIG_BLOCK, &stopSignals, nil)

    let state = runtime.paths.state
    guard let cluster = IPv4Network(options.clusterCIDR) else {
        throw UsageError(description: "invalid --cluster-cidr \"\(options.clusterCIDR)\": an IPv4 network such as 10.42.0.0/16 is required")
    }
    let podCIDR = cluster.firstSubnet(prefixLength: 24)
    runtime.podNetwork = try BridgeNetwork(cidr: podCIDR, ipamDir: "\(state)/network/ipam")
    let registries = registriesPath
    let environment = KubeletEnvironment(
        runtime: runtime, nodeName: options.nodeName, podLogDirectory: options.podLogsDirectory,
        podsDirectory: "\(runtime.paths.root)/kubelet/pods", statusDirectory: Kubelet.statusDirectory(state: state),
        pull: { image in _ = try ImageCommand.pull(image, runtime: runtime, registries: registries, fd: 2) },
        log: { logLine($0) })
    let kubelet = Kubelet(config: Kubelet.Config(staticPodPath: options.staticPodPath, nodeName: options.nodeName),
                          environment: environment)
    logLine("\(command): node \(options.nodeName), pod network \(podCIDR) on swiftlet0, static pods from \(options.staticPodPath), root \(runtime.paths.root), state \(state)")
    Task {
        do {
            try await kubelet.run()
        } catch {
            fail("\(error)")
        }
    }
    var received: Int32 = 0
    sigwait(&stopSignals, &received)
    logLine("\(command): stopping on \(received == SIGINT ? "SIGINT" : "SIGTERM"); pods keep running")
    return 0
}

/// `swiftlet pods`: the static pods' status files, as `kubectl get pods -A -o wide` shows
/// them, then the manifest files the kubelet could not use.
func podsCommand(_ runtime: Runtime, _ args: inout Arguments) throws -> Int32 {
    if let arg = args.next() { throw UsageError(description: "unknown flag: \(arg)") }
    let directory = Kubelet.statusDirectory(state: runtime.paths.state)
    var pods: [Pod] = []
    for file in ((try? Files.list(directory)) ?? []).sorted() where file.hasSuffix(".json") {
        guard let bytes = try? Files.read("\(directory)/\(file)"),
              let pod = try? JSONDecoder().decode(Pod.self, from: Data(bytes)) else { continue }
        pods.append(pod)
    }
    let now = Time.now()
    var rows = [["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"]]
    for pod in pods {
        let row = PodRow(pod, now: now)
        rows.append([pod.metadata.namespace ?? "default", row.name, row.ready, row.status, row.restarts, row.age, row.ip, row.node])
    }
    if pods.isEmpty {
        print("No resources found")
    } else {
        TextOutput.table(rows)
    }
    let problemsFile = Kubelet.problemsPath(state: runtime.paths.state)
    if let bytes = try? Files.read(problemsFile),
       let problems = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [[String: String]], !problems.isEmpty {
        print("\nSTATIC POD FILES WITH ERRORS")
        for problem in problems { print("\(problem["file"] ?? ""): \(problem["message"] ?? "")") }
        return 1
    }
    return 0
}
