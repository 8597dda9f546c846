import Crypto
import FoundationEssentials

// The OCI image-spec documents Swiftlet reads and writes (image layout, index, manifest,
// config) and the `docker save` manifest.json. Only the fields Swiftlet uses are
// modelled; stored blobs keep their original bytes.

/// A `sha256:<64 hex>` content digest.
public struct ContentDigest: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// 64 lowercase hex digits.
    public let hex: String

    public var description: String { "sha256:\(hex)" }

    /// Parses `sha256:<64 lowercase hex>`.
    public init(parsing string: String) throws {
        guard string.hasPrefix("sha256:") else {
            let algorithm = string.split(separator: ":").first.map(String.init) ?? string
            if string.contains(":") {
                throw ImageError(.unsupported, "digest \"\(string)\": algorithm \(algorithm) is not supported (only sha256)")
            }
            throw ImageError(.invalidImage, "invalid digest \"\(string)\"")
        }
        guard let digest = ContentDigest(hex: String(string.dropFirst(7))) else {
            throw ImageError(.invalidImage, "invalid digest \"\(string)\"")
        }
        self = digest
    }

    /// From 64 lowercase hex digits.
    public init?(hex: String) {
        guard ContentDigest.isHex(hex, count: 64) else { return nil }
        self.hex = hex
    }

    init(sha256 digest: SHA256.Digest) {
        hex = hexString(digest)
    }

    /// The digest of `bytes`.
    public static func of<C: Collection<UInt8>>(_ bytes: C) -> ContentDigest {
        ContentDigest(sha256: SHA256.hash(data: Array(bytes)))
    }

    static func isHex(_ s: String, count: Int? = nil) -> Bool {
        if let count, s.utf8.count != count { return false }
        return !s.isEmpty && s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    public static func < (a: ContentDigest, b: ContentDigest) -> Bool { a.hex < b.hex }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do {
            self = try ContentDigest(parsing: string)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(error)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

public enum OCIMediaType {
    public static let layout = "application/vnd.oci.image.layout.v1+json"
    public static let index = "application/vnd.oci.image.index.v1+json"
    public static let manifest = "application/vnd.oci.image.manifest.v1+json"
    public static let config = "application/vnd.oci.image.config.v1+json"
    public static let layer = "application/vnd.oci.image.layer.v1.tar"
    public static let layerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    public static let layerZstd = "application/vnd.oci.image.layer.v1.tar+zstd"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    public static let dockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"

    static func isIndex(_ type: String?) -> Bool { type == index || type == dockerManifestList }
    static func isManifest(_ type: String?) -> Bool { type == manifest || type == dockerManifest }
}

/// Annotation keys Swiftlet reads.
public enum OCIAnnotation {
    public static let refName = "org.opencontainers.image.ref.name"
    /// What containerd and docker ≥ 25 put on index.json entries: the full image name.
    public static let containerdImageName = "io.containerd.image.name"
}

public struct OCIPlatform: Codable, Sendable, Equatable {
    public var architecture: String
    public var os: String
    public var variant: String?

    public init(architecture: String, os: String, variant: String? = nil) {
        self.architecture = architecture
        self.os = os
        self.variant = variant
    }

    /// The platform this binary runs on.
    public static var host: OCIPlatform {
        #if arch(x86_64)
        OCIPlatform(architecture: "amd64", os: "linux")
        #elseif arch(arm64)
        OCIPlatform(architecture: "arm64", os: "linux", variant: "v8")
        #else
        OCIPlatform(architecture: "unknown", os: "linux")
        #endif
    }

    public var description: String { "\(os)/\(architecture)" + (variant.map { "/\($0)" } ?? "") }
}

public struct OCIDescriptor: Codable, Sendable, Equatable {
    public var mediaType: String?
    public var digest: ContentDigest
    public var size: Int64
    public var annotations: [String: String]?
    public var platform: OCIPlatform?

    public init(mediaType: String?, digest: ContentDigest, size: Int64,
                annotations: [String: String]? = nil, platform: OCIPlatform? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.annotations = annotations
        self.platform = platform
    }
}

struct OCILayoutFile: Codable {
    var imageLayoutVersion: String
}

struct OCIIndex: Codable {
    var schemaVersion: Int
    var mediaType: String?
    var manifests: [OCIDescriptor]
    var annotations: [String: String]?
}

struct OCIManifest: Codable {
    var schemaVersion: Int
    var mediaType: String?
    var config: OCIDescriptor
    var layers: [OCIDescriptor]
    var annotations: [String: String]?
}

/// One entry of a `docker save` manifest.json.
struct DockerSaveEntry: Codable {
    var Config: String
    var RepoTags: [String]?
    var Layers: [String]
}

/// The runtime part of an image config (`config` in the OCI image config).
public struct ImageConfig: Codable, Sendable, Equatable {
    public var user: String?
    public var env: [String]?
    public var entrypoint: [String]?
    public var cmd: [String]?
    public var workingDir: String?
    public var labels: [String: String]?
    public var stopSignal: String?
    /// `80/tcp` …, from the ExposedPorts set.
    public var exposedPorts: [String]?
    /// Paths from the Volumes set.
    public var volumes: [String]?

    public init(user: String? = nil, env: [String]? = nil, entrypoint: [String]? = nil, cmd: [String]? = nil,
                workingDir: String? = nil, labels: [String: String]? = nil, stopSignal: String? = nil,
                exposedPorts: [String]? = nil, volumes: [String]? = nil) {
        self.user = user
        self.env = env
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.workingDir = workingDir
        self.labels = labels
        self.stopSignal = stopSignal
        self.exposedPorts = exposedPorts
        self.volumes = volumes
    }

    enum CodingKeys: String, CodingKey {
        case user = "User", env = "Env", entrypoint = "Entrypoint", cmd = "Cmd", workingDir = "WorkingDir"
        case labels = "Labels", stopSignal = "StopSignal", exposedPorts = "ExposedPorts", volumes = "Volumes"
    }

    private struct Empty: Codable {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        user = try c.decodeIfPresent(String.self, forKey: .user)
        env = try c.decodeIfPresent([String].self, forKey: .env)
        entrypoint = try c.decodeIfPresent([String].self, forKey: .entrypoint)
        cmd = try c.decodeIfPresent([String].self, forKey: .cmd)
        workingDir = try c.decodeIfPresent(String.self, forKey: .workingDir)
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels)
        stopSignal = try c.decodeIfPresent(String.self, forKey: .stopSignal)
        exposedPorts = try c.decodeIfPresent([String: Empty].self, forKey: .exposedPorts).map { $0.keys.sorted() }
        volumes = try c.decodeIfPresent([String: Empty].self, forKey: .volumes).map { $0.keys.sorted() }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(user, forKey: .user)
        try c.encodeIfPresent(env, forKey: .env)
        try c.encodeIfPresent(entrypoint, forKey: .entrypoint)
        try c.encodeIfPresent(cmd, forKey: .cmd)
        try c.encodeIfPresent(workingDir, forKey: .workingDir)
        try c.encodeIfPresent(labels, forKey: .labels)
        try c.encodeIfPresent(stopSignal, forKey: .stopSignal)
        try c.encodeIfPresent(exposedPorts.map { Dictionary(uniqueKeysWithValues: $0.map { ($0, Empty()) }) },
                              forKey: .exposedPorts)
        try c.encodeIfPresent(volumes.map { Dictionary(uniqueKeysWithValues: $0.map { ($0, Empty()) }) },
                              forKey: .volumes)
    }
}

/// An OCI image config blob (the parts Swiftlet reads or writes).
struct ImageConfigFile: Codable {
    struct RootFS: Codable {
        var type: String
        var diff_ids: [ContentDigest]
    }
    struct History: Codable {
        var created: String?
        var created_by: String?
        var comment: String?
        var empty_layer: Bool?
    }
    var architecture: String?
    var os: String?
    var variant: String?
    var created: String?
    var config: ImageConfig?
    var rootfs: RootFS
    var history: [History]?
}

enum JSON {
    /// Decodes `bytes`, turning a decoding failure into one readable line:
    /// `manifest.json: missing "Layers"`.
    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], what: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw ImageError(.invalidImage, "\(what): \(describe(error))")
        } catch {
            throw ImageError(.invalidImage, "\(what): not valid JSON")
        }
    }

    /// Compact JSON with sorted keys, so that the same value always gives the same digest.
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    private static func path(_ codingPath: [CodingKey]) -> String {
        codingPath.filter { $0.intValue == nil }.map(\.stringValue).joined(separator: ".")
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \"\(path(context.codingPath + [key]))\""
        case .valueNotFound(_, let context):
            return "\"\(path(context.codingPath))\" must not be null"
        case .typeMismatch(let type, let context):
            let p = path(context.codingPath)
            return p.isEmpty ? "unexpected JSON structure (expected \(type))" : "\"\(p)\": wrong type (expected \(type))"
        case .dataCorrupted(let context):
            let p = path(context.codingPath)
            return p.isEmpty ? "not valid JSON" : "\"\(p)\": \(context.debugDescription)"
        @unknown default:
            return "not valid JSON"
        }
    }
}

/// Lowercase hex digits of `bytes`: digests and container IDs.
func hexString<S: Sequence<UInt8>>(_ bytes: S) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0xf)])
    }
    return String(decoding: out, as: UTF8.self)
}
