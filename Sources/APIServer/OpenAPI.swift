import Crypto
import Foundation
import KubeAPI

/// The OpenAPI v3 documents kubectl reads (`/openapi/v3`, then one per group-version):
/// every resource's operations with their `x-kubernetes-group-version-kind` and query
/// parameters — `fieldValidation` on PATCH is what tells kubectl to validate on the
/// server rather than download schemas (its QueryParamVerifierV3). Object schemas come
/// with the typed kinds.
enum OpenAPI {
    static func hash(_ types: [ResourceType]) -> String {
        let text = types.map { "\($0.apiVersion)/\($0.name)/\($0.kind)" }.joined(separator: ",")
        return SHA512.hash(data: Data(text.utf8)).map { String(format: "%02X", $0) }.joined().prefix(128).description
    }

    static func document(_ types: [ResourceType]) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for type in types {
            let gvk: JSONValue = .object(["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)])
            let base = type.group.isEmpty ? "/api/\(type.version)" : "/apis/\(type.group)/\(type.version)"
            let collection = type.namespaced ? "\(base)/namespaces/{namespace}/\(type.name)" : "\(base)/\(type.name)"
            func operation(_ action: String, _ parameters: [String]) -> JSONValue {
                .object([
                    "operationId": .string("\(action)\(type.kind)"),
                    "x-kubernetes-action": .string(action),
                    "x-kubernetes-group-version-kind": gvk,
                    "parameters": .array(parameters.map {
                        .object(["name": .string($0), "in": "query", "schema": .object(["type": "string", "uniqueItems": true])])
                    }),
                    "responses": .object(["200": .object(["description": "OK"]), "401": .object(["description": "Unauthorized"])]),
                ])
            }
            let write = ["dryRun", "fieldManager", "fieldValidation"]
            paths[collection] = .object([
                "get": operation("list", ["labelSelector", "fieldSelector", "limit", "continue", "resourceVersion", "resourceVersionMatch", "watch", "timeoutSeconds"]),
                "post": operation("post", write),
                "delete": operation("deletecollection", ["labelSelector", "fieldSelector", "dryRun"]),
            ])
            paths["\(collection)/{name}"] = .object([
                "get": operation("get", []),
                "put": operation("put", write),
                "patch": operation("patch", write + ["force"]),
                "delete": operation("delete", ["dryRun", "gracePeriodSeconds", "propagationPolicy"]),
            ])
        }
        return .object([
            "openapi": "3.0.0",
            "info": .object(["title": "Kubernetes", "version": "v1.32.0"]),
            "paths": .object(paths),
            "components": .object(["schemas": .object([:])]),
        ])
    }
}

extension ResourceType {
    /// Upstream's: the first 8 bytes of SHA-256 over "group/version/kind", base64 — stable
    /// across restarts, so clients' discovery caches notice only a real storage change.
    var storageVersionHash: String {
        Data(SHA256.hash(data: Array("\(group)/\(version)/\(kind)".utf8)).prefix(8)).base64EncodedString()
    }
}
