import Glibc
import LinuxSys

/// The kubelet's image garbage collection: when the image filesystem is at least
/// `highPercent` full, remove the least recently used images no container uses until it
/// is at most `lowPercent` full (defaults 85 and 80, as `imageGCHighThresholdPercent` and
/// `imageGCLowThresholdPercent`).
public struct ImageGCPolicy: Sendable, Equatable {
    public var highPercent: Int
    public var lowPercent: Int

    public init(highPercent: Int = 85, lowPercent: Int = 80) throws {
        guard (0...100).contains(highPercent), (0...100).contains(lowPercent), lowPercent <= highPercent else {
            throw ImageError(.invalidConfig, "image GC thresholds: need 0 ≤ low (\(lowPercent)) ≤ high (\(highPercent)) ≤ 100")
        }
        self.highPercent = highPercent
        self.lowPercent = lowPercent
    }
}

/// Size and free space of a filesystem, in bytes.
public struct DiskUsage: Sendable, Equatable {
    public var capacity: Int64
    public var available: Int64

    public init(capacity: Int64, available: Int64) {
        self.capacity = capacity
        self.available = available
    }

    /// `statvfs` of the filesystem holding `path` (blocks available to unprivileged
    /// users, as the kubelet counts them).
    public static func of(_ path: String) throws -> DiskUsage {
        var st = statvfs()
        try sys("statvfs", path) { statvfs(path, &st) }
        return DiskUsage(capacity: Int64(st.f_blocks) * Int64(st.f_frsize),
                         available: Int64(st.f_bavail) * Int64(st.f_frsize))
    }

    /// 100 - available·100/capacity, rounded down as the kubelet does.
    public var usedPercent: Int {
        capacity <= 0 ? 0 : 100 - Int(available * 100 / capacity)
    }
}

public enum ImageGC {
    /// Which images to remove, oldest use first: every record of each chosen image (an
    /// image is its manifest digest; its names go together). Pure, so it is tested as is.
    public static func plan(images: [ImageRecord], inUse: Set<String>, usage: DiskUsage,
                            policy: ImageGCPolicy) -> [ImageRecord] {
        guard usage.capacity > 0, usage.usedPercent >= policy.highPercent else { return [] }
        let toFree = usage.capacity * Int64(100 - policy.lowPercent) / 100 - usage.available
        guard toFree > 0 else { return [] }
        var byImage: [String: [ImageRecord]] = [:]
        for record in images where !inUse.contains(record.manifestDigest) {
            byImage[record.manifestDigest, default: []].append(record)
        }
        func lastUsed(_ records: [ImageRecord]) -> String {
            records.map { $0.lastUsed ?? $0.created }.max() ?? ""
        }
        let ordered = byImage.values.sorted {
            (lastUsed($0), $0[0].manifestDigest) < (lastUsed($1), $1[0].manifestDigest)
        }
        var freed: Int64 = 0
        var out: [ImageRecord] = []
        for records in ordered where freed < toFree {
            out += records.sorted { ($0.name ?? "") < ($1.name ?? "") }
            freed += records[0].size
        }
        return out
    }
}

extension ImageStore {
    /// Applies `ImageGC.plan` to this store's filesystem (or `usage`, for tests), then
    /// sweeps unreferenced blobs and snapshots. Returns the removed records.
    @discardableResult
    public func collectLeastRecentlyUsed(policy: ImageGCPolicy, inUse: Set<String>,
                                         usage: DiskUsage? = nil) throws -> [ImageRecord] {
        try Files.createDirectory(imagesDirectory, mode: 0o700)
        let usage = try usage ?? DiskUsage.of(imagesDirectory)
        let doomed = ImageGC.plan(images: try list(), inUse: inUse, usage: usage, policy: policy)
        for record in doomed { try remove(exactly: record) }
        try garbageCollect()
        return doomed
    }

    /// Removes every image no container uses (`inUse`: manifest digests), or with
    /// `danglingOnly` only the untagged ones, as `docker image prune [-a]`.
    @discardableResult
    public func prune(inUse: Set<String>, danglingOnly: Bool) throws -> [ImageRecord] {
        let doomed = try list().filter { !inUse.contains($0.manifestDigest) && (!danglingOnly || $0.name == nil) }
        for record in doomed { try remove(exactly: record) }
        try garbageCollect()
        return doomed
    }
}
