import KubeAPI

/// One container of a pod as the kubelet sees it: its latest runtime container (if any),
/// the one before (for lastState), and why it is not running when it is not.
public struct ContainerObservation: Sendable, Equatable {
    public struct Run: Sendable, Equatable {
        public var id: String
        public var startedAt: Time?
        /// nil while running.
        public var exit: Exit?
    }

    public struct Exit: Sendable, Equatable {
        public var code: Int32
        public var reason: String
        public var message: String?
        public var finishedAt: Time?
    }

    public var current: Run?
    public var previous: Run?
    /// Restarts so far (the current run's attempt number).
    public var restartCount: Int32 = 0
    /// Why the container is waiting (CrashLoopBackOff, ImagePullBackOff, …), overriding `current`.
    public var waiting: (reason: String, message: String?)?
    public var ready = false
    public var started = false
    public var imageID = ""

    public init() {}

    public static func == (a: ContainerObservation, b: ContainerObservation) -> Bool {
        a.current == b.current && a.previous == b.previous && a.restartCount == b.restartCount
            && a.waiting?.reason == b.waiting?.reason && a.waiting?.message == b.waiting?.message
            && a.ready == b.ready && a.started == b.started && a.imageID == b.imageID
    }
}

/// Pod status from observations, with the upstream kubelet's rules for phase, conditions
/// and container states. Pure: `now` and the previous status (for transition times) are
/// passed in.
public enum PodStatusBuilder {
    public static func status(pod: Pod, observations: [String: ContainerObservation], podIP: String?, hostIP: String,
                              sandboxReady: Bool, previous: PodStatus?, startTime: Time, now: Time) -> PodStatus {
        let initContainers = pod.spec.initContainers ?? []
        let initStatuses = initContainers.map { containerStatus($0, observations[$0.name], pendingReason: "PodInitializing") }
        let initDone = initContainers.allSatisfy { container in
            let o = observations[container.name]
            if container.isSidecar { return o?.started ?? false }
            return o?.current?.exit?.code == 0 && o?.waiting == nil
        }
        let appPending = initDone ? "ContainerCreating" : "PodInitializing"
        let statuses = pod.spec.containers.map { containerStatus($0, observations[$0.name], pendingReason: appPending) }
        let phase = self.phase(pod: pod, initStatuses: initStatuses, statuses: statuses)

        var status = PodStatus()
        status.phase = phase
        status.hostIP = hostIP
        status.hostIPs = [HostIP(ip: hostIP)]
        if let podIP {
            status.podIP = podIP
            status.podIPs = [PodIP(ip: podIP)]
        }
        status.startTime = previous?.startTime ?? startTime
        status.qosClass = pod.qosClass
        status.initContainerStatuses = initStatuses.isEmpty ? nil : initStatuses
        status.containerStatuses = statuses

        var conditions: [PodCondition] = []
        func add(_ type: PodConditionType, _ ok: Bool, reason: String? = nil, message: String? = nil) {
            var condition = PodCondition(type: type, status: ok ? .true : .false)
            if !ok { condition.reason = reason; condition.message = message }
            let before = previous?.conditions?.first { $0.type == type }
            condition.lastTransitionTime = before?.status == condition.status ? before?.lastTransitionTime ?? now : now
            conditions.append(condition)
        }
        add(.podReadyToStartContainers, sandboxReady)
        let incomplete = zip(initContainers, initStatuses).filter { container, status in
            container.isSidecar ? status.started != true : status.state.terminated?.exitCode != 0
        }.map(\.0.name)
        if incomplete.isEmpty || phase == .succeeded {
            add(.initialized, true)
        } else {
            add(.initialized, false, reason: "ContainersNotInitialized",
                message: "containers with incomplete status: [\(incomplete.joined(separator: " "))]")
        }
        let unready = (zip(initContainers, initStatuses).filter { $0.0.isSidecar }.map(\.1) + statuses)
            .filter { !$0.ready }.map(\.name)
        if phase == .succeeded || phase == .failed {
            add(.ready, false, reason: "PodCompleted")
            add(.containersReady, false, reason: "PodCompleted")
        } else if unready.isEmpty {
            add(.ready, true)
            add(.containersReady, true)
        } else {
            let message = "containers with unready status: [\(unready.joined(separator: " "))]"
            add(.ready, false, reason: "ContainersNotReady", message: message)
            add(.containersReady, false, reason: "ContainersNotReady", message: message)
        }
        add(.podScheduled, true)
        status.conditions = conditions
        return status
    }

    static func containerStatus(_ container: Container, _ observation: ContainerObservation?,
                                pendingReason: String) -> KubeAPI.ContainerStatus {
        var status = KubeAPI.ContainerStatus(name: container.name)
        status.image = container.image ?? ""
        status.started = false
        guard let o = observation else {
            status.state.waiting = ContainerStateWaiting(reason: pendingReason)
            return status
        }
        status.imageID = o.imageID
        status.restartCount = o.restartCount
        status.ready = o.ready
        status.started = o.started
        status.containerID = o.current.map { "swiftlet://\($0.id)" }
        var last = o.previous
        if let waiting = o.waiting {
            status.state.waiting = ContainerStateWaiting(reason: waiting.reason, message: waiting.message)
            if o.current?.exit != nil { last = o.current }
        } else if let current = o.current {
            if let exit = current.exit {
                status.state.terminated = terminated(current, exit)
            } else {
                status.state.running = ContainerStateRunning(startedAt: current.startedAt)
            }
        } else {
            status.state.waiting = ContainerStateWaiting(reason: pendingReason)
        }
        if let last, let exit = last.exit { status.lastState.terminated = terminated(last, exit) }
        return status
    }

    static func terminated(_ run: ContainerObservation.Run, _ exit: ContainerObservation.Exit) -> ContainerStateTerminated {
        var t = ContainerStateTerminated(exitCode: exit.code)
        t.reason = exit.reason
        t.message = exit.message
        t.startedAt = run.startedAt
        t.finishedAt = exit.finishedAt
        t.containerID = "swiftlet://\(run.id)"
        return t
    }

    /// kubelet_pods.go getPhase.
    static func phase(pod: Pod, initStatuses: [KubeAPI.ContainerStatus], statuses: [KubeAPI.ContainerStatus]) -> PodPhase {
        let policy = pod.spec.restartPolicy ?? .always
        var pendingInitialization = 0, failedInitialization = 0
        for (container, status) in zip(pod.spec.initContainers ?? [], initStatuses) {
            if container.isSidecar {
                if status.started != true { pendingInitialization += 1 }
                continue
            }
            if status.state.running != nil {
                pendingInitialization += 1
            } else if let terminated = status.state.terminated {
                if terminated.exitCode != 0 { failedInitialization += 1 }
            } else if status.state.waiting != nil {
                if let last = status.lastState.terminated {
                    if last.exitCode != 0 { failedInitialization += 1 }
                } else {
                    pendingInitialization += 1
                }
            } else {
                pendingInitialization += 1
            }
        }
        var running = 0, waiting = 0, stopped = 0, succeeded = 0
        for status in statuses {
            if status.state.running != nil {
                running += 1
            } else if let terminated = status.state.terminated {
                stopped += 1
                if terminated.exitCode == 0 { succeeded += 1 }
            } else if status.lastState.terminated != nil {
                stopped += 1
            } else {
                waiting += 1
            }
        }
        if failedInitialization > 0 && policy == .never { return .failed }
        if pendingInitialization > 0 || failedInitialization > 0 || waiting > 0 { return .pending }
        if running > 0 { return .running }
        if stopped > 0 {
            if policy == .always { return .running }
            if stopped == succeeded { return .succeeded }
            if policy == .never { return .failed }
            return .running
        }
        return .pending
    }
}
