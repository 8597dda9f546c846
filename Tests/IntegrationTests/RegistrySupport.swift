import AsyncHTTPClient
@testable import ContainerRuntime
import Crypto
import Foundation
import LinuxSys
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import XCTest

/// Debian's `docker-registry` (distribution 2.8) on 127.0.0.1 inside the test's network
/// namespace, with filesystem storage under `dir`.
final class TestRegistry {
    enum Auth {
        case none
        /// An htpasswd line (`user:$2b$…`).
        case htpasswd(String)
        /// Bearer tokens from `realm`, signed by the key whose certificate is at `certificate`.
        case token(realm: String, certificate: String)
    }

    let port: Int
    let dir: String
    private let process = Process()
    var host: String { "127.0.0.1:\(port)" }

    /// bcrypt (cost 4: the registry checks it on every request) of user `swiftlet`,
    /// password `swiftlet-secret`.
    static let htpasswd = "swiftlet:$2b$04$PJlTWOuumiLTO4utBGEbS.jkf7X4w/5LCidRDN9qLTt9C386RHmrm"
    static let service = "swiftlet-test-registry"
    static let issuer = "swiftlet-test-issuer"

    init(dir: String, auth: Auth = .none, tls: (certificate: String, key: String)? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/docker-registry") else {
            throw XCTSkip("docker-registry is not installed (Packaging/dev/install-deps installs it)")
        }
        self.dir = dir
        port = try freeLoopbackPort()
        try Files.createDirectory(dir)
        var config = """
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: \(dir)/data
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:\(port)
              secret: swiftlet-test-secret

            """
        if let tls {
            config += "  tls:\n    certificate: \(tls.certificate)\n    key: \(tls.key)\n"
        }
        switch auth {
        case .none: break
        case let .htpasswd(line):
            try Files.writeAtomically("\(dir)/htpasswd", line + "\n")
            config += "auth:\n  htpasswd:\n    realm: swiftlet-test\n    path: \(dir)/htpasswd\n"
        case let .token(realm, certificate):
            config += """
                auth:
                  token:
                    realm: \(realm)
                    service: \(TestRegistry.service)
                    issuer: \(TestRegistry.issuer)
                    rootcertbundle: \(certificate)

                """
        }
        try Files.writeAtomically("\(dir)/config.yml", config)
        FileManager.default.createFile(atPath: "\(dir)/registry.log", contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(dir)/registry.log"))
        process.executableURL = URL(fileURLWithPath: "/usr/bin/docker-registry")
        process.arguments = ["serve", "\(dir)/config.yml"]
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try waitForListener(port: port, what: "docker-registry (log: \(dir)/registry.log)")
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }

    /// Pushes the image an OCI layout holds (its index.json's only entry, or a whole
    /// index given as `index`) as `repository:tag`. Returns the top digest.
    @discardableResult
    func push(layout: String, repository: String, tag: String, index: [UInt8]? = nil,
              credentials: RegistryConfig.Auth? = nil, scheme: String = "http") async throws -> ContentDigest {
        var config = RegistryConfig()
        if let credentials { config.configs = [host: RegistryConfig.HostConfig(auth: credentials)] }
        let client = RegistryClient(config: config, credentialFiles: DockerCredentialFiles(paths: []))
        do {
            let reference = try ImageReference.parse("\(host)/\(repository):\(tag)")
            var endpoint = config.pushEndpoint(for: reference)
            if scheme == "http" { endpoint.scheme = .http }
            let blobs = "\(layout)/blobs/sha256"
            let top: [UInt8]
            let mediaType: String
            if let index {
                (top, mediaType) = (index, OCIMediaType.index)
            } else {
                let layoutIndex = try JSON.decode(OCIIndex.self, try Files.read("\(layout)/index.json"), what: "index.json")
                (top, mediaType) = (try Files.read("\(blobs)/\(layoutIndex.manifests[0].digest.hex)"), OCIMediaType.manifest)
            }
            try await client.push(top, mediaType: mediaType, to: endpoint, reference: tag) {
                try Files.read("\(blobs)/\($0.hex)")
            }
            try await client.shutdown()
            return ContentDigest.of(top)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

/// Waits until something accepts connections on 127.0.0.1:`port` (5 s at most).
func waitForListener(port: Int, what: String) throws {
    for _ in 0..<500 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        close(fd)
        if connected == 0 { return }
        usleep(10_000)
    }
    throw SystemError("connect", "\(what) on 127.0.0.1:\(port)", errno: ECONNREFUSED)
}

/// A port nothing listens on now (the tests own their network namespace, so it stays free).
func freeLoopbackPort() throws -> Int {
    let fd = try sys("socket") { socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    try withUnsafeMutablePointer(to: &address) { pointer in
        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
            _ = try sys("bind", "127.0.0.1:0") { bind(fd, sa, length) }
            _ = try sys("getsockname") { getsockname(fd, sa, &length) }
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A small HTTP/1.1 server on 127.0.0.1 for what the tests play themselves: a token
/// endpoint, and a proxy in front of the registry that counts requests and can break
/// answers (cut a body short, corrupt it, replace a manifest).
final class TestHTTPServer: Sendable {
    struct Request: Sendable {
        var method: HTTPMethod
        var uri: String
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    struct Response: Sendable {
        var status: HTTPResponseStatus
        var headers: [(String, String)] = []
        var body: [UInt8] = []
        /// Send the full Content-Length, then only this many bytes, then close.
        var truncateAfter: Int?
    }

    typealias Handler = @Sendable (Request) async -> Response

    private let channel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
    let port: Int

    init(_ handler: @escaping Handler) async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: child)
                }
            }
        port = channel.channel.localAddress?.port ?? 0
        let channel = self.channel
        Task {
            try? await channel.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        group.addTask { try? await TestHTTPServer.serve(connection, handler) }
                    }
                }
            }
        }
    }

    func stop() async { try? await channel.channel.close() }

    private static func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
                              _ handler: Handler) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case let .head(h):
                    head = h
                    body = []
                case let .body(buffer):
                    body += buffer.readableBytesView
                case .end:
                    guard let head else { return }
                    let response = await handler(Request(method: head.method, uri: head.uri, headers: head.headers, body: body))
                    var headers = HTTPHeaders(response.headers)
                    if !headers.contains(name: "Content-Length") {
                        headers.add(name: "Content-Length", value: "\(response.body.count)")
                    }
                    try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: response.status, headers: headers)))
                    let bytes = response.truncateAfter.map { Array(response.body.prefix($0)) } ?? response.body
                    if head.method != .HEAD, !bytes.isEmpty {
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes))))
                    }
                    if response.truncateAfter != nil { return } // the connection drops mid-body
                    try await outbound.write(.end(nil))
                }
            }
        }
    }
}

/// Forwards to a registry, counting requests, with faults on demand.
final class RegistryProxy: Sendable {
    enum Fault: Sendable {
        /// Blobs are sent only this far, then the connection drops.
        case truncateBlobs(after: Int)
        /// Blob bodies with one byte changed (same length).
        case corruptBlobs
        /// Manifests replaced by this body and Content-Type.
        case manifest(body: [UInt8], contentType: String)
    }

    private let state = LockedBox<(requests: [String], fault: Fault?)>(([], nil))
    private let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
    let server: TestHTTPServer
    var host: String { "127.0.0.1:\(server.port)" }

    init(upstream: String) async throws {
        let state = self.state
        let client = self.client
        server = try await TestHTTPServer { request in
            let fault = state.withLock { value -> Fault? in
                let range = request.headers.first(name: "Range").map { " (\($0))" } ?? ""
                value.requests.append("\(request.method.rawValue) \(request.uri)\(range)")
                return value.fault
            }
            var forward = HTTPClientRequest(url: "http://\(upstream)\(request.uri)")
            forward.method = request.method
            for (name, value) in request.headers where name.lowercased() != "host" { forward.headers.add(name: name, value: value) }
            if !request.body.isEmpty { forward.body = .bytes(ByteBuffer(bytes: request.body)) }
            do {
                let answer = try await client.execute(forward, timeout: .seconds(30))
                var body = Array(try await answer.body.collect(upTo: 1 << 28).readableBytesView)
                let passed = ["content-type", "docker-content-digest", "www-authenticate", "location", "content-length",
                              "content-range"]
                var headers = answer.headers.filter { passed.contains($0.name.lowercased()) }.map { ($0.name, $0.value) }
                var response = TestHTTPServer.Response(status: answer.status, headers: headers, body: body)
                let isBlob = request.uri.contains("/blobs/sha256:") && request.method == .GET && answer.status == .ok
                switch fault {
                case let .truncateBlobs(after)? where isBlob:
                    response.truncateAfter = after
                case .corruptBlobs? where isBlob && !body.isEmpty:
                    body[body.count / 2] ^= 0xff
                    response.body = body
                case let .manifest(replacement, contentType)? where request.uri.contains("/manifests/"):
                    headers = [("Content-Type", contentType), ("Content-Length", "\(replacement.count)")]
                    response = TestHTTPServer.Response(status: .ok, headers: headers, body: replacement)
                default: break
                }
                return response
            } catch {
                return TestHTTPServer.Response(status: .badGateway, body: Array("\(error)".utf8))
            }
        }
    }

    func setFault(_ fault: Fault?) { state.withLock { $0.fault = fault } }

    /// Requests seen so far (`GET /v2/…`), and forgets them.
    func takeRequests() -> [String] { state.withLock { value in defer { value.requests = [] }; return value.requests } }

    func stop() async {
        await server.stop()
        try? await client.shutdown()
    }
}

/// The token endpoint of the distribution token flow: ES256 JWTs whose `kid` is the
/// libtrust ID of the signing key, for user `swiftlet`/`swiftlet-secret` (any scope) or
/// anonymous pulls when `anonymousPull`; anyone else gets 401.
final class TestTokenServer: Sendable {
    let server: TestHTTPServer
    var realm: String { "http://127.0.0.1:\(server.port)/token" }
    let issued = LockedBox(0)

    init(keyPEM: String, anonymousPull: Bool) async throws {
        let key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
        let kid = TestTokenServer.libtrustKeyID(key.publicKey.derRepresentation)
        let issued = self.issued
        server = try await TestHTTPServer { request in
            let components = URLComponents(string: request.uri)
            let scopes = (components?.queryItems ?? []).filter { $0.name == "scope" }.compactMap(\.value)
                .flatMap { $0.split(separator: " ").map(String.init) }
            var user = ""
            if let authorization = request.headers.first(name: "Authorization"), authorization.hasPrefix("Basic "),
               let decoded = Data(base64Encoded: String(authorization.dropFirst(6))).flatMap({ String(data: $0, encoding: .utf8) }) {
                guard decoded == "swiftlet:swiftlet-secret" else {
                    return TestHTTPServer.Response(status: .unauthorized, body: Array(#"{"details":"incorrect username or password"}"#.utf8))
                }
                user = "swiftlet"
            }
            var access: [[String: Any]] = []
            for scope in scopes {
                let parts = scope.split(separator: ":").map(String.init)
                guard parts.count >= 3 else { continue }
                var actions = parts.last!.split(separator: ",").map(String.init)
                if user.isEmpty { actions = anonymousPull ? actions.filter { $0 == "pull" } : [] }
                access.append(["type": parts[0], "name": parts[1..<(parts.count - 1)].joined(separator: ":"), "actions": actions])
            }
            if user.isEmpty && !anonymousPull {
                return TestHTTPServer.Response(status: .unauthorized, body: Array(#"{"details":"authentication required"}"#.utf8))
            }
            let now = Int(Date().timeIntervalSince1970)
            let claims: [String: Any] = [
                "iss": TestRegistry.issuer, "sub": user, "aud": TestRegistry.service, "exp": now + 300,
                "nbf": now - 10, "iat": now, "jti": UUID().uuidString, "access": access,
            ]
            let header: [String: Any] = ["typ": "JWT", "alg": "ES256", "kid": kid]
            func segment(_ object: [String: Any]) -> String {
                base64URL(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
            }
            let input = segment(header) + "." + segment(claims)
            let signature = try! key.signature(for: Data(input.utf8)).rawRepresentation // r‖s, 64 bytes
            let token = input + "." + base64URL(signature)
            issued.withLock { $0 += 1 }
            return TestHTTPServer.Response(status: .ok, headers: [("Content-Type", "application/json")],
                                           body: Array(#"{"token":"\#(token)","expires_in":300}"#.utf8))
        }
    }

    /// libtrust's key ID: SHA-256 of the DER SubjectPublicKeyInfo, first 240 bits, base32,
    /// in 12 groups of 4 joined by ':'.
    static func libtrustKeyID(_ spki: Data) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let bytes = Array(SHA256.hash(data: spki)).prefix(30)
        var bits = 0, value = 0
        var encoded = ""
        for byte in bytes {
            value = (value << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                encoded.append(alphabet[(value >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        return stride(from: 0, to: encoded.count, by: 4).map {
            String(Array(encoded)[$0..<min($0 + 4, encoded.count)])
        }.joined(separator: ":")
    }
}

func base64URL(_ data: Data) -> String {
    data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

/// Runs the openssl CLI (test certificates and keys).
func openssl(_ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw SystemError("openssl \(arguments.first ?? "")", errno: EINVAL)
    }
}

/// A mutex-guarded value that closures can share (Mutex itself cannot be copied into them).
final class LockedBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
