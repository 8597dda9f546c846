import CLinux
import Glibc
import XCTest

@testable import LinuxSys

final class SeccompTests: XCTestCase {
    private var tempDir = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/swiftlet-seccomp-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        XCTAssertNotNil(made)
        tempDir = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    override func tearDownWithError() throws {
        if !tempDir.isEmpty { try Files.removeTree(tempDir) }
    }

    // MARK: the profile as data

    func testRuntimeDefaultWithoutSysAdmin() {
        let profile = SeccompProfiles.runtimeDefault(capabilities: .containerDefault)
        XCTAssertEqual(profile.defaultAction, .errno(EPERM))
        XCTAssertEqual(profile.architectures, [.x86_64, .x86, .x32])
        XCTAssertEqual(SeccompProfiles.baseAllowList.count, 363)
        XCTAssertEqual(Set(SeccompProfiles.baseAllowList).count, 363, "no duplicates")

        let allowed = Set(profile.rules.filter { $0.action == .allow && $0.args.isEmpty }.flatMap(\.names))
        for name in ["read", "write", "execve", "openat", "futex", "rseq"] {
            XCTAssertTrue(allowed.contains(name), name)
        }
        XCTAssertTrue(allowed.contains("ptrace"), "allowed since kernel 4.8")
        XCTAssertTrue(allowed.contains("chroot"), "CAP_SYS_CHROOT is a default capability")
        for name in ["mount", "umount2", "unshare", "setns", "bpf", "keyctl", "reboot", "init_module",
                     "clone", "clone3", "socket", "personality", "open_by_handle_at", "kcmp"] {
            XCTAssertFalse(allowed.contains(name), name)
        }

        let clone = profile.rules.filter { $0.names == ["clone"] }
        XCTAssertEqual(clone.count, 1)
        XCTAssertEqual(clone.first?.args, [SeccompArg(index: 0, .maskedEqual(mask: 0x7e02_0000, value: 0))])
        XCTAssertTrue(profile.rules.contains(SeccompRule(names: ["clone3"], action: .errno(ENOSYS))))

        let personas = profile.rules.filter { $0.names == ["personality"] }.compactMap(\.args.first)
        XCTAssertEqual(personas.map(\.condition), [.equal(0), .equal(8), .equal(0x20000), .equal(0x20008), .equal(0xffff_ffff)])
        let socket = profile.rules.filter { $0.names == ["socket"] }.compactMap(\.args.first?.condition)
        XCTAssertEqual(socket, [.lessThan(38), .equal(39), .greaterThan(40)])  // not AF_ALG, not AF_VSOCK
    }

    func testRuntimeDefaultFollowsCapabilities() {
        var caps = CapabilitySet.containerDefault
        caps.insert(.sysAdmin)
        caps.insert(.sysPtrace)
        caps.insert(.sysTime)
        caps.remove(.sysChroot)
        let profile = SeccompProfiles.runtimeDefault(capabilities: caps)
        let allowed = Set(profile.rules.filter { $0.action == .allow && $0.args.isEmpty }.flatMap(\.names))
        for name in ["mount", "umount2", "unshare", "setns", "bpf", "clone", "clone3", "fsopen",
                     "kcmp", "pidfd_getfd", "clock_settime", "settimeofday"] {
            XCTAssertTrue(allowed.contains(name), name)
        }
        XCTAssertFalse(allowed.contains("chroot"))
        XCTAssertFalse(allowed.contains("reboot"))
        XCTAssertFalse(profile.rules.contains { $0.action != .allow }, "no clone3 ENOSYS rule with CAP_SYS_ADMIN")
        XCTAssertFalse(profile.rules.contains { $0.names == ["clone"] && !$0.args.isEmpty })

        // Capabilities the profile does not look at give the same profile (and cache file).
        var netAdmin = CapabilitySet.containerDefault
        netAdmin.insert(.netAdmin)
        XCTAssertEqual(SeccompProfiles.runtimeDefault(capabilities: netAdmin),
                       SeccompProfiles.runtimeDefault(capabilities: .containerDefault))
        XCTAssertNotEqual(profile.canonicalText,
                          SeccompProfiles.runtimeDefault(capabilities: .containerDefault).canonicalText)
    }

    func testCanonicalText() {
        let profile = SeccompProfile(defaultAction: .errno(EPERM), architectures: [.x86_64], rules: [
            SeccompRule(allow: ["read", "write"]),
            SeccompRule(allow: ["personality"], args: [SeccompArg(index: 0, .equal(8))]),
            SeccompRule(names: ["clone3"], action: .errno(ENOSYS)),
            SeccompRule(allow: ["clone"], args: [SeccompArg(index: 0, .maskedEqual(mask: 0x7e02_0000, value: 0))]),
        ])
        XCTAssertEqual(profile.canonicalText, """
            swiftlet-seccomp-profile 1
            default errno(1)
            arch x86_64
            enosys-newer 1
            rule allow: read write
            rule allow if arg0==0x8: personality
            rule errno(38): clone3
            rule allow if arg0&0x7e020000==0x0: clone

            """)
    }

    // MARK: compiling

    func testRuntimeDefaultCompiles() throws {
        let profile = SeccompProfiles.runtimeDefault(capabilities: .containerDefault)
        let bytes = try SeccompCompiler.compile(profile)
        XCTAssertEqual(bytes.count % 8, 0)
        let count = bytes.count / 8
        XCTAssertGreaterThan(count, 300, "one check per allowed call at least")
        XCTAssertLessThanOrEqual(count, 4096, "BPF_MAXINSNS")
        print("RuntimeDefault: \(count) instructions with libseccomp \(SeccompCompiler.libseccompVersion)")

        // The ENOSYS prologue, then libseccomp's program (which starts with ld [4], the arch).
        let listing = disassembleSeccompBPF(bytes).split(separator: "\n").map(String.init)
        XCTAssertEqual(listing[0], "0000: ld [4]")
        XCTAssertTrue(listing[1].hasPrefix("0001: jeq #0xc000003e "), listing[1])  // AUDIT_ARCH_X86_64
        XCTAssertEqual(listing[2], "0002: ld [0]")
        XCTAssertTrue(listing[3].hasPrefix("0003: jset #0x40000000 "), listing[3])
        XCTAssertTrue(listing[5].hasPrefix("0005: jeq #0x40000003 "), listing[5])   // AUDIT_ARCH_I386
        XCTAssertEqual(listing[9], "0009: ret #0x50026")                            // ERRNO(ENOSYS)
        XCTAssertEqual(listing[10], "0010: ld [4]")
        // Deterministic.
        XCTAssertEqual(try SeccompCompiler.compile(profile), bytes)

        // With CAP_SYS_ADMIN it is a different program.
        var admin = CapabilitySet.containerDefault
        admin.insert(.sysAdmin)
        XCTAssertNotEqual(try SeccompCompiler.compile(SeccompProfiles.runtimeDefault(capabilities: admin)), bytes)
    }

    func testUnknownNamesAreSkipped() throws {
        let profile = SeccompProfile(defaultAction: .errno(EPERM), architectures: [.x86_64], rules: [
            SeccompRule(allow: ["read", "no_such_syscall_anywhere", "write", "chown32", "exit_group"]),
            SeccompRule(names: ["getpid"], action: .errno(EPERM)),  // same as the default: skipped
        ])
        let bytes = try SeccompCompiler.compile(profile)
        XCTAssertEqual(bytes.count % 8, 0)
        XCTAssertGreaterThan(bytes.count / 8, 5)
    }

    func testRepeatedArgumentIndexBecomesSeparateRules() throws {
        // Two conditions on arg0 cannot be ANDed; like runc they become two rules (an OR).
        let profile = SeccompProfile(defaultAction: .errno(EPERM), architectures: [.x86_64], rules: [
            SeccompRule(allow: ["socket"], args: [SeccompArg(index: 0, .equal(1)), SeccompArg(index: 0, .equal(2))]),
            SeccompRule(allow: ["mmap"], args: [SeccompArg(index: 2, .equal(3)), SeccompArg(index: 3, .equal(0x22))]),
        ])
        XCTAssertNoThrow(try SeccompCompiler.compile(profile))
    }

    // MARK: the filter in the kernel

    /// Installs the compiled RuntimeDefault filter on a thread of its own (seccomp
    /// filters and no_new_privs belong to the thread that sets them, and the thread ends
    /// with the test), then probes calls the profile allows and denies, and spawns a
    /// process that inherits the filter. No root needed.
    func testFilterEnforcedOnAThread() throws {
        let program = try SeccompCompiler.compile(SeccompProfiles.runtimeDefault(capabilities: .containerDefault))
        let probe = FilteredThreadProbe(program: program)
        runOnNewThread { probe.run() }

        XCTAssertEqual(probe.installed, 0, "seccomp(SECCOMP_SET_MODE_FILTER): errno \(probe.installErrno)")
        XCTAssertEqual(probe.results["getpid"], 0)
        XCTAssertEqual(probe.results["socket(AF_UNIX)"], 0)
        XCTAssertEqual(probe.results["socket(AF_ALG)"], EPERM)
        XCTAssertEqual(probe.results["socket(AF_VSOCK)"], EPERM)
        XCTAssertEqual(probe.results["unshare(CLONE_NEWUTS)"], EPERM)
        XCTAssertEqual(probe.results["keyctl"], EPERM)
        XCTAssertEqual(probe.results["clone3"], ENOSYS, "clone3 without CAP_SYS_ADMIN")
        XCTAssertEqual(probe.results["mseal (newer than libseccomp)"], ENOSYS)
        XCTAssertEqual(probe.results["personality(0xffffffff)"], 0)
        XCTAssertEqual(probe.results["personality(READ_IMPLIES_EXEC)"], EPERM)
        // posix_spawn (glibc tries clone3, gets ENOSYS, falls back to clone) of a process
        // that inherits the filter.
        XCTAssertTrue(probe.spawnOutput.contains("Seccomp:\t2"), probe.spawnOutput)
        XCTAssertTrue(probe.spawnOutput.contains("NoNewPrivs:\t1"), probe.spawnOutput)
        XCTAssertEqual(probe.spawnStatus, 0, probe.spawnOutput)
    }
}

/// Runs the probes on the thread that installs the filter.
private final class FilteredThreadProbe: @unchecked Sendable {
    let program: [UInt8]
    var installed: Int32 = -1
    var installErrno: Int32 = 0
    var results: [String: Int32] = [:]
    var spawnOutput = ""
    var spawnStatus: Int32 = -1

    init(program: [UInt8]) { self.program = program }

    func run() {
        guard swl_prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 else {
            installErrno = swl_errno()
            return
        }
        var filter = program
        installed = filter.withUnsafeMutableBytes { raw -> Int32 in
            var prog = sock_fprog(len: UInt16(raw.count / 8),
                                  filter: raw.baseAddress!.assumingMemoryBound(to: sock_filter.self))
            return swl_seccomp(UInt32(SECCOMP_SET_MODE_FILTER), 0, &prog)
        }
        if installed != 0 {
            installErrno = swl_errno()
            return
        }
        func errnoOf(_ name: String, _ rc: Int) {
            let e = rc < 0 ? swl_errno() : 0
            results[name] = e
        }
        errnoOf("getpid", Int(getpid()) > 0 ? 0 : -1)
        let unixSocket = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        errnoOf("socket(AF_UNIX)", Int(unixSocket))
        if unixSocket >= 0 { close(unixSocket) }
        errnoOf("socket(AF_ALG)", Int(socket(38, Int32(SOCK_SEQPACKET.rawValue), 0)))
        errnoOf("socket(AF_VSOCK)", Int(socket(40, Int32(SOCK_STREAM.rawValue), 0)))
        errnoOf("unshare(CLONE_NEWUTS)", swl_syscall6(Int(SYS_unshare), Int(CLONE_NEWUTS), 0, 0, 0, 0, 0))
        errnoOf("keyctl", swl_syscall6(250 /* keyctl */, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0, 0, 0, 0))
        errnoOf("clone3", swl_clone3(nil))
        errnoOf("mseal (newer than libseccomp)", swl_syscall6(462 /* mseal */, 0, 0, 0, 0, 0, 0))
        errnoOf("personality(0xffffffff)", swl_syscall6(Int(SYS_personality), 0xffff_ffff, 0, 0, 0, 0, 0))
        errnoOf("personality(READ_IMPLIES_EXEC)", swl_syscall6(Int(SYS_personality), 0x0040_0000, 0, 0, 0, 0, 0))

        (spawnStatus, spawnOutput) = spawnAndWait(["/bin/grep", "-E", "^(Seccomp|NoNewPrivs):", "/proc/self/status"])
    }
}

private final class ThreadBody: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

/// Runs `body` on a new pthread and waits for it to end.
private func runOnNewThread(_ body: @escaping () -> Void) {
    let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { arg in
        Unmanaged<ThreadBody>.fromOpaque(arg!).takeRetainedValue().body()
        return nil
    }, context)
    precondition(rc == 0, "pthread_create: \(rc)")
    pthread_join(thread, nil)
}

