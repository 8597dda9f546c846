import Foundation
import KubeAPI
import KubeStore
import XCTest
@testable import APIServer

/// The API handler over a store in a temporary directory, driven in process.
class HandlerTestCase: XCTestCase {
    var dir = ""
    var store: KubeStore!
    var handler: APIHandler!

    override func setUp() async throws {
        dir = NSTemporaryDirectory() + "apiserver-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        store = try await KubeStore.open(path: "\(dir)/state.db")
        handler = APIHandler(registry: ObjectRegistry(store: store))
        try await handler.ensureDefaults()
    }

    override func tearDown() async throws {
        await store?.close()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// The response's status and JSON body (0 and null for a watch or text).
    func request(_ method: String, _ uri: String, _ body: String = "", accept: String = "",
                 contentType: String = "application/json") async -> (Int, JSONValue) {
        let response = await handler.handle(APIRequest(method: method, uri: uri, accept: accept, contentType: contentType,
                                                       body: Array(body.utf8), user: "admin"))
        guard case .json(let status, let object, _, _) = response else { return (0, .null) }
        return (status, object)
    }
}
