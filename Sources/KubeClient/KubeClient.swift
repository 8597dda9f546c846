import Foundation
import KubeAPI

/// What a client sends: a request in the API's own terms. The all-in-one server's
/// components send it to the handler in process; the CLI and remote agents over HTTPS.
public protocol KubeTransport: Sendable {
    func send(_ request: KubeRequest) async throws -> KubeResponse
    /// A watch request's events, one JSON object each, until the server ends the stream.
    /// A refused watch throws its `StatusError`.
    func watch(_ request: KubeRequest) async throws -> AsyncThrowingStream<JSONValue, any Error>
}

public struct KubeRequest: Sendable {
    public var method: String
    /// Path and query, percent-encoded: `/api/v1/namespaces/default/pods?labelSelector=app%3Dweb`.
    public var uri: String
    public var accept = "application/json"
    public var contentType = ""
    public var body: [UInt8] = []

    public init(method: String, uri: String, accept: String = "application/json", contentType: String = "", body: [UInt8] = []) {
        self.method = method
        self.uri = uri
        self.accept = accept
        self.contentType = contentType
        self.body = body
    }
}

public struct KubeResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    /// `Warning: 299 - "…"` headers, text only.
    public var warnings: [String]

    public init(status: Int, body: [UInt8], warnings: [String] = []) {
        self.status = status
        self.body = body
        self.warnings = warnings
    }
}

/// A `Status` failure answered by the server, printed as kubectl prints it.
public struct StatusError: Error, CustomStringConvertible, Sendable {
    public let code: Int
    public let reason: String
    public let message: String
    public let status: JSONValue

    public init(code: Int, reason: String, message: String) {
        self.code = code
        self.reason = reason
        self.message = message
        status = .object(["kind": "Status", "apiVersion": "v1", "status": "Failure", "code": .int(Int64(code)),
                          "reason": .string(reason), "message": .string(message)])
    }

    public init(code: Int, body: [UInt8]) {
        let parsed = try? JSONValue.parse(String(decoding: body, as: UTF8.self))
        self.code = code
        status = parsed ?? .null
        reason = parsed?["reason"]?.stringValue ?? ""
        message = parsed?["message"]?.stringValue ?? String(decoding: body.prefix(512), as: UTF8.self)
    }

    public var description: String {
        reason.isEmpty ? "Error from server: \(message)" : "Error from server (\(reason)): \(message)"
    }
}

/// Kubernetes REST verbs over a transport, on objects as JSON values.
public struct KubeClient: Sendable {
    public let transport: any KubeTransport
    /// Receives the server's warnings (kubectl prints them to stderr as `Warning: …`).
    public var onWarning: @Sendable (String) -> Void = { _ in }

    public init(transport: any KubeTransport) { self.transport = transport }

    /// Sends one request; a status of 400 or more throws its `StatusError`.
    public func send(_ method: String, _ uri: String, body: JSONValue? = nil, contentType: String = "application/json",
                     accept: String = "application/json") async throws -> JSONValue {
        let response = try await transport.send(KubeRequest(method: method, uri: uri, accept: accept,
                                                            contentType: body == nil ? "" : contentType,
                                                            body: body.map { Array($0.jsonText.utf8) } ?? []))
        response.warnings.forEach(onWarning)
        guard response.status < 400 else { throw StatusError(code: response.status, body: response.body) }
        if response.body.isEmpty { return .null }
        return try JSONValue.parse(String(decoding: response.body, as: UTF8.self))
    }

    /// The object, or nil when the server says 404.
    public func get(_ resource: APIResource, namespace: String? = nil, name: String) async throws -> JSONValue? {
        do {
            return try await send("GET", resource.path(namespace: namespace, name: name))
        } catch let error as StatusError where error.code == 404 {
            return nil
        }
    }

    /// Every object (or Table row), fetched in chunks of `chunkSize` as kubectl fetches
    /// them (500): the server never builds one response for thousands of objects.
    public func list(_ resource: APIResource, namespace: String? = nil, labelSelector: String? = nil,
                     fieldSelector: String? = nil, asTable: Bool = false, chunkSize: Int = 500) async throws -> JSONValue {
        var query: [(String, String)] = [("limit", String(chunkSize))]
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        let field = asTable ? "rows" : "items"
        var list = try await send("GET", resource.path(namespace: namespace, query: query), accept: asTable ? Self.tableAccept : "application/json")
        var collected = list[field]?.arrayValue ?? []
        while let token = list["metadata"]?["continue"]?.stringValue, !token.isEmpty {
            list = try await send("GET", resource.path(namespace: namespace, query: query + [("continue", token)]),
                                  accept: asTable ? Self.tableAccept : "application/json")
            collected += list[field]?.arrayValue ?? []
        }
        list[field] = .array(collected)
        list["metadata"]?["continue"] = nil
        return list
    }

    public func create(_ resource: APIResource, namespace: String? = nil, _ object: JSONValue) async throws -> JSONValue {
        try await send("POST", resource.path(namespace: namespace, query: [("fieldValidation", "Strict")]), body: object)
    }

    /// PUT of the object: its resourceVersion, when set, is the precondition (409 when stale).
    public func update(_ resource: APIResource, namespace: String? = nil, _ object: JSONValue, subresource: String? = nil) async throws -> JSONValue {
        let name = object["metadata"]?["name"]?.stringValue ?? ""
        return try await send("PUT", resource.path(namespace: namespace, name: name, subresource: subresource,
                                                   query: [("fieldValidation", "Strict")]), body: object)
    }

    public enum PatchType: String, Sendable {
        case strategic = "application/strategic-merge-patch+json"
        case merge = "application/merge-patch+json"
        case json = "application/json-patch+json"
    }

    public func patch(_ resource: APIResource, namespace: String? = nil, name: String, _ type: PatchType, _ patch: JSONValue) async throws -> JSONValue {
        try await send("PATCH", resource.path(namespace: namespace, name: name, query: [("fieldValidation", "Strict")]),
                       body: patch, contentType: type.rawValue)
    }

    /// The object as it is being deleted (with a deletionTimestamp), or its final state.
    @discardableResult
    public func delete(_ resource: APIResource, namespace: String? = nil, name: String, gracePeriodSeconds: Int? = nil,
                       propagationPolicy: String? = nil, preconditionUID: String? = nil) async throws -> JSONValue {
        var options: [String: JSONValue] = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let gracePeriodSeconds { options["gracePeriodSeconds"] = .int(Int64(gracePeriodSeconds)) }
        if let propagationPolicy { options["propagationPolicy"] = .string(propagationPolicy) }
        if let preconditionUID { options["preconditions"] = .object(["uid": .string(preconditionUID)]) }
        return try await send("DELETE", resource.path(namespace: namespace, name: name), body: .object(options))
    }

    public struct WatchEvent: Sendable {
        /// ADDED, MODIFIED, DELETED or BOOKMARK.
        public var type: String
        public var object: JSONValue
    }

    /// Changes after `resourceVersion` (a list's), until the server ends the watch. An
    /// `ERROR` event ends the stream with its `StatusError` (410 Expired: relist).
    public func watch(_ resource: APIResource, namespace: String? = nil, resourceVersion: String?,
                      labelSelector: String? = nil, fieldSelector: String? = nil) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        var query: [(String, String)] = [("watch", "true"), ("allowWatchBookmarks", "true")]
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        let events = try await transport.watch(KubeRequest(method: "GET", uri: resource.path(namespace: namespace, query: query)))
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await event in events {
                        let type = event["type"]?.stringValue ?? ""
                        let object = event["object"] ?? .null
                        if type == "ERROR" {
                            let code = Int(object["code"]?.intValue ?? 500)
                            throw StatusError(code: code, reason: object["reason"]?.stringValue ?? "", message: object["message"]?.stringValue ?? "")
                        }
                        continuation.yield(WatchEvent(type: type, object: object))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Asks for the server-side Table (meta.k8s.io/v1) that `kubectl get` prints.
    public static let tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
}

extension String {
    /// Percent-encodes a query value (RFC 3986 unreserved characters stay).
    var queryEncoded: String {
        addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn:
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? self
    }
}
