import Foundation
import Glibc
import LinuxSys
import Netlink
import XCTest
@testable import ContainerRuntime

final class HostLocalIPAMTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/swiftlet-ipam-XXXXXX".utf8CString)
        directory = String(cString: try XCTUnwrap(mkdtemp(&template)))
    }

    override func tearDownWithError() throws { try Files.removeTree(directory) }

    /// A /29: network .0, gateway .1, pods .2 to .6, broadcast .7.
    private func ipam(_ cidr: String = "10.42.0.0/29") throws -> HostLocalIPAM {
        try HostLocalIPAM(network: XCTUnwrap(IPv4Network(cidr)), directory: "\(directory)/ipam")
    }

    func testRangeSkipsNetworkGatewayAndBroadcast() throws {
        let ipam = try ipam("10.42.0.0/16")
        XCTAssertEqual(ipam.gateway.description, "10.42.0.1")
        XCTAssertEqual(ipam.range.lowerBound.description, "10.42.0.2")
        XCTAssertEqual(ipam.range.upperBound.description, "10.42.255.254")
        XCTAssertThrowsError(try self.ipam("10.42.0.0/31"))
    }

    func testNextAddressWrapsAtTheEndOfTheRange() throws {
        let range = try ipam().range
        XCTAssertEqual(HostLocalIPAM.next(after: IPv4Address("10.42.0.2")!, in: range).description, "10.42.0.3")
        XCTAssertEqual(HostLocalIPAM.next(after: IPv4Address("10.42.0.6")!, in: range).description, "10.42.0.2")
        // Outside the range (a stale hint after a CIDR change): start over.
        XCTAssertEqual(HostLocalIPAM.next(after: IPv4Address("192.168.0.9")!, in: range).description, "10.42.0.2")
    }

    func testAllocatesDistinctAddressesUntilExhausted() throws {
        let ipam = try ipam()
        let addresses = try (1...5).map { try ipam.allocate(for: "pod-\($0)").description }
        XCTAssertEqual(addresses, ["10.42.0.2", "10.42.0.3", "10.42.0.4", "10.42.0.5", "10.42.0.6"])
        XCTAssertThrowsError(try ipam.allocate(for: "pod-6")) { error in
            XCTAssertEqual("\(error)", "no free address for pod pod-6 in 10.42.0.0/29: all 5 are allocated")
        }
        XCTAssertEqual(try Files.readString("\(directory)/ipam/10.42.0.4"), "pod-3")
        XCTAssertEqual(try Files.readString("\(directory)/ipam/last_reserved_ip"), "10.42.0.6")
    }

    func testSamePodGetsTheSameAddressAcrossRestarts() throws {
        let first = try ipam().allocate(for: "pod-a")
        _ = try ipam().allocate(for: "pod-b")
        // A new instance stands for a restarted process: the directory is the state.
        XCTAssertEqual(try ipam().allocate(for: "pod-a"), first)
        XCTAssertEqual(try ipam().address(of: "pod-a"), first)
        XCTAssertEqual(try Files.list("\(directory)/ipam").filter { $0.hasPrefix("10.") }.count, 2, "no leaked address")
    }

    func testReleaseFreesTheAddressAndIgnoresUnknownPods() throws {
        let ipam = try ipam()
        let a = try ipam.allocate(for: "pod-a")
        try ipam.release(podID: "nobody")
        XCTAssertEqual(try ipam.address(of: "pod-a"), a)
        try ipam.release(podID: "pod-a")
        XCTAssertNil(try ipam.address(of: "pod-a"))
        XCTAssertFalse(Files.exists("\(directory)/ipam/\(a)"))
        try ipam.release(podID: "pod-a")
        // Round-robin: the next pod gets the next address, not the one just released.
        XCTAssertEqual(try ipam.allocate(for: "pod-b").description, "10.42.0.3")
        // Once the rest is taken, the released address is handed out again.
        for n in 1...3 { _ = try ipam.allocate(for: "pod-\(n)") }
        XCTAssertEqual(try ipam.allocate(for: "pod-last"), a)
    }

    func testAFileLeftEmptyByACrashIsReclaimed() throws {
        let ipam = try ipam()
        try Files.createDirectory("\(directory)/ipam")
        try Files.writeAtomically("\(directory)/ipam/10.42.0.2", "")
        XCTAssertEqual(try ipam.allocate(for: "pod-a").description, "10.42.0.2")
    }

    func testConcurrentAllocationsNeverShareAnAddress() throws {
        let ipam = try ipam("10.42.0.0/24")
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 40) { n in
            results.add(Result { try ipam.allocate(for: "pod-\(n % 20)") }, pod: n % 20)
        }
        let byPod = try results.byPod()
        XCTAssertEqual(byPod.count, 20)
        XCTAssertEqual(Set(byPod.values.map { Set($0) }.map(\.count)), [1], "a pod got two addresses: \(byPod)")
        XCTAssertEqual(Set(byPod.values.compactMap(\.first)).count, 20, "two pods share an address: \(byPod)")
    }

    func testHostVethNameIsStableAndFitsIFNAMSIZ() {
        let name = BridgeNetwork.hostVethName(for: "8f0c3a6e-2f5b-4d7e-9a1c-3b2d1e0f4a5b")
        XCTAssertEqual(name, BridgeNetwork.hostVethName(for: "8f0c3a6e-2f5b-4d7e-9a1c-3b2d1e0f4a5b"))
        XCTAssertNotEqual(name, BridgeNetwork.hostVethName(for: "8f0c3a6e-2f5b-4d7e-9a1c-3b2d1e0f4a5c"))
        XCTAssertEqual(name.count, 12)
        // FNV-1a of "" is its offset basis.
        XCTAssertEqual(BridgeNetwork.hostVethName(for: ""), "veth811c9dc5")
        XCTAssertEqual(BridgeNetwork.hostVethName(for: "a"), "vethe40c292c")
    }
}

private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [(pod: Int, result: Result<IPv4Address, any Error>)] = []

    func add(_ result: Result<IPv4Address, any Error>, pod: Int) {
        lock.withLock { results.append((pod, result)) }
    }

    func byPod() throws -> [Int: [IPv4Address]] {
        try lock.withLock { try Dictionary(grouping: results, by: \.pod).mapValues { try $0.map { try $0.result.get() } } }
    }
}
