import Foundation
import Glibc
import LinuxSys
import GRDB
import Synchronization

/// A revisioned key-value store with etcd v3's semantics (the subset an API server
/// needs), kept kine-style in one log table of an SQLite database in WAL mode.
///
/// Every write appends a row whose id is its revision: a put carries the new value, a
/// delete is a tombstone. A key's value at revision R is its latest row at or below R.
/// Compaction removes the rows no read at or above the compact revision needs.
///
/// Durability: the writer connection runs with `synchronous = FULL`, so a commit returns
/// only after the WAL is fsynced, and a write is acknowledged only after its commit.
/// Concurrent writes are group-committed: one transaction, one fsync, for all the writes
/// queued while the previous commit was on its way to disk.
public final class KubeStore: Sendable {
    public let path: String
    let options: KubeStoreOptions
    let pool: DatabasePool
    let writer: Writer
    let hub: WatchHub
    private let compactRev: Atomic<Int64>
    private let compactionCount = Atomic<Int>(0)
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let isClosed = Atomic<Bool>(false)
    /// `<path>.lock`, held (flock) while the store is open: one process owns a store, and
    /// `restore` refuses to replace a database a server is using.
    private let ownerLock: FileDescriptor

    private init(path: String, options: KubeStoreOptions, pool: DatabasePool, revision: Revision,
                 compactRevision: Revision, ownerLock: FileDescriptor) {
        self.path = path
        self.ownerLock = ownerLock
        self.options = options
        self.pool = pool
        hub = WatchHub(lastPublished: revision, limit: options.watchBufferLimit)
        writer = Writer(pool: pool, hub: hub, path: path, revision: revision, maxBatch: options.maxBatchSize)
        compactRev = Atomic(compactRevision)
    }

    // MARK: - Open and close

    /// Opens (creating if needed) the store at `path`. An existing database is checked
    /// with `PRAGMA quick_check` first; a corrupt one is refused with
    /// `KubeStoreError.corrupt` naming the file.
    public static func open(path: String, options: KubeStoreOptions = KubeStoreOptions()) async throws -> KubeStore {
        let fm = FileManager.default
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty && !fm.fileExists(atPath: dir) {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        let ownerLock = try lockOwnership(of: path)
        let existed = ((try? fm.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0) > 0

        let pool: DatabasePool
        do {
            if !existed {
                try bootstrap(path)
            }
            var config = Configuration()
            config.label = "KubeStore"
            config.maximumReaderCount = max(1, options.maximumReaderCount)
            config.busyMode = .timeout(10)
            pool = try DatabasePool(path: path, configuration: config)
            try await pool.writeWithoutTransaction { db in
                // GRDB chooses NORMAL for WAL databases; a commit must reach the disk.
                try db.execute(sql: "PRAGMA synchronous = FULL")
                try db.execute(sql: "PRAGMA journal_size_limit = \(options.walSizeLimit)")
                if existed && options.checkIntegrity { try KubeStore.quickCheck(db, path: path) }
                try db.inTransaction {
                    try createSchema(db)
                    return .commit
                }
            }
        } catch {
            throw mapError(error, path: path)
        }

        let (revision, compact, through) = try await withMappedErrors(path) {
            try await pool.read { db in
                (try sequence(db), try meta(db, "compact_revision"), try meta(db, "compacted_through"))
            }
        }
        let store = KubeStore(path: path, options: options, pool: pool, revision: revision,
                              compactRevision: compact, ownerLock: ownerLock)
        store.startBackgroundTasks(resumeCompaction: through < compact)
        return store
    }

    /// Stops background work, lets queued writes finish, ends every watch with `closed`,
    /// and closes the database.
    public func close() async {
        guard !isClosed.exchange(true, ordering: .sequentiallyConsistent) else { return }
        let running = tasks.withLock { t in
            defer { t = [] }
            return t
        }
        for t in running { t.cancel() }
        for t in running { await t.value }
        await writer.close()
        hub.close(.closed)
        try? pool.close()
        try? ownerLock.close()
    }

    /// Takes `<path>.lock` exclusively, without waiting.
    static func lockOwnership(of path: String) throws -> FileDescriptor {
        let lockPath = path + ".lock"
        do {
            let fd = try FileDescriptor.open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, mode: 0o600)
            guard try sys("flock", lockPath, tolerating: EWOULDBLOCK, { flock(fd.raw, LOCK_EX | LOCK_NB) }) != nil else {
                throw KubeStoreError.inUse(path: path)
            }
            return fd
        } catch let error as SystemError {
            throw KubeStoreError.database(path: path, message: "\(error)")
        }
    }

    /// Creates a new database file: incremental auto-vacuum (chosen before the first
    /// page is written), WAL mode, the schema.
    static func bootstrap(_ path: String) throws {
        let q = try DatabaseQueue(path: path)
        try q.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            try db.inTransaction {
                try createSchema(db)
                return .commit
            }
        }
        try q.close()
    }

    static func createSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS kv (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                key BLOB NOT NULL,
                created INTEGER NOT NULL,
                deleted INTEGER NOT NULL,
                create_revision INTEGER NOT NULL,
                prev_revision INTEGER NOT NULL,
                version INTEGER NOT NULL,
                lease INTEGER NOT NULL,
                value BLOB
            );
            CREATE INDEX IF NOT EXISTS kv_key_id ON kv (key, id);
            CREATE INDEX IF NOT EXISTS kv_lease ON kv (lease) WHERE lease != 0;
            CREATE TABLE IF NOT EXISTS lease (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                ttl INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS lease_expires ON lease (expires_at);
            CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
            INSERT OR IGNORE INTO meta (name, value) VALUES
                ('schema_version', 1), ('compact_revision', 0), ('compacted_through', 0);
            """)
    }

    // MARK: - Revisions

    /// The revision of the last acknowledged write (0 for an empty store).
    public var currentRevision: Revision { writer.revision.load(ordering: .sequentiallyConsistent) }

    /// Reads below this revision fail with `compacted`; watches must start above it.
    public var compactRevision: Revision { compactRev.load(ordering: .sequentiallyConsistent) }

    /// The last revision handed out: AUTOINCREMENT's sqlite_sequence entry, which
    /// survives the deletion of the newest rows by compaction (the sentinel).
    static func sequence(_ db: Database) throws -> Revision {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'kv'")) ?? 0
    }

    static func meta(_ db: Database, _ name: String) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE name = ?"), arguments: [name]) ?? 0
    }

    static func setMeta(_ db: Database, _ name: String, _ value: Int64) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", arguments: [name, value])
    }

    /// The revision a read is served at, checked against the snapshot's own current and
    /// compact revisions (read in the same transaction, so compaction cannot race it).
    static func readRevision(_ db: Database, _ requested: Revision?) throws -> Revision {
        let current = try sequence(db)
        guard let requested, requested > 0 else { return current }
        if requested > current { throw KubeStoreError.futureRevision(requested: requested, current: current) }
        let compact = try meta(db, "compact_revision")
        if requested < compact { throw KubeStoreError.compacted(compactRevision: compact) }
        return requested
    }

    // MARK: - Reads

    /// The key's value at `revision` (default: now), or nil if it does not exist then.
    public func get(_ key: String, revision: Revision? = nil) async throws -> KeyValue? {
        try await call {
            try await pool.read { db in
                let rev = try KubeStore.readRevision(db, revision)
                let stmt = try db.cachedStatement(sql: """
                    SELECT id, deleted, create_revision, version, lease, value FROM kv
                    WHERE key = ? AND id <= ? ORDER BY id DESC LIMIT 1
                    """)
                guard let row = try Row.fetchOne(stmt, arguments: [Data(key.utf8), rev]) else { return nil }
                if row[1] as Bool { return nil }
                return KeyValue(key: key, value: row[5] ?? Data(), createRevision: row[2], modRevision: row[0],
                                version: row[3], lease: row[4])
            }
        }
    }

    /// The live keys of a range at `revision` (default: now), in key order.
    /// - limit: at most this many (0: all); `more` tells whether keys follow.
    /// - continueAfter: start after this key (the last key of the previous page; pass the
    ///   previous page's revision too, for a consistent list).
    public func range(_ range: KeyRange, revision: Revision? = nil, limit: Int = 0,
                      continueAfter: String? = nil) async throws -> RangeResult {
        var (start, end) = range.bounds
        if let after = continueAfter {
            let next = Array(after.utf8) + [0]
            if start.lexicographicallyPrecedes(next) { start = next }
        }
        let startData = Data(start), endData = end.map { Data($0) }
        return try await call {
            try await pool.read { db in
                let rev = try KubeStore.readRevision(db, revision)
                if let endData, !startData.lexicographicallyPrecedes(endData) {
                    return RangeResult(kvs: [], more: false, count: 0, revision: rev)
                }
                let bound = endData == nil ? "" : "AND c.key < :end"
                let stmt = try db.cachedStatement(sql: """
                    SELECT c.id, c.key, c.create_revision, c.version, c.lease, c.value FROM kv AS c
                    WHERE c.key >= :start \(bound) AND c.deleted = 0
                      AND c.id = (SELECT MAX(n.id) FROM kv AS n WHERE n.key = c.key AND n.id <= :rev)
                    ORDER BY c.key LIMIT :limit
                    """)
                var args: [String: (any DatabaseValueConvertible)?] = ["start": startData, "rev": rev,
                                                                      "limit": limit > 0 ? limit + 1 : -1]
                if let endData { args["end"] = endData }
                var kvs: [KeyValue] = []
                let rows = try Row.fetchCursor(stmt, arguments: StatementArguments(args))
                while let row = try rows.next() {
                    kvs.append(KeyValue(key: String(decoding: row[1] as Data, as: UTF8.self), value: row[5] ?? Data(),
                                        createRevision: row[2], modRevision: row[0], version: row[3], lease: row[4]))
                }
                var more = false
                if limit > 0 && kvs.count > limit {
                    kvs.removeLast(kvs.count - limit)
                    more = true
                }
                var count = kvs.count
                if more {
                    let countStmt = try db.cachedStatement(sql: """
                        SELECT COUNT(*) FROM kv AS c
                        WHERE c.key >= :start \(bound) AND c.deleted = 0
                          AND c.id = (SELECT MAX(n.id) FROM kv AS n WHERE n.key = c.key AND n.id <= :rev)
                        """)
                    args["limit"] = nil
                    count = try Int.fetchOne(countStmt, arguments: StatementArguments(args)) ?? count
                }
                return RangeResult(kvs: kvs, more: more, count: count, revision: rev)
            }
        }
    }

    /// `PRAGMA quick_check`, failing with `corrupt` naming `path` and the first problem.
    static func quickCheck(_ db: Database, path: String, context: String = "quick_check") throws {
        let problems = try String.fetchAll(db, sql: "PRAGMA quick_check")
        guard problems != ["ok"] else { return }
        let first = problems.first ?? "no answer"
        let more = problems.count > 1 ? " and \(problems.count - 1) more problems" : ""
        throw KubeStoreError.corrupt(path: path, detail: "\(context): \(first)\(more)")
    }

    // MARK: - Writes

    /// Creates the key; fails with `alreadyExists` if it exists. Returns the revision.
    @discardableResult
    public func create(_ key: String, value: Data, lease: LeaseID = 0) async throws -> Revision {
        try await submitForRevision(.create(key: key, value: value, lease: lease), "create")
    }

    /// Replaces the key's value if its mod revision is `expectedModRevision`; fails with
    /// `conflict(current)` if not, `notFound` if the key does not exist. A write without
    /// a lease detaches the key from its lease (as etcd's put).
    @discardableResult
    public func update(_ key: String, value: Data, expectedModRevision: Revision,
                       lease: LeaseID = 0) async throws -> Revision {
        try await submitForRevision(.update(key: key, value: value, expected: expectedModRevision, lease: lease), "update")
    }

    /// Creates or replaces the key, unconditionally.
    @discardableResult
    public func put(_ key: String, value: Data, lease: LeaseID = 0) async throws -> Revision {
        try await submitForRevision(.put(key: key, value: value, lease: lease), "put")
    }

    /// Deletes the key (writes a tombstone), if its mod revision is `expectedModRevision`
    /// when given. Returns the revision of the delete and the deleted value.
    @discardableResult
    public func delete(_ key: String, expectedModRevision: Revision? = nil) async throws
        -> (revision: Revision, previous: KeyValue) {
        guard case .deleted(let rev, let prev) = try await writer.submit(.delete(key: key, expected: expectedModRevision))
        else { throw KubeStoreError.invalidArgument("delete") }
        return (rev, prev)
    }

    /// Submits a write whose result is a revision.
    private func submitForRevision(_ op: WriteOp, _ name: String) async throws -> Revision {
        guard case .revision(let rev) = try await writer.submit(op) else { throw KubeStoreError.invalidArgument(name) }
        return rev
    }

    // MARK: - Leases

    /// Grants a lease of `ttl` seconds. Keys written with it are deleted (tombstones that
    /// watchers see) when it expires without a keep-alive, or when it is revoked.
    public func grantLease(ttl: Int64) async throws -> LeaseID {
        guard ttl > 0 && ttl <= 9_000_000_000 else {
            throw KubeStoreError.invalidArgument("lease TTL must be between 1 and 9000000000 seconds, not \(ttl)")
        }
        guard case .lease(let id, _) = try await writer.submit(.grantLease(ttl: ttl)) else {
            throw KubeStoreError.invalidArgument("grantLease")
        }
        return id
    }

    /// Restarts the lease's TTL; returns the TTL.
    @discardableResult
    public func keepAliveLease(_ id: LeaseID) async throws -> Int64 {
        guard case .lease(_, let ttl) = try await writer.submit(.keepAlive(id)) else {
            throw KubeStoreError.invalidArgument("keepAliveLease")
        }
        return ttl
    }

    /// Deletes the lease and its keys now. Returns the revision after the deletions.
    @discardableResult
    public func revokeLease(_ id: LeaseID) async throws -> Revision {
        try await submitForRevision(.revokeLease(id, onlyIfExpired: false), "revokeLease")
    }

    /// The lease's granted TTL and the seconds left, or nil if there is no such lease.
    public func leaseTimeToLive(_ id: LeaseID) async throws -> (ttl: Int64, remaining: Double)? {
        try await call {
            try await pool.read { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT ttl, expires_at FROM lease WHERE id = ?",
                                                 arguments: [id]) else { return nil }
                let ttl: Int64 = row[0], expires: Int64 = row[1]
                return (ttl, max(0, Double(expires - nowMillis()) / 1000))
            }
        }
    }

    /// Revokes every lease whose deadline has passed. Runs every `leaseCheckInterval`.
    func expireLeases() async {
        let now = nowMillis()
        guard let expired = try? await pool.read({ db in
            try Int64.fetchAll(db, sql: "SELECT id FROM lease WHERE expires_at <= ? ORDER BY expires_at LIMIT 1000",
                               arguments: [now])
        }), !expired.isEmpty else { return }
        // Submitted together, so they share one commit.
        await withTaskGroup(of: Void.self) { group in
            for id in expired {
                group.addTask { _ = try? await self.writer.submit(.revokeLease(id, onlyIfExpired: true)) }
            }
        }
    }

    // MARK: - Watch

    /// Watches a range from `fromRevision`: the events since then are replayed from the
    /// log, then live ones follow. `fromRevision` 0 means "from the next write". Throws
    /// `compacted` if `fromRevision` is at or below the compact revision (the events it
    /// asks for may be gone): relist, then watch from the list's revision + 1.
    public func watch(_ range: KeyRange, fromRevision: Revision = 0) async throws -> WatchStream {
        if fromRevision > 0 {
            // The in-memory value: replay checks it again inside its own read transaction.
            let compact = compactRevision
            if fromRevision <= compact { throw KubeStoreError.compacted(compactRevision: compact) }
        }
        let sub = try hub.subscribe(range: range, from: fromRevision)
        let path = self.path
        let readPool = self.pool
        let replay: ReplayPage = { range, from, through, limit in
            try await KubeStore.withMappedErrors(path) {
                try await readPool.read { db in try KubeStore.replayPage(db, range, from, through, limit) }
            }
        }
        return WatchStream(handle: WatchHandle(subscription: sub, replay: replay,
                                               pageSize: max(1, options.watchReplayPageSize)))
    }

    static func replayPage(_ db: Database, _ range: KeyRange, _ from: Revision, _ through: Revision,
                           _ limit: Int) throws -> (events: [WatchEvent], next: Revision) {
        let compact = try meta(db, "compact_revision")
        if from <= compact { throw KubeStoreError.compacted(compactRevision: compact) }
        let (start, end) = range.bounds
        let bound = end == nil ? "" : "AND c.key < :end"
        let stmt = try db.cachedStatement(sql: """
            SELECT c.id, c.key, c.created, c.deleted, c.create_revision, c.version, c.lease, c.value,
                   p.id, p.create_revision, p.version, p.lease, p.value
            FROM kv AS c LEFT JOIN kv AS p ON p.id = c.prev_revision AND c.created = 0
            WHERE c.id >= :from AND c.id <= :through AND c.key >= :start \(bound)
            ORDER BY c.id LIMIT :limit
            """)
        var args: [String: (any DatabaseValueConvertible)?] = ["from": from, "through": through,
                                                              "start": Data(start), "limit": limit]
        if let end { args["end"] = Data(end) }
        var events: [WatchEvent] = []
        var last = from - 1
        var rows = 0
        let cursor = try Row.fetchCursor(stmt, arguments: StatementArguments(args))
        while let row = try cursor.next() {
            rows += 1
            let id: Int64 = row[0]
            last = id
            let key = String(decoding: row[1] as Data, as: UTF8.self)
            var prev: KeyValue?
            if let pid = row[8] as Int64? {
                prev = KeyValue(key: key, value: row[12] ?? Data(), createRevision: row[9], modRevision: pid,
                                version: row[10], lease: row[11])
            }
            if row[3] as Bool {
                events.append(WatchEvent(kind: .delete,
                                         kv: KeyValue(key: key, value: Data(), createRevision: 0, modRevision: id,
                                                      version: 0),
                                         prevKV: prev))
            } else {
                events.append(WatchEvent(kind: .put,
                                         kv: KeyValue(key: key, value: row[7] ?? Data(), createRevision: row[4],
                                                      modRevision: id, version: row[5], lease: row[6]),
                                         prevKV: (row[2] as Bool) ? nil : prev))
            }
        }
        let next = rows < limit ? through + 1 : last + 1
        return (events, next)
    }

    // MARK: - Compaction and vacuum

    /// Compacts the history below `revision`: reads below it fail with `compacted`, and
    /// watches must start above it. Superseded rows and tombstones at or below it are
    /// deleted, in chunks, and free pages are returned to the file system.
    public func compact(_ revision: Revision) async throws {
        try await call {
            try await pool.write { db in
                let current = try KubeStore.sequence(db)
                let compact = try KubeStore.meta(db, "compact_revision")
                if revision > current { throw KubeStoreError.futureRevision(requested: revision, current: current) }
                if revision <= compact { throw KubeStoreError.compacted(compactRevision: compact) }
                try KubeStore.setMeta(db, "compact_revision", revision)
            }
        }
        compactRev.store(revision, ordering: .sequentiallyConsistent)
        compactionCount.add(1, ordering: .relaxed)
        try await removeCompactedRows()
        try await vacuum()
    }

    /// Deletes the rows below the compact revision that no read needs, continuing from
    /// where the last run stopped (`compacted_through`, committed with each chunk, so a
    /// crash mid-way resumes correctly). For each row in (through, hi]: the row it
    /// superseded (its prev_revision) goes, and so does the row itself if a tombstone.
    func removeCompactedRows() async throws {
        let chunk = max(1, options.compactionChunk)
        while true {
            let done = try await call {
                try await pool.write { db -> Bool in
                    let target = try KubeStore.meta(db, "compact_revision")
                    let through = try KubeStore.meta(db, "compacted_through")
                    if through >= target { return true }
                    let hi = min(through + chunk, target)
                    try db.execute(sql: """
                        DELETE FROM kv WHERE id IN
                            (SELECT prev_revision FROM kv WHERE id > ? AND id <= ? AND prev_revision != 0)
                        """, arguments: [through, hi])
                    try db.execute(sql: "DELETE FROM kv WHERE id > ? AND id <= ? AND deleted = 1",
                                   arguments: [through, hi])
                    try KubeStore.setMeta(db, "compacted_through", hi)
                    return hi >= target
                }
            }
            if done { return }
        }
    }

    /// Returns free pages to the file system (incremental vacuum) and checkpoints the WAL.
    public func vacuum() async throws {
        try await call {
            try await pool.writeWithoutTransaction { db in
                if try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0 > 0 {
                    try db.execute(sql: "PRAGMA incremental_vacuum")
                }
                try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)")
            }
        }
    }

    private func startBackgroundTasks(resumeCompaction: Bool) {
        var started: [Task<Void, Never>] = []
        let leaseInterval = options.leaseCheckInterval
        started.append(Task.detached { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: leaseInterval)
                guard let self, !Task.isCancelled else { return }
                await self.expireLeases()
            }
        })
        if resumeCompaction {
            started.append(Task.detached { [weak self] in
                try? await self?.removeCompactedRows()
                try? await self?.vacuum()
            })
        }
        if let interval = options.compactionInterval {
            let initial = currentRevision
            started.append(Task.detached { [weak self] in
                var samples: [(at: ContinuousClock.Instant, revision: Revision)] = [(.now, initial)]
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard let self, !Task.isCancelled else { return }
                    await self.autoCompact(samples: &samples)
                }
            })
        }
        tasks.withLock { $0.append(contentsOf: started) }
    }

    /// One round of automatic compaction: compacts to the newest revision that is both
    /// older than `historyRetention` (sampled each round) and at least
    /// `minRetainedRevisions` behind the current one — what the API server's own
    /// compactor does with etcd, plus kine's floor of retained revisions.
    func autoCompact(samples: inout [(at: ContinuousClock.Instant, revision: Revision)]) async {
        let now = ContinuousClock.now
        let current = currentRevision
        samples.append((now, current))
        let cutoff = now - options.historyRetention
        guard let index = samples.lastIndex(where: { $0.at <= cutoff }) else { return }
        let old = samples[index].revision
        samples.removeFirst(index)
        let target = min(old, current - options.minRetainedRevisions)
        if target > compactRevision {
            try? await compact(target)
        } else {
            try? await vacuum()
        }
    }

    // MARK: - Stats

    public func stats() async throws -> KubeStoreStats {
        let path = self.path
        var s = try await call {
            try await pool.read { db in
                let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
                let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                let free = try Int64.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
                func size(_ p: String) -> Int64 {
                    ((try? FileManager.default.attributesOfItem(atPath: p)[.size]) as? NSNumber)?.int64Value ?? 0
                }
                return KubeStoreStats(
                    revision: try KubeStore.sequence(db),
                    compactRevision: try KubeStore.meta(db, "compact_revision"),
                    rowCount: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM kv") ?? 0,
                    leaseCount: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM lease") ?? 0,
                    fileSize: size(path), walSize: size(path + "-wal"),
                    databaseSize: pages * pageSize, freeSize: free * pageSize,
                    writes: 0, commits: 0, compactions: 0, watchers: 0)
            }
        }
        s.writes = writer.writes.load(ordering: .relaxed)
        s.commits = writer.commits.load(ordering: .relaxed)
        s.compactions = compactionCount.load(ordering: .relaxed)
        s.watchers = hub.count
        return s
    }

    // MARK: - Errors

    static func mapError(_ error: any Error, path: String) -> any Error {
        if error is KubeStoreError || error is CancellationError { return error }
        if let e = error as? DatabaseError {
            let message = e.message ?? "\(e)"
            if e.resultCode == .SQLITE_CORRUPT || e.resultCode == .SQLITE_NOTADB {
                return KubeStoreError.corrupt(path: path, detail: message)
            }
            return KubeStoreError.database(path: path, message: message)
        }
        if let e = error as? CocoaError, let underlying = e.userInfo[NSUnderlyingErrorKey] {
            return KubeStoreError.database(path: path, message: "\(underlying)")
        }
        return KubeStoreError.database(path: path, message: "\(error)")
    }

    func call<T>(_ body: () async throws -> T) async throws -> T {
        if isClosed.load(ordering: .relaxed) { throw KubeStoreError.closed }
        return try await KubeStore.withMappedErrors(path, body)
    }

    static func withMappedErrors<T>(_ path: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw mapError(error, path: path)
        }
    }
}
