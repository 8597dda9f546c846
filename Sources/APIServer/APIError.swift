import KubeAPI

/// A failed request as the Kubernetes API reports it: a `Status` object with the
/// upstream code, reason and message (k8s.io/apimachinery/pkg/api/errors).
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var code: Int
    public var reason: String
    public var message: String
    public var details: JSONValue?

    public var description: String { message }

    public var status: JSONValue {
        var status: [String: JSONValue] = [
            "kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Failure",
            "message": .string(message), "reason": .string(reason), "code": .int(Int64(code)),
        ]
        if let details { status["details"] = details }
        return .object(status)
    }

    static func details(_ resource: ResourceType, name: String, causes: [JSONValue]? = nil) -> JSONValue {
        var details: [String: JSONValue] = ["kind": .string(resource.name)]
        if resource.group != "" { details["group"] = .string(resource.group) }
        if !name.isEmpty { details["name"] = .string(name) }
        if let causes { details["causes"] = .array(causes) }
        return .object(details)
    }

    static func notFound(_ resource: ResourceType, _ name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(resource.qualifiedName) \"\(name)\" not found",
                 details: details(resource, name: name))
    }

    static func alreadyExists(_ resource: ResourceType, _ name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(resource.qualifiedName) \"\(name)\" already exists",
                 details: details(resource, name: name))
    }

    static func conflict(_ resource: ResourceType, _ name: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(resource.qualifiedName) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
                 details: details(resource, name: name))
    }

    /// 422 with one cause per field error, as upstream's NewInvalid (details name the kind;
    /// the message its group too: `Deployment.apps "web" is invalid`).
    static func invalid(_ resource: ResourceType, _ name: String, _ errors: [(field: String, type: String, message: String)]) -> APIError {
        invalid(kind: resource.kind, group: resource.group, name, errors)
    }

    static func invalid(kind: String, group: String, _ name: String, _ errors: [(field: String, type: String, message: String)]) -> APIError {
        let causes: [JSONValue] = errors.map { .object(["reason": .string($0.type), "message": .string($0.message), "field": .string($0.field)]) }
        let list = errors.map { "\($0.field): \($0.message)" }
        let summary = list.count == 1 ? list[0] : "[" + list.joined(separator: ", ") + "]"
        var details: [String: JSONValue] = ["name": .string(name), "kind": .string(kind), "causes": .array(causes)]
        if !group.isEmpty { details["group"] = .string(group) }
        // Named as GroupKind prints: `Deployment.apps "web" is invalid`.
        let qualified = group.isEmpty ? kind : "\(kind).\(group)"
        return APIError(code: 422, reason: "Invalid", message: "\(qualified) \"\(name)\" is invalid: \(summary)", details: .object(details))
    }

    static func badRequest(_ message: String) -> APIError { APIError(code: 400, reason: "BadRequest", message: message) }

    static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    static func pathNotFound() -> APIError { APIError(code: 404, reason: "NotFound", message: "the server could not find the requested resource") }

    static func methodNotAllowed(_ verb: String, _ resource: ResourceType) -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource",
                 details: details(resource, name: ""))
    }

    /// A representation the server cannot produce (the protobuf form of /openapi/v2).
    static func notAcceptable(_ types: [String]) -> APIError {
        APIError(code: 406, reason: "NotAcceptable", message: "only the following media types are accepted: \(types.joined(separator: ", "))")
    }

    static func gone(_ message: String) -> APIError { APIError(code: 410, reason: "Expired", message: message) }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: limit is \(limit)")
    }

    static func unsupportedMediaType(_ type: String) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json")
    }

    static func internalError(_ message: String) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)")
    }
}
