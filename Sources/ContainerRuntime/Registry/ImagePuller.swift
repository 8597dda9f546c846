import Dispatch
import FoundationEssentials
import LinuxSys

/// What a pull is doing, for a progress display.
public enum PullEvent: Sendable {
    /// The manifest is chosen: these blobs make the image (config first).
    case resolved(manifest: ContentDigest, blobs: [OCIDescriptor])
    /// Bytes of a blob received so far.
    case downloading(ContentDigest, received: Int64, total: Int64)
    /// A blob is in the content store; `downloaded` is false when it already was.
    case stored(ContentDigest, downloaded: Bool)
    /// A layer is unpacked into its snapshot.
    case unpacked(ContentDigest)
}

public struct PullResult: Sendable {
    public var record: ImageRecord
    /// Blobs fetched from the registry by this pull (0 when everything was here).
    public var downloadedBlobs: Int
    public var downloadedBytes: Int64
}

/// Pulls images the way containerd does: resolve the reference through registries.yaml
/// (mirrors, then the registry), pick this platform's manifest from an index, fetch the
/// config and layers that are not stored yet (three at a time, each verified by size and
/// digest before it becomes a blob), unpack each layer into its snapshot as soon as it
/// is here, and only then name the image. An interrupted pull leaves no image and no
/// blob that is not whole; pulls of the same blob in one process share one download.
public final class ImagePuller: Sendable {
    public let store: ImageStore
    public let client: RegistryClient
    private let downloads = SharedDownloads()
    static let concurrentDownloads = 3

    public init(store: ImageStore, client: RegistryClient) {
        self.store = store
        self.client = client
    }

    /// Pulls `reference` (`busybox`, `registry:5000/team/app:1.4`, `app@sha256:…`).
    /// Errors name the reference and the cause in one line.
    public func pull(_ reference: String, platform: OCIPlatform = .host,
                     progress: @escaping @Sendable (PullEvent) -> Void = { _ in }) async throws -> PullResult {
        let ref = try ImageReference.parse(reference)
        do {
            if ref.digest != nil, let record = store.completeRecord(ref) {
                return PullResult(record: record, downloadedBlobs: 0, downloadedBytes: 0)
            }
            let endpoints = try client.config.endpoints(for: ref)
            var failures: [String] = []
            for (i, endpoint) in endpoints.enumerated() {
                do {
                    return try await pull(ref, from: endpoint, platform: platform, progress: progress)
                } catch let error as ImageError where i < endpoints.count - 1 {
                    // A mirror that fails is skipped, as containerd skips to the next host.
                    failures.append("mirror \(endpoint.baseURL): \(error)")
                } catch let error as ImageError where !failures.isEmpty {
                    throw ImageError(error.kind, "\(error) (after \(failures.joined(separator: "; ")))")
                }
            }
            throw ImageError(.notFound, "no endpoint to pull from")
        } catch {
            throw ImageError.wrap(error, "pull \(ref.familiar)")
        }
    }

    private func pull(_ ref: ImageReference, from endpoint: RegistryEndpoint, platform: OCIPlatform,
                      progress: @escaping @Sendable (PullEvent) -> Void) async throws -> PullResult {
        let top = try await client.fetchManifest(endpoint, reference: ref.digest?.description ?? ref.tag ?? "latest",
                                                 expected: ref.digest)
        var manifestBytes = top.bytes
        var manifestDigest = top.digest
        var indexDigest: ContentDigest?
        var mediaType = top.mediaType
        if OCIMediaType.isIndex(mediaType) {
            let index = try JSON.decode(OCIIndex.self, top.bytes, what: "index \(top.digest)")
            guard let chosen = platform.select(from: index.manifests) else {
                throw ImageError(.notFound, "no image for \(platform.description) in index \(top.digest) "
                                 + "(has \(OCIPlatform.listed(index.manifests)))")
            }
            let inner = try await client.fetchManifest(endpoint, reference: chosen.digest.description,
                                                       expected: chosen.digest)
            indexDigest = top.digest
            (manifestBytes, manifestDigest, mediaType) = (inner.bytes, inner.digest, inner.mediaType)
        }
        let manifest = try ImagePuller.checkManifest(manifestBytes, mediaType: mediaType, digest: manifestDigest)
        let blobs = [manifest.config] + manifest.layers
        progress(.resolved(manifest: manifestDigest, blobs: blobs))

        let totals = DownloadTotals()
        return try await store.withPullLease {
            try await fetch(manifest.config, from: endpoint, totals: totals, progress: progress)
            let (config, chainIDs) = try store.loadConfig(manifest)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (i, layer) in manifest.layers.enumerated() {
                    if i >= ImagePuller.concurrentDownloads { try await group.next() }
                    group.addTask {
                        try await self.fetch(layer, from: endpoint, totals: totals, progress: progress)
                        try await ImagePuller.onThread {
                            try self.store.ensureSnapshot(chainID: chainIDs[i], diffID: config.rootfs.diff_ids[i],
                                                          parent: i > 0 ? chainIDs[i - 1] : nil, layer: layer.digest)
                        }
                        progress(.unpacked(layer.digest))
                    }
                }
                try await group.waitForAll()
            }
            try store.content.write(manifestBytes)
            if indexDigest != nil { try store.content.write(top.bytes) }
            let size = Int64(manifestBytes.count) + blobs.reduce(0) { $0 + $1.size }
            let record = try store.recordPulled(name: ref, manifest: manifestDigest, config: manifest.config.digest,
                                                size: size, index: indexDigest)
            let (count, bytes) = await totals.value
            return PullResult(record: record, downloadedBlobs: count, downloadedBytes: bytes)
        }
    }

    /// Ensures a blob is in the content store, downloading it (once per process at a time).
    private func fetch(_ descriptor: OCIDescriptor, from endpoint: RegistryEndpoint, totals: DownloadTotals,
                       progress: @escaping @Sendable (PullEvent) -> Void) async throws {
        let digest = descriptor.digest
        let kind = descriptor.mediaType.map { $0.contains("config") } == true ? "config" : "layer"
        let downloaded = try await downloads.run(digest) { [store, client] in
            guard let writer = try await BlobWriter.download(store.content, digest: digest, what: "\(kind) \(digest)") else {
                return false
            }
            do {
                if writer.count > descriptor.size { try writer.restart() }
                // A prefix as long as the blob needs no request: commit checks its digest.
                if writer.count < descriptor.size {
                    try await client.fetchBlob(endpoint, digest: digest, into: writer) { received in
                        guard received <= descriptor.size else {
                            throw ImageError(.digestMismatch, "size mismatch: more than the \(descriptor.size) bytes the manifest says")
                        }
                        progress(.downloading(digest, received: received, total: descriptor.size))
                    }
                }
                try writer.commit(expected: digest, size: descriptor.size)
                return true
            } catch let error as ImageError where error.kind == .digestMismatch {
                writer.discard() // wrong bytes: nothing to resume from
                throw ImageError.wrap(error, "\(kind) \(digest)")
            } catch {
                writer.release() // what arrived stays for the next pull to resume
                throw ImageError.wrap(error, "\(kind) \(digest)")
            }
        }
        if downloaded { await totals.add(descriptor.size) }
        progress(.stored(digest, downloaded: downloaded))
    }

    /// Decodes an image manifest, refusing what Swiftlet cannot run with the reason.
    static func checkManifest(_ bytes: [UInt8], mediaType: String, digest: ContentDigest) throws -> OCIManifest {
        let what = "manifest \(digest)"
        switch mediaType {
        case OCIMediaType.manifest, OCIMediaType.dockerManifest:
            break
        case "application/vnd.docker.distribution.manifest.v1+json", "application/vnd.docker.distribution.manifest.v1+prettyjws":
            throw ImageError(.unsupported, "\(what): Docker schema 1 manifests are not supported (push the image again with a current tool)")
        case "":
            throw ImageError(.unsupported, "\(what): no media type")
        default:
            throw ImageError(.unsupported, "\(what): unsupported media type \"\(mediaType)\"")
        }
        let manifest = try JSON.decode(OCIManifest.self, bytes, what: what)
        guard manifest.schemaVersion == 2 else {
            throw ImageError(.invalidImage, "\(what): schemaVersion \(manifest.schemaVersion), expected 2")
        }
        let configTypes: Set = [OCIMediaType.config, OCIMediaType.dockerConfig]
        if let type = manifest.config.mediaType, !configTypes.contains(type) {
            throw ImageError(.unsupported, "\(what): not a container image (config media type \"\(type)\")")
        }
        for layer in manifest.layers {
            guard let type = layer.mediaType else { continue }
            guard type.hasPrefix("application/vnd.oci.image.layer.") || type.hasPrefix("application/vnd.docker.image.rootfs.") else {
                throw ImageError(.unsupported, "\(what): layer \(layer.digest): unsupported media type \"\(type)\"")
            }
        }
        for blob in [manifest.config] + manifest.layers where blob.size < 0 {
            throw ImageError(.invalidImage, "\(what): blob \(blob.digest) has a negative size")
        }
        return manifest
    }

    /// Runs blocking work (unpacking) on a Dispatch thread, off Swift's cooperative pool.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// One download per digest at a time in this process; later callers wait for it.
private actor SharedDownloads {
    private var running: [ContentDigest: Task<Bool, Error>] = [:]

    /// Runs `body` for `digest` unless a run is in flight, in which case its result is
    /// shared (as "not downloaded by us").
    func run(_ digest: ContentDigest, _ body: @escaping @Sendable () async throws -> Bool) async throws -> Bool {
        if let task = running[digest] {
            _ = try await task.value
            return false
        }
        let task = Task { try await body() }
        running[digest] = task
        defer { running[digest] = nil }
        return try await task.value
    }
}

private actor DownloadTotals {
    private var count = 0
    private var bytes: Int64 = 0
    func add(_ size: Int64) {
        count += 1
        bytes += size
    }
    var value: (Int, Int64) { (count, bytes) }
}
