import Foundation
import GRDB

extension KubeStore {
    /// Writes a consistent copy of the store to `destination` while it keeps serving:
    /// SQLite's online backup, copying every page inside one read transaction of the WAL
    /// (writers go on meanwhile). The copy is a self-contained file (rollback journal
    /// mode, no -wal), checked with `quick_check`, fsynced, then renamed into place.
    /// Returns the revision it holds.
    @discardableResult
    public func backup(to destination: String) async throws -> Revision {
        let pool = self.pool
        return try await KubeStore.withMappedErrors(destination) {
            try await KubeStore.blocking { try KubeStore.copy(pool, to: destination) }
        }
    }

    /// The same from another process (`swiftlet store backup` beside a running server):
    /// SQLite lets a second connection read the WAL database while the owner writes.
    @discardableResult
    public static func backup(database path: String, to destination: String) throws -> Revision {
        guard FileManager.default.fileExists(atPath: path) else {
            throw KubeStoreError.invalidArgument("no store database at \(path)")
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            let source = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? source.close() }
            try source.read { db in
                guard try db.tableExists("kv"), try db.tableExists("meta") else {
                    throw KubeStoreError.invalidArgument("\(path) is not a KubeStore database")
                }
            }
            return try copy(source, to: destination)
        } catch {
            throw mapError(error, path: path)
        }
    }

    /// SQLite's backup of `source` into a temporary file, made self-contained (rollback
    /// journal), checked, fsynced, renamed to `destination`. Returns its revision.
    private static func copy(_ source: some DatabaseReader, to destination: String) throws -> Revision {
        let fm = FileManager.default
        let tmp = destination + ".tmp-\(UUID().uuidString.prefix(8))"
        removeDatabaseFiles(tmp)
        defer { removeDatabaseFiles(tmp) }
        let dest = try DatabaseQueue(path: tmp)
        try source.backup(to: dest)
        let revision = try dest.writeWithoutTransaction { db -> Revision in
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
            try quickCheck(db, path: tmp, context: "backup quick_check")
            return try sequence(db)
        }
        try dest.close()
        try fsync(tmp)
        if fm.fileExists(atPath: destination) { try fm.removeItem(atPath: destination) }
        try fm.moveItem(atPath: tmp, toPath: destination)
        fsyncDirectory(of: destination)
        return revision
    }

    /// Replaces the database at `path` with a backup, for a stopped server: refused with
    /// `inUse` while a process has the store open. The backup is checked first (quick_check, a
    /// KubeStore schema). Revisions never go backwards: the restored store's current
    /// revision is the larger of the backup's and the replaced database's, plus
    /// `bumpRevision`; and it is marked compacted at that revision, so every watcher
    /// relists (etcd's `snapshot restore --bump-revision --mark-compacted`).
    /// Returns the restored store's current revision.
    @discardableResult
    public static func restore(from backup: String, to path: String, bumpRevision: Int64 = 0) throws -> Revision {
        guard bumpRevision >= 0 else { throw KubeStoreError.invalidArgument("bumpRevision must not be negative") }
        let fm = FileManager.default
        guard fm.fileExists(atPath: backup) else {
            throw KubeStoreError.invalidArgument("no backup file at \(backup)")
        }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty && !fm.fileExists(atPath: dir) {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        let ownerLock = try lockOwnership(of: path)
        defer { try? ownerLock.close() }
        do {
            // The backup must be sound and ours.
            var readonly = Configuration()
            readonly.readonly = true
            let backupRevision: Revision = try {
                let q = try DatabaseQueue(path: backup, configuration: readonly)
                defer { try? q.close() }
                return try q.read { db in
                    try KubeStore.quickCheck(db, path: backup)
                    guard try db.tableExists("kv"), try db.tableExists("meta") else {
                        throw KubeStoreError.invalidArgument("\(backup) is not a KubeStore database")
                    }
                    return try sequence(db)
                }
            }()
            // The revision of the database being replaced, if it can be read.
            var replaced: Revision = 0
            if fm.fileExists(atPath: path),
               let q = try? DatabaseQueue(path: path, configuration: readonly) {
                replaced = (try? q.read { db in try sequence(db) }) ?? 0
                try? q.close()
            }
            let revision = max(backupRevision, replaced) + bumpRevision
            let tmp = path + ".restore"
            removeDatabaseFiles(tmp)
            defer { removeDatabaseFiles(tmp) }
            try fm.copyItem(atPath: backup, toPath: tmp)
            let q = try DatabaseQueue(path: tmp)
            try q.writeWithoutTransaction { db in
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
                try db.inTransaction {
                    try db.execute(sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = 'kv'", arguments: [revision])
                    if db.changesCount == 0 {
                        try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('kv', ?)",
                                       arguments: [revision])
                    }
                    if revision > 0 { try setMeta(db, "compact_revision", revision) }
                    return .commit
                }
            }
            try q.close()
            try fsync(tmp)
            for suffix in ["-wal", "-shm", "-journal"] where fm.fileExists(atPath: path + suffix) {
                try fm.removeItem(atPath: path + suffix)
            }
            if fm.fileExists(atPath: path) { try fm.removeItem(atPath: path) }
            try fm.moveItem(atPath: tmp, toPath: path)
            fsyncDirectory(of: path)
            return revision
        } catch {
            throw mapError(error, path: path)
        }
    }

    static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    static func fsync(_ path: String) throws {
        guard let h = FileHandle(forUpdatingAtPath: path) else {
            throw KubeStoreError.database(path: path, message: "cannot open for fsync")
        }
        defer { try? h.close() }
        try h.synchronize()
    }

    /// Makes a rename durable (best effort: Foundation opens a directory read-only).
    static func fsyncDirectory(of path: String) {
        let dir = (path as NSString).deletingLastPathComponent
        if let h = FileHandle(forReadingAtPath: dir.isEmpty ? "." : dir) {
            try? h.synchronize()
            try? h.close()
        }
    }

    /// Runs blocking work (SQLite's backup API) off the cooperative thread pool.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in
            DispatchQueue.global().async { c.resume(with: Result { try work() }) }
        }
    }
}
