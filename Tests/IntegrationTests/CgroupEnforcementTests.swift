import ContainerRuntime
import Foundation
import LinuxSys
import XCTest

/// Limits, for real. One source, two places: where the controller is available (pure
/// cgroup v2: the VM tier) the limit must be enforced; where it is not (this repo's
/// hybrid build hosts) it must be reported as not enforced while the container runs.
final class CgroupEnforcementTests: PrivilegedTestCase {
    private func enforces(_ controller: String) throws -> Bool {
        let available = try sandbox.runtime.hierarchy().controllers.contains(controller)
        print("\(controller) controller: \(available ? "enforced (asserting enforcement)" : "unavailable (asserting the report)")")
        return available
    }

    func testMemoryLimitOOMKills() throws {
        var spec = sandbox.spec(["sh", "-c", "x=$(head -c 134217728 /dev/zero | tr '\\000' a); echo survived ${#x}"])
        spec.memoryLimitBytes = 32 << 20
        let started = try sandbox.runtime.run(spec, attach: false)
        let status = try sandbox.runtime.wait(started)
        if try enforces("memory") {
            XCTAssertTrue(status.oomKilled, "\(status)")
            XCTAssertEqual(status.reason, "OOMKilled")
            XCTAssertEqual(status.code, 137)
            let events = try Files.readString(sandbox.runtime.hierarchyPath(started.record) + "/memory.events")
            let kills = events.split(separator: "\n").first { $0.hasPrefix("oom_kill ") }.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
            XCTAssertGreaterThanOrEqual(kills, 1, events)
        } else {
            XCTAssertTrue(started.unenforced.contains { $0.file == "memory.max" })
            XCTAssertFalse(status.oomKilled)
            XCTAssertEqual(sandbox.logs(started.record).0, "survived 134217728\n")
        }
    }

    func testPidsLimitStopsAForkBomb() throws {
        // The bomb runs in a subshell: a shell that cannot fork gives up, and the outer
        // one (PID 1, which inherits the orphans) reports what the limit allowed.
        var spec = sandbox.spec(["sh", "-c", "(for i in $(seq 1 40); do sleep 2 & done) 2>/dev/null; echo started; read c < /sys/fs/cgroup/pids.current 2>/dev/null && echo $c; exit 0"])
        spec.pidsLimit = 10
        let started = try sandbox.runtime.run(spec, attach: false)
        let status = try sandbox.runtime.wait(started)
        XCTAssertEqual(status.code, 0)
        let output = sandbox.logs(started.record).0
        if try enforces("pids") {
            let lines = output.split(separator: "\n")
            XCTAssertEqual(lines.first, "started")
            let current = lines.count > 1 ? Int(lines[1]) ?? 99 : 99
            XCTAssertLessThanOrEqual(current, 10, output)
        } else {
            XCTAssertTrue(started.unenforced.contains { $0.file == "pids.max" })
        }
        // The host is unaffected either way: we can still fork.
        XCTAssertEqual(spawnTrue(), 0)
    }

    func testCPULimitThrottles() throws {
        var spec = sandbox.spec(["sh", "-c", "end=$(($(date +%s) + 2)); while [ $(date +%s) -lt $end ]; do :; done"])
        spec.cpus = 0.1
        let started = try sandbox.runtime.run(spec, attach: false)
        let path = sandbox.runtime.hierarchyPath(started.record)
        _ = try sandbox.runtime.wait(started)
        if try enforces("cpu") {
            XCTAssertEqual(try Files.readString(path + "/cpu.max").trimmingWhitespace(), "10000 100000")
            let stat = try Files.readString(path + "/cpu.stat")
            let throttled = stat.split(separator: "\n").first { $0.hasPrefix("nr_throttled ") }.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
            XCTAssertGreaterThan(throttled, 0, stat)
        } else {
            XCTAssertTrue(started.unenforced.contains { $0.file == "cpu.max" })
        }
    }

    /// The kubelet's layout: kubepods/QoS/pod/container, controllers enabled at every
    /// level that offers them, processes only in the leaves.
    func testNestedHierarchyKeepsProcessesInLeaves() throws {
        let hierarchy = try sandbox.runtime.hierarchy()
        let base = sandbox.runtime.paths.cgroupParent
        let leaf = Cgroup(hierarchy: hierarchy, relativePath: "\(base)/kubepods/burstable/pod1234/app")
        let enabled = try leaf.create(enabling: ["cpu", "memory", "pids", "io"])
        defer {
            for path in ["kubepods/burstable/pod1234/app", "kubepods/burstable/pod1234", "kubepods/burstable", "kubepods"] {
                try? Cgroup(hierarchy: hierarchy, relativePath: "\(base)/\(path)").remove()
            }
        }
        XCTAssertEqual(enabled, Set(["cpu", "memory", "pids", "io"]).intersection(hierarchy.controllers))
        var level = hierarchy.mountPoint
        for component in leaf.relativePath.split(separator: "/").dropLast() {
            level += "/\(component)"
            let subtree = Set(try Files.readString(level + "/cgroup.subtree_control").split(whereSeparator: \.isWhitespace).map(String.init))
            XCTAssertEqual(subtree, enabled, "controllers at \(level)")
        }
        XCTAssertTrue(Set(try Files.readString(leaf.path + "/cgroup.controllers").split(whereSeparator: \.isWhitespace).map(String.init)).isSuperset(of: enabled))
        XCTAssertNoThrow(try leaf.apply(CgroupLimits(memoryMax: enabled.contains("memory") ? 64 << 20 : nil, pidsMax: enabled.contains("pids") ? 20 : nil)))
    }

    func testCgroupKillRemovesEveryProcess() throws {
        let started = try sandbox.runtime.run(sandbox.spec(["sh", "-c", "for i in 1 2 3 4 5; do sleep 1000 & done; sleep 1000"]), attach: false)
        let group = Cgroup(hierarchy: try sandbox.runtime.hierarchy(), relativePath: started.record.cgroup)
        let deadline = Date().addingTimeInterval(5)
        // Five background sleeps, and sh itself (which execs its last command in place).
        while group.processes().count < 6, Date() < deadline { usleep(10_000) }
        XCTAssertEqual(group.processes().count, 6)
        try group.kill()
        let status = try sandbox.runtime.wait(started)
        XCTAssertEqual(status.code, 137)
        XCTAssertEqual(group.processes(), [])
    }

    private func spawnTrue() -> Int32 {
        var pid: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, "/bin/true", nil, nil, &argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return status
    }
}
