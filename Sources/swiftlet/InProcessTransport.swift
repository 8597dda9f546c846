import APIServer
import KubeAPI
import KubeClient

/// How the all-in-one server's own components (the node's registration today, the
/// controllers later) reach the API: the handler itself, without TLS or HTTP, through the
/// same routing, defaulting, validation and Status errors as a remote client.
struct InProcessTransport: KubeTransport {
    let handler: APIHandler
    /// Who the requests are from, as a client certificate's CN would say.
    let user: String

    func send(_ request: KubeRequest) async throws -> KubeResponse {
        switch await handle(request) {
        case .json(let status, let body, _, let warnings): return KubeResponse(status: status, body: Array(body.jsonText.utf8), warnings: warnings)
        case .text(let status, let body): return KubeResponse(status: status, body: Array(body.utf8))
        case .watch: throw ClientError("a watch needs a streaming request, not send")
        }
    }

    func watch(_ request: KubeRequest) async throws -> AsyncThrowingStream<JSONValue, any Error> {
        switch await handle(request) {
        case .watch(let events): return events
        case .json(let status, let body, _, _): throw StatusError(code: status, body: Array(body.jsonText.utf8))
        case .text(let status, let body): throw StatusError(code: status, body: Array(body.utf8))
        }
    }

    private func handle(_ request: KubeRequest) async -> APIResponse {
        await handler.handle(APIRequest(method: request.method, uri: request.uri, accept: request.accept,
                                        contentType: request.contentType, body: request.body, user: user))
    }
}
