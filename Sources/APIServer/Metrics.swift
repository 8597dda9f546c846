import KubeStore

/// The API server's `/metrics` (Prometheus text, authenticated clients only): the store's
/// size and revisions and objects per resource under upstream's names where upstream has
/// one, `swiftlet_store_*` for the rest.
enum Metrics {
    static func render(_ stats: KubeStoreStats, objects: [(resource: String, count: Int)]) -> String {
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Int64)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { out += "\(name)\(sample.labels.isEmpty ? "" : "{\(sample.labels)}") \(sample.value)\n" }
        }
        metric("apiserver_storage_size_bytes", "gauge", "[STABLE] Size of the storage database file physically allocated in bytes.",
               [("storage_cluster_id=\"swiftlet\"", stats.fileSize)])
        metric("apiserver_storage_objects", "gauge", "[STABLE] Number of stored objects at the time of last check split by kind.",
               objects.map { ("resource=\"\($0.resource)\"", Int64($0.count)) })
        metric("swiftlet_store_revision", "gauge", "The revision of the store's last acknowledged write.", [("", stats.revision)])
        metric("swiftlet_store_compact_revision", "gauge", "Revisions at or below this one have been compacted away.", [("", stats.compactRevision)])
        metric("swiftlet_store_rows", "gauge", "Rows of the store's log: live values, history above the compact revision, tombstones.",
               [("", Int64(stats.rowCount))])
        metric("swiftlet_store_wal_bytes", "gauge", "Size of the store's write-ahead log file.", [("", stats.walSize)])
        metric("swiftlet_store_free_bytes", "gauge", "Free pages in the store's database file, awaiting vacuum.", [("", stats.freeSize)])
        metric("swiftlet_store_leases", "gauge", "Leases currently granted.", [("", Int64(stats.leaseCount))])
        metric("swiftlet_store_watchers", "gauge", "Watches open on the store.", [("", Int64(stats.watchers))])
        metric("swiftlet_store_writes_total", "counter", "Write operations since start.", [("", Int64(stats.writes))])
        metric("swiftlet_store_commits_total", "counter", "Transactions committed since start (one fsync each).", [("", Int64(stats.commits))])
        metric("swiftlet_store_compactions_total", "counter", "Compactions run since start.", [("", Int64(stats.compactions))])
        return out
    }
}
