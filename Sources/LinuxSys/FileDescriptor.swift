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
        try Array(bytes).withUnsafeBytes { try writeFully(raw, $0, name: name) }
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

/// `write(2)` until all of `buffer` is written (short writes happen on pipes and ttys).
public func writeFully(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, name: String) throws {
    var offset = 0
    while offset < buffer.count {
        let n = try sys("write", name) { Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset) }
        offset += n
    }
}

/// Text for people on stdout and stderr (by descriptor: the C `FILE *` globals are not
/// concurrency-safe in Swift 6). Output that cannot be written is dropped.
public enum TextOutput {
    public static func line(_ text: String, fd: Int32 = 1) {
        let bytes = Array((text + "\n").utf8)
        bytes.withUnsafeBytes { _ = try? writeFully(fd, $0, name: fd == 2 ? "stderr" : "stdout") }
    }

    public static func write(_ text: String, fd: Int32 = 1) {
        Array(text.utf8).withUnsafeBytes { _ = try? writeFully(fd, $0, name: fd == 2 ? "stderr" : "stdout") }
    }

    /// Columns padded to their widest cell plus three spaces, as `docker ps` prints them.
    public static func table(_ rows: [[String]], fd: Int32 = 1) {
        guard let first = rows.first else { return }
        var widths = first.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        for row in rows {
            var text = ""
            for (i, cell) in row.enumerated() {
                text += i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 3)
            }
            line(text, fd: fd)
        }
    }
}
