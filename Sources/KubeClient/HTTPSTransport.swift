import AsyncHTTPClient
import Foundation
import KubeAPI
import NIOCore
import NIOHTTP1
import NIOSSL

/// A kubeconfig's current context: where the server is and how to prove who we are.
public struct KubeConfig: Sendable {
    public var server: String
    public var namespace: String?
    var caPEM: [UInt8]?
    var certificatePEM: [UInt8]?
    var keyPEM: [UInt8]?
    var token: String?
    var insecureSkipVerify = false

    /// Reads `path` (a kubeconfig as kubectl reads it: its current context, with inline
    /// `-data` fields or file paths relative to the kubeconfig's directory).
    public static func load(path: String) throws -> KubeConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ClientError("cannot read the kubeconfig \(path) (is the server running? it writes one; --kubeconfig or $KUBECONFIG name another)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let document: JSONValue
        do { document = try Manifest.parseDocument(text) } catch { throw ClientError("kubeconfig \(path): \(error)") }
        let directory = (path as NSString).deletingLastPathComponent
        func named(_ list: String, _ name: String?) -> JSONValue? {
            document[list]?.arrayValue?.first { $0["name"]?.stringValue == name }
        }
        guard let contextName = document["current-context"]?.stringValue, let context = named("contexts", contextName)?["context"] else {
            throw ClientError("kubeconfig \(path): no current context")
        }
        guard let cluster = named("clusters", context["cluster"]?.stringValue)?["cluster"], let server = cluster["server"]?.stringValue else {
            throw ClientError("kubeconfig \(path): context \"\(contextName)\" has no cluster with a server")
        }
        let user = named("users", context["user"]?.stringValue)?["user"]
        func bytes(_ section: JSONValue?, _ field: String) throws -> [UInt8]? {
            if let data = section?["\(field)-data"]?.stringValue {
                guard let decoded = Data(base64Encoded: data) else { throw ClientError("kubeconfig \(path): \(field)-data is not base64") }
                return Array(decoded)
            }
            guard let file = section?[field]?.stringValue else { return nil }
            let resolved = file.hasPrefix("/") ? file : "\(directory)/\(file)"
            guard let data = FileManager.default.contents(atPath: resolved) else { throw ClientError("kubeconfig \(path): cannot read \(field) \(resolved)") }
            return Array(data)
        }
        var config = KubeConfig(server: server, namespace: context["namespace"]?.stringValue)
        config.caPEM = try bytes(cluster, "certificate-authority")
        config.certificatePEM = try bytes(user, "client-certificate")
        config.keyPEM = try bytes(user, "client-key")
        config.token = user?["token"]?.stringValue
        config.insecureSkipVerify = cluster["insecure-skip-tls-verify"] == .bool(true)
        return config
    }
}

/// Requests over HTTPS (HTTP/2 when the server offers it), authenticated as the kubeconfig says.
public final class HTTPSTransport: KubeTransport {
    let config: KubeConfig
    let http: HTTPClient

    public init(config: KubeConfig) throws {
        self.config = config
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let ca = config.caPEM {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(ca))
        }
        if let certificate = config.certificatePEM, let key = config.keyPEM {
            tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
        }
        if config.insecureSkipVerify { tls.certificateVerification = .none }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, timeout: .init(connect: .seconds(10)))
        configuration.httpVersion = .automatic
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    public func shutdown() async throws { try await http.shutdown() }

    public func send(_ request: KubeRequest) async throws -> KubeResponse {
        let response = try await execute(request, timeout: .seconds(60))
        var body = try await response.body.collect(upTo: 256 << 20)
        let warnings = response.headers["Warning"].map(Self.warningText)
        return KubeResponse(status: Int(response.status.code), body: body.readBytes(length: body.readableBytes) ?? [], warnings: warnings)
    }

    public func watch(_ request: KubeRequest) async throws -> AsyncThrowingStream<JSONValue, any Error> {
        let response = try await execute(request, timeout: .hours(24 * 365))
        guard response.status.code < 400 else {
            var body = try await response.body.collect(upTo: 1 << 20)
            throw StatusError(code: Int(response.status.code), body: body.readBytes(length: body.readableBytes) ?? [])
        }
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    // One JSON object per line; a chunk may end mid-line.
                    var pending: [UInt8] = []
                    for try await chunk in response.body {
                        pending += chunk.readableBytesView
                        while let newline = pending.firstIndex(of: 0x0a) {
                            let line = String(decoding: pending[..<newline], as: UTF8.self)
                            pending.removeSubrange(...newline)
                            if !line.isEmpty { continuation.yield(try JSONValue.parse(line)) }
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func execute(_ request: KubeRequest, timeout: TimeAmount) async throws -> HTTPClientResponse {
        var outgoing = HTTPClientRequest(url: config.server + request.uri)
        outgoing.method = HTTPMethod(rawValue: request.method)
        outgoing.headers.add(name: "Accept", value: request.accept)
        outgoing.headers.add(name: "User-Agent", value: "swiftlet")
        if let token = config.token { outgoing.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if !request.body.isEmpty || !request.contentType.isEmpty {
            outgoing.headers.add(name: "Content-Type", value: request.contentType)
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        do {
            return try await http.execute(outgoing, timeout: timeout)
        } catch {
            if "\(error)".contains("Connection refused") {
                let host = config.server.split(separator: "/").dropFirst().first.map(String.init) ?? config.server
                throw ClientError("the connection to the server \(host) was refused - did you specify the right host or port?")
            }
            throw ClientError("cannot reach the server \(config.server): \(error)")
        }
    }

    /// `299 - "text"` → `text`.
    static func warningText(_ header: String) -> String {
        guard let open = header.firstIndex(of: "\""), let close = header.lastIndex(of: "\""), open < close else { return header }
        return String(header[header.index(after: open)..<close])
    }
}
