import CLinux
import Glibc
import LinuxSys

/// Why a probe's connection failed, worded as Go's net package words it, because upstream
/// puts those texts into probe events and users search for them.
enum ProbeNetError: Error, Equatable {
    /// Connecting failed: the whole Go text, e.g. `dial tcp 10.42.0.5:8080: connect: connection refused`.
    case dial(String)
    /// Connecting did not finish before the deadline (`dial tcp …: i/o timeout`).
    case dialTimeout(String)
    /// Reading or writing did not finish before the deadline.
    case timeout
    /// Reading or writing failed, e.g. `read: connection reset by peer`.
    case io(String)
}

/// Go's net.JoinHostPort: IPv6 literals in brackets.
func joinHostPort(_ host: String, _ port: Int) -> String {
    host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
}

/// Go's errno texts are glibc's with a lowercase first letter ("connection refused").
func goErrnoText(_ code: Int32) -> String {
    let text = String(cString: strerror(code))
    return text.prefix(1).lowercased() + text.dropFirst()
}

private func errnoText(of error: any Error) -> String {
    (error as? SystemError).map { goErrnoText($0.errno) } ?? "\(error)"
}

/// A non-blocking TCP connection for one probe: every step waits with poll(2) for at most
/// what is left until the probe's deadline, so no probe outlives its timeoutSeconds.
final class ProbeSocket {
    private let fd: FileDescriptor
    let deadline: ContinuousClock.Instant

    private init(fd: FileDescriptor, deadline: ContinuousClock.Instant) {
        self.fd = fd
        self.deadline = deadline
    }

    /// Connects to `host` (an IP literal, or a name resolved with getaddrinfo) on `port`.
    static func connect(host: String, port: Int, deadline: ContinuousClock.Instant) throws(ProbeNetError) -> ProbeSocket {
        let address = joinHostPort(host, port)
        var storage = sockaddr_storage()
        let length: socklen_t
        do {
            length = try socketAddress(host: host, port: port, into: &storage)
        } catch {
            throw .dial("dial tcp: lookup \(host): \(error.text)")
        }
        let raw: Int32
        let socketType = Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
        do {
            raw = try sys("socket", address) {
                Glibc.socket(Int32(storage.ss_family), socketType, 0)
            }
        } catch {
            throw .dial("dial tcp \(address): socket: \(goErrnoText(error.errno))")
        }
        let socket = ProbeSocket(fd: FileDescriptor(raw: raw, name: address), deadline: deadline)
        do {
            let started = try withUnsafePointer(to: &storage) { pointer in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                    try sys("connect", nil, tolerating: EINPROGRESS) { Glibc.connect(raw, address, length) }
                }
            }
            if started == nil {
                guard try socket.wait(for: Int16(POLLOUT)) else { throw ProbeNetError.dialTimeout("dial tcp \(address): i/o timeout") }
                var pending: Int32 = 0
                var size = socklen_t(MemoryLayout<Int32>.size)
                try sys("getsockopt", address) { getsockopt(raw, SOL_SOCKET, SO_ERROR, &pending, &size) }
                if pending != 0 { throw ProbeNetError.dial("dial tcp \(address): connect: \(goErrnoText(pending))") }
            }
        } catch let error as ProbeNetError {
            throw error
        } catch let error as SystemError {
            throw .dial("dial tcp \(address): \(error.operation): \(goErrnoText(error.errno))")
        } catch {
            throw .dial("dial tcp \(address): \(error)")
        }
        return socket
    }

    func write(_ bytes: [UInt8]) throws(ProbeNetError) {
        var offset = 0
        while offset < bytes.count {
            let written: Int?
            do {
                written = try bytes.withUnsafeBytes { buffer in
                    try sys("write", fd.name, tolerating: EAGAIN) {
                        Glibc.send(fd.raw, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                    }
                }
            } catch {
                throw .io("write: \(errnoText(of: error))")
            }
            if let written {
                offset += written
            } else if try !wait(for: Int16(POLLOUT)) {
                throw .timeout
            }
        }
    }

    /// Up to `limit` bytes; empty at end of stream.
    func read(limit: Int = 16384) throws(ProbeNetError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: limit)
        while true {
            let count: Int?
            do {
                count = try buffer.withUnsafeMutableBytes { bytes in
                    try sys("read", fd.name, tolerating: EAGAIN) { Glibc.read(fd.raw, bytes.baseAddress, bytes.count) }
                }
            } catch {
                throw .io("read: \(errnoText(of: error))")
            }
            if let count { return Array(buffer[0..<count]) }
            guard try wait(for: Int16(POLLIN)) else { throw .timeout }
        }
    }

    /// Waits until the socket is ready for `events`; false once the deadline has passed.
    private func wait(for events: Int16) throws(ProbeNetError) -> Bool {
        while true {
            let left = deadline - .now
            guard left > .zero else { return false }
            let milliseconds = pollMilliseconds(left)
            var request = pollfd(fd: fd.raw, events: events, revents: 0)
            let ready: Int32
            do {
                ready = try sys("poll", fd.name) { poll(&request, 1, milliseconds) }
            } catch {
                throw .io("poll: \(goErrnoText(error.errno))")
            }
            if ready > 0 { return true }
        }
    }
}

/// A poll(2) timeout for `duration`, rounded up: a 0 ms poll would spin until the deadline.
private func pollMilliseconds(_ duration: Duration) -> Int32 {
    let millisecond = Duration.milliseconds(1)
    let whole: Double = duration / millisecond
    return Int32(min(whole.rounded(.up), Double(Int32.max)))
}

private struct ResolveError: Error {
    let text: String
}

/// Fills `storage` with the address of `host`:`port`; IP literals are parsed, names looked up.
private func socketAddress(host: String, port: Int, into storage: inout sockaddr_storage) throws(ResolveError) -> socklen_t {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_flags = AI_NUMERICSERV
    var list: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(host, String(port), &hints, &list)
    guard status == 0, let first = list, let address = first.pointee.ai_addr else {
        // Go says "no such host" for the name-not-found family of answers.
        let text = status == EAI_NONAME ? "no such host" : String(cString: gai_strerror(status))
        if let list { freeaddrinfo(list) }
        throw ResolveError(text: text)
    }
    defer { freeaddrinfo(list) }
    let length = first.pointee.ai_addrlen
    withUnsafeMutableBytes(of: &storage) { target in
        target.copyMemory(from: UnsafeRawBufferPointer(start: address, count: Int(length)))
    }
    return length
}
