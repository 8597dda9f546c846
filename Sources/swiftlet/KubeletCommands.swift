import ContainerRuntime
import Foundation
import Glibc
import KubeAPI
import Kubelet
import LinuxSys
import Netlink
import NodeTLS

/// `swiftlet kubelet` and `swiftlet server` (the store and API server, then the kubelet
/// with its embedded defaults), and `swiftlet pods`.
struct KubeletOptions {
    var staticPodPath = "/etc/swiftlet/manifests"
    var nodeName = KubeletOptions.defaultNodeName()
    var clusterCIDR = "10.42.0.0/16"
    var podLogsDirectory = "/var/log/pods"
    /// The kubelet's HTTPS endpoint, upstream's default address and port.
    var kubeletAddress = "0.0.0.0"
    var kubeletPort = 10250
    /// The node's address (status.hostIP); found from the default route when not given.
    var nodeIP: String?
    /// CNI mode: the plugins configured here instead of the built-in bridge.
    var cniConfigDirectory: String?
    var cniPluginDirectories = ["/opt/cni/bin", "/usr/lib/cni"]

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
            case "--kubelet-address": kubeletAddress = try value()
            case "--cni-conf-dir": cniConfigDirectory = try value()
            case "--cni-bin-dir": cniPluginDirectories = try value().split(separator: ":").map(String.init)
            case "--node-ip":
                let ip = try value()
                guard IPv4Address(ip) != nil else { throw UsageError(description: "invalid --node-ip \"\(ip)\": an IPv4 address is required") }
                nodeIP = ip
            case "--kubelet-port":
                guard let port = Int(try value()), (1...65535).contains(port) else {
                    throw UsageError(description: "invalid --kubelet-port \"\(try value())\": a port number 1-65535 is required")
                }
                kubeletPort = port
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
    var serverOptions = ServerOptions(root: runtime.paths.root)
    if command == "server" {
        try ServerOptions.applyConfigFile(to: &args)
        try serverOptions.extract(from: &args)
    }
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
    if let directory = options.cniConfigDirectory {
        let network = CNINetwork(configDirectory: directory, pluginDirectories: options.cniPluginDirectories,
                                 cacheDirectory: "\(state)/network/cni", podCIDR: podCIDR)
        logLine("\(command): pods join CNI \(try network.validate())")  // a broken configuration stops the start
        runtime.podNetwork = network
    } else {
        runtime.podNetwork = try BridgeNetwork(cidr: podCIDR, ipamDir: "\(state)/network/ipam")
    }
    let registries = registriesPath
    var environment = KubeletEnvironment(
        runtime: runtime, nodeName: options.nodeName, podLogDirectory: options.podLogsDirectory,
        podsDirectory: "\(runtime.paths.root)/kubelet/pods", statusDirectory: Kubelet.statusDirectory(state: state),
        pull: { image in _ = try ImageCommand.pull(image, runtime: runtime, registries: registries, fd: 2) },
        log: { logLine($0) })
    environment.nodeIP = options.nodeIP ?? NodeAddress.detect()
    let kubelet = Kubelet(config: Kubelet.Config(staticPodPath: options.staticPodPath, nodeName: options.nodeName),
                          environment: environment)
    logLine("\(command): node \(options.nodeName) (\(environment.nodeIP)), pod network \(options.cniConfigDirectory.map { "by CNI from \($0)" } ?? "\(podCIDR) on swiftlet0"), static pods from \(options.staticPodPath), root \(runtime.paths.root), state \(state)")
    let certificates = try NodeCertificates.ensure(directory: "\(runtime.paths.root)/tls", nodeName: options.nodeName,
                                                   addresses: [environment.nodeIP])
    // The control plane first: it serves within a second, whatever the pods do.
    let controlPlane = command == "server" ? try startControlPlane(serverOptions, certificates: certificates) : nil
    let (address, port) = (options.kubeletAddress, options.kubeletPort)
    let server = try ImageCommand.blocking {
        try await KubeletServer.start(host: address, port: port,
                                      tls: try certificates.serverConfiguration(certificate: certificates.kubeletServing),
                                      node: { kubelet.nodeSnapshot() })
    }
    logLine("\(command): serving HTTPS on \(options.kubeletAddress):\(server.port) (client certificates from \(certificates.caCertificate))")
    // The kubelet's side of the API: its node and lease, its static pods' mirrors and events.
    let reporting = controlPlane.map { controlPlane in
        let node = NodeRegistration(client: controlPlane.client, name: options.nodeName, address: environment.nodeIP,
                                    podCIDR: podCIDR.description, kubeletPort: server.port)
        let pods = KubeletReporter(client: controlPlane.client, nodeName: options.nodeName, state: state)
        return Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await node.run() }
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(200))  // after the node exists
                    await pods.run()
                }
            }
        }
    }
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
    if let controlPlane {
        reporting?.cancel()
        controlPlane.controllers.cancel()
        try ImageCommand.blocking {
            await controlPlane.server.stop()
            await controlPlane.store.close()
        }
    }
    return 0
}

/// `swiftlet pods`: the static pods' status files, as `kubectl get pods -A -o wide` shows
/// them, then the manifest files the kubelet could not use.
func podsCommand(_ runtime: Runtime, _ args: inout Arguments) throws -> Int32 {
    if let arg = args.next() { throw UsageError(description: "unknown flag: \(arg)") }
    let pods = Kubelet.podStatuses(state: runtime.paths.state)
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
    let problems = Kubelet.problems(state: runtime.paths.state)
    if !problems.isEmpty {
        print("\nSTATIC POD FILES WITH ERRORS")
        for problem in problems { print("\(problem["file"] ?? ""): \(problem["message"] ?? "")") }
        return 1
    }
    return 0
}

