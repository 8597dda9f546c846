import Crypto
import Foundation
import KubeAPI

/// The OpenAPI documents: v3 (`/openapi/v3`, then one per group-version, what kubectl
/// reads) and v2 (`/openapi/v2`, one for everything, in JSON). Operations carry their
/// `x-kubernetes-group-version-kind` and query parameters — `fieldValidation` on PATCH is
/// what tells kubectl to validate on the server (its QueryParamVerifierV3). Schemas are
/// generated from the kinds' Swift types (KubeAPI's `SchemaCatalog`); `kubectl explain`
/// finds a kind's schema by the GVK list on its definition.
///
/// PATCH operations declare no request body on purpose: kubectl builds strategic merge
/// patches from a v3 schema only when PATCH lists `application/strategic-merge-patch+json`,
/// and ours carry no patch-merge-key extensions yet, so kubectl keeps using its built-in
/// Go types, which have them.
enum OpenAPI {
    /// Every built-in kind's definitions, recorded once.
    static let catalog = SchemaCatalog(ResourceType.builtin.compactMap(\.schema))

    /// The v3 documents by path (`api/v1`, `apis/apps/v1`, …) with their hashes.
    static let v3: [String: (document: JSONValue, hash: String)] = {
        var documents: [String: (JSONValue, String)] = [:]
        for (group, version) in Set(ResourceType.builtin.map { GroupVersion(group: $0.group, version: $0.version) }).map({ ($0.group, $0.version) }) {
            let served = ResourceType.builtin.filter { $0.group == group && $0.version == version }
            let document = v3Document(served)
            let hash = SHA512.hash(data: Data(document.jsonText.utf8)).map { String(format: "%02X", $0) }.joined()
            documents[group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"] = (document, hash)
        }
        return documents
    }()

    static let v2: JSONValue = .object([
        "swagger": "2.0",
        "info": .object(["title": "Kubernetes", "version": "v1.32.0"]),
        "paths": .object(paths(ResourceType.builtin, refPrefix: "#/definitions/", v3: false)),
        "definitions": .object(definitions(ResourceType.builtin, refPrefix: "#/definitions/", v3: false)),
    ])

    private struct GroupVersion: Hashable { var group, version: String }

    private static func v3Document(_ types: [ResourceType]) -> JSONValue {
        let prefix = "#/components/schemas/"
        return .object([
            "openapi": "3.0.0",
            "info": .object(["title": "Kubernetes", "version": "v1.32.0"]),
            "paths": .object(paths(types, refPrefix: prefix, v3: true)),
            "components": .object(["schemas": .object(definitions(types, refPrefix: prefix, v3: true))]),
        ])
    }

    private static func gvk(_ type: ResourceType) -> JSONValue {
        .object(["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)])
    }

    /// The definitions the kinds reach, each kind's with its GVK (a list, as kubectl's
    /// explain matches it element by element).
    private static func definitions(_ types: [ResourceType], refPrefix: String, v3: Bool) -> [String: JSONValue] {
        var kinds: [String: [JSONValue]] = [:]
        for type in types {
            guard let schema = type.schema else { continue }
            kinds[SchemaCatalog.definitionName(schema), default: []].append(gvk(type))
        }
        var result: [String: JSONValue] = [:]
        for name in catalog.closure(of: Array(kinds.keys)) {
            guard let definition = catalog.definitions[name] else { continue }
            var schema = render(definition, refPrefix: refPrefix, v3: v3)
            if let gvks = kinds[name] { schema["x-kubernetes-group-version-kind"] = .array(gvks) }
            result[name] = .object(schema)
        }
        return result
    }

    private static func render(_ definition: SchemaDefinition, refPrefix: String, v3: Bool) -> [String: JSONValue] {
        var schema: [String: JSONValue] = [:]
        if !definition.description.isEmpty { schema["description"] = .string(definition.description) }
        if let primitive = definition.primitive {
            let (type, format) = (primitive.type, primitive.format)
            // Upstream's v3 gives Quantity and IntOrString no type but the types they accept.
            switch (v3, format) {
            case (true, "int-or-string"): schema["oneOf"] = .array([.object(["type": "integer"]), .object(["type": "string"])])
            case (true, nil): schema["oneOf"] = .array([.object(["type": "string"]), .object(["type": "number"])])
            default: schema["type"] = .string(type)
            }
            if let format { schema["format"] = .string(format) }
            return schema
        }
        schema["type"] = "object"
        var properties: [String: JSONValue] = [:]
        for property in definition.properties {
            var value = render(property.type, refPrefix: refPrefix, v3: v3)
            if !property.description.isEmpty { value["description"] = .string(property.description) }
            properties[property.name] = .object(value)
        }
        if !properties.isEmpty { schema["properties"] = .object(properties) }
        if !definition.required.isEmpty { schema["required"] = .array(definition.required.map { .string($0) }) }
        return schema
    }

    /// A value's schema; references are wrapped in `allOf` in v3 so a description may sit
    /// beside them, as upstream's are.
    private static func render(_ type: SchemaType, refPrefix: String, v3: Bool) -> [String: JSONValue] {
        switch type {
        case .string(let format): format.map { ["type": "string", "format": .string($0)] } ?? ["type": "string"]
        case .enumeration(let values): ["type": "string", "enum": .array(values.map { .string($0) })]
        case .integer(let format): ["type": "integer", "format": .string(format)]
        case .number(let format): ["type": "number", "format": .string(format)]
        case .boolean: ["type": "boolean"]
        case .definition(let name):
            v3 ? ["allOf": .array([.object(["$ref": .string(refPrefix + name)])])] : ["$ref": .string(refPrefix + name)]
        case .array(let element): ["type": "array", "items": .object(render(element, refPrefix: refPrefix, v3: v3))]
        case .map(let element): ["type": "object", "additionalProperties": .object(render(element, refPrefix: refPrefix, v3: v3))]
        case .any: ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        }
    }

    private static func paths(_ types: [ResourceType], refPrefix: String, v3: Bool) -> [String: JSONValue] {
        var paths: [String: JSONValue] = [:]
        for type in types {
            let collection = type.namespaced ? "\(type.pathPrefix)/namespaces/{namespace}/\(type.name)" : "\(type.pathPrefix)/\(type.name)"
            let object: JSONValue? = type.schema.map { .object(["$ref": .string(refPrefix + SchemaCatalog.definitionName($0))]) }
            func operation(_ action: String, _ parameters: [String], returnsObject: Bool = true) -> JSONValue {
                var ok: [String: JSONValue] = ["description": "OK"]
                if returnsObject, let object {
                    ok = v3 ? ["description": "OK", "content": .object(["application/json": .object(["schema": object])])]
                        : ["description": "OK", "schema": object]
                }
                return .object([
                    "operationId": .string("\(action)\(type.kind)"),
                    "x-kubernetes-action": .string(action),
                    "x-kubernetes-group-version-kind": gvk(type),
                    "parameters": .array(parameters.map {
                        v3 ? .object(["name": .string($0), "in": "query", "schema": .object(["type": "string", "uniqueItems": true])])
                            : .object(["name": .string($0), "in": "query", "type": "string", "uniqueItems": true])
                    }),
                    "responses": .object(["200": .object(ok), "401": .object(["description": "Unauthorized"])]),
                ])
            }
            let write = ["dryRun", "fieldManager", "fieldValidation"]
            paths[collection] = .object([
                "get": operation("list", ["labelSelector", "fieldSelector", "limit", "continue", "resourceVersion",
                                          "resourceVersionMatch", "watch", "timeoutSeconds"], returnsObject: false),
                "post": operation("post", write),
                "delete": operation("deletecollection", ["labelSelector", "fieldSelector", "dryRun"], returnsObject: false),
            ])
            paths["\(collection)/{name}"] = .object([
                "get": operation("get", []),
                "put": operation("put", write),
                "patch": operation("patch", write + ["force"]),
                "delete": operation("delete", ["dryRun", "gracePeriodSeconds", "propagationPolicy"], returnsObject: false),
            ])
        }
        return paths
    }
}

extension ResourceType {
    /// Upstream's: the first 8 bytes of SHA-256 over "group/version/kind", base64 — stable
    /// across restarts, so clients' discovery caches notice only a real storage change.
    var storageVersionHash: String {
        Data(SHA256.hash(data: Array("\(group)/\(version)/\(kind)".utf8)).prefix(8)).base64EncodedString()
    }
}
