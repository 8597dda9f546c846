import Foundation
import KubeAPI
import KubeStore
import XCTest
@testable import APIServer

/// Watches through the handler, without the transport: bookmarks and WatchList's
/// initial-events-end marker, as client-go's reflector asks for them.
final class HandlerWatchTests: XCTestCase {
    func testBookmarksCarryTheLastRevisionPassedOnAndMarkTheEndOfInitialEvents() async throws {
        let dir = NSTemporaryDirectory() + "apiserver-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try await KubeStore.open(path: "\(dir)/state.db")
        let handler = APIHandler(registry: ObjectRegistry(store: store), bookmarkInterval: .milliseconds(200))
        try await handler.ensureDefaults()

        func create(_ name: String, labels: String = "{}") async throws -> JSONValue {
            let response = await handler.handle(APIRequest(method: "POST", uri: "/api/v1/namespaces",
                                                           body: Array(#"{"metadata":{"name":"\#(name)","labels":\#(labels)}}"#.utf8), user: "admin"))
            guard case .json(201, let object, _, _) = response else { throw APIError.badRequest("create failed: \(response)") }
            return object
        }
        _ = try await create("first", labels: #"{"team":"a"}"#)
        let watch = await handler.handle(APIRequest(
            method: "GET", uri: "/api/v1/namespaces?watch=1&labelSelector=team%3Da&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan",
            user: "admin"))
        guard case .watch(let events) = watch else { return XCTFail("not a watch: \(watch)") }
        var iterator = events.makeAsyncIterator()
        let initial = try await iterator.next()
        XCTAssertEqual(initial?["type"], "ADDED")
        XCTAssertEqual(initial?["object"]?["metadata"]?["name"], "first")
        let end = try await iterator.next()
        XCTAssertEqual(end?["type"], "BOOKMARK")
        XCTAssertEqual(end?["object"]?["metadata"]?["annotations"]?["k8s.io/initial-events-end"], "true")
        let listed = Int(end?["object"]?["metadata"]?["resourceVersion"]?.stringValue ?? "") ?? 0
        XCTAssertGreaterThanOrEqual(listed, Int(initial?["object"]?["metadata"]?["resourceVersion"]?.stringValue ?? "") ?? .max)

        // A namespace the selector skips: no event, but the next bookmark has passed its revision.
        let skipped = try await create("other")
        let bookmark = try await iterator.next()
        XCTAssertEqual(bookmark?["type"], "BOOKMARK")
        XCTAssertEqual(bookmark?["object"]?["kind"], "Namespace")
        XCTAssertEqual(bookmark?["object"]?["metadata"]?["resourceVersion"], skipped["metadata"]?["resourceVersion"])
        _ = try await create("mine", labels: #"{"team":"a"}"#)
        var next = try await iterator.next()
        while next?["type"] == "BOOKMARK" { next = try await iterator.next() }
        XCTAssertEqual(next?["type"], "ADDED")
        XCTAssertEqual(next?["object"]?["metadata"]?["name"], "mine")
        await store.close()
    }
}
