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
}
