import LinuxSys

/// A container as the runtime remembers it: written once at creation to
/// `<root>/containers/<id>/config.json`, so a new swiftlet process finds it again.
public struct ContainerRecord: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var spec: ContainerSpec
    /// The image's normalised name and manifest digest at creation.
    public var imageName: String
    public var imageDigest: String
    public var createdAt: String
    /// Cgroup path relative to the hierarchy's mount point.
    public var cgroup: String
    public var logPath: String
}

/// How a container ended, as the shim wrote it to `state/exit`.
public struct ExitStatus: Sendable, Equatable {
    /// The exit code, or 128 + signal when a signal ended the container.
    public var code: Int32
    public var signal: Int32
    public var oomKilled: Bool
    public var finishedAt: String

    /// Parses the shim's `state/exit` file.
    public static func parse(_ text: String) -> ExitStatus? {
        let fields = stateFields(text)
        guard let code = fields["code"].flatMap({ Int32($0) }) else { return nil }
        return ExitStatus(code: code, signal: fields["signal"].flatMap { Int32($0) } ?? 0,
                          oomKilled: fields["oom"] == "1", finishedAt: fields["finished"] ?? "")
    }

    /// Kubernetes' reason for a terminated container.
    public var reason: String {
        if oomKilled { return "OOMKilled" }
        return code == 0 ? "Completed" : "Error"
    }
}

public enum ContainerStatus: Sendable, Equatable {
    case running(pid: Int32, startedAt: String)
    case exited(ExitStatus)
    /// Neither running nor exited cleanly: the state was lost (a reboot, a killed shim).
    case unknown

    public var summary: String {
        switch self {
        case .running: "Running"
        case .exited(let e): "Exited (\(e.code))" + (e.oomKilled ? " OOMKilled" : "")
        case .unknown: "Unknown"
        }
    }
}

/// The `key value` lines of the shim's state files (`pid`, `exit`; docs/shim-plan.md).
func stateFields(_ text: String) -> [String: String] {
    var out: [String: String] = [:]
    for line in text.split(separator: "\n") {
        guard let space = line.firstIndex(of: " ") else { continue }
        out[String(line[..<space])] = String(line[line.index(after: space)...])
    }
    return out
}
