import Foundation
import KubeAPI
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import X509

/// The API server's transport: HTTPS (TLS 1.2+; HTTP/2 or HTTP/1.1 by ALPN, as the
/// client offers — kubectl and client-go prefer h2) with x509 client
/// authentication against the node's CA; requests go to `APIHandler`. Bodies are capped
/// (upstream's 3 MiB), and a watch whose client stops reading is closed, not buffered.
public final class APIServer: Sendable {
    private let channel: any Channel
    /// The bound port (what port 0 became).
    public let port: Int

    /// Upstream's MaxRequestBodyBytes.
    public static let maxBodyBytes = 3 * 1024 * 1024

    private init(channel: any Channel) {
        self.channel = channel
        port = channel.localAddress?.port ?? 0
    }

    public static func start(host: String, port: Int, tls: TLSConfiguration, handler: APIHandler) async throws -> APIServer {
        var tls = tls
        tls.applicationProtocols = ["h2", "http/1.1"]
        let context = try NIOSSLContext(configuration: tls)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 256 * 1024, high: 1024 * 1024))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                }.flatMap {
                    // Each HTTP/1.1 connection, or each HTTP/2 stream (as HTTP/1 parts), gets a handler.
                    channel.configureCommonHTTPServerPipeline { stream in
                        stream.eventLoop.makeCompletedFuture { try stream.pipeline.syncOperations.addHandler(APIHTTPHandler(handler: handler)) }
                    }
                }
            }
            .bind(host: host, port: port).get()
        return APIServer(channel: channel)
    }

    public func stop() async {
        try? await channel.close()
    }
}

private final class APIHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let handler: APIHandler
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false
    private var busy = false

    init(handler: APIHandler) { self.handler = handler }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
            body = []
            tooLarge = false
            if let length = request.headers.first(name: "Content-Length").flatMap(Int.init), length > APIServer.maxBodyBytes {
                tooLarge = true
            }
        case .body(var buffer):
            guard !tooLarge else { return }
            if body.count + buffer.readableBytes > APIServer.maxBodyBytes {
                tooLarge = true
                body = []
                return
            }
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let request = head, !busy else { return }
            head = nil
            if tooLarge {
                let error = APIError.tooLarge(APIServer.maxBodyBytes)
                respond(context: context, request: request, response: .json(status: error.code, body: error.status), close: true)
                return
            }
            // On an HTTP/2 stream, TLS is its connection's (the parent channel, same event loop).
            let ssl = (try? context.pipeline.syncOperations.handler(type: NIOSSLHandler.self))
                ?? (try? context.channel.parent?.pipeline.syncOperations.handler(type: NIOSSLHandler.self))
            // A presented certificate was verified against the CA in the handshake (a bad
            // one fails it): having one is being authenticated, as the user its CN names.
            let user = ssl?.peerCertificate.flatMap { certificate -> String? in
                guard let der = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: der) else { return nil }
                return parsed.subject.description.split(separator: ",").first { $0.hasPrefix("CN=") }.map { String($0.dropFirst(3)) } ?? parsed.subject.description
            }
            let apiRequest = APIRequest(method: request.method.rawValue, uri: request.uri,
                                        accept: request.headers.first(name: "Accept") ?? "",
                                        contentType: request.headers.first(name: "Content-Type") ?? "",
                                        body: body, user: user)
            body = []
            busy = true
            let handler = handler
            let loop = context.eventLoop
            let bound = NIOLoopBound((self, context), eventLoop: loop)
            loop.makeFutureWithTask { await handler.handle(apiRequest) }.whenSuccess { response in
                let (this, context) = bound.value
                this.busy = false
                this.respond(context: context, request: request, response: response, close: !request.isKeepAlive)
            }
        }
    }

    private func respond(context: ChannelHandlerContext, request: HTTPRequestHead, response: APIResponse, close: Bool) {
        var headers = HTTPHeaders()
        headers.add(name: "Cache-Control", value: "no-cache, private")
        let status: Int
        let payload: [UInt8]
        switch response {
        case .json(let code, let body, let contentType, let warnings):
            status = code
            payload = Array((body.jsonText + "\n").utf8)
            headers.add(name: "Content-Type", value: contentType)
            for warning in warnings {
                let quoted = warning.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                headers.add(name: "Warning", value: "299 - \"\(quoted)\"")
            }
        case .text(let code, let body):
            status = code
            payload = Array(body.utf8)
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        case .watch(let events):
            // HTTP/1.1 frames it chunked (NIO's encoder adds the header), HTTP/2 as DATA frames.
            headers.add(name: "Content-Type", value: "application/json")
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: .ok, headers: headers))), promise: nil)
            stream(events, context: context)
            return
        }
        headers.add(name: "Content-Length", value: String(payload.count))
        if close, request.version.major == 1 { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: HTTPResponseStatus(statusCode: status), headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: payload)))), promise: nil)
        }
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
        if close { done.futureResult.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) } }
    }

    /// Writes each event as a line; a client that has not taken the last one within 30 s
    /// is closed (upstream drops watchers that cannot keep up), and so is the watch when
    /// the client goes.
    private func stream(_ events: AsyncThrowingStream<JSONValue, any Error>, context: ChannelHandlerContext) {
        let channel = context.channel
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        busy = true
        let task = Task {
            do {
                for try await event in events {
                    let bytes = Array((event.jsonText + "\n").utf8)
                    let written = loop.flatSubmit {
                        let (this, context) = bound.value
                        let promise = loop.makePromise(of: Void.self)
                        context.writeAndFlush(this.wrapOutboundOut(.body(.byteBuffer(channel.allocator.buffer(bytes: bytes)))), promise: promise)
                        return promise.futureResult
                    }
                    let timeout = loop.scheduleTask(in: .seconds(30)) { channel.close(promise: nil) }
                    try await written.get()
                    timeout.cancel()
                }
            } catch {}
            loop.execute {
                let (this, context) = bound.value
                this.busy = false
                context.writeAndFlush(this.wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
        channel.closeFuture.whenComplete { _ in task.cancel() }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
