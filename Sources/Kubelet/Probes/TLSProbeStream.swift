import NIOCore
import NIOEmbedded
import NIOSSL

/// A byte stream a prober reads an HTTP response from: a plain socket, or TLS over one.
protocol ProbeStream {
    func write(_ bytes: [UInt8]) throws(ProbeNetError)
    /// Some bytes; empty at end of stream.
    func read() throws(ProbeNetError) -> [UInt8]
}

extension ProbeSocket: ProbeStream {
    func read() throws(ProbeNetError) -> [UInt8] { try read(limit: 16384) }
}

/// TLS over a probe's socket as upstream's HTTPS probes do it: the server's certificate
/// is not verified (a pod's certificate is its own business), SNI names a host name. The
/// TLS state machine is NIOSSL's, driven in an embedded channel whose ciphertext this
/// stream carries to and from the socket, so the prober stays one synchronous read loop
/// with its deadline.
final class TLSProbeStream: ProbeStream {
    private let socket: ProbeSocket
    private let channel = EmbeddedChannel()

    init(socket: ProbeSocket, host: String) throws(ProbeNetError) {
        self.socket = socket
        do {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            let context = try NIOSSLContext(configuration: configuration)
            // SNI carries names only, never an address literal.
            let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host))
            // Never wait on this channel's futures: nothing runs its loop but this stream.
            channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 0), promise: nil)
        } catch {
            throw .io("tls: \(error)")
        }
        try flush()
    }

    deinit {
        channel.close(promise: nil)
        channel.embeddedEventLoop.run()
    }

    func write(_ bytes: [UInt8]) throws(ProbeNetError) {
        // Held by the TLS handler until the handshake is done; `read` carries that on.
        channel.writeAndFlush(channel.allocator.buffer(bytes: bytes), promise: nil)
        do { try channel.throwIfErrorCaught() } catch { throw .io("tls: \(error)") }
        try flush()
    }

    func read() throws(ProbeNetError) -> [UInt8] {
        while true {
            do {
                if let plain = try channel.readInbound(as: ByteBuffer.self) { return Array(plain.readableBytesView) }
            } catch {
                throw .io("tls: \(error)")
            }
            let cipher = try socket.read()
            if cipher.isEmpty { return [] }
            do {
                try channel.writeInbound(channel.allocator.buffer(bytes: cipher))
            } catch {
                throw .io("remote error: tls: \(error)")
            }
            try flush()  // handshake messages, alerts
        }
    }

    /// Runs what the TLS handler scheduled on the channel's loop, then sends what it
    /// produced for the peer.
    private func flush() throws(ProbeNetError) {
        channel.embeddedEventLoop.run()
        while true {
            let out: ByteBuffer?
            do { out = try channel.readOutbound(as: ByteBuffer.self) } catch { throw .io("tls: \(error)") }
            guard let out else { return }
            try socket.write(Array(out.readableBytesView))
        }
    }
}
