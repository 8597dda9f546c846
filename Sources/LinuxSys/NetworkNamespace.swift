import CLinux
import Glibc

/// Network namespaces kept alive by a bind mount of their nsfs file, as `ip netns add`
/// does: no process has to stay inside a pod's namespace for it to live.
///
/// Namespace changes happen on dedicated, short-lived threads only. A thread that
/// unshare()s or setns()es never runs anything else, so the caller's threads (and
/// Swift's cooperative pool) never change namespace.
public enum NetworkNamespace {
    /// Creates a new network namespace, bind-mounted onto `path` (an empty file is
    /// created there; it must not exist yet), with `lo` up inside it.
    public static func create(at path: String) throws {
        try onDedicatedThread {
            try sys("unshare", "CLONE_NEWNET for \(path)") { swl_unshare(CLONE_NEWNET) }
            let fd = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_EXCL, mode: 0o444)
            try fd.close()
            do {
                // thread-self: the process's own ns/net is the namespace of its main thread.
                try sys("mount --bind /proc/thread-self/ns/net", path) {
                    mount("/proc/thread-self/ns/net", path, "none", UInt(MS_BIND), nil)
                }
            } catch {
                _ = unlink(path)
                throw error
            }
            do {
                try setLinkUp("lo")
            } catch {
                try? remove(at: path)
                throw error
            }
        }
    }

    /// Removes the namespace bound at `path`: the mount is detached and the file
    /// unlinked. The namespace itself ends when nothing else holds it. Absence is fine.
    public static func remove(at path: String) throws {
        // Unmounts until EINVAL (nothing, or nothing more, mounted there: a stacked
        // second bind goes too) or ENOENT (no file at all).
        var detached = false
        while !detached {
            if umount2(path, Int32(MNT_DETACH)) == 0 { continue }
            let error = swl_errno()
            switch error {
            case EINTR: continue
            case EINVAL, ENOENT: detached = true
            default: throw SystemError("umount", path, errno: error)
            }
        }
        try sys("unlink", path, tolerating: ENOENT) { unlink(path) }
    }

    /// Runs `body` on a dedicated thread inside the namespace bound at `path` and
    /// returns its result. Sockets opened in `body` stay in that namespace after it
    /// returns (a socket belongs to the namespace it was created in).
    public static func run<T>(in path: String, _ body: () throws -> T) throws -> T {
        try onDedicatedThread {
            let ns = try FileDescriptor.open(path, O_RDONLY)
            try sys("setns", path) { swl_setns(ns.raw, CLONE_NEWNET) }
            return try body()
        }
    }

    /// Sets a link up with SIOCSIFFLAGS, in the calling thread's namespace. (Netlink
    /// lives above LinuxSys; the loopback device needs nothing more than this.)
    private static func setLinkUp(_ name: String) throws {
        let raw = try sys("socket", "AF_INET") { socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        let sock = FileDescriptor(raw: raw, name: "socket")
        var request = ifreq()
        withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { buffer in
            buffer.copyBytes(from: name.utf8.prefix(buffer.count - 1))
        }
        try sys("ioctl SIOCGIFFLAGS", name) { swl_ioctl_ptr(sock.raw, UInt(SIOCGIFFLAGS), &request) }
        request.ifr_ifru.ifru_flags |= Int16(IFF_UP)
        try sys("ioctl SIOCSIFFLAGS", name) { swl_ioctl_ptr(sock.raw, UInt(SIOCSIFFLAGS), &request) }
    }
}

/// Runs `body` on a new pthread and waits for it: for work that changes the thread's
/// namespaces, so that no thread that outlives the call is ever changed.
func onDedicatedThread<T>(_ body: () throws -> T) throws -> T {
    try withoutActuallyEscaping(body) { body in
        var result: Result<T, any Error>?
        let job = ThreadJob { result = Result { try body() } }
        let context = Unmanaged.passRetained(job).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { arg in
            Unmanaged<ThreadJob>.fromOpaque(arg!).takeRetainedValue().run()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<ThreadJob>.fromOpaque(context).release()
            throw SystemError("pthread_create", errno: rc)
        }
        pthread_join(thread, nil)
        return try result!.get()
    }
}

// The caller blocks in pthread_join while the job runs, so nothing is shared concurrently.
private final class ThreadJob: @unchecked Sendable {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}
