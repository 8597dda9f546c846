import Glibc
import KubeAPI

/// A grpc probe: `grpc.health.v1.Health/Check` over cleartext HTTP/2 (h2c), as upstream's
/// prober calls it. Success iff the service answers SERVING. Blocking, like the others.
public enum GRPCProber {
    static let path = "/grpc.health.v1.Health/Check"
    static let statusNames = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"]

    public static func probe(host: String, port: Int, service: String, timeout: Duration) -> ProbeResult {
        let deadline = ContinuousClock.now + timeout
        let address = joinHostPort(host, port)
        // grpc-go's blocking dial retries until the deadline, so a refused port ends in a timeout.
        var connection: ProbeSocket?
        while connection == nil {
            connection = try? ProbeSocket.connect(host: host, port: port, deadline: deadline)
            if connection == nil {
                guard ContinuousClock.now + .milliseconds(50) < deadline else {
                    return .failure("timeout: failed to connect service \(goQuote(address)) within \(goDuration(timeout)): context deadline exceeded")
                }
                try? Task.checkCancellation()
                usleepMilliseconds(50)
            }
        }
        guard let socket = connection else { return .unknown("unreachable") }
        var call = GRPCHealthCall()
        do {
            try socket.write(GRPCHealthCall.request(authority: address, service: service))
            while !call.finished {
                let bytes = try socket.read()
                if bytes.isEmpty { break }
                let replies = try call.consume(bytes)
                if !replies.isEmpty { try socket.write(replies) }
            }
        } catch .timeout {
            return .failure("timeout: health rpc did not complete within \(goDuration(timeout))")
        } catch {
            return .failure("error: health rpc probe failed: \(error)")
        }
        return call.verdict()
    }

    /// Go's time.Duration text for whole seconds or milliseconds ("1s", "200ms").
    static func goDuration(_ duration: Duration) -> String {
        let milliseconds = Int64(duration / .milliseconds(1))
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}

private func usleepMilliseconds(_ milliseconds: Int) {
    var request = timespec(tv_sec: 0, tv_nsec: milliseconds * 1_000_000)
    _ = nanosleep(&request, nil)
}

/// The HTTP/2 side of one health check: the request frames, and a reader of the server's
/// frames that collects headers, trailers and the response message. Pure, for golden tests.
struct GRPCHealthCall {
    private var pending: [UInt8] = []
    private var headerBlock: [UInt8] = []
    private var decoder = HPACKDecoder()
    private(set) var fields: [(name: String, value: String)] = []
    private(set) var message: [UInt8] = []
    private(set) var finished = false
    private(set) var failure: String?

    static let streamID: UInt32 = 1

    /// Preface, SETTINGS, HEADERS (HPACK literals without indexing) and the DATA frame
    /// holding the length-prefixed HealthCheckRequest.
    static func request(authority: String, service: String) -> [UInt8] {
        var bytes = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
        bytes += frame(type: 0x4, flags: 0, stream: 0, payload: [])
        var block: [UInt8] = []
        for (name, value) in [(":method", "POST"), (":scheme", "http"), (":path", GRPCProber.path),
                              (":authority", authority), ("content-type", "application/grpc"), ("te", "trailers"),
                              ("user-agent", HTTPProber.userAgent)] {
            block.append(0)
            block += hpackString(name)
            block += hpackString(value)
        }
        bytes += frame(type: 0x1, flags: 0x4, stream: streamID, payload: block)
        // HealthCheckRequest{service = 1}: omitted when empty, as proto3 encodes defaults.
        var request: [UInt8] = []
        if !service.isEmpty { request = [0x0A] + varint(service.utf8.count) + Array(service.utf8) }
        let length = UInt32(request.count)
        let prefix: [UInt8] = [0, UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
        bytes += frame(type: 0x0, flags: 0x1, stream: streamID, payload: prefix + request)
        return bytes
    }

    static func frame(type: UInt8, flags: UInt8, stream: UInt32, payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        return [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, flags,
                UInt8(stream >> 24 & 0x7F), UInt8(stream >> 16 & 0xFF), UInt8(stream >> 8 & 0xFF), UInt8(stream & 0xFF)] + payload
    }

    private static func hpackString(_ text: String) -> [UInt8] {
        HPACKDecoder.integer(text.utf8.count, prefixBits: 7, firstByte: 0) + Array(text.utf8)
    }

    private static func varint(_ value: Int) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        return out + [UInt8(value)]
    }

    /// Takes bytes from the server; returns the frames to send back (SETTINGS and PING acks).
    mutating func consume(_ bytes: [UInt8]) throws(ProbeNetError) -> [UInt8] {
        pending += bytes
        var replies: [UInt8] = []
        while pending.count >= 9, !finished {
            let length = Int(pending[0]) << 16 | Int(pending[1]) << 8 | Int(pending[2])
            guard pending.count >= 9 + length else { break }
            let type = pending[3], flags = pending[4]
            let stream = UInt32(pending[5] & 0x7F) << 24 | UInt32(pending[6]) << 16 | UInt32(pending[7]) << 8 | UInt32(pending[8])
            let payload = Array(pending[9..<(9 + length)])
            pending.removeFirst(9 + length)
            switch type {
            case 0x4 where flags & 0x1 == 0:
                replies += Self.frame(type: 0x4, flags: 0x1, stream: 0, payload: [])
            case 0x6 where flags & 0x1 == 0:
                replies += Self.frame(type: 0x6, flags: 0x1, stream: 0, payload: payload)
            case 0x7:
                failure = "connection closed by server (GOAWAY)"
                finished = true
            case 0x3 where stream == Self.streamID:
                failure = "stream reset by server"
                finished = true
            case 0x1 where stream == Self.streamID, 0x9 where stream == Self.streamID:
                headerBlock += Self.stripPaddingAndPriority(payload, flags: flags, isHeaders: type == 0x1)
                if flags & 0x4 != 0 {
                    guard let decoded = decoder.decode(headerBlock) else { throw .io("hpack: invalid header block") }
                    fields += decoded
                    headerBlock = []
                }
                if flags & 0x1 != 0 { finished = true }
            case 0x0 where stream == Self.streamID:
                message += Self.stripPaddingAndPriority(payload, flags: flags, isHeaders: false)
                if flags & 0x1 != 0 { finished = true }
            default:
                break
            }
        }
        return replies
    }

    private static func stripPaddingAndPriority(_ payload: [UInt8], flags: UInt8, isHeaders: Bool) -> [UInt8] {
        var body = payload[...]
        var padding = 0
        if flags & 0x8 != 0, let first = body.first {
            padding = Int(first)
            body = body.dropFirst()
        }
        if isHeaders, flags & 0x20 != 0 { body = body.dropFirst(5) }
        return Array(body.dropLast(min(padding, body.count)))
    }

    /// Upstream's verdict and texts from what the server sent.
    func verdict() -> ProbeResult {
        if let failure { return .failure("error: health rpc probe failed: \(failure)") }
        let code = fields.last { $0.name == "grpc-status" }.flatMap { Int($0.value) }
        let description = fields.last { $0.name == "grpc-message" }?.value ?? ""
        guard let code else { return .failure("error: health rpc probe failed: rpc error: code = Internal desc = server closed the stream without sending trailers") }
        if code == 12 {
            return .failure("error: this server does not implement the grpc health protocol (grpc.health.v1.Health): \(description)")
        }
        if code != 0 {
            return .failure("error: health rpc probe failed: rpc error: code = \(Self.codeName(code)) desc = \(description)")
        }
        let status = Self.healthStatus(message)
        guard status == 1 else {
            let name = status < GRPCProber.statusNames.count ? GRPCProber.statusNames[status] : String(status)
            return .failure("service unhealthy (responded with \(goQuote(name)))")
        }
        return .success
    }

    /// HealthCheckResponse.status (field 1, varint) after the 5-byte message prefix; 0 if absent.
    static func healthStatus(_ message: [UInt8]) -> Int {
        guard message.count >= 7, message[5] == 0x08 else { return 0 }
        return Int(message[6] & 0x7F)
    }

    static func codeName(_ code: Int) -> String {
        let names = ["OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists",
                     "PermissionDenied", "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange",
                     "Unimplemented", "Internal", "Unavailable", "DataLoss", "Unauthenticated"]
        return code >= 0 && code < names.count ? names[code] : "Code(\(code))"
    }
}

/// HPACK (RFC 7541) decoding: indexed fields, literals, dynamic table, Huffman strings.
struct HPACKDecoder {
    private var dynamicTable: [(name: String, value: String)] = []
    private var tableSize = 0
    private var maxTableSize = 4096

    static let staticTable: [(name: String, value: String)] = [
        (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"), (":path", "/index.html"),
        (":scheme", "http"), (":scheme", "https"), (":status", "200"), (":status", "204"), (":status", "206"),
        (":status", "304"), (":status", "400"), (":status", "404"), (":status", "500"), ("accept-charset", ""),
        ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""), ("accept", ""),
        ("access-control-allow-origin", ""), ("age", ""), ("allow", ""), ("authorization", ""), ("cache-control", ""),
        ("content-disposition", ""), ("content-encoding", ""), ("content-language", ""), ("content-length", ""),
        ("content-location", ""), ("content-range", ""), ("content-type", ""), ("cookie", ""), ("date", ""),
        ("etag", ""), ("expect", ""), ("expires", ""), ("from", ""), ("host", ""), ("if-match", ""),
        ("if-modified-since", ""), ("if-none-match", ""), ("if-range", ""), ("if-unmodified-since", ""),
        ("last-modified", ""), ("link", ""), ("location", ""), ("max-forwards", ""), ("proxy-authenticate", ""),
        ("proxy-authorization", ""), ("range", ""), ("referer", ""), ("refresh", ""), ("retry-after", ""),
        ("server", ""), ("set-cookie", ""), ("strict-transport-security", ""), ("transfer-encoding", ""),
        ("user-agent", ""), ("vary", ""), ("via", ""), ("www-authenticate", ""),
    ]

    /// An HPACK integer with an N-bit prefix, the prefix byte's other bits in `firstByte`.
    static func integer(_ value: Int, prefixBits: Int, firstByte: UInt8) -> [UInt8] {
        let limit = (1 << prefixBits) - 1
        if value < limit { return [firstByte | UInt8(value)] }
        var out = [firstByte | UInt8(limit)]
        var rest = value - limit
        while rest >= 128 {
            out.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        return out + [UInt8(rest)]
    }

    mutating func decode(_ block: [UInt8]) -> [(name: String, value: String)]? {
        var reader = Reader(bytes: block)
        var fields: [(name: String, value: String)] = []
        while let first = reader.peek() {
            if first & 0x80 != 0 {
                guard let index = reader.integer(prefixBits: 7), let field = entry(index) else { return nil }
                fields.append(field)
            } else if first & 0xE0 == 0x20 {
                guard let size = reader.integer(prefixBits: 5), size <= 4096 else { return nil }
                maxTableSize = size
                evict(toFit: 0)
            } else {
                let indexing = first & 0xC0 == 0x40
                guard let index = reader.integer(prefixBits: indexing ? 6 : 4) else { return nil }
                let name: String
                if index == 0 {
                    guard let literal = reader.string() else { return nil }
                    name = literal
                } else {
                    guard let field = entry(index) else { return nil }
                    name = field.name
                }
                guard let value = reader.string() else { return nil }
                fields.append((name, value))
                if indexing { insert((name, value)) }
            }
        }
        return fields
    }

    private func entry(_ index: Int) -> (name: String, value: String)? {
        if index >= 1, index <= Self.staticTable.count { return Self.staticTable[index - 1] }
        let dynamicIndex = index - Self.staticTable.count - 1
        return dynamicIndex >= 0 && dynamicIndex < dynamicTable.count ? dynamicTable[dynamicIndex] : nil
    }

    private mutating func insert(_ field: (name: String, value: String)) {
        let size = field.name.utf8.count + field.value.utf8.count + 32
        evict(toFit: size)
        guard size <= maxTableSize else { return }
        dynamicTable.insert(field, at: 0)
        tableSize += size
    }

    private mutating func evict(toFit size: Int) {
        while tableSize + size > maxTableSize, let last = dynamicTable.popLast() {
            tableSize -= last.name.utf8.count + last.value.utf8.count + 32
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

        mutating func integer(prefixBits: Int) -> Int? {
            guard let first = peek() else { return nil }
            offset += 1
            let limit = (1 << prefixBits) - 1
            var value = Int(first) & limit
            guard value == limit else { return value }
            var shift = 0
            while let byte = peek(), shift < 28 {
                offset += 1
                value += Int(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }

        mutating func string() -> String? {
            guard let first = peek(), let length = integer(prefixBits: 7), offset + length <= bytes.count else { return nil }
            let raw = Array(bytes[offset..<(offset + length)])
            offset += length
            if first & 0x80 == 0 { return String(decoding: raw, as: UTF8.self) }
            return HuffmanCode.decode(raw).map { String(decoding: $0, as: UTF8.self) }
        }
    }
}

/// HPACK's static Huffman code.
enum HuffmanCode {
    /// Code (with its length in the high bits) → byte value.
    private static let symbols: [UInt64: UInt8] = {
        var table: [UInt64: UInt8] = [:]
        for byte in 0..<256 { table[UInt64(lengths[byte]) << 32 | UInt64(codes[byte])] = UInt8(byte) }
        return table
    }()

    static func decode(_ bytes: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var code: UInt64 = 0
        var length: UInt64 = 0
        for byte in bytes {
            for shift in stride(from: 7, through: 0, by: -1) {
                code = code << 1 | UInt64(byte >> UInt8(shift) & 1)
                length += 1
                if let symbol = symbols[length << 32 | code] {
                    out.append(symbol)
                    code = 0
                    length = 0
                } else if length > 30 {
                    return nil
                }
            }
        }
        // What is left must be padding: fewer than 8 bits, all ones (a prefix of EOS).
        guard length < 8, code == (1 << length) - 1 else { return nil }
        return out
    }

    /// RFC 7541 Appendix B: the code of each byte value, and its length in bits.
    static let codes: [UInt32] = [
        0x1ff8, 0x7fffd8, 0xfffffe2, 0xfffffe3, 0xfffffe4, 0xfffffe5, 0xfffffe6, 0xfffffe7, 0xfffffe8, 0xffffea,
        0x3ffffffc, 0xfffffe9, 0xfffffea, 0x3ffffffd, 0xfffffeb, 0xfffffec, 0xfffffed, 0xfffffee, 0xfffffef, 0xffffff0,
        0xffffff1, 0xffffff2, 0x3ffffffe, 0xffffff3, 0xffffff4, 0xffffff5, 0xffffff6, 0xffffff7, 0xffffff8, 0xffffff9,
        0xffffffa, 0xffffffb, 0x14, 0x3f8, 0x3f9, 0xffa, 0x1ff9, 0x15, 0xf8, 0x7fa,
        0x3fa, 0x3fb, 0xf9, 0x7fb, 0xfa, 0x16, 0x17, 0x18, 0x0, 0x1,
        0x2, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x5c, 0xfb,
        0x7ffc, 0x20, 0xffb, 0x3fc, 0x1ffa, 0x21, 0x5d, 0x5e, 0x5f, 0x60,
        0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a,
        0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0xfc, 0x73,
        0xfd, 0x1ffb, 0x7fff0, 0x1ffc, 0x3ffc, 0x22, 0x7ffd, 0x3, 0x23, 0x4,
        0x24, 0x5, 0x25, 0x26, 0x27, 0x6, 0x74, 0x75, 0x28, 0x29,
        0x2a, 0x7, 0x2b, 0x76, 0x2c, 0x8, 0x9, 0x2d, 0x77, 0x78,
        0x79, 0x7a, 0x7b, 0x7ffe, 0x7fc, 0x3ffd, 0x1ffd, 0xffffffc, 0xfffe6, 0x3fffd2,
        0xfffe7, 0xfffe8, 0x3fffd3, 0x3fffd4, 0x3fffd5, 0x7fffd9, 0x3fffd6, 0x7fffda, 0x7fffdb, 0x7fffdc,
        0x7fffdd, 0x7fffde, 0xffffeb, 0x7fffdf, 0xffffec, 0xffffed, 0x3fffd7, 0x7fffe0, 0xffffee, 0x7fffe1,
        0x7fffe2, 0x7fffe3, 0x7fffe4, 0x1fffdc, 0x3fffd8, 0x7fffe5, 0x3fffd9, 0x7fffe6, 0x7fffe7, 0xffffef,
        0x3fffda, 0x1fffdd, 0xfffe9, 0x3fffdb, 0x3fffdc, 0x7fffe8, 0x7fffe9, 0x1fffde, 0x7fffea, 0x3fffdd,
        0x3fffde, 0xfffff0, 0x1fffdf, 0x3fffdf, 0x7fffeb, 0x7fffec, 0x1fffe0, 0x1fffe1, 0x3fffe0, 0x1fffe2,
        0x7fffed, 0x3fffe1, 0x7fffee, 0x7fffef, 0xfffea, 0x3fffe2, 0x3fffe3, 0x3fffe4, 0x7ffff0, 0x3fffe5,
        0x3fffe6, 0x7ffff1, 0x3ffffe0, 0x3ffffe1, 0xfffeb, 0x7fff1, 0x3fffe7, 0x7ffff2, 0x3fffe8, 0x1ffffec,
        0x3ffffe2, 0x3ffffe3, 0x3ffffe4, 0x7ffffde, 0x7ffffdf, 0x3ffffe5, 0xfffff1, 0x1ffffed, 0x7fff2, 0x1fffe3,
        0x3ffffe6, 0x7ffffe0, 0x7ffffe1, 0x3ffffe7, 0x7ffffe2, 0xfffff2, 0x1fffe4, 0x1fffe5, 0x3ffffe8, 0x3ffffe9,
        0xffffffd, 0x7ffffe3, 0x7ffffe4, 0x7ffffe5, 0xfffec, 0xfffff3, 0xfffed, 0x1fffe6, 0x3fffe9, 0x1fffe7,
        0x1fffe8, 0x7ffff3, 0x3fffea, 0x3fffeb, 0x1ffffee, 0x1ffffef, 0xfffff4, 0xfffff5, 0x3ffffea, 0x7ffff4,
        0x3ffffeb, 0x7ffffe6, 0x3ffffec, 0x3ffffed, 0x7ffffe7, 0x7ffffe8, 0x7ffffe9, 0x7ffffea, 0x7ffffeb, 0xffffffe,
        0x7ffffec, 0x7ffffed, 0x7ffffee, 0x7ffffef, 0x7fffff0, 0x3ffffee,
    ]
    static let lengths: [UInt8] = [
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
    ]
}
