import ContainerRuntime
import Foundation
import Glibc
import LinuxSys
import Netlink
import XCTest

/// The bridge pod network with real namespaces and real TCP. The test's "host" is a
/// namespace of its own too (every step runs inside `NetworkNamespace.run(in: host)`),
/// so the bridge, veths and ip_forward never touch the test process's namespace.
final class PodNetworkTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        try requireRoot()
        var template = Array("/tmp/swiftlet-podnet-XXXXXX".utf8CString)
        directory = String(cString: try XCTUnwrap(mkdtemp(&template)))
        try Files.createDirectory("\(directory)/netns")
    }

    override func tearDownWithError() throws {
        guard !directory.isEmpty else { return }
        for name in try Files.list("\(directory)/netns") { try NetworkNamespace.remove(at: "\(directory)/netns/\(name)") }
        try Files.removeTree(directory)
    }

    private func namespace(_ name: String) throws -> String {
        let path = "\(directory)/netns/\(name)"
        try NetworkNamespace.create(at: path)
        return path
    }

    private func network() throws -> BridgeNetwork { try BridgeNetwork(ipamDir: "\(directory)/ipam") }

    func testTwoPodsOnOneBridgeReachEachOtherAndTheHost() throws {
        let (host, podA, podB) = (try namespace("host"), try namespace("pod-a"), try namespace("pod-b"))
        try NetworkNamespace.run(in: host) {
            let a = try network().attach(podID: "pod-a", netnsPath: podA)
            let b = try network().attach(podID: "pod-b", netnsPath: podB)
            XCTAssertNotEqual(a.ip, b.ip)
            XCTAssertEqual(a.gateway.description, "10.42.0.1")
            XCTAssertEqual(a.prefixLength, 16)
            XCTAssertTrue(BridgeNetwork.defaultCIDR.contains(a.ip) && BridgeNetwork.defaultCIDR.contains(b.ip))
            XCTAssertEqual(try Files.readString("/proc/sys/net/ipv4/ip_forward"), "1\n")

            let hostLinks = try RouteNetlink()
            let bridge = try hostLinks.link("swiftlet0")
            XCTAssertTrue(bridge.isUp)
            XCTAssertEqual(try hostLinks.link(a.hostVeth).master, bridge.index)
            XCTAssertEqual(try hostLinks.link(b.hostVeth).master, bridge.index)
            XCTAssertNil(try hostLinks.linkIndexIfPresent("eth0"), "a pod's interface showed up in the host")
            XCTAssertTrue(try RouteNetlink(namespace: podA).link("eth0").isUp)

            // Pod B to pod A, across the bridge: A sees B's own address.
            let listenerA = try NetworkNamespace.run(in: podA) { try TCP.listen(on: a.ip) }
            let fromB = try NetworkNamespace.run(in: podB) { try TCP.connect(to: a.ip, port: listenerA.port) }
            XCTAssertEqual(try TCP.exchange(client: fromB, listener: listenerA.fd), b.ip)

            // The host (its gateway address on the bridge) to pod A.
            let fromHost = try TCP.connect(to: a.ip, port: listenerA.port)
            XCTAssertEqual(try TCP.exchange(client: fromHost, listener: listenerA.fd), a.gateway)

            // Pod A to an address of the host outside the pod CIDR: only the default route
            // via the gateway leads there.
            try hostLinks.addAddress(IPv4Address("192.0.2.1")!, prefixLength: 32, to: "lo")
            let listenerHost = try TCP.listen(on: IPv4Address("192.0.2.1")!)
            let fromA = try NetworkNamespace.run(in: podA) { try TCP.connect(to: IPv4Address("192.0.2.1")!, port: listenerHost.port) }
            XCTAssertEqual(try TCP.exchange(client: fromA, listener: listenerHost.fd), a.ip)
        }
    }

    func testDetachRemovesTheVethAndFreesTheAddress() throws {
        let (host, pod) = (try namespace("host"), try namespace("pod"))
        try NetworkNamespace.run(in: host) {
            let network = try network()
            let info = try network.attach(podID: "pod-1", netnsPath: pod)
            XCTAssertNotNil(try RouteNetlink().linkIndexIfPresent(info.hostVeth))

            try network.detach(podID: "pod-1", netnsPath: pod)
            XCTAssertNil(try RouteNetlink().linkIndexIfPresent(info.hostVeth))
            XCTAssertNil(try RouteNetlink(namespace: pod).linkIndexIfPresent("eth0"))
            XCTAssertNil(try network.ipam.address(of: "pod-1"))
            XCTAssertFalse(Files.exists("\(directory)/ipam/\(info.ip)"))
            // Idempotent, and fine once the namespace itself is gone.
            try network.detach(podID: "pod-1", netnsPath: pod)
            try NetworkNamespace.remove(at: pod)
            try network.detach(podID: "pod-1", netnsPath: pod)
            XCTAssertTrue(try RouteNetlink().link("swiftlet0").isUp, "detach must leave the bridge to other pods")
        }
    }

    func testAttachAfterARestartKeepsThePodAddress() throws {
        let (host, pod, other) = (try namespace("host"), try namespace("pod"), try namespace("other"))
        try NetworkNamespace.run(in: host) {
            let first = try network().attach(podID: "pod-1", netnsPath: pod)
            _ = try network().attach(podID: "pod-2", netnsPath: other)
            // A restarted kubelet: new values, the same directory, the veth still there.
            let again = try network().attach(podID: "pod-1", netnsPath: pod)
            XCTAssertEqual(again, first)
            XCTAssertEqual(try Files.list("\(directory)/ipam").filter { IPv4Address($0) != nil }.count, 2)
            // And the pod is reachable on its replaced veth.
            let listener = try NetworkNamespace.run(in: pod) { try TCP.listen(on: again.ip) }
            XCTAssertEqual(try TCP.exchange(client: TCP.connect(to: again.ip, port: listener.port), listener: listener.fd),
                           again.gateway)
        }
    }

    func testAFailedAttachUndoesWhatItDid() throws {
        let (host, pod) = (try namespace("host"), try namespace("pod"))
        try NetworkNamespace.run(in: host) {
            // No such namespace: fails before any veth exists; the address goes back.
            XCTAssertThrowsError(try network().attach(podID: "pod-1", netnsPath: "\(directory)/netns/missing"))
            XCTAssertNil(try network().ipam.address(of: "pod-1"))

            // "lo" is no bridge: enslaving fails after the veth pair was created.
            let broken = try BridgeNetwork(bridgeName: "lo", ipamDir: "\(directory)/ipam")
            XCTAssertThrowsError(try broken.attach(podID: "pod-1", netnsPath: pod))
            XCTAssertNil(try RouteNetlink().linkIndexIfPresent(BridgeNetwork.hostVethName(for: "pod-1")))
            XCTAssertNil(try RouteNetlink(namespace: pod).linkIndexIfPresent("eth0"))
            XCTAssertNil(try broken.ipam.address(of: "pod-1"))

            // The namespace is still usable for a good attach.
            XCTAssertNoThrow(try network().attach(podID: "pod-1", netnsPath: pod))
        }
    }
}

/// Blocking TCP over IPv4 with timeouts, so that a broken network fails a test rather
/// than hanging it.
enum TCP {
    static func listen(on address: IPv4Address) throws -> (fd: FileDescriptor, port: UInt16) {
        let fd = try socket()
        var local = socketAddress(address, port: 0)
        try withSockaddr(&local) { pointer, length in try sys("bind", "\(address)") { bind(fd.raw, pointer, length.pointee) } }
        try sys("listen", "\(address)") { Glibc.listen(fd.raw, 8) }
        try withSockaddr(&local) { pointer, length in try sys("getsockname", "\(address)") { getsockname(fd.raw, pointer, length) } }
        return (fd, UInt16(bigEndian: local.sin_port))
    }

    static func connect(to address: IPv4Address, port: UInt16) throws -> FileDescriptor {
        let fd = try socket()
        var remote = socketAddress(address, port: port)
        try withSockaddr(&remote) { pointer, length in
            try sys("connect", "\(address):\(port)") { Glibc.connect(fd.raw, pointer, length.pointee) }
        }
        return fd
    }

    /// Client says hello, the server (accepted from `listener`) answers; returns the
    /// client address the server saw.
    static func exchange(client: FileDescriptor, listener: FileDescriptor) throws -> IPv4Address {
        var peer = sockaddr_in()
        let raw = try withSockaddr(&peer) { pointer, length in try sys("accept", "listener") { accept(listener.raw, pointer, length) } }
        let server = FileDescriptor(raw: raw, name: "accepted")
        try client.write(Array("hello".utf8))
        XCTAssertEqual(try readSome(server), "hello")
        try server.write(Array("hi".utf8))
        XCTAssertEqual(try readSome(client), "hi")
        return IPv4Address(UInt32(bigEndian: peer.sin_addr.s_addr))
    }

    private static func readSome(_ fd: FileDescriptor) throws -> String {
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = try buffer.withUnsafeMutableBytes { try fd.read(into: $0) }
        return String(decoding: buffer[0..<n], as: UTF8.self)
    }

    private static func socket() throws -> FileDescriptor {
        let raw = try sys("socket", "AF_INET") { Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        let fd = FileDescriptor(raw: raw, name: "tcp socket")
        // connect, accept and read give up after 5 s.
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        for option in [SO_SNDTIMEO, SO_RCVTIMEO] {
            try sys("setsockopt", "tcp socket") {
                setsockopt(raw, SOL_SOCKET, option, &timeout, socklen_t(MemoryLayout<timeval>.size))
            }
        }
        return fd
    }

    private static func socketAddress(_ address: IPv4Address, port: UInt16) -> sockaddr_in {
        var result = sockaddr_in()
        result.sin_family = sa_family_t(AF_INET)
        result.sin_port = port.bigEndian
        result.sin_addr.s_addr = address.value.bigEndian
        return result
    }

    /// `address` as the kernel takes it: a sockaddr pointer and an in/out length.
    @discardableResult
    private static func withSockaddr<R>(_ address: inout sockaddr_in,
                                        _ body: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) throws -> R) throws -> R {
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        return try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, &length) }
        }
    }
}
