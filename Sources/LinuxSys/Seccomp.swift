import CLinux
import CSeccomp
import Glibc

// Seccomp profiles as values (OCI's LinuxSeccomp, reduced to what Swiftlet uses),
// compiled with libseccomp into the classic-BPF `struct sock_filter[]` that the shim
// loads with seccomp(SECCOMP_SET_MODE_FILTER) right before execve.

/// What a seccomp rule (or the profile's default) does with a matching call.
public enum SeccompAction: Hashable, Sendable, CustomStringConvertible {
    case allow
    /// The call fails with this errno (EPERM, ENOSYS, …) without running.
    case errno(Int32)
    case killThread
    case killProcess
    case trap
    /// Allowed, and logged by the kernel.
    case log

    /// libseccomp's action value (SCMP_ACT_*).
    public var libseccompValue: UInt32 {
        switch self {
        case .allow: return 0x7fff_0000
        case .errno(let e): return 0x0005_0000 | (UInt32(truncatingIfNeeded: e) & 0xffff)
        case .killThread: return 0x0000_0000
        case .killProcess: return 0x8000_0000
        case .trap: return 0x0003_0000
        case .log: return 0x7ffc_0000
        }
    }

    public var description: String {
        switch self {
        case .allow: return "allow"
        case .errno(let e): return "errno(\(e))"
        case .killThread: return "kill-thread"
        case .killProcess: return "kill-process"
        case .trap: return "trap"
        case .log: return "log"
        }
    }
}

/// A comparison of one syscall argument (OCI's `op`, `value`, `valueTwo`).
public enum SeccompCondition: Hashable, Sendable {
    case notEqual(UInt64)
    case lessThan(UInt64)
    case lessEqual(UInt64)
    case equal(UInt64)
    case greaterEqual(UInt64)
    case greaterThan(UInt64)
    /// `(arg & mask) == value` (OCI: `SCMP_CMP_MASKED_EQ`, value = mask, valueTwo = value).
    case maskedEqual(mask: UInt64, value: UInt64)
}

public struct SeccompArg: Hashable, Sendable, CustomStringConvertible {
    /// 0…5.
    public var index: UInt32
    public var condition: SeccompCondition

    public init(index: UInt32, _ condition: SeccompCondition) {
        self.index = index
        self.condition = condition
    }

    public var description: String {
        func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
        let a = "arg\(index)"
        switch condition {
        case .notEqual(let v): return "\(a)!=\(hex(v))"
        case .lessThan(let v): return "\(a)<\(hex(v))"
        case .lessEqual(let v): return "\(a)<=\(hex(v))"
        case .equal(let v): return "\(a)==\(hex(v))"
        case .greaterEqual(let v): return "\(a)>=\(hex(v))"
        case .greaterThan(let v): return "\(a)>\(hex(v))"
        case .maskedEqual(let m, let v): return "\(a)&\(hex(m))==\(hex(v))"
        }
    }

    var libseccompValue: scmp_arg_cmp {
        var cmp = scmp_arg_cmp()
        cmp.arg = index
        switch condition {
        case .notEqual(let v): cmp.op = SCMP_CMP_NE; cmp.datum_a = v
        case .lessThan(let v): cmp.op = SCMP_CMP_LT; cmp.datum_a = v
        case .lessEqual(let v): cmp.op = SCMP_CMP_LE; cmp.datum_a = v
        case .equal(let v): cmp.op = SCMP_CMP_EQ; cmp.datum_a = v
        case .greaterEqual(let v): cmp.op = SCMP_CMP_GE; cmp.datum_a = v
        case .greaterThan(let v): cmp.op = SCMP_CMP_GT; cmp.datum_a = v
        case .maskedEqual(let m, let v): cmp.op = SCMP_CMP_MASKED_EQ; cmp.datum_a = m; cmp.datum_b = v
        }
        return cmp
    }
}

/// One OCI `syscalls` entry: these names, under these argument conditions (all must
/// hold; several conditions on the same argument are separate rules, as in runc),
/// take this action.
public struct SeccompRule: Hashable, Sendable {
    public var names: [String]
    public var action: SeccompAction
    public var args: [SeccompArg]

    public init(names: [String], action: SeccompAction, args: [SeccompArg] = []) {
        self.names = names
        self.action = action
        self.args = args
    }

    public init(allow names: [String], args: [SeccompArg] = []) {
        self.init(names: names, action: .allow, args: args)
    }
}

/// A syscall ABI a filter covers (libseccomp's names).
public enum SeccompArch: String, Hashable, Sendable, CaseIterable {
    case x86_64, x86, x32, aarch64, arm
}

/// A whole seccomp profile. Unconfined is not a profile: it is the absence of one.
public struct SeccompProfile: Hashable, Sendable {
    public var defaultAction: SeccompAction
    public var architectures: [SeccompArch]
    public var rules: [SeccompRule]
    /// Calls numbered above every call the profile names (on each ABI, as this host's
    /// libseccomp knows them) fail with ENOSYS instead of the default action, as runc
    /// arranges: a libc that tries a syscall newer than the profile (fchmodat2, …) then
    /// falls back instead of failing with EPERM. Only with a denying default action.
    public var enosysForNewerSyscalls: Bool

    public init(defaultAction: SeccompAction, architectures: [SeccompArch], rules: [SeccompRule],
                enosysForNewerSyscalls: Bool = true) {
        self.defaultAction = defaultAction
        self.architectures = architectures
        self.rules = rules
        self.enosysForNewerSyscalls = enosysForNewerSyscalls
    }

    /// A deterministic text form: what the cache key hashes, and readable in a diff.
    public var canonicalText: String {
        var lines = ["swiftlet-seccomp-profile 1", "default \(defaultAction)"]
        lines.append("arch " + architectures.map(\.rawValue).joined(separator: " "))
        lines.append("enosys-newer \(enosysForNewerSyscalls ? 1 : 0)")
        for rule in rules {
            var line = "rule \(rule.action)"
            if !rule.args.isEmpty { line += " if " + rule.args.map(\.description).joined(separator: ",") }
            line += ": " + rule.names.joined(separator: " ")
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Compiles profiles with libseccomp (ContainerRuntime's SeccompCache keeps the results).
public enum SeccompCompiler {
    /// The libseccomp this binary runs with, e.g. `2.5.4`.
    public static var libseccompVersion: String {
        guard let v = seccomp_version() else { return "unknown" }
        return "\(v.pointee.major).\(v.pointee.minor).\(v.pointee.micro)"
    }

    /// Compiles `profile` to the bytes of a `struct sock_filter[]` (8 bytes per
    /// instruction, host byte order), ready for seccomp(SECCOMP_SET_MODE_FILTER).
    /// Syscall names this libseccomp does not know are skipped; so are rules whose
    /// action is the default action (libseccomp refuses them; they change nothing).
    public static func compile(_ profile: SeccompProfile) throws -> [UInt8] {
        guard let ctx = seccomp_init(profile.defaultAction.libseccompValue) else {
            throw SystemError("seccomp_init", nil, errno: ENOMEM)
        }
        defer { seccomp_release(ctx) }
        // A binary search over syscall numbers instead of a linear list of ~400 checks.
        try scmp("seccomp_attr_set optimize") { seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) }

        var tokens: [(SeccompArch, UInt32)] = []
        for arch in profile.architectures {
            let token = seccomp_arch_resolve_name(arch.rawValue)
            guard token != 0 else { throw SystemError("seccomp_arch_resolve_name", arch.rawValue, errno: EINVAL) }
            tokens.append((arch, token))
            if seccomp_arch_exist(ctx, token) != 0 {
                try scmp("seccomp_arch_add", arch.rawValue) { seccomp_arch_add(ctx, token) }
            }
        }
        // seccomp_init added the native ABI; a profile that does not name it excludes it.
        let native = seccomp_arch_native()
        if !tokens.contains(where: { $0.1 == native }) {
            try scmp("seccomp_arch_remove") { seccomp_arch_remove(ctx, native) }
        }

        for rule in profile.rules where rule.action != profile.defaultAction {
            // Several conditions on one argument cannot be ANDed by libseccomp: like runc,
            // add each condition as a rule of its own (an OR).
            let indexes = rule.args.map(\.index)
            let conditionSets: [[SeccompArg]] =
                Set(indexes).count == indexes.count ? [rule.args] : rule.args.map { [$0] }
            for name in rule.names {
                let number = seccomp_syscall_resolve_name(name)
                if number == __NR_SCMP_ERROR { continue }  // unknown to this libseccomp
                for conditions in conditionSets {
                    let cmps = conditions.map(\.libseccompValue)
                    let rc = cmps.withUnsafeBufferPointer { buf in
                        seccomp_rule_add_array(ctx, rule.action.libseccompValue, number,
                                               UInt32(buf.count), buf.baseAddress)
                    }
                    // -EDOM/-EINVAL for a pseudo syscall that exists on none of our ABIs.
                    if rc < 0, number < 0 { continue }
                    try scmp("seccomp_rule_add \(name)") { rc }
                }
            }
        }

        let exported = try export(ctx)
        guard profile.enosysForNewerSyscalls, profile.defaultAction != .allow, profile.defaultAction != .log else {
            return exported
        }
        return enosysStub(profile: profile, tokens: tokens) + exported
    }

    private static func export(_ ctx: scmp_filter_ctx) throws -> [UInt8] {
        let fd = FileDescriptor(
            raw: try sys("memfd_create", "seccomp") { swl_memfd_create("swiftlet-seccomp", 1 /* MFD_CLOEXEC */) },
            name: "memfd:swiftlet-seccomp")
        try scmp("seccomp_export_bpf") { seccomp_export_bpf(ctx, fd.raw) }
        try sys("lseek", fd.name) { lseek(fd.raw, 0, SEEK_SET) }
        let bytes = try fd.readAll()
        guard !bytes.isEmpty, bytes.count % 8 == 0 else {
            throw SystemError("seccomp_export_bpf", "\(bytes.count) bytes", errno: EINVAL)
        }
        return bytes
    }

    /// A prologue that returns ENOSYS for calls numbered above the highest the profile
    /// names on that ABI, then falls through to libseccomp's program (which starts over
    /// by loading the arch). Classic BPF jumps only forward and relative, so prepending
    /// leaves libseccomp's program valid. x32 calls (bit 30 on AUDIT_ARCH_X86_64) and
    /// ABIs other than x86_64/x86/aarch64/arm pass through untouched.
    private static func enosysStub(profile: SeccompProfile, tokens: [(SeccompArch, UInt32)]) -> [UInt8] {
        let names = Set(profile.rules.flatMap(\.names))
        var blocks: [(audit: UInt32, max: UInt32, x32Bit: Bool)] = []
        for (arch, token) in tokens where [.x86_64, .x86, .aarch64, .arm].contains(arch) {
            let numbers = names.map { seccomp_syscall_resolve_name_arch(token, $0) }.filter { $0 >= 0 }
            guard let max = numbers.max() else { continue }
            // libseccomp's token for these ABIs is the kernel's AUDIT_ARCH_* value.
            blocks.append((token, UInt32(max), arch == .x86_64))
        }
        if blocks.isEmpty { return [] }

        let ldAbsW: UInt16 = 0x20, jeq: UInt16 = 0x15, jgt: UInt16 = 0x25, jset: UInt16 = 0x45
        let ja: UInt16 = 0x05, retK: UInt16 = 0x06
        // Layout: ld arch; per ABI [jeq arch; ld nr; (jset x32); jgt max]; ja prog; ret ENOSYS; prog.
        let blockSizes = blocks.map { $0.x32Bit ? 4 : 3 }
        let total = 1 + blockSizes.reduce(0, +) + 2
        let enosysAt = total - 1, programAt = total
        var insns: [(UInt16, UInt8, UInt8, UInt32)] = [(ldAbsW, 0, 0, 4)]
        for (block, size) in zip(blocks, blockSizes) {
            let at = insns.count
            let next = at + size
            insns.append((jeq, 0, UInt8(next - (at + 1)), block.audit))
            insns.append((ldAbsW, 0, 0, 0))
            if block.x32Bit {
                let here = insns.count
                insns.append((jset, UInt8(programAt - (here + 1)), 0, 0x4000_0000))
            }
            let here = insns.count
            insns.append((jgt, UInt8(enosysAt - (here + 1)), UInt8(programAt - (here + 1)), block.max))
        }
        insns.append((ja, 0, 0, UInt32(programAt - (insns.count + 1))))
        insns.append((retK, 0, 0, SeccompAction.errno(ENOSYS).libseccompValue))
        precondition(insns.count == total)

        var bytes: [UInt8] = []
        bytes.reserveCapacity(insns.count * 8)
        for (code, jt, jf, k) in insns {
            withUnsafeBytes(of: code) { bytes.append(contentsOf: $0) }
            bytes.append(jt)
            bytes.append(jf)
            withUnsafeBytes(of: k) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// libseccomp returns `-errno`.
    @discardableResult
    private static func scmp(_ operation: String, _ path: String? = nil, _ call: () -> Int32) throws -> Int32 {
        let rc = call()
        if rc < 0 { throw SystemError(operation, path, errno: -rc) }
        return rc
    }
}

/// A readable listing of a classic-BPF seccomp program (`struct sock_filter[]` bytes),
/// one instruction a line: `0003: jeq #0xc000003e jt 4 jf 9` (targets are absolute).
public func disassembleSeccompBPF(_ bytes: [UInt8]) -> String {
    var lines: [String] = []
    let count = bytes.count / 8
    for i in 0..<count {
        let b = Array(bytes[(i * 8)..<(i * 8 + 8)])
        let code = UInt16(b[0]) | UInt16(b[1]) << 8
        let jt = Int(b[2]), jf = Int(b[3])
        let k = UInt32(b[4]) | UInt32(b[5]) << 8 | UInt32(b[6]) << 16 | UInt32(b[7]) << 24
        let hexK = "0x" + String(k, radix: 16)
        let at = String(repeating: "0", count: max(0, 4 - String(i).count)) + String(i)
        let text: String
        switch code {
        case 0x20: text = "ld [\(k)]"
        case 0x00: text = "ld #\(hexK)"
        case 0x15: text = "jeq #\(hexK) jt \(i + 1 + jt) jf \(i + 1 + jf)"
        case 0x25: text = "jgt #\(hexK) jt \(i + 1 + jt) jf \(i + 1 + jf)"
        case 0x35: text = "jge #\(hexK) jt \(i + 1 + jt) jf \(i + 1 + jf)"
        case 0x45: text = "jset #\(hexK) jt \(i + 1 + jt) jf \(i + 1 + jf)"
        case 0x05: text = "ja \(i + 1 + Int(k))"
        case 0x06: text = "ret #\(hexK)"
        case 0x54: text = "and #\(hexK)"
        case 0x02: text = "st M[\(k)]"
        case 0x60: text = "ld M[\(k)]"
        default: text = "op 0x\(String(code, radix: 16)) jt \(jt) jf \(jf) k \(hexK)"
        }
        lines.append("\(at): \(text)")
    }
    return lines.joined(separator: "\n")
}
