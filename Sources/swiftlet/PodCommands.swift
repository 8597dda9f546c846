import ContainerRuntime
import Foundation
import Glibc
import Kubelet
import LinuxSys

/// `swiftlet logs [-f] [-p] [--tail N] [-n NAMESPACE] POD [-c CONTAINER]`, as `kubectl
/// logs` reads a pod (both streams to stdout), or `swiftlet logs CONTAINER` for a
/// container started with `run` (stderr stays stderr, as podman does).
func logsCommand(_ runtime: Runtime, _ args: inout Arguments) throws -> Int32 {
    var follow = false, previous = false
    var tail: Int?
    var namespace = "default"
    var containerName: String?
    var name: String?
    while let arg = args.next() {
        switch arg {
        case "-f", "--follow": follow = true
        case "-p", "--previous": previous = true
        case "--tail":
            let v = try args.value(for: arg)
            guard let n = Int(v) else { throw UsageError(description: "invalid --tail \"\(v)\"") }
            tail = n < 0 ? nil : n
        case "-n", "--namespace": namespace = try args.value(for: arg)
        case "-c", "--container": containerName = try args.value(for: arg)
        default:
            guard name == nil, !arg.hasPrefix("-") else { throw UsageError(description: "unknown flag: \(arg)") }
            name = arg
        }
    }
    guard let name else { throw UsageError(description: "logs needs a pod or container name") }

    guard let runs = try podContainerRuns(runtime, pod: name, namespace: namespace, container: containerName) else {
        guard !previous, containerName == nil else { throw UsageError(description: "pods \"\(name)\" not found") }
        let record = try runtime.find(name)
        return try printLog(record, runtime: runtime, tail: tail, follow: follow, separateStreams: true)
    }
    if previous {
        guard runs.count >= 2 else {
            let chosen = runs.last?.spec.labels?[PodLabels.containerName] ?? ""
            throw UsageError(description: "previous terminated container \"\(chosen)\" in pod \"\(name)\" not found")
        }
        return try printLog(runs[runs.count - 2], runtime: runtime, tail: tail, follow: false, separateStreams: false)
    }
    return try printLog(runs[runs.count - 1], runtime: runtime, tail: tail, follow: follow, separateStreams: false)
}

/// The runtime containers (attempts, oldest first) of one container of a pod: `container`,
/// or — as kubectl defaults — the pod's first app container, saying so on stderr when the
/// pod has more than one. Nil when no pod has that name.
func podContainerRuns(_ runtime: Runtime, pod name: String, namespace: String, container: String?) throws -> [ContainerRecord]? {
    let pod = try runtime.list().map(\.record).filter {
        $0.spec.labels?[PodLabels.podName] == name && $0.spec.labels?[PodLabels.podNamespace] == namespace
    }
    guard !pod.isEmpty else { return nil }
    let names = orderedContainerNames(pod, runtime: runtime, pod: name, namespace: namespace)
    let chosen: String
    if let container {
        guard names.contains(container) else {
            throw UsageError(description: "container \(container) is not valid for pod \(name)")
        }
        chosen = container
    } else {
        chosen = names[0]
        if names.count > 1 {
            TextOutput.line("Defaulted container \"\(chosen)\" out of: \(names.joined(separator: ", "))", fd: 2)
        }
    }
    return pod.filter { $0.spec.labels?[PodLabels.containerName] == chosen }
        .sorted { Int($0.spec.labels?[PodLabels.attempt] ?? "") ?? 0 < Int($1.spec.labels?[PodLabels.attempt] ?? "") ?? 0 }
}

/// The pod's containers in spec order (init containers first), from its status file.
private func orderedContainerNames(_ records: [ContainerRecord], runtime: Runtime, pod: String, namespace: String) -> [String] {
    let present = Set(records.compactMap { $0.spec.labels?[PodLabels.containerName] })
    let statusFile = "\(Kubelet.statusDirectory(state: runtime.paths.state))/\(namespace)_\(pod).json"
    var order: [String] = []
    if let bytes = try? Files.read(statusFile),
       let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
       let spec = object["spec"] as? [String: Any] {
        // Upstream defaults to the first app container, not an init container.
        for key in ["containers", "initContainers"] {
            for container in spec[key] as? [[String: Any]] ?? [] {
                if let n = container["name"] as? String, present.contains(n) { order.append(n) }
            }
        }
    }
    return order + present.subtracting(order).sorted()
}

/// Prints a CRI log file (the last `tail` lines); with `follow`, keeps printing what the
/// container writes until it has exited, across a rotation of the file.
private func printLog(_ record: ContainerRecord, runtime: Runtime, tail: Int?, follow: Bool, separateStreams: Bool) throws -> Int32 {
    func emit(_ entries: [CRILog.Entry]) {
        for entry in entries {
            TextOutput.write(entry.text, fd: separateStreams && entry.stream == .stderr ? 2 : 1)
        }
    }
    var file = Files.exists(record.logPath) ? try FileDescriptor.open(record.logPath, O_RDONLY) : nil
    var pending: [UInt8] = []
    func readComplete() throws -> [CRILog.Entry] {
        guard let fd = file else { return [] }
        pending += try fd.readAll()
        // Only whole lines: a record being written is read on the next round.
        guard let end = pending.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
        let complete = Array(pending[...end])
        pending.removeFirst(end + 1)
        return CRILog.parse(complete)
    }
    var first = try readComplete()
    if let tail { first = Array(first.suffix(tail)) }
    emit(first)
    guard follow else { return 0 }
    while true {
        let entries = try readComplete()
        emit(entries)
        if entries.isEmpty {
            // Rotated: finish the old file, then go on with the new one.
            if let fd = file, let current = try? FileDescriptor.open(record.logPath, O_RDONLY),
               try current.stat().st_ino != fd.stat().st_ino {
                emit(try readComplete())
                file = current
                pending = []
                continue
            }
            if file == nil, Files.exists(record.logPath) { file = try FileDescriptor.open(record.logPath, O_RDONLY) }
            guard case .running = runtime.status(of: record) else {
                emit(try readComplete())
                return 0
            }
            usleep(100_000)
        }
    }
}

/// `swiftlet exec [-i] [-t] [-n NAMESPACE] POD [-c CONTAINER] -- COMMAND [ARG...]` (also
/// `swiftlet exec CONTAINER COMMAND...` for a container started with `run`). The exit
/// status is the command's.
func execCommand(_ runtime: Runtime, _ args: inout Arguments) throws -> Int32 {
    var exec = ExecSpec(args: [])
    var namespace = "default"
    var containerName: String?
    var name: String?
    while let arg = args.next() {
        switch arg {
        case "-i", "--stdin": exec.stdin = true
        case "-t", "--tty": exec.tty = true
        case "-it", "-ti": exec.stdin = true; exec.tty = true
        case "-n", "--namespace": namespace = try args.value(for: arg)
        case "-c", "--container": containerName = try args.value(for: arg)
        case "-e", "--env": exec.env.append(try args.value(for: arg))
        case "--": exec.args = args.items; args.items = []
        default:
            if arg.hasPrefix("-") { throw UsageError(description: "unknown flag: \(arg)") }
            if name == nil { name = arg } else { exec.args = [arg] + args.items; args.items = [] }
        }
    }
    guard let name, !exec.args.isEmpty else { throw UsageError(description: "usage: swiftlet exec [-it] POD [-c CONTAINER] -- COMMAND [ARG...]") }
    let record: ContainerRecord
    if let runs = try podContainerRuns(runtime, pod: name, namespace: namespace, container: containerName) {
        record = runs[runs.count - 1]
    } else {
        guard containerName == nil else { throw UsageError(description: "pods \"\(name)\" not found") }
        record = try runtime.find(name)
    }
    if exec.tty, isatty(0) != 1 { exec.tty = false }
    let exit = try withRawTerminal(exec.tty) { try runtime.exec(record, exec) }
    return exit.code
}
