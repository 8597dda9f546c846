import CLinux
import Glibc

/// Network namespaces kept alive by a bind mount of their nsfs file, as `ip netns add`
/// does: no process has to stay inside a pod's namespace for it to live.
///
/// Namespace changes happen on dedicated, short-lived threads only. A thread that
/// unshare()s or setns()es never runs anything else, so the caller's threads (and
/// Swift's cooperative pool) never change namespace.
public enum NetworkNamespace {
    /// Creates a new network namespace, bound onto `path` (an empty file is created there;
    /// it must not exist yet), with `lo` up inside it.
    public static func create(at path: String) throws {
        try PersistentNamespaces.bind([.net: path])
    }

    /// Removes the namespace bound at `path`: the mount is detached and the file
    /// unlinked. The namespace itself ends when nothing else holds it. Absence is fine.
    public static func remove(at path: String) throws {
        try PersistentNamespaces.unbind(path)
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
}
