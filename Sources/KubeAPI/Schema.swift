/// The OpenAPI schemas of the API's types, generated from the Swift types themselves: a
/// recording `Decoder` runs each type's `init(from:)` and notes every key it asks for and
/// the type it asks for it as. So the schema cannot drift from what decoding accepts, and
/// `kubectl explain` describes exactly what the server reads.
public indirect enum SchemaType: Hashable, Sendable {
    case string(format: String?)
    /// A string with a fixed set of values.
    case enumeration([String])
    case integer(format: String)
    case number(format: String)
    case boolean
    /// A named definition (`io.k8s.api.core.v1.PodSpec`).
    case definition(String)
    case array(SchemaType)
    /// A JSON object with arbitrary keys (`map[string]T`).
    case map(SchemaType)
    /// Any JSON, kept as written (`x-kubernetes-preserve-unknown-fields`).
    case any
}

/// One named definition: an object with properties, or a named string type (Quantity,
/// IntOrString, Time).
public struct SchemaDefinition: Hashable, Sendable {
    public struct Property: Hashable, Sendable {
        public var name: String
        public var type: SchemaType
        public var description: String
    }

    /// A named string type's JSON type and format.
    public struct Primitive: Hashable, Sendable {
        public var type: String
        public var format: String?
    }

    public var name: String
    public var description: String
    /// Set for named string types.
    public var primitive: Primitive?
    public var properties: [Property]
    public var required: [String]
}

/// The definitions reachable from a set of root types, by name.
public struct SchemaCatalog: Sendable {
    public private(set) var definitions: [String: SchemaDefinition] = [:]
    /// The definition name of each root type, in the order given.
    public private(set) var roots: [String] = []
    /// Types the recorder could not walk to the end: a Swift type whose `init(from:)`
    /// needs a value the recorder cannot make up. Empty for the built-in kinds.
    public private(set) var failures: [String] = []

    public init(_ types: [any Decodable.Type]) {
        let recorder = SchemaRecorder()
        for type in types {
            if case .definition(let name) = recorder.schema(type) { roots.append(name) }
        }
        definitions = recorder.definitions
        failures = recorder.failures
    }

    /// Every definition `name` refers to, transitively, itself included.
    public func closure(of names: [String]) -> Set<String> {
        var seen = Set<String>(), pending = names
        while let name = pending.popLast() {
            guard seen.insert(name).inserted, let definition = definitions[name] else { continue }
            for property in definition.properties { pending += property.type.referencedDefinitions }
        }
        return seen
    }

    /// A struct's definition name, after the Go package of its namespace (SchemaDescribed.swift).
    public static func definitionName(_ type: Any.Type) -> String {
        let path = String(reflecting: type).split(separator: ".").map(String.init)
        let name = path.last ?? "Unknown"
        let namespace = path.count >= 3 ? path[path.count - 2] : ""
        let packages = [
            "CoreV1": "io.k8s.api.core.v1", "AppsV1": "io.k8s.api.apps.v1", "BatchV1": "io.k8s.api.batch.v1",
            "PolicyV1": "io.k8s.api.policy.v1", "CoordinationV1": "io.k8s.api.coordination.v1",
            "DiscoveryV1": "io.k8s.api.discovery.v1", "EventsV1": "io.k8s.api.events.v1",
            "MetaV1": metaPackage,
        ]
        if let package = packages[namespace] { return "\(package).\(name)" }
        return ["ObjectMeta", "OwnerReference"].contains(name) ? "\(metaPackage).\(name)" : "io.k8s.api.core.v1.\(name)"
    }

    static let metaPackage = "io.k8s.apimachinery.pkg.apis.meta.v1"
}

extension SchemaType {
    public var referencedDefinitions: [String] {
        switch self {
        case .definition(let name): [name]
        case .array(let element), .map(let element): element.referencedDefinitions
        default: []
        }
    }
}

// MARK: - Recording

/// Wrappers the recorder looks through: Optional, ZeroIfAbsent, Array, Dictionary.
private protocol SchemaWrapper {
    static var wrappedType: any Decodable.Type { get }
    static func schema(of wrapped: SchemaType) -> SchemaType
}

extension Optional: SchemaWrapper where Wrapped: Decodable {
    fileprivate static var wrappedType: any Decodable.Type { Wrapped.self }
    fileprivate static func schema(of wrapped: SchemaType) -> SchemaType { wrapped }
}

extension Array: SchemaWrapper where Element: Decodable {
    fileprivate static var wrappedType: any Decodable.Type { Element.self }
    fileprivate static func schema(of wrapped: SchemaType) -> SchemaType { .array(wrapped) }
}

extension Dictionary: SchemaWrapper where Key == String, Value: Decodable {
    fileprivate static var wrappedType: any Decodable.Type { Value.self }
    fileprivate static func schema(of wrapped: SchemaType) -> SchemaType { .map(wrapped) }
}

extension ZeroIfAbsent: SchemaWrapper {
    fileprivate static var wrappedType: any Decodable.Type { Value.self }
    fileprivate static func schema(of wrapped: SchemaType) -> SchemaType { wrapped }
}

private final class SchemaRecorder {
    var definitions: [String: SchemaDefinition] = [:]
    /// Types whose decoding threw before it asked for all its keys (a test keeps it empty).
    var failures: [String] = []

    /// Upstream's named string types, as kube-openapi defines them.
    private static let namedStrings: [(Any.Type, String, String, String?, String)] = [
        (Quantity.self, "io.k8s.apimachinery.pkg.api.resource.Quantity", "string", nil,
         "A fixed-point number with an optional suffix: a binary SI (Ki, Mi, Gi, …), a decimal SI (m, k, M, G, …) or a decimal exponent (e3). Written as a string, e.g. \"500m\" or \"1Gi\"."),
        (IntOrString.self, "io.k8s.apimachinery.pkg.util.intstr.IntOrString", "string", "int-or-string",
         "Either an integer or a string, such as a port number or a port name, or a count or a percentage."),
        (Time.self, "\(SchemaCatalog.metaPackage).Time", "string", "date-time",
         "A point in time, written in RFC 3339 form in UTC with second precision."),
    ]

    func schema(_ type: any Decodable.Type) -> SchemaType {
        if let wrapper = type as? any SchemaWrapper.Type { return wrapper.schema(of: schema(wrapper.wrappedType)) }
        switch type {
        case let enumerated as any SchemaEnumerated.Type: return .enumeration(enumerated.schemaRawValues)
        case is String.Type, is any KubeStringEnum.Type: return .string(format: nil)
        case is Bool.Type: return .boolean
        case is Int32.Type: return .integer(format: "int32")
        case is Int64.Type, is Int.Type: return .integer(format: "int64")
        case is Double.Type: return .number(format: "double")
        case is JSONValue.Type: return .any
        default: break
        }
        if let (_, name, primitive, format, description) = Self.namedStrings.first(where: { $0.0 == type }) {
            definitions[name] = SchemaDefinition(name: name, description: description, primitive: .init(type: primitive, format: format),
                                                 properties: [], required: [])
            return .definition(name)
        }
        let name = SchemaCatalog.definitionName(type)
        guard definitions[name] == nil else { return .definition(name) }
        let described = type as? any SchemaDescribed.Type
        // Placed before recording the fields, so a type that contains itself terminates.
        definitions[name] = SchemaDefinition(name: name, description: described?.schemaDescription ?? "",
                                             primitive: nil, properties: [], required: [])
        let fields = FieldLog()
        do {
            _ = try type.init(from: RecordingDecoder(recorder: self, fields: fields))
        } catch {
            failures.append("\(name): \(error)")
        }
        var seen = Set<String>()
        definitions[name]?.properties = fields.entries.filter { seen.insert($0.name).inserted }.map {
            .init(name: $0.name, type: $0.type, description: described?.fieldDescriptions[$0.name] ?? "")
        }
        definitions[name]?.required = fields.entries.filter(\.required).map(\.name)
        return .definition(name)
    }
}

/// The keys one type's decoding asked for.
private final class FieldLog {
    var entries: [(name: String, type: SchemaType, required: Bool)] = []
}

/// Answers every request with nothing (absent optionals, zero values, empty collections),
/// logging keyed requests when it has a log. Nested values it must produce are decoded
/// with a log-less copy.
private struct RecordingDecoder: Decoder {
    let recorder: SchemaRecorder
    let fields: FieldLog?
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Keyed<Key>(decoder: self))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { Unkeyed() }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(decoder: self) }

    var silent: RecordingDecoder { RecordingDecoder(recorder: recorder, fields: nil) }

    /// Go struct fields are always written, but these are optional upstream all the same.
    private static let optionalStructFields: Set<String> = ["metadata", "spec", "status", "state", "lastState"]

    func log<T: Decodable>(_ type: T.Type, _ key: any CodingKey) {
        guard let fields else { return }
        let schema = recorder.schema(type)
        let isStruct = if case .definition(let name) = schema { recorder.definitions[name]?.primitive == nil } else { false }
        let required = type is any ZeroIfAbsentMarker.Type && !(isStruct && Self.optionalStructFields.contains(key.stringValue))
        fields.entries.append((key.stringValue, schema, required))
    }

    func zero<T: Decodable>(_ type: T.Type) throws -> T { try T(from: silent) }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: RecordingDecoder
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { [] }
        func contains(_ key: Key) -> Bool { false }
        func decodeNil(forKey key: Key) throws -> Bool { true }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            decoder.log(type, key)
            return try decoder.zero(type)
        }
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            decoder.log(type, key)
            return nil
        }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { decoder.log(type, key); return nil }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { decoder.log(type, key); return nil }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { decoder.log(type, key); return nil }
        func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { decoder.log(type, key); return nil }
        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { decoder.log(type, key); return nil }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { decoder.log(type, key); return nil }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            KeyedDecodingContainer(Keyed<NestedKey>(decoder: decoder.silent))
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { Unkeyed() }
        func superDecoder() throws -> any Decoder { decoder.silent }
        func superDecoder(forKey key: Key) throws -> any Decoder { decoder.silent }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        var codingPath: [any CodingKey] { [] }
        var count: Int? { 0 }
        var isAtEnd: Bool { true }
        var currentIndex: Int { 0 }
        mutating func decodeNil() throws -> Bool { true }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            throw DecodingError.valueNotFound(type, .init(codingPath: [], debugDescription: "recording"))
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            throw DecodingError.valueNotFound(type, .init(codingPath: [], debugDescription: "recording"))
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { Unkeyed() }
        mutating func superDecoder() throws -> any Decoder {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: [], debugDescription: "recording"))
        }
    }

    struct Single: SingleValueDecodingContainer {
        let decoder: RecordingDecoder
        var codingPath: [any CodingKey] { [] }
        func decodeNil() -> Bool { false }
        func decode(_ type: String.Type) throws -> String { "" }
        func decode(_ type: Bool.Type) throws -> Bool { false }
        func decode(_ type: Int.Type) throws -> Int { 0 }
        func decode(_ type: Int32.Type) throws -> Int32 { 0 }
        func decode(_ type: Int64.Type) throws -> Int64 { 0 }
        func decode(_ type: Double.Type) throws -> Double { 0 }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.zero(type) }
    }
}

/// Marks ZeroIfAbsent for the recorder: a field upstream requires.
private protocol ZeroIfAbsentMarker {}
extension ZeroIfAbsent: ZeroIfAbsentMarker {}

// MARK: - Pruning

extension SchemaCatalog {
    /// `value` without the fields its schema does not declare, and their paths as upstream's
    /// strict decoder names them (`spec.replica`, `spec.containers[0].imagee`), sorted.
    /// Upstream drops such fields from every built-in kind; `null` ones silently.
    public func pruned(_ value: JSONValue, as type: SchemaType) -> (value: JSONValue, unknown: [String]) {
        var unknown: [String] = []
        let result = prune(value, as: type, path: [], unknown: &unknown)
        return (result, unknown)
    }

    private func prune(_ value: JSONValue, as type: SchemaType, path: [String], unknown: inout [String]) -> JSONValue {
        switch (type, value) {
        case (.definition(let name), .object(let members)):
            guard let definition = definitions[name], definition.primitive == nil else { return value }
            var kept: [String: JSONValue] = [:]
            for key in members.keys.sorted() {
                guard let member = members[key] else { continue }
                if let property = definition.properties.first(where: { $0.name == key }) {
                    kept[key] = prune(member, as: property.type, path: path + [key], unknown: &unknown)
                } else if member != .null {
                    unknown.append((path + [key]).joined(separator: "."))
                }
            }
            return .object(kept)
        case (.array(let element), .array(let items)):
            return .array(items.enumerated().map { index, item in
                var indexed = path
                indexed[indexed.count - 1] += "[\(index)]"
                return prune(item, as: element, path: indexed, unknown: &unknown)
            })
        case (.map(let element), .object(let members)):
            return .object(members.reduce(into: [:]) { kept, member in
                kept[member.key] = prune(member.value, as: element, path: path + [member.key], unknown: &unknown)
            })
        default:
            return value
        }
    }
}

extension SchemaEnumerated {
    fileprivate static var schemaRawValues: [String] { schemaValues.map(\.rawValue) }
}
