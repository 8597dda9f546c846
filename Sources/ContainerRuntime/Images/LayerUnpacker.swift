import CLinux
import Glibc
import LinuxSys

public struct UnpackOptions: Sendable {
    /// Create character/block devices and fifos from the layer; otherwise they are skipped
    /// (and counted in the result and logged once per layer).
    public var allowDeviceNodes: Bool
    public var log: @Sendable (String) -> Void

    public init(allowDeviceNodes: Bool = false, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.allowDeviceNodes = allowDeviceNodes
        self.log = log
    }
}

public struct UnpackResult: Sendable, Equatable {
    /// SHA-256 of the uncompressed tar stream: the layer's diff ID.
    public var diffID: ContentDigest
    /// Archive entries applied.
    public var entries: Int
    /// Device nodes and fifos not created (allowDeviceNodes off).
    public var skippedDeviceNodes: [String]
}

/// Unpacks one layer tar (gzip-compressed or not) into an empty directory, as an
/// overlayfs lower layer: `.wh.NAME` becomes a whiteout (character device 0:0) and
/// `.wh..wh..opq` the `trusted.overlay.opaque=y` xattr on its directory.
///
/// Every write is confined to the directory. Paths are cleaned lexically (a leading `/`
/// is dropped, `..` that would leave the root is refused) and every directory on the way
/// is opened relative to the root with `openat2(RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS)`, or
/// one `openat(O_NOFOLLOW)` per component when it has to be created, so an entry can never
/// be written through a symlink, whatever earlier entries made.
public enum LayerUnpacker {
    public static func unpack(file: String, into directory: String, options: UnpackOptions = UnpackOptions()) throws -> UnpackResult {
        try unpack(FileSource(path: file), into: directory, what: file, options: options)
    }

    /// `source` is the layer blob as stored (compressed or not); `what` names it in errors.
    public static func unpack(_ source: ByteSource, into directory: String, what: String = "layer",
                              options: UnpackOptions = UnpackOptions()) throws -> UnpackResult {
        try ImageError.context(what) {
            let hashing = HashingSource(try Compression.decompressing(source, what: what))
            let reader = TarReader(hashing, what: what)
            let tree = try ConfinedTree(root: directory, options: options)
            var entries = 0
            while let header = try reader.next() {
                try tree.apply(header, data: reader)
                entries += 1
            }
            try reader.drainToEnd()
            try tree.finish()
            if let first = tree.skippedDevices.first {
                options.log("\(what): skipped \(tree.skippedDevices.count) device node(s)/fifo(s) such as \(first) (device nodes are not allowed in images)")
            }
            return UnpackResult(diffID: hashing.digest, entries: entries, skippedDeviceNodes: tree.skippedDevices)
        }
    }

    /// The components of an archive path inside the root: `./a//b/` → [a, b], `/etc/x` →
    /// [etc, x], `a/../b` → [b]; `../x` and `a/../../x` are refused.
    public static func clean(_ path: String) throws -> [String] {
        var out: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !out.isEmpty else {
                    throw ImageError(.unsafePath, "entry \"\(path)\": path leads outside the root")
                }
                out.removeLast()
                continue
            }
            if part.utf8.contains(0) { throw ImageError(.invalidImage, "entry \"\(path)\": NUL in path") }
            out.append(String(part))
        }
        return out
    }
}

/// A directory tree written only through descriptors relative to its root.
final class ConfinedTree {
    private let root: FileDescriptor
    private let rootPath: String
    private let options: UnpackOptions
    private let privileged = geteuid() == 0
    private var cached: (path: [String], fd: FileDescriptor)?
    private var directories: [(path: [String], mode: UInt32, mtime: timespec)] = []
    private(set) var skippedDevices: [String] = []
    private let buffer: UnsafeMutableRawBufferPointer
    private static let resolveFlags = UInt64(RESOLVE_BENEATH) | UInt64(RESOLVE_NO_SYMLINKS) | UInt64(RESOLVE_NO_MAGICLINKS)

    init(root: String, options: UnpackOptions) throws {
        self.root = try FileDescriptor.open(root, O_RDONLY | O_DIRECTORY)
        self.rootPath = root
        self.options = options
        buffer = .allocate(byteCount: 1 << 18, alignment: 16)
    }

    deinit { buffer.deallocate() }

    private func unsafe(_ entry: String, _ why: String) -> ImageError {
        ImageError(.unsafePath, "entry \"\(entry)\": \(why)")
    }

    private func display(_ components: some Collection<String>) -> String { components.joined(separator: "/") }

    // MARK: Directories

    /// The directory at `components` (relative to the root), creating missing ones (0755)
    /// when `create`. Never follows a symlink.
    private func directory(_ components: ArraySlice<String>, create: Bool, entry: String) throws -> FileDescriptor {
        if components.isEmpty { return root }
        if let cached, cached.path.elementsEqual(components) { return cached.fd }
        let joined = display(components)
        let fd: FileDescriptor
        do {
            fd = try root.open(joined, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, resolve: ConfinedTree.resolveFlags)
        } catch let error as SystemError where error.errno == ENOENT && create {
            fd = try walkCreating(components, entry: entry)
        } catch let error as SystemError {
            throw describe(error, components, entry: entry)
        }
        cached = (Array(components), fd)
        return fd
    }

    private func describe(_ error: SystemError, _ components: ArraySlice<String>, entry: String) -> Error {
        switch error.errno {
        case ELOOP, ENOTDIR:
            // (O_NOFOLLOW|O_DIRECTORY on a symlink gives either.) Find the culprit.
            var parent = root
            var seen: [String] = []
            for component in components {
                seen.append(component)
                let path = "\(rootPath)/\(display(seen))"
                guard let st = try? ConfinedTree.lstatAt(parent.raw, component, path: path) else { break }
                if (st.st_mode & S_IFMT) == S_IFLNK {
                    return unsafe(entry, "a directory on its path (\(display(seen))) is a symlink")
                }
                if (st.st_mode & S_IFMT) != S_IFDIR {
                    return ImageError(.invalidImage, "entry \"\(entry)\": \(display(seen)) is not a directory")
                }
                let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
                guard let raw = try? sys("openat", path, { swl_openat(parent.raw, component, flags, 0) }) else { break }
                parent = FileDescriptor(raw: raw, name: path)
            }
            return unsafe(entry, "a directory on its path (\(display(components))) is a symlink or not a directory")
        case EXDEV: return unsafe(entry, "path leads outside the root")
        case ENOENT: return ImageError(.invalidImage, "entry \"\(entry)\": \(display(components)) does not exist")
        default: return error
        }
    }

    private func walkCreating(_ components: ArraySlice<String>, entry: String) throws -> FileDescriptor {
        var current = root
        var done: [String] = []
        for component in components {
            done.append(component)
            let path = "\(rootPath)/\(display(done))"
            let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
            let parent = current.raw
            let raw: Int32
            do {
                raw = try ConfinedTree.openCreatingDirectory(parent, component, flags, path: path)
            } catch {
                throw describe(error, done[...], entry: entry)
            }
            current = FileDescriptor(raw: raw, name: path)
        }
        return current
    }

    /// Forgets the cached directory if `components` is it or one of its ancestors (the
    /// entry may replace it).
    private func invalidate(_ components: [String]) {
        if let cached, cached.path.count >= components.count, cached.path.starts(with: components) {
            self.cached = nil
        }
    }

    // MARK: Entries

    func apply(_ header: TarHeader, data: TarReader) throws {
        let components = try LayerUnpacker.clean(header.path)
        guard let name = components.last else {
            // `./`: the root directory's own metadata.
            if header.type == .directory {
                try setOwner(root, header, path: rootPath)
                directories.append(([], header.mode, time(header)))
            }
            return
        }
        let parentComponents = components.dropLast()
        let entryPath = display(components)

        if name.hasPrefix(".wh.") {
            let parent = try directory(parentComponents, create: true, entry: header.path)
            if name == ".wh..wh..opq" {
                let path = "\(rootPath)/\(display(parentComponents))"
                try sys("fsetxattr trusted.overlay.opaque", path) {
                    swl_fsetxattr(parent.raw, "trusted.overlay.opaque", "y", 1, 0)
                }
                return
            }
            if name.hasPrefix(".wh..wh.") { return } // aufs bookkeeping (.wh..wh.plnk …)
            let target = String(name.dropFirst(4))
            guard !target.isEmpty, target != ".", target != ".." else {
                throw ImageError(.invalidImage, "entry \"\(header.path)\": whiteout of nothing")
            }
            invalidate(Array(parentComponents) + [target])
            try removeEntry(parent, target, path: entryPath)
            let path = "\(rootPath)/\(display(parentComponents + [target]))"
            try sys("mknod whiteout", path) { mknodat(parent.raw, target, S_IFCHR, swl_makedev(0, 0)) }
            return
        }

        invalidate(components)
        let parent = try directory(parentComponents, create: true, entry: header.path)
        let path = "\(rootPath)/\(entryPath)"
        switch header.type {
        case .directory:
            if let st = try ConfinedTree.lstatAt(parent.raw, name, path: path), (st.st_mode & S_IFMT) != S_IFDIR {
                try removeEntry(parent, name, path: path)
            }
            try ConfinedTree.makeDirectory(parent.raw, name, 0o700, path: path)
            let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
            let dir = FileDescriptor(raw: try sys("openat", path) { swl_openat(parent.raw, name, flags, 0) }, name: path)
            try setOwner(dir, header, path: path)
            try setXattrs(dir, header, path: path)
            directories.append((components, header.mode, time(header)))

        case .regular:
            try writeFile(parent, name, header, data: data, path: path)

        case .symlink:
            try removeEntry(parent, name, path: path)
            try sys("symlinkat", path) { symlinkat(header.linkName, parent.raw, name) }
            if privileged {
                try sys("lchown", path) {
                    fchownat(parent.raw, name, uid_t(truncatingIfNeeded: header.uid), gid_t(truncatingIfNeeded: header.gid), AT_SYMLINK_NOFOLLOW)
                }
            }
            try ConfinedTree.setTimes(parent.raw, name, time(header), path: path)

        case .hardLink:
            guard let target = try? LayerUnpacker.clean(header.linkName) else {
                throw unsafe(header.path, "hard link target \"\(header.linkName)\" leads outside the root")
            }
            guard let targetName = target.last else {
                throw ImageError(.invalidImage, "entry \"\(header.path)\": hard link to the root")
            }
            if target == components { return }
            let targetParent = try directory(target.dropLast(), create: false, entry: header.path)
            let targetPath = "\(rootPath)/\(display(target))"
            guard let st = try ConfinedTree.lstatAt(targetParent.raw, targetName, path: targetPath) else {
                throw ImageError(.invalidImage, "entry \"\(header.path)\": hard link to \"\(header.linkName)\", which is not in the layer")
            }
            guard (st.st_mode & S_IFMT) != S_IFDIR else {
                throw ImageError(.invalidImage, "entry \"\(header.path)\": hard link to a directory")
            }
            try removeEntry(parent, name, path: path)
            // linkat without AT_SYMLINK_FOLLOW links a symlink itself, never what it points to.
            try sys("linkat", path) { linkat(targetParent.raw, targetName, parent.raw, name, 0) }

        case .characterDevice, .blockDevice, .fifo:
            guard options.allowDeviceNodes else {
                skippedDevices.append(entryPath)
                return
            }
            let kind: mode_t = header.type == .fifo ? S_IFIFO : header.type == .blockDevice ? S_IFBLK : S_IFCHR
            try removeEntry(parent, name, path: path)
            try sys("mknodat", path) {
                mknodat(parent.raw, name, kind | mode_t(header.mode & 0o7777), swl_makedev(header.devMajor, header.devMinor))
            }
            if privileged {
                try sys("lchown", path) {
                    fchownat(parent.raw, name, uid_t(truncatingIfNeeded: header.uid), gid_t(truncatingIfNeeded: header.gid), AT_SYMLINK_NOFOLLOW)
                }
            }
            try sys("fchmodat", path) { fchmodat(parent.raw, name, mode_t(header.mode & 0o7777), 0) }
            try ConfinedTree.setTimes(parent.raw, name, time(header), path: path)

        case .other(let flag):
            if flag == 0x53 { // 'S'
                throw ImageError(.unsupported, "entry \"\(header.path)\": GNU sparse files are not supported")
            }
            options.log("entry \"\(header.path)\": tar type '\(String(UnicodeScalar(flag)))' ignored")
        }
    }

    private func writeFile(_ parent: FileDescriptor, _ name: String, _ header: TarHeader, data: TarReader, path: String) throws {
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        let raw = try openExclusive(parent, name, flags, path: path)
        let file = FileDescriptor(raw: raw, name: path)
        while true {
            let n = try data.read(into: buffer)
            if n == 0 { break }
            try writeFully(raw, UnsafeRawBufferPointer(rebasing: buffer[0..<n]), name: path)
        }
        try setOwner(file, header, path: path)
        try sys("fchmod", path) { fchmod(raw, mode_t(header.mode & 0o7777)) }
        try setXattrs(file, header, path: path)
        try ConfinedTree.setTimes(raw, nil, time(header), path: path)
        try file.close()
    }

    /// lstat of `name` in the directory `dirfd`; nil when there is nothing.
    static func lstatAt(_ dirfd: Int32, _ name: String, path: String) throws(SystemError) -> stat? {
        let st = UnsafeMutablePointer<stat>.allocate(capacity: 1)
        defer { st.deallocate() }
        do {
            try sys("lstat", path) { fstatat(dirfd, name, st, AT_SYMLINK_NOFOLLOW) }
        } catch where error.errno == ENOENT {
            return nil
        }
        return st.pointee
    }

    /// Sets atime and mtime of `name` in `dirfd` (not following a symlink), or of the
    /// open file `dirfd` itself when `name` is nil.
    static func setTimes(_ dirfd: Int32, _ name: String?, _ time: timespec, path: String) throws(SystemError) {
        let times = [time, time]
        if let name {
            try sys("utimensat", path) {
                times.withUnsafeBufferPointer { utimensat(dirfd, name, $0.baseAddress, AT_SYMLINK_NOFOLLOW) }
            }
        } else {
            try sys("futimens", path) { times.withUnsafeBufferPointer { futimens(dirfd, $0.baseAddress) } }
        }
    }

    /// Opens `name` in `parent` (flags include O_DIRECTORY), making it first if missing.
    private static func openCreatingDirectory(_ parent: Int32, _ name: String, _ flags: Int32,
                                              path: String) throws(SystemError) -> Int32 {
        do {
            return try sys("openat", path) { swl_openat(parent, name, flags, 0) }
        } catch where error.errno == ENOENT {
            var made = true
            do {
                try sys("mkdirat", path) { mkdirat(parent, name, 0o755) }
            } catch where error.errno == EEXIST {
                made = false
            }
            let fd = try sys("openat", path) { swl_openat(parent, name, flags, 0) }
            // 0755 whatever the umask: a missing parent must not lock out the container's users.
            if made { try sys("fchmod", path) { fchmod(fd, 0o755) } }
            return fd
        }
    }

    /// Creates `name` in `parent` (O_EXCL), replacing whatever was there.
    // (Helpers with typed throws: a `do` over typed-throwing calls whose `catch where`
    // leaves other errors to an untyped function crashes the Swift 6.3 compiler.)
    private func openExclusive(_ parent: FileDescriptor, _ name: String, _ flags: Int32, path: String) throws -> Int32 {
        if let raw = try ConfinedTree.createExclusive(parent.raw, name, flags, path: path) { return raw }
        try removeEntry(parent, name, path: path)
        return try sys("openat", path) { swl_openat(parent.raw, name, flags, 0o600) }
    }

    /// openat with O_CREAT|O_EXCL in `flags`; nil if something is there already.
    private static func createExclusive(_ dirfd: Int32, _ name: String, _ flags: Int32,
                                        path: String) throws(SystemError) -> Int32? {
        do {
            return try sys("openat", path) { swl_openat(dirfd, name, flags, 0o600) }
        } catch where error.errno == EEXIST {
            return nil
        }
    }

    /// mkdirat; an existing entry is fine (the caller checks what it is).
    private static func makeDirectory(_ dirfd: Int32, _ name: String, _ mode: mode_t, path: String) throws(SystemError) {
        do {
            try sys("mkdirat", path) { mkdirat(dirfd, name, mode) }
        } catch where error.errno == EEXIST {}
    }

    private func setOwner(_ fd: FileDescriptor, _ header: TarHeader, path: String) throws {
        guard privileged else { return }
        try sys("fchown", path) { fchown(fd.raw, uid_t(truncatingIfNeeded: header.uid), gid_t(truncatingIfNeeded: header.gid)) }
    }

    /// pax SCHILY.xattr records: user.* and security.capability are kept; others (trusted.*,
    /// notably overlayfs's own) would let a layer forge overlay metadata, so they are not.
    private func setXattrs(_ fd: FileDescriptor, _ header: TarHeader, path: String) throws {
        for (key, value) in header.xattrs.sorted(by: { $0.key < $1.key }) {
            guard key.hasPrefix("user.") || key == "security.capability" else {
                options.log("entry \"\(header.path)\": xattr \(key) not applied")
                continue
            }
            do {
                _ = try value.withUnsafeBytes { bytes in
                    try sys("fsetxattr \(key)", path) { swl_fsetxattr(fd.raw, key, bytes.baseAddress, bytes.count, 0) }
                }
            } catch {
                options.log("entry \"\(header.path)\": \(error)")
            }
        }
    }

    private func time(_ header: TarHeader) -> timespec {
        timespec(tv_sec: Int(header.mtime), tv_nsec: header.mtimeNanoseconds)
    }

    /// Removes `name` in `parent` (a whole tree if it is a directory), without following
    /// symlinks. Nothing there is fine.
    private func removeEntry(_ parent: FileDescriptor, _ name: String, path: String) throws {
        guard let st = try ConfinedTree.lstatAt(parent.raw, name, path: path) else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
            let dir = FileDescriptor(raw: try sys("openat", path) { swl_openat(parent.raw, name, flags, 0) }, name: path)
            for child in try ConfinedTree.list(dir) {
                try removeEntry(dir, child, path: "\(path)/\(child)")
            }
            try sys("unlinkat", path) { unlinkat(parent.raw, name, AT_REMOVEDIR) }
        } else {
            try sys("unlinkat", path) { unlinkat(parent.raw, name, 0) }
        }
    }

    static func list(_ dir: FileDescriptor) throws -> [String] {
        let copy = try sys("dup", dir.name) { dup(dir.raw) }
        guard let stream = fdopendir(copy) else {
            let e = swl_errno()
            Glibc.close(copy)
            throw SystemError("fdopendir", dir.name, errno: e)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Applies directory modes and times (last, as creating entries changes a directory's
    /// mtime) and flushes the file system.
    func finish() throws {
        cached = nil
        for (components, mode, mtime) in directories {
            let fd: FileDescriptor
            if components.isEmpty {
                fd = root
            } else {
                do {
                    fd = try root.open(display(components), O_RDONLY | O_DIRECTORY | O_NOFOLLOW, resolve: ConfinedTree.resolveFlags)
                } catch let error as SystemError where [ENOENT, ELOOP, ENOTDIR].contains(error.errno) {
                    continue // replaced by a later entry
                }
            }
            let path = "\(rootPath)/\(display(components))"
            try sys("fchmod", path) { fchmod(fd.raw, mode_t(mode & 0o7777)) }
            try ConfinedTree.setTimes(fd.raw, nil, mtime, path: path)
        }
        try sys("syncfs", rootPath) { swl_syncfs(root.raw) }
    }
}
