import Glibc
import LinuxSys
import Netlink

/// The node's IPv4 address when none is given (`--node-ip`), as upstream's kubelet
/// finds one: the source address the kernel picks for the default route. A UDP socket
/// "connected" toward a public address gives it without sending anything; with no
/// default route (a node alone in a namespace) it is 127.0.0.1.
public enum NodeAddress {
    public static func detect() -> String {
        let opened = try? sys("socket", "AF_INET") { socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        guard let fd = opened else { return "127.0.0.1" }
        let udp = FileDescriptor(raw: fd, name: "udp socket")
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = UInt16(53).bigEndian
        target.sin_addr.s_addr = UInt32(0x0808_0808).bigEndian  // 8.8.8.8: any routable address
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let found = withUnsafePointer(to: &target) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(udp.raw, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        } && withUnsafeMutablePointer(to: &local) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(udp.raw, $0, &length) == 0 }
        }
        guard found, local.sin_addr.s_addr != 0 else { return "127.0.0.1" }
        return IPv4Address(UInt32(bigEndian: local.sin_addr.s_addr)).description
    }
}
