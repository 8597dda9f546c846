import Foundation
import Yams

// Reading manifest files: one or more YAML documents separated by `---`, or JSON (one
// object or a stream of them), into typed objects chosen by apiVersion and kind. YAML is
// turned into a JSON value first, as upstream's decoders turn it into JSON text (see
// YAMLToJSON.swift), and both are decoded from that tree with JSON's rules, so a file means
// the same here as it does to kubectl and the kubelet.

/// An object a manifest file may hold.
public enum ManifestObject: Hashable, Sendable {
    case pod(Pod)
    case configMap(ConfigMap)
    case secret(Secret)

    public var kind: String {
        switch self {
        case .pod: return "Pod"
        case .configMap: return "ConfigMap"
        case .secret: return "Secret"
        }
    }

    public var metadata: ObjectMeta {
        switch self {
        case .pod(let pod): return pod.metadata
        case .configMap(let configMap): return configMap.metadata
        case .secret(let secret): return secret.metadata
        }
    }
}

/// Why a manifest could not be read, naming the document (counted from 1, in the order
/// they appear, empty ones included) and the field when there is one.
public struct ManifestError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// Not well-formed YAML or JSON.
        case syntax
        /// A field's value has the wrong type or format.
        case invalidField
        /// apiVersion or kind missing, or the document is not an object.
        case notAnObject
        /// A kind this reader does not handle.
        case unsupportedKind
    }

    public var reason: Reason
    public var document: Int?
    /// The field's path, e.g. `spec.containers[0].ports[0].containerPort`.
    public var field: String?
    public var message: String

    public init(reason: Reason, document: Int?, field: String? = nil, message: String) {
        self.reason = reason
        self.document = document
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = ""
        if let document { text += "document \(document): " }
        if let field, !field.isEmpty { text += field + ": " }
        return text + message
    }
}

public enum Manifest {
    /// The kinds `decode` understands, all in the core `v1` group.
    public static let supportedKinds = ["Pod", "ConfigMap", "Secret"]

    /// Decodes every non-empty document. Throws `ManifestError` for the first document that
    /// is malformed, incomplete or of an unsupported kind.
    public static func decode(_ data: Data) throws -> [ManifestObject] {
        guard let text = String(data: data, encoding: .utf8) else {
            throw ManifestError(reason: .syntax, document: nil, message: "manifest is not valid UTF-8")
        }
        return try decode(text)
    }

    /// Deeper nesting is refused before anything recursive (YAML composition, conversion,
    /// decoding) sees it; Kubernetes objects nest a few dozen levels at most.
    public static let maxNesting = 200

    public static func decode(_ text: String) throws -> [ManifestObject] {
        try documents(text).map { try decodeObject($0.value, document: $0.document) }
    }

    /// The documents of a manifest file as JSON values, numbered from 1 as errors name
    /// them; empty YAML documents are skipped (their number is not reused).
    public static func documents(_ text: String) throws -> [(document: Int, value: JSONValue)] {
        // A BOM would otherwise hide the leading brace of a JSON file.
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        if let line = deepestFlowNesting(body, limit: maxNesting) {
            throw ManifestError(reason: .syntax, document: nil,
                                message: "line \(line): nested deeper than \(maxNesting) levels (exceeded max depth)")
        }
        let trimmed = body.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        if trimmed.first == "{" || trimmed.first == "[" {
            return try parseJSONStream(body)
        }
        return try parseYAML(body)
    }

    /// The line where `[`/`{` nesting first exceeds `limit` (outside quoted strings and
    /// comments), or nil. Block-style YAML needs a column of indentation per level, so its
    /// depth is bounded by line length and checked by the same limit on indentation.
    static func deepestFlowNesting(_ text: String, limit: Int) -> Int? {
        var depth = 0
        var line = 1
        var quote: UInt8? = nil
        var escaped = false
        var comment = false
        var indentation = 0
        var atLineStart = true
        var previous: UInt8 = 0x0a
        for byte in text.utf8 {
            defer { previous = byte }
            if byte == 0x0a {
                line += 1
                comment = false
                atLineStart = true
                indentation = 0
                continue
            }
            if atLineStart {
                if byte == 0x20 {
                    indentation += 1
                    if indentation > limit * 2 { return line }
                    continue
                }
                atLineStart = false
            }
            if comment { continue }
            if let q = quote {
                if escaped { escaped = false } else if q == 0x22 && byte == 0x5c { escaped = true } else if byte == q { quote = nil }
                continue
            }
            switch byte {
            case 0x22, 0x27: quote = byte
            case 0x23 where previous == 0x20 || previous == 0x0a || previous == 0x09: comment = true
            case 0x5b, 0x7b:
                depth += 1
                if depth > limit { return line }
            case 0x5d, 0x7d: depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }

    // MARK: YAML

    private static func parseYAML(_ text: String) throws -> [(document: Int, value: JSONValue)] {
        var documents: YamlSequence<Node>
        do {
            documents = try Yams.compose_all(yaml: text, YAMLToJSON.resolver)
        } catch {
            throw syntaxError(error, document: nil)
        }
        var values: [(document: Int, value: JSONValue)] = []
        var index = 0
        // Bounds alias expansion: real content needs at least a byte per value.
        let budget = 4 * text.utf8.count + 10_000
        while let node = documents.next() {
            index += 1
            let value: JSONValue
            do {
                value = try YAMLToJSON.convert(node, budget: budget)
            } catch let error as YAMLToJSON.ConversionError {
                throw ManifestError(reason: .syntax, document: index, message: error.message)
            }
            if value != .null { values.append((index, value)) }
        }
        if let error = documents.error {
            throw syntaxError(error, document: index + 1)
        }
        return values
    }

    /// One YAML (or JSON) document as a JSON value, by the rules manifests are read with
    /// (a configuration file, say); an empty document is null.
    public static func parseDocument(_ text: String) throws -> JSONValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, YAMLToJSON.resolver)
        } catch {
            throw syntaxError(error, document: nil)
        }
        guard let node else { return .null }
        do {
            return try YAMLToJSON.convert(node, budget: 4 * text.utf8.count + 10_000)
        } catch let error as YAMLToJSON.ConversionError {
            throw ManifestError(reason: .syntax, document: nil, message: error.message)
        }
    }

    private static func syntaxError(_ error: Error, document: Int?) -> ManifestError {
        guard let yamlError = error as? YamlError else {
            return ManifestError(reason: .syntax, document: document, message: "yaml: \(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let prefix = context.map { $0.text + " " } ?? ""
            return ManifestError(reason: .syntax, document: document,
                                 message: "yaml: line \(mark.line), column \(mark.column): \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map(goQuote).joined(separator: ", ")
            return ManifestError(reason: .syntax, document: document,
                                 message: "yaml: line \(context.mark.line): duplicate key \(keys) in mapping")
        default:
            return ManifestError(reason: .syntax, document: document, message: "yaml: \(yamlError)")
        }
    }

    // MARK: JSON

    /// One JSON value, or several one after another (as upstream's stream decoder reads).
    private static func parseJSONStream(_ text: String) throws -> [(document: Int, value: JSONValue)] {
        let values: [JSONValue]
        do {
            values = try JSONParser.parseStream(text)
        } catch let error as JSONSyntaxError {
            throw ManifestError(reason: .syntax, document: error.valuesBefore + 1, message: "invalid JSON: \(error)")
        }
        return values.enumerated().map { ($0 + 1, $1) }
    }

    // MARK: Typed decoding

    private static func decodeObject(_ value: JSONValue, document: Int) throws -> ManifestObject {
        guard case .object = value else {
            throw ManifestError(reason: .notAnObject, document: document, message: "expected an object, got \(value.kindDescription)")
        }
        let decoder = JSONValueDecoder()
        let typeMeta: TypeMeta
        do {
            typeMeta = try decoder.decode(TypeMeta.self, from: value)
        } catch let error as DecodingError {
            throw describe(error, document: document)
        }
        let apiVersion = typeMeta.apiVersion ?? ""
        let kind = typeMeta.kind ?? ""
        if apiVersion.isEmpty || kind.isEmpty {
            let missing = [apiVersion.isEmpty ? "apiVersion not set" : nil, kind.isEmpty ? "kind not set" : nil]
            throw ManifestError(reason: .notAnObject, document: document,
                                message: missing.compactMap { $0 }.joined(separator: ", "))
        }
        guard apiVersion == "v1", supportedKinds.contains(kind) else {
            throw ManifestError(
                reason: .unsupportedKind, document: document,
                message: "unsupported kind \(goQuote(kind)) in apiVersion \(goQuote(apiVersion)); supported: "
                    + supportedKinds.map { "v1 " + $0 }.joined(separator: ", "))
        }
        do {
            switch kind {
            case "ConfigMap": return .configMap(try decoder.decode(ConfigMap.self, from: value))
            case "Secret": return .secret(try decoder.decode(Secret.self, from: value))
            default: return .pod(try decoder.decode(Pod.self, from: value))
            }
        } catch let error as DecodingError {
            throw describe(error, document: document)
        } catch {
            // A value type's own parse error arrives without a path.
            throw ManifestError(reason: .invalidField, document: document, message: "\(error)")
        }
    }

    /// Turns a Swift decoding error into `document N: path: expected integer`.
    public static func describe(_ error: DecodingError, document: Int?) -> ManifestError {
        switch error {
        case .typeMismatch(let type, let context):
            return ManifestError(reason: .invalidField, document: document, field: fieldPath(context.codingPath),
                                 message: "expected \(typeDescription(type))")
        case .valueNotFound(let type, let context):
            return ManifestError(reason: .invalidField, document: document, field: fieldPath(context.codingPath),
                                 message: "expected \(typeDescription(type)), got null")
        case .keyNotFound(let key, let context):
            return ManifestError(reason: .invalidField, document: document,
                                 field: fieldPath(context.codingPath + [key]), message: "Required value")
        case .dataCorrupted(let context):
            return ManifestError(reason: .invalidField, document: document, field: fieldPath(context.codingPath),
                                 message: context.debugDescription)
        @unknown default:
            return ManifestError(reason: .invalidField, document: document, message: "\(error)")
        }
    }

    /// A decoding path as a field path: keys as `.name`, array positions as `[i]`.
    static func fieldPath(_ codingPath: [CodingKey]) -> String {
        var path = FieldPath()
        for key in codingPath {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") {
                path = path.index(index)
            } else {
                path = path.child(key.stringValue)
            }
        }
        return path.description
    }

    private static func typeDescription(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name == "IntOrString" { return "integer or string" }
        if name == "Quantity" { return "quantity (string or number)" }
        if name.hasPrefix("Array") || name.hasPrefix("[") { return "array" }
        if name.hasPrefix("Dictionary") || name.contains(":") { return "object" }
        if name.hasPrefix("Int") || name.hasPrefix("UInt") { return "integer" }
        if name == "Double" || name == "Float" { return "number" }
        if name == "Bool" { return "boolean" }
        if name == "String" { return "string" }
        return name
    }
}
