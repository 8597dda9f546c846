import CLinux
import Glibc

/// File-system helpers for Swiftlet's own directories (never a container's rootfs:
/// paths there are resolved through `FileDescriptor.open(_:_:resolve:)`).
public enum Files {
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// Whether a file system is mounted at `path` (it is on another device than its parent).
    public static func isMountPoint(_ path: String) -> Bool {
        var st = stat(), parent = stat()
        return lstat(path, &st) == 0 && lstat(path + "/..", &parent) == 0 && st.st_dev != parent.st_dev
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    public static func read(_ path: String) throws -> [UInt8] {
        try FileDescriptor.open(path, O_RDONLY).readAll()
    }

    public static func readString(_ path: String) throws -> String {
        String(decoding: try read(path), as: UTF8.self)
    }

    /// Writes a file atomically and (unless `durable` is false) durably: a temporary
    /// file in the same directory, fsynced, renamed over the target, and the directory
    /// fsynced. A crash leaves the old content or the new one, never a mix; without
    /// `durable`, a power loss may also leave no file (for state that a reboot voids).
    public static func writeAtomically<C: Collection<UInt8>>(_ path: String, _ bytes: C, mode: mode_t = 0o644,
                                                            durable: Bool = true) throws {
        let tmp = "\(path).tmp.\(getpid())"
        let fd = try FileDescriptor.open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode: mode)
        do {
            try fd.write(bytes)
            if durable { try fd.fsync() }
            try fd.close()
            try sys("rename", tmp) { rename(tmp, path) }
        } catch {
            _ = try? sys("unlink", tmp) { unlink(tmp) }
            throw error
        }
        if durable { try syncDirectory(dirname(path)) }
    }

    public static func writeAtomically(_ path: String, _ string: String, mode: mode_t = 0o644, durable: Bool = true) throws {
        try writeAtomically(path, Array(string.utf8), mode: mode, durable: durable)
    }

    public static func syncDirectory(_ path: String) throws {
        try FileDescriptor.open(path, O_RDONLY | O_DIRECTORY).fsync()
    }

    /// `mkdir -p`.
    public static func createDirectory(_ path: String, mode: mode_t = 0o755) throws {
        if isDirectory(path) { return }
        let parent = dirname(path)
        if parent != path, !parent.isEmpty { try createDirectory(parent, mode: mode) }
        try sys("mkdir", path, tolerating: EEXIST) { mkdir(path, mode) }
    }

    /// `rm -rf`, without following symlinks and without crossing into mounts below
    /// `path` (a leftover mount fails the removal instead of emptying what it shows).
    public static func removeTree(_ path: String) throws {
        var st = stat()
        guard try sys("lstat", path, tolerating: ENOENT, { lstat(path, &st) }) != nil else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            for name in try list(path) { try removeTree("\(path)/\(name)") }
            try sys("rmdir", path) { rmdir(path) }
        } else {
            try sys("unlink", path) { unlink(path) }
        }
    }

    /// The names in a directory, without `.` and `..`, sorted.
    public static func list(_ path: String) throws -> [String] {
        let dir = try sys("opendir", path) { opendir(path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// A symlink's target, or nil when `path` is missing or not a symlink.
    public static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard let n = try? sys("readlink", path, tolerating: ENOENT, { readlink(path, &buffer, buffer.count - 1) }) else {
            return nil
        }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    public static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
