import LinuxSys
import Yams

/// Mirrors, rewrites, credentials and TLS settings for registries, read from
/// `/etc/swiftlet/registries.yaml` in the schema of k3s' `registries.yaml`, so that a k3s
/// user's file works unchanged:
///
///     mirrors:
///       docker.io:
///         endpoint: ["https://mirror.example.com:5000"]
///         rewrite:
///           "^library/(.*)": "dockerhub/$1"
///       "*":
///         endpoint: ["https://cache.example.com"]
///     configs:
///       "mirror.example.com:5000":
///         auth: {username: u, password: p}     # or auth: <base64>, token:, identity_token:
///         tls: {ca_file: /etc/ssl/mine.pem, cert_file: …, key_file: …, insecure_skip_verify: false}
///
/// A registry's mirror endpoints are tried in order, then the registry itself (the
/// "default endpoint"), as containerd does; rewrites apply to mirror endpoints only.
public struct RegistryConfig: Codable, Sendable, Equatable {
    public struct Mirror: Codable, Sendable, Equatable {
        public var endpoint: [String]?
        /// Regular expression on the repository path → replacement with `$1`… groups.
        public var rewrite: [String: String]?

        public init(endpoint: [String]? = nil, rewrite: [String: String]? = nil) {
            self.endpoint = endpoint
            self.rewrite = rewrite
        }
    }

    public struct Auth: Codable, Sendable, Equatable {
        public var username: String?
        public var password: String?
        /// base64 of `username:password`, as in Docker's config.json.
        public var auth: String?
        /// A bearer token sent as is.
        public var token: String?
        /// An OAuth2 refresh token exchanged at the token endpoint.
        public var identityToken: String?

        enum CodingKeys: String, CodingKey {
            case username, password, auth, token
            case identityToken = "identity_token"
        }

        public init(username: String? = nil, password: String? = nil, auth: String? = nil,
                    token: String? = nil, identityToken: String? = nil) {
            self.username = username
            self.password = password
            self.auth = auth
            self.token = token
            self.identityToken = identityToken
        }
    }

    public struct TLS: Codable, Sendable, Equatable {
        public var caFile: String?
        public var certFile: String?
        public var keyFile: String?
        public var insecureSkipVerify: Bool?

        enum CodingKeys: String, CodingKey {
            case caFile = "ca_file"
            case certFile = "cert_file"
            case keyFile = "key_file"
            case insecureSkipVerify = "insecure_skip_verify"
        }

        public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil,
                    insecureSkipVerify: Bool? = nil) {
            self.caFile = caFile
            self.certFile = certFile
            self.keyFile = keyFile
            self.insecureSkipVerify = insecureSkipVerify
        }
    }

    public struct HostConfig: Codable, Sendable, Equatable {
        public var auth: Auth?
        public var tls: TLS?

        public init(auth: Auth? = nil, tls: TLS? = nil) {
            self.auth = auth
            self.tls = tls
        }
    }

    public var mirrors: [String: Mirror]?
    public var configs: [String: HostConfig]?

    public init(mirrors: [String: Mirror]? = nil, configs: [String: HostConfig]? = nil) {
        self.mirrors = mirrors
        self.configs = configs
    }

    public static let defaultPath = "/etc/swiftlet/registries.yaml"

    /// Reads `path`; a missing file is an empty configuration, a malformed one an error
    /// that names the file.
    public static func load(_ path: String = defaultPath) throws -> RegistryConfig {
        guard Files.exists(path) else { return RegistryConfig() }
        return try ImageError.context(path) {
            try parse(String(decoding: try Files.read(path), as: UTF8.self))
        }
    }

    public static func parse(_ yaml: String) throws -> RegistryConfig {
        do {
            // An empty file (or one of comments only) is an empty configuration.
            guard let node = try Yams.compose(yaml: yaml), node != Node("~", Tag(.null)) else { return RegistryConfig() }
            let config = try YAMLDecoder().decode(RegistryConfig.self, from: node)
            try config.validate()
            return config
        } catch let error as ImageError {
            throw error
        } catch {
            throw ImageError(.invalidConfig, "\(error)")
        }
    }

    private func validate() throws {
        for (registry, mirror) in mirrors ?? [:] {
            for url in mirror.endpoint ?? [] {
                _ = try RegistryEndpoint(url: url, registry: registry)
            }
            for pattern in (mirror.rewrite ?? [:]).keys {
                do { _ = try Regex(pattern) } catch {
                    throw ImageError(.invalidConfig, "mirrors.\"\(registry)\".rewrite: bad pattern \"\(pattern)\": \(error)")
                }
            }
        }
    }

    // MARK: - Resolution

    /// Where to pull `reference` from, in order: the mirrors of its registry (or of `*`),
    /// each with the repository path rewritten, then the registry itself.
    public func endpoints(for reference: ImageReference) throws -> [RegistryEndpoint] {
        let mirror = mirrors?[reference.domain] ?? mirrors?["*"]
        var out: [RegistryEndpoint] = []
        for url in mirror?.endpoint ?? [] {
            var endpoint = try RegistryEndpoint(url: url, registry: reference.domain)
            endpoint.repository = try RegistryConfig.rewrite(reference.path, with: mirror?.rewrite ?? [:])
            endpoint.isMirror = true
            out.append(endpoint)
        }
        let defaultEndpoint = RegistryEndpoint.defaultEndpoint(for: reference)
        if !out.contains(where: { $0.baseURL == defaultEndpoint.baseURL && $0.repository == defaultEndpoint.repository }) {
            out.append(defaultEndpoint)
        }
        return out.map { endpoint in
            var endpoint = endpoint
            endpoint.hostConfig = hostConfig(for: endpoint.host)
            return endpoint
        }
    }

    /// The `configs` entry of `host` (`host:port`), else of `*`.
    public func hostConfig(for host: String) -> HostConfig {
        if let exact = configs?[host] { return exact }
        // docker.io's endpoints answer for it, as in containerd.
        if host == "registry-1.docker.io" || host == "index.docker.io", let hub = configs?["docker.io"] { return hub }
        return configs?["*"] ?? HostConfig()
    }

    /// Applies the first matching rewrite (patterns tried in sorted order, so the result
    /// does not depend on dictionary order). `$1`…`$9` insert capture groups.
    static func rewrite(_ path: String, with rules: [String: String]) throws -> String {
        for pattern in rules.keys.sorted() {
            let regex = try Regex(pattern)
            guard let match = try regex.firstMatch(in: path) else { continue }
            var replaced = ""
            var template = Substring(rules[pattern]!)
            while let dollar = template.firstIndex(of: "$") {
                replaced += template[..<dollar]
                let next = template.index(after: dollar)
                if next < template.endIndex, let group = template[next].wholeNumberValue, group < match.count {
                    if let sub = match[group].substring { replaced += sub }
                    template = template[template.index(after: next)...]
                } else {
                    replaced += "$"
                    template = template[next...]
                }
            }
            replaced += template
            return String(path[..<match.range.lowerBound]) + replaced + String(path[match.range.upperBound...])
        }
        return path
    }
}

/// One place to pull from: a base URL (`https://mirror:5000/v2`) and the repository path
/// there.
public struct RegistryEndpoint: Sendable, Equatable {
    public enum Scheme: String, Sendable { case http, https }

    public var scheme: Scheme
    /// `host` or `host:port`
    public var host: String
    /// Path of the API root, always ending in `/v2`.
    public var apiPath: String
    public var repository: String
    public var isMirror = false
    public var hostConfig = RegistryConfig.HostConfig()

    public var baseURL: String { "\(scheme.rawValue)://\(host)\(apiPath)" }

    /// `https://host[:port][/prefix]`; no scheme means https. A path is a prefix under
    /// which `/v2` is appended unless it already ends in `/v2`.
    init(url: String, registry: String) throws {
        var rest = Substring(url)
        if rest.hasPrefix("https://") {
            scheme = .https
            rest = rest.dropFirst(8)
        } else if rest.hasPrefix("http://") {
            scheme = .http
            rest = rest.dropFirst(7)
        } else if rest.contains("://") {
            throw ImageError(.invalidConfig, "mirrors.\"\(registry)\".endpoint \"\(url)\": scheme must be http or https")
        } else {
            scheme = .https
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        host = String(rest[..<slash])
        guard !host.isEmpty, ImageReference.isValidDomain(host) || host.hasPrefix("[") else {
            throw ImageError(.invalidConfig, "mirrors.\"\(registry)\".endpoint \"\(url)\": bad host")
        }
        var path = String(rest[slash...])
        while path.hasSuffix("/") { path.removeLast() }
        apiPath = path.hasSuffix("/v2") ? path : path + "/v2"
        repository = ""
    }

    init(scheme: Scheme, host: String, repository: String) {
        self.scheme = scheme
        self.host = host
        self.apiPath = "/v2"
        self.repository = repository
    }

    /// The registry itself: Docker Hub is served by `registry-1.docker.io`.
    static func defaultEndpoint(for reference: ImageReference) -> RegistryEndpoint {
        let host = reference.domain == "docker.io" ? "registry-1.docker.io" : reference.domain
        return RegistryEndpoint(scheme: .https, host: host, repository: reference.path)
    }

    /// The host without port, brackets removed.
    var hostname: String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            return String(host[host.index(after: host.startIndex)..<close])
        }
        if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon { return String(host[..<colon]) }
        return host
    }

    /// `localhost`, 127.0.0.0/8 or ::1: Docker talks plain HTTP to these when HTTPS fails.
    public var isLoopback: Bool {
        let name = hostname
        if name == "localhost" || name == "::1" { return true }
        let parts = name.split(separator: ".")
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Plain HTTP is allowed for http:// mirrors, loopback registries, and hosts whose
    /// config says `insecure_skip_verify`.
    var mayFallBackToHTTP: Bool { isLoopback || hostConfig.tls?.insecureSkipVerify == true }
}
