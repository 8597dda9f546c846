import Glibc
import LinuxSys

// Tar archives as image layers and `docker save` use them: ustar headers, POSIX pax
// extended headers (path, linkpath, size, uid, gid, mtime, SCHILY.xattr.*), and GNU
// long names (`L`) and long link names (`K`). Reading is streaming: an entry's data is
// read from the archive as the caller asks for it.

public enum TarEntryType: Equatable, Sendable {
    case regular, hardLink, symlink, characterDevice, blockDevice, directory, fifo
    /// Any other type flag (GNU sparse `S`, volume label `V` …).
    case other(UInt8)

    init(flag: UInt8) {
        switch flag {
        case 0x30, 0, 0x37: self = .regular // '0', NUL (pre-POSIX), '7' contiguous
        case 0x31: self = .hardLink
        case 0x32: self = .symlink
        case 0x33: self = .characterDevice
        case 0x34: self = .blockDevice
        case 0x35: self = .directory
        case 0x36: self = .fifo
        default: self = .other(flag)
        }
    }

    var flag: UInt8 {
        switch self {
        case .regular: 0x30
        case .hardLink: 0x31
        case .symlink: 0x32
        case .characterDevice: 0x33
        case .blockDevice: 0x34
        case .directory: 0x35
        case .fifo: 0x36
        case .other(let f): f
        }
    }

    /// Types whose size field says nothing about data in the archive.
    var hasNoData: Bool {
        switch self {
        case .hardLink, .symlink, .characterDevice, .blockDevice, .directory, .fifo: true
        default: false
        }
    }
}

/// One archive member's metadata, after pax and GNU extensions are applied.
public struct TarHeader: Equatable, Sendable {
    public var path: String
    public var type: TarEntryType
    /// Bytes of data that follow (0 for everything but regular files).
    public var size: Int64
    /// Permission bits, including setuid, setgid and sticky (07777).
    public var mode: UInt32
    public var uid: Int
    public var gid: Int
    /// Modification time: seconds and nanoseconds since the epoch.
    public var mtime: Int64
    public var mtimeNanoseconds: Int
    /// Symlink target, or hard link target (a path in the archive).
    public var linkName: String
    public var userName: String
    public var groupName: String
    public var devMajor: UInt32
    public var devMinor: UInt32
    /// Extended attributes from pax `SCHILY.xattr.NAME` records.
    public var xattrs: [String: [UInt8]]

    public init(path: String, type: TarEntryType, size: Int64 = 0, mode: UInt32 = 0o644, uid: Int = 0, gid: Int = 0,
                mtime: Int64 = 0, mtimeNanoseconds: Int = 0, linkName: String = "", userName: String = "",
                groupName: String = "", devMajor: UInt32 = 0, devMinor: UInt32 = 0, xattrs: [String: [UInt8]] = [:]) {
        self.path = path
        self.type = type
        self.size = size
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.mtime = mtime
        self.mtimeNanoseconds = mtimeNanoseconds
        self.linkName = linkName
        self.userName = userName
        self.groupName = groupName
        self.devMajor = devMajor
        self.devMinor = devMinor
        self.xattrs = xattrs
    }
}

/// Reads a tar archive entry by entry:
///
///     let tar = TarReader(source)
///     while let header = try tar.next() { … try tar.read(into:) … }
///
/// `next()` skips whatever data of the previous entry was not read.
public final class TarReader {
    private let source: ByteSource
    private let buffer: UnsafeMutableRawBufferPointer
    private var bufferStart = 0
    private var bufferEnd = 0
    private var sourceEOF = false
    /// Archive bytes consumed so far (for error messages).
    public private(set) var offset: Int64 = 0
    private var remaining: Int64 = 0
    private var padding: Int64 = 0
    private var globalPax: [String: [UInt8]] = [:]
    private var done = false
    /// For error messages: the archive (`layer sha256:…`, a file name).
    public let what: String

    public init(_ source: ByteSource, what: String = "tar archive") {
        self.source = source
        self.what = what
        buffer = .allocate(byteCount: 1 << 16, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Opens a tar file, gzip-compressed or not (by its first bytes).
    public static func open(path: String) throws -> TarReader {
        TarReader(try Compression.decompressing(FileSource(path: path), what: path), what: path)
    }

    // MARK: Buffered input

    /// Reads into `out` from the buffer or the source; 0 at the end of the source.
    private func readRaw(into out: UnsafeMutableRawBufferPointer) throws -> Int {
        if bufferStart < bufferEnd {
            let n = min(out.count, bufferEnd - bufferStart)
            out.baseAddress!.copyMemory(from: buffer.baseAddress! + bufferStart, byteCount: n)
            bufferStart += n
            offset += Int64(n)
            return n
        }
        if sourceEOF { return 0 }
        if out.count >= buffer.count {
            let n = try source.read(into: out)
            if n == 0 { sourceEOF = true }
            offset += Int64(n)
            return n
        }
        let n = try source.read(into: buffer)
        if n == 0 {
            sourceEOF = true
            return 0
        }
        bufferStart = 0
        bufferEnd = n
        return try readRaw(into: out)
    }

    /// Exactly `count` bytes, or nil at a clean end of input (no bytes at all).
    private func readExactly(_ count: Int) throws -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = try out.withUnsafeMutableBytes { try readRaw(into: UnsafeMutableRawBufferPointer(rebasing: $0[got...])) }
            if n == 0 {
                if got == 0 { return nil }
                throw ImageError(.invalidImage, "\(what): unexpected end of archive at byte \(offset)")
            }
            got += n
        }
        return out
    }

    private func skip(_ count: Int64) throws {
        var left = count
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { scratch.deallocate() }
        while left > 0 {
            let n = try readRaw(into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<Int(min(left, Int64(scratch.count)))]))
            if n == 0 { throw ImageError(.invalidImage, "\(what): unexpected end of archive at byte \(offset)") }
            left -= Int64(n)
        }
    }

    // MARK: Entries

    /// The next entry's header, or nil at the end of the archive.
    public func next() throws -> TarHeader? {
        if done { return nil }
        try skip(remaining + padding)
        remaining = 0
        padding = 0
        var pax: [String: [UInt8]] = [:]
        var longName: String?
        var longLink: String?
        while true {
            let headerOffset = offset
            guard let block = try readExactly(512) else {
                done = true
                return nil
            }
            if block.allSatisfy({ $0 == 0 }) {
                // End-of-archive marker. What follows (a second zero block, padding) is left
                // for the caller to drain if it hashes the whole stream.
                done = true
                return nil
            }
            try verifyChecksum(block, at: headerOffset)
            let flag = block[156]
            var size = try number(block[124..<136], field: "size", at: headerOffset)
            if flag == 0x78 || flag == 0x67 || flag == 0x4c || flag == 0x4b { // x g L K
                guard size >= 0, size <= 1 << 20 else {
                    throw ImageError(.invalidImage, "\(what): extended header of \(size) bytes at byte \(headerOffset)")
                }
                let data = try readExactly(Int(size)) ?? []
                if data.count != Int(size) { throw ImageError(.invalidImage, "\(what): unexpected end of archive") }
                try skip((512 - size % 512) % 512)
                switch flag {
                case 0x78: pax.merge(try parsePax(data, at: headerOffset)) { $1 }
                case 0x67:
                    for (k, v) in try parsePax(data, at: headerOffset) {
                        if v.isEmpty { globalPax.removeValue(forKey: k) } else { globalPax[k] = v }
                    }
                case 0x4c: longName = cString(data[...])
                default: longLink = cString(data[...])
                }
                continue
            }

            let ustar = block[257..<263].elementsEqual(Array("ustar\0".utf8))
            var name = cString(block[0..<100])
            if ustar {
                let prefix = cString(block[345..<500])
                if !prefix.isEmpty { name = prefix + "/" + name }
            }
            var header = TarHeader(
                path: name, type: TarEntryType(flag: flag), size: 0,
                mode: UInt32(truncatingIfNeeded: try number(block[100..<108], field: "mode", at: headerOffset) & 0o7777),
                uid: Int(try number(block[108..<116], field: "uid", at: headerOffset)),
                gid: Int(try number(block[116..<124], field: "gid", at: headerOffset)),
                mtime: try number(block[136..<148], field: "mtime", at: headerOffset),
                linkName: cString(block[157..<257]),
                userName: cString(block[265..<297]), groupName: cString(block[297..<329]),
                devMajor: UInt32(truncatingIfNeeded: try number(block[329..<337], field: "devmajor", at: headerOffset)),
                devMinor: UInt32(truncatingIfNeeded: try number(block[337..<345], field: "devminor", at: headerOffset)))
            if let longName { header.path = longName }
            if let longLink { header.linkName = longLink }
            var records = globalPax
            records.merge(pax) { $1 }
            for (key, value) in records where !value.isEmpty {
                let string = String(decoding: value, as: UTF8.self)
                switch key {
                case "path": header.path = string
                case "linkpath": header.linkName = string
                case "size":
                    guard let v = Int64(string), v >= 0 else { throw badPax(key, string, headerOffset) }
                    size = v
                case "uid":
                    guard let v = Int(string) else { throw badPax(key, string, headerOffset) }
                    header.uid = v
                case "gid":
                    guard let v = Int(string) else { throw badPax(key, string, headerOffset) }
                    header.gid = v
                case "uname": header.userName = string
                case "gname": header.groupName = string
                case "mtime":
                    let parts = string.split(separator: ".", maxSplits: 1)
                    guard let seconds = parts.first.flatMap({ Int64($0) }) else { throw badPax(key, string, headerOffset) }
                    header.mtime = seconds
                    if parts.count == 2 {
                        let digits = String(parts[1].prefix(9))
                        header.mtimeNanoseconds = (Int(digits + String(repeating: "0", count: 9 - digits.count)) ?? 0)
                    }
                default:
                    if key.hasPrefix("SCHILY.xattr.") { header.xattrs[String(key.dropFirst(13))] = value }
                }
            }
            if header.type == .regular && header.path.hasSuffix("/") { header.type = .directory }
            guard size >= 0 else { throw ImageError(.invalidImage, "\(what): negative size at byte \(headerOffset)") }
            header.size = header.type.hasNoData ? 0 : size
            // Data is present for every type but those that never carry it.
            remaining = header.type.hasNoData ? 0 : size
            padding = (512 - remaining % 512) % 512
            return header
        }
    }

    /// Reads the current entry's data; 0 at its end.
    public func read(into out: UnsafeMutableRawBufferPointer) throws -> Int {
        guard remaining > 0, out.count > 0 else { return 0 }
        let want = Int(min(Int64(out.count), remaining))
        let n = try readRaw(into: UnsafeMutableRawBufferPointer(rebasing: out[0..<want]))
        if n == 0 { throw ImageError(.invalidImage, "\(what): unexpected end of archive at byte \(offset)") }
        remaining -= Int64(n)
        return n
    }

    /// The current entry's data, all of it (for small members such as JSON files).
    public func readData(limit: Int = 64 << 20) throws -> [UInt8] {
        try EntrySource(self).readAll(limit: limit, what: what)
    }

    /// The current entry's data as a `ByteSource`.
    public var entrySource: ByteSource { EntrySource(self) }

    /// Reads what is left of the underlying stream after the end of the archive (so that a
    /// digest of the whole stream covers the trailing blocks too).
    public func drainToEnd() throws {
        try skip(remaining + padding)
        remaining = 0
        padding = 0
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { scratch.deallocate() }
        while try readRaw(into: scratch) > 0 {}
        done = true
    }

    private final class EntrySource: ByteSource {
        let reader: TarReader
        init(_ reader: TarReader) { self.reader = reader }
        func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int { try reader.read(into: buffer) }
    }

    // MARK: Field parsing

    private func badPax(_ key: String, _ value: String, _ at: Int64) -> ImageError {
        ImageError(.invalidImage, "\(what): invalid pax record \(key)=\(value) at byte \(at)")
    }

    private func verifyChecksum(_ block: [UInt8], at: Int64) throws {
        var unsigned = 0
        var signed = 0
        for (i, b) in block.enumerated() {
            let v = (148..<156).contains(i) ? 0x20 : b
            unsigned += Int(v)
            signed += Int(Int8(bitPattern: v))
        }
        let stored = try number(block[148..<156], field: "checksum", at: at)
        if stored != Int64(unsigned) && stored != Int64(signed) {
            throw ImageError(.invalidImage, "\(what): not a tar archive (bad header checksum at byte \(at))")
        }
    }

    /// An octal field (NUL/space padded) or a GNU base-256 one (high bit set).
    private func number(_ field: ArraySlice<UInt8>, field name: String, at: Int64) throws -> Int64 {
        guard let first = field.first else { return 0 }
        if first & 0x80 != 0 {
            // GNU base-256: 0x80 marks a positive number, 0xff a negative one (two's complement).
            let negative = first == 0xff
            var value: Int64 = negative ? 0 : Int64(first & 0x7f)
            for b in field.dropFirst() {
                guard value < Int64.max >> 8 else {
                    throw ImageError(.invalidImage, "\(what): \(name) field out of range at byte \(at)")
                }
                value = value << 8 | Int64(negative ? ~b : b)
            }
            return negative ? -(value + 1) : value
        }
        var value: Int64 = 0
        var started = false
        for b in field {
            if b == 0x20 || b == 0 {
                if started { break } else { continue }
            }
            guard b >= 0x30, b <= 0x37 else {
                throw ImageError(.invalidImage, "\(what): not a tar archive (bad \(name) field at byte \(at))")
            }
            started = true
            guard value < Int64.max >> 3 else {
                throw ImageError(.invalidImage, "\(what): \(name) field out of range at byte \(at)")
            }
            value = value << 3 | Int64(b - 0x30)
        }
        return value
    }

    private func parsePax(_ data: [UInt8], at: Int64) throws -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        var i = 0
        while i < data.count {
            if data[i] == 0 { break }
            guard let space = data[i...].firstIndex(of: 0x20),
                  let length = Int(String(decoding: data[i..<space], as: UTF8.self)),
                  length > space - i, i + length <= data.count, data[i + length - 1] == 0x0a,
                  let equals = data[(space + 1)..<(i + length)].firstIndex(of: 0x3d)
            else { throw ImageError(.invalidImage, "\(what): malformed pax header at byte \(at)") }
            let key = String(decoding: data[(space + 1)..<equals], as: UTF8.self)
            out[key] = Array(data[(equals + 1)..<(i + length - 1)])
            i += length
        }
        return out
    }

    private func cString(_ bytes: ArraySlice<UInt8>) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
        return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
    }
}

/// Writes a tar archive: ustar headers, with a pax extended header when a path or link
/// name does not fit, a number is too large, or there are xattrs.
public final class TarWriter {
    private let sink: ByteSink
    private var finished = false
    private var paxCount = 0

    public init(_ sink: ByteSink) { self.sink = sink }

    /// Adds an entry with `data` as its contents (regular files; others have none).
    public func append(_ header: TarHeader, data: [UInt8] = []) throws {
        var h = header
        h.size = h.type.hasNoData ? 0 : Int64(data.count)
        try writeHeader(h)
        if h.size > 0 {
            try sink.write(data)
            try pad(h.size)
        }
    }

    /// Adds an entry whose `header.size` bytes of contents are read from `source`.
    public func append(_ header: TarHeader, from source: ByteSource) throws {
        try writeHeader(header)
        var left = header.size
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        while left > 0 {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Int(min(left, Int64(buffer.count)))]))
            if n == 0 { throw ImageError(.io, "tar \(header.path): contents shorter than \(header.size) bytes") }
            try sink.write(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            left -= Int64(n)
        }
        try pad(header.size)
    }

    public func addDirectory(_ path: String, mode: UInt32 = 0o755, uid: Int = 0, gid: Int = 0, mtime: Int64 = 0) throws {
        try append(TarHeader(path: path.hasSuffix("/") ? path : path + "/", type: .directory,
                             mode: mode, uid: uid, gid: gid, mtime: mtime))
    }

    public func addFile(_ path: String, contents: [UInt8], mode: UInt32 = 0o644, uid: Int = 0, gid: Int = 0,
                        mtime: Int64 = 0) throws {
        try append(TarHeader(path: path, type: .regular, mode: mode, uid: uid, gid: gid, mtime: mtime), data: contents)
    }

    public func addFile(_ path: String, contents: String, mode: UInt32 = 0o644, uid: Int = 0, gid: Int = 0,
                        mtime: Int64 = 0) throws {
        try addFile(path, contents: Array(contents.utf8), mode: mode, uid: uid, gid: gid, mtime: mtime)
    }

    /// Adds a regular file with the contents of the host file `hostPath` (streamed).
    public func addFile(_ path: String, copying hostPath: String, mode: UInt32? = nil, uid: Int = 0, gid: Int = 0,
                        mtime: Int64 = 0) throws {
        let source = try FileSource(path: hostPath)
        let st = try source.fd.stat()
        try append(TarHeader(path: path, type: .regular, size: Int64(st.st_size),
                             mode: mode ?? UInt32(st.st_mode & 0o7777), uid: uid, gid: gid, mtime: mtime), from: source)
    }

    public func addSymlink(_ path: String, target: String, uid: Int = 0, gid: Int = 0, mtime: Int64 = 0) throws {
        try append(TarHeader(path: path, type: .symlink, mode: 0o777, uid: uid, gid: gid, mtime: mtime, linkName: target))
    }

    public func addHardLink(_ path: String, target: String, mtime: Int64 = 0) throws {
        try append(TarHeader(path: path, type: .hardLink, mode: 0o644, mtime: mtime, linkName: target))
    }

    /// An OCI whiteout: `dir/.wh.name` deletes `dir/name` of the layers below.
    public func addWhiteout(_ path: String, mtime: Int64 = 0) throws {
        let dir = Files.dirname(path)
        let name = Files.basename(path)
        try addFile((dir == "." ? "" : dir + "/") + ".wh." + name, contents: [], mode: 0o644, mtime: mtime)
    }

    /// An OCI opaque whiteout: `dir/.wh..wh..opq` hides everything the layers below have in `dir`.
    public func addOpaqueMarker(inDirectory dir: String, mtime: Int64 = 0) throws {
        let d = dir.hasSuffix("/") ? String(dir.dropLast()) : dir
        try addFile((d.isEmpty ? "" : d + "/") + ".wh..wh..opq", contents: [], mode: 0o644, mtime: mtime)
    }

    /// Writes the end-of-archive marker and finishes the sink.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        try sink.write([UInt8](repeating: 0, count: 1024))
        try sink.finish()
    }

    private func pad(_ size: Int64) throws {
        let padding = Int((512 - size % 512) % 512)
        if padding > 0 { try sink.write([UInt8](repeating: 0, count: padding)) }
    }

    private static let octalLimits: (size: Int64, id: Int, mtime: Int64, dev: UInt32) = (0o77777777777, 0o7777777, 0o77777777777, 0o7777777)

    private func writeHeader(_ header: TarHeader) throws {
        precondition(!finished, "TarWriter: append after finish")
        var pax: [(String, [UInt8])] = []
        let path = Array(header.path.utf8)
        var nameField = path
        var prefixField: [UInt8] = []
        if path.count > 100 {
            // ustar can split at a slash: prefix (≤155) / name (≤100).
            var split: Int?
            for i in stride(from: min(path.count - 1, 155), through: 1, by: -1) where path[i] == 0x2f {
                if path.count - i - 1 <= 100 && path.count - i - 1 > 0 { split = i }
                break
            }
            if let split {
                prefixField = Array(path[0..<split])
                nameField = Array(path[(split + 1)...])
            } else {
                pax.append(("path", path))
                nameField = Array(path.prefix(100))
            }
        }
        var linkField = Array(header.linkName.utf8)
        if linkField.count > 100 {
            pax.append(("linkpath", linkField))
            linkField = Array(linkField.prefix(100))
        }
        let limits = TarWriter.octalLimits
        if header.size > limits.size { pax.append(("size", Array(String(header.size).utf8))) }
        if header.uid > limits.id || header.uid < 0 { pax.append(("uid", Array(String(header.uid).utf8))) }
        if header.gid > limits.id || header.gid < 0 { pax.append(("gid", Array(String(header.gid).utf8))) }
        if header.mtime > limits.mtime || header.mtime < 0 || header.mtimeNanoseconds != 0 {
            var value = String(header.mtime)
            if header.mtimeNanoseconds != 0 {
                let ns = String(header.mtimeNanoseconds)
                value += "." + String(repeating: "0", count: 9 - ns.count) + ns
            }
            pax.append(("mtime", Array(value.utf8)))
        }
        for (key, value) in header.xattrs.sorted(by: { $0.key < $1.key }) {
            pax.append(("SCHILY.xattr." + key, value))
        }
        if !pax.isEmpty {
            var records: [UInt8] = []
            for (key, value) in pax {
                let body = 1 + key.utf8.count + 1 + value.count + 1 // " key=value\n"
                var length = body + String(body).count
                if String(length).count != String(body).count { length = body + String(length).count }
                records += Array(String(length).utf8) + [0x20] + Array(key.utf8) + [0x3d] + value + [0x0a]
            }
            paxCount += 1
            let base = Array(Files.basename(header.path.hasSuffix("/") ? String(header.path.dropLast()) : header.path).utf8.prefix(80))
            var paxHeader = [UInt8](repeating: 0, count: 512)
            put(&paxHeader, 0, 100, Array("PaxHeaders.0/".utf8) + base)
            putOctal(&paxHeader, 100, 8, 0o644)
            putOctal(&paxHeader, 108, 8, 0)
            putOctal(&paxHeader, 116, 8, 0)
            putOctal(&paxHeader, 124, 12, Int64(records.count))
            putOctal(&paxHeader, 136, 12, 0)
            paxHeader[156] = 0x78
            finishHeader(&paxHeader)
            try sink.write(paxHeader)
            try sink.write(records)
            try pad(Int64(records.count))
        }
        var block = [UInt8](repeating: 0, count: 512)
        put(&block, 0, 100, nameField)
        putOctal(&block, 100, 8, Int64(header.mode & 0o7777))
        putOctal(&block, 108, 8, Int64(min(max(header.uid, 0), limits.id)))
        putOctal(&block, 116, 8, Int64(min(max(header.gid, 0), limits.id)))
        putOctal(&block, 124, 12, header.size > limits.size ? 0 : header.size)
        putOctal(&block, 136, 12, min(max(header.mtime, 0), limits.mtime))
        block[156] = header.type.flag
        put(&block, 157, 100, linkField)
        put(&block, 265, 32, Array(header.userName.utf8.prefix(32)))
        put(&block, 297, 32, Array(header.groupName.utf8.prefix(32)))
        if header.type == .characterDevice || header.type == .blockDevice {
            putOctal(&block, 329, 8, Int64(min(header.devMajor, limits.dev)))
            putOctal(&block, 337, 8, Int64(min(header.devMinor, limits.dev)))
        }
        put(&block, 345, 155, prefixField)
        finishHeader(&block)
        try sink.write(block)
    }

    private func put(_ block: inout [UInt8], _ at: Int, _ width: Int, _ bytes: [UInt8]) {
        for (i, b) in bytes.prefix(width).enumerated() { block[at + i] = b }
    }

    /// Zero-padded octal in `width - 1` digits and a NUL.
    private func putOctal(_ block: inout [UInt8], _ at: Int, _ width: Int, _ value: Int64) {
        let digits = Array(String(value, radix: 8).utf8)
        let padded = [UInt8](repeating: 0x30, count: max(0, width - 1 - digits.count)) + digits
        put(&block, at, width - 1, padded)
        block[at + width - 1] = 0
    }

    private func finishHeader(_ block: inout [UInt8]) {
        put(&block, 257, 6, Array("ustar\0".utf8))
        put(&block, 263, 2, Array("00".utf8))
        for i in 148..<156 { block[i] = 0x20 }
        let sum = block.reduce(0) { $0 + Int($1) }
        let digits = Array(String(sum, radix: 8).utf8)
        put(&block, 148, 6, [UInt8](repeating: 0x30, count: max(0, 6 - digits.count)) + digits)
        block[154] = 0
        block[155] = 0x20
    }
}
