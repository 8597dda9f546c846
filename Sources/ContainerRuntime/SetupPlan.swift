import LinuxSys

/// The setup plan handed to `swiftlet-shim` on fd 3 (format: docs/shim-plan.md).
/// A pure value: `PlanBuilder` makes it from a container spec, golden tests pin its
/// rendering, and the shim applies it between clone3 and execve.
public struct SetupPlan: Sendable, Equatable {
    public enum Directive: Sendable, Equatable {
        case id(String)
        case state(String)
        case log(String)
        case cgroup(String)
        case namespaces([String])
        case joinNamespace(type: String, path: String)
        case rootfs(String)
        case overlay(lower: [String], upper: String, work: String)
        case mount(type: String, source: String, destination: String, flags: [String], data: String)
        case device(path: String, type: Character, major: Int, minor: Int, mode: Int, uid: UInt32, gid: UInt32)
        case symlink(target: String, path: String)
        case masked(String)
        case readonly(String)
        case readonlyRootfs
        case hostname(String)
        case loopbackUp
        case rlimit(name: String, soft: UInt64?, hard: UInt64?)
        case oomScoreAdj(Int)
        case user(uid: UInt32, gid: UInt32)
        case groups([UInt32])
        case cwd(String)
        case env(String)
        case arg(String)
        case caps(bounding: UInt64, effective: UInt64, permitted: UInt64, inheritable: UInt64, ambient: UInt64)
        case noNewPrivileges
        case seccomp(String)
        case tty
        case attach
        case stdin
        case holdPidNamespace
        case grace(Int)

        var fields: [String] {
            switch self {
            case .id(let v): ["id", v]
            case .state(let v): ["state", v]
            case .log(let v): ["log", v]
            case .cgroup(let v): ["cgroup", v]
            case .namespaces(let list): ["namespaces", list.joined(separator: ",")]
            case .joinNamespace(let type, let path): ["joinns", type, path]
            case .rootfs(let v): ["rootfs", v]
            case .overlay(let lower, let upper, let work): ["overlay", lower.joined(separator: ":"), upper, work]
            case .mount(let type, let source, let destination, let flags, let data):
                ["mount", type, source, destination, flags.isEmpty ? "-" : flags.joined(separator: ","), data.isEmpty ? "-" : data]
            case .device(let path, let type, let major, let minor, let mode, let uid, let gid):
                ["device", path, String(type), String(major), String(minor), "0" + String(mode, radix: 8), String(uid), String(gid)]
            case .symlink(let target, let path): ["symlink", target, path]
            case .masked(let v): ["masked", v]
            case .readonly(let v): ["readonly", v]
            case .readonlyRootfs: ["readonly-rootfs"]
            case .hostname(let v): ["hostname", v]
            case .loopbackUp: ["loopback-up"]
            case .rlimit(let name, let soft, let hard):
                ["rlimit", name, soft.map(String.init) ?? "unlimited", hard.map(String.init) ?? "unlimited"]
            case .oomScoreAdj(let v): ["oom-score-adj", String(v)]
            case .user(let uid, let gid): ["user", String(uid), String(gid)]
            case .groups(let gids): ["groups", gids.isEmpty ? "-" : gids.map(String.init).joined(separator: ",")]
            case .cwd(let v): ["cwd", v]
            case .env(let v): ["env", v]
            case .arg(let v): ["arg", v]
            case .caps(let b, let e, let p, let i, let a): ["caps"] + [b, e, p, i, a].map { CapabilitySet(rawValue: $0).hex }
            case .noNewPrivileges: ["no-new-privs"]
            case .seccomp(let v): ["seccomp", v]
            case .tty: ["tty"]
            case .attach: ["attach"]
            case .stdin: ["stdin"]
            case .holdPidNamespace: ["hold"]
            case .grace(let v): ["grace", String(v)]
            }
        }
    }

    public var directives: [Directive]

    public init(_ directives: [Directive]) { self.directives = directives }

    /// The wire text: a version line, then one percent-encoded directive per line.
    public func rendered() -> String {
        var out = "swiftlet-plan 1\n"
        for directive in directives {
            let fields = directive.fields
            out += fields[0]
            for field in fields.dropFirst() { out += " " + SetupPlan.encode(field) }
            out += "\n"
        }
        return out
    }

    /// `%`, space, newline, control bytes and DEL become `%XX`; an empty field is `%`.
    static func encode(_ field: String) -> String {
        if field.isEmpty { return "%" }
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in field.utf8 {
            if byte == UInt8(ascii: "%") || byte <= 0x20 || byte == 0x7f {
                out += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xf)]]
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
