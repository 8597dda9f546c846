import ContainerRuntime
import Foundation
import LinuxSys
import XCTest

/// Real containers from the example busybox image: output, exit codes, environment,
/// user, working directory, stop, and a container outliving the process that started it.
final class ContainerLifecycleTests: PrivilegedTestCase {
    func testOutputAndExitCode() throws {
        let result = try sandbox.run("sh", "-c", "echo out; echo err >&2; exit 3")
        XCTAssertEqual(result.status.code, 3)
        XCTAssertEqual(result.status.reason, "Error")
        XCTAssertEqual(result.stdout, "out\n")
        XCTAssertEqual(result.stderr, "err\n")
        let ok = try sandbox.run("true")
        XCTAssertEqual(ok.status.code, 0)
        XCTAssertEqual(ok.status.reason, "Completed")
    }

    func testCRILogFormat() throws {
        let result = try sandbox.run("sh", "-c", "echo one; printf two")
        let log = try Files.readString(result.record.logPath)
        let lines = log.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, log)
        let pattern = try NSRegularExpression(pattern: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout [PF] "#)
        for line in lines {
            XCTAssertEqual(pattern.numberOfMatches(in: String(line), range: NSRange(line.startIndex..., in: line)), 1, String(line))
        }
        XCTAssertTrue(lines[0].hasSuffix(" stdout F one"))
        // As containerd writes it: output that ends without a newline is still a full record.
        XCTAssertTrue(lines[1].hasSuffix(" stdout F two"), String(lines[1]))
    }

    func testEnvironmentUserAndWorkdir() throws {
        var spec = sandbox.spec(["sh", "-c", "echo $GREETING; id -u; id -g; pwd; echo $HOSTNAME; hostname"])
        spec.env = ["GREETING=hello world"]
        spec.user = "nobody"
        spec.workingDir = "/tmp"
        spec.hostname = "box"
        let result = try sandbox.run(spec)
        XCTAssertEqual(result.status.code, 0, result.stderr)
        XCTAssertEqual(result.stdout, "hello world\n65534\n65534\n/tmp\nbox\nbox\n")

        spec.user = "1234:5678"
        spec.command = ["sh", "-c", "id -u; id -g; grep CapEff /proc/self/status"]
        let numeric = try sandbox.run(spec)
        XCTAssertEqual(numeric.stdout, "1234\n5678\nCapEff:\t0000000000000000\n", "non-root users keep no effective capabilities")
    }

    func testImageLayersAreMergedWithWhiteouts() throws {
        let result = try sandbox.run("sh", "-c", "ls /usr/share/swiftlet-example; test -e /etc/motd || echo motd-deleted; cat /etc/os-release | head -1")
        XCTAssertEqual(result.stdout, "new\nmotd-deleted\nNAME=\"Swiftlet example\"\n", result.stderr)
    }

    func testWritesStayInTheContainer() throws {
        let first = try sandbox.run("sh", "-c", "echo changed > /etc/issue; cat /etc/issue")
        XCTAssertEqual(first.stdout, "changed\n")
        let second = try sandbox.run("cat", "/etc/issue")
        XCTAssertEqual(second.stdout, "Swiftlet example image\n", "the image's layers are never written")
    }

    func testReadOnlyRootfs() throws {
        var spec = sandbox.spec(["sh", "-c", "touch /x 2>&1; touch /tmp/y 2>&1; echo done"])
        spec.readOnlyRootfs = true
        let result = try sandbox.run(spec)
        XCTAssertTrue(result.stdout.contains("Read-only file system"), result.stdout)
    }

    func testStopWithGracePeriod() throws {
        // A process that handles SIGTERM exits at once with its own status.
        var polite = sandbox.spec(["sh", "-c", "trap 'echo bye; exit 0' TERM; echo ready; while :; do sleep 0.1; done"])
        polite.stopGraceSeconds = 10
        let started = try sandbox.runtime.run(polite, attach: false)
        try waitForOutput(started.record, "ready\n")
        let t0 = Date()
        try sandbox.runtime.stop(started.record)
        XCTAssertLessThan(Date().timeIntervalSince(t0), 5)
        guard case .exited(let exit) = sandbox.runtime.status(of: started.record) else { return XCTFail("not exited") }
        XCTAssertEqual(exit.code, 0)
        XCTAssertEqual(sandbox.logs(started.record).0, "ready\nbye\n")

        // PID 1 without a handler ignores SIGTERM: killed after the grace period.
        let stubborn = try sandbox.runtime.run(sandbox.spec(["sleep", "1000"]), attach: false)
        let t1 = Date()
        try sandbox.runtime.stop(stubborn.record, grace: 1)
        let took = Date().timeIntervalSince(t1)
        XCTAssertGreaterThanOrEqual(took, 0.9)
        guard case .exited(let killed) = sandbox.runtime.status(of: stubborn.record) else { return XCTFail("not exited") }
        XCTAssertEqual(killed.code, 137)
        XCTAssertEqual(killed.signal, 9)
    }

    /// `swiftlet run -d` in a separate process that exits; a new Runtime (as a new
    /// swiftlet process would) finds the container running, stops and removes it.
    func testContainerOutlivesItsStarterAndIsFoundAgain() throws {
        let cli = URL(fileURLWithPath: Sandbox.shimPath()).deletingLastPathComponent().appendingPathComponent("swiftlet").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cli)
        process.arguments = ["--root", sandbox.runtime.paths.root, "--state", sandbox.runtime.paths.state,
                             "run", "-d", "--name", "survivor", Sandbox.image, "sleep", "1000"]
        // The CLI uses the default cgroup parent; this test's cleanup removes its container.
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let id = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(id.count, 64)

        let fresh = Runtime(paths: RuntimePaths(root: sandbox.runtime.paths.root, state: sandbox.runtime.paths.state),
                            shimPath: Sandbox.shimPath())
        let record = try fresh.find("survivor")
        XCTAssertEqual(record.id, id)
        guard case .running(let pid, _) = fresh.status(of: record) else { return XCTFail("not running") }
        XCTAssertGreaterThan(pid, 0)
        XCTAssertEqual(try fresh.find(String(id.prefix(6))).id, id)
        try fresh.stop(record, grace: 1)
        guard case .exited(let exit) = fresh.status(of: record) else { return XCTFail("not exited") }
        XCTAssertEqual(exit.code, 137)
        try fresh.remove(record, force: false)
        XCTAssertThrowsError(try fresh.find("survivor"))
        XCTAssertFalse(Files.exists(fresh.hierarchyPath(record)))
        // The CLI's default cgroup parent; rmdir only succeeds if nothing else uses it.
        rmdir(Files.dirname(fresh.hierarchyPath(record)))
    }

    func testRemoveRefusesARunningContainerUnlessForced() throws {
        let started = try sandbox.runtime.run(sandbox.spec(["sleep", "1000"]), attach: false)
        XCTAssertThrowsError(try sandbox.runtime.remove(started.record, force: false)) { error in
            XCTAssertTrue("\(error)".contains("is running"), "\(error)")
        }
        try sandbox.runtime.remove(started.record, force: true)
        XCTAssertEqual(sandbox.leftovers(), [])
    }

    func testCgroupLimitsAreWrittenOrReportedAsUnenforced() throws {
        var spec = sandbox.spec(["sleep", "1000"])
        spec.memoryLimitBytes = 64 << 20
        spec.cpus = 0.5
        spec.pidsLimit = 10
        let started = try sandbox.runtime.run(spec, attach: false)
        defer { try? sandbox.runtime.remove(started.record, force: true) }
        let hierarchy = try sandbox.runtime.hierarchy()
        let path = hierarchy.path(started.record.cgroup)
        let expected = [("memory", "memory.max", "67108864"), ("cpu", "cpu.max", "50000 100000"), ("pids", "pids.max", "10")]
        for (controller, file, value) in expected {
            if hierarchy.controllers.contains(controller) {
                XCTAssertEqual(try Files.readString("\(path)/\(file)").trimmingWhitespace(), value, file)
                XCTAssertFalse(started.unenforced.contains { $0.file == file })
            } else {
                let report = started.unenforced.first { $0.file == file }
                XCTAssertNotNil(report, "\(file) must be reported as not enforced on this host")
                XCTAssertTrue(report?.description.contains("\(controller) controller is not available") ?? false)
                print("host cannot enforce: \(report!)")
            }
        }
        // The container's processes are in its cgroup, and only there.
        let procs = try Files.readString("\(path)/cgroup.procs").split(separator: "\n")
        XCTAssertEqual(procs.count, 1)
        XCTAssertEqual(Int32(procs[0]), started.containerPid)
    }

    func testRunRemovesEverythingOnSuccess() throws {
        let started = try sandbox.runtime.run(sandbox.spec(["true"]), attach: false)
        _ = try sandbox.runtime.wait(started)
        try sandbox.runtime.remove(started.record, force: false)
        XCTAssertEqual(sandbox.leftovers(), [])
    }

    private func waitForOutput(_ record: ContainerRecord, _ text: String, timeout: TimeInterval = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if sandbox.logs(record).0.contains(text) { return }
            usleep(20_000)
        }
        XCTFail("timed out waiting for \(text.debugDescription) in the log of \(record.name)")
    }
}

extension Runtime {
    func hierarchyPath(_ record: ContainerRecord) -> String {
        ((try? hierarchy()) ?? CgroupHierarchy(mountPoint: "/sys/fs/cgroup", hybrid: false, controllers: [])).path(record.cgroup)
    }
}
