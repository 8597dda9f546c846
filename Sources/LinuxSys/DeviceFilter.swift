import CLinux
import Glibc

// The cgroup v2 device controller is an eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE)
// attached to the cgroup: the kernel runs it on every open(2) and mknod(2) of a device
// node by a task in the cgroup, with a `struct bpf_cgroup_dev_ctx`
//   { u32 access_type /* (BPF_DEVCG_ACC_* << 16) | BPF_DEVCG_DEV_* */; u32 major; u32 minor; }
// and allows the access when it returns 1. Swiftlet builds the program as a value
// (`DeviceFilter.program(_:)`), so its instructions are tested without a kernel.

/// Which device nodes a rule covers.
public enum DeviceType: String, Hashable, Sendable {
    case char = "c"
    case block = "b"
    case all = "a"

    /// BPF_DEVCG_DEV_BLOCK = 1, BPF_DEVCG_DEV_CHAR = 2.
    var bpfValue: Int32? {
        switch self {
        case .block: return 1
        case .char: return 2
        case .all: return nil
        }
    }
}

/// `r`, `w`, `m` as the kernel's BPF_DEVCG_ACC_* bits.
public struct DeviceAccess: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let mknod = DeviceAccess(rawValue: 1)  // BPF_DEVCG_ACC_MKNOD
    public static let read = DeviceAccess(rawValue: 2)   // BPF_DEVCG_ACC_READ
    public static let write = DeviceAccess(rawValue: 4)  // BPF_DEVCG_ACC_WRITE
    public static let rwm: DeviceAccess = [.read, .write, .mknod]

    /// `rwm`, `r`, `m`, … (letters in any order); nil for anything else or empty.
    public init?(_ text: String) {
        var access: DeviceAccess = []
        for ch in text {
            switch ch {
            case "r": access.insert(.read)
            case "w": access.insert(.write)
            case "m": access.insert(.mknod)
            default: return nil
            }
        }
        if access.isEmpty { return nil }
        self = access
    }

    public var description: String {
        (contains(.read) ? "r" : "") + (contains(.write) ? "w" : "") + (contains(.mknod) ? "m" : "")
    }
}

/// One allow rule of a device cgroup, written as in cgroup v1's `devices.allow`:
/// `c 1:3 rwm`, `b *:* m`, `c 136:* rwm`, `a *:* rwm`.
public struct DeviceRule: Hashable, Sendable, CustomStringConvertible {
    public var type: DeviceType
    /// nil: any major (0…4095).
    public var major: Int?
    /// nil: any minor (0…1048575).
    public var minor: Int?
    public var access: DeviceAccess

    public init(type: DeviceType, major: Int?, minor: Int?, access: DeviceAccess) {
        self.type = type
        self.major = major
        self.minor = minor
        self.access = access
    }

    /// Parses `TYPE MAJOR:MINOR ACCESS` (`*` for any number); nil when malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, let type = DeviceType(rawValue: String(parts[0])),
              let access = DeviceAccess(String(parts[2])) else { return nil }
        let numbers = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard numbers.count == 2 else { return nil }
        // dev_t has a 12-bit major and a 20-bit minor.
        func number(_ s: Substring, max: Int) -> Int?? {
            if s == "*" { return .some(nil) }
            guard let n = Int(s), n >= 0, n <= max else { return nil }
            return .some(n)
        }
        guard let major = number(numbers[0], max: 0xfff), let minor = number(numbers[1], max: 0xf_ffff) else { return nil }
        self.init(type: type, major: major, minor: minor, access: access)
    }

    public var description: String {
        "\(type.rawValue) \(major.map(String.init) ?? "*"):\(minor.map(String.init) ?? "*") \(access)"
    }

    /// Every device, every access: what a privileged container may use. (Such a
    /// container needs no program at all; attaching none is the cheaper equivalent.)
    public static let allowAll: [DeviceRule] = [DeviceRule(type: .all, major: nil, minor: nil, access: .rwm)]

    /// runc's and containerd's default allow-list: creating any char or block node
    /// (mknod alone grants no access to it), and using the standard /dev nodes.
    public static let containerDefault: [DeviceRule] = [
        DeviceRule(type: .char, major: nil, minor: nil, access: .mknod),  // c *:* m
        DeviceRule(type: .block, major: nil, minor: nil, access: .mknod), // b *:* m
        DeviceRule(type: .char, major: 1, minor: 3, access: .rwm),        // /dev/null
        DeviceRule(type: .char, major: 1, minor: 5, access: .rwm),        // /dev/zero
        DeviceRule(type: .char, major: 1, minor: 7, access: .rwm),        // /dev/full
        DeviceRule(type: .char, major: 1, minor: 8, access: .rwm),        // /dev/random
        DeviceRule(type: .char, major: 1, minor: 9, access: .rwm),        // /dev/urandom
        DeviceRule(type: .char, major: 5, minor: 0, access: .rwm),        // /dev/tty
        DeviceRule(type: .char, major: 5, minor: 1, access: .rwm),        // /dev/console
        DeviceRule(type: .char, major: 5, minor: 2, access: .rwm),        // /dev/ptmx
        DeviceRule(type: .char, major: 136, minor: nil, access: .rwm),    // /dev/pts/*
    ]
}

/// One eBPF instruction (`struct bpf_insn`).
public struct BPFInstruction: Hashable, Sendable {
    public var code: UInt8
    public var dst: UInt8
    public var src: UInt8
    public var offset: Int16
    public var imm: Int32

    public init(code: UInt8, dst: UInt8 = 0, src: UInt8 = 0, offset: Int16 = 0, imm: Int32 = 0) {
        self.code = code
        self.dst = dst
        self.src = src
        self.offset = offset
        self.imm = imm
    }

    // The opcodes the device filter uses (linux/bpf_common.h, linux/bpf.h).
    static let ldxMemW: UInt8 = 0x61   // BPF_LDX | BPF_MEM | BPF_W
    static let and64K: UInt8 = 0x57    // BPF_ALU64 | BPF_AND | BPF_K
    static let rsh64K: UInt8 = 0x77    // BPF_ALU64 | BPF_RSH | BPF_K
    static let mov64K: UInt8 = 0xb7    // BPF_ALU64 | BPF_MOV | BPF_K
    static let mov64X: UInt8 = 0xbf    // BPF_ALU64 | BPF_MOV | BPF_X
    static let jneK: UInt8 = 0x55      // BPF_JMP | BPF_JNE | BPF_K
    static let exit: UInt8 = 0x95      // BPF_JMP | BPF_EXIT

    /// The 8 bytes of `struct bpf_insn` on a little-endian machine (registers are the
    /// bit fields `dst_reg:4, src_reg:4`).
    public var bytes: [UInt8] {
        let off = UInt16(bitPattern: offset), k = UInt32(bitPattern: imm)
        return [code, (dst & 0xf) | (src & 0xf) << 4, UInt8(off & 0xff), UInt8(off >> 8),
                UInt8(k & 0xff), UInt8((k >> 8) & 0xff), UInt8((k >> 16) & 0xff), UInt8(k >> 24)]
    }

    /// bpftool-like text for the instructions the device filter uses.
    public var disassembly: String {
        func hex(_ v: Int32) -> String { "0x" + String(UInt32(bitPattern: v), radix: 16) }
        switch code {
        case Self.ldxMemW: return "r\(dst) = *(u32 *)(r\(src) + \(offset))"
        case Self.and64K: return "r\(dst) &= \(hex(imm))"
        case Self.rsh64K: return "r\(dst) >>= \(imm)"
        case Self.mov64K: return "r\(dst) = \(imm)"
        case Self.mov64X: return "r\(dst) = r\(src)"
        case Self.jneK: return "if r\(dst) != \(imm) goto pc\(offset >= 0 ? "+" : "")\(offset)"
        case Self.exit: return "exit"
        default: return "code \(hex(Int32(code))) dst r\(dst) src r\(src) off \(offset) imm \(imm)"
        }
    }
}

/// A `bpf(BPF_PROG_LOAD)` the verifier refused, with its log.
public struct BPFLoadError: Error, CustomStringConvertible, Sendable {
    public let errno: Int32
    public let log: String

    public var description: String {
        let base = "bpf BPF_PROG_LOAD cgroup device program: \(String(cString: strerror(errno)))"
        return log.isEmpty ? base : "\(base)\nverifier log:\n\(log)"
    }
}

public enum DeviceFilter {
    /// The default allow-list (`DeviceRule.containerDefault`).

    /// The license the program declares. Any string loads: the program calls no helper,
    /// so the kernel's GPL-only restriction never applies.
    public static let license = "Apache-2.0"

    /// The program for an allow-list: a device access is allowed when some rule covers
    /// its type, major, minor and every requested access bit; otherwise denied.
    ///
    ///     r2 = type (access_type & 0xffff), r3 = access (access_type >> 16),
    ///     r4 = major, r5 = minor
    ///     per rule: [if r2 != TYPE goto next]
    ///               [r1 = r3; r1 &= ~ACCESS; if r1 != 0 goto next]
    ///               [if r4 != MAJOR goto next] [if r5 != MINOR goto next]
    ///               r0 = 1; exit
    ///     r0 = 0; exit
    /// A rule that matches everything (`a *:* rwm`) ends the program there.
    public static func program(_ rules: [DeviceRule]) -> [BPFInstruction] {
        typealias I = BPFInstruction
        var insns: [I] = [
            I(code: I.ldxMemW, dst: 2, src: 1, offset: 0),
            I(code: I.and64K, dst: 2, imm: 0xffff),
            I(code: I.ldxMemW, dst: 3, src: 1, offset: 0),
            I(code: I.rsh64K, dst: 3, imm: 16),
            I(code: I.ldxMemW, dst: 4, src: 1, offset: 4),
            I(code: I.ldxMemW, dst: 5, src: 1, offset: 8),
        ]
        for rule in rules {
            // Each check jumps past the rest of this block to the next rule.
            var checks: [(dst: UInt8, imm: Int32, prefix: [I])] = []
            if let type = rule.type.bpfValue { checks.append((2, type, [])) }
            let denied = DeviceAccess.rwm.subtracting(rule.access).rawValue
            if denied != 0 {
                checks.append((1, 0, [I(code: I.mov64X, dst: 1, src: 3), I(code: I.and64K, dst: 1, imm: denied)]))
            }
            if let major = rule.major { checks.append((4, Int32(truncatingIfNeeded: major), [])) }
            if let minor = rule.minor { checks.append((5, Int32(truncatingIfNeeded: minor), [])) }
            if checks.isEmpty {
                // Allows everything that reaches it: what follows would be unreachable,
                // which the verifier rejects.
                return insns + [I(code: I.mov64K, dst: 0, imm: 1), I(code: I.exit)]
            }
            var block: [I] = []
            for check in checks {
                block += check.prefix
                block.append(I(code: I.jneK, dst: check.dst, imm: check.imm))  // offset patched below
            }
            block += [I(code: I.mov64K, dst: 0, imm: 1), I(code: I.exit)]
            for i in block.indices where block[i].code == I.jneK {
                block[i].offset = Int16(block.count - (i + 1))
            }
            insns += block
        }
        insns += [I(code: I.mov64K, dst: 0, imm: 0), I(code: I.exit)]
        return insns
    }

    /// One instruction a line, numbered: `   6: if r2 != 2 goto pc+5`.
    public static func disassemble(_ program: [BPFInstruction]) -> String {
        program.enumerated().map { i, insn in
            let n = String(i)
            return String(repeating: " ", count: max(0, 4 - n.count)) + n + ": " + insn.disassembly
        }.joined(separator: "\n")
    }

    /// Loads the program for `rules` into the kernel; the verifier's log is in the error.
    public static func load(_ rules: [DeviceRule]) throws -> FileDescriptor {
        try load(program: program(rules))
    }

    /// Loads any instructions as a cgroup device program.
    static func load(program instructions: [BPFInstruction]) throws -> FileDescriptor {
        let bytes = instructions.flatMap(\.bytes)
        let firstErrno: Int32
        do {
            let fd = try sys("bpf BPF_PROG_LOAD", "cgroup device program") { loadAttempt(bytes, log: nil) }
            return FileDescriptor(raw: fd, name: "bpf-prog:cgroup-device")
        } catch {
            firstErrno = error.errno
        }
        // Load again with a log buffer, only to learn why.
        var log = [CChar](repeating: 0, count: 1 << 16)
        if let fd = try? sys("bpf BPF_PROG_LOAD", "cgroup device program", { loadAttempt(bytes, log: &log) }) {
            return FileDescriptor(raw: fd, name: "bpf-prog:cgroup-device")
        }
        log[log.count - 1] = 0
        var text = String(decoding: log.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        throw BPFLoadError(errno: firstErrno, log: text)
    }

    private static func loadAttempt(_ bytes: [UInt8], log: UnsafeMutablePointer<[CChar]>?) -> Int32 {
        let count = UInt32(bytes.count / 8)
        let type = UInt32(BPF_PROG_TYPE_CGROUP_DEVICE.rawValue)
        return bytes.withUnsafeBytes { insns -> Int32 in
            guard let log else { return swl_bpf_prog_load(type, insns.baseAddress, count, license, nil, 0, 0) }
            return log.pointee.withUnsafeMutableBufferPointer { buf in
                swl_bpf_prog_load(type, insns.baseAddress, count, license, buf.baseAddress, UInt32(buf.count), 1)
            }
        }
    }

    /// Loads the program for `rules` and attaches it to the cgroup v2 directory `path`
    /// (BPF_CGROUP_DEVICE with BPF_F_ALLOW_MULTI, so programs of parent cgroups still
    /// apply). The attachment lives as long as the cgroup; the program fd is closed.
    /// A privileged container needs no program: do not call this for it.
    public static func attach(rules: [DeviceRule], toCgroup path: String) throws {
        let cgroup = try FileDescriptor.open(path, O_RDONLY | O_DIRECTORY)
        let program = try load(rules)
        try sys("bpf BPF_PROG_ATTACH device filter to", path) {
            swl_bpf_prog_attach(cgroup.raw, program.raw, UInt32(BPF_CGROUP_DEVICE.rawValue), UInt32(BPF_F_ALLOW_MULTI))
        }
    }

    /// The ids of the device programs attached directly to the cgroup `path`.
    public static func attachedPrograms(cgroup path: String) throws -> [UInt32] {
        let cgroup = try FileDescriptor.open(path, O_RDONLY | O_DIRECTORY)
        var ids = [UInt32](repeating: 0, count: 64)
        var count = UInt32(ids.count)
        _ = try ids.withUnsafeMutableBufferPointer { buf in
            try sys("bpf BPF_PROG_QUERY", path) {
                swl_bpf_prog_query(cgroup.raw, UInt32(BPF_CGROUP_DEVICE.rawValue), buf.baseAddress, &count)
            }
        }
        return Array(ids.prefix(Int(min(count, UInt32(ids.count)))))
    }

    /// Detaches every device program attached directly to the cgroup `path` (before
    /// attaching a replacement when a container's devices change).
    public static func detachAll(fromCgroup path: String) throws {
        let cgroup = try FileDescriptor.open(path, O_RDONLY | O_DIRECTORY)
        for id in try attachedPrograms(cgroup: path) {
            let fd: Int32
            do {
                fd = try sys("bpf BPF_PROG_GET_FD_BY_ID", "\(id)") { swl_bpf_prog_get_fd_by_id(id) }
            } catch {
                if error.errno == ENOENT { continue }  // detached meanwhile
                throw error
            }
            let program = FileDescriptor(raw: fd, name: "bpf-prog:\(id)")
            try sys("bpf BPF_PROG_DETACH", path) {
                swl_bpf_prog_detach(cgroup.raw, program.raw, UInt32(BPF_CGROUP_DEVICE.rawValue))
            }
        }
    }
}
