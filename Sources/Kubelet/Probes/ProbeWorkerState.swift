import KubeAPI

/// A probe's settings with upstream's defaults applied (API defaulting does the same for
/// pods from the API server; static pods reach the kubelet undefaulted).
public struct ProbeSettings: Hashable, Sendable {
    public var initialDelaySeconds: Int32
    public var periodSeconds: Int32
    public var timeoutSeconds: Int32
    public var successThreshold: Int32
    public var failureThreshold: Int32

    public init(_ probe: Probe, kind: ProbeKind) {
        initialDelaySeconds = max(probe.initialDelaySeconds ?? 0, 0)
        periodSeconds = Self.positive(probe.periodSeconds, default: 10)
        timeoutSeconds = Self.positive(probe.timeoutSeconds, default: 1)
        // Validation rejects anything but 1 for liveness and startup: a container that has
        // started (or is alive) once is not un-started by needing more successes.
        successThreshold = kind == .readiness ? Self.positive(probe.successThreshold, default: 1) : 1
        failureThreshold = Self.positive(probe.failureThreshold, default: 3)
    }

    public var timeout: Duration { .seconds(Int64(timeoutSeconds)) }

    private static func positive(_ value: Int32?, default fallback: Int32) -> Int32 {
        guard let value, value > 0 else { return fallback }
        return value
    }
}

/// The result the kubelet acts on (upstream's results.Result): readiness feeds the
/// container's `ready`, liveness failure restarts it, startup success un-gates the others.
public enum ProbeStatus: String, Sendable {
    case success, failure, unknown
}

/// What `record` and the container events did to the published result.
public struct ProbeUpdate: Equatable, Sendable {
    /// nil while the worker knows no container.
    public let result: ProbeStatus?
    public let changed: Bool
}

/// One container's probe of one kind, as upstream's prober worker (pkg/kubelet/prober/
/// worker.go), without I/O or clock reads: the caller runs the prober when `nextDue` says
/// and feeds results and container events in, with the time they happened.
public struct ProbeWorkerState: Sendable {
    public typealias Instant = ContinuousClock.Instant

    public let kind: ProbeKind
    public let settings: ProbeSettings
    public private(set) var result: ProbeStatus?
    public private(set) var containerID: String?

    private var startedAt: Instant?
    private var running = false
    /// Liveness or startup failed: no more probing until the next container.
    private var onHold = false
    /// The pod is being deleted (liveness, startup): probing is over.
    private var stopped = false
    private var lastResultWasSuccess: Bool?
    private var resultRun = 0
    private var lastProbeAt: Instant?

    public init(kind: ProbeKind, probe: Probe) {
        self.kind = kind
        settings = ProbeSettings(probe, kind: kind)
    }

    /// Upstream's initial values: not ready until a probe says so, alive until a probe says
    /// otherwise, and startup undecided.
    public var initialResult: ProbeStatus {
        switch kind {
        case .readiness: .failure
        case .liveness: .success
        case .startup: .unknown
        }
    }

    /// Upstream's ContainerStatus.Started, which gates liveness and readiness: true when
    /// the container has no startup probe or its startup probe has succeeded.
    public static func containerStarted(startup: ProbeWorkerState?) -> Bool {
        guard let startup else { return true }
        return startup.result == .success
    }

    /// The container `id` is running since `startedAt`. A new id is a restarted container:
    /// the result goes back to its initial value and probing resumes. Unlike upstream, the
    /// run of equal results restarts too, so thresholds count one container's results only.
    @discardableResult
    public mutating func containerRunning(id: String, startedAt: Instant) -> ProbeUpdate {
        let previous = result
        if id != containerID { adopt(id) }
        self.startedAt = startedAt
        running = true
        return publish(result ?? initialResult, changedFrom: previous)
    }

    /// The container exited (or waits to be restarted): every kind reports failure.
    @discardableResult
    public mutating func containerNotRunning(id: String) -> ProbeUpdate {
        let previous = result
        if id != containerID { adopt(id) }
        running = false
        startedAt = nil
        return publish(.failure, changedFrom: previous)
    }

    private mutating func adopt(_ id: String) {
        containerID = id
        result = initialResult
        onHold = false
        lastResultWasSuccess = nil
        resultRun = 0
        lastProbeAt = nil
    }

    /// The pod is being deleted: liveness and startup report success (so that nothing
    /// restarts a container that is shutting down) and stop; readiness keeps probing.
    @discardableResult
    public mutating func podDeleting() -> ProbeUpdate {
        guard kind != .readiness, running else { return ProbeUpdate(result: result, changed: false) }
        stopped = true
        return publish(.success, changedFrom: result)
    }

    /// When the next probe should start: at or after `now`, or nil while none should run
    /// (no running container, on hold after a liveness or startup failure, gated by or done
    /// with startup). The first probe is due `initialDelaySeconds` after the container
    /// started, later ones `periodSeconds` after the previous one started.
    public func nextDue(after now: Instant, containerStarted: Bool) -> Instant? {
        guard running, !onHold, !stopped, let startedAt else { return nil }
        // Startup stops once the container has started; the others wait for it.
        if (kind == .startup) == containerStarted { return nil }
        let initialDelay = Duration.seconds(Int64(settings.initialDelaySeconds))
        let period = Duration.seconds(Int64(settings.periodSeconds))
        var due: Instant = startedAt.advanced(by: initialDelay)
        if let lastProbeAt {
            let periodAfterLast: Instant = lastProbeAt.advanced(by: period)
            if periodAfterLast > due { due = periodAfterLast }
        }
        return due > now ? due : now
    }

    /// Whether a probe should start at `now`.
    public func isDue(at now: Instant, containerStarted: Bool) -> Bool {
        nextDue(after: now, containerStarted: containerStarted) == now
    }

    /// Records the result of the probe that started at `startedAt`. The published result
    /// flips only after `failureThreshold` failures or `successThreshold` successes in a
    /// row; an `unknown` result (the prober erred) is thrown away, as upstream does.
    @discardableResult
    public mutating func record(_ probeResult: ProbeResult, at startedAt: Instant) -> ProbeUpdate {
        guard running, !onHold, !stopped else { return ProbeUpdate(result: result, changed: false) }
        lastProbeAt = startedAt
        guard let success = probeResult.isSuccess else { return ProbeUpdate(result: result, changed: false) }
        if lastResultWasSuccess == success {
            resultRun += 1
        } else {
            lastResultWasSuccess = success
            resultRun = 1
        }
        let threshold = Int(success ? settings.successThreshold : settings.failureThreshold)
        guard resultRun >= threshold else { return ProbeUpdate(result: result, changed: false) }
        let update = publish(success ? .success : .failure, changedFrom: result)
        if kind != .readiness, !success {
            // The container will be restarted; probing it meanwhile only races its teardown.
            onHold = true
            resultRun = 0
        }
        return update
    }

    private mutating func publish(_ new: ProbeStatus, changedFrom old: ProbeStatus?) -> ProbeUpdate {
        result = new
        return ProbeUpdate(result: new, changed: new != old)
    }
}
