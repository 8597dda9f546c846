import CLinux
import Glibc
import LinuxSys

/// Content-addressed blobs under `<root>/images`: `blobs/sha256/<hex>`.
///
/// A blob is written to a temporary file under `ingest/`, its digest and size checked,
/// fsynced and renamed into place: a file under its final name is always complete and
/// verified. The image store serialises writers with its lock.
public struct ContentStore: Sendable {
    /// `<root>/images`
    public let root: String

    public init(root: String) { self.root = root }

    public var blobsDirectory: String { "\(root)/blobs/sha256" }
    var ingestDirectory: String { "\(root)/ingest" }

    public func path(of digest: ContentDigest) -> String { "\(blobsDirectory)/\(digest.hex)" }

    public func contains(_ digest: ContentDigest) -> Bool { Files.exists(path(of: digest)) }

    /// Reads a (small) blob whole, checking it against its digest.
    public func read(_ digest: ContentDigest, limit: Int = 16 << 20) throws -> [UInt8] {
        let bytes = try ImageError.context("blob \(digest)") {
            try FileSource(path: path(of: digest)).readAll(limit: limit, what: "blob")
        }
        let actual = ContentDigest.of(bytes)
        guard actual == digest else {
            throw ImageError(.digestMismatch, "blob \(digest): corrupt in the content store (content is \(actual))")
        }
        return bytes
    }

    /// Opens a blob for streaming.
    public func open(_ digest: ContentDigest) throws -> FileSource {
        try ImageError.context("blob \(digest)") { try FileSource(path: path(of: digest)) }
    }

    /// The digests of every stored blob.
    public func list() throws -> [ContentDigest] {
        guard Files.isDirectory(blobsDirectory) else { return [] }
        return try Files.list(blobsDirectory).compactMap { ContentDigest(hex: $0) }
    }

    public func delete(_ digest: ContentDigest) throws {
        let p = path(of: digest)
        try sys("unlink", p, tolerating: ENOENT) { unlink(p) }
    }

    /// Stores `source`, verified against `expected` digest and `size` when given.
    @discardableResult
    public func ingest(_ source: ByteSource, expected: ContentDigest?, size: Int64?, what: String) throws -> ContentDigest {
        try commit(try stage(source, what: what), expected: expected, size: size, what: what)
    }

    /// Stores bytes (a manifest Swiftlet generated, say).
    @discardableResult
    public func write(_ bytes: [UInt8]) throws -> ContentDigest {
        try ingest(MemorySource(bytes), expected: nil, size: Int64(bytes.count), what: "blob")
    }

    // MARK: Staging

    /// Streams `source` into a temporary file under `ingest/`, hashing it on the way.
    func stage(_ source: ByteSource, what: String) throws -> StagedBlob {
        let writer = try BlobWriter(self, what: what)
        do {
            try source.copy(to: writer.sink)
            return try writer.finish()
        } catch {
            writer.discard()
            throw ImageError.wrap(error, what)
        }
    }

    /// Moves a staged file into `blobs/` after checking it; the staged file is gone
    /// afterwards either way.
    @discardableResult
    func commit(_ staged: StagedBlob, expected: ContentDigest?, size: Int64?, what: String) throws -> ContentDigest {
        do {
            try install(staged, expected: expected, size: size, what: what, fd: try FileDescriptor.open(staged.path, O_RDONLY))
            return staged.digest
        } catch {
            unlink(staged.path)
            throw ImageError.wrap(error, what)
        }
    }

    /// Checks size and digest, then fsyncs `fd` (the staged file) and renames the file
    /// into `blobs/` (or drops it when the blob is there already).
    fileprivate func install(_ staged: StagedBlob, expected: ContentDigest?, size: Int64?, what: String,
                             fd: FileDescriptor) throws {
        if let size, size != staged.size {
            throw ImageError(.digestMismatch, "\(what): size mismatch: content is \(staged.size) bytes, expected \(size)")
        }
        if let expected, expected != staged.digest {
            throw ImageError(.digestMismatch, "\(what): digest mismatch: content is \(staged.digest), expected \(expected)")
        }
        let final = path(of: staged.digest)
        if Files.exists(final) {
            unlink(staged.path)
            return
        }
        try Files.createDirectory(blobsDirectory)
        try fd.fsync()
        try sys("rename", staged.path) { rename(staged.path, final) }
        try Files.syncDirectory(blobsDirectory)
    }

    static func randomName() -> String {
        String(UInt64.random(in: 0...UInt64.max), radix: 16) + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }
}

/// A blob being written under `ingest/` (a download, an import), hashed as it goes.
/// `finish` then `ContentStore.commit` make it a blob; `discard` removes it. Nothing
/// under `ingest/` is ever read as content.
public final class BlobWriter: @unchecked Sendable {
    let store: ContentStore
    let path: String
    private let fd: FileDescriptor
    private(set) var sink: HashingSink
    let what: String

    init(_ store: ContentStore, what: String) throws {
        self.store = store
        self.what = what
        try Files.createDirectory(store.ingestDirectory)
        path = "\(store.ingestDirectory)/\(ContentStore.randomName()).tmp"
        fd = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
        sink = HashingSink(FileSink(fd))
    }

    private init(_ store: ContentStore, path: String, fd: FileDescriptor, what: String) {
        self.store = store
        self.what = what
        self.path = path
        self.fd = fd
        sink = HashingSink(FileSink(fd))
    }

    /// The download of `digest`: `ingest/<hex>.partial`, flock'ed by the process writing
    /// it, and kept when a pull breaks off so that the next one resumes from `count`
    /// (its bytes are hashed again first). Waits while another process downloads the
    /// same blob; nil when the blob is in the store (then there is nothing to do).
    static func download(_ store: ContentStore, digest: ContentDigest, what: String) async throws -> BlobWriter? {
        try Files.createDirectory(store.ingestDirectory)
        let path = "\(store.ingestDirectory)/\(digest.hex).partial"
        while true {
            if store.contains(digest) { return nil }
            let fd = try FileDescriptor.open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode: 0o644)
            guard try sys("flock", path, tolerating: EWOULDBLOCK, { flock(fd.raw, LOCK_EX | LOCK_NB) }) != nil else {
                try fd.close()
                try await Task.sleep(for: .milliseconds(100))
                continue
            }
            // The lock holder may have just renamed this very file into blobs/.
            if store.contains(digest) {
                try fd.close()
                return nil
            }
            let writer = BlobWriter(store, path: path, fd: fd, what: what)
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = try buffer.withUnsafeMutableBytes { try fd.read(into: $0) }
                if n == 0 { break }
                buffer.withUnsafeBytes { writer.sink.absorb(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            }
            return writer
        }
    }

    /// Bytes written so far (with a resumed download's prefix).
    public var count: Int64 { sink.count }

    public func write(_ buffer: UnsafeRawBufferPointer) throws { try sink.write(buffer) }

    /// Starts over from byte 0 (the registry sent the whole blob, not the rest).
    func restart() throws {
        try sys("ftruncate", path) { ftruncate(fd.raw, 0) }
        try sys("lseek", path) { lseek(fd.raw, 0, SEEK_SET) }
        sink = HashingSink(FileSink(fd))
    }

    func finish() throws -> StagedBlob {
        try fd.close()
        return StagedBlob(path: path, digest: sink.digest, size: sink.count)
    }

    /// Checks size and digest, then fsyncs and renames the file into `blobs/` — still
    /// holding the file (and its lock), so no other writer can touch it on the way.
    public func commit(expected: ContentDigest, size: Int64) throws {
        defer { try? fd.close() }
        do {
            try store.install(StagedBlob(path: path, digest: sink.digest, size: sink.count),
                              expected: expected, size: size, what: what, fd: fd)
        } catch {
            unlink(path)
            throw ImageError.wrap(error, what)
        }
    }

    public func discard() {
        try? fd.close()
        unlink(path)
    }

    /// Lets go of a download that broke off, keeping its bytes for the next attempt.
    func release() { try? fd.close() }
}

/// A blob written under `ingest/`, hashed but not yet committed.
struct StagedBlob: Sendable {
    let path: String
    let digest: ContentDigest
    let size: Int64
}
