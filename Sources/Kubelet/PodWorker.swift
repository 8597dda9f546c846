import ContainerRuntime
import Foundation
import Glibc
import KubeAPI
import LinuxSys

/// Everything the kubelet's workers share.
public struct KubeletEnvironment: Sendable {
    public var runtime: Runtime
    public var nodeName: String
    /// `/var/log/pods`.
    public var podLogDirectory: String
    /// Per-pod data (volumes): `<root>/kubelet/pods/<uid>`.
    public var podsDirectory: String
    /// Pod status files for `swiftlet pods`: `<state>/kubelet/pods/<namespace>_<name>.json`.
    public var statusDirectory: String
    /// Pulls an image that is missing (or always, for imagePullPolicy Always).
    public var pull: @Sendable (String) throws -> Void
    public var log: @Sendable (String) -> Void
    public var logRotation = LogRotation()
    /// The node's address: status.hostIP, and the pod IP of pods on the host's network.
    public var nodeIP = "127.0.0.1"

    public init(runtime: Runtime, nodeName: String, podLogDirectory: String, podsDirectory: String, statusDirectory: String,
                pull: @escaping @Sendable (String) throws -> Void, log: @escaping @Sendable (String) -> Void) {
        self.runtime = runtime
        self.nodeName = nodeName
        self.podLogDirectory = podLogDirectory
        self.podsDirectory = podsDirectory
        self.statusDirectory = statusDirectory
        self.pull = pull
        self.log = log
    }
}

/// Drives one pod name (`namespace/name`) to its desired state, one sync at a time on its
/// own serial queue. Because one worker owns a name, at most one instance of a pod with
/// that name runs: a new UID (an edited manifest) is started only after every other
/// UID's containers have stopped. It keeps nothing in memory that a restarted kubelet
/// cannot rebuild from the runtime, except back-off timers and start errors.
final class PodWorker: @unchecked Sendable {
    let fullName: String
    private let env: KubeletEnvironment
    private let queue: DispatchQueue
    private let lock = NSLock()
    // Under `lock`:
    private var pending: (pod: StaticPod?, snapshot: StaticPodSnapshot)?
    private var scheduled = false
    // Only on `queue`:
    /// Pod UIDs with a sandbox or containers (found at start-up, or made by this worker).
    private var known: Set<String>
    private var backoff = Backoff()
    /// Failed starts (no runtime container exists for them): container name → exit.
    private var startFailures: [String: (attempt: Int, exit: ContainerObservation.Exit)] = [:]
    private var waiting: [String: (reason: String, message: String?)] = [:]
    private var lastStatus: PodStatus?
    private var startTime: Time?
    /// Set once nothing is left and nothing is wanted: the kubelet drops the worker.
    private(set) var finished = false

    private let probes: ProbeManager

    init(fullName: String, known: Set<String>, env: KubeletEnvironment, probes: ProbeManager) {
        self.fullName = fullName
        self.known = known
        self.env = env
        self.probes = probes
        self.queue = DispatchQueue(label: "pod \(fullName)")
    }

    /// Asks for a sync toward `pod` (nil: no such pod any more). Requests made while a
    /// sync runs are coalesced into one more sync with the latest.
    func request(_ pod: StaticPod?, snapshot: StaticPodSnapshot) {
        lock.lock()
        pending = (pod, snapshot)
        let schedule = !scheduled
        scheduled = true
        lock.unlock()
        if schedule { queue.async { self.drain() } }
    }

    var isIdle: Bool {
        lock.lock()
        defer { lock.unlock() }
        return !scheduled && finished
    }

    /// Waits for the syncs requested so far (tests, shutdown).
    func settle() { queue.sync {} }

    private func drain() {
        while true {
            lock.lock()
            guard let next = pending else {
                scheduled = false
                lock.unlock()
                return
            }
            pending = nil
            lock.unlock()
            sync(next.pod, snapshot: next.snapshot)
        }
    }

    // MARK: - Sync

    private func sync(_ desired: StaticPod?, snapshot: StaticPodSnapshot) {
        for uid in known where uid != desired?.hash {
            terminate(uid: uid, grace: nil)
        }
        guard let desired else {
            removeStatus()
            finished = known.isEmpty
            return
        }
        finished = false
        known.insert(desired.hash)
        do {
            try run(desired, snapshot: snapshot)
        } catch {
            env.log("pod \(fullName): \(error)")
        }
    }

    private func run(_ staticPod: StaticPod, snapshot: StaticPodSnapshot) throws {
        let pod = staticPod.pod
        let uid = staticPod.hash
        let runtime = env.runtime
        if startTime == nil { startTime = Time.now() }

        // First (and removed last but the sandbox): it marks the pod's directories as ours.
        let podDirectory = "\(env.podsDirectory)/\(uid)"
        try Files.createDirectory(podDirectory, mode: 0o750)
        let podCgroup = ContainerTranslation.podCgroup(pod, parent: runtime.paths.cgroupParent)
        if let existing = runtime.sandbox(uid), !runtime.isSandboxAlive(existing) {
            // As upstream when the pause container dies: every container goes with the
            // sandbox (the kernel killed them with the namespace's pid 1), which is re-created.
            env.log("pod \(fullName): the holder of the shared pid namespace ended; the sandbox will be killed and re-created")
            for run in try observe(uid: uid).values.joined() { try? runtime.stop(run.record, grace: 0) }
            runtime.removeSandbox(uid)
        }
        let sandbox: SandboxRecord
        do {
            if let existing = runtime.sandbox(uid) {
                sandbox = existing
            } else {
                sandbox = try runtime.createSandbox(sandboxSpec(pod, cgroup: podCgroup))
                if let shim = sandbox.holderShim { ChildReaper.shared.adopt(shim) }
            }
        } catch {
            env.log("pod \(fullName): create sandbox: \(error)")
            writeStatus(pod, observations: [:], sandbox: nil)
            throw error
        }
        var volumes: [String: String] = [:]
        var volumeError: String?
        do {
            volumes = try PodVolumes.prepare(pod, podDirectory: podDirectory, configMaps: snapshot.configMaps,
                                             secrets: snapshot.secrets, podIP: sandbox.podIP(nodeIP: env.nodeIP), hostIP: env.nodeIP)
        } catch {
            volumeError = "\(error)"
            env.log("pod \(fullName): MountVolume failed: \(error)")
        }
        var context = PodContext(
            sandbox: sandbox, configMaps: snapshot.configMaps, secrets: snapshot.secrets,
            cgroup: podCgroup,
            logDirectory: "\(env.podLogDirectory)/\(pod.metadata.namespace ?? "default")_\(pod.metadata.name ?? "")_\(uid)",
            volumes: volumes, hostIP: env.nodeIP)
        context.seccompProfileRoot = "\(runtime.paths.root)/kubelet/seccomp"
        if configuredCgroups.insert(uid).inserted { configurePodCgroup(pod, path: context.cgroup) }

        var observed = try observe(uid: uid)
        var observations: [String: ContainerObservation] = [:]
        let policy = pod.spec.restartPolicy ?? .always
        let now = Date().timeIntervalSince1970

        /// Starts `container` unless it runs, has finished for good, or waits for a back-off.
        /// Returns whether it is running now.
        @discardableResult
        func converge(_ container: Container, isInit: Bool, restart: RestartPolicy) -> Bool {
            let runs = observed[container.name] ?? []
            let latest = runs.last
            var attempt = 0
            if let latest {
                if case .running = latest.status {
                    guard let failure = probes.failure(latest.record.id) else { return true }
                    // A failed liveness (or startup) probe: the container is killed and its
                    // restart policy and back-off decide, as after any other exit.
                    let probe = failure.kind == .startup ? container.startupProbe : container.livenessProbe
                    let grace = Int(probe?.terminationGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30)
                    env.log("pod \(fullName): container \(container.name) failed \(failure.kind.rawValue.lowercased()) probe, will be restarted: \(failure.message)")
                    try? runtime.stop(latest.record, grace: grace)
                    probes.forget(latest.record.id)
                    let index = runs.count - 1
                    observed[container.name]?[index].status = runtime.status(of: latest.record)
                }
                attempt = latest.attempt + 1
            }
            if let failure = startFailures[container.name], failure.attempt >= attempt { attempt = failure.attempt + 1 }
            let lastExit = latestExit(container.name, runs: observed[container.name] ?? [])
            if let lastExit {
                let restartWanted = restart == .always || (restart == .onFailure && lastExit.code != 0)
                guard restartWanted else { return false }
                let key = "\(uid)/\(container.name)"
                let finished = lastExit.finishedAt?.secondsSince1970 ?? now
                if backoff.isInBackoff(key, since: finished, now: now) {
                    waiting[container.name] = ("CrashLoopBackOff",
                        "back-off \(Int(backoff.delay(key)))s restarting failed container=\(container.name) pod=\(pod.metadata.name ?? "")_\(pod.metadata.namespace ?? "")(\(uid))")
                    return false
                }
                backoff.next(key, eventTime: finished)
            }
            if let volumeError {
                waiting[container.name] = ("ContainerCreating", volumeError)
                return false
            }
            return start(container, pod: pod, isInit: isInit, attempt: attempt, context: context, observed: &observed)
        }

        waiting = [:]
        var initialized = true
        for container in pod.spec.initContainers ?? [] {
            if container.isSidecar {
                if !converge(container, isInit: true, restart: .always) { initialized = false; break }
                continue
            }
            if let exit = latestExit(container.name, runs: observed[container.name] ?? []), exit.code == 0 { continue }
            converge(container, isInit: true, restart: policy == .never ? .never : .onFailure)
            initialized = false
            break
        }
        if initialized {
            for container in pod.spec.containers { converge(container, isInit: false, restart: policy) }
        }
        for container in (pod.spec.initContainers ?? []) + pod.spec.containers {
            let runs = observed[container.name] ?? []
            for run in runs {
                if case .running(_, let started) = run.status, run.attempt == runs.last?.attempt {
                    let startedAt = (try? Time(rfc3339: started)).map { Date(timeIntervalSince1970: $0.secondsSince1970) } ?? Date()
                    probes.track(run.record, container: container, podIP: context.podIP, podFullName: fullName, startedAt: startedAt)
                } else {
                    probes.forget(run.record.id)
                }
            }
            observations[container.name] = observation(container.name, runs: runs)
        }
        removeOldAttempts(observed)
        for run in observed.values.joined() {
            guard case .running = run.status else { continue }
            do { try env.logRotation.rotateIfNeeded(run.record, runtime: runtime) } catch {
                env.log("pod \(fullName): rotate \(run.record.logPath): \(error)")
            }
        }
        writeStatus(pod, observations: observations, sandbox: sandbox)
    }

    private func sandboxSpec(_ pod: Pod, cgroup: String) -> SandboxSpec {
        let name = pod.spec.hostname ?? pod.metadata.name ?? ""
        return SandboxSpec(
            id: pod.metadata.uid ?? "", hostname: String(name.prefix(63)),
            hostNetwork: pod.spec.hostNetwork ?? false, hostIPC: pod.spec.hostIPC ?? false,
            labels: [PodLabels.podName: pod.metadata.name ?? "", PodLabels.podNamespace: pod.metadata.namespace ?? "default"],
            extraHosts: (pod.spec.hostAliases ?? []).map { "\($0.ip)\t\(($0.hostnames ?? []).joined(separator: "\t"))" },
            portMappings: pod.spec.containers.flatMap { $0.ports ?? [] }.compactMap { port in
                guard let hostPort = port.hostPort, hostPort > 0 else { return nil }
                return PortMapping(proto: port.protocol?.rawValue ?? "TCP", hostPort: Int(hostPort),
                                   containerPort: Int(port.containerPort), hostIP: port.hostIP)
            },
            sharedPID: pod.spec.shareProcessNamespace == true && pod.spec.hostPID != true, cgroupParent: cgroup)
    }

    private func start(_ container: Container, pod: Pod, isInit: Bool, attempt: Int, context: PodContext,
                       observed: inout [String: [ObservedRun]]) -> Bool {
        let runtime = env.runtime
        let image = container.image ?? ""
        let pullKey = "\(pod.metadata.uid ?? "")/\(container.name)/pull"
        do {
            let policy = container.imagePullPolicy ?? .ifNotPresent
            let present = (try? runtime.images.resolve(image)) != nil
            if policy == .always || !present {
                if policy == .never {
                    waiting[container.name] = ("ErrImageNeverPull",
                        "Container image \"\(image)\" is not present with pull policy of Never")
                    return false
                }
                let now = Date().timeIntervalSince1970
                if let last = pullFailures[pullKey], backoff.isInBackoff(pullKey, since: last, now: now) {
                    waiting[container.name] = ("ImagePullBackOff", "Back-off pulling image \"\(image)\"")
                    return false
                }
                do {
                    try env.pull(image)
                    pullFailures[pullKey] = nil
                } catch {
                    pullFailures[pullKey] = now
                    backoff.next(pullKey, eventTime: now)
                    waiting[container.name] = ("ErrImagePull", "\(error)")
                    env.log("pod \(fullName): pull \(image): \(error)")
                    return false
                }
            }
            let spec = try ContainerTranslation.spec(pod: pod, container: container, isInit: isInit, attempt: attempt,
                                                     context: context, imageUser: (try? runtime.images.resolve(image))?.config.user ?? "")
            let started = try runtime.run(spec, attach: false)
            ChildReaper.shared.adopt(started.shimPid)
            startFailures[container.name] = nil
            if !started.unenforced.isEmpty, unenforcedReported.insert(container.name).inserted {
                for limit in started.unenforced { env.log("pod \(fullName): container \(container.name): \(limit)") }
            }
            if let postStart = container.lifecycle?.postStart,
               let failure = LifecycleHooks.run(postStart, record: started.record, runtime: runtime, podIP: context.podIP,
                                                ports: container.ports ?? [], timeout: Double(max(spec.stopGraceSeconds, 30))) {
                // As upstream: the container is killed, and its restart policy decides.
                env.log("pod \(fullName): FailedPostStartHook: container \(container.name): \(failure)")
                try? runtime.stop(started.record, grace: spec.stopGraceSeconds)
                return false
            }
            observed[container.name, default: []].append(
                ObservedRun(record: started.record, attempt: attempt,
                            status: .running(pid: started.containerPid, startedAt: Clock.rfc3339Nano())))
            env.log("pod \(fullName): started container \(container.name) (attempt \(attempt))")
            return true
        } catch let error as ContainerConfigError {
            if let detail = error.detail, configErrorsReported.insert("\(container.name)\0\(error)").inserted {
                env.log("pod \(fullName): container \(container.name): \(error): \(detail)")
            }
            waiting[container.name] = ("CreateContainerConfigError", error.description)
            return false
        } catch {
            // The runtime left nothing behind; remember the failed attempt as upstream's
            // StartError (exit code 128), which the restart policy and back-off then govern.
            let exit = ContainerObservation.Exit(code: 128, reason: "StartError", message: "\(error)", finishedAt: Time.now())
            startFailures[container.name] = (attempt, exit)
            env.log("pod \(fullName): start container \(container.name): \(error)")
            return false
        }
    }

    private var pullFailures: [String: Double] = [:]
    /// Pod UIDs whose pod cgroup has its limits.
    private var configuredCgroups: Set<String> = []
    /// Container config errors whose details were logged (once each, not per sync).
    private var configErrorsReported: Set<String> = []
    /// Containers whose unenforceable limits were logged (once each, not per restart).
    private var unenforcedReported: Set<String> = []

    /// The most recent end of the container: its latest runtime run, or a failed start after it.
    private func latestExit(_ name: String, runs: [ObservedRun]) -> ContainerObservation.Exit? {
        if let failure = startFailures[name], failure.attempt >= (runs.last?.attempt ?? -1) { return failure.exit }
        return runs.last.flatMap(\.exit)
    }

    private func observation(_ name: String, runs: [ObservedRun]) -> ContainerObservation {
        var o = ContainerObservation()
        var list = runs.map(\.observationRun)
        var attempt = runs.last?.attempt ?? 0
        if let failure = startFailures[name], failure.attempt >= (runs.last?.attempt ?? -1) {
            list.append(ContainerObservation.Run(id: "", startedAt: nil, exit: failure.exit))
            attempt = failure.attempt
        }
        o.current = list.last
        o.previous = list.count > 1 ? list[list.count - 2] : nil
        o.restartCount = Int32(attempt)
        o.waiting = waiting[name]
        let running = o.current != nil && o.current?.exit == nil && o.waiting == nil
        let id = runs.last?.record.id ?? ""
        o.started = running && probes.started(id)
        o.ready = running && probes.readiness(id)
        if let record = runs.last?.record { o.imageID = "\(record.imageName)@\(record.imageDigest)" }
        return o
    }

    // MARK: - Runtime state

    struct ObservedRun {
        var record: ContainerRecord
        var attempt: Int
        var status: ContainerRuntime.ContainerStatus

        var exit: ContainerObservation.Exit? {
            switch status {
            case .running: return nil
            case .exited(let e):
                return ContainerObservation.Exit(code: e.code, reason: e.reason, message: nil,
                                                 finishedAt: try? Time(rfc3339: e.finishedAt))
            case .unknown:
                return ContainerObservation.Exit(code: 255, reason: "Unknown", message: "the container's state was lost",
                                                 finishedAt: nil)
            }
        }

        var observationRun: ContainerObservation.Run {
            var startedAt: Time?
            if case .running(_, let started) = status { startedAt = try? Time(rfc3339: started) }
            return ContainerObservation.Run(id: record.id, startedAt: startedAt ?? (try? Time(rfc3339: record.createdAt)), exit: exit)
        }
    }

    /// The pod's runtime containers by container name, oldest attempt first. A container
    /// in no known state — its start was interrupted (a killed kubelet), or its state is
    /// gone (a reboot) — is removed first: killing its cgroup and removing it means a
    /// start still under way cannot come up later beside the next attempt.
    private func observe(uid: String) throws -> [String: [ObservedRun]] {
        var out: [String: [ObservedRun]] = [:]
        for (record, status) in try env.runtime.list(namesContaining: "_\(uid)_") {
            guard let labels = record.spec.labels, labels[PodLabels.podUID] == uid,
                  let name = labels[PodLabels.containerName], let attempt = labels[PodLabels.attempt].flatMap({ Int($0) })
            else { continue }
            if status == .unknown {
                env.log("pod \(fullName): removing container \(record.name) in an unknown state (an interrupted start)")
                do { try env.runtime.remove(record, force: true) } catch { env.log("pod \(fullName): remove \(record.name): \(error)") }
                continue
            }
            out[name, default: []].append(ObservedRun(record: record, attempt: attempt, status: status))
        }
        return out.mapValues { $0.sorted { $0.attempt < $1.attempt } }
    }

    /// Keeps the latest two runs of each container (current and previous, for `logs
    /// --previous`); older exited ones go with their logs.
    private func removeOldAttempts(_ observed: [String: [ObservedRun]]) {
        for runs in observed.values where runs.count > 2 {
            for old in runs.dropLast(2) {
                if case .running = old.status { continue }
                try? env.runtime.remove(old.record, force: false)
                _ = try? sys("unlink", old.record.logPath, tolerating: ENOENT) { unlink(old.record.logPath) }
            }
        }
    }

    // MARK: - Termination

    /// Stops every container of the pod (in parallel, each with its grace period),
    /// removes them, the sandbox, the pod's cgroup, volumes and logs.
    private func terminate(uid: String, grace: Int?) {
        let runtime = env.runtime
        let records = ((try? runtime.list(namesContaining: "_\(uid)_")) ?? [])
            .filter { $0.record.spec.labels?[PodLabels.podUID] == uid }.map(\.record)
        DispatchQueue.concurrentPerform(iterations: records.count) { i in
            let record = records[i]
            var remaining = grace ?? record.spec.stopGraceSeconds
            // preStop runs within the grace period; a hook that uses it up still leaves the
            // container 2 s after SIGTERM, as upstream grants.
            if remaining > 0, let text = record.spec.labels?[LifecycleHooks.preStopLabel],
               let handler = LifecycleHooks.decode(text), case .running = runtime.status(of: record) {
                let started = Date()
                if let failure = LifecycleHooks.run(handler, record: record, runtime: runtime, podIP: runtime.sandbox(uid)?.podIP(nodeIP: env.nodeIP),
                                                    ports: [], timeout: Double(remaining)) {
                    env.log("pod \(fullName): FailedPreStopHook: container \(record.name): \(failure)")
                }
                remaining = max(remaining - Int(Date().timeIntervalSince(started)), 2)
            }
            do { try runtime.stop(record, grace: remaining) } catch { env.log("pod \(fullName): stop \(record.name): \(error)") }
        }
        for record in records {
            probes.forget(record.id)
            do { try runtime.remove(record, force: true) } catch { env.log("pod \(fullName): remove \(record.name): \(error)") }
        }
        PodWorker.removePodCgroup(uid: uid, runtime: runtime)
        try? Files.removeTree("\(env.podLogDirectory)/\(fullName.replacingOccurrences(of: "/", with: "_"))_\(uid)")
        do { try PodVolumes.remove(podDirectory: "\(env.podsDirectory)/\(uid)") } catch { env.log("pod \(fullName): remove volumes: \(error)") }
        // The sandbox last: it is what tells a restarted kubelet that the pod exists.
        runtime.removeSandbox(uid)
        backoff.forget(prefix: "\(uid)/")
        configuredCgroups.remove(uid)
        startFailures = [:]
        lastStatus = nil
        startTime = nil
        known.remove(uid)
        if !records.isEmpty { env.log("pod \(fullName): stopped and removed pod \(uid)") }
    }

    /// Removes the pod's cgroup, under whichever QoS tier it was (the pod spec may be
    /// gone), once the holder of a shared pid namespace has left it.
    static func removePodCgroup(uid: String, runtime: Runtime) {
        runtime.stopPidHolder(sandbox: uid)
        guard let hierarchy = try? runtime.hierarchy() else { return }
        for tier in ["", "/burstable", "/besteffort"] {
            let group = Cgroup(hierarchy: hierarchy, relativePath: "\(runtime.paths.cgroupParent)/kubepods\(tier)/pod\(uid)")
            if Files.exists(group.path) { try? group.remove() }
        }
    }

    /// Stops everything (tests), with `grace` seconds instead of each pod's own.
    func terminateAll(grace: Int?) {
        queue.sync {
            for uid in known { terminate(uid: uid, grace: grace) }
            removeStatus()
            finished = true
        }
    }

    // MARK: - Status

    private var statusPath: String {
        "\(env.statusDirectory)/\(fullName.replacingOccurrences(of: "/", with: "_")).json"
    }

    /// Creates the pod's cgroup with its limits (`ContainerTranslation.podLimits`); the
    /// BestEffort tier gets the least CPU weight, as upstream's. Limits the hierarchy cannot
    /// enforce (a hybrid host) are logged, once per pod.
    private func configurePodCgroup(_ pod: Pod, path: String) {
        do {
            let hierarchy = try env.runtime.hierarchy()
            let group = Cgroup(hierarchy: hierarchy, relativePath: path)
            try group.create(enabling: ["cpu", "memory", "pids", "io"])
            var unenforced = try group.apply(ContainerTranslation.podLimits(pod))
            if pod.qosClass == .bestEffort {
                unenforced += try Cgroup(hierarchy: hierarchy, relativePath: Files.dirname(path)).apply(CgroupLimits(cpuWeight: 1))
            }
            for limit in unenforced { env.log("pod \(fullName): \(limit)") }
        } catch {
            env.log("pod \(fullName): pod cgroup \(path): \(error)")
        }
    }

    private func writeStatus(_ pod: Pod, observations: [String: ContainerObservation], sandbox: SandboxRecord?) {
        let now = Time.now()
        let status = PodStatusBuilder.status(pod: pod, observations: observations, podIP: sandbox?.podIP(nodeIP: env.nodeIP), hostIP: env.nodeIP,
                                             sandboxReady: sandbox != nil, previous: lastStatus,
                                             startTime: startTime ?? now, now: now)
        guard status != lastStatus || !Files.exists(statusPath) else { return }
        lastStatus = status
        var withStatus = pod
        withStatus.status = status
        if withStatus.metadata.creationTimestamp == nil { withStatus.metadata.creationTimestamp = status.startTime }
        do {
            try Files.createDirectory(env.statusDirectory)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try Files.writeAtomically(statusPath, try encoder.encode(withStatus), durable: false)
        } catch {
            env.log("pod \(fullName): write status: \(error)")
        }
    }

    private func removeStatus() {
        _ = try? sys("unlink", statusPath, tolerating: ENOENT) { unlink(statusPath) }
        lastStatus = nil
    }
}

/// The shims the kubelet starts are its children until they exit: reaped here, without
/// a process-wide SIGCHLD disposition that would break other waitpid users.
final class ChildReaper: @unchecked Sendable {
    static let shared = ChildReaper()
    private let lock = NSLock()
    private var children: Set<pid_t> = []

    func adopt(_ pid: pid_t) {
        lock.lock()
        children.insert(pid)
        lock.unlock()
    }

    func reap() {
        lock.lock()
        defer { lock.unlock() }
        for pid in children {
            var status: Int32 = 0
            let rc = waitpid(pid, &status, WNOHANG)
            if rc == pid || (rc == -1 && errno == ECHILD) { children.remove(pid) }
        }
    }
}
