import CLinux
import Glibc
import LinuxSys

/// Writes an OCI image layout directory: `oci-layout`, `blobs/sha256/…`, `index.json`.
/// Layers are built with `TarWriter` and streamed to their blobs (gzip or not), their
/// digests and diff IDs computed on the way.
public final class OCILayoutBuilder {
    public let directory: String
    public private(set) var layers: [OCIDescriptor] = []
    public private(set) var diffIDs: [ContentDigest] = []
    private var history: [ImageConfigFile.History] = []

    public init(directory: String) throws {
        self.directory = directory
        try Files.createDirectory("\(directory)/blobs/sha256")
        try Files.writeAtomically("\(directory)/oci-layout", try JSON.encode(OCILayoutFile(imageLayoutVersion: "1.0.0")))
    }

    private var blobs: String { "\(directory)/blobs/sha256" }

    /// Adds a layer whose entries `build` writes.
    @discardableResult
    public func addLayer(gzip: Bool = true, comment: String? = nil, _ build: (TarWriter) throws -> Void) throws -> OCIDescriptor {
        let temporary = "\(blobs)/.layer-\(ContentStore.randomName()).tmp"
        do {
            let file = FileSink(try FileDescriptor.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: 0o644))
            let stored = HashingSink(file)
            let uncompressed = HashingSink(gzip ? try GzipSink(stored) : stored)
            let tar = TarWriter(uncompressed)
            try build(tar)
            try tar.finish()
            try file.fd.close()
            try sys("rename", temporary) { rename(temporary, "\(blobs)/\(stored.digest.hex)") }
            let descriptor = OCIDescriptor(mediaType: gzip ? OCIMediaType.layerGzip : OCIMediaType.layer,
                                           digest: stored.digest, size: stored.count)
            layers.append(descriptor)
            diffIDs.append(uncompressed.digest)
            history.append(ImageConfigFile.History(created: nil, created_by: comment, comment: nil, empty_layer: nil))
            return descriptor
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Stores a blob; returns its digest.
    @discardableResult
    public func addBlob(_ bytes: [UInt8]) throws -> ContentDigest {
        let digest = ContentDigest.of(bytes)
        try Files.writeAtomically("\(blobs)/\(digest.hex)", bytes)
        return digest
    }

    /// Writes config, manifest and index.json; each of `names` becomes one index entry
    /// annotated `org.opencontainers.image.ref.name` (no names: one entry without).
    /// Returns the manifest's descriptor.
    @discardableResult
    public func finish(config: ImageConfig, names: [String], created: String = "2024-01-01T00:00:00Z",
                       platform: OCIPlatform = .host) throws -> OCIDescriptor {
        for i in history.indices { history[i].created = created }
        let configFile = ImageConfigFile(
            architecture: platform.architecture, os: platform.os, variant: platform.variant, created: created,
            config: config, rootfs: .init(type: "layers", diff_ids: diffIDs), history: history)
        let configBytes = try JSON.encode(configFile)
        let configDigest = try addBlob(configBytes)
        let manifest = OCIManifest(
            schemaVersion: 2, mediaType: OCIMediaType.manifest,
            config: OCIDescriptor(mediaType: OCIMediaType.config, digest: configDigest, size: Int64(configBytes.count)),
            layers: layers, annotations: nil)
        let manifestBytes = try JSON.encode(manifest)
        let manifestDescriptor = OCIDescriptor(
            mediaType: OCIMediaType.manifest, digest: try addBlob(manifestBytes), size: Int64(manifestBytes.count),
            annotations: nil, platform: platform)
        let entries = names.isEmpty ? [manifestDescriptor] : names.map {
            var d = manifestDescriptor
            d.annotations = [OCIAnnotation.refName: $0]
            return d
        }
        let index = OCIIndex(schemaVersion: 2, mediaType: OCIMediaType.index, manifests: entries, annotations: nil)
        try Files.writeAtomically("\(directory)/index.json", try JSON.encode(index))
        return manifestDescriptor
    }
}

/// The example image Swiftlet's tests, README demo and benchmarks run: busybox from the
/// host (busybox-static), in two layers, the second exercising a whiteout and an opaque
/// directory.
///
/// Layer 1 (gzip): /bin/busybox and a symlink per applet, /etc/passwd (root, nobody
/// 65534), /etc/group, /etc/motd, /etc/issue (+ hard link /etc/issue.net), /tmp 1777,
/// /root 0700, empty /dev /proc /sys /run /var /home, /usr/share/swiftlet-example/{old-1,old-2}.
/// Layer 2 (plain tar): deletes /etc/motd (whiteout), makes /usr/share/swiftlet-example
/// opaque holding only `new`, adds /etc/os-release.
/// Config: Env PATH=…, Cmd ["sh"].
public enum ExampleImage {
    public static let defaultName = "swiftlet.local/busybox:latest"
    public static let path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    /// Every entry's mtime (2024-01-01): the same busybox gives the same digests.
    public static let mtime: Int64 = 1_704_067_200

    public enum DockerSaveStyle: Sendable {
        /// `<config hex>.json`, `<id>/layer.tar`, `manifest.json`, `repositories` (docker < 25).
        case legacy
        /// An OCI layout (`oci-layout`, `index.json`, `blobs/sha256/…`) plus manifest.json
        /// whose Layers point into blobs/, as docker ≥ 25 writes.
        case ociLayout
    }

    /// Writes the image as an OCI layout directory at `dir`; returns the manifest descriptor.
    @discardableResult
    public static func busybox(at dir: String, name: String = defaultName, busybox: String = "/bin/busybox") throws -> OCIDescriptor {
        let applets = try self.applets(busybox: busybox)
        let builder = try OCILayoutBuilder(directory: dir)
        let t = mtime
        try builder.addLayer(gzip: true, comment: "busybox from the host, applet symlinks, /etc basics") { tar in
            for d in ["bin", "dev", "etc", "home", "proc", "run", "sbin", "sys", "usr", "usr/bin", "usr/sbin",
                      "usr/share", "usr/share/swiftlet-example", "var"] {
                try tar.addDirectory(d, mode: 0o755, mtime: t)
            }
            try tar.addDirectory("root", mode: 0o700, mtime: t)
            try tar.addDirectory("tmp", mode: 0o1777, mtime: t)
            try tar.addFile("bin/busybox", copying: busybox, mode: 0o755, mtime: t)
            for applet in applets where applet != "busybox" {
                try tar.addSymlink("bin/\(applet)", target: "busybox", mtime: t)
            }
            try tar.addFile("etc/passwd", contents: "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n", mtime: t)
            try tar.addFile("etc/group", contents: "root:x:0:\nnobody:x:65534:\n", mtime: t)
            try tar.addFile("etc/motd", contents: "This file is deleted by the second layer.\n", mtime: t)
            try tar.addFile("etc/issue", contents: "Swiftlet example image\n", mtime: t)
            try tar.addHardLink("etc/issue.net", target: "etc/issue", mtime: t)
            try tar.addFile("usr/share/swiftlet-example/old-1", contents: "hidden by the opaque directory of layer 2\n", mtime: t)
            try tar.addFile("usr/share/swiftlet-example/old-2", contents: "hidden by the opaque directory of layer 2\n", mtime: t)
        }
        try builder.addLayer(gzip: false, comment: "whiteout /etc/motd, replace /usr/share/swiftlet-example") { tar in
            try tar.addDirectory("etc", mode: 0o755, mtime: t)
            try tar.addWhiteout("etc/motd", mtime: t)
            try tar.addFile("etc/os-release", contents: "NAME=\"Swiftlet example\"\nID=swiftlet-example\nPRETTY_NAME=\"Swiftlet example (busybox)\"\n", mtime: t)
            try tar.addDirectory("usr", mode: 0o755, mtime: t)
            try tar.addDirectory("usr/share", mode: 0o755, mtime: t)
            try tar.addDirectory("usr/share/swiftlet-example", mode: 0o755, mtime: t)
            try tar.addOpaqueMarker(inDirectory: "usr/share/swiftlet-example", mtime: t)
            try tar.addFile("usr/share/swiftlet-example/new", contents: "from layer 2\n", mtime: t)
        }
        return try builder.finish(
            config: ImageConfig(env: ["PATH=\(path)"], cmd: ["sh"],
                                labels: ["org.opencontainers.image.description": "Swiftlet example image (busybox)"]),
            names: [name])
    }

    /// Writes the same image as a `docker save` tarball (gzip-compressed if `gzip`, as
    /// `docker save | gzip` would). In the legacy style the first layer stays gzip and
    /// the second plain, so both kinds of layer.tar are covered.
    public static func dockerSave(to file: String, name: String = defaultName, style: DockerSaveStyle = .legacy,
                                  gzip: Bool = false, busybox: String = "/bin/busybox") throws {
        let layout = "\(file).layout-\(ContentStore.randomName())"
        defer { try? Files.removeTree(layout) }
        let manifestDescriptor = try self.busybox(at: layout, name: name, busybox: busybox)
        let manifest = try JSON.decode(OCIManifest.self, try Files.read("\(layout)/blobs/sha256/\(manifestDescriptor.digest.hex)"),
                                       what: "manifest")
        let reference = try ImageReference.parse(name)
        let repoTag = reference.familiar

        let temporary = "\(file).tmp-\(ContentStore.randomName())"
        do {
            let sink = FileSink(try FileDescriptor.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: 0o644))
            let tar = TarWriter(gzip ? try GzipSink(sink) : sink)
            let t = mtime
            func copyBlob(_ digest: ContentDigest, as path: String) throws {
                try tar.addFile(path, copying: "\(layout)/blobs/sha256/\(digest.hex)", mode: 0o644, mtime: t)
            }
            let entry: DockerSaveEntry
            switch style {
            case .legacy:
                var layerPaths: [String] = []
                for layer in manifest.layers {
                    let id = ContentDigest.of(Array("\(layer.digest)".utf8)).hex // a stand-in v1 ID
                    try tar.addDirectory(id, mtime: t)
                    try tar.addFile("\(id)/VERSION", contents: "1.0", mtime: t)
                    try copyBlob(layer.digest, as: "\(id)/layer.tar")
                    layerPaths.append("\(id)/layer.tar")
                }
                try copyBlob(manifest.config.digest, as: "\(manifest.config.digest.hex).json")
                entry = DockerSaveEntry(Config: "\(manifest.config.digest.hex).json", RepoTags: [repoTag], Layers: layerPaths)
                let top = Files.dirname(layerPaths.last ?? "x/layer.tar")
                let repository = repoTag.split(separator: ":").dropLast().joined(separator: ":")
                try tar.addFile("repositories", contents: try JSON.encode([repository: [reference.tag ?? "latest": top]]), mtime: t)
            case .ociLayout:
                try tar.addDirectory("blobs", mtime: t)
                try tar.addDirectory("blobs/sha256", mtime: t)
                for digest in try Files.list("\(layout)/blobs/sha256").compactMap({ ContentDigest(hex: $0) }) {
                    try copyBlob(digest, as: "blobs/sha256/\(digest.hex)")
                }
                try tar.addFile("oci-layout", contents: try Files.read("\(layout)/oci-layout"), mtime: t)
                var descriptor = manifestDescriptor
                descriptor.annotations = [OCIAnnotation.containerdImageName: reference.description,
                                          OCIAnnotation.refName: reference.tag ?? "latest"]
                let index = OCIIndex(schemaVersion: 2, mediaType: OCIMediaType.index, manifests: [descriptor], annotations: nil)
                try tar.addFile("index.json", contents: try JSON.encode(index), mtime: t)
                entry = DockerSaveEntry(Config: "blobs/sha256/\(manifest.config.digest.hex)", RepoTags: [repoTag],
                                        Layers: manifest.layers.map { "blobs/sha256/\($0.digest.hex)" })
            }
            try tar.addFile("manifest.json", contents: try JSON.encode([entry]), mtime: t)
            try tar.finish()
            try sink.fd.fsync()
            try sink.fd.close()
            try sys("rename", temporary) { rename(temporary, file) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// The applet names `busybox --list` prints.
    public static func applets(busybox: String = "/bin/busybox") throws -> [String] {
        let output = try run([busybox, "--list"])
        let names = output.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.contains("/") }
        guard !names.isEmpty else { throw ImageError(.io, "\(busybox) --list printed no applets") }
        return names
    }

    /// Runs a program, returns its stdout; fails unless it exits 0.
    private static func run(_ arguments: [String]) throws -> String {
        let fds = UnsafeMutablePointer<Int32>.allocate(capacity: 2)
        defer { fds.deallocate() }
        try sys("pipe") { pipe(fds) }
        for i in 0..<2 { try sys("fcntl FD_CLOEXEC") { swl_fcntl_int(fds[i], F_SETFD, FD_CLOEXEC) } }
        let readEnd = FileDescriptor(raw: fds[0], name: "\(arguments[0]) stdout")
        var writeEnd: FileDescriptor? = FileDescriptor(raw: fds[1], name: "\(arguments[0]) stdout")

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/bin:/bin"), nil]
        defer { envp.forEach { free($0) } }
        let pid = UnsafeMutablePointer<pid_t>.allocate(capacity: 1)
        defer { pid.deallocate() }
        try sys("posix_spawn", arguments[0]) { () -> Int32 in
            let rc = posix_spawn(pid, arguments[0], &actions, nil, argv, envp)
            if rc != 0 { swl_set_errno(rc); return -1 }
            return 0
        }
        try writeEnd?.close()
        writeEnd = nil
        let output = try readEnd.readAll()
        let status = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        defer { status.deallocate() }
        try sys("waitpid", arguments[0]) { waitpid(pid.pointee, status, 0) }
        guard swl_wifexited(status.pointee) != 0, swl_wexitstatus(status.pointee) == 0 else {
            throw ImageError(.io, "\(arguments.joined(separator: " ")) failed (wait status \(status.pointee))")
        }
        return String(decoding: output, as: UTF8.self)
    }
}
