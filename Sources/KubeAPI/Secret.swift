import Foundation

public struct SecretType: KubeStringEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let opaque: SecretType = "Opaque"
    public static let serviceAccountToken: SecretType = "kubernetes.io/service-account-token"
    public static let dockerConfigJSON: SecretType = "kubernetes.io/dockerconfigjson"
    public static let basicAuth: SecretType = "kubernetes.io/basic-auth"
    public static let sshAuth: SecretType = "kubernetes.io/ssh-auth"
    public static let tls: SecretType = "kubernetes.io/tls"
}

/// Sensitive data for pods: values are bytes (base64 in JSON); `stringData` is a
/// write-only convenience merged over `data`.
public struct Secret: Codable, Hashable, Sendable {
    public var apiVersion: String?
    public var kind: String?
    @ZeroIfAbsent public var metadata: ObjectMeta
    public var immutable: Bool?
    public var data: [String: Data]?
    public var stringData: [String: String]?
    public var type: SecretType?

    public init(apiVersion: String? = "v1", kind: String? = "Secret", metadata: ObjectMeta = ObjectMeta(),
                immutable: Bool? = nil, data: [String: Data]? = nil, stringData: [String: String]? = nil,
                type: SecretType? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.immutable = immutable
        self.data = data
        self.stringData = stringData
        self.type = type
    }

    private enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, immutable, data, stringData, type }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        _metadata = try container.decode(ZeroIfAbsent<ObjectMeta>.self, forKey: .metadata)
        immutable = try container.decodeIfPresent(Bool.self, forKey: .immutable)
        data = try decodeBase64Map(container, forKey: .data)
        stringData = try container.decodeIfPresent([String: String].self, forKey: .stringData)
        type = try container.decodeIfPresent(SecretType.self, forKey: .type)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(apiVersion, forKey: .apiVersion)
        try container.encodeIfPresent(kind, forKey: .kind)
        try container.encode(metadata, forKey: .metadata)
        try container.encodeIfPresent(immutable, forKey: .immutable)
        try container.encodeIfPresent(data?.mapValues { $0.base64EncodedString() }, forKey: .data)
        try container.encodeIfPresent(stringData, forKey: .stringData)
        try container.encodeIfPresent(type, forKey: .type)
    }

    /// `data` with `stringData` merged over it, as the API server stores a written Secret.
    public var effectiveData: [String: Data] {
        var merged = data ?? [:]
        for (key, value) in stringData ?? [:] { merged[key] = Data(value.utf8) }
        return merged
    }

    /// Upstream's defaulting: `type` becomes `Opaque` when absent.
    public mutating func setDefaults() {
        if type == nil || type?.rawValue == "" { type = .opaque }
    }
}
