import Foundation
import GRDB
import Synchronization

/// One write operation, as queued for the writer.
enum WriteOp: Sendable {
    case create(key: String, value: Data, lease: LeaseID)
    case update(key: String, value: Data, expected: Revision, lease: LeaseID)
    case put(key: String, value: Data, lease: LeaseID)
    case delete(key: String, expected: Revision?)
    case grantLease(ttl: Int64)
    case keepAlive(LeaseID)
    /// Deletes the lease's keys and the lease. With `onlyIfExpired`, does nothing if a
    /// keep-alive moved the deadline since the expiry scan saw it.
    case revokeLease(LeaseID, onlyIfExpired: Bool)
}

enum WriteOutcome: Sendable {
    case revision(Revision)
    case deleted(Revision, previous: KeyValue)
    case lease(LeaseID, ttl: Int64)
    case nothing
}

/// The single writer: every write goes through it. Operations submitted while a
/// transaction is being committed wait and are then committed together, in one
/// transaction, with one fsync of the WAL (group commit). Each is acknowledged only
/// after that commit returned, and its events are published to watchers before that,
/// in revision order.
final class Writer: Sendable {
    private struct Pending: Sendable {
        let op: WriteOp
        let continuation: CheckedContinuation<WriteOutcome, Error>
    }
    private struct State {
        var pending: [Pending] = []
        var running = false
        var closed = false
        var idle: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())
    private let pool: DatabasePool
    private let hub: WatchHub
    private let path: String
    private let maxBatch: Int

    /// The revision of the last committed write.
    let revision: Atomic<Int64>
    let commits = Atomic<Int>(0)
    let writes = Atomic<Int>(0)

    init(pool: DatabasePool, hub: WatchHub, path: String, revision: Revision, maxBatch: Int) {
        self.pool = pool
        self.hub = hub
        self.path = path
        self.revision = Atomic(revision)
        self.maxBatch = max(1, maxBatch)
    }

    func submit(_ op: WriteOp) async throws -> WriteOutcome {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<WriteOutcome, Error>) in
            enum Start { case refused, queued, startLoop }
            let start: Start = state.withLock { s in
                if s.closed { return .refused }
                s.pending.append(Pending(op: op, continuation: c))
                if s.running { return .queued }
                s.running = true
                return .startLoop
            }
            switch start {
            case .refused: c.resume(throwing: KubeStoreError.closed)
            case .queued: break
            case .startLoop: Task.detached { await self.run() }
            }
        }
    }

    /// Refuses new writes, lets the queued ones finish, and returns when idle.
    func close() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let idle: Bool = state.withLock { s in
                s.closed = true
                if !s.running { return true }
                s.idle.append(c)
                return false
            }
            if idle { c.resume() }
        }
    }

    private func takeBatch() -> [Pending]? {
        state.withLock { s in
            if s.pending.isEmpty {
                s.running = false
                let idle = s.idle
                s.idle = []
                for c in idle { c.resume() }
                return nil
            }
            if s.pending.count <= maxBatch {
                defer { s.pending = [] }
                return s.pending
            }
            let batch = Array(s.pending.prefix(maxBatch))
            s.pending.removeFirst(maxBatch)
            return batch
        }
    }

    private func run() async {
        while let batch = takeBatch() {
            let ops = batch.map(\.op)
            let now = nowMillis()
            do {
                let out = try await pool.write { db in try Writer.apply(ops, db: db, now: now) }
                commits.add(1, ordering: .relaxed)
                writes.add(batch.count, ordering: .relaxed)
                revision.store(out.last, ordering: .sequentiallyConsistent)
                hub.publish(out.events)
                for (p, r) in zip(batch, out.results) {
                    p.continuation.resume(with: r.mapError { $0 as Error })
                }
            } catch {
                let e = KubeStore.mapError(error, path: path)
                for p in batch { p.continuation.resume(throwing: e) }
            }
        }
    }

    // MARK: - The transaction

    struct Applied: Sendable {
        var results: [Result<WriteOutcome, KubeStoreError>] = []
        var events: [WatchEvent] = []
        var last: Revision
    }

    /// The latest row of a key (live or tombstone).
    struct Latest {
        var id: Revision
        var deleted: Bool
        var kv: KeyValue
    }

    static let latestSQL = """
        SELECT id, deleted, create_revision, version, lease, value FROM kv
        WHERE key = ? ORDER BY id DESC LIMIT 1
        """
    static let insertSQL = """
        INSERT INTO kv (id, key, created, deleted, create_revision, prev_revision, version, lease, value)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Runs a batch inside one transaction. A refused operation (conflict, missing key
    /// or lease) writes nothing and does not affect the others; a database error fails
    /// the whole batch (the transaction rolls back).
    static func apply(_ ops: [WriteOp], db: Database, now: Int64) throws -> Applied {
        var rev = try KubeStore.sequence(db)
        var applied = Applied(last: rev)
        let latestStmt = try db.cachedStatement(sql: latestSQL)
        let insertStmt = try db.cachedStatement(sql: insertSQL)

        func latest(_ key: String) throws -> Latest? {
            guard let row = try Row.fetchOne(latestStmt, arguments: [Data(key.utf8)]) else { return nil }
            let id: Int64 = row[0]
            let deleted: Bool = row[1]
            let value: Data = row[5] ?? Data()
            return Latest(id: id, deleted: deleted,
                          kv: KeyValue(key: key, value: value, createRevision: row[2], modRevision: id,
                                       version: row[3], lease: row[4]))
        }
        func leaseExists(_ id: LeaseID) throws -> Bool {
            if id == 0 { return true }
            return try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM lease WHERE id = ?"),
                                      arguments: [id]) != nil
        }
        func insertPut(_ key: String, _ value: Data, _ lease: LeaseID, prev: Latest?) throws -> Revision {
            rev += 1
            let live = prev.flatMap { $0.deleted ? nil : $0 }
            let kv = KeyValue(key: key, value: value, createRevision: live?.kv.createRevision ?? rev,
                              modRevision: rev, version: (live?.kv.version ?? 0) + 1, lease: lease)
            try insertStmt.execute(arguments: [rev, Data(key.utf8), live == nil, false, kv.createRevision,
                                               prev?.id ?? 0, kv.version, lease, value])
            applied.events.append(WatchEvent(kind: .put, kv: kv, prevKV: live?.kv))
            return rev
        }
        func insertDelete(_ prev: Latest) throws -> Revision {
            rev += 1
            try insertStmt.execute(arguments: [rev, Data(prev.kv.key.utf8), false, true, prev.kv.createRevision,
                                               prev.id, 0, 0, nil as Data?])
            let kv = KeyValue(key: prev.kv.key, value: Data(), createRevision: 0, modRevision: rev, version: 0)
            applied.events.append(WatchEvent(kind: .delete, kv: kv, prevKV: prev.kv))
            return rev
        }

        for op in ops {
            let result: Result<WriteOutcome, KubeStoreError>
            switch op {
            case .create(let key, let value, let lease):
                let prev = try latest(key)
                if let prev, !prev.deleted {
                    result = .failure(.alreadyExists(current: prev.kv))
                } else if try !leaseExists(lease) {
                    result = .failure(.leaseNotFound(lease))
                } else {
                    result = .success(.revision(try insertPut(key, value, lease, prev: prev)))
                }
            case .update(let key, let value, let expected, let lease):
                guard let prev = try latest(key), !prev.deleted else {
                    result = .failure(.notFound(key: key))
                    break
                }
                if prev.id != expected {
                    result = .failure(.conflict(current: prev.kv))
                } else if try !leaseExists(lease) {
                    result = .failure(.leaseNotFound(lease))
                } else {
                    result = .success(.revision(try insertPut(key, value, lease, prev: prev)))
                }
            case .put(let key, let value, let lease):
                if try !leaseExists(lease) {
                    result = .failure(.leaseNotFound(lease))
                } else {
                    result = .success(.revision(try insertPut(key, value, lease, prev: try latest(key))))
                }
            case .delete(let key, let expected):
                guard let prev = try latest(key), !prev.deleted else {
                    result = .failure(.notFound(key: key))
                    break
                }
                if let expected, prev.id != expected {
                    result = .failure(.conflict(current: prev.kv))
                } else {
                    result = .success(.deleted(try insertDelete(prev), previous: prev.kv))
                }
            case .grantLease(let ttl):
                try db.execute(sql: "INSERT INTO lease (ttl, expires_at) VALUES (?, ?)",
                               arguments: [ttl, now + ttl * 1000])
                result = .success(.lease(db.lastInsertedRowID, ttl: ttl))
            case .keepAlive(let id):
                if let ttl = try Int64.fetchOne(db, sql: "SELECT ttl FROM lease WHERE id = ?", arguments: [id]) {
                    try db.execute(sql: "UPDATE lease SET expires_at = ? WHERE id = ?",
                                   arguments: [now + ttl * 1000, id])
                    result = .success(.lease(id, ttl: ttl))
                } else {
                    result = .failure(.leaseNotFound(id))
                }
            case .revokeLease(let id, let onlyIfExpired):
                guard let expires = try Int64.fetchOne(db, sql: "SELECT expires_at FROM lease WHERE id = ?",
                                                       arguments: [id]) else {
                    result = .failure(.leaseNotFound(id))
                    break
                }
                if onlyIfExpired && expires > now {
                    result = .success(.nothing)
                    break
                }
                let keys = try Data.fetchAll(db, sql: """
                    SELECT c.key FROM kv AS c
                    WHERE c.lease = ? AND c.lease != 0 AND c.deleted = 0
                      AND c.id = (SELECT MAX(n.id) FROM kv AS n WHERE n.key = c.key)
                    """, arguments: [id])
                for key in keys {
                    if let prev = try latest(String(decoding: key, as: UTF8.self)), !prev.deleted {
                        _ = try insertDelete(prev)
                    }
                }
                try db.execute(sql: "DELETE FROM lease WHERE id = ?", arguments: [id])
                result = .success(.revision(rev))
            }
            applied.results.append(result)
        }
        applied.last = rev
        return applied
    }
}

func nowMillis() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1000).rounded())
}
