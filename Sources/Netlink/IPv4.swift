/// An IPv4 address as a number (host order), so that ranges are plain arithmetic.
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    /// Dotted quad only ("10.42.0.1"): no shorthand forms, no leading zeros, which
    /// inet_aton would read as octal.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let byte = UInt8(part),
                  part == "0" || !part.hasPrefix("0") else { return nil }
            value = value << 8 | UInt32(byte)
        }
        self.value = value
    }

    /// Network byte order, as sockaddr_in and netlink address attributes hold it.
    public var bytes: [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    public var description: String { bytes.map(String.init).joined(separator: ".") }

    public static func < (a: IPv4Address, b: IPv4Address) -> Bool { a.value < b.value }
}

/// An IPv4 network in CIDR notation ("10.42.0.0/16").
public struct IPv4Network: Hashable, Sendable, CustomStringConvertible {
    /// The network address (host bits zero).
    public let address: IPv4Address
    public let prefixLength: Int

    /// Host bits in `address` are an error: "10.42.0.1/16" names no network.
    public init?(address: IPv4Address, prefixLength: Int) {
        guard (0...32).contains(prefixLength), address.value & ~Self.mask(prefixLength) == 0 else { return nil }
        self.address = address
        self.prefixLength = prefixLength
    }

    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(parts[0]), parts[1].allSatisfy(\.isASCII),
              let prefix = Int(parts[1]), parts[1] == "0" || !parts[1].hasPrefix("0") else { return nil }
        self.init(address: address, prefixLength: prefix)
    }

    public var mask: UInt32 { Self.mask(prefixLength) }
    public var broadcast: IPv4Address { IPv4Address(address.value | ~mask) }
    public var description: String { "\(address)/\(prefixLength)" }

    public func contains(_ candidate: IPv4Address) -> Bool { candidate.value & mask == address.value }

    /// The first subnet of `prefixLength` (itself when it is already that small): a
    /// node's pod range from the cluster's, as the node IPAM controller gives the first
    /// node `10.42.0.0/24` of `10.42.0.0/16`.
    public func firstSubnet(prefixLength length: Int) -> IPv4Network {
        length <= prefixLength ? self : IPv4Network(address: address, prefixLength: length)!
    }

    private static func mask(_ prefix: Int) -> UInt32 { prefix == 0 ? 0 : UInt32.max << (32 - prefix) }
}
