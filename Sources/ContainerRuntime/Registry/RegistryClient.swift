import AsyncHTTPClient
import FoundationEssentials
import LinuxSys
import NIOCore
import NIOHTTP1
import NIOSSL

/// The OCI distribution API, as a client: manifests and blobs fetched and pushed, with
/// anonymous, basic and bearer-token authentication (tokens cached per host and scope),
/// registries.yaml TLS settings, and plain HTTP only where Docker allows it (loopback,
/// http:// mirrors, hosts marked insecure). One client serves a whole process; call
/// `shutdown()` before it goes.
public final class RegistryClient: Sendable {
    public let config: RegistryConfig
    public let credentialFiles: DockerCredentialFiles
    private let http: HTTPClient
    private let state = ClientState()

    /// Manifests larger than this are refused (containerd's limit).
    static let manifestLimit = 4 << 20

    public init(config: RegistryConfig = RegistryConfig(), credentialFiles: DockerCredentialFiles = .standard()) {
        self.config = config
        self.credentialFiles = credentialFiles
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .follow(max: 5, allowCycles: false),
            timeout: .init(connect: .seconds(10), read: .seconds(60)))
        configuration.httpVersion = .automatic
        // Fail a connection at once (refused, TLS to a plain-HTTP port) instead of retrying
        // until the deadline: the HTTP fallback and the next mirror must not wait for it.
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    public func shutdown() async throws { try await http.shutdown() }

    // MARK: - Manifests

    public struct FetchedManifest: Sendable {
        public var bytes: [UInt8]
        public var digest: ContentDigest
        public var mediaType: String
    }

    static let manifestAccept = [
        OCIMediaType.index, OCIMediaType.manifest, OCIMediaType.dockerManifestList, OCIMediaType.dockerManifest,
    ].joined(separator: ", ")

    /// GETs a manifest or index by tag or digest, verified against the digest when one is
    /// given (and against `Docker-Content-Digest` when the registry sends it).
    public func fetchManifest(_ endpoint: RegistryEndpoint, reference: String,
                              expected: ContentDigest? = nil) async throws -> FetchedManifest {
        let response = try await send(endpoint, .GET, "manifests/\(reference)", actions: "pull",
                                      headers: [("Accept", RegistryClient.manifestAccept)])
        let bytes = try await collect(response, limit: RegistryClient.manifestLimit, what: "manifest")
        let digest = ContentDigest.of(bytes)
        if let expected, expected != digest {
            throw ImageError(.digestMismatch, "manifest: content is \(digest), expected \(expected)")
        }
        if let header = response.headers.first(name: "Docker-Content-Digest"), header.hasPrefix("sha256:"),
           header != digest.description {
            throw ImageError(.digestMismatch, "manifest: content is \(digest), the registry says \(header)")
        }
        var mediaType = response.headers.first(name: "Content-Type")?
            .split(separator: ";").first.map { $0.filter { $0 != " " } } ?? ""
        if mediaType.isEmpty || mediaType == "application/json" || mediaType == "text/plain" {
            struct Typed: Decodable { var mediaType: String? }
            mediaType = (try? JSONDecoder().decode(Typed.self, from: Data(bytes)))?.mediaType ?? ""
        }
        return FetchedManifest(bytes: bytes, digest: digest, mediaType: mediaType)
    }

    // MARK: - Blobs

    /// Streams a blob into `writer`, calling `progress` with the bytes received so far.
    /// When the writer already holds a prefix (a resumed download), only the rest is
    /// asked for; a registry that answers with the whole blob starts it over. The caller
    /// checks and commits what was written.
    public func fetchBlob(_ endpoint: RegistryEndpoint, digest: ContentDigest, into writer: BlobWriter,
                          progress: (Int64) throws -> Void) async throws {
        let offset = writer.count
        let range = offset > 0 ? [("Range", "bytes=\(offset)-")] : []
        let response = try await send(endpoint, .GET, "blobs/\(digest)", actions: "pull", headers: range,
                                      deadline: .hours(6))
        if response.status == .partialContent {
            guard offset > 0, response.headers.first(name: "Content-Range")?.hasPrefix("bytes \(offset)-") == true else {
                try writer.restart()
                throw ImageError(.unreachable, "the registry answered the range request from byte \(offset) with "
                                 + "\(response.headers.first(name: "Content-Range") ?? "no Content-Range"); the next pull starts over")
            }
        } else if offset > 0 {
            try writer.restart() // the whole blob came back
        }
        do {
            for try await buffer in response.body {
                try buffer.withUnsafeReadableBytes { try writer.write($0) }
                try progress(writer.count)
            }
        } catch let error as ImageError {
            throw error
        } catch {
            throw ImageError(.unreachable, "download broke off after \(writer.count) bytes: \(RegistryClient.describe(error))")
        }
    }

    // MARK: - Push

    /// Uploads a blob unless the repository has it (monolithic upload: POST then PUT).
    /// Returns whether bytes were sent.
    @discardableResult
    public func pushBlob(_ endpoint: RegistryEndpoint, digest: ContentDigest, bytes: [UInt8]) async throws -> Bool {
        let head = try await send(endpoint, .HEAD, "blobs/\(digest)", actions: "pull,push", allow: [404])
        if head.status == .ok { return false }
        let start = try await send(endpoint, .POST, "blobs/uploads/", actions: "pull,push", allow: [202])
        guard let location = start.headers.first(name: "Location") else {
            throw ImageError(.protocolError, "upload of \(digest): the registry sent no Location")
        }
        let separator = location.contains("?") ? "&" : "?"
        let url = absoluteURL(location, endpoint: endpoint) + "\(separator)digest=\(digest)"
        _ = try await send(endpoint, .PUT, url: url, actions: "pull,push", allow: [201],
                           headers: [("Content-Type", "application/octet-stream")], body: bytes)
        return true
    }

    /// PUTs a manifest or index under a tag or its digest.
    public func pushManifest(_ endpoint: RegistryEndpoint, reference: String, bytes: [UInt8],
                             mediaType: String) async throws {
        _ = try await send(endpoint, .PUT, "manifests/\(reference)", actions: "pull,push", allow: [201],
                           headers: [("Content-Type", mediaType)], body: bytes)
    }

    // MARK: - Requests

    /// Sends a request to `<base>/<repository>/<path>` with whatever authorization the
    /// host wants, retrying once after a 401 challenge and over plain HTTP where that is
    /// allowed. Statuses other than 2xx and `allow` become `ImageError`s.
    private func send(_ endpoint: RegistryEndpoint, _ method: HTTPMethod, _ path: String, actions: String,
                      allow: Set<UInt> = [], headers: [(String, String)] = [], body: [UInt8]? = nil,
                      deadline: TimeAmount = .seconds(120)) async throws -> HTTPClientResponse {
        try await send(endpoint, method, url: "\(endpoint.repository)/\(path)", actions: actions, allow: allow,
                       headers: headers, body: body, deadline: deadline)
    }

    /// `url` is relative to the endpoint's API root unless it starts with a scheme.
    private func send(_ original: RegistryEndpoint, _ method: HTTPMethod, url: String, actions: String,
                      allow: Set<UInt> = [], headers: [(String, String)] = [], body: [UInt8]? = nil,
                      deadline: TimeAmount = .seconds(120)) async throws -> HTTPClientResponse {
        var endpoint = original
        if endpoint.scheme == .https, await state.isPlainHTTP(endpoint.host) { endpoint.scheme = .http }
        let scope = "repository:\(endpoint.repository):\(actions)"
        var retriedAuth = false
        while true {
            let target = url.contains("://") ? url : "\(endpoint.baseURL)/\(url)"
            var request = HTTPClientRequest(url: endpoint.scheme == original.scheme ? target : downgrade(target))
            request.method = method
            request.tlsConfiguration = try tlsConfiguration(for: endpoint)
            request.headers.add(name: "User-Agent", value: "swiftlet/\(SwiftletVersion.string)")
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let authorization = await state.authorization(host: endpoint.host, scope: scope) {
                request.headers.add(name: "Authorization", value: authorization)
            }
            if let body { request.body = .bytes(ByteBuffer(bytes: body)) }

            let response: HTTPClientResponse
            do {
                response = try await http.execute(request, timeout: deadline)
            } catch {
                if endpoint.scheme == .https, endpoint.mayFallBackToHTTP, !(error is CancellationError) {
                    // Docker's rule for loopback and insecure registries: HTTPS first, then HTTP.
                    endpoint.scheme = .http
                    await state.markPlainHTTP(endpoint.host)
                    continue
                }
                throw ImageError(.unreachable, "\(endpoint.scheme.rawValue)://\(endpoint.host): \(RegistryClient.describe(error))")
            }
            let status = response.status.code
            if (200..<300).contains(status) || allow.contains(status) { return response }
            // An error: its body (read once) says why.
            let detail = status == 204 ? nil : (try? await collect(response, limit: 1 << 16, what: "error"))
                .flatMap(RegistryClient.registryErrorMessage)
            if status == 401, !retriedAuth, let header = response.headers.first(name: "WWW-Authenticate"),
               let challenge = AuthChallenge.parse(header) {
                retriedAuth = true
                if try await authenticate(endpoint, challenge: challenge, scope: scope) { continue }
            }
            let what = "\(method.rawValue == "HEAD" ? "GET" : method.rawValue) \(endpoint.host)\(endpoint.apiPath)/\(url.contains("://") ? endpoint.repository : url)"
            switch status {
            case 401, 403:
                throw ImageError(.unauthorized, "\(detail ?? "unauthorized") (\(what): \(status))")
            case 404:
                throw ImageError(.notFound, "\(detail ?? "not found") (\(what): 404)")
            case 500...:
                throw ImageError(.unreachable, "\(detail ?? "registry error") (\(what): \(status))")
            default:
                throw ImageError(.protocolError, "\(detail ?? "unexpected answer") (\(what): \(status))")
            }
        }
    }

    /// Answers a 401 challenge: a token from the realm for bearer, our credentials for
    /// basic. Returns false when there is nothing to retry with.
    private func authenticate(_ endpoint: RegistryEndpoint, challenge: AuthChallenge, scope: String) async throws -> Bool {
        let credentials = try credentials(for: endpoint)
        switch challenge.scheme {
        case .basic:
            guard let header = credentials?.basicHeader else { return false }
            await state.setBasic(host: endpoint.host, header: header)
            return true
        case .bearer:
            if case let .bearer(token)? = credentials {
                await state.setToken(host: endpoint.host, scope: scope, token: token, expiresIn: 3600)
                return true
            }
            guard let realm = challenge.realm else {
                throw ImageError(.protocolError, "\(endpoint.host): bearer challenge without a realm")
            }
            let (token, expiresIn) = try await fetchToken(realm: realm, service: challenge.service,
                                                          scope: scope, credentials: credentials, endpoint: endpoint)
            await state.setToken(host: endpoint.host, scope: scope, token: token, expiresIn: expiresIn)
            return true
        }
    }

    /// The token flow of the distribution spec: GET realm?service=…&scope=… (with basic
    /// credentials when we have them), or the OAuth2 refresh-token POST for identity tokens.
    private func fetchToken(realm: String, service: String?, scope: String, credentials: RegistryCredentials?,
                            endpoint: RegistryEndpoint) async throws -> (String, Int) {
        var query = [("scope", scope)]
        if let service { query.insert(("service", service), at: 0) }
        var request: HTTPClientRequest
        if case let .identityToken(_, refreshToken)? = credentials {
            request = HTTPClientRequest(url: realm)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            let form = query + [("grant_type", "refresh_token"), ("client_id", "swiftlet"), ("refresh_token", refreshToken)]
            request.body = .bytes(ByteBuffer(string: RegistryClient.formEncode(form)))
        } else {
            request = HTTPClientRequest(url: realm + (realm.contains("?") ? "&" : "?") + RegistryClient.formEncode(query))
            if let header = credentials?.basicHeader { request.headers.add(name: "Authorization", value: header) }
        }
        request.tlsConfiguration = try tlsConfiguration(for: endpoint)
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(60))
        } catch {
            throw ImageError(.unreachable, "token server \(realm): \(RegistryClient.describe(error))")
        }
        let bytes = try await collect(response, limit: 1 << 20, what: "token")
        guard response.status.code == 200 else {
            let code = response.status.code
            let kind: ImageError.Kind = code == 401 || code == 403 ? .unauthorized : .protocolError
            let detail = RegistryClient.registryErrorMessage(bytes) ?? (code == 401 ? "unauthorized" : "token refused")
            throw ImageError(kind, "\(detail) (token server \(realm): \(code))")
        }
        struct TokenResponse: Decodable {
            var token: String?
            var access_token: String?
            var expires_in: Int?
        }
        guard let decoded = try? JSONDecoder().decode(TokenResponse.self, from: Data(bytes)),
              let token = decoded.token ?? decoded.access_token, !token.isEmpty else {
            throw ImageError(.protocolError, "token server \(realm): answer holds no token")
        }
        return (token, max(decoded.expires_in ?? 60, 60))
    }

    private func credentials(for endpoint: RegistryEndpoint) throws -> RegistryCredentials? {
        if let auth = endpoint.hostConfig.auth,
           let credentials = try RegistryCredentials(auth, what: "registries.yaml configs.\"\(endpoint.host)\".auth") {
            return credentials
        }
        return try credentialFiles.credentials(for: endpoint.host)
    }

    private func tlsConfiguration(for endpoint: RegistryEndpoint) throws -> TLSConfiguration? {
        guard endpoint.scheme == .https else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        guard let settings = endpoint.hostConfig.tls else { return tls }
        return try ImageError.context("registries.yaml configs.\"\(endpoint.host)\".tls") {
            if let ca = settings.caFile { tls.additionalTrustRoots = [.file(ca)] }
            if let cert = settings.certFile {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
                guard let key = settings.keyFile else { throw ImageError(.invalidConfig, "cert_file without key_file") }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            }
            if settings.insecureSkipVerify == true { tls.certificateVerification = .none }
            return tls
        }
    }

    // MARK: - Helpers

    private func collect(_ response: HTTPClientResponse, limit: Int, what: String) async throws -> [UInt8] {
        do {
            var buffer = try await response.body.collect(upTo: limit)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw ImageError(.invalidImage, "\(what) larger than \(limit) bytes")
        } catch {
            throw ImageError(.unreachable, "\(what): \(RegistryClient.describe(error))")
        }
    }

    /// The first message of a distribution-spec error body:
    /// `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown",…}]}`.
    static func registryErrorMessage(_ bytes: [UInt8]) -> String? {
        struct Body: Decodable {
            struct Item: Decodable { var code: String?; var message: String? }
            var errors: [Item]?
            var details: String?
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(bytes)) else { return nil }
        if let first = body.errors?.first {
            let message = first.message ?? first.code?.lowercased().replacingUnderscores() ?? "error"
            return message
        }
        return body.details
    }

    static func describe(_ error: Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connection timed out"
            case .readTimeout: return "timed out waiting for data"
            case .remoteConnectionClosed: return "connection closed by the registry"
            case .deadlineExceeded: return "request took too long"
            default: return "\(error)"
            }
        }
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("UnknownHost") || text.contains("name resolution") { return "cannot resolve the host name" }
        if text.contains("unexpected end of") || text.contains("invalidEOFState") || text.contains("uncleanShutdown")
            || text.contains("ended at an unexpected time") {
            return "connection closed by the registry"
        }
        return text
    }

    static func formEncode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }.joined(separator: "&")
    }

    static func percentEncode(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5a, 0x61...0x7a, 0x2d, 0x2e, 0x5f, 0x7e: out.append(Character(UnicodeScalar(byte)))
            default: out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// `/v2/x/blobs/uploads/uuid?state=…` → `https://host/v2/x/blobs/uploads/uuid?state=…`
    private func absoluteURL(_ location: String, endpoint: RegistryEndpoint) -> String {
        if location.hasPrefix("http://") || location.hasPrefix("https://") { return location }
        return "\(endpoint.scheme.rawValue)://\(endpoint.host)\(location.hasPrefix("/") ? "" : "/")\(location)"
    }

    private func downgrade(_ url: String) -> String {
        url.hasPrefix("https://") ? "http://" + url.dropFirst(8) : url
    }
}

/// Tokens and decisions remembered across requests.
private actor ClientState {
    private var tokens: [String: (token: String, expires: ContinuousClock.Instant)] = [:]
    private var basic: [String: String] = [:]
    private var plainHTTP: Set<String> = []

    func authorization(host: String, scope: String) -> String? {
        if let entry = tokens["\(host) \(scope)"], entry.expires > .now { return "Bearer \(entry.token)" }
        return basic[host]
    }

    func setToken(host: String, scope: String, token: String, expiresIn: Int) {
        // Renew ten seconds early so a token does not expire mid-request.
        tokens["\(host) \(scope)"] = (token, .now + .seconds(max(expiresIn - 10, 1)))
    }

    func setBasic(host: String, header: String) { basic[host] = header }

    func isPlainHTTP(_ host: String) -> Bool { plainHTTP.contains(host) }

    func markPlainHTTP(_ host: String) { plainHTTP.insert(host) }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(map { $0 == "_" ? " " : $0 }) }
}
