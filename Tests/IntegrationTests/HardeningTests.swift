import ContainerRuntime
import Foundation
import LinuxSys
import XCTest

/// The defaults, asserted from inside a real container.
final class HardeningTests: PrivilegedTestCase {
    func testDefaultCapabilitiesNoNewPrivsAndSeccomp() throws {
        let result = try sandbox.run("grep", "-E", "^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):", "/proc/self/status")
        XCTAssertEqual(result.stdout, """
            CapInh:\t0000000000000000
            CapPrm:\t00000000a80425fb
            CapEff:\t00000000a80425fb
            CapBnd:\t00000000a80425fb
            CapAmb:\t0000000000000000
            NoNewPrivs:\t1
            Seccomp:\t2

            """)
    }

    func testCapAddAndDrop() throws {
        var spec = sandbox.spec(["grep", "CapEff", "/proc/self/status"])
        spec.capDrop = ["ALL"]
        spec.capAdd = ["NET_BIND_SERVICE", "cap_kill"]
        XCTAssertEqual(try sandbox.run(spec).stdout, "CapEff:\t0000000000000420\n")
    }

    func testNamespaceCreationIsRefused() throws {
        let result = try sandbox.run("sh", "-c", "busybox unshare -n true; echo status=$?")
        XCTAssertTrue(result.stdout.hasSuffix("status=1\n"), result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.contains("Operation not permitted"), result.stderr)
    }

    func testMaskedAndReadOnlyProcPaths() throws {
        let result = try sandbox.run("sh", "-c", """
            echo kcore=$(cat /proc/kcore 2>/dev/null | wc -c)
            echo keys=$(cat /proc/keys | wc -c)
            echo timer_list=$(cat /proc/timer_list | wc -c)
            ls /proc/acpi 2>/dev/null | wc -l
            echo h > /proc/sysrq-trigger 2>/dev/null && echo sysrq-written || echo sysrq-refused
            echo 1 > /proc/sys/kernel/domainname 2>/dev/null && echo sys-written || echo sys-refused
            touch /sys/x 2>/dev/null && echo sys-rw || echo sys-ro
            """)
        XCTAssertEqual(result.stdout, "kcore=0\nkeys=0\ntimer_list=0\n0\nsysrq-refused\nsys-refused\nsys-ro\n", result.stderr)
    }

    func testMinimalDev() throws {
        let result = try sandbox.run("sh", "-c", "ls /dev | tr '\\n' ' '; echo; readlink /dev/fd; head -c 4 /dev/zero | wc -c")
        XCTAssertEqual(result.stdout, "core fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero \n/proc/self/fd\n4\n", result.stderr)
    }

    /// CAP_MKNOD lets a container create a node for the host's disk, but the cgroup
    /// device filter stops it from opening it.
    func testBlockDeviceFromMknodCannotBeOpened() throws {
        let disk = try hostBlockDevice()
        let script = """
            mknod /tmp/disk b \(disk.major) \(disk.minor) && echo made
            head -c 1 /tmp/disk > /dev/null 2>&1 && echo opened || echo refused
            mknod /tmp/null c 1 3 && head -c 1 /tmp/null && echo null-ok
            """
        let result = try sandbox.run("sh", "-c", script)
        XCTAssertEqual(result.stdout, "made\nrefused\nnull-ok\n", result.stderr)
    }

    func testPrivilegedIsAnExplicitOptIn() throws {
        var spec = sandbox.spec(["grep", "-E", "^(CapEff|NoNewPrivs|Seccomp):", "/proc/self/status"])
        spec.privileged = true
        let all = try CapabilitySet.grantable()
        XCTAssertEqual(try sandbox.run(spec).stdout, "CapEff:\t\(all.hex.dropFirst(2))\nNoNewPrivs:\t0\nSeccomp:\t0\n")
        var unconfined = sandbox.spec(["grep", "-E", "^(NoNewPrivs|Seccomp):", "/proc/self/status"])
        unconfined.seccomp = .unconfined
        XCTAssertEqual(try sandbox.run(unconfined).stdout, "NoNewPrivs:\t1\nSeccomp:\t0\n")
    }

    func testFileDescriptorsAboveTwoAreClosed() throws {
        let result = try sandbox.run("ls", "/proc/self/fd")
        // ls itself opens one descriptor for the directory it lists.
        XCTAssertEqual(result.stdout.split(separator: "\n").sorted(), ["0", "1", "2", "3"], result.stdout)
    }

    /// The major:minor of a block device the host can open (so that a refusal inside the
    /// container comes from the device filter, not from the device).
    private func hostBlockDevice() throws -> (major: Int, minor: Int) {
        for name in (try? Files.list("/sys/block")) ?? [] {
            guard let dev = try? Files.readString("/sys/block/\(name)/dev") else { continue }
            let parts = dev.trimmingWhitespace().split(separator: ":")
            guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { continue }
            let fd = open("/dev/\(name)", O_RDONLY)
            if fd >= 0 {
                close(fd)
                print("using host block device \(name) \(major):\(minor)")
                return (major, minor)
            }
        }
        throw XCTSkip("no host block device can be opened here")
    }
}
