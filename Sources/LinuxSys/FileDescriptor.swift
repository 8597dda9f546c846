import CLinux
import Glibc

/// An owned file descriptor, closed when the value goes away.
public final class FileDescriptor: @unchecked Sendable {
    public let raw: Int32
    /// What the descriptor refers to, for error messages.
    public let name: String
    private var closed = false

    public init(raw: Int32, name: String) {
        self.raw = raw
        self.name = name
    }

    deinit { if !closed { Glibc.close(raw) } }

    /// Gives up ownership: the caller now closes `raw`.
    public func release() -> Int32 {
        closed = true
        return raw
    }

    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> FileDescriptor {
        let fd = try sys("open", path) { swl_open(path, flags | O_CLOEXEC, mode) }
        return FileDescriptor(raw: fd, name: path)
    }

    /// Opens `path` relative to this directory; `resolve` takes RESOLVE_* flags (openat2),
    /// so that a path inside a container's rootfs cannot lead outside it.
    public func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644, resolve: UInt64 = 0) throws -> FileDescriptor {
        // openat2 refuses a mode unless the call may create the file.
        let creating = flags & O_CREAT != 0
        let fd = try sys("open", "\(name)/\(path)") {
            swl_openat2(raw, path, UInt64(flags | O_CLOEXEC), creating ? UInt64(mode) : 0, resolve)
        }
        return FileDescriptor(raw: fd, name: "\(name)/\(path)")
    }

    public func readAll() throws -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = try chunk.withUnsafeMutableBytes { buf in
                try sys("read", name) { Glibc.read(raw, buf.baseAddress, buf.count) }
            }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try sys("read", name) { Glibc.read(raw, buffer.baseAddress, buffer.count) }
    }

    public func write<C: Collection<UInt8>>(_ bytes: C) throws {
        let array = Array(bytes)
        var offset = 0
        while offset < array.count {
            let n = try array.withUnsafeBytes { buf in
                try sys("write", name) { Glibc.write(raw, buf.baseAddress! + offset, buf.count - offset) }
            }
            offset += n
        }
    }

    public func fsync() throws { try sys("fsync", name) { Glibc.fsync(raw) } }

    public func stat() throws -> stat {
        var st = Glibc.stat()
        try sys("fstat", name) { Glibc.fstat(raw, &st) }
        return st
    }

    public func close() throws {
        guard !closed else { return }
        closed = true
        // close(2) must not be retried on EINTR: the descriptor is gone either way.
        if Glibc.close(raw) == -1, swl_errno() != EINTR {
            throw SystemError("close", name, errno: swl_errno())
        }
    }
}
