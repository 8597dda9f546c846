import Foundation
import Glibc
import LinuxSys
import Netlink

/// Pod networking by CNI plugins (the CNI 1.0 protocol), as upstream's container
/// runtimes do it: the configuration is the first file of the configuration directory by
/// name (a `.conflist`, or a single plugin's `.conf`/`.json`); ADD runs its plugins in
/// order, each given the previous one's result, and DEL runs them in reverse with the
/// final result, which is cached per pod (`<cache>/<pod>.json`) so that a restarted node
/// can still delete, and can find what an interrupted connection left.
public struct CNINetwork: PodNetwork {
    public let configDirectory: String
    public let pluginDirectories: [String]
    public let cacheDirectory: String
    public let podCIDR: IPv4Network

    public init(configDirectory: String, pluginDirectories: [String], cacheDirectory: String, podCIDR: IPv4Network) {
        self.configDirectory = configDirectory
        self.pluginDirectories = pluginDirectories
        self.cacheDirectory = cacheDirectory
        self.podCIDR = podCIDR
    }

    struct ConfigList {
        var file: String
        var name: String
        var cniVersion: String
        var plugins: [[String: Any]]
    }

    /// Reads the configuration now: its name and file, or why it cannot be used.
    public func validate() throws -> String {
        let list = try configList()
        return "network \(list.name) from \(list.file)"
    }

    /// The configuration in use: the first usable file, as libcni's ConfFiles orders them.
    func configList() throws -> ConfigList {
        let files = ((try? Files.list(configDirectory)) ?? []).filter {
            $0.hasSuffix(".conflist") || $0.hasSuffix(".conf") || $0.hasSuffix(".json")
        }
        guard let file = files.first else { throw CNIError("no networks found in \(configDirectory)") }
        let path = "\(configDirectory)/\(file)"
        guard let object = try JSONSerialization.jsonObject(with: Data(try Files.read(path))) as? [String: Any] else {
            throw CNIError("\(path): not a JSON object")
        }
        let plugins = file.hasSuffix(".conflist") ? (object["plugins"] as? [[String: Any]] ?? []) : [object]
        guard let name = object["name"] as? String, !plugins.isEmpty,
              plugins.allSatisfy({ ($0["type"] as? String)?.isEmpty == false }) else {
            throw CNIError("\(path): a network needs a name and plugins with a type")
        }
        return ConfigList(file: path, name: name, cniVersion: object["cniVersion"] as? String ?? "1.0.0", plugins: plugins)
    }

    public func connect(podID: String, netnsPath: String) throws -> IPv4Address {
        let list = try configList()
        var result: Any?
        var added: [[String: Any]] = []
        do {
            for plugin in list.plugins {
                result = try invoke("ADD", plugin, list: list, podID: podID, netnsPath: netnsPath, previous: result)
                added.append(plugin)
            }
        } catch {
            for plugin in added.reversed() {
                _ = try? invoke("DEL", plugin, list: list, podID: podID, netnsPath: netnsPath, previous: result)
            }
            throw error
        }
        guard let ips = (result as? [String: Any])?["ips"] as? [[String: Any]],
              let address = ips.compactMap({ ($0["address"] as? String).flatMap { IPv4Address($0.prefix { $0 != "/" }) } }).first
        else {
            for plugin in added.reversed() {
                _ = try? invoke("DEL", plugin, list: list, podID: podID, netnsPath: netnsPath, previous: result)
            }
            throw CNIError("network \(list.name) gave pod \(podID) no IPv4 address")
        }
        try Files.createDirectory(cacheDirectory, mode: 0o700)
        let cache: [String: Any] = ["netns": netnsPath, "result": result ?? [:]]
        try Files.writeAtomically(cachePath(podID), try JSONSerialization.data(withJSONObject: cache, options: [.sortedKeys]),
                                  mode: 0o600, durable: false)
        return address
    }

    public func disconnect(podID: String, netnsPath: String) throws {
        let cached = cacheEntry(podID)
        let list = try configList()
        var firstError: (any Error)?
        for plugin in list.plugins.reversed() {
            do {
                _ = try invoke("DEL", plugin, list: list, podID: podID, netnsPath: netnsPath, previous: cached?["result"])
            } catch {
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
        _ = try sys("unlink", cachePath(podID), tolerating: ENOENT) { unlink(cachePath(podID)) }
    }

    public func removeOrphans(keeping podIDs: Set<String>) {
        for file in (try? Files.list(cacheDirectory)) ?? [] where file.hasSuffix(".json") {
            let podID = String(file.dropLast(".json".count))
            guard !podIDs.contains(podID) else { continue }
            try? disconnect(podID: podID, netnsPath: cacheEntry(podID)?["netns"] as? String ?? "")
        }
    }

    private func cachePath(_ podID: String) -> String { "\(cacheDirectory)/\(podID).json" }

    /// What `connect` cached for the pod: its `netns` and final `result`.
    private func cacheEntry(_ podID: String) -> [String: Any]? {
        (try? Files.read(cachePath(podID))).flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
    }

    /// Runs one plugin as the CNI protocol says: the command and the pod in the
    /// environment, the plugin's configuration (with the network's name and version and
    /// the previous result) on stdin, the result or an error object on stdout.
    private func invoke(_ command: String, _ plugin: [String: Any], list: ConfigList, podID: String, netnsPath: String,
                        previous: Any?) throws -> Any? {
        let type = plugin["type"] as? String ?? ""
        let candidates = pluginDirectories.map { "\($0)/\(type)" }
        guard let executable = candidates.first(where: { (path: String) in access(path, X_OK) == 0 }) else {
            throw CNIError("failed to find plugin \"\(type)\" in path [\(pluginDirectories.joined(separator: " "))]")
        }
        var config = plugin
        config["name"] = list.name
        config["cniVersion"] = list.cniVersion
        if let previous { config["prevResult"] = previous }
        let environment = [
            "CNI_COMMAND=\(command)", "CNI_CONTAINERID=\(podID)", "CNI_NETNS=\(netnsPath)", "CNI_IFNAME=eth0",
            "CNI_PATH=\(pluginDirectories.joined(separator: ":"))", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
        ]
        let output = try Subprocess.run(executable, [], environment: environment,
                                        input: Array(try JSONSerialization.data(withJSONObject: config)))
        guard output.succeeded else {
            let reply = (try? JSONSerialization.jsonObject(with: Data(output.stdout))) as? [String: Any]
            var message = String(decoding: output.stderr.isEmpty ? output.stdout : output.stderr, as: UTF8.self).trimmingWhitespace()
            if let text = reply?["msg"] as? String {
                message = text
                if let details = reply?["details"] as? String, !details.isEmpty { message += ": \(details)" }
            }
            throw CNIError("plugin type=\"\(type)\" failed (\(command.lowercased())): \(message.isEmpty ? output.exitDescription : message)")
        }
        guard command == "ADD" else { return nil }
        return try JSONSerialization.jsonObject(with: Data(output.stdout))
    }
}

public struct CNIError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
