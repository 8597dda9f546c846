import Foundation

/// A revision: the id of a row of the log. Revisions start at 1, increase by one per
/// write (a put or a delete of one key), and never go backwards, across restarts and
/// compactions included.
public typealias Revision = Int64

/// A lease id, as returned by `grantLease`. 0 means "no lease".
public typealias LeaseID = Int64

/// One key's value at some revision (etcd's `mvccpb.KeyValue`).
public struct KeyValue: Sendable, Hashable {
    public var key: String
    public var value: Data
    /// The revision that created the key (of this incarnation: a key deleted and created
    /// again has a new create revision).
    public var createRevision: Revision
    /// The revision of the last write to the key.
    public var modRevision: Revision
    /// Number of writes since the key was created: 1 after a create.
    public var version: Int64
    /// The lease the key is attached to, or 0.
    public var lease: LeaseID

    public init(key: String, value: Data, createRevision: Revision, modRevision: Revision,
                version: Int64, lease: LeaseID = 0) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.lease = lease
    }
}

/// One change, as a watcher sees it (etcd's `mvccpb.Event`).
public struct WatchEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case put, delete }
    public var kind: Kind
    /// For a put, the new value. For a delete, the key with `modRevision` the revision of
    /// the delete and an empty value (as etcd).
    public var kv: KeyValue
    /// The value before this change: nil for a create. For a delete, the deleted value.
    public var prevKV: KeyValue?

    public init(kind: Kind, kv: KeyValue, prevKV: KeyValue?) {
        self.kind = kind
        self.kv = kv
        self.prevKV = prevKV
    }

    public var revision: Revision { kv.modRevision }
    public var key: String { kv.key }
    /// A put that created the key.
    public var isCreate: Bool { kind == .put && kv.createRevision == kv.modRevision }
}

/// Which keys a range read or a watch covers. Keys compare bytewise (UTF-8), as in etcd.
public enum KeyRange: Sendable, Hashable {
    /// Exactly one key.
    case key(String)
    /// Every key that starts with the prefix ("" is every key).
    case prefix(String)
    /// Keys in `[from, to)`; `to == nil` means no upper bound.
    case interval(from: String, to: String?)

    public static var all: KeyRange { .prefix("") }

    /// The bytewise bounds: start inclusive, end exclusive (nil: unbounded).
    var bounds: (start: [UInt8], end: [UInt8]?) {
        switch self {
        case .key(let k):
            return (Array(k.utf8), Array(k.utf8) + [0])
        case .prefix(let p):
            return (Array(p.utf8), KeyRange.prefixEnd(Array(p.utf8)))
        case .interval(let from, let to):
            return (Array(from.utf8), to.map { Array($0.utf8) })
        }
    }

    /// The smallest key greater than every key with the prefix: the prefix with its last
    /// byte below 0xff incremented; nil (unbounded) for "" or a prefix of 0xff bytes.
    static func prefixEnd(_ prefix: [UInt8]) -> [UInt8]? {
        var end = prefix
        while let last = end.last {
            if last < 0xff {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return nil
    }
}

/// The answer to a range read.
public struct RangeResult: Sendable, Equatable {
    /// The live keys, in key order, at most `limit` of them.
    public var kvs: [KeyValue]
    /// True when more keys follow the last one returned (continue after it).
    public var more: Bool
    /// The number of live keys in the range requested (the continued range, if
    /// `continueAfter` was given), regardless of `limit`.
    public var count: Int
    /// The revision the read was served at.
    public var revision: Revision
}

/// Sizes and counters, for metrics.
public struct KubeStoreStats: Sendable, Equatable {
    /// The revision of the last acknowledged write.
    public var revision: Revision
    public var compactRevision: Revision
    /// Rows of the log (live values, superseded values above the compact revision, tombstones).
    public var rowCount: Int
    /// Leases currently granted.
    public var leaseCount: Int
    /// Bytes of the database file, of its WAL, and the pages SQLite uses (page_count ×
    /// page_size), and of free pages waiting for the next incremental vacuum.
    public var fileSize: Int64
    public var walSize: Int64
    public var databaseSize: Int64
    public var freeSize: Int64
    /// Since open: write operations acknowledged or refused, transactions committed
    /// (each one fsync of the WAL), compactions run, watchers currently open.
    public var writes: Int
    public var commits: Int
    public var compactions: Int
    public var watchers: Int
}

public enum KubeStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `create` of a key that exists; carries its current value.
    case alreadyExists(current: KeyValue)
    /// `update`/`delete` whose expected mod revision is not the key's; carries the
    /// current value, so the caller can retry without reading again.
    case conflict(current: KeyValue)
    /// `update`/`delete` of a key that does not exist.
    case notFound(key: String)
    /// A read or watch at a revision that compaction has removed.
    case compacted(compactRevision: Revision)
    /// A read at a revision that has not been written yet.
    case futureRevision(requested: Revision, current: Revision)
    /// A watcher whose undelivered events exceeded the bound was closed: relist.
    case watcherTooSlow(buffered: Int, limit: Int)
    case leaseNotFound(LeaseID)
    /// The database file failed its integrity check at open.
    case corrupt(path: String, detail: String)
    /// The store was closed.
    case closed
    case invalidArgument(String)
    /// An SQLite error, with the file it concerns.
    case database(path: String, message: String)
    /// Another process (a running server) has the store open.
    case inUse(path: String)

    public var description: String {
        switch self {
        case .alreadyExists(let kv): return "key already exists: \(kv.key) (mod revision \(kv.modRevision))"
        case .conflict(let kv): return "revision conflict on \(kv.key): current mod revision is \(kv.modRevision)"
        case .notFound(let key): return "key not found: \(key)"
        case .compacted(let rev): return "required revision has been compacted (compact revision \(rev))"
        case .futureRevision(let requested, let current):
            return "required revision \(requested) is a future revision (current \(current))"
        case .watcherTooSlow(let buffered, let limit):
            return "watcher too slow: \(buffered) undelivered events exceed the limit of \(limit); relist"
        case .leaseNotFound(let id): return "lease not found: \(id)"
        case .corrupt(let path, let detail):
            return "store database \(path) is corrupt (\(detail)); refusing to open it: restore a backup with `swiftlet store restore FILE`"
        case .closed: return "store is closed"
        case .invalidArgument(let why): return "invalid argument: \(why)"
        case .database(let path, let message): return "store database \(path): \(message)"
        case .inUse(let path):
            return "store database \(path) is in use by another process (\(path).lock is held): stop the server first"
        }
    }
}

public struct KubeStoreOptions: Sendable {
    /// Most write operations committed in one transaction (one fsync).
    public var maxBatchSize = 1000
    /// Most undelivered events a watcher may have before it is closed with
    /// `watcherTooSlow`.
    public var watchBufferLimit = 10_000
    /// Rows read per page while a watch replays history.
    public var watchReplayPageSize = 1000
    /// How often automatic compaction runs; nil disables it.
    public var compactionInterval: Duration? = .seconds(300)
    /// Automatic compaction keeps at least this much history (the API server's watch
    /// cache and relisting clients need a few minutes) …
    public var historyRetention: Duration = .seconds(300)
    /// … and at least this many revisions.
    public var minRetainedRevisions: Int64 = 1000
    /// Ids compacted per transaction, so compaction never holds the writer long.
    public var compactionChunk: Int64 = 5000
    /// How often expired leases are looked for.
    public var leaseCheckInterval: Duration = .seconds(1)
    /// Read connections (concurrent reads).
    public var maximumReaderCount = 4
    /// WAL file size kept after a checkpoint (PRAGMA journal_size_limit).
    public var walSizeLimit: Int64 = 16 << 20
    /// Run PRAGMA quick_check on an existing database at open.
    public var checkIntegrity = true

    public init() {}
}
