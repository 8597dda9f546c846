import KubeAPI

/// The control plane's own components (the node's registration today; controllers
/// later) reach the objects in process, through the same registry, defaulting,
/// validation and watches as a remote client — without TLS, HTTP or JSON text.
public struct LocalClient: Sendable {
    let registry: ObjectRegistry

    public init(handler: APIHandler) { registry = handler.registry }

    /// `resource` as in URLs, qualified by its group where it has one: `nodes`, `leases.coordination.k8s.io`.
    private func type(_ resource: String) throws -> ResourceType {
        guard let type = ResourceType.builtin.first(where: { $0.qualifiedName == resource }) else {
            throw APIError.badRequest("no resource \(resource)")
        }
        return type
    }

    public func get(_ resource: String, namespace: String? = nil, name: String) async throws -> JSONValue? {
        do {
            return try await registry.get(try type(resource), namespace: namespace, name: name)
        } catch let error as APIError where error.code == 404 {
            return nil
        }
    }

    public func create(_ resource: String, namespace: String? = nil, _ object: JSONValue) async throws -> JSONValue {
        try await registry.create(try type(resource), namespace: namespace, body: object, dryRun: false)
    }

    /// PUT of the object (its resourceVersion, when set, is the precondition), or of its status.
    public func update(_ resource: String, namespace: String? = nil, _ object: JSONValue, status: Bool = false) async throws -> JSONValue {
        let name = object["metadata"]?["name"]?.stringValue ?? ""
        return try await registry.update(try type(resource), namespace: namespace, name: name, body: object, dryRun: false,
                                         subresource: status ? .status : nil)
    }
}
