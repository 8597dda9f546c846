import Foundation
import KubeAPI

/// Request bodies in Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`),
/// which kubectl's typed clients send (`kubectl create namespace|configmap|secret`): the
/// `k8s\0` envelope (runtime.Unknown) around the object's message, turned into the JSON
/// form the registry stores, following k8s.io/api's generated.proto field numbers for
/// the kinds served. Unknown fields are skipped, as proto3 does.
enum Protobuf {
    indirect enum FieldType {
        case string, bytes, int64, bool, time
        case message(Schema)
        case stringMap, bytesMap
        case repeated(FieldType)
    }

    struct Schema {
        var fields: [UInt64: (name: String, type: FieldType)]
    }

    struct Failure: Error { var message: String }

    static let time = Schema(fields: [:])
    static let ownerReference = Schema(fields: [
        1: ("kind", .string), 3: ("name", .string), 4: ("uid", .string), 5: ("apiVersion", .string),
        6: ("controller", .bool), 7: ("blockOwnerDeletion", .bool),
    ])
    static let objectMeta = Schema(fields: [
        1: ("name", .string), 2: ("generateName", .string), 3: ("namespace", .string), 5: ("uid", .string),
        6: ("resourceVersion", .string), 7: ("generation", .int64), 8: ("creationTimestamp", .time),
        9: ("deletionTimestamp", .time), 10: ("deletionGracePeriodSeconds", .int64), 11: ("labels", .stringMap),
        12: ("annotations", .stringMap), 13: ("ownerReferences", .repeated(.message(ownerReference))),
        14: ("finalizers", .repeated(.string)),
    ])
    static let objectReference = Schema(fields: [
        1: ("kind", .string), 2: ("namespace", .string), 3: ("name", .string), 4: ("uid", .string), 5: ("apiVersion", .string),
    ])
    static let kinds: [String: Schema] = [
        "Namespace": Schema(fields: [
            1: ("metadata", .message(objectMeta)),
            2: ("spec", .message(Schema(fields: [1: ("finalizers", .repeated(.string))]))),
            3: ("status", .message(Schema(fields: [1: ("phase", .string)]))),
        ]),
        "ConfigMap": Schema(fields: [
            1: ("metadata", .message(objectMeta)), 2: ("data", .stringMap), 3: ("binaryData", .bytesMap), 4: ("immutable", .bool),
        ]),
        "Secret": Schema(fields: [
            1: ("metadata", .message(objectMeta)), 2: ("data", .bytesMap), 3: ("type", .string), 4: ("stringData", .stringMap),
            5: ("immutable", .bool),
        ]),
        "ServiceAccount": Schema(fields: [
            1: ("metadata", .message(objectMeta)), 2: ("secrets", .repeated(.message(objectReference))),
            3: ("imagePullSecrets", .repeated(.message(Schema(fields: [1: ("name", .string)])))),
            4: ("automountServiceAccountToken", .bool),
        ]),
    ]

    /// The object in a `k8s\0` envelope, with its apiVersion and kind.
    static func decode(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        guard bytes.starts(with: [0x6b, 0x38, 0x73, 0x00]) else { throw Failure(message: "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]") }
        var envelope = Reader(bytes: bytes[4...])
        var apiVersion = "", kind = ""
        var raw: ArraySlice<UInt8> = []
        while let (field, wire) = try envelope.key() {
            switch (field, wire) {
            case (1, 2):
                var typeMeta = Reader(bytes: try envelope.lengthDelimited())
                while let (inner, innerWire) = try typeMeta.key() {
                    if inner == 1, innerWire == 2 { apiVersion = try typeMeta.string() }
                    else if inner == 2, innerWire == 2 { kind = try typeMeta.string() }
                    else { try typeMeta.skip(innerWire) }
                }
            case (2, 2): raw = try envelope.lengthDelimited()
            default: try envelope.skip(wire)
            }
        }
        guard let schema = kinds[kind] else { throw Failure(message: "no kind \"\(kind)\" is registered for version \"\(apiVersion)\" in protobuf") }
        var object = try message(raw, schema)
        object["apiVersion"] = .string(apiVersion)
        object["kind"] = .string(kind)
        return .object(object)
    }

    static func message(_ bytes: ArraySlice<UInt8>, _ schema: Schema) throws(Failure) -> [String: JSONValue] {
        var reader = Reader(bytes: bytes)
        var out: [String: JSONValue] = [:]
        while let (field, wire) = try reader.key() {
            guard let (name, type) = schema.fields[field] else { try reader.skip(wire); continue }
            switch type {
            case .repeated(let element):
                var list: [JSONValue] = { if case .array(let items)? = out[name] { return items } else { return [] } }()
                list.append(try value(&reader, element, wire: wire))
                out[name] = .array(list)
            case .stringMap, .bytesMap:
                var entry = Reader(bytes: try reader.lengthDelimited())
                var key = "", item: JSONValue = .string("")
                while let (inner, _) = try entry.key() {
                    if inner == 1 { key = try entry.string() }
                    else if inner == 2 {
                        let data = try entry.lengthDelimited()
                        if case .bytesMap = type { item = .string(Data(data).base64EncodedString()) }
                        else { item = .string(String(decoding: data, as: UTF8.self)) }
                    }
                }
                var map = out[name]?.objectValue ?? [:]
                map[key] = item
                out[name] = .object(map)
            default:
                // gogo-protobuf writes every scalar; JSON leaves empty ones out (omitempty).
                let decoded = try value(&reader, type, wire: wire)
                if decoded != .string(""), decoded != .int(0) { out[name] = decoded }
            }
        }
        return out
    }

    private static func value(_ reader: inout Reader, _ type: FieldType, wire: UInt64) throws(Failure) -> JSONValue {
        switch type {
        case .string: return .string(try reader.string())
        case .bytes: return .string(Data(try reader.lengthDelimited()).base64EncodedString())
        case .int64: return .int(Int64(bitPattern: try reader.varint()))
        case .bool: return .bool(try reader.varint() != 0)
        case .time:
            var inner = Reader(bytes: try reader.lengthDelimited())
            var seconds: Int64 = 0
            while let (field, innerWire) = try inner.key() {
                if field == 1 { seconds = Int64(bitPattern: try inner.varint()) } else { try inner.skip(innerWire) }
            }
            let formatter = ISO8601DateFormatter()
            return .string(formatter.string(from: Date(timeIntervalSince1970: Double(seconds))))
        case .message(let schema): return .object(try message(try reader.lengthDelimited(), schema))
        case .stringMap, .bytesMap, .repeated: throw Failure(message: "unexpected nested collection")
        }
    }

    struct Reader {
        var bytes: ArraySlice<UInt8>

        mutating func varint() throws(Failure) -> UInt64 {
            var result: UInt64 = 0, shift: UInt64 = 0
            while let byte = bytes.popFirst() {
                result |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
                if shift > 63 { break }
            }
            throw Failure(message: "malformed protobuf varint")
        }

        mutating func key() throws(Failure) -> (UInt64, UInt64)? {
            if bytes.isEmpty { return nil }
            let key = try varint()
            return (key >> 3, key & 7)
        }

        mutating func lengthDelimited() throws(Failure) -> ArraySlice<UInt8> {
            let length = try varint()
            guard length <= UInt64(bytes.count) else { throw Failure(message: "protobuf field longer than the message") }
            let value = bytes.prefix(Int(length))
            bytes = bytes.dropFirst(Int(length))
            return value
        }

        mutating func string() throws(Failure) -> String { String(decoding: try lengthDelimited(), as: UTF8.self) }

        mutating func skip(_ wire: UInt64) throws(Failure) {
            switch wire {
            case 0: _ = try varint()
            case 1: guard bytes.count >= 8 else { throw Failure(message: "truncated protobuf") }; bytes = bytes.dropFirst(8)
            case 2: _ = try lengthDelimited()
            case 5: guard bytes.count >= 4 else { throw Failure(message: "truncated protobuf") }; bytes = bytes.dropFirst(4)
            default: throw Failure(message: "unsupported protobuf wire type \(wire)")
            }
        }
    }
}
