import Foundation
import KubeAPI
import KubeClient
import LinuxSys

/// `swiftlet cordon|uncordon|drain NODE`: before a reboot, mark the node unschedulable and
/// evict its pods through `pods/eviction`, so PodDisruptionBudgets are respected — what
/// `kubectl drain` does, with its filters, messages and retries. Static pods' mirrors are
/// skipped: the kubelet runs them from its directory whatever the API says.
extension ClientCommand {
    func cordon(_ unschedulable: Bool) async throws -> Int32 {
        guard !options.positional.isEmpty else { throw ClientError("resource(s) were provided, but no name was specified") }
        for name in options.positional { try await setUnschedulable(name, unschedulable) }
        return 0
    }

    func setUnschedulable(_ name: String, _ unschedulable: Bool) async throws {
        guard let node = try await client.get(.nodes, name: name) else { throw StatusError.notFound(.nodes, name) }
        let verb = unschedulable ? "cordoned" : "uncordoned"
        if (node["spec"]?["unschedulable"] == .bool(true)) == unschedulable {
            TextOutput.line("node/\(name) already \(verb)")
            return
        }
        _ = try await client.patch(.nodes, name: name, .strategic,
                                   .object(["spec": .object(["unschedulable": unschedulable ? .bool(true) : .null])]))
        TextOutput.line("node/\(name) \(verb)")
    }

    func drain() async throws -> Int32 {
        guard options.positional.count == 1, let name = options.positional.first else {
            throw ClientError("USAGE: swiftlet drain NODE [--force] [--ignore-daemonsets] [--delete-emptydir-data] [--timeout=DURATION]")
        }
        try await setUnschedulable(name, true)
        let deadline = options.timeout.map { ContinuousClock.now + $0 }
        let listed = try await client.list(.pods, fieldSelector: "spec.nodeName=\(name)")["items"]?.arrayValue ?? []
        var evict: [JSONValue] = []
        var errors: [String: [String]] = [:]
        var warnings: [String: [String]] = [:]
        for pod in listed {
            let metadata = pod["metadata"]
            let id = "\(metadata?["namespace"]?.stringValue ?? "")/\(metadata?["name"]?.stringValue ?? "")"
            if metadata?["annotations"]?["kubernetes.io/config.mirror"] != nil || metadata?["deletionTimestamp"] != nil { continue }
            let finished = ["Succeeded", "Failed"].contains(pod["status"]?["phase"]?.stringValue ?? "")
            let controller = metadata?["ownerReferences"]?.arrayValue?.first { $0["controller"] == .bool(true) }
            if controller?["kind"]?.stringValue == "DaemonSet", !finished {
                if options.ignoreDaemonSets { warnings["ignoring DaemonSet-managed Pods", default: []].append(id) } else {
                    errors["cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)", default: []].append(id)
                }
                continue
            }
            let emptyDir = pod["spec"]?["volumes"]?.arrayValue?.contains { $0["emptyDir"] != nil } ?? false
            if emptyDir, !finished {
                if options.deleteEmptyDirData { warnings["deleting Pods with local storage", default: []].append(id) } else {
                    errors["cannot delete Pods with local storage (use --delete-emptydir-data to override)", default: []].append(id)
                }
            }
            if controller == nil, !finished {
                if options.force { warnings["deleting Pods that declare no controller", default: []].append(id) } else {
                    errors["cannot delete Pods that declare no controller (use --force to override)", default: []].append(id)
                }
            }
            evict.append(pod)
        }
        func summary(_ groups: [String: [String]]) -> String {
            groups.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.joined(separator: ", "))" }.joined(separator: "; ")
        }
        guard errors.isEmpty else {
            TextOutput.line("error: unable to drain node \"\(name)\" due to error: \(summary(errors)), continuing command...", fd: 2)
            TextOutput.line("There are pending nodes to be drained:\n \(name)\n\(summary(errors))", fd: 2)
            return 1
        }
        if !warnings.isEmpty { TextOutput.line("Warning: \(summary(warnings))", fd: 2) }
        // Each pod in its own task, as kubectl evicts them in parallel.
        let failures = await withTaskGroup(of: String?.self) { group in
            for pod in evict { group.addTask { await self.evict(pod, deadline: deadline) } }
            var failures: [String] = []
            for await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
        guard failures.isEmpty else {
            TextOutput.line("error: unable to drain node \"\(name)\" due to error: \(failures.sorted().joined(separator: ", ")), continuing command...", fd: 2)
            TextOutput.line("There are pending nodes to be drained:\n \(name)", fd: 2)
            return 1
        }
        TextOutput.line("node/\(name) drained")
        return 0
    }

    /// Evicts one pod, retrying every 5 s while a disruption budget refuses (429), then
    /// waits until it is gone. Returns the failure, if any.
    func evict(_ pod: JSONValue, deadline: ContinuousClock.Instant?) async -> String? {
        let namespace = pod["metadata"]?["namespace"]?.stringValue ?? "default"
        let name = pod["metadata"]?["name"]?.stringValue ?? ""
        let uid = pod["metadata"]?["uid"]?.stringValue
        let eviction: JSONValue = .object(["apiVersion": "policy/v1", "kind": "Eviction",
                                           "metadata": .object(["name": .string(name), "namespace": .string(namespace)])])
        TextOutput.line("evicting pod \(namespace)/\(name)")
        func timedOut() -> Bool { deadline.map { ContinuousClock.now >= $0 } ?? false }
        while true {
            do {
                _ = try await client.send("POST", APIResource.pods.path(namespace: namespace, name: name, subresource: "eviction"), body: eviction)
                break
            } catch let error as StatusError where error.code == 404 {
                break
            } catch let error as StatusError where error.code == 429 {
                TextOutput.line("error when evicting pods/\"\(name)\" -n \"\(namespace)\" (will retry after 5s): \(error.message)", fd: 2)
                let limit = "error when evicting pods/\"\(name)\" -n \"\(namespace)\": global timeout reached: \(options.timeout?.components.seconds ?? 0)s"
                if timedOut() { return limit }
                try? await Task.sleep(for: .seconds(5))
                if timedOut() { return limit }
            } catch {
                return "error when evicting pods/\"\(name)\" -n \"\(namespace)\": \(error)"
            }
        }
        while let current = try? await client.get(.pods, namespace: namespace, name: name), current["metadata"]?["uid"]?.stringValue == uid {
            if timedOut() { return "error when waiting for pod \"\(name)\" in namespace \"\(namespace)\" to terminate: global timeout reached" }
            try? await Task.sleep(for: .milliseconds(200))
        }
        TextOutput.line("pod/\(name) evicted")
        return nil
    }
}

extension ClientCommand.Options {
    /// A Go duration as kubectl's flags take it: `90s`, `5m`, `1h`, `0` (seconds if bare).
    static func seconds(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600]
        if let unit = text.last, let factor = units[unit], let value = Int64(text.dropLast()), value >= 0 { return value * factor }
        return Int64(text).flatMap { $0 >= 0 ? $0 : nil }
    }
}
