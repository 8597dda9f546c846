import FoundationEssentials
import Glibc
import LinuxSys

/// What a registry asks for in `WWW-Authenticate`:
/// `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"`
/// or `Basic realm="Registry Realm"`.
public struct AuthChallenge: Equatable, Sendable {
    public enum Scheme: Equatable, Sendable { case basic, bearer }
    public var scheme: Scheme
    public var parameters: [String: String]

    public var realm: String? { parameters["realm"] }
    public var service: String? { parameters["service"] }
    public var scope: String? { parameters["scope"] }

    /// Parses one challenge (RFC 7235 auth-params: token=token or token="quoted \" string").
    /// Returns nil for schemes other than Basic and Bearer.
    public static func parse(_ header: String) -> AuthChallenge? {
        var rest = Substring(header).drop(while: { $0 == " " })
        let schemeEnd = rest.firstIndex(of: " ") ?? rest.endIndex
        let scheme: Scheme
        switch rest[..<schemeEnd].lowercased() {
        case "basic": scheme = .basic
        case "bearer": scheme = .bearer
        default: return nil
        }
        rest = rest[schemeEnd...]
        var parameters: [String: String] = [:]
        while true {
            rest = rest.drop(while: { $0 == " " || $0 == "," })
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: " ").lowercased()
            rest = rest[rest.index(after: equals)...].drop(while: { $0 == " " })
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                while let c = rest.first, c != "\"" {
                    rest = rest.dropFirst()
                    if c == "\\", let escaped = rest.first {
                        value.append(escaped)
                        rest = rest.dropFirst()
                    } else {
                        value.append(c)
                    }
                }
                rest = rest.dropFirst()
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = rest[..<end].trimmingCharacters(in: " ")
                rest = rest[end...]
            }
            parameters[key] = value
        }
        return AuthChallenge(scheme: scheme, parameters: parameters)
    }
}

/// Credentials for one registry host.
public enum RegistryCredentials: Equatable, Sendable {
    case basic(username: String, password: String)
    /// An OAuth2 refresh token (Docker's `identitytoken`), exchanged at the token realm.
    case identityToken(username: String?, token: String)
    /// A bearer token sent as is (registries.yaml `auth.token`).
    case bearer(String)

    /// From a registries.yaml or config.json `auth` entry; nil when it holds none.
    init?(_ auth: RegistryConfig.Auth, what: String) throws {
        if let token = auth.identityToken, !token.isEmpty {
            self = .identityToken(username: auth.username, token: token)
        } else if let token = auth.token, !token.isEmpty {
            self = .bearer(token)
        } else if let username = auth.username, !username.isEmpty {
            self = .basic(username: username, password: auth.password ?? "")
        } else if let encoded = auth.auth, !encoded.isEmpty {
            guard let data = Data(base64Encoded: encoded),
                  let decoded = String(data: data, encoding: .utf8),
                  let colon = decoded.firstIndex(of: ":") else {
                throw ImageError(.invalidConfig, "\(what): \"auth\" is not base64 of username:password")
            }
            self = .basic(username: String(decoded[..<colon]), password: String(decoded[decoded.index(after: colon)...]))
        } else {
            return nil
        }
    }

    /// `Authorization: Basic …` for the registry itself or its token realm.
    var basicHeader: String? {
        guard case let .basic(username, password) = self else { return nil }
        return "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }
}

/// Docker-style credential files: `$REGISTRY_AUTH_FILE`, `$XDG_RUNTIME_DIR/containers/auth.json`,
/// `$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`): the first that has an
/// entry for the host wins. Entries are keyed `host[:port]`, also as a URL
/// (`https://index.docker.io/v1/` is Docker Hub's).
public struct DockerCredentialFiles: Sendable {
    public var paths: [String]

    public init(paths: [String]) { self.paths = paths }

    /// The files Docker, podman and skopeo read, from the environment.
    public static func standard() -> DockerCredentialFiles {
        func env(_ name: String) -> String? { getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } }
        var paths: [String] = []
        if let file = env("REGISTRY_AUTH_FILE") { paths.append(file) }
        if let runtime = env("XDG_RUNTIME_DIR") { paths.append("\(runtime)/containers/auth.json") }
        if let dir = env("DOCKER_CONFIG") {
            paths.append("\(dir)/config.json")
        } else if let home = env("HOME") {
            paths.append("\(home)/.docker/config.json")
        }
        return DockerCredentialFiles(paths: paths)
    }

    private struct File: Decodable {
        struct Entry: Decodable {
            var auth: String?
            var username: String?
            var password: String?
            var identitytoken: String?
            var registrytoken: String?
        }
        var auths: [String: Entry]?
    }

    public func credentials(for host: String) throws -> RegistryCredentials? {
        let wanted = DockerCredentialFiles.aliases(of: host)
        for path in paths where Files.exists(path) {
            let file = try ImageError.context(path) {
                try JSON.decode(File.self, try Files.read(path), what: "credentials")
            }
            for (key, entry) in file.auths ?? [:] where wanted.contains(DockerCredentialFiles.normalise(key)) {
                let auth = RegistryConfig.Auth(username: entry.username, password: entry.password, auth: entry.auth,
                                               token: entry.registrytoken, identityToken: entry.identitytoken)
                if let credentials = try RegistryCredentials(auth, what: "\(path): auths.\"\(key)\"") {
                    return credentials
                }
            }
        }
        return nil
    }

    /// `https://index.docker.io/v1/` → `index.docker.io`
    static func normalise(_ key: String) -> String {
        var s = Substring(key)
        if let scheme = s.range(of: "://") { s = s[scheme.upperBound...] }
        if let slash = s.firstIndex(of: "/") { s = s[..<slash] }
        return String(s)
    }

    static func aliases(of host: String) -> Set<String> {
        let hub: Set = ["docker.io", "index.docker.io", "registry-1.docker.io"]
        return hub.contains(host) ? hub : [host]
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        String(drop(while: { $0 == character }).reversed().drop(while: { $0 == character }).reversed())
    }
}
