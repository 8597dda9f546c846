import Netlink
import XCTest

/// Golden bytes, derived by hand from the uapi structs (linux/netlink.h, rtnetlink.h,
/// if_link.h, veth.h) for a little-endian host, grouped per header and attribute.
final class MessageTests: XCTestCase {
    private func hex(_ text: String) -> [UInt8] {
        text.split(whereSeparator: \.isWhitespace).map { UInt8($0, radix: 16)! }
    }

    private func encoded(_ message: NetlinkMessage, sequence: UInt32 = 7) -> [UInt8] {
        var message = message
        message.sequence = sequence
        return message.encoded()
    }

    func testStringAttributeIsPaddedButItsLengthIsNot() {
        var bytes: [UInt8] = []
        NetlinkAttribute.string(3, "lo").encode(into: &bytes)
        XCTAssertEqual(bytes, hex("07 00 03 00  6c 6f 00 00"))
    }

    func testNewBridge() {
        XCTAssertEqual(encoded(RouteMessage.newBridge("br0")), hex("""
            38 00 00 00  10 00  00 06  07 00 00 00  00 00 00 00
            00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00
            08 00 03 00  62 72 30 00
            10 00 12 00  0b 00 01 00  62 72 69 64 67 65 00 00
            """))
    }

    func testNewVethWithPeerInsideANamespace() {
        // IFLA_LINKINFO { KIND "veth", DATA { VETH_INFO_PEER { ifinfomsg, IFNAME "eth0", NET_NS_FD 9 } } }
        XCTAssertEqual(encoded(RouteMessage.newVeth("veth0a1b2c3d", peer: "eth0", peerNamespace: 9)), hex("""
            70 00 00 00  10 00  00 06  07 00 00 00  00 00 00 00
            00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00
            11 00 03 00  76 65 74 68 30 61 31 62 32 63 33 64 00 00 00 00
            3c 00 12 00
               09 00 01 00  76 65 74 68 00 00 00 00
               2c 00 02 00
                  28 00 01 00
                     00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00
                     09 00 03 00  65 74 68 30 00 00 00 00
                     08 00 1c 00  09 00 00 00
            """))
    }

    func testSetLinkUpAndMaster() {
        // ifi_flags and ifi_change both IFF_UP; IFLA_MASTER (10) = index 4.
        XCTAssertEqual(encoded(RouteMessage.setLink("veth1", up: true, master: 4)), hex("""
            34 00 00 00  13 00  00 00  07 00 00 00  00 00 00 00
            00 00 00 00  00 00 00 00  01 00 00 00  01 00 00 00
            0a 00 03 00  76 65 74 68 31 00 00 00
            08 00 0a 00  04 00 00 00
            """))
    }

    func testDeleteLink() {
        XCTAssertEqual(encoded(RouteMessage.deleteLink("veth1")), hex("""
            2c 00 00 00  11 00  00 00  07 00 00 00  00 00 00 00
            00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00
            0a 00 03 00  76 65 74 68 31 00 00 00
            """))
    }

    func testNewAddressWithPrefixAndBroadcast() {
        // ifaddrmsg { AF_INET, /16, 0, RT_SCOPE_UNIVERSE, index 3 }; IFA_LOCAL, IFA_ADDRESS, IFA_BROADCAST.
        XCTAssertEqual(encoded(RouteMessage.newAddress(IPv4Address("10.42.0.5")!, prefixLength: 16, link: 3)), hex("""
            30 00 00 00  14 00  00 06  07 00 00 00  00 00 00 00
            02 10 00 00  03 00 00 00
            08 00 02 00  0a 2a 00 05
            08 00 01 00  0a 2a 00 05
            08 00 04 00  0a 2a ff ff
            """))
    }

    func testDefaultRouteViaGateway() {
        // rtmsg { AF_INET, dst_len 0, 0, 0, RT_TABLE_MAIN 254, RTPROT_BOOT 3, universe, RTN_UNICAST 1 }; RTA_GATEWAY.
        XCTAssertEqual(encoded(RouteMessage.newRoute(via: IPv4Address("10.42.0.1")!)), hex("""
            24 00 00 00  18 00  00 06  07 00 00 00  00 00 00 00
            02 00 00 00  fe 03 00 01  00 00 00 00
            08 00 05 00  0a 2a 00 01
            """))
    }

    func testRouteToANetworkOutOfALink() {
        let message = RouteMessage.newRoute(to: IPv4Network("10.43.0.0/16")!, via: IPv4Address("10.42.0.1")!, link: 2)
        XCTAssertEqual(encoded(message), hex("""
            34 00 00 00  18 00  00 06  07 00 00 00  00 00 00 00
            02 10 00 00  fe 03 00 01  00 00 00 00
            08 00 01 00  0a 2b 00 00
            08 00 05 00  0a 2a 00 01
            08 00 04 00  02 00 00 00
            """))
    }

    func testRepliesSplitAndErrorsDecode() {
        // NLMSG_ERROR (2) with -EEXIST (-17) for seq 7, then an ACK (error 0) for seq 8,
        // then a truncated header that must be ignored.
        let bytes = hex("""
            24 00 00 00  02 00  00 01  07 00 00 00  99 00 00 00
            ef ff ff ff  38 00 00 00  10 00 00 06  07 00 00 00  00 00 00 00
            24 00 00 00  02 00  00 01  08 00 00 00  99 00 00 00
            00 00 00 00  38 00 00 00  10 00 00 06  08 00 00 00  00 00 00 00
            ff 00 00 00  02 00
            """)
        let replies = NetlinkReply.parse(bytes)
        XCTAssertEqual(replies.map(\.sequence), [7, 8])
        XCTAssertEqual(replies.map(\.errorCode), [17, 0])
    }

    func testExtendedAckMessage() {
        // -ENETUNREACH (-101), flags NLM_F_CAPPED | NLM_F_ACK_TLVS, the request's header,
        // then NLMSGERR_ATTR_MSG (1) "bad gw".
        let bytes = hex("""
            30 00 00 00  02 00  00 03  05 00 00 00  00 00 00 00
            9b ff ff ff  24 00 00 00  18 00 00 06  05 00 00 00  00 00 00 00
            0b 00 01 00  62 61 64 20 67 77 00 00
            """)
        let reply = NetlinkReply.parse(bytes)
        XCTAssertEqual(reply.first?.errorCode, 101)
        XCTAssertEqual(reply.first?.errorMessage, "bad gw")
        // Without NLM_F_ACK_TLVS there is no message to read.
        XCTAssertNil(NetlinkReply.parse(Array(bytes[0..<6]) + [0x00, 0x01] + Array(bytes[8...])).first?.errorMessage)
    }

    func testReplyAttributesSkipTheFamilyHeader() {
        let link = NetlinkMessage(type: 16, flags: 0, header: [UInt8](repeating: 0, count: 16),
                                  attributes: [.string(3, "eth0"), .uint32(4, 1500)]).encoded()
        let reply = NetlinkReply.parse(link)
        XCTAssertEqual(reply.count, 1)
        XCTAssertEqual(reply.first?.attributes(after: 16), [.string(3, "eth0"), .uint32(4, 1500)])
    }
}

final class IPv4Tests: XCTestCase {
    func testAddressParsing() {
        XCTAssertEqual(IPv4Address("10.42.0.1")?.value, 0x0a2a_0001)
        XCTAssertEqual(IPv4Address("255.255.255.255")?.value, .max)
        XCTAssertEqual(IPv4Address("10.42.0.1")?.description, "10.42.0.1")
        XCTAssertEqual(IPv4Address("10.42.0.1")?.bytes, [10, 42, 0, 1])
        for bad in ["", "10.42.0", "10.42.0.1.2", "10.42.0.256", "10.42..1", "010.42.0.1", "10.42.0.-1", "a.b.c.d", "10.42.0.1 "] {
            XCTAssertNil(IPv4Address(bad), bad)
        }
    }

    func testNetworkParsing() throws {
        let network = try XCTUnwrap(IPv4Network("10.42.0.0/16"))
        XCTAssertEqual(network.broadcast.description, "10.42.255.255")
        XCTAssertTrue(network.contains(IPv4Address("10.42.200.3")!))
        XCTAssertFalse(network.contains(IPv4Address("10.43.0.1")!))
        XCTAssertEqual(IPv4Network("0.0.0.0/0")?.broadcast.description, "255.255.255.255")
        XCTAssertEqual(IPv4Network("10.0.0.1/32")?.description, "10.0.0.1/32")
        // Host bits set, bad prefixes, no prefix.
        for bad in ["10.42.0.1/16", "10.42.0.0/33", "10.42.0.0/-1", "10.42.0.0/016", "10.42.0.0", "10.42.0.0/"] {
            XCTAssertNil(IPv4Network(bad), bad)
        }
    }
}
