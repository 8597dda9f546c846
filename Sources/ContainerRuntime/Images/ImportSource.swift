import CLinux
import Glibc
import LinuxSys

/// Where an import reads from: an OCI layout (or extracted `docker save`) directory, or a
/// tar archive of either (read once, gzip-compressed or not).
protocol ImportSource: AnyObject {
    /// A small file's contents; nil when there is no such file.
    func file(_ path: String) throws -> [UInt8]?
    /// The digest and size of a file; nil when there is no such file.
    func info(_ path: String) throws -> (digest: ContentDigest, size: Int64)?
    /// The first bytes of a file (to sniff compression).
    func head(_ path: String) throws -> [UInt8]
    /// Puts a file into the content store, checked against `digest` and `size`.
    func ingest(_ path: String, digest: ContentDigest, size: Int64, into store: ContentStore, what: String) throws
    /// Removes anything staged and not ingested.
    func cleanup()
}

/// Archive-relative paths: `./a//b` → `a/b`; nil for paths that leave the archive.
func cleanArchivePath(_ path: String) -> String? {
    guard let components = try? LayerUnpacker.clean(path) else { return nil }
    return components.joined(separator: "/")
}

/// A directory: the OCI image layout, or what `docker save` writes, extracted.
final class DirectorySource: ImportSource {
    let root: FileDescriptor
    let path: String
    private static let resolve = UInt64(RESOLVE_BENEATH)

    init(_ path: String) throws {
        self.path = path
        root = try FileDescriptor.open(path, O_RDONLY | O_DIRECTORY)
    }

    /// Opens a file beneath the directory (symlinks inside it are followed, never out of it).
    private func open(_ relative: String) throws -> FileDescriptor? {
        guard let clean = cleanArchivePath(relative), !clean.isEmpty else {
            throw ImageError(.invalidImage, "\"\(relative)\": path leads outside the image directory")
        }
        do {
            return try root.open(clean, O_RDONLY, resolve: DirectorySource.resolve)
        } catch let error as SystemError where error.errno == ENOENT {
            return nil
        } catch let error as SystemError where error.errno == EXDEV {
            throw ImageError(.invalidImage, "\(relative): leads outside the image directory")
        }
    }

    func file(_ relative: String) throws -> [UInt8]? {
        guard let fd = try open(relative) else { return nil }
        return try FileSource(fd).readAll(limit: 16 << 20, what: relative)
    }

    func info(_ relative: String) throws -> (digest: ContentDigest, size: Int64)? {
        guard let fd = try open(relative) else { return nil }
        let hashing = HashingSource(FileSource(fd))
        try hashing.drain()
        return (hashing.digest, hashing.count)
    }

    func head(_ relative: String) throws -> [UInt8] {
        guard let fd = try open(relative) else { throw ImageError(.invalidImage, "\(relative): missing") }
        return try PeekableSource(FileSource(fd)).peek(8)
    }

    func ingest(_ relative: String, digest: ContentDigest, size: Int64, into store: ContentStore, what: String) throws {
        if store.contains(digest) { return }
        guard let fd = try open(relative) else { throw ImageError(.invalidImage, "\(what): \(relative) is missing") }
        try store.ingest(FileSource(fd), expected: digest, size: size, what: what)
    }

    func cleanup() {}
}

/// A tar archive (`docker save` output, an OCI layout as a tarball), read in one pass: each
/// regular file is staged under the content store's ingest directory with its digest, so
/// that the archive may be a gzip stream and members may come in any order.
final class ArchiveSource: ImportSource {
    private let store: ContentStore
    private var staged: [String: StagedBlob] = [:]
    private var links: [String: String] = [:]
    private var ingested: [String: ContentDigest] = [:]

    init(_ path: String, store: ContentStore) throws {
        self.store = store
        let reader = try TarReader.open(path: path)
        do {
            var first = true
            while true {
                let header: TarHeader?
                do {
                    header = try reader.next()
                } catch let error as ImageError where first {
                    throw ImageError(.invalidImage,
                                     "not an OCI image layout, OCI archive or docker save archive (\(error.message))")
                }
                guard let header else { break }
                first = false
                guard let name = cleanArchivePath(header.path), !name.isEmpty else { continue }
                switch header.type {
                case .regular:
                    if let old = staged.removeValue(forKey: name) { unlink(old.path) }
                    links.removeValue(forKey: name)
                    staged[name] = try store.stage(reader.entrySource, what: name)
                case .symlink:
                    let base = header.linkName.hasPrefix("/") ? "" : Files.dirname(name)
                    if let target = cleanArchivePath((base == "." ? "" : base + "/") + header.linkName) {
                        links[name] = target
                    }
                case .hardLink:
                    if let target = cleanArchivePath(header.linkName) { links[name] = target }
                default:
                    continue
                }
            }
        } catch {
            cleanup()
            throw error
        }
    }

    /// Follows symlinks and hard links to a staged member.
    private func resolve(_ path: String) -> String? {
        guard var current = cleanArchivePath(path) else { return nil }
        for _ in 0..<40 {
            if staged[current] != nil || ingested[current] != nil { return current }
            guard let next = links[current] else { return nil }
            current = next
        }
        return nil
    }

    func file(_ path: String) throws -> [UInt8]? {
        guard let member = resolve(path) else { return nil }
        if let digest = ingested[member] { return try store.read(digest) }
        return try FileSource(path: staged[member]!.path).readAll(limit: 16 << 20, what: path)
    }

    func info(_ path: String) throws -> (digest: ContentDigest, size: Int64)? {
        guard let member = resolve(path) else { return nil }
        if let digest = ingested[member] {
            let st = try FileSource(path: store.path(of: digest)).fd.stat()
            return (digest, Int64(st.st_size))
        }
        let blob = staged[member]!
        return (blob.digest, blob.size)
    }

    func head(_ path: String) throws -> [UInt8] {
        guard let member = resolve(path) else { throw ImageError(.invalidImage, "\(path): missing") }
        let file = ingested[member].map { store.path(of: $0) } ?? staged[member]!.path
        return try PeekableSource(FileSource(path: file)).peek(8)
    }

    func ingest(_ path: String, digest: ContentDigest, size: Int64, into store: ContentStore, what: String) throws {
        guard let member = resolve(path) else { throw ImageError(.invalidImage, "\(what): \(path) is missing from the archive") }
        if let done = ingested[member] {
            guard done == digest else {
                throw ImageError(.digestMismatch, "\(what): digest mismatch: content is \(done), expected \(digest)")
            }
            return
        }
        let blob = staged.removeValue(forKey: member)!
        try store.commit(blob, expected: digest, size: size, what: what)
        ingested[member] = digest
    }

    func cleanup() {
        for blob in staged.values { unlink(blob.path) }
        staged.removeAll()
    }

    deinit { cleanup() }
}
