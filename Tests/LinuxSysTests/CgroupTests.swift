import XCTest
@testable import LinuxSys

final class CgroupTests: XCTestCase {
    let hybrid = """
        25 30 0:21 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
        26 25 0:22 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw
        28 25 0:24 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,memory
        """
    let pure = """
        35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
        36 24 0:31 / /tmp/my\\040dir rw shared:10 - cgroup2 cgroup2 rw
        """

    func testDetectsHybridLayout() throws {
        let found = try XCTUnwrap(CgroupHierarchy.parseMountInfo(hybrid))
        XCTAssertEqual(found.mountPoint, "/sys/fs/cgroup/unified")
        XCTAssertTrue(found.hybrid)
    }

    func testPrefersSysFsCgroupOnPureV2() throws {
        let found = try XCTUnwrap(CgroupHierarchy.parseMountInfo(pure))
        XCTAssertEqual(found.mountPoint, "/sys/fs/cgroup")
        XCTAssertFalse(found.hybrid)
        XCTAssertEqual(CgroupHierarchy.unescapeMountPath("/tmp/my\\040dir"), "/tmp/my dir")
        XCTAssertNil(CgroupHierarchy.parseMountInfo("1 2 0:1 / / rw - ext4 /dev/vda rw"))
    }

    func testLimitFiles() {
        let limits = CgroupLimits(memoryMax: 64 << 20, memorySwapMax: 0, cpuMax: (quota: 50_000, period: 100_000),
                                  cpuWeight: 100, pidsMax: 10, ioMax: ["8:0 rbps=1048576"])
        XCTAssertEqual(limits.files.map { "\($0.file)=\($0.value)" },
                       ["memory.max=67108864", "memory.swap.max=0", "cpu.max=50000 100000", "cpu.weight=100",
                        "pids.max=10", "io.max=8:0 rbps=1048576"])
        XCTAssertEqual(limits.controllers, ["memory", "cpu", "pids", "io"])
    }

    /// Against a plain temporary directory standing in for a cgroup: limits whose
    /// controller is not listed in cgroup.controllers are reported, the rest written.
    func testApplyReportsUnavailableControllers() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: dir + "/leaf", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "pids memory\n".write(toFile: dir + "/leaf/cgroup.controllers", atomically: true, encoding: .utf8)
        for f in ["memory.max", "memory.swap.max", "pids.max"] { FileManager.default.createFile(atPath: dir + "/leaf/" + f, contents: nil) }
        let group = Cgroup(hierarchy: CgroupHierarchy(mountPoint: dir, hybrid: false, controllers: []), relativePath: "leaf")
        let unenforced = try group.apply(CgroupLimits(memoryMax: 1024, cpuMax: (quota: 1000, period: 100_000), pidsMax: 5))
        XCTAssertEqual(unenforced.map(\.file), ["cpu.max"])
        XCTAssertTrue(unenforced[0].description.contains("cpu controller is not available"))
        XCTAssertEqual(try String(contentsOfFile: dir + "/leaf/memory.max", encoding: .utf8), "1024")
        XCTAssertEqual(try String(contentsOfFile: dir + "/leaf/pids.max", encoding: .utf8), "5")
    }

    func testSystemErrorNamesOperationAndPath() {
        XCTAssertThrowsError(try sys("open", "/nonexistent/x") { open("/nonexistent/x", O_RDONLY) }) { error in
            XCTAssertEqual("\(error)", "open /nonexistent/x: No such file or directory")
        }
    }
}
