import Foundation

/// Decodes `Decodable` values from a parsed `JSONValue` tree with Go's encoding/json
/// rules for the cases that matter to the API: numbers must fit the integer type (no
/// fractions, no overflow), strings are never numbers, and every error carries the full
/// coding path, including for numbers (which Foundation's JSONDecoder reports without one).
public struct JSONValueDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try TreeDecoder(value: value, codingPath: []).decodeValue(type)
    }

    /// Parses `text` as one JSON value, then decodes it.
    public func decode<T: Decodable>(_ type: T.Type, fromJSON text: String) throws -> T {
        try decode(type, from: try JSONParser.parse(text))
    }
}

/// A coding key for map keys and array positions. Array positions print as
/// `Index N`, like Foundation's, so paths read the same whichever decoder produced them.
struct TreeKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
}

private struct TreeDecoder: Decoder {
    let value: JSONValue
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch value {
        case .object(let members):
            return KeyedDecodingContainer(KeyedTree<Key>(members: members, codingPath: codingPath))
        case .null:
            throw DecodingError.valueNotFound(
                [String: JSONValue].self, .init(codingPath: codingPath, debugDescription: "expected an object, found null"))
        default:
            throw mismatch([String: JSONValue].self, value, codingPath)
        }
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        switch value {
        case .array(let elements):
            return UnkeyedTree(elements: elements, codingPath: codingPath)
        case .null:
            throw DecodingError.valueNotFound(
                [JSONValue].self, .init(codingPath: codingPath, debugDescription: "expected an array, found null"))
        default:
            throw mismatch([JSONValue].self, value, codingPath)
        }
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { SingleTree(value: value, codingPath: codingPath) }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        try SingleTree(value: value, codingPath: codingPath).decode(type)
    }
}

private func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: [CodingKey]) -> DecodingError {
    .typeMismatch(type, .init(codingPath: path, debugDescription: "expected \(type), found \(value.kindDescription)"))
}

extension JSONValue {
    /// "a string", "a number", … for messages.
    var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .uint, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// The primitive conversions, shared by the three container kinds.
private enum Primitive {
    static func bool(_ value: JSONValue, _ path: [CodingKey]) throws -> Bool {
        guard case .bool(let bool) = value else { throw failure(Bool.self, value, path) }
        return bool
    }

    static func string(_ value: JSONValue, _ path: [CodingKey]) throws -> String {
        guard case .string(let string) = value else { throw failure(String.self, value, path) }
        return string
    }

    static func double(_ value: JSONValue, _ path: [CodingKey]) throws -> Double {
        switch value {
        case .int(let int): return Double(int)
        case .uint(let uint): return Double(uint)
        case .double(let double): return double
        default: throw failure(Double.self, value, path)
        }
    }

    /// Integers must be written as integers and fit the type.
    static func integer<I: FixedWidthInteger>(_ type: I.Type, _ value: JSONValue, _ path: [CodingKey]) throws -> I {
        let result: I?
        switch value {
        case .int(let int): result = I(exactly: int)
        case .uint(let uint): result = I(exactly: uint)
        case .double(let double):
            throw DecodingError.typeMismatch(
                I.self, .init(codingPath: path, debugDescription: "expected an integer, found \(goFormatFloat(double))"))
        default:
            throw failure(I.self, value, path)
        }
        guard let result else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: path, debugDescription: "number \(value.jsonText) overflows \(I.self)"))
        }
        return result
    }

    static func failure(_ type: Any.Type, _ value: JSONValue, _ path: [CodingKey]) -> DecodingError {
        if value == .null {
            return .valueNotFound(type, .init(codingPath: path, debugDescription: "expected \(type), found null"))
        }
        return mismatch(type, value, path)
    }
}

private struct KeyedTree<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func value(_ key: Key) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for \(key.stringValue)"))
        }
        return value
    }

    private func path(_ key: Key) -> [CodingKey] { codingPath + [key] }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key) == .null }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try Primitive.bool(value(key), path(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try Primitive.string(value(key), path(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try Primitive.double(value(key), path(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try Primitive.double(value(key), path(key))) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try Primitive.integer(type, value(key), path(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try Primitive.integer(type, value(key), path(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try Primitive.integer(type, value(key), path(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try Primitive.integer(type, value(key), path(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try Primitive.integer(type, value(key), path(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try Primitive.integer(type, value(key), path(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try Primitive.integer(type, value(key), path(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try Primitive.integer(type, value(key), path(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try Primitive.integer(type, value(key), path(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try Primitive.integer(type, value(key), path(key)) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try TreeDecoder(value: value(key), codingPath: path(key)).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try TreeDecoder(value: value(key), codingPath: path(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try TreeDecoder(value: value(key), codingPath: path(key)).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder {
        TreeDecoder(value: members["super"] ?? .null, codingPath: codingPath + [TreeKey(stringValue: "super")])
    }

    func superDecoder(forKey key: Key) throws -> Decoder {
        TreeDecoder(value: members[key.stringValue] ?? .null, codingPath: path(key))
    }
}

private struct UnkeyedTree: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [CodingKey]
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next<T>(_ type: Any.Type, _ body: (JSONValue, [CodingKey]) throws -> T) throws -> T {
        let path = codingPath + [TreeKey(intValue: currentIndex)]
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "unkeyed container is at end"))
        }
        let result = try body(elements[currentIndex], path)
        currentIndex += 1
        return result
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type, Primitive.bool) }
    mutating func decode(_ type: String.Type) throws -> String { try next(type, Primitive.string) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type, Primitive.double) }
    mutating func decode(_ type: Float.Type) throws -> Float { Float(try next(type, Primitive.double)) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type) { try Primitive.integer(type, $0, $1) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) { try Primitive.integer(type, $0, $1) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) { try Primitive.integer(type, $0, $1) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) { try Primitive.integer(type, $0, $1) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) { try Primitive.integer(type, $0, $1) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) { try Primitive.integer(type, $0, $1) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) { try Primitive.integer(type, $0, $1) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type) { try Primitive.integer(type, $0, $1) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) { try Primitive.integer(type, $0, $1) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) { try Primitive.integer(type, $0, $1) } }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try next(type) { try TreeDecoder(value: $0, codingPath: $1).decodeValue(type) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try next([String: JSONValue].self) { try TreeDecoder(value: $0, codingPath: $1).container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        try next([JSONValue].self) { try TreeDecoder(value: $0, codingPath: $1).unkeyedContainer() }
    }

    mutating func superDecoder() throws -> Decoder {
        try next(JSONValue.self) { TreeDecoder(value: $0, codingPath: $1) }
    }
}

private struct SingleTree: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [CodingKey]

    func decodeNil() -> Bool { value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try Primitive.bool(value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try Primitive.string(value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try Primitive.double(value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { Float(try Primitive.double(value, codingPath)) }
    func decode(_ type: Int.Type) throws -> Int { try Primitive.integer(type, value, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try Primitive.integer(type, value, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try Primitive.integer(type, value, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try Primitive.integer(type, value, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try Primitive.integer(type, value, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try Primitive.integer(type, value, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try Primitive.integer(type, value, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try Primitive.integer(type, value, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try Primitive.integer(type, value, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try Primitive.integer(type, value, codingPath) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // Decimal's own Decodable goes through a keyed container; JSON gives it a number,
        // which we hand over exactly, as Foundation's JSONDecoder does.
        if type == Decimal.self {
            let text: String
            switch value {
            case .int(let int): text = String(int)
            case .uint(let uint): text = String(uint)
            case .double(let double): text = "\(double)"
            default: throw Primitive.failure(type, value, codingPath)
            }
            guard let decimal = Decimal(string: text) as? T else { throw Primitive.failure(type, value, codingPath) }
            return decimal
        }
        if type == JSONValue.self, let value = value as? T { return value }
        return try T(from: TreeDecoder(value: value, codingPath: codingPath))
    }
}
