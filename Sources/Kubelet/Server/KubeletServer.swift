import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The kubelet's own HTTPS endpoint (upstream's port 10250): TLS 1.2+, HTTP/1.1, and
/// x509 client authentication against the node's CA (`NodeCertificates`). With no API
/// server to ask, any client the CA vouches for is authorized; anonymous clients only
/// reach /healthz (`KubeletEndpoints`).
public final class KubeletServer: Sendable {
    private let channel: any Channel
    /// The bound port (what port 0 became).
    public let port: Int

    private init(channel: any Channel) {
        self.channel = channel
        port = channel.localAddress?.port ?? 0
    }

    public static func start(host: String, port: Int, tls: TLSConfiguration,
                             node: @escaping @Sendable () -> KubeletEndpoints.Node) async throws -> KubeletServer {
        let context = try NIOSSLContext(configuration: tls)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(KubeletHTTPHandler(node: node))
                }
            }
            .bind(host: host, port: port).get()
        return KubeletServer(channel: channel)
    }

    public func stop() async {
        try? await channel.close()
    }
}

private final class KubeletHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let node: @Sendable () -> KubeletEndpoints.Node
    private var head: HTTPRequestHead?

    init(node: @escaping @Sendable () -> KubeletEndpoints.Node) { self.node = node }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request): head = request
        case .body: break  // no endpoint takes a body
        case .end:
            guard let request = head else { return }
            head = nil
            // A presented certificate was verified against the CA during the handshake
            // (a bad one fails it), so having one is being authenticated.
            let ssl = try? context.pipeline.syncOperations.handler(type: NIOSSLHandler.self)
            let response = KubeletEndpoints.respond(method: request.method.rawValue, uri: request.uri,
                                                    authenticated: ssl?.peerCertificate != nil, node: node)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: response.contentType)
            headers.add(name: "Content-Length", value: String(response.body.count))
            let keepAlive = request.isKeepAlive
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            let status = HTTPResponseStatus(statusCode: response.status)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
            if request.method != .HEAD {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
            }
            let done = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
            if !keepAlive { done.futureResult.whenComplete { [channel = context.channel] (_: Result<Void, any Error>) in channel.close(promise: nil) } }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
