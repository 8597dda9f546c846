import CLinux
import Glibc
import XCTest

@testable import LinuxSys

final class DeviceFilterTests: XCTestCase {
    /// The default program, instruction by instruction. Each rule is a block that jumps
    /// to the next block on a mismatch and returns 1 (allow) at its end; the last two
    /// instructions deny.
    static let defaultProgramGolden = """
           0: r2 = *(u32 *)(r1 + 0)
           1: r2 &= 0xffff
           2: r3 = *(u32 *)(r1 + 0)
           3: r3 >>= 16
           4: r4 = *(u32 *)(r1 + 4)
           5: r5 = *(u32 *)(r1 + 8)
           6: if r2 != 2 goto pc+5
           7: r1 = r3
           8: r1 &= 0x6
           9: if r1 != 0 goto pc+2
          10: r0 = 1
          11: exit
          12: if r2 != 1 goto pc+5
          13: r1 = r3
          14: r1 &= 0x6
          15: if r1 != 0 goto pc+2
          16: r0 = 1
          17: exit
          18: if r2 != 2 goto pc+4
          19: if r4 != 1 goto pc+3
          20: if r5 != 3 goto pc+2
          21: r0 = 1
          22: exit
          23: if r2 != 2 goto pc+4
          24: if r4 != 1 goto pc+3
          25: if r5 != 5 goto pc+2
          26: r0 = 1
          27: exit
          28: if r2 != 2 goto pc+4
          29: if r4 != 1 goto pc+3
          30: if r5 != 7 goto pc+2
          31: r0 = 1
          32: exit
          33: if r2 != 2 goto pc+4
          34: if r4 != 1 goto pc+3
          35: if r5 != 8 goto pc+2
          36: r0 = 1
          37: exit
          38: if r2 != 2 goto pc+4
          39: if r4 != 1 goto pc+3
          40: if r5 != 9 goto pc+2
          41: r0 = 1
          42: exit
          43: if r2 != 2 goto pc+4
          44: if r4 != 5 goto pc+3
          45: if r5 != 0 goto pc+2
          46: r0 = 1
          47: exit
          48: if r2 != 2 goto pc+4
          49: if r4 != 5 goto pc+3
          50: if r5 != 1 goto pc+2
          51: r0 = 1
          52: exit
          53: if r2 != 2 goto pc+4
          54: if r4 != 5 goto pc+3
          55: if r5 != 2 goto pc+2
          56: r0 = 1
          57: exit
          58: if r2 != 2 goto pc+3
          59: if r4 != 136 goto pc+2
          60: r0 = 1
          61: exit
          62: r0 = 0
          63: exit
        """

    func testDefaultProgramGolden() {
        XCTAssertEqual(DeviceFilter.disassemble(DeviceFilter.program(DeviceRule.containerDefault)),
                       Self.defaultProgramGolden)
    }

    func testDefaultRules() {
        XCTAssertEqual(DeviceRule.containerDefault.map(\.description), [
            "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
            "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm",
        ])
    }

    func testRuleParsing() {
        for text in ["c *:* m", "b 8:0 r", "c 136:* rwm", "a *:* rwm", "b 254:16 rw", "c 4095:1048575 m"] {
            XCTAssertEqual(DeviceRule(text)?.description, text)
        }
        XCTAssertEqual(DeviceRule("c 10:200 mwr"), DeviceRule(type: .char, major: 10, minor: 200, access: .rwm))
        XCTAssertEqual(DeviceRule("b 8:* w"), DeviceRule(type: .block, major: 8, minor: nil, access: .write))
        for bad in ["", "c", "c 1:3", "x 1:3 rwm", "c 1 rwm", "c 1:3 rwx", "c -1:3 r", "c 1:3:4 r", "c a:b r", "c 1:3 ", "c 4096:0 r", "b 1:1048576 r"] {
            XCTAssertNil(DeviceRule(bad), bad)
        }
    }

    func testAllowAllAndDenyAll() {
        XCTAssertEqual(DeviceFilter.disassemble(DeviceFilter.program(DeviceRule.allowAll)), """
               0: r2 = *(u32 *)(r1 + 0)
               1: r2 &= 0xffff
               2: r3 = *(u32 *)(r1 + 0)
               3: r3 >>= 16
               4: r4 = *(u32 *)(r1 + 4)
               5: r5 = *(u32 *)(r1 + 8)
               6: r0 = 1
               7: exit
            """)
        // Rules after an allow-everything rule are unreachable and left out.
        XCTAssertEqual(DeviceFilter.program(DeviceRule.allowAll + DeviceRule.containerDefault),
                       DeviceFilter.program(DeviceRule.allowAll))
        XCTAssertEqual(DeviceFilter.program([]).count, 8)
        XCTAssertEqual(DeviceFilter.program([]).suffix(2), [
            BPFInstruction(code: 0xb7, dst: 0, imm: 0), BPFInstruction(code: 0x95),
        ])
    }

    func testInstructionEncoding() {
        // r4 = *(u32 *)(r1 + 4): BPF_LDX|BPF_MEM|BPF_W, dst 4, src 1.
        XCTAssertEqual(BPFInstruction(code: 0x61, dst: 4, src: 1, offset: 4).bytes, [0x61, 0x14, 4, 0, 0, 0, 0, 0])
        // if r2 != 2 goto pc+5
        XCTAssertEqual(BPFInstruction(code: 0x55, dst: 2, offset: 5, imm: 2).bytes, [0x55, 0x02, 5, 0, 2, 0, 0, 0])
        XCTAssertEqual(BPFInstruction(code: 0x55, dst: 2, offset: -1, imm: -2).bytes,
                       [0x55, 0x02, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff])
        let program = DeviceFilter.program(DeviceRule.containerDefault)
        XCTAssertEqual(program.flatMap(\.bytes).count, program.count * 8)
        // Every jump lands inside the program, on an instruction after it.
        for (i, insn) in program.enumerated() where insn.code == 0x55 {
            XCTAssertGreaterThan(insn.offset, 0)
            XCTAssertLessThan(i + 1 + Int(insn.offset), program.count)
        }
    }

    // MARK: in the kernel (root)

    func testVerifierAcceptsPrograms() throws {
        try requireRoot()
        for rules in [DeviceRule.containerDefault, DeviceRule.allowAll, []] {
            let fd = try DeviceFilter.load(rules)
            XCTAssertGreaterThanOrEqual(fd.raw, 0)
        }
        // A program that returns an uninitialised r0: the verifier's log is in the error.
        XCTAssertThrowsError(try DeviceFilter.load(program: [BPFInstruction(code: 0x95)])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("bpf BPF_PROG_LOAD cgroup device program: "), text)
            XCTAssertTrue(text.contains("verifier log:"), text)
            XCTAssertTrue(text.contains("R0"), text)
        }
    }

    /// Attaches the default filter to a fresh cgroup, moves a shell into it and shows that
    /// it can mknod the host disk's node but not open it, while /dev/null works.
    func testDefaultFilterDeniesHostDisk() throws {
        try requireRoot()
        // The cgroup2 hierarchy wherever it is: /sys/fs/cgroup on a pure v2 host, the
        // unified mount on a hybrid one.
        let unified = try CgroupHierarchy.detect().mountPoint
        var template = Array("/tmp/swiftlet-devfilter-test-XXXXXX".utf8CString)
        XCTAssertNotNil(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) })
        let dir = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { try? Files.removeTree(dir) }
        // The host disk's node, or the first block device this process may open: outside
        // the cgroup the node must open, so that the denial below is the filter's.
        let node = "\(dir)/disk"
        let disk = try openableHostBlockDevice(node: node)
        let nullNode = "\(dir)/null"
        try sys("mknod", nullNode) { mknod(nullNode, S_IFCHR | 0o666, swl_makedev(1, 3)) }
        XCTAssertNoThrow(try FileDescriptor.open("/dev/kmsg", O_RDONLY | O_NONBLOCK), "/dev/kmsg opens on the host")

        let cgroup = "\(unified)/swiftlet-test-\(getpid())"
        try sys("mkdir", cgroup) { mkdir(cgroup, 0o755) }
        defer { removeCgroup(cgroup) }
        try DeviceFilter.attach(rules: DeviceRule.containerDefault, toCgroup: cgroup)
        XCTAssertEqual(try DeviceFilter.attachedPrograms(cgroup: cgroup).count, 1)

        let script = """
            echo $$ > \(cgroup)/cgroup.procs || exit 99
            grep -q '^0::/swiftlet-test-' /proc/self/cgroup && echo IN_CGROUP
            ( : < \(node) ) 2>&1 && echo DISK_OPENED
            ( : < /dev/null ) && echo DEVNULL_OK
            ( : < \(nullNode) ) && echo NULLNODE_OK
            ( : < /dev/kmsg ) 2>&1 && echo KMSG_OPENED
            ( : < /dev/zero ) && echo DEVZERO_OK
            mknod \(dir)/disk2 b \(disk.major) \(disk.minor) && echo MKNOD_OK
            ( : < \(dir)/disk2 ) 2>&1 && echo DISK2_OPENED
            exit 0
            """
        let (status, output) = spawnAndWait(["/bin/sh", "-c", script])
        print("device filter probe (\(disk.name) \(disk.major):\(disk.minor)):\n\(output)")
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("IN_CGROUP"), output)
        XCTAssertFalse(output.contains("DISK_OPENED"), output)
        XCTAssertTrue(output.contains("\(node): Operation not permitted"), output)
        XCTAssertTrue(output.contains("DEVNULL_OK"), output)
        XCTAssertTrue(output.contains("NULLNODE_OK"), output)
        XCTAssertFalse(output.contains("KMSG_OPENED"), output)
        XCTAssertTrue(output.contains("/dev/kmsg: Operation not permitted"), output)
        XCTAssertTrue(output.contains("DEVZERO_OK"), output)
        XCTAssertTrue(output.contains("MKNOD_OK"), output)
        XCTAssertFalse(output.contains("DISK2_OPENED"), output)

        try DeviceFilter.detachAll(fromCgroup: cgroup)
        XCTAssertEqual(try DeviceFilter.attachedPrograms(cgroup: cgroup), [])
    }

    private func requireRoot() throws {
        if getuid() != 0 {
            print("skipping \(name): needs root (bpf(2), cgroups, mknod)")
            throw XCTSkip("needs root")
        }
    }

    /// Makes `node` a block device node for a host disk that this process can open
    /// (the host's own policy may forbid some, e.g. the root disk in a sandboxed VM).
    private func openableHostBlockDevice(node: String) throws -> (name: String, major: UInt32, minor: UInt32) {
        let names = try Files.list("/sys/block")
        let preferred = names.filter { !$0.hasPrefix("loop") && !$0.hasPrefix("ram") }
        var refused: [String] = []
        for name in preferred + names.filter({ !preferred.contains($0) }) {
            guard let text = try? Files.readString("/sys/block/\(name)/dev") else { continue }
            let parts = text.filter { !$0.isWhitespace }.split(separator: ":")
            guard parts.count == 2, let major = UInt32(parts[0]), let minor = UInt32(parts[1]) else { continue }
            unlink(node)
            try sys("mknod", node) { mknod(node, S_IFBLK | 0o600, swl_makedev(major, minor)) }
            if (try? FileDescriptor.open(node, O_RDONLY)) != nil {
                if !refused.isEmpty { print("host refuses to open \(refused.joined(separator: ", ")); using \(name)") }
                return (name, major, minor)
            }
            refused.append("\(name) \(major):\(minor)")
        }
        unlink(node)
        print("skipping: no block device opens on this host (\(refused))")
        throw XCTSkip("no block device opens on this host")
    }

    private func removeCgroup(_ path: String) {
        for _ in 0..<100 {
            if rmdir(path) == 0 || swl_errno() == ENOENT { return }
            usleep(20_000)
        }
        XCTFail("rmdir \(path): errno \(swl_errno())")
    }
}

