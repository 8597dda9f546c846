import APIServer
import Foundation
import ContainerRuntime
import Controllers
import Glibc
import KubeAPI
import KubeClient
import KubeStore
import LinuxSys
import Netlink
import NodeTLS

/// `swiftlet server`'s own flags, named as k3s names them; the rest are the kubelet's.
struct ServerOptions {
    var dataDirectory: String
    var bindAddress = "0.0.0.0"
    var httpsPort = 6443
    static let defaultKubeconfigPath = "/etc/swiftlet/swiftlet.yaml"
    var kubeconfigPath = defaultKubeconfigPath
    var kubeconfigMode: mode_t = 0o600
    var serviceCIDR = "10.43.0.0/16"

    init(root: String) { dataDirectory = root }

    /// Takes the server's flags out of `args`, leaving the kubelet's.
    mutating func extract(from args: inout Arguments) throws {
        var rest: [String] = []
        while let arg = args.next() {
            let parts = arg.split(separator: "=", maxSplits: 1).map(String.init)
            let flag = parts[0]
            func value() throws -> String { parts.count > 1 ? parts[1] : try args.value(for: flag) }
            switch flag {
            case "--data-dir", "-d": dataDirectory = try value()
            case "--bind-address": bindAddress = try value()
            case "--https-listen-port":
                let text = try value()
                guard let port = Int(text), (0...65535).contains(port) else {
                    throw UsageError(description: "invalid --https-listen-port \"\(text)\": a port number 0-65535 is required")
                }
                httpsPort = port
            case "--write-kubeconfig", "-o": kubeconfigPath = try value()
            case "--write-kubeconfig-mode":
                let text = try value()
                guard let mode = mode_t(text, radix: 8), mode <= 0o777 else {
                    throw UsageError(description: "invalid --write-kubeconfig-mode \"\(text)\": an octal mode such as 0600 is required")
                }
                kubeconfigMode = mode
            case "--service-cidr":
                let text = try value()
                guard IPv4Network(text) != nil else {
                    throw UsageError(description: "invalid --service-cidr \"\(text)\": an IPv4 network such as 10.43.0.0/16 is required")
                }
                serviceCIDR = text
            default: rest.append(arg)
            }
        }
        args = Arguments(items: rest)
    }
}

extension ServerOptions {
    /// Where `swiftlet server` reads its configuration file when `--config` is not given
    /// (k3s reads /etc/rancher/k3s/config.yaml the same way).
    static let defaultConfigFile = "/etc/swiftlet/config.yaml"

    /// `--config FILE` (or the default file, when it exists): its keys are flag names
    /// without the dashes (`https-listen-port: 6444`, `write-kubeconfig-mode: "0644"`,
    /// `disable-…: true`, lists for repeated flags), as k3s's config.yaml. They go before
    /// the command line's flags, so a flag given on the command line wins.
    static func applyConfigFile(to args: inout Arguments) throws {
        var path: String?
        var rest: [String] = []
        var items = args.items.makeIterator()
        while let arg = items.next() {
            if arg == "--config" || arg == "-c" {
                guard let value = items.next() else { throw UsageError(description: "option \(arg) needs a value") }
                path = value
            } else if arg.hasPrefix("--config=") {
                path = String(arg.dropFirst("--config=".count))
            } else {
                rest.append(arg)
            }
        }
        if path == nil, Files.exists(defaultConfigFile) { path = defaultConfigFile }
        guard let path else { return }
        let document: JSONValue
        do {
            document = try Manifest.parseDocument(try Files.readString(path))
        } catch {
            throw UsageError(description: "config file \(path): \(error)")
        }
        if document == .null { args.items = rest; return }
        guard let settings = document.objectValue else {
            throw UsageError(description: "config file \(path): expected a map of flag names to values")
        }
        var flags: [String] = []
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
            switch value {
            case .bool(true): flags.append("--\(key)")
            case .bool(false), .null: continue
            case .array(let values): flags += values.map { "--\(key)=\($0.stringValue ?? $0.jsonText)" }
            case .object: throw UsageError(description: "config file \(path): \(key): expected a value or a list of values, not a map")
            default: flags.append("--\(key)=\(value.stringValue ?? value.jsonText)")
            }
        }
        args.items = flags + rest
    }
}

/// The control plane part of `swiftlet server`: the store under `<data-dir>/server/db`,
/// the API server on its port with the node CA's certificates, and the admin kubeconfig.
/// Returns what must stay alive while the node runs.
func startControlPlane(_ options: ServerOptions, certificates: NodeCertificates) throws -> ControlPlane {
    let started = Date()
    let database = "\(options.dataDirectory)/server/db/state.db"
    try Files.createDirectory(Files.dirname(database), mode: 0o700)
    let (store, server, client) = try ImageCommand.blocking {
        let store = try await KubeStore.open(path: database)
        let handler = APIHandler(registry: ObjectRegistry(store: store, serviceNetwork: IPv4Network(options.serviceCIDR)!))
        let server = try await APIServer.start(host: options.bindAddress, port: options.httpsPort,
                                               tls: try certificates.serverConfiguration(certificate: certificates.apiServerServing),
                                               handler: handler)
        try await handler.ensureDefaults()
        return (store, server, KubeClient(transport: InProcessTransport(handler: handler, user: "system:swiftlet")))
    }
    let kubeconfig = try certificates.adminKubeconfig(server: "https://127.0.0.1:\(server.port)")
    try Files.createDirectory(Files.dirname(options.kubeconfigPath))
    try Files.writeAtomically(options.kubeconfigPath, kubeconfig, mode: options.kubeconfigMode)
    let milliseconds = Int(Date().timeIntervalSince(started) * 1000)
    logLine("server: API server serving HTTPS on \(options.bindAddress):\(server.port) (store \(database), ready in \(milliseconds) ms); admin kubeconfig written to \(options.kubeconfigPath)")
    let collector = GarbageCollector(client: client, log: { logLine("server: \($0)") })
    return ControlPlane(store: store, server: server, client: client, controllers: Task { await collector.run() })
}

/// What `swiftlet server` runs besides the kubelet, kept until it stops.
struct ControlPlane: Sendable {
    let store: KubeStore
    let server: APIServer
    let client: KubeClient
    /// The controllers (the garbage collector today), running until the server stops.
    let controllers: Task<Void, Never>
}
