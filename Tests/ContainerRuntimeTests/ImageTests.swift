import CLinux
import CZstd
import ContainerRuntime
import Foundation
import Glibc
import LinuxSys
import XCTest

/// Collects log lines from the store (which may call from any thread).
private final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ line: String) { lock.lock(); storage.append(line); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return storage }
}

private func lstatOf(_ path: String) -> stat? {
    var st = stat()
    return lstat(path, &st) == 0 ? st : nil
}

private func fileType(_ path: String) -> mode_t? { lstatOf(path).map { $0.st_mode & S_IFMT } }

private func xattr(_ path: String, _ name: String) -> String? {
    var buffer = [UInt8](repeating: 0, count: 256)
    let n = swl_lgetxattr(path, name, &buffer, buffer.count)
    return n < 0 ? nil : String(decoding: buffer[0..<n], as: UTF8.self)
}

private func readLink(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink(path, &buffer, buffer.count - 1)
    guard n >= 0 else { return nil }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

private func contents(_ path: String) -> String? {
    (try? Files.read(path)).map { String(decoding: $0, as: UTF8.self) }
}

/// The files under `path` (recursively, not following symlinks), for "nothing changed" checks.
private func tree(_ path: String) -> [String] {
    guard let names = try? Files.list(path) else { return [] }
    var out: [String] = []
    for name in names {
        out.append(name)
        if fileType("\(path)/\(name)") == S_IFDIR { out += tree("\(path)/\(name)").map { "\(name)/\($0)" } }
    }
    return out
}

final class ImageTests: XCTestCase {
    private var directory = ""
    private let logs = LogLines()

    override func setUpWithError() throws {
        try XCTSkipUnless(geteuid() == 0, "image tests need root (whiteout device nodes, trusted.* xattrs, chown)")
        var template = Array("/tmp/swiftlet-images-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SystemError("mkdtemp", errno: errno) }
        directory = String(cString: made)
    }

    override func tearDownWithError() throws {
        if !directory.isEmpty { try Files.removeTree(directory) }
    }

    private func makeStore(_ name: String = "root", allowDeviceNodes: Bool = false) -> ImageStore {
        let logs = self.logs
        return ImageStore(root: "\(directory)/\(name)", allowDeviceNodes: allowDeviceNodes, log: { logs.append($0) })
    }

    private func blobs(_ store: ImageStore) -> [String] { (try? Files.list(store.content.blobsDirectory)) ?? [] }
    private func snapshots(_ store: ImageStore) -> [String] { (try? Files.list(store.snapshotsDirectory)) ?? [] }
    private func ingest(_ store: ImageStore) -> [String] { (try? Files.list("\(store.imagesDirectory)/ingest")) ?? [] }

    private func imageError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> ImageError? {
        do {
            try body()
            XCTFail("no error", file: file, line: line)
            return nil
        } catch let error as ImageError {
            return error
        } catch {
            XCTFail("not an ImageError: \(error)", file: file, line: line)
            return nil
        }
    }

    // MARK: - Import and resolve

    func testImportOCILayoutAndResolve() throws {
        let layout = "\(directory)/layout"
        let manifest = try ExampleImage.busybox(at: layout)
        let store = makeStore()
        let records = try store.importImage(path: layout)
        XCTAssertEqual(records.map(\.name), ["swiftlet.local/busybox:latest"])
        XCTAssertEqual(records[0].manifestDigest, manifest.digest.description)
        XCTAssertGreaterThan(records[0].size, 500_000)
        XCTAssertEqual(try store.list(), records)

        let image = try store.resolve("swiftlet.local/busybox")
        XCTAssertEqual(image.name, "swiftlet.local/busybox:latest")
        XCTAssertEqual(image.config.cmd, ["sh"])
        XCTAssertNil(image.config.entrypoint)
        XCTAssertEqual(image.config.env, ["PATH=\(ExampleImage.path)"])
        XCTAssertEqual(image.os, "linux")
        XCTAssertEqual(image.architecture, OCIPlatform.host.architecture)
        XCTAssertEqual(image.layerDirectories.count, 2)
        XCTAssertEqual(image.overlayLowerDirectories, image.layerDirectories.reversed())
        XCTAssertEqual(fileType(image.layerDirectories[0] + "/bin/busybox"), S_IFREG)
        XCTAssertEqual(fileType(image.layerDirectories[1] + "/etc/os-release"), S_IFREG)
        // Chain IDs per the OCI image spec, and the snapshot layout.
        XCTAssertEqual(image.chainIDs[0], image.diffIDs[0])
        XCTAssertEqual(image.chainIDs[1], ContentDigest.of(Array("\(image.chainIDs[0]) \(image.diffIDs[1])".utf8)).description)
        for (dir, chain) in zip(image.layerDirectories, image.chainIDs) {
            XCTAssertEqual(dir, "\(store.snapshotsDirectory)/\(chain.dropFirst(7))/fs")
        }

        // Other ways to name it.
        let manifestHex = String(image.manifestDigest.dropFirst(7))
        let configHex = String(image.configDigest.dropFirst(7))
        for ref in ["busybox", "busybox:latest", String(manifestHex.prefix(12)), "sha256:" + manifestHex.prefix(8),
                    String(configHex.prefix(12)), "swiftlet.local/busybox@\(image.manifestDigest)",
                    "swiftlet.local/busybox:latest"] {
            XCTAssertEqual(try store.resolve(ref).manifestDigest, image.manifestDigest, ref)
        }
        let error = imageError { _ = try store.resolve("nosuch") }
        XCTAssertEqual(error?.kind, .notFound)
        XCTAssertEqual(error?.description, "image \"nosuch\" not found")
        XCTAssertEqual(imageError { _ = try store.resolve("swiftlet.local/busybox:other") }?.kind, .notFound)
        XCTAssertEqual(imageError { _ = try store.resolve("Bad Name") }?.kind, .invalidReference)

        // Resolving marks the image used.
        XCTAssertNotNil(try store.list()[0].lastUsed)
        XCTAssertTrue(ingest(store).isEmpty)
    }

    func testLayersOnDiskWhiteoutOpaqueModesLinks() throws {
        let layout = "\(directory)/layout"
        try ExampleImage.busybox(at: layout)
        let store = makeStore()
        try store.importImage(path: layout)
        let image = try store.resolve("busybox")
        let base = image.layerDirectories[0]
        let top = image.layerDirectories[1]

        // Layer 2: whiteout of /etc/motd, opaque /usr/share/swiftlet-example.
        let motd = try XCTUnwrap(lstatOf("\(top)/etc/motd"))
        XCTAssertEqual(motd.st_mode & S_IFMT, S_IFCHR)
        XCTAssertEqual(motd.st_rdev, 0)
        XCTAssertNil(lstatOf("\(top)/etc/.wh.motd"))
        XCTAssertEqual(xattr("\(top)/usr/share/swiftlet-example", "trusted.overlay.opaque"), "y")
        XCTAssertNil(lstatOf("\(top)/usr/share/swiftlet-example/.wh..wh..opq"))
        XCTAssertEqual(tree("\(top)/usr/share/swiftlet-example"), ["new"])
        XCTAssertNil(xattr("\(top)/usr/share", "trusted.overlay.opaque"))
        XCTAssertEqual(contents("\(top)/usr/share/swiftlet-example/new"), "from layer 2\n")
        // Layer 1 as it was.
        XCTAssertEqual(tree("\(base)/usr/share/swiftlet-example"), ["old-1", "old-2"])
        XCTAssertEqual(fileType("\(base)/etc/motd"), S_IFREG)

        // Modes, owners, times, links.
        let tmp = try XCTUnwrap(lstatOf("\(base)/tmp"))
        XCTAssertEqual(tmp.st_mode & S_IFMT, S_IFDIR)
        XCTAssertEqual(tmp.st_mode & 0o7777, 0o1777)
        XCTAssertEqual(try XCTUnwrap(lstatOf("\(base)/root")).st_mode & 0o7777, 0o700)
        let busybox = try XCTUnwrap(lstatOf("\(base)/bin/busybox"))
        XCTAssertEqual(busybox.st_mode & 0o7777, 0o755)
        XCTAssertEqual(busybox.st_size, try XCTUnwrap(lstatOf("/bin/busybox")).st_size)
        XCTAssertEqual(busybox.st_uid, 0)
        XCTAssertEqual(busybox.st_mtim.tv_sec, Int(ExampleImage.mtime))
        XCTAssertEqual(try XCTUnwrap(lstatOf("\(base)/usr/share")).st_mtim.tv_sec, Int(ExampleImage.mtime))
        XCTAssertEqual(fileType("\(base)/bin/sh"), S_IFLNK)
        XCTAssertEqual(readLink("\(base)/bin/sh"), "busybox")
        let applets = try ExampleImage.applets()
        let links = try Files.list("\(base)/bin").filter { fileType("\(base)/bin/\($0)") == S_IFLNK }
        XCTAssertEqual(links.count, applets.filter { $0 != "busybox" }.count)
        let issue = try XCTUnwrap(lstatOf("\(base)/etc/issue"))
        let issueNet = try XCTUnwrap(lstatOf("\(base)/etc/issue.net"))
        XCTAssertEqual(issue.st_ino, issueNet.st_ino)
        XCTAssertEqual(issue.st_nlink, 2)
        XCTAssertEqual(contents("\(base)/etc/passwd")?.contains("nobody:x:65534:65534:"), true)

        // Nothing half-done left around.
        XCTAssertEqual(Set(snapshots(store)), Set(image.chainIDs.map { String($0.dropFirst(7)) }))
        XCTAssertTrue(ingest(store).isEmpty)
    }

    /// The snapshots as overlayfs lower layers really show the image: mounted (read-only,
    /// two lowerdirs) inside a private mount namespace of a child `unshare`, never on the
    /// host, and busybox run in it with chroot.
    func testSnapshotsMountAsOverlay() throws {
        try XCTSkipUnless(Files.exists("/usr/bin/unshare"), "needs unshare(1)")
        let layout = "\(directory)/layout"
        try ExampleImage.busybox(at: layout)
        let store = makeStore()
        try store.importImage(path: layout)
        let image = try store.resolve("busybox")
        let target = "\(directory)/merged"
        try Files.createDirectory(target)
        let script = """
            mount -t overlay overlay -o ro,lowerdir=\(image.overlayLowerDirectories.joined(separator: ":")) \(target) || exit 99
            exec chroot \(target) /bin/sh -c '
              echo "motd:$([ -e /etc/motd ] && cat /etc/motd || echo gone)"
              echo "example:$(ls /usr/share/swiftlet-example | tr "\\n" " ")"
              echo "issue:$(cat /etc/issue.net)"
              echo "os:$(grep ^ID= /etc/os-release)"
              echo "tmp:$(stat -c %a /tmp)"
              echo "nobody:$(grep ^nobody: /etc/passwd | cut -d: -f3)"'
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["--mount", "--propagation", "private", "/bin/sh", "-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)
        XCTAssertEqual(output.split(separator: "\n").map(String.init), [
            "motd:gone", "example:new ", "issue:Swiftlet example image", "os:ID=swiftlet-example", "tmp:1777", "nobody:65534",
        ], output)
        XCTAssertEqual(try Files.list(target), [], "the overlay must not be visible outside the namespace")
    }

    func testImportDockerSaveTarballs() throws {
        let layout = "\(directory)/layout"
        try ExampleImage.busybox(at: layout)
        let reference = makeStore("reference")
        try reference.importImage(path: layout)
        let expected = try reference.resolve("busybox")

        let variants: [(String, ExampleImage.DockerSaveStyle, Bool)] = [
            ("legacy", .legacy, false), ("legacy-gz", .legacy, true), ("oci", .ociLayout, false), ("oci-gz", .ociLayout, true),
        ]
        for (label, style, gzip) in variants {
            let file = "\(directory)/\(label).tar"
            try ExampleImage.dockerSave(to: file, style: style, gzip: gzip)
            let store = makeStore(label)
            let records = try store.importImage(path: file)
            XCTAssertEqual(records.map(\.name), ["swiftlet.local/busybox:latest"], label)
            let image = try store.resolve("swiftlet.local/busybox:latest")
            XCTAssertEqual(image.configDigest, expected.configDigest, label)
            XCTAssertEqual(image.chainIDs, expected.chainIDs, label)
            XCTAssertEqual(image.config, expected.config, label)
            if style == .ociLayout {
                XCTAssertEqual(image.manifestDigest, expected.manifestDigest, label) // kept from index.json
            }
            XCTAssertEqual(xattr("\(image.layerDirectories[1])/usr/share/swiftlet-example", "trusted.overlay.opaque"), "y", label)
            XCTAssertEqual(fileType("\(image.layerDirectories[1])/etc/motd"), S_IFCHR, label)
            XCTAssertEqual(fileType("\(image.layerDirectories[0])/bin/busybox"), S_IFREG, label)
            XCTAssertTrue(ingest(store).isEmpty, label)
            // Again: same records, nothing new.
            XCTAssertEqual(try store.importImage(path: file).map(\.manifestDigest), records.map(\.manifestDigest), label)
            XCTAssertEqual(try store.list().map(\.created), records.map(\.created), label)
        }
    }

    func testReimportIsANoOp() throws {
        let layout = "\(directory)/layout"
        try ExampleImage.busybox(at: layout)
        let store = makeStore()
        let first = try store.importImage(path: layout)
        let image = try store.resolve("busybox")
        let inodes = image.layerDirectories.map { lstatOf($0)?.st_ino }
        let blobInodes = blobs(store).map { lstatOf("\(store.content.blobsDirectory)/\($0)")?.st_ino }
        // A marker inside a snapshot survives only if the layer is not unpacked again.
        try Files.writeAtomically("\(image.layerDirectories[0])/marker", "x")

        XCTAssertEqual(try store.importImage(path: layout).map(\.manifestDigest), first.map(\.manifestDigest))
        XCTAssertEqual(try store.list().map(\.name), first.map(\.name))
        XCTAssertEqual(try store.list()[0].created, first[0].created)
        let again = try store.resolve("busybox")
        XCTAssertEqual(again.layerDirectories.map { lstatOf($0)?.st_ino }, inodes)
        XCTAssertEqual(blobs(store).map { lstatOf("\(store.content.blobsDirectory)/\($0)")?.st_ino }, blobInodes)
        XCTAssertTrue(Files.exists("\(image.layerDirectories[0])/marker"))

        // The same image from a docker save tarball shares the snapshots too.
        let tarball = "\(directory)/saved.tar"
        try ExampleImage.dockerSave(to: tarball, name: "other/busybox:1")
        try store.importImage(path: tarball)
        XCTAssertEqual(try store.resolve("other/busybox:1").layerDirectories.map { lstatOf($0)?.st_ino }, inodes)
        XCTAssertEqual(snapshots(store).count, 2)
    }

    /// An image whose first layer is the same as every other image's built with it.
    private func buildImage(at dir: String, name: String, topFile: String) throws {
        let builder = try OCILayoutBuilder(directory: dir)
        try builder.addLayer { tar in
            try tar.addDirectory("etc")
            try tar.addFile("etc/shared", contents: "shared base layer\n")
        }
        try builder.addLayer(gzip: false) { tar in
            try tar.addFile(topFile, contents: "only in \(name)\n")
        }
        try builder.finish(config: ImageConfig(cmd: ["/bin/true"]), names: [name])
    }

    func testRemoveKeepsWhatAnotherImageUses() throws {
        try buildImage(at: "\(directory)/a", name: "example.com/a:1", topFile: "a")
        try buildImage(at: "\(directory)/b", name: "example.com/b:1", topFile: "b")
        let store = makeStore()
        try store.importImage(path: "\(directory)/a")
        try store.importImage(path: "\(directory)/b")
        let a = try store.resolve("example.com/a:1")
        let b = try store.resolve("example.com/b:1")
        XCTAssertEqual(a.layerDirectories[0], b.layerDirectories[0])
        XCTAssertEqual(snapshots(store).count, 3)
        XCTAssertEqual(blobs(store).count, 7) // shared layer, 2 top layers, 2 configs, 2 manifests

        let removed = try store.remove("example.com/a:1")
        XCTAssertEqual(removed.map(\.name), ["example.com/a:1"])
        XCTAssertEqual(try store.list().map(\.name), ["example.com/b:1"])
        XCTAssertTrue(Files.isDirectory(b.layerDirectories[0]))
        XCTAssertTrue(Files.isDirectory(b.layerDirectories[1]))
        XCTAssertFalse(Files.exists(Files.dirname(a.layerDirectories[1])))
        XCTAssertEqual(blobs(store).count, 4)
        XCTAssertFalse(Files.exists(store.content.path(of: try ContentDigest(parsing: a.manifestDigest))))
        XCTAssertEqual(contents("\(try store.resolve("example.com/b:1").layerDirectories[0])/etc/shared"), "shared base layer\n")

        // Two names for one image: removing one name keeps the image.
        try store.importImage(path: "\(directory)/b", name: "example.com/b:2")
        XCTAssertEqual(try store.remove("example.com/b:1").count, 1)
        XCTAssertTrue(Files.isDirectory(try store.resolve("example.com/b:2").layerDirectories[1]))
        XCTAssertEqual(blobs(store).count, 4)
        // By digest: every name goes, then everything.
        try store.importImage(path: "\(directory)/b", name: "example.com/b:3")
        XCTAssertEqual(try store.remove(String(b.manifestDigest.dropFirst(7).prefix(10))).count, 2)
        XCTAssertEqual(try store.list(), [])
        XCTAssertEqual(blobs(store), [])
        XCTAssertEqual(snapshots(store), [])
        XCTAssertEqual(imageError { try store.remove("example.com/b:3") }?.description, "image \"example.com/b:3\" not found")
    }

    func testCorruptBlobIsRejectedAndNothingStays() throws {
        let layout = "\(directory)/layout"
        let manifestDescriptor = try ExampleImage.busybox(at: layout)
        let manifest = try JSONDecoder().decode(
            ManifestStub.self, from: Data(try Files.read("\(layout)/blobs/sha256/\(manifestDescriptor.digest.hex)")))
        let layer = manifest.layers[1].digest
        let path = "\(layout)/blobs/sha256/\(layer.dropFirst(7))"
        var bytes = try Files.read(path)
        bytes[700] ^= 0xff
        try Files.writeAtomically(path, bytes)

        let store = makeStore()
        let error = imageError { try store.importImage(path: layout) }
        XCTAssertEqual(error?.kind, .digestMismatch)
        XCTAssertTrue(error?.description.hasPrefix("import \(layout): layer \(layer): digest mismatch: content is sha256:") == true,
                      error?.description ?? "")
        XCTAssertTrue(error?.description.hasSuffix(", expected \(layer)") == true, error?.description ?? "")
        XCTAssertFalse(error?.description.contains("\n") ?? true)
        XCTAssertEqual(blobs(store), [])
        XCTAssertEqual(snapshots(store), [])
        XCTAssertEqual(ingest(store), [])
        XCTAssertEqual(try store.list(), [])
    }

    func testDiffIDMismatchIsRejected() throws {
        let layout = "\(directory)/layout"
        let builder = try OCILayoutBuilder(directory: layout)
        let layer = try builder.addLayer { tar in try tar.addFile("f", contents: "x") }
        let wrong = ContentDigest.of(Array("something else".utf8))
        let config = Array(#"{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["\#(wrong)"]}}"#.utf8)
        let configDigest = try builder.addBlob(config)
        let manifest = Array(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(configDigest)","size":\#(config.count)},"layers":[{"mediaType":"\#(layer.mediaType!)","digest":"\#(layer.digest)","size":\#(layer.size)}]}"#.utf8)
        let manifestDigest = try builder.addBlob(manifest)
        try Files.writeAtomically("\(layout)/index.json", #"{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(manifestDigest)","size":\#(manifest.count),"annotations":{"org.opencontainers.image.ref.name":"example.com/bad:1"}}]}"#)

        let store = makeStore()
        let error = imageError { try store.importImage(path: layout) }
        XCTAssertEqual(error?.kind, .digestMismatch)
        XCTAssertTrue(error?.description.contains("the config says \(wrong)") == true, error?.description ?? "")
        XCTAssertEqual(blobs(store), [])
        XCTAssertEqual(snapshots(store), [])
    }

    // MARK: - Hostile layers

    private func hostileLayer(_ build: (TarWriter) throws -> Void) throws -> [UInt8] {
        let sink = MemorySink()
        let tar = TarWriter(sink)
        try build(tar)
        try tar.finish()
        return sink.bytes
    }

    func testHostileEntriesStayInsideTheSnapshot() throws {
        let outside = "\(directory)/outside"
        try Files.createDirectory(outside)
        try Files.writeAtomically("\(outside)/keep", "precious\n")
        let before = tree(directory)

        typealias Case = (label: String, ok: Bool, build: (TarWriter) throws -> Void)
        let cases: [Case] = [
            ("dot-dot", false, { try $0.addFile("../x", contents: "evil") }),
            ("dot-dot deep", false, { try $0.addFile("a/../../x", contents: "evil") }),
            ("dot-dot to outside", false, { try $0.addFile("../outside/keep", contents: "evil") }),
            ("absolute", true, { try $0.addFile("\(outside)/keep", contents: "inside") }),
            ("symlink to absolute dir", false, {
                try $0.addSymlink("a", target: outside)
                try $0.addFile("a/passwd", contents: "evil")
            }),
            ("symlink relative escape", false, {
                try $0.addSymlink("a", target: "../outside")
                try $0.addDirectory("a/sub")
            }),
            ("directory replaced by symlink", false, {
                try $0.addDirectory("d")
                try $0.addFile("d/f", contents: "fine")
                try $0.addSymlink("d", target: outside)
                try $0.addFile("d/g", contents: "evil")
            }),
            ("hard link outside", false, { try $0.addHardLink("h", target: "../outside/keep") }),
            ("hard link to symlink", true, {
                try $0.addSymlink("s", target: "\(outside)/keep")
                try $0.addHardLink("h", target: "s")
            }),
            ("hard link through symlink", false, {
                try $0.addSymlink("s", target: outside)
                try $0.addHardLink("h", target: "s/keep")
            }),
            ("whiteout through symlink", false, {
                try $0.addSymlink("w", target: outside)
                try $0.addWhiteout("w/keep")
            }),
            ("opaque through symlink", false, {
                try $0.addSymlink("o", target: outside)
                try $0.addOpaqueMarker(inDirectory: "o")
            }),
            ("file over symlink", true, {
                try $0.addSymlink("x", target: "\(outside)/keep")
                try $0.addFile("x", contents: "replaced the link, not the target")
            }),
            ("directory over symlink", true, {
                try $0.addSymlink("l", target: outside)
                try $0.addDirectory("l")
                try $0.addFile("l/inside", contents: "in the new directory")
            }),
            ("whiteout of dot-dot", false, { try $0.addFile("dir/.wh..", contents: "") }),
        ]
        for (i, c) in cases.enumerated() {
            let snapshot = "\(directory)/snap\(i)"
            try Files.createDirectory(snapshot)
            let layer = try hostileLayer(c.build)
            do {
                _ = try LayerUnpacker.unpack(MemorySource(layer), into: snapshot, what: c.label)
                XCTAssertTrue(c.ok, "\(c.label): unpacked")
            } catch let error as ImageError {
                XCTAssertFalse(c.ok, "\(c.label): \(error)")
                XCTAssertEqual(error.kind, c.label == "whiteout of dot-dot" ? .invalidImage : .unsafePath, "\(c.label): \(error)")
                XCTAssertTrue(error.description.hasPrefix("\(c.label): entry \""), "\(c.label): \(error)")
            }
            XCTAssertEqual(contents("\(outside)/keep"), "precious\n", c.label)
            XCTAssertEqual(tree(outside), ["keep"], c.label)
            XCTAssertEqual(lstatOf("\(outside)/keep")?.st_nlink, 1, c.label)
            XCTAssertNil(xattr(outside, "trusted.overlay.opaque"), c.label)
            XCTAssertEqual(tree(directory).filter { !$0.hasPrefix("snap") }, before, c.label)
            try Files.removeTree(snapshot)
        }

        // What the accepted ones made, inside.
        let snapshot = "\(directory)/check"
        try Files.createDirectory(snapshot)
        _ = try LayerUnpacker.unpack(MemorySource(try hostileLayer(cases[3].build)), into: snapshot)
        XCTAssertEqual(contents("\(snapshot)\(outside)/keep"), "inside")
        _ = try LayerUnpacker.unpack(MemorySource(try hostileLayer(cases[8].build)), into: snapshot)
        XCTAssertEqual(fileType("\(snapshot)/h"), S_IFLNK)
        XCTAssertEqual(readLink("\(snapshot)/h"), "\(outside)/keep")
        _ = try LayerUnpacker.unpack(MemorySource(try hostileLayer(cases[12].build)), into: snapshot)
        XCTAssertEqual(fileType("\(snapshot)/x"), S_IFREG)
        _ = try LayerUnpacker.unpack(MemorySource(try hostileLayer(cases[13].build)), into: snapshot)
        XCTAssertEqual(fileType("\(snapshot)/l"), S_IFDIR)
        XCTAssertEqual(contents("\(snapshot)/l/inside"), "in the new directory")
        XCTAssertEqual(tree(outside), ["keep"])
    }

    func testHostileLayerFailsTheImportAndLeavesNothing() throws {
        let outside = "\(directory)/outside"
        try Files.createDirectory(outside)
        let layout = "\(directory)/layout"
        let builder = try OCILayoutBuilder(directory: layout)
        try builder.addLayer { tar in
            try tar.addFile("fine", contents: "ok")
            try tar.addSymlink("etc", target: outside)
            try tar.addFile("etc/passwd", contents: "root::0:0::/:/bin/sh\n")
        }
        try builder.finish(config: ImageConfig(cmd: ["sh"]), names: ["example.com/evil:1"])
        let store = makeStore()
        let error = imageError { try store.importImage(path: layout) }
        XCTAssertEqual(error?.kind, .unsafePath)
        XCTAssertTrue(error?.description.contains("entry \"etc/passwd\": a directory on its path (etc) is a symlink") == true,
                      error?.description ?? "")
        XCTAssertEqual(tree(outside), [])
        XCTAssertEqual(snapshots(store), [])
        XCTAssertEqual(blobs(store), [])
    }

    func testDeviceNodesAreSkippedUnlessAllowed() throws {
        let layer = try hostileLayer { tar in
            try tar.append(TarHeader(path: "dev/null", type: .characterDevice, mode: 0o666, devMajor: 1, devMinor: 3))
            try tar.append(TarHeader(path: "dev/sda", type: .blockDevice, mode: 0o660, devMajor: 8, devMinor: 0))
            try tar.append(TarHeader(path: "run/fifo", type: .fifo, mode: 0o600))
            try tar.addFile("file", contents: "x")
        }
        let lines = LogLines()
        let skipped = "\(directory)/skipped"
        try Files.createDirectory(skipped)
        let result = try LayerUnpacker.unpack(MemorySource(layer), into: skipped, what: "layer",
                                              options: UnpackOptions(log: { lines.append($0) }))
        XCTAssertEqual(result.skippedDeviceNodes, ["dev/null", "dev/sda", "run/fifo"])
        XCTAssertEqual(result.entries, 4)
        XCTAssertEqual(lines.lines.count, 1)
        XCTAssertTrue(lines.lines.first?.contains("skipped 3 device node(s)/fifo(s)") == true, "\(lines.lines)")
        XCTAssertNil(lstatOf("\(skipped)/dev/null"))
        XCTAssertEqual(fileType("\(skipped)/file"), S_IFREG)
        XCTAssertEqual(result.diffID, ContentDigest.of(layer))

        let allowed = "\(directory)/allowed"
        try Files.createDirectory(allowed)
        _ = try LayerUnpacker.unpack(MemorySource(layer), into: allowed, options: UnpackOptions(allowDeviceNodes: true))
        let null = try XCTUnwrap(lstatOf("\(allowed)/dev/null"))
        XCTAssertEqual(null.st_mode & S_IFMT, S_IFCHR)
        XCTAssertEqual(null.st_rdev, swl_makedev(1, 3))
        XCTAssertEqual(fileType("\(allowed)/dev/sda"), S_IFBLK)
        XCTAssertEqual(fileType("\(allowed)/run/fifo"), S_IFIFO)
    }

    // MARK: - Errors, names, platforms

    func testImportErrorsAreOneClearLine() throws {
        let store = makeStore()
        XCTAssertEqual(imageError { try store.importImage(path: "\(directory)/nosuch.tar") }?.description,
                       "import \(directory)/nosuch.tar: no such file or directory")

        let noLayers = "\(directory)/nolayers.tar"
        let sink = try FileSink(path: noLayers)
        let tar = TarWriter(sink)
        try tar.addFile("manifest.json", contents: #"[{"Config":"x.json","RepoTags":["a:1"]}]"#)
        try tar.finish()
        XCTAssertEqual(imageError { try store.importImage(path: noLayers) }?.description,
                       "import \(noLayers): manifest.json: missing \"Layers\"")

        let missingConfig = "\(directory)/missingconfig.tar"
        let tar2 = TarWriter(try FileSink(path: missingConfig))
        try tar2.addFile("manifest.json", contents: #"[{"Config":"x.json","RepoTags":null,"Layers":[]}]"#)
        try tar2.finish()
        XCTAssertEqual(imageError { try store.importImage(path: missingConfig) }?.description,
                       "import \(missingConfig): manifest.json: x.json is not in the archive")

        let garbage = "\(directory)/garbage.bin"
        try Files.writeAtomically(garbage, [UInt8](repeating: 0x55, count: 4096))
        let error = imageError { try store.importImage(path: garbage) }
        XCTAssertTrue(error?.description.hasPrefix("import \(garbage): not an OCI image layout") == true, error?.description ?? "")

        let emptyDir = "\(directory)/empty"
        try Files.createDirectory(emptyDir)
        XCTAssertTrue(imageError { try store.importImage(path: emptyDir) }?.description
            .hasPrefix("import \(emptyDir): not an OCI image layout or docker save archive") == true)
        XCTAssertEqual(blobs(store), [])
        XCTAssertEqual(ingest(store), [])
    }

    /// Members reached through symlinks and hard links in the archive (as docker's
    /// `<id>/layer.tar -> ../blobs/sha256/…`), a config not named by its digest, and an
    /// umask that would otherwise make implicit directories private.
    func testDockerSaveWithLinkedMembers() throws {
        let layout = "\(directory)/layout"
        let builder = try OCILayoutBuilder(directory: layout)
        try builder.addLayer { tar in try tar.addFile("deep/er/file", contents: "through a link\n") }
        let manifest = try builder.finish(config: ImageConfig(user: "65534", entrypoint: ["/bin/sh", "-c"], cmd: ["echo hi"],
                                                              workingDir: "/work"), names: [])
        let parsed = try JSONDecoder().decode(ManifestStub.self,
                                              from: Data(try Files.read("\(layout)/blobs/sha256/\(manifest.digest.hex)")))
        let configHex = try XCTUnwrap(try Files.list("\(layout)/blobs/sha256").first {
            $0 != manifest.digest.hex && !parsed.layers.map { String($0.digest.dropFirst(7)) }.contains($0)
        })
        let archive = "\(directory)/linked.tar"
        let tar = TarWriter(try FileSink(path: archive))
        for name in try Files.list("\(layout)/blobs/sha256") {
            try tar.addFile("blobs/sha256/\(name)", copying: "\(layout)/blobs/sha256/\(name)")
        }
        try tar.addSymlink("abc/layer.tar", target: "../blobs/sha256/\(parsed.layers[0].digest.dropFirst(7))")
        try tar.addHardLink("config.json", target: "blobs/sha256/\(configHex)")
        try tar.addFile("manifest.json", contents: #"[{"Config":"config.json","RepoTags":["linked:v2"],"Layers":["abc/layer.tar"]}]"#)
        try tar.finish()

        let store = makeStore()
        let old = umask(0o077)
        defer { umask(old) }
        XCTAssertEqual(try store.importImage(path: archive).map(\.name), ["docker.io/library/linked:v2"])
        let image = try store.resolve("linked:v2")
        XCTAssertEqual(image.config.entrypoint, ["/bin/sh", "-c"])
        XCTAssertEqual(image.config.cmd, ["echo hi"])
        XCTAssertEqual(image.config.workingDir, "/work")
        XCTAssertEqual(image.config.user, "65534")
        XCTAssertEqual(contents("\(image.layerDirectories[0])/deep/er/file"), "through a link\n")
        XCTAssertEqual(lstatOf("\(image.layerDirectories[0])/deep/er")?.st_mode, S_IFDIR | 0o755)
        XCTAssertEqual(lstatOf(image.layerDirectories[0])?.st_mode, S_IFDIR | 0o755)
    }

    func testUnsupportedAndDamagedLayersAreClearErrors() throws {
        let bzip2 = Array("BZh91AY&SY".utf8) + [UInt8](repeating: 0, count: 600)
        let dir = "\(directory)/bzip2"
        try Files.createDirectory(dir)
        XCTAssertEqual(imageError { _ = try LayerUnpacker.unpack(MemorySource(bzip2), into: dir, what: "layer b") }?.description,
                       "layer b: bzip2 compression is not supported (only gzip, zstd or none)")
        let sink = MemorySink()
        let tar = TarWriter(try GzipSink(sink))
        try tar.addFile("f", contents: [UInt8](repeating: 7, count: 100_000))
        try tar.finish()
        let cut = Array(sink.bytes.prefix(sink.bytes.count - 30))
        XCTAssertEqual(imageError { _ = try LayerUnpacker.unpack(MemorySource(cut), into: dir, what: "layer g") }?.description,
                       "layer g: unexpected end of gzip data")
    }

    func testZstdLayersUnpackAndDamageIsAClearError() throws {
        let tarSink = MemorySink()
        let tar = TarWriter(tarSink)
        try tar.addDirectory("etc")
        try tar.addFile("etc/zstd", contents: [UInt8](repeating: 42, count: 300_000))
        try tar.addWhiteout("etc/gone")
        try tar.finish()
        let plain = tarSink.bytes
        // Two frames, as a streaming compressor may write them.
        let half = plain.count / 2
        let compressed = zstdCompress(Array(plain[..<half])) + zstdCompress(Array(plain[half...]))
        XCTAssertEqual(Compression.detect(compressed), .zstd)
        let dir = "\(directory)/zstd"
        try Files.createDirectory(dir)
        let result = try LayerUnpacker.unpack(MemorySource(compressed), into: dir, what: "layer z")
        XCTAssertEqual(result.diffID, ContentDigest.of(plain), "the diff ID is the uncompressed tar's")
        XCTAssertEqual(try Files.read("\(dir)/etc/zstd"), [UInt8](repeating: 42, count: 300_000))
        let cut = Array(compressed.prefix(compressed.count - 20))
        try Files.removeTree(dir)
        try Files.createDirectory(dir)
        XCTAssertEqual(imageError { _ = try LayerUnpacker.unpack(MemorySource(cut), into: dir, what: "layer z") }?.description,
                       "layer z: unexpected end of zstd data")
        var corrupt = compressed
        corrupt[corrupt.count / 3] ^= 0xff
        // zstd frames carry no checksum by default: damage is an error or a wrong diff ID,
        // which the store refuses.
        try Files.removeTree(dir)
        try Files.createDirectory(dir)
        let damaged = try? LayerUnpacker.unpack(MemorySource(corrupt), into: dir, what: "layer z")
        XCTAssertNotEqual(damaged?.diffID, ContentDigest.of(plain))
    }

    private func zstdCompress(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: ZSTD_compressBound(bytes.count))
        let n = out.withUnsafeMutableBytes { o in
            bytes.withUnsafeBytes { i in ZSTD_compress(o.baseAddress, o.count, i.baseAddress, i.count, 3) }
        }
        return Array(out.prefix(n))
    }

    func testTagOnlyAnnotationAndExplicitName() throws {
        let layout = "\(directory)/My_Image.oci"
        try buildImage(at: layout, name: "v1", topFile: "t")
        let store = makeStore()
        XCTAssertEqual(try store.importImage(path: layout).map(\.name), ["localhost/my-image:v1"])
        XCTAssertEqual(try store.importImage(path: layout, name: "example/thing").map(\.name), ["docker.io/example/thing:latest"])
        XCTAssertEqual(try store.list().map(\.name), ["docker.io/example/thing:latest", "localhost/my-image:v1"])
        XCTAssertEqual(try store.resolve("example/thing").manifestDigest, try store.resolve("localhost/my-image:v1").manifestDigest)
    }

    private struct IndexStub: Codable {
        var schemaVersion = 2
        var mediaType = "application/vnd.oci.image.index.v1+json"
        var manifests: [OCIDescriptor]
    }

    func testNestedIndexPicksThisPlatform() throws {
        let layout = "\(directory)/multi"
        let arm = OCIPlatform(architecture: OCIPlatform.host.architecture == "arm64" ? "amd64" : "arm64", os: "linux")
        var descriptors: [OCIDescriptor] = []
        for platform in [arm, OCIPlatform.host] {
            let builder = try OCILayoutBuilder(directory: layout)
            try builder.addLayer { tar in try tar.addFile("arch", contents: platform.architecture) }
            descriptors.append(try builder.finish(config: ImageConfig(cmd: ["sh"]), names: [], platform: platform))
        }
        let nested = try JSONEncoder().encode(IndexStub(manifests: descriptors))
        let builder = try OCILayoutBuilder(directory: layout)
        let nestedDigest = try builder.addBlob(Array(nested))
        var top = OCIDescriptor(mediaType: "application/vnd.oci.image.index.v1+json", digest: nestedDigest, size: Int64(nested.count))
        top.annotations = ["org.opencontainers.image.ref.name": "example.com/multi:1"]
        try Files.writeAtomically("\(layout)/index.json", Array(try JSONEncoder().encode(IndexStub(manifests: [top]))))

        let store = makeStore()
        try store.importImage(path: layout)
        let image = try store.resolve("example.com/multi:1")
        XCTAssertEqual(image.architecture, OCIPlatform.host.architecture)
        XCTAssertEqual(image.manifestDigest, descriptors[1].digest.description)
        XCTAssertEqual(contents("\(image.layerDirectories[0])/arch"), OCIPlatform.host.architecture)
        // Only the chosen platform's blobs were stored.
        XCTAssertEqual(blobs(store).count, 3)
    }

    func testMissingSnapshotIsUnpackedAgain() throws {
        let layout = "\(directory)/layout"
        try buildImage(at: layout, name: "example.com/a:1", topFile: "a")
        let store = makeStore()
        try store.importImage(path: layout)
        let image = try store.resolve("example.com/a:1")
        try Files.removeTree(Files.dirname(image.layerDirectories[1]))
        XCTAssertEqual(contents("\(try store.resolve("example.com/a:1").layerDirectories[1])/a"), "only in example.com/a:1\n")
    }

    func testGarbageCollectRemovesLeftovers() throws {
        let store = makeStore()
        try Files.createDirectory("\(store.snapshotsDirectory)/.tmp-deadbeef-1/fs")
        try Files.createDirectory("\(store.imagesDirectory)/ingest")
        try Files.writeAtomically("\(store.imagesDirectory)/ingest/x.tmp", "partial")
        try store.content.write(Array("orphan".utf8))
        let (blobCount, _) = try store.garbageCollect()
        XCTAssertEqual(blobCount, 1)
        XCTAssertEqual(snapshots(store), [])
        XCTAssertEqual(ingest(store), [])
    }
}

private struct ManifestStub: Decodable {
    struct Layer: Decodable { var digest: String }
    var layers: [Layer]
}

final class ImageReferenceTests: XCTestCase {
    func testNormalisation() throws {
        let cases: [(String, String)] = [
            ("busybox", "docker.io/library/busybox:latest"),
            ("busybox:1.36", "docker.io/library/busybox:1.36"),
            ("library/busybox", "docker.io/library/busybox:latest"),
            ("docker.io/busybox", "docker.io/library/busybox:latest"),
            ("index.docker.io/library/busybox:1", "docker.io/library/busybox:1"),
            ("user/app", "docker.io/user/app:latest"),
            ("quay.io/org/app", "quay.io/org/app:latest"),
            ("localhost/app", "localhost/app:latest"),
            ("localhost:5000/a/b:tag", "localhost:5000/a/b:tag"),
            ("127.0.0.1:5000/app", "127.0.0.1:5000/app:latest"),
            ("swiftlet.local/busybox", "swiftlet.local/busybox:latest"),
            ("my-registry.example.com/a__b/c.d-e:v1.2_3", "my-registry.example.com/a__b/c.d-e:v1.2_3"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(try ImageReference.parse(input).description, expected, input)
        }
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        let withDigest = try ImageReference.parse("busybox@\(digest)")
        XCTAssertEqual(withDigest.description, "docker.io/library/busybox@\(digest)")
        XCTAssertNil(withDigest.tag)
        XCTAssertEqual(try ImageReference.parse("busybox:1@\(digest)").description, "docker.io/library/busybox:1@\(digest)")
        XCTAssertEqual(try ImageReference.parse("busybox").familiar, "busybox:latest")
        XCTAssertEqual(try ImageReference.parse("user/app").familiar, "user/app:latest")
        XCTAssertEqual(try ImageReference.parse("quay.io/a/b:1").familiar, "quay.io/a/b:1")
    }

    func testInvalidReferences() {
        for bad in ["", "Busybox", "docker.io/Library/busybox", "a:b:c", "busybox:", "bad tag:x y", "a//b", "-a",
                    "busybox@sha256:xyz", "busybox@md5:abc", "a/", ":tag"] {
            XCTAssertThrowsError(try ImageReference.parse(bad), bad) { error in
                XCTAssertEqual((error as? ImageError)?.kind, .invalidReference, "\(bad): \(error)")
                XCTAssertTrue("\(error)".hasPrefix("invalid image reference \"\(bad)\""), "\(error)")
            }
        }
    }
}
