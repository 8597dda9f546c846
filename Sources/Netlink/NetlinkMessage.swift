import CLinux
import Glibc

// Netlink messages as plain values: building one never touches a socket, so the bytes
// are tested against golden bytes. Netlink is in host byte order (addresses inside
// attributes are in network order, as the kernel keeps them).

/// One netlink attribute (struct nlattr + payload), possibly holding nested attributes.
public struct NetlinkAttribute: Equatable, Sendable {
    public var type: UInt16
    public var payload: [UInt8]

    public init(type: UInt16, payload: [UInt8]) {
        self.type = type
        self.payload = payload
    }

    /// A NUL-terminated string (IFLA_IFNAME, IFLA_INFO_KIND).
    public static func string(_ type: UInt16, _ value: String) -> NetlinkAttribute {
        NetlinkAttribute(type: type, payload: Array(value.utf8) + [0])
    }

    public static func uint32(_ type: UInt16, _ value: UInt32) -> NetlinkAttribute {
        NetlinkAttribute(type: type, payload: hostBytes(value))
    }

    /// An IPv4 address, in network byte order.
    public static func address(_ type: UInt16, _ value: IPv4Address) -> NetlinkAttribute {
        NetlinkAttribute(type: type, payload: value.bytes)
    }

    /// Attributes nested inside this one (IFLA_LINKINFO and friends).
    public static func nested(_ type: UInt16, _ children: [NetlinkAttribute]) -> NetlinkAttribute {
        NetlinkAttribute(type: type, payload: children.encoded())
    }

    /// A family header followed by attributes (VETH_INFO_PEER carries a whole ifinfomsg).
    public static func nested(_ type: UInt16, header: [UInt8], _ children: [NetlinkAttribute]) -> NetlinkAttribute {
        NetlinkAttribute(type: type, payload: header + children.encoded())
    }

    /// nla_len counts the header and payload but not the padding to 4 bytes that follows.
    public func encode(into bytes: inout [UInt8]) {
        bytes += hostBytes(UInt16(4 + payload.count))
        bytes += hostBytes(type)
        bytes += payload
        bytes += [UInt8](repeating: 0, count: netlinkPadding(payload.count))
    }
}

extension Array where Element == NetlinkAttribute {
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        for attribute in self { attribute.encode(into: &bytes) }
        return bytes
    }
}

/// A request: struct nlmsghdr, a family header (ifinfomsg, ifaddrmsg, rtmsg) and attributes.
public struct NetlinkMessage: Equatable, Sendable {
    public var type: UInt16
    public var flags: UInt16
    public var sequence: UInt32
    /// The family header, already encoded (see `InterfaceInfo`, `AddressInfo`, `RouteInfo`).
    public var header: [UInt8]
    public var attributes: [NetlinkAttribute]

    public init(type: UInt16, flags: UInt16, sequence: UInt32 = 0, header: [UInt8], attributes: [NetlinkAttribute] = []) {
        self.type = type
        self.flags = flags
        self.sequence = sequence
        self.header = header
        self.attributes = attributes
    }

    /// The bytes to send. The port id is left 0: the kernel fills in the sender's.
    public func encoded() -> [UInt8] {
        let body = header + [UInt8](repeating: 0, count: netlinkPadding(header.count)) + attributes.encoded()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16 + body.count)
        bytes += hostBytes(UInt32(16 + body.count))
        bytes += hostBytes(type)
        bytes += hostBytes(flags)
        bytes += hostBytes(sequence)
        bytes += hostBytes(UInt32(0))
        bytes += body
        return bytes
    }
}

/// A message received from the kernel: its header fields and what follows the header.
public struct NetlinkReply: Equatable, Sendable {
    public var type: UInt16
    public var flags: UInt16
    public var sequence: UInt32
    public var payload: [UInt8]

    /// Splits a datagram into its messages. Truncated or malformed trailing bytes end
    /// the list (the kernel never sends them; a short read would).
    public static func parse(_ bytes: [UInt8]) -> [NetlinkReply] {
        var replies: [NetlinkReply] = []
        var offset = 0
        while offset + 16 <= bytes.count {
            let length = Int(readHost(UInt32.self, bytes, at: offset))
            guard length >= 16, offset + length <= bytes.count else { break }
            replies.append(NetlinkReply(
                type: readHost(UInt16.self, bytes, at: offset + 4),
                flags: readHost(UInt16.self, bytes, at: offset + 6),
                sequence: readHost(UInt32.self, bytes, at: offset + 8),
                payload: Array(bytes[(offset + 16)..<(offset + length)])))
            offset += length + netlinkPadding(length)
        }
        return replies
    }

    /// For NLMSG_ERROR: the errno it carries (0 is an acknowledgement).
    public var errorCode: Int32? {
        guard type == UInt16(NLMSG_ERROR), payload.count >= 4 else { return nil }
        return -readHost(Int32.self, payload, at: 0)
    }

    /// For NLMSG_ERROR: the kernel's explanation (extended ACK, NLMSGERR_ATTR_MSG), as
    /// in `Nexthop has invalid gateway`. With NETLINK_CAP_ACK the error carries only
    /// the request's 16-byte header, so the attributes start after 4 + 16 bytes.
    public var errorMessage: String? {
        guard errorCode != nil, flags & UInt16(NLM_F_ACK_TLVS) != 0, flags & UInt16(NLM_F_CAPPED) != 0,
              let text = attributes(after: 20).first(where: { $0.type == UInt16(NLMSGERR_ATTR_MSG.rawValue) }) else {
            return nil
        }
        return String(decoding: text.payload.prefix(while: { $0 != 0 }), as: UTF8.self)
    }

    /// The attributes after a family header of `headerSize` bytes (top level only).
    public func attributes(after headerSize: Int) -> [NetlinkAttribute] {
        var attributes: [NetlinkAttribute] = []
        var offset = headerSize + netlinkPadding(headerSize)
        while offset + 4 <= payload.count {
            let length = Int(readHost(UInt16.self, payload, at: offset))
            guard length >= 4, offset + length <= payload.count else { break }
            // The flag bits (NLA_F_NESTED, NLA_F_NET_BYTEORDER) are not part of the type.
            let type = readHost(UInt16.self, payload, at: offset + 2) & 0x3fff
            attributes.append(NetlinkAttribute(type: type, payload: Array(payload[(offset + 4)..<(offset + length)])))
            offset += length + netlinkPadding(length)
        }
        return attributes
    }
}

/// struct ifinfomsg (16 bytes): which link, and which of its IFF_* flags to change.
public struct InterfaceInfo: Equatable, Sendable {
    public var family: UInt8 = 0
    public var type: UInt16 = 0
    public var index: Int32 = 0
    public var flags: UInt32 = 0
    public var change: UInt32 = 0

    public init(index: Int32 = 0, flags: UInt32 = 0, change: UInt32 = 0) {
        self.index = index
        self.flags = flags
        self.change = change
    }

    public var bytes: [UInt8] {
        [family, 0] + hostBytes(type) + hostBytes(index) + hostBytes(flags) + hostBytes(change)
    }

    public static let size = 16
}

/// struct ifaddrmsg (8 bytes).
public struct AddressInfo: Equatable, Sendable {
    public var family = UInt8(AF_INET)
    public var prefixLength: UInt8
    public var flags: UInt8 = 0
    public var scope = UInt8(RT_SCOPE_UNIVERSE.rawValue)
    public var index: UInt32

    public init(prefixLength: UInt8, index: UInt32) {
        self.prefixLength = prefixLength
        self.index = index
    }

    public var bytes: [UInt8] { [family, prefixLength, flags, scope] + hostBytes(index) }
}

/// struct rtmsg (12 bytes): a unicast route in the main table, installed by "boot"
/// (RTPROT_BOOT, as `ip route add` marks the routes an administrator adds).
public struct RouteInfo: Equatable, Sendable {
    public var family = UInt8(AF_INET)
    public var destinationLength: UInt8
    public var sourceLength: UInt8 = 0
    public var tos: UInt8 = 0
    public var table = UInt8(RT_TABLE_MAIN.rawValue)
    public var proto = UInt8(RTPROT_BOOT)
    public var scope = UInt8(RT_SCOPE_UNIVERSE.rawValue)
    public var type = UInt8(RTN_UNICAST)
    public var flags: UInt32 = 0

    public init(destinationLength: UInt8) { self.destinationLength = destinationLength }

    public var bytes: [UInt8] {
        [family, destinationLength, sourceLength, tos, table, proto, scope, type] + hostBytes(flags)
    }
}

/// Bytes to reach the next multiple of 4 (NLMSG_ALIGN and NLA_ALIGN are both 4).
func netlinkPadding(_ length: Int) -> Int { (4 - length % 4) % 4 }

func hostBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value) { Array($0) }
}

func readHost<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], at offset: Int) -> T {
    bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
}
