import Foundation
import XCTest
@testable import KubeStore

final class WatchTests: XCTestCase {
    func testWatchReplaysFromRevisionThenLive() async throws {
        let dir = try temporaryDirectory(self)
        let store = try await openTestStore(self, at: dir + "/kv.db", options: testOptions())

        let r1 = try await store.create("/registry/pods/a", value: bytes("a1"))
        let r2 = try await store.update("/registry/pods/a", value: bytes("a2"), expectedModRevision: r1)
        try await store.create("/registry/services/s", value: bytes("s"))
        let r4 = try await store.create("/registry/pods/b", value: bytes("b1"))
        try await store.delete("/registry/pods/a", expectedModRevision: r2)

        let watch = try await store.watch(.prefix("/registry/pods/"), fromRevision: r2)
        XCTAssertEqual(watch.startRevision, r2)
        let replayed = try await take(watch, 3)
        XCTAssertEqual(replayed.map(\.revision), [2, 4, 5])
        XCTAssertEqual(replayed.map(\.kind), [.put, .put, .delete])
        // a put carries the previous value, a create none, a delete the deleted value
        XCTAssertEqual(replayed[0].kv.value, bytes("a2"))
        XCTAssertEqual(replayed[0].prevKV?.value, bytes("a1"))
        XCTAssertEqual(replayed[0].prevKV?.modRevision, r1)
        XCTAssertFalse(replayed[0].isCreate)
        XCTAssertNil(replayed[1].prevKV)
        XCTAssertTrue(replayed[1].isCreate)
        XCTAssertEqual(replayed[1].kv.createRevision, r4)
        XCTAssertEqual(replayed[2].key, "/registry/pods/a")
        XCTAssertEqual(replayed[2].prevKV?.value, bytes("a2"))
        XCTAssertEqual(replayed[2].kv.value, Data())

        // Live: only matching keys, in order, same shape as replayed ones.
        try await store.create("/registry/services/t", value: bytes("t"))
        let r7 = try await store.update("/registry/pods/b", value: bytes("b2"), expectedModRevision: r4)
        try await store.delete("/registry/pods/b")
        let live = try await take(watch, 2)
        XCTAssertEqual(live.map(\.revision), [r7, r7 + 1])
        XCTAssertEqual(live[0].prevKV?.value, bytes("b1"))
        XCTAssertEqual(live[1].kind, .delete)
        XCTAssertEqual(live[1].prevKV?.value, bytes("b2"))

        // A watch from "now" sees only what follows; a watch of one key only that key.
        let fromNow = try await store.watch(.all)
        let single = try await store.watch(.key("/registry/pods/c"), fromRevision: 1)
        try await store.create("/registry/pods/c", value: bytes("c"))
        try await store.create("/registry/pods/cc", value: bytes("cc"))
        let seen = try await take(fromNow, 2)
        XCTAssertEqual(seen.map(\.key), ["/registry/pods/c", "/registry/pods/cc"])
        let c = try await take(single, 1)
        XCTAssertEqual(c.map(\.key), ["/registry/pods/c"])
        let singleQuiet = try await quiet(single)
        XCTAssertTrue(singleQuiet)

        let stats = try await store.stats()
        XCTAssertEqual(stats.watchers, 3)
        watch.cancel()
        fromNow.cancel()
        single.cancel()
        let watchers1 = try await store.stats().watchers
        XCTAssertEqual(watchers1, 0)
    }

    /// Replayed history and live events join without a gap or a duplicate, while
    /// writers keep going during the replay.
    func testReplayJoinsLiveWithoutGapsUnderWrites() async throws {
        let dir = try temporaryDirectory(self)
        var options = testOptions()
        options.watchReplayPageSize = 7
        let store = try await openTestStore(self, at: dir + "/kv.db", options: options)
        for i in 0..<100 { try await store.put("/k/\(i % 10)", value: bytes("\(i)")) }
        let writer = Task {
            for i in 100..<300 { try await store.put("/k/\(i % 10)", value: bytes("\(i)")) }
        }
        let watch = try await store.watch(.prefix("/k/"), fromRevision: 1)
        let events = try await take(watch, 300, timeout: .seconds(30))
        try await writer.value
        XCTAssertEqual(events.map(\.revision), Array(1...300))
        for e in events where e.revision > 10 {
            XCTAssertEqual(e.prevKV?.modRevision, e.revision - 10)
        }
    }

    func testWatchFromCompactedRevisionFails() async throws {
        let dir = try temporaryDirectory(self)
        let store = try await openTestStore(self, at: dir + "/kv.db", options: testOptions())
        for i in 0..<20 { try await store.put("/k/\(i % 4)", value: bytes("\(i)")) }
        try await store.compact(10)
        await assertStoreError(try await store.watch(.all, fromRevision: 3)) { $0 == .compacted(compactRevision: 10) }
        await assertStoreError(try await store.watch(.all, fromRevision: 10)) { $0 == .compacted(compactRevision: 10) }
        // Just above the compact revision: the whole retained history.
        let watch = try await store.watch(.all, fromRevision: 11)
        let events = try await take(watch, 10)
        XCTAssertEqual(events.map(\.revision), Array(11...20))
        XCTAssertTrue(events.allSatisfy { $0.prevKV != nil }, "the previous values survive compaction")
    }

    /// A watcher still replaying history when compaction removes it gets `compacted`
    /// (the API server answers 410 Gone and the client relists).
    func testCompactionDuringReplayEndsWatchWithCompacted() async throws {
        let dir = try temporaryDirectory(self)
        var options = testOptions()
        options.watchReplayPageSize = 5
        let store = try await openTestStore(self, at: dir + "/kv.db", options: options)
        for i in 0..<50 { try await store.put("/k/\(i % 5)", value: bytes("\(i)")) }
        let watch = try await store.watch(.all, fromRevision: 1)
        var it = watch.makeAsyncIterator()
        let first = try await it.next()
        XCTAssertEqual(first?.map(\.revision), [1, 2, 3, 4, 5])
        try await store.compact(40)
        do {
            _ = try await it.next()
            XCTFail("expected compacted")
        } catch let e as KubeStoreError {
            XCTAssertEqual(e, .compacted(compactRevision: 40))
        }
        let after = try await it.next()
        XCTAssertNil(after, "the stream ends after its error")
        // Relist and watch again from the list's revision.
        let list = try await store.range(.all)
        let again = try await store.watch(.all, fromRevision: list.revision + 1)
        try await store.put("/k/new", value: bytes("n"))
        let live = try await take(again, 1)
        XCTAssertEqual(live.first?.key, "/k/new")
    }

    func testSlowWatcherIsClosed() async throws {
        let dir = try temporaryDirectory(self)
        var options = testOptions()
        options.watchBufferLimit = 50
        let store = try await openTestStore(self, at: dir + "/kv.db", options: options)
        let slow = try await store.watch(.all)
        let fast = try await store.watch(.all)
        let reader = Task { try await take(fast, 200) }
        for i in 0..<200 { try await store.put("/k/\(i)", value: bytes("\(i)")) }
        let fastEvents = try await reader.value
        XCTAssertEqual(fastEvents.count, 200, "a watcher that keeps up is not affected")
        var it = slow.makeAsyncIterator()
        do {
            _ = try await it.next()
            XCTFail("a watcher 200 events behind with a bound of 50 must be closed")
        } catch let e as KubeStoreError {
            guard case .watcherTooSlow(_, let limit) = e else { return XCTFail("unexpected \(e)") }
            XCTAssertEqual(limit, 50)
        }
        let stats = try await store.stats()
        XCTAssertEqual(stats.watchers, 1, "the slow watcher is unregistered")
    }

    func testCancellingTheConsumerUnregisters() async throws {
        let dir = try temporaryDirectory(self)
        let store = try await openTestStore(self, at: dir + "/kv.db", options: testOptions())
        let watch = try await store.watch(.all)
        let consumer = Task {
            var n = 0
            for try await batch in watch { n += batch.count }
            return n
        }
        try await Task.sleep(for: .milliseconds(100))
        consumer.cancel()
        let n = try await consumer.value
        XCTAssertEqual(n, 0)
        let watchers2 = try await store.stats().watchers
        XCTAssertEqual(watchers2, 0)

        // Dropping the stream unregisters it too.
        do { _ = try await store.watch(.all) }
        let watchers3 = try await store.stats().watchers
        XCTAssertEqual(watchers3, 0)
    }

    func testCloseEndsWatches() async throws {
        let dir = try temporaryDirectory(self)
        let store = try await KubeStore.open(path: dir + "/kv.db", options: testOptions())
        let watch = try await store.watch(.all)
        let consumer = Task { () -> KubeStoreError? in
            do {
                for try await _ in watch {}
                return nil
            } catch let e as KubeStoreError {
                return e
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        await store.close()
        let error = try await consumer.value
        XCTAssertEqual(error, .closed)
    }
}
