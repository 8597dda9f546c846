import XCTest
@testable import ContainerRuntime

/// The setup plan is a pure value: these pin its rendering against golden files in
/// Golden/. Regenerate them with SWIFTLET_UPDATE_GOLDEN=1 and review the diff.
final class PlanTests: XCTestCase {
    static func input() -> PlanInput {
        PlanInput(
            id: "c0ffee", stateDir: "/run/swiftlet/containers/c0ffee", logPath: "/var/lib/swiftlet/containers/c0ffee/container.log",
            cgroupPath: "/sys/fs/cgroup/swiftlet/c0ffee", rootfs: "/run/swiftlet/containers/c0ffee/rootfs",
            layers: ["/var/lib/swiftlet/snapshots/aaa/fs", "/var/lib/swiftlet/snapshots/bbb/fs"],
            upperDir: "/var/lib/swiftlet/containers/c0ffee/upper", workDir: "/var/lib/swiftlet/containers/c0ffee/work",
            args: ["sh", "-c", "echo hello world; exit 3"], env: ["PATH=/bin", "GREETING=100% sure"], cwd: "/srv/my dir",
            uid: 1000, gid: 1000, supplementaryGroups: [10, 20], hostname: "c0ffee", network: .none,
            capabilities: 0xa80425fb, privileged: false, readOnlyRootfs: true,
            seccompProgram: "/var/lib/swiftlet/seccomp/abc.bpf",
            etcFiles: [("/etc/hosts", "/run/swiftlet/containers/c0ffee/hosts")],
            tty: false, attach: true, stdin: false, stopGraceSeconds: 10)
    }

    func testDefaultPlanMatchesGolden() throws {
        try assertGolden(PlanBuilder.plan(Self.input()).rendered(), "default.plan")
    }

    /// Privileged, on the host's network and pid namespace (no `pid` among the new ones).
    func testPrivilegedHostNetworkPlanMatchesGolden() throws {
        var input = Self.input()
        input.privileged = true
        input.network = .host
        input.hostPID = true
        input.seccompProgram = nil
        input.readOnlyRootfs = false
        input.capabilities = (1 << 41) - 1
        input.tty = true
        try assertGolden(PlanBuilder.plan(input).rendered(), "privileged-host.plan")
    }

    /// A pod's container: it joins the sandbox's net, ipc and uts namespaces (so no
    /// hostname or loopback directives of its own) and binds its volumes, a subPath one
    /// for the shim to resolve below its volume.
    func testPodContainerPlanMatchesGolden() throws {
        var input = Self.input()
        input.joinNamespaces = [("ipc", "/run/swiftlet/sandboxes/u1/ipc"), ("net", "/run/swiftlet/sandboxes/u1/net"),
                                ("uts", "/run/swiftlet/sandboxes/u1/uts")]
        input.etcFiles = ["hostname", "hosts", "resolv.conf"].map { ("/etc/\($0)", "/run/swiftlet/sandboxes/u1/\($0)") }
        input.mounts = [BindMount(source: "/var/lib/swiftlet/kubelet/pods/u1/volumes/kubernetes.io~configmap/config",
                                  destination: "/etc/app config", readOnly: true),
                        BindMount(source: "/srv/data", destination: "/data", readOnly: false),
                        BindMount(source: "/var/lib/swiftlet/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/cache",
                                  destination: "/var/cache/app", readOnly: false, subPath: "app/v 2")]
        try assertGolden(PlanBuilder.plan(input).rendered(), "pod-container.plan")
    }

    /// An exec joins all of a running container's namespaces and keeps its restrictions.
    func testExecPlanMatchesGolden() throws {
        let input = ExecPlanInput(
            id: "c0ffee-exec-1", stateDir: "/run/swiftlet/containers/c0ffee/exec-1", cgroupPath: "/sys/fs/cgroup/swiftlet/c0ffee",
            containerPid: 4242, args: ["sh", "-c", "echo hi"], env: ["PATH=/bin", "TERM=xterm"], cwd: "/srv",
            uid: 1000, gid: 3000, supplementaryGroups: [4], capabilities: 0xa80425fb, noNewPrivileges: true,
            seccompProgram: "/var/lib/swiftlet/seccomp/abc.bpf", tty: true, stdin: true)
        try assertGolden(PlanBuilder.execPlan(input).rendered(), "exec.plan")
    }

    /// allowPrivilegeEscalation: true is the one way to lose no_new_privs short of privileged.
    func testAllowPrivilegeEscalationLiftsNoNewPrivileges() {
        var input = Self.input()
        XCTAssertTrue(PlanBuilder.plan(input).directives.contains(.noNewPrivileges))
        input.allowPrivilegeEscalation = true
        XCTAssertFalse(PlanBuilder.plan(input).directives.contains(.noNewPrivileges))
        XCTAssertTrue(PlanBuilder.plan(input).directives.contains(.seccomp("/var/lib/swiftlet/seccomp/abc.bpf")))
    }

    /// The holder of a shared pid namespace: nothing to run, nobody, no capabilities.
    func testPidNamespaceHolderPlanMatchesGolden() throws {
        let plan = PlanBuilder.holderPlan(id: "u1-pid", stateDir: "/run/swiftlet/sandboxes/u1/holder",
                                          cgroupPath: "/sys/fs/cgroup/swiftlet/kubepods/besteffort/podu1/sandbox",
                                          seccompProgram: "/var/lib/swiftlet/seccomp/abc.bpf")
        try assertGolden(plan.rendered(), "pid-holder.plan")
    }

    /// hostPort DNAT and masquerade for the pod network, as one nftables table.
    func testPodNATRulesetMatchesGolden() throws {
        let pods = [
            PodNAT.Pod(ip: "10.42.0.7", mappings: [PortMapping(proto: "UDP", hostPort: 5353, containerPort: 53, hostIP: "192.168.1.10")]),
            PodNAT.Pod(ip: "10.42.0.3", mappings: [PortMapping(proto: "TCP", hostPort: 8080, containerPort: 80),
                                                   PortMapping(proto: "TCP", hostPort: 8443, containerPort: 443, hostIP: "0.0.0.0")]),
            PodNAT.Pod(ip: "10.42.0.4", mappings: []),
        ]
        try assertGolden(PodNAT.ruleset(podCIDR: "10.42.0.0/24", pods: pods), "pod-nat.nft")
    }

    func testFieldEncoding() {
        XCTAssertEqual(SetupPlan.encode(""), "%")
        XCTAssertEqual(SetupPlan.encode("a b%c\nd\u{7f}"), "a%20b%25c%0Ad%7F")
        XCTAssertEqual(SetupPlan.encode("héllo"), "héllo", "UTF-8 passes through unchanged")
    }

    func testEnvironmentMerge() {
        XCTAssertEqual(Runtime.mergeEnvironment(image: ["A=1", "B=2"], overrides: ["B=3", "C=4"]),
                       ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "A=1", "B=3", "C=4"])
        XCTAssertEqual(Runtime.mergeEnvironment(image: ["PATH=/x"], overrides: ["PATH=/y"]), ["PATH=/y"])
    }

    func testExitStatusParse() {
        let status = ExitStatus.parse("code 137\nsignal 9\noom 1\nfinished 2026-01-02T03:04:05.000000001Z\n")
        XCTAssertEqual(status, ExitStatus(code: 137, signal: 9, oomKilled: true, finishedAt: "2026-01-02T03:04:05.000000001Z"))
        XCTAssertEqual(status?.reason, "OOMKilled")
        XCTAssertNil(ExitStatus.parse("garbage"))
    }

    func testCRILogJoinsPartialLines() {
        let log = """
            2026-01-02T03:04:05.000000001Z stdout P hello\u{20}
            2026-01-02T03:04:05.000000002Z stderr F oops
            2026-01-02T03:04:05.000000003Z stdout F world
            2026-01-02T03:04:05.000000004Z stdout F\u{20}

            """
        let entries = CRILog.parse(Array(log.utf8))
        XCTAssertEqual(entries.map(\.text), ["oops\n", "hello world\n", "\n"])
        XCTAssertEqual(entries.map(\.stream), [.stderr, .stdout, .stdout])
        XCTAssertEqual(entries[1].timestamp, "2026-01-02T03:04:05.000000001Z")
    }

    func testClockFormat() {
        var ts = timespec()
        ts.tv_sec = 1_767_323_045  // 2026-01-02T03:04:05Z
        ts.tv_nsec = 7
        XCTAssertEqual(Clock.rfc3339Nano(ts), "2026-01-02T03:04:05.000000007Z")
    }

    private func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("Golden/\(name)").path
        if ProcessInfo.processInfo.environment["SWIFTLET_UPDATE_GOLDEN"] == "1" {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(actual, expected, "rendering differs from \(path)", file: file, line: line)
    }
}
