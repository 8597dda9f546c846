import CLinux
import Glibc

/// Namespaces that live without a process in them: each is bind-mounted onto a file, as
/// `ip netns add` does, so a pod's net, ipc and uts namespaces outlive its containers
/// (and the kubelet) with no pause process. Containers join them by path.
public enum PersistentNamespaces {
    public enum Kind: String, Sendable, CaseIterable {
        case net, ipc, uts

        var flag: Int32 {
            switch self {
            case .net: Int32(CLONE_NEWNET)
            case .ipc: Int32(CLONE_NEWIPC)
            case .uts: Int32(CLONE_NEWUTS)
            }
        }
    }

    /// Creates new namespaces of `kinds`, bound onto `<directory>/<kind>`, with loopback up
    /// in a new net namespace and `hostname` set in a new uts one. On failure the
    /// namespaces made so far are removed.
    public static func create(_ kinds: [Kind], in directory: String, hostname: String? = nil) throws {
        try Files.createDirectory(directory, mode: 0o700)
        var paths: [Kind: String] = [:]
        for kind in kinds { paths[kind] = "\(directory)/\(kind.rawValue)" }
        try bind(paths, hostname: hostname)
    }

    /// Creates new namespaces, each bound onto its path (an empty file is created there;
    /// it must not exist yet). The work happens on a thread of its own (unshare changes
    /// only the calling thread's namespaces), which ends afterwards: no thread of the
    /// caller ever changes namespace. On failure nothing is left bound.
    public static func bind(_ paths: [Kind: String], hostname: String? = nil) throws {
        do {
            try onDedicatedThread {
                var flags: Int32 = 0
                for kind in paths.keys { flags |= kind.flag }
                try sys("unshare", paths.values.sorted().joined(separator: " ")) { swl_unshare(flags) }
                if paths[.uts] != nil, let hostname {
                    try sys("sethostname", hostname) { sethostname(hostname, hostname.utf8.count) }
                }
                if paths[.net] != nil { try loopbackUp() }
                for (kind, target) in paths.sorted(by: { $0.value < $1.value }) {
                    let fd = try sys("create", target) { open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444) }
                    close(fd)
                    let source = "/proc/thread-self/ns/\(kind.rawValue)"
                    try sys("bind mount \(source) on", target) { mount(source, target, nil, UInt(MS_BIND), nil) }
                }
            }
        } catch {
            for path in paths.values { try? unbind(path) }
            throw error
        }
    }

    /// Unmounts and deletes whatever of `<directory>/{net,ipc,uts}` exists; the
    /// namespaces end when their last user (container) does. Never fails on absence.
    public static func remove(in directory: String) {
        for kind in Kind.allCases { try? unbind("\(directory)/\(kind.rawValue)") }
    }

    /// Binds an existing namespace (`/proc/PID/ns/KIND`) onto `target`, created empty;
    /// a pid namespace, which needs a live pid 1, is kept this way.
    public static func bind(existing source: String, to target: String) throws {
        let fd = try sys("create", target) { open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444) }
        close(fd)
        do {
            try sys("bind mount \(source) on", target) { mount(source, target, nil, UInt(MS_BIND), nil) }
        } catch {
            try? unbind(target)
            throw error
        }
    }

    /// Detaches the namespace bound at `path` (a stacked second bind too) and unlinks
    /// the file. Absence is fine.
    public static func unbind(_ path: String) throws {
        guard Files.exists(path) else { return }
        while try sys("umount", path, tolerating: EINVAL, { umount2(path, Int32(MNT_DETACH)) }) != nil {}
        try sys("unlink", path, tolerating: ENOENT) { unlink(path) }
    }

    /// Whether `path` is a bound namespace (nsfs), not a leftover empty file.
    public static func isBound(_ path: String) -> Bool {
        swl_fs_type(path) == NSFS_MAGIC
    }

    /// Sets IFF_UP on `lo` of the calling thread's net namespace.
    static func loopbackUp() throws {
        let fd = try sys("socket", "AF_INET") { socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        defer { close(fd) }
        var request = ifreq()
        withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { name in
            for (i, byte) in "lo".utf8.enumerated() { name[i] = byte }
        }
        try sys("ioctl SIOCGIFFLAGS", "lo") { swl_ioctl_ptr(fd, UInt(SIOCGIFFLAGS), &request) }
        request.ifr_ifru.ifru_flags |= Int16(IFF_UP)
        try sys("ioctl SIOCSIFFLAGS", "lo") { swl_ioctl_ptr(fd, UInt(SIOCSIFFLAGS), &request) }
    }
}

private let NSFS_MAGIC = 0x6e73_6673

/// Runs `body` on a new thread and waits for it: for work that changes the calling
/// thread's kernel state (namespaces) and must not leak into the caller's threads.
public func onDedicatedThread<T>(_ body: () throws -> T) throws -> T {
    try withoutActuallyEscaping(body) { body in
        var result: Result<T, any Error>?
        let work = ThreadWork { result = Result { try body() } }
        let context = Unmanaged.passRetained(work).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            Unmanaged<ThreadWork>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<ThreadWork>.fromOpaque(context).release()
            throw SystemError("pthread_create", nil, errno: rc)
        }
        pthread_join(thread, nil)
        return try result!.get()
    }
}

private final class ThreadWork {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}
