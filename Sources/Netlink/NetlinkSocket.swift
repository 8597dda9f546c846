import CLinux
import Glibc
import LinuxSys
import Synchronization

/// A netlink socket used request by request: each request carries a fresh sequence
/// number and NLM_F_ACK, and its answer is read up to that ACK (or the NLMSG_ERROR that
/// replaces it). The socket belongs to the network namespace it was opened in.
public final class NetlinkSocket: Sendable {
    private let fd: FileDescriptor
    /// The last sequence number used; the lock also keeps one request's send and
    /// receive together when threads share the socket.
    private let sequence = Mutex<UInt32>(0)

    public init(protocol netlinkProtocol: Int32) throws {
        let raw = try sys("socket", "AF_NETLINK") {
            socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkProtocol)
        }
        fd = FileDescriptor(raw: raw, name: "netlink socket")
        var address = sockaddr_nl()
        address.nl_family = sa_family_t(AF_NETLINK)
        _ = try withSocketAddress(&address) { pointer, length in
            try sys("bind", "netlink socket") { bind(raw, pointer, length) }
        }
        // Errors then carry only the failed request's header, not all of it again, plus
        // the kernel's explanation where it gives one. Both are optional comforts.
        var on: Int32 = 1
        for option in [NETLINK_CAP_ACK, NETLINK_EXT_ACK] {
            _ = setsockopt(raw, Int32(SOL_NETLINK), Int32(option), &on, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Sends `message` and returns the kernel's replies (empty for a plain ACK). A
    /// negative acknowledgement throws `SystemError("netlink <operation>", object)`,
    /// e.g. `netlink RTM_NEWLINK veth1234: File exists`, or with the kernel's extended
    /// ACK message `netlink RTM_NEWROUTE default via 10.0.0.1 (Nexthop has invalid
    /// gateway): Network is unreachable`.
    @discardableResult
    public func request(_ message: NetlinkMessage, operation: String, object: String?) throws -> [NetlinkReply] {
        try sequence.withLock { (last: inout UInt32) throws -> [NetlinkReply] in
            last &+= 1
            var message = message
            message.sequence = last
            message.flags |= UInt16(NLM_F_REQUEST | NLM_F_ACK)
            try send(message.encoded())
            return try receive(sequence: last, operation: operation, object: object)
        }
    }

    private func send(_ bytes: [UInt8]) throws {
        var kernel = sockaddr_nl()
        kernel.nl_family = sa_family_t(AF_NETLINK)
        let sent = try withSocketAddress(&kernel) { pointer, length in
            try bytes.withUnsafeBytes { buffer in
                try sys("sendto", "netlink socket") { sendto(fd.raw, buffer.baseAddress, buffer.count, 0, pointer, length) }
            }
        }
        // A netlink datagram goes whole or not at all.
        guard sent == bytes.count else { throw SystemError("sendto", "netlink socket", errno: EMSGSIZE) }
    }

    private func receive(sequence: UInt32, operation: String, object: String?) throws -> [NetlinkReply] {
        var replies: [NetlinkReply] = []
        // 32 KiB holds any single rtnetlink reply (the kernel sizes dump chunks to it too).
        var buffer = [UInt8](repeating: 0, count: 32768)
        while true {
            let count = try buffer.withUnsafeMutableBytes { raw in
                try sys("recv", "netlink socket") { recv(fd.raw, raw.baseAddress, raw.count, 0) }
            }
            for reply in NetlinkReply.parse(Array(buffer[0..<count])) {
                // Answers to an earlier request that threw midway are not ours.
                guard reply.sequence == sequence else { continue }
                if let code = reply.errorCode {
                    if code == 0 { return replies }
                    // The kernel's explanation goes with the object: SystemError has no other place.
                    let explained = [object, reply.errorMessage.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
                    throw SystemError("netlink \(operation)", explained.isEmpty ? nil : explained, errno: code)
                }
                if reply.type == UInt16(NLMSG_DONE) { return replies }
                replies.append(reply)
            }
        }
    }
}

private func withSocketAddress<R>(_ address: inout sockaddr_nl,
                                  _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) throws -> R {
    try withUnsafePointer(to: &address) { pointer in
        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_nl>.size)) }
    }
}
