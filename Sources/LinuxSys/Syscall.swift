import CLinux
import Glibc

/// A failed system call: the operation, the path (or other object) it acted on, and errno.
/// Every syscall in Swiftlet goes through `sys`, so every error reads like
/// `mount overlay on /run/swiftlet/c1/rootfs: No such file or directory (ENOENT)`.
public struct SystemError: Error, CustomStringConvertible, Equatable, Sendable {
    public let operation: String
    public let path: String?
    public let errno: Int32

    public init(_ operation: String, _ path: String? = nil, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    public var description: String {
        let what = path.map { "\(operation) \($0)" } ?? operation
        return "\(what): \(String(cString: strerror(errno)))"
    }
}

/// Runs a system call, retrying on EINTR; `-1` becomes a `SystemError` naming the
/// operation and path. The one wrapper through which all of Swiftlet's syscalls go.
@discardableResult
@inline(__always)
public func sys<T: BinaryInteger>(_ operation: String, _ path: String? = nil, _ call: () -> T) throws(SystemError) -> T {
    while true {
        let result = call()
        if result != -1 { return result }
        let error = swl_errno()
        if error == EINTR { continue }
        throw SystemError(operation, path, errno: error)
    }
}

/// `sys` for calls where some errors are expected outcomes rather than failures (EEXIST
/// for mkdir, ENOENT for a removal): those return nil instead of throwing.
@discardableResult
@inline(__always)
public func sys<T: BinaryInteger>(_ operation: String, _ path: String? = nil, tolerating expected: Int32,
                                  _ call: () -> T) throws(SystemError) -> T? {
    while true {
        let result = call()
        if result != -1 { return result }
        let error = swl_errno()
        if error == EINTR { continue }
        if error == expected { return nil }
        throw SystemError(operation, path, errno: error)
    }
}

/// Like `sys`, for calls that return a pointer and signal failure with NULL.
@inline(__always)
public func sys<T>(_ operation: String, _ path: String? = nil, _ call: () -> T?) throws(SystemError) -> T {
    while true {
        if let result = call() { return result }
        let error = swl_errno()
        if error == EINTR { continue }
        throw SystemError(operation, path, errno: error)
    }
}
