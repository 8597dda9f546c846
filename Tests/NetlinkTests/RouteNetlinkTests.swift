import Foundation
import Glibc
import LinuxSys
import Netlink
import XCTest

/// Real rtnetlink against the kernel (root). Every test works inside namespaces it
/// creates itself — even its "host" side — so nothing reaches the namespace the test
/// process runs in.
final class RouteNetlinkTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        guard geteuid() == 0 else {
            let reason = "privileged test: needs root (network namespaces, veth, bridges)"
            // CI (the test script as root) sets this: there a skip is a failure.
            if ProcessInfo.processInfo.environment["SWIFTLET_REQUIRE_PRIVILEGED"] == "1" { XCTFail(reason) }
            print("skipping: \(reason)")
            throw XCTSkip(reason)
        }
        var template = Array("/tmp/swiftlet-netlink-XXXXXX".utf8CString)
        directory = String(cString: try XCTUnwrap(mkdtemp(&template)))
    }

    override func tearDownWithError() throws {
        guard !directory.isEmpty else { return }
        for name in try Files.list(directory) { try NetworkNamespace.remove(at: "\(directory)/\(name)") }
        try Files.removeTree(directory)
    }

    private func namespace(_ name: String) throws -> String {
        let path = "\(directory)/\(name)"
        try NetworkNamespace.create(at: path)
        return path
    }

    private func currentNamespace() throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self/ns/net")
    }

    func testNamespaceIsNewHasLoopbackUpAndLeavesTheCallerAlone() throws {
        let before = try currentNamespace()
        let path = try namespace("ns")
        let inside = try NetworkNamespace.run(in: path) { try currentNamespace() }
        XCTAssertNotEqual(inside, before)
        XCTAssertEqual(try currentNamespace(), before, "the calling thread must not change namespace")
        // 127.0.0.1 exists only once lo is up.
        let bound = try NetworkNamespace.run(in: path) { () throws -> Int32 in
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        XCTAssertEqual(bound, 0, "lo is not up in the new namespace")
        XCTAssertTrue(try RouteNetlink(namespace: path).link("lo").isUp)

        // The same namespace again through its bind mount; then removal, twice.
        XCTAssertEqual(try NetworkNamespace.run(in: path) { try currentNamespace() }, inside)
        XCTAssertThrowsError(try NetworkNamespace.create(at: path), "creating over an existing namespace")
        try NetworkNamespace.remove(at: path)
        XCTAssertFalse(Files.exists(path))
        try NetworkNamespace.remove(at: path)
        XCTAssertThrowsError(try NetworkNamespace.run(in: path) { 1 })
    }

    func testRunPassesErrorsThrough() throws {
        let path = try namespace("ns")
        XCTAssertThrowsError(try NetworkNamespace.run(in: path) { throw SystemError("probe", errno: EPERM) }) { error in
            XCTAssertEqual(error as? SystemError, SystemError("probe", errno: EPERM))
        }
    }

    func testVethPeerIsCreatedInsideTheTargetNamespace() throws {
        let host = try RouteNetlink(namespace: try namespace("host"))
        let podPath = try namespace("pod")
        let pod = try RouteNetlink(namespace: podPath)

        try host.createBridge("br-test")
        try host.setUp("br-test")
        try host.createVeth("veth-test", peer: "eth0", peerNamespace: podPath)
        XCTAssertNotNil(try host.linkIndexIfPresent("veth-test"))
        XCTAssertNil(try host.linkIndexIfPresent("eth0"), "the peer must never be in the host namespace")
        XCTAssertNotNil(try pod.linkIndexIfPresent("eth0"))
        XCTAssertNil(try pod.linkIndexIfPresent("veth-test"))

        try host.setMaster("veth-test", master: "br-test")
        try host.setMTU("veth-test", 1400)
        try host.setUp("veth-test")
        let veth = try host.link("veth-test")
        XCTAssertEqual(veth.master, try host.linkIndex("br-test"))
        XCTAssertEqual(veth.mtu, 1400)
        XCTAssertTrue(veth.isUp)
        XCTAssertFalse(try pod.link("eth0").isUp)

        try pod.setUp("eth0")
        try pod.addAddress(IPv4Address("10.99.0.2")!, prefixLength: 24, to: "eth0")
        try pod.addRoute(via: IPv4Address("10.99.0.1")!)

        // Deleting the host end takes the peer with it.
        try host.deleteLink("veth-test")
        XCTAssertNil(try host.linkIndexIfPresent("veth-test"))
        XCTAssertNil(try pod.linkIndexIfPresent("eth0"))
    }

    func testErrorsNameTheOperationAndTheObject() throws {
        let host = try RouteNetlink(namespace: try namespace("host"))
        try host.createBridge("br-test")
        XCTAssertThrowsError(try host.createBridge("br-test")) { error in
            XCTAssertEqual("\(error)", "netlink RTM_NEWLINK br-test: File exists")
        }
        XCTAssertThrowsError(try host.deleteLink("veth-nope")) { error in
            XCTAssertEqual((error as? SystemError)?.errno, ENODEV)
            XCTAssertEqual((error as? SystemError)?.operation, "netlink RTM_DELLINK")
        }
        try host.addAddress(IPv4Address("10.99.0.1")!, prefixLength: 24, to: "br-test")
        // Where the kernel explains an error (extended ACK), the explanation is kept; its
        // wording is the kernel's, so only its place is checked.
        XCTAssertThrowsError(try host.addAddress(IPv4Address("10.99.0.1")!, prefixLength: 24, to: "br-test")) { error in
            XCTAssertTrue("\(error)".hasPrefix("netlink RTM_NEWADDR 10.99.0.1/24 on br-test"), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix(": File exists"), "\(error)")
        }
        XCTAssertThrowsError(try host.addRoute(via: IPv4Address("192.0.2.1")!)) { error in
            XCTAssertEqual((error as? SystemError)?.errno, ENETUNREACH)
            XCTAssertTrue("\(error)".hasPrefix("netlink RTM_NEWROUTE default via 192.0.2.1 ("), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("): Network is unreachable"), "\(error)")
        }
        // The socket is still usable after errors (their replies were consumed).
        XCTAssertEqual(try host.linkIndex("lo"), 1)
    }
}
