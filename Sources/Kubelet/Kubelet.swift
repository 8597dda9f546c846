import ContainerRuntime
import Foundation
import Glibc
import KubeAPI
import LinuxSys

/// The standalone kubelet: static pods from a directory, run through the runtime.
///
/// Containers are the shim's children, not ours, and every fact about a pod lives in the
/// runtime's files: stopping or killing the kubelet leaves pods running, and a new one
/// re-adopts them (`adopt`) before it converges to the manifests.
public final class Kubelet: @unchecked Sendable {
    public struct Config: Sendable {
        public var staticPodPath: String
        public var nodeName: String
        /// How often every pod is synced (exits, restarts, status), as the PLEG relists.
        public var syncInterval: Duration = .seconds(1)
        public var rescanInterval: Duration = .seconds(20)

        public init(staticPodPath: String, nodeName: String) {
            self.staticPodPath = staticPodPath
            self.nodeName = nodeName
        }
    }

    public let config: Config
    let env: KubeletEnvironment
    private let lock = NSLock()
    private var workers: [String: PodWorker] = [:]
    private var snapshot = StaticPodSnapshot()
    private var reportedProblems: [StaticPodProblem] = []
    private var lockFD: FileDescriptor?
    private var probes: ProbeManager!

    public init(config: Config, environment: KubeletEnvironment) {
        self.config = config
        self.env = environment
        probes = ProbeManager(runtime: environment.runtime, onChange: { [weak self] name in self?.syncPod(name) },
                              log: environment.log)
    }

    /// `<state>/kubelet/problems.json`: the static pod files the kubelet could not use.
    public static func problemsPath(state: String) -> String { "\(state)/kubelet/problems.json" }
    public static func statusDirectory(state: String) -> String { "\(state)/kubelet/pods" }

    /// Runs until the task is cancelled; pods keep running afterwards.
    public func run() async throws {
        try acquireLock()
        defer {
            try? lockFD?.close()
            lockFD = nil
        }
        adopt()
        probes.start()
        defer { probes.stop() }
        let snapshots = StaticPodWatcher.snapshots(directory: config.staticPodPath, nodeName: config.nodeName,
                                                   rescanInterval: config.rescanInterval)
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: config.syncInterval)
                tick()
            }
        }
        defer { ticker.cancel() }
        for await next in snapshots {
            apply(next)
        }
    }

    /// Only one kubelet may drive a state directory: two would each start the pods.
    private func acquireLock() throws {
        let dir = "\(env.runtime.paths.state)/kubelet"
        try Files.createDirectory(dir)
        let fd = try FileDescriptor.open("\(dir)/kubelet.lock", O_RDWR | O_CREAT | O_CLOEXEC, mode: 0o600)
        guard flock(fd.raw, LOCK_EX | LOCK_NB) == 0 else {
            throw RuntimeError.setupFailed("another kubelet is running with state directory \(env.runtime.paths.state) (\(dir)/kubelet.lock is locked)")
        }
        lockFD = fd
    }

    /// Gives every pod found in the runtime (containers or sandboxes) to the worker of its
    /// name, so the first sync stops what is no longer wanted and keeps what is.
    func adopt() {
        env.runtime.removeInterruptedCreations(namePrefix: "k8s_")
        var known: [String: Set<String>] = [:]
        for (record, _) in (try? env.runtime.list()) ?? [] {
            guard let labels = record.spec.labels, let uid = labels[PodLabels.podUID], let name = labels[PodLabels.podName]
            else { continue }
            known["\(labels[PodLabels.podNamespace] ?? "default")/\(name)", default: []].insert(uid)
        }
        for (id, record) in env.runtime.listSandboxes() {
            guard let record else {
                // An interrupted creation: no container can have joined it yet (a shared pid
                // namespace's holder may have made the pod's cgroup).
                if !known.values.contains(where: { $0.contains(id) }) {
                    PodWorker.removePodCgroup(uid: id, runtime: env.runtime)
                    env.runtime.removeSandbox(id)
                }
                continue
            }
            let name = record.spec.labels[PodLabels.podName] ?? ""
            known["\(record.spec.labels[PodLabels.podNamespace] ?? "default")/\(name)", default: []].insert(id)
        }
        removeOrphanedPodDirectories(known: Set(known.values.joined()))
        env.runtime.podNetwork?.removeOrphans(keeping: Set(env.runtime.listSandboxes().map(\.id)))
        lock.lock()
        for (fullName, uids) in known {
            workers[fullName] = PodWorker(fullName: fullName, known: uids, env: env, probes: probes)
        }
        lock.unlock()
        if !known.isEmpty { env.log("kubelet: found \(known.values.map(\.count).reduce(0, +)) pod(s) from before") }
    }

    /// Volume and log directories of pods that have neither containers nor a sandbox
    /// any more (a crash between their removal and these directories', a reboot). The
    /// pod directory `<root>/kubelet/pods/<uid>` exists from a pod's first sync to the end
    /// of its removal, so it names the log directories that are ours to delete (the log
    /// directory may be shared with another kubelet's pods).
    private func removeOrphanedPodDirectories(known: Set<String>) {
        let orphans = ((try? Files.list(env.podsDirectory)) ?? []).filter { !known.contains($0) }
        guard !orphans.isEmpty else { return }
        let logDirectories = (try? Files.list(env.podLogDirectory)) ?? []
        for uid in orphans {
            for dir in logDirectories where dir.hasSuffix("_\(uid)") { try? Files.removeTree("\(env.podLogDirectory)/\(dir)") }
            do { try PodVolumes.remove(podDirectory: "\(env.podsDirectory)/\(uid)") } catch { env.log("kubelet: \(error)") }
        }
    }

    /// A new state of the static pod directory.
    func apply(_ next: StaticPodSnapshot) {
        lock.lock()
        snapshot = next
        let newProblems = next.problems.filter { !reportedProblems.contains($0) }
        reportedProblems = next.problems
        lock.unlock()
        for problem in newProblems { env.log("static pod \(problem)") }
        writeProblems(next.problems)
        syncAll()
    }

    func tick() {
        ChildReaper.shared.reap()
        syncAll()
    }

    private func syncAll() {
        lock.lock()
        let current = snapshot
        var desired: [String: StaticPod] = [:]
        for pod in current.pods { desired[pod.fullName] = pod }
        for name in desired.keys where workers[name] == nil {
            workers[name] = PodWorker(fullName: name, known: [], env: env, probes: probes)
        }
        workers = workers.filter { desired[$0.key] != nil || !$0.value.isIdle }
        let all = workers
        lock.unlock()
        for (name, worker) in all { worker.request(desired[name], snapshot: current) }
    }

    /// One pod, now (a probe result changed).
    private func syncPod(_ fullName: String) {
        lock.lock()
        let current = snapshot
        let worker = workers[fullName]
        lock.unlock()
        worker?.request(current.pods.first { $0.fullName == fullName }, snapshot: current)
    }

    /// The pods' status files (what `swiftlet pods` and `/pods` show), by file name.
    public static func podStatuses(state: String) -> [Pod] {
        let directory = statusDirectory(state: state)
        return ((try? Files.list(directory)) ?? []).filter { $0.hasSuffix(".json") }.compactMap { file in
            guard let bytes = try? Files.read("\(directory)/\(file)") else { return nil }
            return try? JSONDecoder().decode(Pod.self, from: Data(bytes))
        }
    }

    /// The static pod files with errors (`file`, `message`), as last reported.
    public static func problems(state: String) -> [[String: String]] {
        guard let bytes = try? Files.read(problemsPath(state: state)) else { return [] }
        return ((try? JSONSerialization.jsonObject(with: Data(bytes))) as? [[String: String]]) ?? []
    }

    /// What the HTTPS endpoint reports, read now.
    public func nodeSnapshot() -> KubeletEndpoints.Node {
        let state = env.runtime.paths.state
        let containers = ((try? env.runtime.list()) ?? []).filter { $0.record.spec.labels?[PodLabels.podUID] != nil }
        let states = containers.map { container -> String in
            switch container.status {
            case .running: "running"
            case .exited: "exited"
            case .unknown: "unknown"
            }
        }
        let statm = (try? Files.readString("/proc/self/statm"))?.split(separator: " ")
        let resident = (statm.flatMap { $0.count > 1 ? Int($0[1]) : nil } ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
        return KubeletEndpoints.Node(name: config.nodeName, pods: Self.podStatuses(state: state),
                                     sandboxes: env.runtime.listSandboxes().filter { $0.record != nil }.count, containerStates: states,
                                     manifestErrors: Self.problems(state: state).count, residentMemoryBytes: resident)
    }

    private func writeProblems(_ problems: [StaticPodProblem]) {
        let path = Kubelet.problemsPath(state: env.runtime.paths.state)
        let list = problems.map { ["file": $0.file, "message": $0.message] }
        do {
            try Files.createDirectory(Files.dirname(path))
            try Files.writeAtomically(path, try JSONSerialization.data(withJSONObject: list, options: [.sortedKeys]), durable: false)
        } catch {
            env.log("kubelet: write \(path): \(error)")
        }
    }

    /// Waits until every sync requested so far has run (tests).
    public func settle() {
        lock.lock()
        let all = Array(workers.values)
        lock.unlock()
        for worker in all { worker.settle() }
    }

    /// Stops and removes every pod this kubelet knows (tests), with `grace` seconds
    /// between SIGTERM and SIGKILL instead of each pod's own period.
    public func removeAllPods(grace: Int? = nil) {
        lock.lock()
        let all = Array(workers.values)
        workers = [:]
        lock.unlock()
        for worker in all { worker.terminateAll(grace: grace) }
    }
}
