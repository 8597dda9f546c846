import Foundation
import Synchronization

/// A stream of watch events: each element is the non-empty batch of events available
/// when the consumer asked, in revision order. It first replays the log from the start
/// revision (page by page, as the consumer reads), then delivers live events.
///
/// It ends with an error when the store compacts past events it has not replayed yet
/// (`compacted`), when the consumer falls more than `watchBufferLimit` events behind
/// (`watcherTooSlow`: relist and watch again), or when the store closes (`closed`).
/// Dropping every copy of the stream and its iterators, cancelling the consuming task,
/// or calling `cancel()` unregisters the watcher.
public struct WatchStream: AsyncSequence, Sendable {
    public typealias Element = [WatchEvent]

    let handle: WatchHandle

    /// The first revision this watch delivers (events with a revision below are never sent).
    public var startRevision: Revision { handle.subscription.from }

    public func makeAsyncIterator() -> Iterator { Iterator(handle: handle) }

    public func cancel() { handle.subscription.cancel() }

    public struct Iterator: AsyncIteratorProtocol, Sendable {
        let handle: WatchHandle
        public mutating func next() async throws -> [WatchEvent]? {
            try await handle.next()
        }
    }
}

/// Reads one page of history: events with revisions in `[from, through]` within the
/// range, at most `limit`; returns them and the next revision to read from.
typealias ReplayPage = @Sendable (_ range: KeyRange, _ from: Revision, _ through: Revision, _ limit: Int)
    async throws -> (events: [WatchEvent], next: Revision)

/// Owns a subscription for the stream's copies; unregisters it when the last goes away.
final class WatchHandle: Sendable {
    let subscription: WatchSubscription
    let replay: ReplayPage
    let pageSize: Int

    init(subscription: WatchSubscription, replay: @escaping ReplayPage, pageSize: Int) {
        self.subscription = subscription
        self.replay = replay
        self.pageSize = pageSize
    }

    deinit { subscription.cancel() }

    func next() async throws -> [WatchEvent]? {
        let sub = subscription
        // History first: the log between the start revision and the last revision that
        // was published when the watcher registered. Read lazily, so a slow consumer
        // pulls history at its own pace.
        while let cursor = try sub.replayCursor() {
            let page: (events: [WatchEvent], next: Revision)
            do {
                page = try await replay(sub.range, cursor, sub.liveStart, pageSize)
            } catch let error as KubeStoreError {
                sub.cancel()  // ends it: this error is the last thing the consumer sees
                throw error
            } catch is CancellationError {
                sub.cancel()
                return nil
            }
            sub.advanceReplay(to: page.next)
            if !page.events.isEmpty { return page.events }
        }
        return try await sub.nextLive()
    }
}

/// One registered watcher: its filter, its buffer of live events, its state.
final class WatchSubscription: Sendable {
    let id: Int
    let range: KeyRange
    let start: [UInt8]
    let end: [UInt8]?
    /// Events below this revision are not delivered.
    let from: Revision
    /// The last revision published when the watcher registered: history up to it comes
    /// from the log, later events from the live feed.
    let liveStart: Revision
    let limit: Int
    weak let hub: WatchHub?

    private struct State {
        var replayCursor: Revision
        var buffer: [WatchEvent] = []
        var failure: KubeStoreError?
        var finished = false
        var waiter: CheckedContinuation<[WatchEvent]?, Error>?
    }
    private let state: Mutex<State>

    init(id: Int, range: KeyRange, from: Revision, liveStart: Revision, limit: Int, hub: WatchHub) {
        self.id = id
        self.range = range
        (start, end) = range.bounds
        self.from = from
        self.liveStart = liveStart
        self.limit = limit
        self.hub = hub
        state = Mutex(State(replayCursor: from))
    }

    func matches(_ key: String) -> Bool {
        let k = key.utf8
        if k.lexicographicallyPrecedes(start) { return false }
        if let end, !k.lexicographicallyPrecedes(end) { return false }
        return true
    }

    /// The next revision to replay from, or nil when history is done (or the watcher is
    /// over). Throws the failure of a watcher that was closed.
    func replayCursor() throws -> Revision? {
        try state.withLock { s -> Revision? in
            if let f = s.failure { s.failure = nil; s.finished = true; throw f }
            if s.finished { return nil }
            return s.replayCursor <= liveStart ? s.replayCursor : nil
        }
    }

    func advanceReplay(to next: Revision) {
        state.withLock { $0.replayCursor = max($0.replayCursor, next) }
    }

    var bufferedCount: Int { state.withLock { $0.buffer.count } }

    /// Live events from the writer, in revision order.
    func deliver(_ events: [WatchEvent]) {
        var matching: [WatchEvent] = []
        for e in events where e.revision >= from && e.revision > liveStart && matches(e.key) {
            matching.append(e)
        }
        if matching.isEmpty { return }
        let (waiter, overflowed): (CheckedContinuation<[WatchEvent]?, Error>?, KubeStoreError?) = state.withLock { s in
            if s.finished || s.failure != nil { return (nil, nil) }
            if let w = s.waiter {
                s.waiter = nil
                return (w, nil)
            }
            if s.buffer.count + matching.count > limit {
                let error = KubeStoreError.watcherTooSlow(buffered: s.buffer.count + matching.count, limit: limit)
                s.buffer = []
                s.failure = error
                return (nil, error)
            }
            s.buffer.append(contentsOf: matching)
            return (nil, nil)
        }
        waiter?.resume(returning: matching)
        if overflowed != nil { hub?.remove(id) }
    }

    /// Ends the watcher with an error (delivered on the next read, buffered events dropped).
    func fail(_ error: KubeStoreError) {
        let waiter: CheckedContinuation<[WatchEvent]?, Error>? = state.withLock { s in
            if s.finished || s.failure != nil { return nil }
            s.buffer = []
            if let w = s.waiter {
                s.waiter = nil
                s.finished = true
                return w
            }
            s.failure = error
            return nil
        }
        waiter?.resume(throwing: error)
        hub?.remove(id)
    }

    /// Ends the watcher quietly: the consumer's next read returns nil.
    func cancel() {
        let waiter: CheckedContinuation<[WatchEvent]?, Error>? = state.withLock { s in
            s.finished = true
            s.buffer = []
            s.failure = nil
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: nil)
        hub?.remove(id)
    }

    func nextLive() async throws -> [WatchEvent]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<[WatchEvent]?, Error>) in
                enum Action { case fail(KubeStoreError), give([WatchEvent]?), wait }
                let action: Action = state.withLock { s in
                    if let f = s.failure {
                        s.failure = nil
                        s.finished = true
                        return .fail(f)
                    }
                    if !s.buffer.isEmpty {
                        let b = s.buffer
                        s.buffer = []
                        return .give(b)
                    }
                    if s.finished { return .give(nil) }
                    s.waiter = c
                    return .wait
                }
                switch action {
                case .fail(let f): c.resume(throwing: f)
                case .give(let b): c.resume(returning: b)
                case .wait: break
                }
            }
        } onCancel: {
            self.cancel()
        }
    }
}

/// The in-process broadcaster: the writer publishes each committed batch of events
/// once; every watcher gets the events that match it.
final class WatchHub: Sendable {
    private struct State {
        var subscriptions: [Int: WatchSubscription] = [:]
        var lastPublished: Revision
        var nextID = 1
        var closed: KubeStoreError?
    }
    private let state: Mutex<State>
    let limit: Int

    init(lastPublished: Revision, limit: Int) {
        state = Mutex(State(lastPublished: lastPublished))
        self.limit = limit
    }

    var count: Int { state.withLock { $0.subscriptions.count } }

    /// Registers a watcher for events from `from` (0: from the next write on). Fails if
    /// the hub is closed.
    func subscribe(range: KeyRange, from: Revision) throws -> WatchSubscription {
        try state.withLock { s in
            if let closed = s.closed { throw closed }
            let id = s.nextID
            s.nextID += 1
            let start = from > 0 ? from : s.lastPublished + 1
            let sub = WatchSubscription(id: id, range: range, from: start, liveStart: s.lastPublished,
                                        limit: limit, hub: self)
            s.subscriptions[id] = sub
            return sub
        }
    }

    func remove(_ id: Int) {
        _ = state.withLock { $0.subscriptions.removeValue(forKey: id) }
    }

    /// Called by the single writer, after each commit, in revision order.
    func publish(_ events: [WatchEvent]) {
        guard let last = events.last else { return }
        // Updating lastPublished and taking the list of watchers happen together: a
        // watcher registered after this point replays these events from the log.
        let subs = state.withLock { s in
            s.lastPublished = last.revision
            return Array(s.subscriptions.values)
        }
        for sub in subs { sub.deliver(events) }
    }

    func close(_ error: KubeStoreError) {
        let subs = state.withLock { s in
            s.closed = error
            defer { s.subscriptions = [:] }
            return Array(s.subscriptions.values)
        }
        for sub in subs { sub.fail(error) }
    }
}
