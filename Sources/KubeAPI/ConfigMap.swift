import Foundation

/// Configuration data for pods to consume as files or environment variables.
public struct ConfigMap: Codable, Hashable, Sendable {
    public var apiVersion: String?
    public var kind: String?
    @ZeroIfAbsent public var metadata: ObjectMeta
    /// When true, `data` and `binaryData` can no longer change.
    public var immutable: Bool?
    public var data: [String: String]?
    /// Non-UTF-8 values; base64 in JSON.
    public var binaryData: [String: Data]?

    public init(apiVersion: String? = "v1", kind: String? = "ConfigMap", metadata: ObjectMeta = ObjectMeta(),
                immutable: Bool? = nil, data: [String: String]? = nil, binaryData: [String: Data]? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.immutable = immutable
        self.data = data
        self.binaryData = binaryData
    }

    private enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, immutable, data, binaryData }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        _metadata = try container.decode(ZeroIfAbsent<ObjectMeta>.self, forKey: .metadata)
        immutable = try container.decodeIfPresent(Bool.self, forKey: .immutable)
        data = try container.decodeIfPresent([String: String].self, forKey: .data)
        binaryData = try decodeBase64Map(container, forKey: .binaryData)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(apiVersion, forKey: .apiVersion)
        try container.encodeIfPresent(kind, forKey: .kind)
        try container.encode(metadata, forKey: .metadata)
        try container.encodeIfPresent(immutable, forKey: .immutable)
        try container.encodeIfPresent(data, forKey: .data)
        try container.encodeIfPresent(binaryData?.mapValues { $0.base64EncodedString() }, forKey: .binaryData)
    }

    /// Upstream's defaulting: `data` becomes an empty map when absent.
    public mutating func setDefaults() {
        if data == nil { data = [:] }
    }
}

/// Decodes a map of base64 strings (Go's `map[string][]byte`) with standard padding, as
/// Go's encoding/json does; a bad value fails decoding at that map.
func decodeBase64Map<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, forKey key: Key) throws -> [String: Data]? {
    guard let encoded = try container.decodeIfPresent([String: String].self, forKey: key) else { return nil }
    var decoded: [String: Data] = [:]
    for (name, text) in encoded {
        guard let bytes = Data(base64Encoded: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "illegal base64 data in value of key \(goQuote(name))")
        }
        decoded[name] = bytes
    }
    return decoded
}
