import FoundationEssentials
import Glibc
import LinuxSys

/// A seccomp profile file in the OCI/Docker JSON format (what a pod's `Localhost`
/// profile names, and `--security-opt seccomp=FILE`): `defaultAction`, `defaultErrnoRet`,
/// `architectures` or Docker's `archMap`, and `syscalls` with `names`, `action`,
/// `errnoRet`, `args`, and Docker's `includes`/`excludes` by capability and architecture.
public enum SeccompProfileFile {
    struct Document: Decodable {
        var defaultAction: String
        var defaultErrnoRet: Int32?
        var architectures: [String]?
        var archMap: [ArchMap]?
        var syscalls: [Syscall]?

        struct ArchMap: Decodable {
            var architecture: String
            var subArchitectures: [String]?
        }

        struct Syscall: Decodable {
            var names: [String]?
            var name: String?
            var action: String
            var errnoRet: Int32?
            var args: [Arg]?
            var includes: Filter?
            var excludes: Filter?
        }

        struct Arg: Decodable {
            var index: UInt32
            var value: UInt64
            var valueTwo: UInt64?
            var op: String
        }

        struct Filter: Decodable {
            var caps: [String]?
            var arches: [String]?
        }
    }

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    #if arch(arm64)
    static let native = "SCMP_ARCH_AARCH64", goArch = "arm64"
    #else
    static let native = "SCMP_ARCH_X86_64", goArch = "amd64"
    #endif

    /// Reads and converts the file at `path` for a container with `capabilities`.
    public static func load(_ path: String, capabilities: CapabilitySet) throws -> SeccompProfile {
        do {
            return try profile(Files.read(path), capabilities: capabilities)
        } catch {
            throw RuntimeError.setupFailed("cannot load seccomp profile \"\(path)\": \(error)")
        }
    }

    /// The profile the JSON `bytes` describe; rules whose `includes` the container does
    /// not meet, or whose `excludes` it does, are left out, as Docker does.
    static func profile(_ bytes: [UInt8], capabilities: CapabilitySet) throws -> SeccompProfile {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch {
            throw Invalid(description: "not a seccomp profile in JSON: \(error)")
        }
        let defaultAction = try action(document.defaultAction, errno: document.defaultErrnoRet)
        var arches = document.architectures ?? []
        if arches.isEmpty {
            for entry in document.archMap ?? [] where entry.architecture == native {
                arches = [entry.architecture] + (entry.subArchitectures ?? [])
            }
        }
        if arches.isEmpty { arches = [native] }

        func parse(_ names: [String]?) throws -> [Capability] {
            try (names ?? []).map { name in
                do { return try Capability.parse(name) } catch { throw Invalid(description: "unknown capability \"\(name)\"") }
            }
        }
        func has(_ capability: Capability) -> Bool { capabilities.contains(CapabilitySet([capability])) }

        var rules: [SeccompRule] = []
        for call in document.syscalls ?? [] {
            // Docker's rules: includes need every capability and the arch; excludes any.
            let include = call.includes, exclude = call.excludes
            guard try parse(include?.caps).allSatisfy(has), include?.arches.map({ $0.isEmpty || $0.contains(goArch) }) ?? true,
                  try !parse(exclude?.caps).contains(where: has), !(exclude?.arches ?? []).contains(goArch) else { continue }
            let names = (call.names ?? []) + (call.name.map { [$0] } ?? [])
            guard !names.isEmpty else { throw Invalid(description: "a syscalls entry without names") }
            let args = try (call.args ?? []).map { arg -> SeccompArg in
                guard arg.index < 6 else { throw Invalid(description: "argument index \(arg.index) is out of range 0…5") }
                return SeccompArg(index: arg.index, try condition(arg))
            }
            rules.append(SeccompRule(names: names, action: try action(call.action, errno: call.errnoRet), args: args))
        }
        return SeccompProfile(defaultAction: defaultAction, architectures: try arches.map(architecture), rules: rules)
    }

    static func action(_ name: String, errno: Int32?) throws -> SeccompAction {
        switch name {
        case "SCMP_ACT_ALLOW": .allow
        case "SCMP_ACT_ERRNO": .errno(errno ?? EPERM)
        case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD": .killThread
        case "SCMP_ACT_KILL_PROCESS": .killProcess
        case "SCMP_ACT_TRAP": .trap
        case "SCMP_ACT_LOG": .log
        default: throw Invalid(description: "unsupported action \"\(name)\"")
        }
    }

    static func architecture(_ name: String) throws -> SeccompArch {
        switch name {
        case "SCMP_ARCH_X86_64": .x86_64
        case "SCMP_ARCH_X86": .x86
        case "SCMP_ARCH_X32": .x32
        case "SCMP_ARCH_AARCH64": .aarch64
        case "SCMP_ARCH_ARM": .arm
        default: throw Invalid(description: "unsupported architecture \"\(name)\"")
        }
    }

    static func condition(_ arg: Document.Arg) throws -> SeccompCondition {
        switch arg.op {
        case "SCMP_CMP_NE": .notEqual(arg.value)
        case "SCMP_CMP_LT": .lessThan(arg.value)
        case "SCMP_CMP_LE": .lessEqual(arg.value)
        case "SCMP_CMP_EQ": .equal(arg.value)
        case "SCMP_CMP_GE": .greaterEqual(arg.value)
        case "SCMP_CMP_GT": .greaterThan(arg.value)
        case "SCMP_CMP_MASKED_EQ": .maskedEqual(mask: arg.value, value: arg.valueTwo ?? 0)
        default: throw Invalid(description: "unsupported comparison \"\(arg.op)\"")
        }
    }
}
