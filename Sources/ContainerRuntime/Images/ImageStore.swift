import CLinux
import FoundationEssentials
import Glibc
import LinuxSys

/// One image known to the store: a name (or none) pointing at a manifest. Kept as a
/// small JSON file under `<root>/images/refs/`.
public struct ImageRecord: Codable, Sendable, Equatable {
    /// Normalised name (`docker.io/library/busybox:latest`); nil for an untagged image.
    public var name: String?
    public var manifestDigest: String
    /// The image ID, as Docker shows it.
    public var configDigest: String
    /// Bytes of manifest, config and layer blobs (compressed, as stored).
    public var size: Int64
    /// RFC 3339, when this name was first given to this manifest.
    public var created: String
    /// RFC 3339, when a container last resolved it (minute precision).
    public var lastUsed: String?
    /// The index (manifest list) the manifest was chosen from, when pulled through one:
    /// pulling or finding by this digest finds the image too.
    public var indexDigest: String?

    public var id: String { configDigest }
    /// The name, or `<none>@sha256:…`.
    public var displayName: String { name ?? "<none>@\(manifestDigest)" }
}

/// An image ready to run: its config and the snapshot directories of its layers.
public struct ResolvedImage: Sendable {
    public var record: ImageRecord
    /// The record's name, or its manifest digest when untagged.
    public var name: String
    public var manifestDigest: String
    public var configDigest: String
    public var config: ImageConfig
    public var architecture: String?
    public var os: String?
    public var diffIDs: [String]
    public var chainIDs: [String]
    /// `<root>/snapshots/<chain ID>/fs` of each layer, bottom layer first.
    public var layerDirectories: [String]
    /// The same, top layer first, as overlayfs `lowerdir=` wants them.
    public var overlayLowerDirectories: [String] { layerDirectories.reversed() }
}

/// Images under a data root: blobs and records in `<root>/images`, unpacked layers in
/// `<root>/snapshots/<chain ID>/fs`. Any number of processes may use one root: imports,
/// removals and garbage collection hold `<root>/images/lock`; readers need no lock
/// because every file is replaced by rename. A pull holds `<root>/images/pull.lock`
/// shared while it writes blobs and snapshots no record names yet; garbage collection
/// sweeps only when it can take that lock exclusively.
public final class ImageStore: Sendable {
    public let root: String
    public let content: ContentStore
    public let allowDeviceNodes: Bool
    private let log: @Sendable (String) -> Void

    public var imagesDirectory: String { "\(root)/images" }
    public var refsDirectory: String { "\(root)/images/refs" }
    public var snapshotsDirectory: String { "\(root)/snapshots" }

    /// Creates nothing until first used. `log` receives one-line notices (device nodes
    /// skipped …); the default writes them to stderr.
    public init(root: String, allowDeviceNodes: Bool = false,
                log: @escaping @Sendable (String) -> Void = ImageStore.logToStandardError) {
        self.root = root
        self.content = ContentStore(root: "\(root)/images")
        self.allowDeviceNodes = allowDeviceNodes
        self.log = log
    }

    public static let logToStandardError: @Sendable (String) -> Void = { message in
        let line = Array("swiftlet: \(message)\n".utf8)
        line.withUnsafeBytes { _ = try? writeFully(2, $0, name: "stderr") }
    }

    /// The snapshot directory (holding `fs`) of a chain ID.
    public func snapshotDirectory(chainID: ContentDigest) -> String { "\(snapshotsDirectory)/\(chainID.hex)" }

    // MARK: - Import

    /// Imports an OCI image layout directory, an OCI layout tarball, or a `docker save`
    /// tarball (plain or gzip). Every blob is verified and stored once, every layer
    /// unpacked once; importing the same image again changes nothing. `name` (one image
    /// only) replaces the names the archive gives. Returns the records of the images.
    @discardableResult
    public func importImage(path: String, name: String? = nil) throws -> [ImageRecord] {
        try ImageError.context("import \(path)") {
            guard Files.exists(path) else { throw ImageError(.notFound, "no such file or directory") }
            let override = try name.map { n -> ImageReference in
                let ref = try ImageReference.parse(n)
                guard ref.digest == nil else { throw ImageError(.invalidReference, "name \"\(n)\": a digest cannot be a name") }
                return ref
            }
            return try withLock {
                do {
                    let records = try importLocked(path, name: override)
                    try collectGarbageLocked()
                    return records
                } catch {
                    _ = try? collectGarbageLocked()
                    throw error
                }
            }
        }
    }

    private struct Plan {
        var names: [ImageReference]
        var manifest: OCIManifest
        var manifestDigest: ContentDigest
        var manifestBytes: [UInt8]
        /// Where the manifest is in the source; nil when Swiftlet wrote it (docker save).
        var manifestPath: String?
        /// Config and layers: source path, digest, size, what to call it in errors.
        var blobs: [(path: String, digest: ContentDigest, size: Int64, what: String)]
    }

    private func importLocked(_ path: String, name override: ImageReference?) throws -> [ImageRecord] {
        let source: ImportSource = Files.isDirectory(path)
            ? try DirectorySource(path) : try ArchiveSource(path, store: content)
        defer { source.cleanup() }
        var plans: [Plan]
        if try source.file("oci-layout") != nil, try source.file("index.json") != nil {
            plans = try planOCI(source, path: path)
        } else if let manifest = try source.file("manifest.json") {
            plans = try planDockerSave(source, manifestJSON: manifest)
        } else {
            throw ImageError(.invalidImage,
                             "not an OCI image layout or docker save archive (no index.json and oci-layout, no manifest.json)")
        }
        if let override {
            guard plans.count == 1 else {
                throw ImageError(.invalidImage, "holds \(plans.count) images: a name can only be given to one")
            }
            plans[0].names = [override]
        }

        var records: [ImageRecord] = []
        for plan in plans {
            for blob in plan.blobs {
                try source.ingest(blob.path, digest: blob.digest, size: blob.size, into: content, what: blob.what)
            }
            if let manifestPath = plan.manifestPath {
                try source.ingest(manifestPath, digest: plan.manifestDigest, size: Int64(plan.manifestBytes.count),
                                  into: content, what: "manifest \(plan.manifestDigest)")
            } else {
                try content.write(plan.manifestBytes)
            }
            let (config, chainIDs) = try loadConfig(plan.manifest)
            for (i, layer) in plan.manifest.layers.enumerated() {
                try ensureSnapshot(chainID: chainIDs[i], diffID: config.rootfs.diff_ids[i],
                                   parent: i > 0 ? chainIDs[i - 1] : nil, layer: layer.digest)
            }
            let size = Int64(plan.manifestBytes.count) + plan.manifest.config.size
                + plan.manifest.layers.reduce(0) { $0 + $1.size }
            records += try writeRecords(names: plan.names, manifest: plan.manifestDigest,
                                        config: plan.manifest.config.digest, size: size)
        }
        return records
    }

    /// OCI image layout: oci-layout, index.json → (index →) manifest → config + layers.
    private func planOCI(_ source: ImportSource, path: String) throws -> [Plan] {
        let layout = try JSON.decode(OCILayoutFile.self, try source.file("oci-layout")!, what: "oci-layout")
        guard layout.imageLayoutVersion.hasPrefix("1.") else {
            throw ImageError(.unsupported, "oci-layout: image layout version \(layout.imageLayoutVersion) is not supported")
        }
        let index = try JSON.decode(OCIIndex.self, try source.file("index.json")!, what: "index.json")
        // docker ≥ 25 also writes manifest.json; its RepoTags name images the index does not.
        let dockerEntries = try source.file("manifest.json").map {
            try JSON.decode([DockerSaveEntry].self, $0, what: "manifest.json")
        } ?? []

        var plans: [Plan] = []
        for (top, descriptor) in try selectManifests(index.manifests, source: source, what: "index.json") {
            let bytes = try blobBytes(source, descriptor, what: "manifest \(descriptor.digest)")
            let manifest = try JSON.decode(OCIManifest.self, bytes, what: "manifest \(descriptor.digest)")
            var names = try namesFromAnnotations(top.annotations ?? [:], path: path)
            if names.isEmpty {
                let configPath = "blobs/sha256/\(manifest.config.digest.hex)"
                for entry in dockerEntries where cleanArchivePath(entry.Config) == configPath {
                    names += try (entry.RepoTags ?? []).map { try ImageReference.parse($0) }
                }
            }
            plans.append(Plan(names: unique(names), manifest: manifest, manifestDigest: descriptor.digest,
                              manifestBytes: bytes, manifestPath: blobPath(descriptor.digest),
                              blobs: blobList(manifest)))
        }
        return plans
    }

    private func blobPath(_ digest: ContentDigest) -> String { "blobs/sha256/\(digest.hex)" }

    private func blobList(_ manifest: OCIManifest) -> [(path: String, digest: ContentDigest, size: Int64, what: String)] {
        [(blobPath(manifest.config.digest), manifest.config.digest, manifest.config.size, "config \(manifest.config.digest)")]
            + manifest.layers.map { (blobPath($0.digest), $0.digest, $0.size, "layer \($0.digest)") }
    }

    /// A small blob of the source, checked against its descriptor.
    private func blobBytes(_ source: ImportSource, _ descriptor: OCIDescriptor, what: String) throws -> [UInt8] {
        guard let bytes = try source.file(blobPath(descriptor.digest)) else {
            throw ImageError(.invalidImage, "\(what): \(blobPath(descriptor.digest)) is missing")
        }
        let actual = ContentDigest.of(bytes)
        guard actual == descriptor.digest else {
            throw ImageError(.digestMismatch, "\(what): digest mismatch: content is \(actual), expected \(descriptor.digest)")
        }
        guard Int64(bytes.count) == descriptor.size else {
            throw ImageError(.digestMismatch, "\(what): size mismatch: content is \(bytes.count) bytes, expected \(descriptor.size)")
        }
        return bytes
    }

    /// The image manifests to import from an index: each entry (with the top-level entry
    /// whose annotations name it), nested indexes resolved to this host's platform.
    private func selectManifests(_ descriptors: [OCIDescriptor], source: ImportSource, what: String,
                                 depth: Int = 0) throws -> [(top: OCIDescriptor, manifest: OCIDescriptor)] {
        guard !descriptors.isEmpty else { throw ImageError(.invalidImage, "\(what): no manifests") }
        guard depth < 4 else { throw ImageError(.invalidImage, "\(what): indexes nested too deep") }
        let host = OCIPlatform.host
        func matches(_ d: OCIDescriptor) -> Bool { d.platform.map(host.accepts) ?? true }
        let only = descriptors.count == 1
        var out: [(top: OCIDescriptor, manifest: OCIDescriptor)] = []
        for descriptor in descriptors where only || matches(descriptor) {
            var type = descriptor.mediaType
            if type == nil || !(OCIMediaType.isIndex(type) || OCIMediaType.isManifest(type)) {
                // Untyped or unknown: look at the blob (an index has "manifests").
                guard let bytes = try source.file(blobPath(descriptor.digest)) else { continue }
                if (try? JSON.decode(OCIIndex.self, bytes, what: "")) != nil { type = OCIMediaType.index }
                else if (try? JSON.decode(OCIManifest.self, bytes, what: "")) != nil { type = OCIMediaType.manifest }
                else { continue } // an artifact, not an image
            }
            if OCIMediaType.isIndex(type) {
                let inner = "index \(descriptor.digest)"
                let nested = try JSON.decode(OCIIndex.self, try blobBytes(source, descriptor, what: inner), what: inner)
                let chosen = try selectManifests(nested.manifests, source: source, what: inner, depth: depth + 1)
                guard let first = chosen.first else { continue }
                out.append((descriptor, first.manifest))
            } else {
                out.append((descriptor, descriptor))
            }
        }
        if out.isEmpty {
            let have = descriptors.compactMap { $0.platform?.description }
            throw ImageError(.invalidImage, "\(what): no image for \(host.os)/\(host.architecture)"
                             + (have.isEmpty ? "" : " (has \(have.joined(separator: ", ")))"))
        }
        return out
    }

    /// `io.containerd.image.name` (a full name), else `org.opencontainers.image.ref.name`:
    /// a full name, or a bare tag for a repository named after the imported file.
    private func namesFromAnnotations(_ annotations: [String: String], path: String) throws -> [ImageReference] {
        if let full = annotations[OCIAnnotation.containerdImageName] {
            return [try ImageError.context("annotation \(OCIAnnotation.containerdImageName)") { try ImageReference.parse(full) }]
        }
        guard let ref = annotations[OCIAnnotation.refName], !ref.isEmpty else { return [] }
        if !ref.contains("/") && !ref.contains(":") && !ref.contains("@") && ImageReference.isValidTag(ref) {
            return [try ImageReference.parse("localhost/\(ImageStore.repositoryName(fromPath: path)):\(ref)")]
        }
        return [try ImageError.context("annotation \(OCIAnnotation.refName)") { try ImageReference.parse(ref) }]
    }

    /// `/tmp/My Image.tar.gz` → `my-image`.
    static func repositoryName(fromPath path: String) -> String {
        var base = Files.basename(path.hasSuffix("/") ? String(path.dropLast()) : path).lowercased()
        for ext in [".tar.gz", ".tgz", ".tar", ".oci", ".gz"] where base.hasSuffix(ext) {
            base = String(base.dropLast(ext.count))
            break
        }
        var out = ""
        for c in base.unicodeScalars {
            let ok = (c >= "a" && c <= "z") || (c >= "0" && c <= "9")
            out += ok ? String(c) : (out.hasSuffix("-") || out.isEmpty ? "" : "-")
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "image" : out
    }

    /// `docker save`: manifest.json lists Config, RepoTags and Layers by path. Swiftlet
    /// writes the OCI manifest Docker did not keep.
    private func planDockerSave(_ source: ImportSource, manifestJSON: [UInt8]) throws -> [Plan] {
        let entries = try JSON.decode([DockerSaveEntry].self, manifestJSON, what: "manifest.json")
        guard !entries.isEmpty else { throw ImageError(.invalidImage, "manifest.json: no images") }
        var plans: [Plan] = []
        for entry in entries {
            let config = try dockerBlob(source, entry.Config, what: "config \(entry.Config)")
            var layers: [OCIDescriptor] = []
            var blobs = [(path: entry.Config, digest: config.digest, size: config.size, what: "config \(entry.Config)")]
            for layerPath in entry.Layers {
                let layer = try dockerBlob(source, layerPath, what: "layer \(layerPath)")
                let type: String
                switch Compression.detect(try source.head(layerPath)) {
                case .gzip: type = OCIMediaType.layerGzip
                case .zstd: type = OCIMediaType.layerZstd
                default: type = OCIMediaType.layer
                }
                layers.append(OCIDescriptor(mediaType: type, digest: layer.digest, size: layer.size))
                blobs.append((layerPath, layer.digest, layer.size, "layer \(layerPath)"))
            }
            let manifest = OCIManifest(
                schemaVersion: 2, mediaType: OCIMediaType.manifest,
                config: OCIDescriptor(mediaType: OCIMediaType.config, digest: config.digest, size: config.size),
                layers: layers, annotations: nil)
            let bytes = try JSON.encode(manifest)
            let names = try (entry.RepoTags ?? []).map { tag in
                try ImageError.context("manifest.json: RepoTags") { try ImageReference.parse(tag) }
            }
            plans.append(Plan(names: unique(names), manifest: manifest, manifestDigest: ContentDigest.of(bytes),
                              manifestBytes: bytes, manifestPath: nil, blobs: blobs))
        }
        return plans
    }

    /// A docker save member's digest and size; a member named by digest (`<hex>.json`,
    /// `blobs/sha256/<hex>`) must match it.
    private func dockerBlob(_ source: ImportSource, _ path: String, what: String) throws -> (digest: ContentDigest, size: Int64) {
        guard let info = try source.info(path) else {
            throw ImageError(.invalidImage, "manifest.json: \(path) is not in the archive")
        }
        var name = Files.basename(path)
        if name.hasSuffix(".json") { name = String(name.dropLast(5)) }
        if let named = ContentDigest(hex: name), named != info.digest {
            throw ImageError(.digestMismatch, "\(what): digest mismatch: content is \(info.digest), expected \(named)")
        }
        return info
    }

    private func unique(_ names: [ImageReference]) -> [ImageReference] {
        var seen = Set<ImageReference>()
        return names.filter { seen.insert($0).inserted }
    }

    // MARK: - Config and snapshots

    func loadConfig(_ manifest: OCIManifest) throws -> (ImageConfigFile, [ContentDigest]) {
        let what = "config \(manifest.config.digest)"
        let config = try JSON.decode(ImageConfigFile.self, try content.read(manifest.config.digest), what: what)
        let diffIDs = config.rootfs.diff_ids
        guard diffIDs.count == manifest.layers.count else {
            throw ImageError(.invalidImage, "\(what): \(diffIDs.count) diff_ids for \(manifest.layers.count) layers")
        }
        return (config, ImageStore.chainIDs(diffIDs))
    }

    /// ChainID(L0) = DiffID(L0); ChainID(Ln) = SHA256(ChainID(Ln-1) + " " + DiffID(Ln)).
    public static func chainIDs(_ diffIDs: [ContentDigest]) -> [ContentDigest] {
        var out: [ContentDigest] = []
        for diffID in diffIDs {
            out.append(out.last.map { ContentDigest.of(Array("\($0) \(diffID)".utf8)) } ?? diffID)
        }
        return out
    }

    private struct SnapshotInfo: Codable {
        var chainID: ContentDigest
        var diffID: ContentDigest
        var parent: ContentDigest?
        var layer: ContentDigest
        var entries: Int
    }

    /// Unpacks a layer into `snapshots/<chain ID>/fs` unless it is there: into a
    /// temporary directory, renamed into place only when complete and verified.
    func ensureSnapshot(chainID: ContentDigest, diffID: ContentDigest, parent: ContentDigest?,
                                layer: ContentDigest) throws {
        let final = snapshotDirectory(chainID: chainID)
        if Files.isDirectory("\(final)/fs") { return }
        try Files.createDirectory(snapshotsDirectory, mode: 0o700)
        if Files.exists(final) { try Files.removeTree(final) }
        let temporary = "\(snapshotsDirectory)/.tmp-\(chainID.hex.prefix(16))-\(ContentStore.randomName())"
        do {
            try sys("mkdir", temporary) { mkdir(temporary, 0o700) }
            try sys("mkdir", "\(temporary)/fs") { mkdir("\(temporary)/fs", 0o755) }
            try sys("chmod", "\(temporary)/fs") { chmod("\(temporary)/fs", 0o755) } // whatever the umask
            let what = "layer \(layer)"
            let result = try LayerUnpacker.unpack(
                content.open(layer), into: "\(temporary)/fs", what: what,
                options: UnpackOptions(allowDeviceNodes: allowDeviceNodes, log: log))
            guard result.diffID == diffID else {
                throw ImageError(.digestMismatch, "\(what): uncompressed content is \(result.diffID), the config says \(diffID)")
            }
            let info = SnapshotInfo(chainID: chainID, diffID: diffID, parent: parent, layer: layer, entries: result.entries)
            try Files.writeAtomically("\(temporary)/snapshot.json", try JSON.encode(info))
            if try sys("rename", temporary, tolerating: ENOTEMPTY, { rename(temporary, final) }) == nil {
                try Files.removeTree(temporary) // a concurrent pull unpacked it first
                return
            }
            try Files.syncDirectory(snapshotsDirectory)
        } catch {
            try? Files.removeTree(temporary)
            throw error
        }
    }

    // MARK: - Records

    private func recordPath(_ key: String) -> String {
        var out = ""
        for byte in key.utf8 {
            let ok = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7a) || byte == 0x2e || byte == 0x2d || byte == 0x5f
            out += ok ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true)
        }
        return "\(refsDirectory)/\(out).json"
    }

    private func recordPath(_ record: ImageRecord) -> String { recordPath(record.name ?? record.manifestDigest) }

    private func writeRecord(_ record: ImageRecord) throws {
        try Files.createDirectory(refsDirectory)
        try Files.writeAtomically(recordPath(record), try JSON.encode(record))
    }

    private func deleteRecord(_ record: ImageRecord) throws {
        let path = recordPath(record)
        try sys("unlink", path, tolerating: ENOENT) { unlink(path) }
        try Files.syncDirectory(refsDirectory)
    }

    private func writeRecords(names: [ImageReference], manifest: ContentDigest, config: ContentDigest,
                              size: Int64, index: ContentDigest? = nil) throws -> [ImageRecord] {
        let existing = try list()
        let now = Clock.rfc3339Nano()
        func fresh(_ name: String?) -> ImageRecord {
            ImageRecord(name: name, manifestDigest: manifest.description, configDigest: config.description,
                        size: size, created: now, lastUsed: nil, indexDigest: index?.description)
        }
        if names.isEmpty {
            let same = existing.filter { $0.manifestDigest == manifest.description }
            if !same.isEmpty { return same }
            let record = fresh(nil)
            try writeRecord(record)
            return [record]
        }
        var out: [ImageRecord] = []
        for name in names.map(\.description) {
            if var old = existing.first(where: { $0.name == name }), old.manifestDigest == manifest.description {
                if old.indexDigest == nil, let index {
                    old.indexDigest = index.description
                    try writeRecord(old)
                }
                out.append(old)
                continue
            }
            let record = fresh(name)
            try writeRecord(record)
            out.append(record)
        }
        if let untagged = existing.first(where: { $0.name == nil && $0.manifestDigest == manifest.description }) {
            try deleteRecord(untagged)
        }
        return out
    }

    // MARK: - List, resolve, remove

    /// Every image record, by name (untagged last).
    public func list() throws -> [ImageRecord] {
        guard Files.isDirectory(refsDirectory) else { return [] }
        var records: [ImageRecord] = []
        for file in try Files.list(refsDirectory) where file.hasSuffix(".json") {
            let path = "\(refsDirectory)/\(file)"
            guard let bytes = try? Files.read(path) else { continue } // removed meanwhile
            do {
                records.append(try JSON.decode(ImageRecord.self, bytes, what: path))
            } catch {
                log("\(error)")
            }
        }
        return records.sorted {
            switch ($0.name, $1.name) {
            case let (a?, b?): a < b
            case (nil, nil): $0.manifestDigest < $1.manifestDigest
            case (nil, _): false
            case (_, nil): true
            }
        }
    }

    /// Finds an image by name (`busybox`, `docker.io/library/busybox:latest`,
    /// `swiftlet.local/busybox`, `busybox@sha256:…`), by a short name that matches one
    /// image's last path component and tag (`busybox` finds `swiftlet.local/busybox:latest`
    /// when no Docker Hub `busybox` is there), or by a prefix of its manifest digest or ID
    /// (`sha256:3f1e…`, `3f1e`). `byDigest` tells whether a digest matched.
    public func find(_ reference: String) throws -> (record: ImageRecord, byDigest: Bool) {
        let records = try list()
        let trimmed = reference
        let hexPart = trimmed.hasPrefix("sha256:") ? String(trimmed.dropFirst(7)) : trimmed
        let isHex = ContentDigest.isHex(hexPart) && hexPart.count <= 64
        var parseError: ImageError?
        do {
            let ref = try ImageReference.parse(trimmed)
            if let digest = ref.digest {
                let matches = records.filter {
                    $0.manifestDigest == digest.description || $0.indexDigest == digest.description
                }
                if let hit = matches.first(where: { $0.name.flatMap { try? ImageReference.parse($0) }?.repository == ref.repository })
                    ?? matches.first {
                    return (hit, true)
                }
            } else {
                if let hit = records.first(where: { $0.name == ref.description }) { return (hit, false) }
                if !trimmed.contains("/"), let tag = ref.tag, let last = ref.path.split(separator: "/").last {
                    let suffix = "/\(last):\(tag)"
                    let hits = records.filter { $0.name?.hasSuffix(suffix) == true }
                    if Set(hits.map(\.manifestDigest)).count > 1 {
                        throw ImageError(.ambiguous, "image \"\(reference)\" is ambiguous: "
                                         + hits.compactMap(\.name).joined(separator: ", "))
                    }
                    if let hit = hits.first { return (hit, false) }
                }
            }
        } catch let error as ImageError where error.kind == .invalidReference {
            parseError = error
        }
        if isHex {
            let hits = records.filter {
                $0.manifestDigest.dropFirst(7).hasPrefix(hexPart) || $0.configDigest.dropFirst(7).hasPrefix(hexPart)
            }
            if Set(hits.map(\.manifestDigest)).count > 1 {
                throw ImageError(.ambiguous, "image \"\(reference)\" matches more than one image: use more of the digest")
            }
            if let hit = hits.first { return (hit, true) }
        }
        if let parseError, !isHex { throw parseError }
        throw ImageError(.notFound, "image \"\(reference)\" not found")
    }

    /// The image `reference` names (see `find`), with its config and the snapshot
    /// directories of its layers (unpacked again if one went missing). Marks it used.
    public func resolve(_ reference: String) throws -> ResolvedImage {
        let (record, _) = try find(reference)
        let image = try ImageError.context("image \"\(reference)\"") { () throws -> ResolvedImage in
            let manifestDigest = try ContentDigest(parsing: record.manifestDigest)
            let manifest = try JSON.decode(OCIManifest.self, try content.read(manifestDigest),
                                           what: "manifest \(manifestDigest)")
            let (config, chainIDs) = try loadConfig(manifest)
            let dirs = chainIDs.map { "\(snapshotDirectory(chainID: $0))/fs" }
            if !dirs.allSatisfy(Files.isDirectory) {
                try withLock {
                    for (i, layer) in manifest.layers.enumerated() {
                        try ensureSnapshot(chainID: chainIDs[i], diffID: config.rootfs.diff_ids[i],
                                           parent: i > 0 ? chainIDs[i - 1] : nil, layer: layer.digest)
                    }
                }
            }
            return ResolvedImage(
                record: record, name: record.name ?? record.manifestDigest, manifestDigest: record.manifestDigest,
                configDigest: record.configDigest, config: config.config ?? ImageConfig(),
                architecture: config.architecture, os: config.os,
                diffIDs: config.rootfs.diff_ids.map(\.description), chainIDs: chainIDs.map(\.description),
                layerDirectories: dirs)
        }
        markUsed(record)
        return image
    }

    /// Records the time of use, at most once a minute, and never waiting for an import.
    private func markUsed(_ record: ImageRecord) {
        let now = Clock.rfc3339Nano()
        if let last = record.lastUsed, last.prefix(16) == now.prefix(16) { return }
        _ = try? withLock(wait: false) {
            guard let bytes = try? Files.read(recordPath(record)),
                  var current = try? JSON.decode(ImageRecord.self, bytes, what: "record"),
                  current.manifestDigest == record.manifestDigest else { return }
            current.lastUsed = now
            try writeRecord(current)
        }
    }

    /// Removes the image `reference` names: by name, that name only; by digest, every name
    /// of that image. Blobs and snapshots no remaining image uses are deleted. Returns the
    /// removed records.
    @discardableResult
    public func remove(_ reference: String) throws -> [ImageRecord] {
        try withLock {
            let (record, byDigest) = try find(reference)
            let removed = byDigest ? try list().filter { $0.manifestDigest == record.manifestDigest } : [record]
            for r in removed { try deleteRecord(r) }
            try collectGarbageLocked()
            return removed
        }
    }

    /// Removes one record if it still names the same manifest; no sweep (the caller
    /// collects garbage once after a batch).
    func remove(exactly record: ImageRecord) throws {
        try withLock {
            guard let bytes = try? Files.read(recordPath(record)),
                  let current = try? JSON.decode(ImageRecord.self, bytes, what: "record"),
                  current.manifestDigest == record.manifestDigest else { return }
            try deleteRecord(current)
        }
    }

    /// Deletes blobs and snapshots that no image record uses, and leftovers of interrupted
    /// imports. Returns how many blobs and snapshots went.
    @discardableResult
    public func garbageCollect() throws -> (blobs: Int, snapshots: Int) {
        try withLock { try collectGarbageLocked() }
    }

    @discardableResult
    private func collectGarbageLocked() throws -> (blobs: Int, snapshots: Int) {
        let leasePath = "\(imagesDirectory)/pull.lock"
        let lease = try FileDescriptor.open(leasePath, O_RDWR | O_CREAT, mode: 0o600)
        defer { try? lease.close() }
        guard try sys("flock", leasePath, tolerating: EWOULDBLOCK, { flock(lease.raw, LOCK_EX | LOCK_NB) }) != nil else {
            return (0, 0) // a pull is writing blobs no record names yet: sweep next time
        }
        var blobs = Set<ContentDigest>()
        var snapshots = Set<String>()
        for record in try list() {
            guard let digest = try? ContentDigest(parsing: record.manifestDigest) else { continue }
            blobs.insert(digest)
            guard let bytes = try? content.read(digest),
                  let manifest = try? JSON.decode(OCIManifest.self, bytes, what: "manifest") else { continue }
            blobs.insert(manifest.config.digest)
            for layer in manifest.layers { blobs.insert(layer.digest) }
            if let loaded = try? loadConfig(manifest) {
                for id in loaded.1 { snapshots.insert(id.hex) }
            }
        }
        var removedBlobs = 0
        for digest in try content.list() where !blobs.contains(digest) {
            try content.delete(digest)
            removedBlobs += 1
        }
        var removedSnapshots = 0
        if Files.isDirectory(snapshotsDirectory) {
            for name in try Files.list(snapshotsDirectory) where !snapshots.contains(name) {
                try Files.removeTree("\(snapshotsDirectory)/\(name)")
                if !name.hasPrefix(".tmp-") { removedSnapshots += 1 }
            }
        }
        if Files.isDirectory(content.ingestDirectory) {
            // Downloads that broke off (`<hex>.partial`) stay a day for a pull to resume.
            let dayAgo = time(nil) - 86_400
            for name in try Files.list(content.ingestDirectory) {
                let path = "\(content.ingestDirectory)/\(name)"
                var st = stat()
                if name.hasSuffix(".partial"), try sys("lstat", path, tolerating: ENOENT, { lstat(path, &st) }) != nil,
                   st.st_mtim.tv_sec > dayAgo { continue }
                try Files.removeTree(path)
            }
        }
        return (removedBlobs, removedSnapshots)
    }

    // MARK: - Pulls

    /// Runs `body` holding the pull lease (see the type's comment).
    func withPullLease<T>(_ body: () async throws -> T) async throws -> T {
        try Files.createDirectory(imagesDirectory, mode: 0o700)
        let path = "\(imagesDirectory)/pull.lock"
        let fd = try FileDescriptor.open(path, O_RDWR | O_CREAT, mode: 0o600)
        defer { try? fd.close() }
        try sys("flock", path) { flock(fd.raw, LOCK_SH) }
        return try await body()
    }

    /// Names a pulled image (its blobs and snapshots in place): one record for `name`.
    func recordPulled(name: ImageReference, manifest: ContentDigest, config: ContentDigest, size: Int64,
                      index: ContentDigest?) throws -> ImageRecord {
        try withLock {
            try writeRecords(names: [name], manifest: manifest, config: config, size: size, index: index)[0]
        }
    }

    /// The record `reference` names exactly (full name, or a digest it was pulled by),
    /// with every blob it needs present; nil otherwise.
    func completeRecord(_ reference: ImageReference) -> ImageRecord? {
        guard let records = try? list() else { return nil }
        let hit = records.first { record in
            if let digest = reference.digest {
                return record.manifestDigest == digest.description || record.indexDigest == digest.description
            }
            return record.name == reference.description
        }
        guard let hit, let digest = try? ContentDigest(parsing: hit.manifestDigest),
              let bytes = try? content.read(digest),
              let manifest = try? JSON.decode(OCIManifest.self, bytes, what: "manifest"),
              ([manifest.config] + manifest.layers).allSatisfy({ content.contains($0.digest) }) else { return nil }
        return hit
    }

    // MARK: - Lock

    /// Runs `body` holding `<root>/images/lock` (flock). Not reentrant.
    private func withLock<T>(wait: Bool = true, _ body: () throws -> T) throws -> T {
        try Files.createDirectory(imagesDirectory, mode: 0o700)
        let path = "\(imagesDirectory)/lock"
        let fd = try FileDescriptor.open(path, O_RDWR | O_CREAT, mode: 0o600)
        try sys("flock", path) { flock(fd.raw, wait ? LOCK_EX : LOCK_EX | LOCK_NB) }
        defer { try? fd.close() }
        return try body()
    }
}
