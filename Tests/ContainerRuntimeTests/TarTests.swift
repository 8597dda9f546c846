import ContainerRuntime
import Foundation
import Glibc
import LinuxSys
import XCTest

final class TarTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/swiftlet-tar-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SystemError("mkdtemp", errno: errno) }
        directory = String(cString: made)
    }

    override func tearDownWithError() throws {
        if !directory.isEmpty { try Files.removeTree(directory) }
    }

    /// Every entry of an archive: header and data.
    private func entries(_ source: ByteSource) throws -> [(TarHeader, [UInt8])] {
        let reader = TarReader(try Compression.decompressing(source, what: "test"))
        var out: [(TarHeader, [UInt8])] = []
        while let header = try reader.next() { out.append((header, try reader.readData())) }
        return out
    }

    private let longDirectory = String(repeating: "d", count: 90) + "/" + String(repeating: "e", count: 60)
    private let veryLong = (0..<30).map { "component\($0)" }.joined(separator: "/") + "/file.txt"

    private func writeSample(_ sink: ByteSink) throws {
        let tar = TarWriter(sink)
        try tar.addDirectory("dir", mode: 0o750, uid: 1, gid: 2, mtime: 1_700_000_000)
        try tar.addFile("dir/short.txt", contents: "hello\n", mode: 0o640, uid: 1000, gid: 1000, mtime: 1_700_000_001)
        try tar.addFile("\(longDirectory)/split.txt", contents: "ustar prefix", mtime: 5)
        try tar.addFile(veryLong, contents: Array(repeating: 0x41, count: 1000), mode: 0o755)
        try tar.addSymlink("link", target: "/" + String(repeating: "t", count: 150))
        try tar.addHardLink("hard", target: "dir/short.txt")
        try tar.append(TarHeader(path: "bigids", type: .regular, mode: 0o600, uid: 5_000_000, gid: 4_000_000,
                                 mtime: 42, mtimeNanoseconds: 123_456_789, xattrs: ["user.note": Array("x=y\n".utf8)]),
                       data: [1, 2, 3])
        try tar.append(TarHeader(path: "dev/null", type: .characterDevice, mode: 0o666, devMajor: 1, devMinor: 3))
        try tar.append(TarHeader(path: "fifo", type: .fifo, mode: 0o644))
        try tar.finish()
    }

    private func checkSample(_ got: [(TarHeader, [UInt8])]) {
        XCTAssertEqual(got.map(\.0.path), ["dir/", "dir/short.txt", "\(longDirectory)/split.txt", veryLong,
                                           "link", "hard", "bigids", "dev/null", "fifo"])
        guard got.count == 9 else { return }
        XCTAssertEqual(got[0].0.type, .directory)
        XCTAssertEqual(got[0].0.mode, 0o750)
        XCTAssertEqual(got[0].0.uid, 1)
        XCTAssertEqual(got[0].0.gid, 2)
        XCTAssertEqual(got[0].0.mtime, 1_700_000_000)
        XCTAssertEqual(got[1].1, Array("hello\n".utf8))
        XCTAssertEqual(got[1].0.size, 6)
        XCTAssertEqual(got[1].0.mode, 0o640)
        XCTAssertEqual(got[1].0.uid, 1000)
        XCTAssertEqual(got[2].1, Array("ustar prefix".utf8))
        XCTAssertEqual(got[3].1, Array(repeating: 0x41, count: 1000))
        XCTAssertEqual(got[4].0.type, .symlink)
        XCTAssertEqual(got[4].0.linkName, "/" + String(repeating: "t", count: 150))
        XCTAssertEqual(got[5].0.type, .hardLink)
        XCTAssertEqual(got[5].0.linkName, "dir/short.txt")
        XCTAssertEqual(got[6].0.uid, 5_000_000)
        XCTAssertEqual(got[6].0.gid, 4_000_000)
        XCTAssertEqual(got[6].0.mtime, 42)
        XCTAssertEqual(got[6].0.mtimeNanoseconds, 123_456_789)
        XCTAssertEqual(got[6].0.xattrs["user.note"], Array("x=y\n".utf8))
        XCTAssertEqual(got[6].1, [1, 2, 3])
        XCTAssertEqual(got[7].0.type, .characterDevice)
        XCTAssertEqual(got[7].0.devMajor, 1)
        XCTAssertEqual(got[7].0.devMinor, 3)
        XCTAssertEqual(got[8].0.type, .fifo)
    }

    func testRoundTripWithLongNamesAndPax() throws {
        let sink = MemorySink()
        try writeSample(sink)
        XCTAssertEqual(sink.bytes.count % 512, 0)
        checkSample(try entries(MemorySource(sink.bytes)))
    }

    func testGzipRoundTripStreamsLargeEntries() throws {
        // 3 MB of varied data through several inflate calls.
        var big = [UInt8](repeating: 0, count: 3 << 20)
        var x: UInt32 = 12345
        for i in big.indices {
            x = x &* 1_103_515_245 &+ 12345
            big[i] = UInt8(truncatingIfNeeded: (x >> 16) % 7 == 0 ? x >> 8 : UInt32(i % 251))
        }
        let sink = MemorySink()
        let tar = TarWriter(try GzipSink(sink))
        try tar.addFile("big.bin", contents: big)
        try tar.addFile("small", contents: "end")
        try tar.finish()
        XCTAssertEqual(Array(sink.bytes.prefix(2)), [0x1f, 0x8b])
        XCTAssertLessThan(sink.bytes.count, big.count)

        let reader = TarReader(try Compression.decompressing(MemorySource(sink.bytes), what: "test"))
        let header = try XCTUnwrap(try reader.next())
        XCTAssertEqual(header.path, "big.bin")
        XCTAssertEqual(header.size, Int64(big.count))
        // Read in small pieces: the data comes from the inflater as it is asked for.
        var got: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4099)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
            if n == 0 { break }
            got += chunk[0..<n]
        }
        XCTAssertEqual(got, big)
        XCTAssertEqual(try reader.next()?.path, "small")
        XCTAssertEqual(try reader.readData(), Array("end".utf8))
        XCTAssertNil(try reader.next())
    }

    func testConcatenatedGzipMembers() throws {
        let first = MemorySink()
        let gz1 = try GzipSink(first)
        try gz1.write(Array("hello ".utf8))
        try gz1.finish()
        let second = MemorySink()
        let gz2 = try GzipSink(second)
        try gz2.write(Array("world".utf8))
        try gz2.finish()
        let out = try GzipSource(MemorySource(first.bytes + second.bytes)).readAll()
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "hello world")
    }

    func testTruncatedGzipIsAnError() throws {
        let sink = MemorySink()
        try writeSample(try GzipSink(sink))
        let truncated = Array(sink.bytes.prefix(sink.bytes.count / 2))
        XCTAssertThrowsError(try entries(MemorySource(truncated))) { error in
            XCTAssertTrue("\(error)".contains("unexpected end"), "\(error)")
        }
    }

    func testGarbageIsNotATarArchive() throws {
        let garbage = (0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        XCTAssertThrowsError(try entries(MemorySource(garbage))) { error in
            XCTAssertTrue("\(error)".contains("not a tar archive"), "\(error)")
        }
    }

    // MARK: Hand-made headers (GNU L/K, pax size)

    private func rawHeader(name: String, type: UInt8, size: Int, linkName: String = "", gnu: Bool = false) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ at: Int, _ bytes: [UInt8]) { for (i, b) in bytes.enumerated() { block[at + i] = b } }
        func octal(_ at: Int, _ width: Int, _ value: Int) {
            let s = String(value, radix: 8)
            put(at, Array((String(repeating: "0", count: width - 1 - s.count) + s).utf8))
        }
        put(0, Array(name.utf8.prefix(100)))
        octal(100, 8, 0o644)
        octal(108, 8, 0)
        octal(116, 8, 0)
        octal(124, 12, size)
        octal(136, 12, 0)
        block[156] = type
        put(157, Array(linkName.utf8.prefix(100)))
        put(257, gnu ? Array("ustar  \0".utf8) : Array("ustar\u{0}00".utf8))
        for i in 148..<156 { block[i] = 0x20 }
        let sum = block.reduce(0) { $0 + Int($1) }
        let s = String(sum, radix: 8)
        put(148, Array((String(repeating: "0", count: 6 - s.count) + s).utf8))
        block[154] = 0
        return block
    }

    private func padded(_ data: [UInt8]) -> [UInt8] {
        data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }

    func testGNULongNameAndLongLink() throws {
        let longName = String(repeating: "n", count: 120) + "/" + String(repeating: "m", count: 120)
        let longLink = String(repeating: "l", count: 200)
        var archive: [UInt8] = []
        archive += rawHeader(name: "././@LongLink", type: 0x4c, size: longName.utf8.count + 1, gnu: true)
        archive += padded(Array(longName.utf8) + [0])
        archive += rawHeader(name: "././@LongLink", type: 0x4b, size: longLink.utf8.count + 1, gnu: true)
        archive += padded(Array(longLink.utf8) + [0])
        archive += rawHeader(name: String(longName.prefix(100)), type: 0x32, size: 0, linkName: String(longLink.prefix(100)), gnu: true)
        archive += rawHeader(name: "after", type: 0x30, size: 2, gnu: true)
        archive += padded([0x6f, 0x6b])
        archive += [UInt8](repeating: 0, count: 1024)
        let got = try entries(MemorySource(archive))
        XCTAssertEqual(got.count, 2)
        XCTAssertEqual(got[0].0.path, longName)
        XCTAssertEqual(got[0].0.linkName, longLink)
        XCTAssertEqual(got[0].0.type, .symlink)
        // The long name applies to one entry only.
        XCTAssertEqual(got[1].0.path, "after")
        XCTAssertEqual(got[1].1, Array("ok".utf8))
    }

    func testPaxSizePathAndGlobalHeaders() throws {
        func record(_ key: String, _ value: String) -> [UInt8] {
            let body = " \(key)=\(value)\n"
            var length = body.utf8.count + String(body.utf8.count).count
            if String(length).count != String(body.utf8.count).count { length = body.utf8.count + String(length).count }
            return Array("\(length)\(body)".utf8)
        }
        let global = record("uname", "globaluser")
        let local = record("path", "pax/path/name.txt") + record("size", "5") + record("mtime", "1700000000.5")
        var archive: [UInt8] = []
        archive += rawHeader(name: "pax_global_header", type: 0x67, size: global.count)
        archive += padded(global)
        archive += rawHeader(name: "PaxHeaders/x", type: 0x78, size: local.count)
        archive += padded(local)
        archive += rawHeader(name: "truncated-name", type: 0x30, size: 0) // pax says 5 bytes follow
        archive += padded(Array("12345".utf8))
        archive += rawHeader(name: "second", type: 0x30, size: 0)
        archive += [UInt8](repeating: 0, count: 1024)
        let got = try entries(MemorySource(archive))
        XCTAssertEqual(got.map(\.0.path), ["pax/path/name.txt", "second"])
        XCTAssertEqual(got[0].1, Array("12345".utf8))
        XCTAssertEqual(got[0].0.mtime, 1_700_000_000)
        XCTAssertEqual(got[0].0.mtimeNanoseconds, 500_000_000)
        XCTAssertEqual(got[0].0.userName, "globaluser")
        XCTAssertEqual(got[1].0.userName, "globaluser")
    }

    // MARK: Interoperability with GNU tar

    private func run(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testGNUTarReadsWhatTarWriterWrites() throws {
        let path = "\(directory)/ours.tar"
        let sink = try FileSink(path: path)
        try writeSample(sink)
        let (status, listing) = try run(["/usr/bin/tar", "-tvf", path])
        XCTAssertEqual(status, 0, listing)
        XCTAssertTrue(listing.contains(veryLong), listing)
        XCTAssertTrue(listing.contains("\(longDirectory)/split.txt"), listing)
        XCTAssertTrue(listing.contains("link -> /ttt"), listing)
        XCTAssertTrue(listing.contains("5000000/4000000"), listing)
    }

    func testReadsWhatGNUTarWrites() throws {
        let tree = "\(directory)/tree"
        let deep = "\(tree)/" + String(repeating: "x", count: 80) + "/" + String(repeating: "y", count: 80)
        try Files.createDirectory(deep)
        try Files.writeAtomically("\(deep)/" + String(repeating: "z", count: 90), "deep file")
        XCTAssertEqual(symlink(String(repeating: "q", count: 150), "\(tree)/longlink"), 0)
        for format in ["gnu", "posix"] {
            for compress in [false, true] {
                let archive = "\(directory)/\(format)\(compress ? ".tar.gz" : ".tar")"
                let (status, output) = try run(["/usr/bin/tar", "--format=\(format)", compress ? "-czf" : "-cf", archive,
                                                "-C", tree, "."])
                XCTAssertEqual(status, 0, output)
                let reader = try TarReader.open(path: archive)
                var found: [String: TarHeader] = [:]
                var data: [String: [UInt8]] = [:]
                while let header = try reader.next() {
                    found[header.path] = header
                    data[header.path] = try reader.readData()
                }
                let file = "./" + String(repeating: "x", count: 80) + "/" + String(repeating: "y", count: 80) + "/"
                    + String(repeating: "z", count: 90)
                XCTAssertEqual(data[file].map { String(decoding: $0, as: UTF8.self) }, "deep file", "\(format) \(compress)")
                XCTAssertEqual(found["./longlink"]?.linkName, String(repeating: "q", count: 150), "\(format) \(compress)")
            }
        }
    }
}
