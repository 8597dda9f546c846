import ContainerRuntime
import Foundation
import KubeAPI

/// Runs the startup, liveness and readiness probes of running containers, each on its
/// own schedule (`ProbeWorkerState`), from the host's network namespace against the pod
/// IP as upstream does (exec probes inside the container). A result that changes wakes
/// the pod's worker through `onChange`. Pod workers tell it which containers run
/// (`track`/`forget`) and read the results (`readiness`, `started`, `failure`).
final class ProbeManager: @unchecked Sendable {
    struct Target {
        var record: ContainerRecord
        var container: Container
        var podIP: String?
        var podFullName: String
        var states: [ProbeKind: ProbeWorkerState]
        var inFlight: Set<ProbeKind> = []
        /// Why the last failing liveness/startup result failed.
        var failureMessage: [ProbeKind: String] = [:]
    }

    private let runtime: Runtime
    private let onChange: @Sendable (String) -> Void
    private let log: @Sendable (String) -> Void
    private let lock = NSLock()
    private var targets: [String: Target] = [:]
    private let probing = DispatchQueue(label: "probes", attributes: .concurrent)
    private var timer: DispatchSourceTimer?

    init(runtime: Runtime, onChange: @escaping @Sendable (String) -> Void, log: @escaping @Sendable (String) -> Void) {
        self.runtime = runtime
        self.onChange = onChange
        self.log = log
    }

    /// Checks every 50 ms which probes are due (periods are whole seconds).
    func start() {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "probe-schedule"))
        timer.schedule(deadline: .now(), repeating: .milliseconds(50))
        timer.setEventHandler { [weak self] in self?.runDue() }
        timer.resume()
        self.timer = timer
    }

    func stop() {
        timer?.cancel()
        timer = nil
    }

    /// A running container (called on every sync; cheap when nothing changed).
    func track(_ record: ContainerRecord, container: Container, podIP: String?, podFullName: String, startedAt: Date) {
        let probes: [(ProbeKind, Probe?)] = [(.startup, container.startupProbe), (.liveness, container.livenessProbe),
                                             (.readiness, container.readinessProbe)]
        guard probes.contains(where: { $0.1 != nil }) else { return }
        lock.lock()
        defer { lock.unlock() }
        if targets[record.id] != nil { return }
        var states: [ProbeKind: ProbeWorkerState] = [:]
        let started = ContinuousClock.now.advanced(by: .milliseconds(Int64(startedAt.timeIntervalSinceNow * 1000)))
        for case let (kind, probe?) in probes {
            var state = ProbeWorkerState(kind: kind, probe: probe)
            state.containerRunning(id: record.id, startedAt: started)
            states[kind] = state
        }
        targets[record.id] = Target(record: record, container: container, podIP: podIP, podFullName: podFullName, states: states)
    }

    /// A container that no longer runs.
    func forget(_ id: String) {
        lock.lock()
        targets[id] = nil
        lock.unlock()
    }

    /// Ready: running and its readiness probe (if any) succeeded, after startup (if any).
    func readiness(_ id: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let target = targets[id] else { return true }
        guard ProbeWorkerState.containerStarted(startup: target.states[.startup]) else { return false }
        return target.states[.readiness].map { $0.result == .success } ?? true
    }

    /// Started: its startup probe (if any) succeeded.
    func started(_ id: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let target = targets[id] else { return true }
        return ProbeWorkerState.containerStarted(startup: target.states[.startup])
    }

    /// Why the container must be restarted (a failed liveness or startup probe), if it must.
    func failure(_ id: String) -> (kind: ProbeKind, message: String)? {
        lock.lock()
        defer { lock.unlock() }
        guard let target = targets[id] else { return nil }
        for kind in [ProbeKind.startup, .liveness] where target.states[kind]?.result == .failure {
            return (kind, target.failureMessage[kind] ?? "")
        }
        return nil
    }

    private func runDue() {
        let now = ContinuousClock.now
        var due: [(String, ProbeKind, Target)] = []
        lock.lock()
        for (id, target) in targets {
            let started = ProbeWorkerState.containerStarted(startup: target.states[.startup])
            for (kind, state) in target.states where !target.inFlight.contains(kind)
                && state.isDue(at: now, containerStarted: started) {
                targets[id]?.inFlight.insert(kind)
                due.append((id, kind, target))
            }
        }
        lock.unlock()
        for (id, kind, target) in due {
            probing.async { [self] in
                let began = ContinuousClock.now
                let probe = [ProbeKind.startup: target.container.startupProbe, .liveness: target.container.livenessProbe,
                             .readiness: target.container.readinessProbe][kind]!!
                let result = run(probe, target: target)
                lock.lock()
                targets[id]?.inFlight.remove(kind)
                let update = targets[id]?.states[kind]?.record(result, at: began)
                if result.isSuccess == false { targets[id]?.failureMessage[kind] = result.message }
                lock.unlock()
                if result.isSuccess == false {
                    log("pod \(target.podFullName): \(kind.rawValue) probe failed for container \(target.container.name): \(result.message)")
                }
                if update?.changed == true { onChange(target.podFullName) }
            }
        }
    }

    private func run(_ probe: Probe, target: Target) -> ProbeResult {
        let settings = ProbeSettings(probe, kind: .readiness)
        let timeout = settings.timeout
        let host = target.podIP ?? "127.0.0.1"
        if let exec = probe.exec {
            let command = exec.command ?? []
            do {
                let (exit, output) = try LifecycleHooks.execCapturingOutput(target.record, command, runtime: runtime,
                                                                            timeout: Double(settings.timeoutSeconds))
                return exit.code == 0 ? .success : .failure(output.isEmpty ? "command \(goQuote(command.joined(separator: " "))) exited with \(exit.code)" : output)
            } catch RuntimeError.execTimedOut {
                return .failure("command \(goQuote(command.joined(separator: " "))) timed out")
            } catch {
                return .unknown("\(error)")
            }
        }
        if let http = probe.httpGet {
            return HTTPProber.probe(http, podIP: host, containerPorts: target.container.ports, timeout: timeout)
        }
        if let tcp = probe.tcpSocket {
            switch resolveContainerPort(tcp.port, in: target.container.ports) {
            case .success(let port): return TCPProber.probe(host: tcp.host ?? host, port: port, timeout: timeout)
            case .failure(let error): return .unknown(error.description)
            }
        }
        if let grpc = probe.grpc {
            return GRPCProber.probe(host: host, port: Int(grpc.port), service: grpc.service ?? "", timeout: timeout)
        }
        return .unknown("probe has no handler")
    }
}
