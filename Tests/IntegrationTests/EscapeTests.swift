import CLinux
import ContainerRuntime
import Foundation
import LinuxSys
import XCTest

/// Regression tests for the container escapes every runtime must stop.
final class EscapeTests: PrivilegedTestCase {
    /// CVE-2019-5736: an entrypoint `#!/proc/self/exe` makes the kernel run the
    /// runtime's own binary (here the shim's) as the container's process. It must gain
    /// nothing: the host binary is unchanged.
    func testProcSelfExeEntrypointCannotOverwriteTheHostBinary() throws {
        try sandbox.importImage("escape/self-exe") { tar in
            try tar.addFile("bin/evil", contents: "#!/proc/self/exe\n", mode: 0o755)
        }
        let shim = Sandbox.shimPath()
        let before = try Files.read(shim)
        var spec = ContainerSpec(image: "escape/self-exe", command: [])
        spec.entrypoint = ["/bin/evil"]
        spec.stopGraceSeconds = 1
        let result = try sandbox.run(spec)
        XCTAssertNotEqual(result.status.code, 0, "the shim binary must not run a container from inside one")
        XCTAssertEqual(try Files.read(shim), before, "the host's shim binary changed")
    }

    /// The heart of CVE-2019-5736: whoever holds the runtime process's executable (as
    /// /proc/PID/exe) reopens it for writing once that process has exited. The shim runs
    /// from a read-only mount, so that reopen fails with EROFS even for host root, where
    /// a plain host file would open (the exploit overwrote runc this way).
    func testShimExecutableCannotBeReopenedForWriting() throws {
        let started = try sandbox.runtime.run(sandbox.spec(["sleep", "1000"]), attach: false)
        let exe = try sys("open", "/proc/\(started.shimPid)/exe") { open("/proc/\(started.shimPid)/exe", O_RDONLY | O_CLOEXEC) }
        defer { close(exe) }
        try sandbox.runtime.stop(started.record, grace: 0)
        _ = try sandbox.runtime.wait(started)
        let reopened = open("/proc/self/fd/\(exe)", O_WRONLY | O_CLOEXEC)
        let error = errno
        if reopened >= 0 { close(reopened) }
        XCTAssertEqual(reopened, -1, "the shim's executable could be reopened for writing")
        XCTAssertEqual(error, EROFS, String(cString: strerror(error)))
    }

    /// CVE-2024-21626: no host descriptor is reachable as a working directory.
    func testWorkingDirectoryCannotBeALeakedDescriptor() throws {
        for n in 3...12 {
            var spec = sandbox.spec(["sh", "-c", "pwd; ls .. | head -3"])
            spec.workingDir = "/proc/self/fd/\(n)"
            do {
                let result = try sandbox.run(spec)
                XCTAssertFalse(result.stdout.contains("(unreachable)"), "fd \(n): \(result.stdout)")
                XCTAssertEqual(result.status.code, 0)
                XCTFail("fd \(n): a container started in /proc/self/fd/\(n): \(result.stdout)")
            } catch {
                XCTAssertTrue("\(error)".contains("/proc/self/fd/\(n)"), "fd \(n): \(error)")
            }
        }
        XCTAssertEqual(sandbox.leftovers(), [])
    }

    /// CVE-2025-31133: a rootfs whose /dev/null is a symlink (here to a host-affecting
    /// /proc file) is refused, not used as the source of masked-path bind mounts.
    func testRootfsWithSymlinkedDevNullIsRefused() throws {
        try sandbox.importImage("escape/dev-null") { tar in
            try tar.addSymlink("dev/null", target: "/proc/sys/kernel/core_pattern")
        }
        XCTAssertThrowsError(try sandbox.run(ContainerSpec(image: "escape/dev-null", command: ["true"]))) { error in
            XCTAssertTrue("\(error)".contains("/dev/null"), "\(error)")
        }
        XCTAssertEqual(sandbox.leftovers(), [])
    }

    /// CVE-2021-30465: a mount destination that is a symlink out of the rootfs stays
    /// inside the rootfs.
    func testSymlinkedMountDestinationStaysInsideTheRootfs() throws {
        let outside = "/tmp/swiftlet-escape-\(getpid())"
        try? Files.removeTree(outside)
        try sandbox.importImage("escape/symlink-dest") { tar in
            try tar.addSymlink("etc/hosts", target: "../../../../../../..\(outside)")
            try tar.addSymlink("etc/hostname", target: outside + "-2")
        }
        let result = try sandbox.run(ContainerSpec(image: "escape/symlink-dest", command: ["sh", "-c", "cat /etc/hosts | head -1; ls /tmp"]))
        XCTAssertEqual(result.status.code, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("127.0.0.1\tlocalhost\n"), result.stdout)
        XCTAssertFalse(Files.exists(outside), "a mount destination escaped the rootfs")
        XCTAssertFalse(Files.exists(outside + "-2"), "a mount destination escaped the rootfs")
        XCTAssertFalse(try Files.readString("/proc/self/mountinfo").contains("swiftlet-escape"))
    }

    /// A subPath mounts what its volume holds below that path, a directory or one file.
    func testSubPathMountsOnlyItsDirectoryOrFile() throws {
        let volume = "\(sandbox.dir)/volume"
        try Files.createDirectory("\(volume)/conf/nested")
        try Files.writeAtomically("\(volume)/conf/app.ini", "key=1\n")
        try Files.writeAtomically("\(volume)/secret", "not for you\n")
        symlink("conf", "\(volume)/alias")
        var spec = sandbox.spec(["sh", "-c", "ls /etc/app; cat /etc/app.ini; ls /srv; touch /etc/app/new || echo read-only"])
        spec.mounts = [BindMount(source: volume, destination: "/etc/app", readOnly: true, subPath: "conf"),
                       BindMount(source: volume, destination: "/etc/app.ini", readOnly: false, subPath: "conf/app.ini"),
                       // A symlink that stays inside the volume is followed, as upstream allows.
                       BindMount(source: volume, destination: "/srv", readOnly: false, subPath: "alias/nested/../nested")]
        let result = try sandbox.run(spec)
        XCTAssertEqual(result.status.code, 0, result.stderr)
        XCTAssertEqual(result.stdout, "app.ini\nnested\nkey=1\nread-only\n", result.stderr)
    }

    /// CVE-2017-1002101: a symlink planted in a volume (by a container that can write it)
    /// and named as a subPath must not mount what it points to outside the volume.
    func testSubPathSymlinkLeadingOutOfTheVolumeIsRefused() throws {
        let volume = "\(sandbox.dir)/volume"
        try Files.createDirectory(volume)
        symlink("/", "\(volume)/root")
        symlink("../../../../../../../../..", "\(volume)/up")
        for escape in ["root", "up", "root/etc", "up/etc/passwd"] {
            var spec = sandbox.spec(["ls", "/mnt"])
            spec.mounts = [BindMount(source: volume, destination: "/mnt", readOnly: false, subPath: escape)]
            XCTAssertThrowsError(try sandbox.run(spec), "subPath \(escape) was mounted") { error in
                XCTAssertTrue("\(error)".contains("open bind source \(escape) beneath \(volume): Invalid cross-device link"), "\(error)")
            }
        }
        XCTAssertEqual(try sandbox.runtime.list().count, 0, "a refused start left a container")
    }

    /// CVE-2021-25741: the subPath is exchanged with a symlink to / (renameat2
    /// RENAME_EXCHANGE, as fast as a core allows) while containers start. A start either
    /// mounts the directory or is refused; none mounts anything outside the volume.
    func testSubPathSwappedWithASymlinkDuringStartsNeverMountsOutside() throws {
        let volume = "\(sandbox.dir)/volume"
        try Files.createDirectory("\(volume)/x")
        try Files.writeAtomically("\(volume)/x/marker", "inside\n")
        symlink("/", "\(volume)/swap")
        let stop = StopFlag()
        let swapper = Thread {
            var swaps = 0
            while !stop.isSet {
                if swl_renameat2(AT_FDCWD, "\(volume)/x", AT_FDCWD, "\(volume)/swap", UInt32(RENAME_EXCHANGE)) == 0 { swaps += 1 }
            }
            stop.swaps = swaps
        }
        swapper.start()
        var mounted = 0, refused = 0
        for _ in 0..<100 {
            var spec = sandbox.spec(["cat", "/mnt/marker"])
            spec.mounts = [BindMount(source: volume, destination: "/mnt", readOnly: true, subPath: "x")]
            do {
                let result = try sandbox.run(spec)
                XCTAssertEqual(result.stdout, "inside\n", "a start mounted something other than the volume's directory: \(result.stderr)")
                mounted += 1
                try sandbox.runtime.remove(result.record, force: true)
            } catch {
                XCTAssertTrue("\(error)".contains("Invalid cross-device link"), "\(error)")
                refused += 1
            }
        }
        stop.set()
        while !swapper.isFinished { usleep(1000) }
        print("subPath swap race: \(mounted) mounted, \(refused) refused, \(stop.swaps) swaps")
        XCTAssertGreaterThan(mounted, 0)
        XCTAssertGreaterThan(refused, 0, "the swapper never won: the race was not exercised")
    }
}

private final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var swaps = 0
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
