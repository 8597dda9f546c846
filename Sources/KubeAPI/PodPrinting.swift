import Foundation

/// The columns `kubectl get pods -o wide` shows, computed as kubectl's printPod does
/// (pkg/printers/internalversion/printers.go), so a pod reads the same in `swiftlet pods`
/// and, later, in the API server's Table responses.
public struct PodRow: Equatable, Sendable {
    public var name: String
    public var ready: String
    public var status: String
    public var restarts: String
    public var age: String
    public var ip: String
    public var node: String

    public init(_ pod: Pod, now: Time) {
        let status = pod.status ?? PodStatus()
        let initContainers = Dictionary((pod.spec.initContainers ?? []).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var restarts = 0, sidecarRestarts = 0
        var totalContainers = pod.spec.containers.count
        var readyContainers = 0
        var lastRestart: Time?, lastSidecarRestart: Time?
        var reason = status.reason ?? status.phase?.rawValue ?? ""

        for container in status.initContainerStatuses ?? [] where initContainers[container.name]?.isSidecar == true {
            totalContainers += 1
        }
        var initializing = false
        for (i, container) in (status.initContainerStatuses ?? []).enumerated() {
            restarts += Int(container.restartCount)
            let finished = container.lastState.terminated?.finishedAt
            if let finished, lastRestart.map({ finished > $0 }) ?? true { lastRestart = finished }
            let sidecar = initContainers[container.name]?.isSidecar == true
            if sidecar {
                sidecarRestarts += Int(container.restartCount)
                if let finished, lastSidecarRestart.map({ finished > $0 }) ?? true { lastSidecarRestart = finished }
            }
            if let terminated = container.state.terminated, terminated.exitCode == 0 { continue }
            if sidecar, container.started == true {
                if container.ready { readyContainers += 1 }
                continue
            }
            if let terminated = container.state.terminated {
                if let r = terminated.reason, !r.isEmpty {
                    reason = "Init:" + r
                } else if let signal = terminated.signal, signal != 0 {
                    reason = "Init:Signal:\(signal)"
                } else {
                    reason = "Init:ExitCode:\(terminated.exitCode)"
                }
            } else if let waiting = container.state.waiting, let r = waiting.reason, !r.isEmpty, r != "PodInitializing" {
                reason = "Init:" + r
            } else {
                reason = "Init:\(i)/\((pod.spec.initContainers ?? []).count)"
            }
            initializing = true
            break
        }
        let initialized = status.conditions?.contains { $0.type == .initialized && $0.status == .true } ?? false
        if !initializing || initialized {
            restarts = sidecarRestarts
            lastRestart = lastSidecarRestart
            var hasRunning = false
            for container in (status.containerStatuses ?? []).reversed() {
                restarts += Int(container.restartCount)
                if let finished = container.lastState.terminated?.finishedAt, lastRestart.map({ finished > $0 }) ?? true {
                    lastRestart = finished
                }
                if let r = container.state.waiting?.reason, !r.isEmpty {
                    reason = r
                } else if let terminated = container.state.terminated {
                    if let r = terminated.reason, !r.isEmpty {
                        reason = r
                    } else if let signal = terminated.signal, signal != 0 {
                        reason = "Signal:\(signal)"
                    } else {
                        reason = "ExitCode:\(terminated.exitCode)"
                    }
                } else if container.ready, container.state.running != nil {
                    hasRunning = true
                    readyContainers += 1
                }
            }
            if reason == "Completed", hasRunning {
                reason = status.conditions?.contains { $0.type == .ready && $0.status == .true } == true ? "Running" : "NotReady"
            }
        }
        if pod.metadata.deletionTimestamp != nil {
            reason = status.reason == "NodeLost" ? "Unknown" : (status.phase == .succeeded || status.phase == .failed ? reason : "Terminating")
        }
        name = pod.metadata.name ?? ""
        ready = "\(readyContainers)/\(totalContainers)"
        self.status = reason
        self.restarts = lastRestart.map { "\(restarts) (\(humanDuration(now.secondsSince1970 - $0.secondsSince1970)) ago)" } ?? "\(restarts)"
        age = pod.metadata.creationTimestamp.map { humanDuration(now.secondsSince1970 - $0.secondsSince1970) } ?? "<unknown>"
        ip = status.podIP.flatMap { $0.isEmpty ? nil : $0 } ?? "<none>"
        node = pod.spec.nodeName.flatMap { $0.isEmpty ? nil : $0 } ?? "<none>"
    }
}

/// Upstream's `translateTimestampSince`: how long ago an RFC 3339 timestamp was, as
/// HumanDuration prints it; `<unknown>` for none.
public func translateTimestampSince(_ timestamp: String?, now: Date = Date()) -> String {
    // A MicroTime (an event's eventTime) has microseconds; whole seconds are all an age needs.
    guard let timestamp, let date = ISO8601DateFormatter().date(from: timestamp.replacing(#/\.[0-9]+/#, with: "")) else { return "<unknown>" }
    return humanDuration(max(0, now.timeIntervalSince(date)))
}

/// apimachinery's duration.HumanDuration: `45s`, `2m5s`, `3h4m`, `5d`, `2y30d`.
public func humanDuration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded(.towardZero))
    if s < -1 { return "<invalid>" }
    if s < 0 { return "0s" }
    if s < 120 { return "\(s)s" }
    let minutes = s / 60
    if minutes < 10 { return s % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(s % 60)s" }
    if minutes < 180 { return "\(minutes)m" }
    let hours = s / 3600
    if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
    if hours < 48 { return "\(hours)h" }
    if hours < 24 * 8 { return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h" }
    if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
    if hours < 24 * 365 * 8 {
        let days = (hours / 24) % 365
        return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
    }
    return "\(hours / 24 / 365)y"
}
