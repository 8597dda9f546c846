import CLinux
import CZlib
import CZstd
import Crypto
import Glibc
import LinuxSys

// Streaming byte pipes for images: files, gzip (zlib, incremental), SHA-256 on the way
// through. Layers are never held in memory whole.

/// Something to read bytes from, in order.
public protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes; 0 means the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Something to write bytes to, in order.
public protocol ByteSink: AnyObject {
    func write(_ buffer: UnsafeRawBufferPointer) throws
    /// Ends the stream (a gzip trailer, say) and finishes the sinks below.
    func finish() throws
}

extension ByteSink {
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }
}

extension ByteSource {
    /// Reads to the end of the stream, failing beyond `limit` bytes.
    public func readAll(limit: Int = 64 << 20, what: String = "stream") throws -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try read(into: $0) }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
            if out.count > limit { throw ImageError(.invalidImage, "\(what): larger than \(limit) bytes") }
        }
    }

    /// Copies everything that is left into `sink`; returns the number of bytes.
    @discardableResult
    public func copy(to sink: ByteSink, bufferSize: Int = 1 << 18) throws -> Int64 {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            let n = try read(into: buffer)
            if n == 0 { return total }
            try sink.write(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            total += Int64(n)
        }
    }

    /// Reads and discards everything that is left.
    @discardableResult
    public func drain() throws -> Int64 {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            let n = try read(into: buffer)
            if n == 0 { return total }
            total += Int64(n)
        }
    }
}

/// Reads a file descriptor.
public final class FileSource: ByteSource {
    public let fd: FileDescriptor

    public init(_ fd: FileDescriptor) { self.fd = fd }

    public convenience init(path: String) throws {
        self.init(try FileDescriptor.open(path, O_RDONLY))
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        let raw = fd.raw
        return try sys("read", fd.name) { Glibc.read(raw, buffer.baseAddress, buffer.count) }
    }
}

/// Writes to a file descriptor (full writes: short writes are continued).
public final class FileSink: ByteSink {
    public let fd: FileDescriptor

    public init(_ fd: FileDescriptor) { self.fd = fd }

    /// Creates (or truncates) `path`.
    public convenience init(path: String, mode: mode_t = 0o644) throws {
        self.init(try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode: mode))
    }

    public func write(_ buffer: UnsafeRawBufferPointer) throws {
        try writeFully(fd.raw, buffer, name: fd.name)
    }

    public func finish() throws {}
}

/// Bytes in memory, as a source.
public final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - offset)
        if n > 0 {
            bytes.withUnsafeBytes { src in
                buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
            }
            offset += n
        }
        return n
    }
}

/// Collects what is written, in memory.
public final class MemorySink: ByteSink {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public func write(_ buffer: UnsafeRawBufferPointer) throws { bytes.append(contentsOf: buffer) }
    public func finish() throws {}
}

/// A source whose first bytes can be looked at before they are read (to sniff gzip).
public final class PeekableSource: ByteSource {
    private let inner: ByteSource
    private var head: [UInt8] = []
    private var headOffset = 0
    private var innerEOF = false

    public init(_ inner: ByteSource) { self.inner = inner }

    /// Up to `count` bytes from the current position, without consuming them (fewer at
    /// the end of the stream).
    public func peek(_ count: Int) throws -> [UInt8] {
        if headOffset > 0 {
            head.removeFirst(headOffset)
            headOffset = 0
        }
        var chunk = [UInt8](repeating: 0, count: count)
        while head.count < count, !innerEOF {
            let want = count - head.count
            let n = try chunk.withUnsafeMutableBytes { try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want])) }
            if n == 0 { innerEOF = true } else { head.append(contentsOf: chunk[0..<n]) }
        }
        return Array(head.prefix(count))
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if headOffset < head.count {
            let n = min(buffer.count, head.count - headOffset)
            head.withUnsafeBytes { src in buffer.baseAddress!.copyMemory(from: src.baseAddress! + headOffset, byteCount: n) }
            headOffset += n
            if headOffset == head.count {
                head.removeAll(keepingCapacity: true)
                headOffset = 0
            }
            return n
        }
        if innerEOF { return 0 }
        return try inner.read(into: buffer)
    }
}

/// How a blob is compressed, from its first bytes.
public enum Compression: Equatable, Sendable {
    case none, gzip, zstd, bzip2, xz

    public static func detect(_ head: [UInt8]) -> Compression {
        if head.starts(with: [0x1f, 0x8b]) { return .gzip }
        if head.starts(with: [0x28, 0xb5, 0x2f, 0xfd]) { return .zstd }
        if head.starts(with: [0x42, 0x5a, 0x68]) { return .bzip2 }
        if head.starts(with: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) { return .xz }
        return .none
    }

    /// Wraps `source` so that reading it yields the uncompressed bytes: gzip and zstd are
    /// decompressed, anything not compressed passes through, other compressions are refused.
    public static func decompressing(_ source: ByteSource, what: String) throws -> ByteSource {
        let peekable = PeekableSource(source)
        switch detect(try peekable.peek(6)) {
        case .none: return peekable
        case .gzip: return try GzipSource(peekable, what: what)
        case .zstd: return try ZstdSource(peekable, what: what)
        case .bzip2: throw ImageError(.unsupported, "\(what): bzip2 compression is not supported (only gzip, zstd or none)")
        case .xz: throw ImageError(.unsupported, "\(what): xz compression is not supported (only gzip, zstd or none)")
        }
    }
}

/// Inflates a gzip stream (several concatenated members too) as it is read.
public final class GzipSource: ByteSource {
    private let inner: ByteSource
    private let what: String
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var inputEOF = false
    private var ended = false

    public init(_ inner: ByteSource, what: String = "gzip stream") throws {
        self.inner = inner
        self.what = what
        // zlib keeps a pointer back to the z_stream: it must not move.
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(byteCount: 1 << 16, alignment: 16)
        let rc = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if rc != Z_OK {
            stream.deallocate()
            input.deallocate()
            throw ImageError(.io, "\(what): inflateInit failed (\(rc))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    private func refill() throws {
        guard stream.pointee.avail_in == 0, !inputEOF else { return }
        let n = try inner.read(into: input)
        if n == 0 {
            inputEOF = true
        } else {
            stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = UInt32(n)
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if ended || buffer.count == 0 { return 0 }
        let capacity = min(buffer.count, Int(UInt32.max))
        stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(capacity)
        while true {
            try refill()
            let rc = inflate(stream, Z_NO_FLUSH)
            let produced = capacity - Int(stream.pointee.avail_out)
            switch rc {
            case Z_STREAM_END:
                // Another gzip member may follow; anything else (zero padding) ends the stream.
                try refill()
                if stream.pointee.avail_in == 0 || stream.pointee.next_in.pointee != 0x1f {
                    ended = true
                    return produced
                }
                inflateReset(stream)
                if produced > 0 { return produced }
            case Z_OK:
                if produced > 0 { return produced }
            case Z_BUF_ERROR:
                if produced > 0 { return produced }
                if inputEOF && stream.pointee.avail_in == 0 {
                    throw ImageError(.invalidImage, "\(what): unexpected end of gzip data")
                }
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "error \(rc)"
                throw ImageError(.invalidImage, "\(what): invalid gzip data: \(message)")
            }
        }
    }
}

/// Decompresses a zstd stream (concatenated frames too) as it is read.
public final class ZstdSource: ByteSource {
    private let inner: ByteSource
    private let what: String
    private let stream: OpaquePointer
    private let input: UnsafeMutableRawBufferPointer
    private var inputBuffer = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
    private var inputEOF = false
    /// Whether the last call finished a frame (so EOF here is a clean end).
    private var frameComplete = true

    public init(_ inner: ByteSource, what: String = "zstd stream") throws {
        self.inner = inner
        self.what = what
        guard let stream = ZSTD_createDStream() else { throw ImageError(.io, "\(what): ZSTD_createDStream failed") }
        self.stream = stream
        input = .allocate(byteCount: ZSTD_DStreamInSize(), alignment: 16)
        ZSTD_initDStream(stream)
    }

    deinit {
        ZSTD_freeDStream(stream)
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        var output = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
        while output.pos == 0 {
            if inputBuffer.pos == inputBuffer.size, !inputEOF {
                let n = try inner.read(into: input)
                if n == 0 { inputEOF = true }
                inputBuffer = ZSTD_inBuffer(src: input.baseAddress, size: n, pos: 0)
            }
            if inputEOF && inputBuffer.pos == inputBuffer.size {
                guard frameComplete else { throw ImageError(.invalidImage, "\(what): unexpected end of zstd data") }
                return 0
            }
            let rc = ZSTD_decompressStream(stream, &output, &inputBuffer)
            if ZSTD_isError(rc) != 0 {
                throw ImageError(.invalidImage, "\(what): invalid zstd data: \(String(cString: ZSTD_getErrorName(rc)))")
            }
            frameComplete = rc == 0
        }
        return output.pos
    }
}

/// Compresses into gzip as it is written.
public final class GzipSink: ByteSink {
    private let inner: ByteSink
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    private var finished = false

    public init(_ inner: ByteSink, level: Int32 = 6) throws {
        self.inner = inner
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(byteCount: 1 << 16, alignment: 16)
        let rc = deflateInit2_(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                               zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if rc != Z_OK {
            stream.deallocate()
            output.deallocate()
            throw ImageError(.io, "deflateInit failed (\(rc))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    private func run(_ flush: Int32) throws -> Int32 {
        while true {
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = UInt32(output.count)
            let rc = deflate(stream, flush)
            guard rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR else {
                throw ImageError(.io, "deflate failed (\(rc))")
            }
            let produced = output.count - Int(stream.pointee.avail_out)
            if produced > 0 { try inner.write(UnsafeRawBufferPointer(rebasing: output[0..<produced])) }
            if rc == Z_STREAM_END { return rc }
            if stream.pointee.avail_out != 0 && stream.pointee.avail_in == 0 && flush == Z_NO_FLUSH { return rc }
        }
    }

    public func write(_ buffer: UnsafeRawBufferPointer) throws {
        guard buffer.count > 0 else { return }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: buffer.baseAddress!.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = UInt32(buffer.count)
        _ = try run(Z_NO_FLUSH)
    }

    public func finish() throws {
        guard !finished else { return }
        finished = true
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        _ = try run(Z_FINISH)
        try inner.finish()
    }
}

/// Computes SHA-256 and counts the bytes that pass through to `inner`.
public final class HashingSource: ByteSource {
    private let inner: ByteSource
    private var hasher = SHA256()
    public private(set) var count: Int64 = 0

    public init(_ inner: ByteSource) { self.inner = inner }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try inner.read(into: buffer)
        if n > 0 {
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            count += Int64(n)
        }
        return n
    }

    /// The digest of everything read so far.
    public var digest: ContentDigest { ContentDigest(sha256: hasher.finalize()) }
}

/// Computes SHA-256 and counts the bytes written through it (to `inner`, if any).
public final class HashingSink: ByteSink {
    private let inner: ByteSink?
    private var hasher = SHA256()
    public private(set) var count: Int64 = 0

    public init(_ inner: ByteSink? = nil) { self.inner = inner }

    public func write(_ buffer: UnsafeRawBufferPointer) throws {
        absorb(buffer)
        try inner?.write(buffer)
    }

    /// Hashes and counts bytes the inner sink already holds (a resumed download's prefix).
    public func absorb(_ buffer: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: buffer)
        count += Int64(buffer.count)
    }

    public func finish() throws { try inner?.finish() }

    public var digest: ContentDigest { ContentDigest(sha256: hasher.finalize()) }
}
