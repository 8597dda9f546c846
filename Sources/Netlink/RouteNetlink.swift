import CLinux
import Glibc
import LinuxSys

/// The rtnetlink requests Swiftlet sends, as pure values (see `RouteNetlink` for the
/// operations that send them). Links are named by IFLA_IFNAME, so that a request needs
/// no lookup first and its error can name the link.
public enum RouteMessage {
    static let create = UInt16(NLM_F_CREATE | NLM_F_EXCL)

    /// RTM_GETLINK for one link by name.
    public static func getLink(_ name: String) -> NetlinkMessage {
        NetlinkMessage(type: UInt16(RTM_GETLINK), flags: 0, header: InterfaceInfo().bytes,
                       attributes: [.string(UInt16(IFLA_IFNAME), name)])
    }

    /// RTM_NEWLINK creating a bridge; fails with EEXIST if the name is taken.
    public static func newBridge(_ name: String) -> NetlinkMessage {
        NetlinkMessage(type: UInt16(RTM_NEWLINK), flags: create, header: InterfaceInfo().bytes, attributes: [
            .string(UInt16(IFLA_IFNAME), name),
            .nested(UInt16(IFLA_LINKINFO), [.string(UInt16(IFLA_INFO_KIND), "bridge")]),
        ])
    }

    /// RTM_NEWLINK creating a veth pair. With `peerNamespace` (an open nsfs descriptor)
    /// the kernel creates the peer directly inside that namespace.
    public static func newVeth(_ name: String, peer: String, peerNamespace: Int32? = nil) -> NetlinkMessage {
        var peerAttributes: [NetlinkAttribute] = [.string(UInt16(IFLA_IFNAME), peer)]
        if let peerNamespace { peerAttributes.append(.uint32(UInt16(IFLA_NET_NS_FD), UInt32(bitPattern: peerNamespace))) }
        return NetlinkMessage(type: UInt16(RTM_NEWLINK), flags: create, header: InterfaceInfo().bytes, attributes: [
            .string(UInt16(IFLA_IFNAME), name),
            .nested(UInt16(IFLA_LINKINFO), [
                .string(UInt16(IFLA_INFO_KIND), "veth"),
                .nested(UInt16(IFLA_INFO_DATA), [
                    .nested(UInt16(VETH_INFO_PEER), header: InterfaceInfo().bytes, peerAttributes),
                ]),
            ]),
        ])
    }

    /// RTM_SETLINK changing what is given: up/down, master (a link index; 0 releases
    /// the link from its master), MTU.
    public static func setLink(_ name: String, up: Bool? = nil, master: Int32? = nil, mtu: UInt32? = nil) -> NetlinkMessage {
        var info = InterfaceInfo()
        if let up {
            info.flags = up ? UInt32(IFF_UP) : 0
            info.change = UInt32(IFF_UP)
        }
        var attributes: [NetlinkAttribute] = [.string(UInt16(IFLA_IFNAME), name)]
        if let master { attributes.append(.uint32(UInt16(IFLA_MASTER), UInt32(bitPattern: master))) }
        if let mtu { attributes.append(.uint32(UInt16(IFLA_MTU), mtu)) }
        return NetlinkMessage(type: UInt16(RTM_SETLINK), flags: 0, header: info.bytes, attributes: attributes)
    }

    /// RTM_DELLINK by name (a veth takes its peer with it).
    public static func deleteLink(_ name: String) -> NetlinkMessage {
        NetlinkMessage(type: UInt16(RTM_DELLINK), flags: 0, header: InterfaceInfo().bytes,
                       attributes: [.string(UInt16(IFLA_IFNAME), name)])
    }

    /// RTM_NEWADDR: `address/prefixLength` on the link with index `link`, with the
    /// broadcast address `ip addr add ... brd +` would compute.
    public static func newAddress(_ address: IPv4Address, prefixLength: Int, link: Int32) -> NetlinkMessage {
        var attributes: [NetlinkAttribute] = [
            .address(UInt16(IFA_LOCAL), address),
            .address(UInt16(IFA_ADDRESS), address),
        ]
        if prefixLength < 31 {
            let host = prefixLength == 0 ? UInt32.max : ~(UInt32.max << (32 - prefixLength))
            attributes.append(.address(UInt16(IFA_BROADCAST), IPv4Address(address.value | host)))
        }
        return NetlinkMessage(type: UInt16(RTM_NEWADDR), flags: create,
                              header: AddressInfo(prefixLength: UInt8(prefixLength), index: UInt32(bitPattern: link)).bytes,
                              attributes: attributes)
    }

    /// RTM_NEWROUTE to `destination` (the default route when nil) via `gateway`,
    /// optionally out of the link with index `link`.
    public static func newRoute(to destination: IPv4Network? = nil, via gateway: IPv4Address, link: Int32? = nil) -> NetlinkMessage {
        var attributes: [NetlinkAttribute] = []
        if let destination { attributes.append(.address(UInt16(RTA_DST.rawValue), destination.address)) }
        attributes.append(.address(UInt16(RTA_GATEWAY.rawValue), gateway))
        if let link { attributes.append(.uint32(UInt16(RTA_OIF.rawValue), UInt32(bitPattern: link))) }
        return NetlinkMessage(type: UInt16(RTM_NEWROUTE), flags: create,
                              header: RouteInfo(destinationLength: UInt8(destination?.prefixLength ?? 0)).bytes,
                              attributes: attributes)
    }
}

/// What `RouteNetlink.link` reports about a link.
public struct Link: Equatable, Sendable {
    public var index: Int32
    public var isUp: Bool
    public var mtu: UInt32?
    /// The index of the bridge (or bond) the link is enslaved to.
    public var master: Int32?
}

/// rtnetlink operations over one NETLINK_ROUTE socket, acting in the network namespace
/// the socket was opened in (`RouteNetlink(namespace:)` for another one).
public final class RouteNetlink: Sendable {
    private let socket: NetlinkSocket

    /// A socket in the calling thread's network namespace.
    public init() throws {
        socket = try NetlinkSocket(protocol: NETLINK_ROUTE)
    }

    /// A socket in the namespace bound at `path`; it acts there from any thread.
    public convenience init(namespace path: String) throws {
        let socket = try NetworkNamespace.run(in: path) { try NetlinkSocket(protocol: NETLINK_ROUTE) }
        self.init(socket: socket)
    }

    private init(socket: NetlinkSocket) { self.socket = socket }

    /// The link called `name`; throws ENODEV when there is none.
    public func link(_ name: String) throws -> Link {
        let replies = try socket.request(RouteMessage.getLink(name), operation: "RTM_GETLINK", object: name)
        guard let reply = replies.first(where: { $0.type == UInt16(RTM_NEWLINK) }),
              reply.payload.count >= InterfaceInfo.size else {
            throw SystemError("netlink RTM_GETLINK", name, errno: EPROTO)
        }
        var link = Link(index: readHost(Int32.self, reply.payload, at: 4),
                        isUp: readHost(UInt32.self, reply.payload, at: 8) & UInt32(IFF_UP) != 0)
        for attribute in reply.attributes(after: InterfaceInfo.size) where attribute.payload.count == 4 {
            let value = readHost(UInt32.self, attribute.payload, at: 0)
            switch Int(attribute.type) {
            case Int(IFLA_MTU): link.mtu = value
            case Int(IFLA_MASTER): link.master = Int32(bitPattern: value)
            default: break
            }
        }
        return link
    }

    /// The index of the link called `name`; throws ENODEV when there is none.
    public func linkIndex(_ name: String) throws -> Int32 { try link(name).index }

    /// `linkIndex`, with nil for a link that does not exist.
    public func linkIndexIfPresent(_ name: String) throws -> Int32? {
        do {
            return try linkIndex(name)
        } catch let error as SystemError where error.errno == ENODEV {
            return nil
        }
    }

    public func createBridge(_ name: String) throws {
        try socket.request(RouteMessage.newBridge(name), operation: "RTM_NEWLINK", object: name)
    }

    /// Creates the veth pair `name` (here) and `peer`, the peer inside the namespace
    /// bound at `peerNamespace` when given. Creating it there, rather than moving it
    /// after, means no moment exists at which the pod's interface is in the host.
    public func createVeth(_ name: String, peer: String, peerNamespace: String? = nil) throws {
        let namespace = try peerNamespace.map { try FileDescriptor.open($0, O_RDONLY) }
        try socket.request(RouteMessage.newVeth(name, peer: peer, peerNamespace: namespace?.raw),
                           operation: "RTM_NEWLINK", object: name)
        withExtendedLifetime(namespace) {}
    }

    public func setUp(_ name: String) throws {
        try socket.request(RouteMessage.setLink(name, up: true), operation: "RTM_SETLINK", object: name)
    }

    /// Enslaves `name` to the bridge `master`.
    public func setMaster(_ name: String, master: String) throws {
        let index = try linkIndex(master)
        try socket.request(RouteMessage.setLink(name, master: index), operation: "RTM_SETLINK", object: name)
    }

    public func setMTU(_ name: String, _ mtu: UInt32) throws {
        try socket.request(RouteMessage.setLink(name, mtu: mtu), operation: "RTM_SETLINK", object: name)
    }

    public func deleteLink(_ name: String) throws {
        try socket.request(RouteMessage.deleteLink(name), operation: "RTM_DELLINK", object: name)
    }

    /// Adds `address/prefixLength` to the link `name`; EEXIST if it is there already.
    public func addAddress(_ address: IPv4Address, prefixLength: Int, to name: String) throws {
        let index = try linkIndex(name)
        try socket.request(RouteMessage.newAddress(address, prefixLength: prefixLength, link: index),
                           operation: "RTM_NEWADDR", object: "\(address)/\(prefixLength) on \(name)")
    }

    /// Adds a route to `destination` (default when nil) via `gateway`, out of the link
    /// `device` when given; EEXIST if such a route exists.
    public func addRoute(to destination: IPv4Network? = nil, via gateway: IPv4Address, device: String? = nil) throws {
        let index = try device.map { try linkIndex($0) }
        try socket.request(RouteMessage.newRoute(to: destination, via: gateway, link: index),
                           operation: "RTM_NEWROUTE", object: "\(destination?.description ?? "default") via \(gateway)")
    }
}
