import Foundation
import XCTest
@testable import KubeStore

/// A fresh directory under /tmp, removed at the end of the test.
func temporaryDirectory(_ test: XCTestCase) throws -> String {
    let dir = NSTemporaryDirectory() + "kubestore-test-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
    return dir
}

/// Opens a store that is closed, and awaited, at the end of the test: teardown blocks run
/// last-registered first, so before `temporaryDirectory` removes its directory.
func openTestStore(_ test: XCTestCase, at path: String, options: KubeStoreOptions = testOptions()) async throws -> KubeStore {
    let store = try await KubeStore.open(path: path, options: options)
    test.addTeardownBlock { await store.close() }
    return store
}

/// Options for tests: no automatic compaction unless asked, fast lease checks.
func testOptions() -> KubeStoreOptions {
    var o = KubeStoreOptions()
    o.compactionInterval = nil
    o.leaseCheckInterval = .milliseconds(100)
    return o
}

func bytes(_ s: String) -> Data { Data(s.utf8) }
func text(_ d: Data) -> String { String(decoding: d, as: UTF8.self) }

/// Asserts that `body` throws a KubeStoreError matching `check`.
func assertStoreError<T>(_ body: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line,
                         _ check: (KubeStoreError) -> Bool) async {
    do {
        _ = try await body()
        XCTFail("expected an error", file: file, line: line)
    } catch let e as KubeStoreError {
        XCTAssertTrue(check(e), "unexpected error: \(e)", file: file, line: line)
    } catch {
        XCTFail("unexpected error type: \(error)", file: file, line: line)
    }
}

struct Timeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out: \(what)" }
}

/// Reads from a watch until `count` events arrived (or the watch ended), failing
/// after a timeout. The stream keeps its position between calls.
func take(_ stream: WatchStream, _ count: Int, timeout: Duration = .seconds(10)) async throws -> [WatchEvent] {
    try await withThrowingTaskGroup(of: [WatchEvent]?.self) { group in
        group.addTask {
            var it = stream.makeAsyncIterator()
            var out: [WatchEvent] = []
            while out.count < count, let batch = try await it.next() { out += batch }
            return out
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        let first = try await group.next()!
        group.cancelAll()
        guard let events = first else { throw Timeout(what: "waiting for \(count) watch events") }
        return events
    }
}

/// Whether no live event is waiting for the watch after `window` (the stream stays usable).
func quiet(_ stream: WatchStream, for window: Duration = .milliseconds(300)) async throws -> Bool {
    try await Task.sleep(for: window)
    return stream.handle.subscription.bufferedCount == 0
}

/// Waits until `condition` holds, polling; false on timeout.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
